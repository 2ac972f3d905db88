//! `/admin/audit`: every admin action, newest first, with the record before and after.

use super::{
    model::{action_label, AuditPage},
    nav::AdminBar,
    server_fns::get_audit,
};
use crate::ui::{clock::TimeAgo, format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("after"), get_audit);
    view! {
        <Title text="Audit · Admin · Stakeboard"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! { <Audit page/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Audit(page: AuditPage) -> impl IntoView {
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td><TimeAgo at=e.at/><br/><small class="muted">{format::datetime(e.at)}</small></td>
                    <td>{e.actor}<br/><small class="muted">{e.ip.unwrap_or_default()}</small></td>
                    <td data-testid="audit-action">{action_label(&e.action).to_string()}<br/><small class="muted">{e.target}</small></td>
                    <td><details><summary>"before / after"</summary>
                        <pre class="audit-json">{e.before.unwrap_or_else(|| "—".into())}</pre>
                        <pre class="audit-json">{e.after.unwrap_or_else(|| "—".into())}</pre></details></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <AdminBar admin=page.admin/>
        <header class="page-head"><h1>"Audit"</h1></header>
        <p class="subtitle">"Every admin action, who made it, from where, and what changed."</p>
        <section class="card">
            <div class="table-wrap">
                <table class="audit" data-testid="audit">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Change"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {page.next.map(|n| view! { <nav class="pager"><a class="button" href=format!("/admin/audit?after={n}")>"Older →"</a></nav> })}
        </section>
    }
}
