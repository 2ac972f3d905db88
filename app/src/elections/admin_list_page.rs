//! `/admin/elections`: every election with its state, newest first, and the way to a new one.

use super::{server_fns::get_admin_elections, views::AdminElectionList, widgets::StateBadge};
use crate::{
    admin::nav::AdminBar,
    ui::{format, widgets::ErrorPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminElectionsPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(move || query.read().get("after"), get_admin_elections);
    view! {
        <Title text="Elections · Admin · Stakeboard"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <List list/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn List(list: AdminElectionList) -> impl IntoView {
    let rows = list
        .elections
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td><a href=format!("/admin/elections/{}", e.id)>"#"{e.id}" "<bdi>{e.title}</bdi></a></td>
                    <td>{e.network_name}</td>
                    <td><StateBadge state=e.state/></td>
                    <td>{e.method.label()}</td>
                    <td><small>{format::datetime(e.voting_start)}" → "{format::datetime(e.voting_end)}</small></td>
                    <td class="num">{e.ballots}</td>
                    <td><a href=format!("/elections/{}", e.id)>"public page"</a></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <AdminBar admin=list.admin/>
        <header class="page-head"><h1>"Elections"</h1>
            <a class="button primary" href="/admin/elections/new" data-testid="new-election">"New election"</a></header>
        {list.flash.map(|f| view! { <p class=if f.ok { "form-saved" } else { "form-error" } role="status">{f.message}</p> })}
        <section class="card">
            <div class="table-wrap">
                <table class="elections" data-testid="admin-elections">
                    <thead><tr><th>"Election"</th><th>"Network"</th><th>"State"</th><th>"Ballot"</th><th>"Voting"</th><th class="num">"Ballots"</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {list.next.map(|n| view! { <nav class="pager"><a class="button" href=format!("/admin/elections?after={n}")>"Older →"</a></nav> })}
        </section>
    }
}
