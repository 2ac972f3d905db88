//! `/system`: every worker's last run, last success and recent failures.

use super::model::SystemOverview;
use crate::{
    error::AppError,
    ui::{clock::TimeAgo, widgets::ErrorPanel},
};
use leptos::prelude::*;
use leptos_meta::Title;

#[server]
pub async fn get_system() -> Result<SystemOverview, AppError> {
    const RECENT_RUNS: i64 = 50;
    let pool = crate::state::pool()?;
    let (workers, recent_runs) = tokio::try_join!(
        super::db::worker_statuses(&pool),
        super::db::recent_runs(&pool, RECENT_RUNS)
    )?;
    Ok(SystemOverview {
        workers,
        recent_runs,
    })
}

#[component]
pub fn SystemPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let data = Resource::new(|| (), |_| get_system());
    view! {
        <Title text="System · Stakeboard"/>
        <header class="page-head"><h1>"System"</h1><p class="lede">"What the background workers did, and when."</p></header>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(overview) => view! { <Overview overview/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Overview(overview: SystemOverview) -> impl IntoView {
    let workers = overview
        .workers
        .into_iter()
        .map(|w| {
            let outcome = w.last_run.outcome.clone();
            view! {
                <tr class=format!("outcome-{outcome}")>
                    <td>{w.worker}</td>
                    <td>{w.network.unwrap_or_else(|| "—".into())}</td>
                    <td><span class=format!("badge badge-{outcome}")>{outcome.clone()}</span>" "<TimeAgo at=w.last_run.started_at/></td>
                    <td>{w.last_success_at.map(|at| view! { <TimeAgo at/> }.into_any()).unwrap_or_else(|| "never".into_any())}</td>
                    <td class="num">{w.runs_24h}</td>
                    <td class="num">{w.failures_24h}</td>
                    <td class="message">{w.last_run.error.or(w.last_run.detail).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let runs = overview
        .recent_runs
        .into_iter()
        .map(|r| {
            let duration = r.duration_secs().map(|d| format!("{d:.1} s")).unwrap_or_else(|| "running".into());
            view! {
                <tr class=format!("outcome-{}", r.outcome)>
                    <td><TimeAgo at=r.started_at/></td>
                    <td>{r.worker}</td>
                    <td>{r.network.unwrap_or_else(|| "—".into())}</td>
                    <td><span class=format!("badge badge-{}", r.outcome)>{r.outcome.clone()}</span></td>
                    <td class="num">{duration}</td>
                    <td class="message">{r.error.or(r.detail).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Workers"</h2>
            <div class="table-wrap">
                <table data-testid="workers">
                    <thead><tr><th>"Worker"</th><th>"Network"</th><th>"Last run"</th><th>"Last success"</th><th class="num">"Runs (24 h)"</th><th class="num">"Failures (24 h)"</th><th>"Result"</th></tr></thead>
                    <tbody>{workers}</tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2>"Recent runs"</h2>
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"Started"</th><th>"Worker"</th><th>"Network"</th><th>"Outcome"</th><th class="num">"Took"</th><th>"Result"</th></tr></thead>
                    <tbody>{runs}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
