//! `/elections`: open elections with their countdowns, upcoming ones, then past ones a page at
//! a time; tabs per network.

use super::{
    server_fns::list_elections,
    views::{ElectionList, ElectionSummary},
    widgets::StateBadge,
};
use crate::ui::{clock::TimeAgo, format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ElectionsPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (q.get("network"), q.get("after"))
    };
    let data = Resource::new(key, |(network, after)| list_elections(network, after));
    view! {
        <Title text="Elections · Stakeboard"/>
        <header class="page-head">
            <h1>"Elections"</h1>
        </header>
        <p class="subtitle">
            "Voting events run by this portal's operators: every ballot is signed by the voter's own key, "
            "every count can be checked, and every election can be recounted offline from its bundle."
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Loading elections…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <div id="elections" data-live-region=""><Lists list/></div> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Lists(list: ElectionList) -> impl IntoView {
    let here = |network: &Option<String>| match network {
        Some(n) => format!("/elections?network={n}"),
        None => "/elections".to_string(),
    };
    let tabs = (list.networks.len() > 1).then(|| {
        let current = list.network.clone();
        let mut links = vec![(None, "All networks".to_string())];
        links.extend(
            list.networks
                .iter()
                .map(|n| (Some(n.slug.clone()), n.name.clone())),
        );
        view! {
            <nav class="tabs" aria-label="Networks">
                {links.into_iter().map(|(slug, name)| {
                    let class = if slug == current { "tab current" } else { "tab" };
                    view! { <a class=class href=here(&slug) data-live="">{name}</a> }
                }).collect_view()}
            </nav>
        }
    });
    let older = list.next.clone().map(|next| {
        let base = here(&list.network);
        let sep = if base.contains('?') { '&' } else { '?' };
        view! { <nav class="pager"><a class="button" href=format!("{base}{sep}after={next}#past") data-live="" data-testid="older-elections">"Older elections →"</a></nav> }
    });
    let empty = list.open.is_empty() && list.upcoming.is_empty() && list.past.is_empty();
    view! {
        {tabs}
        {empty.then(|| view! {
            <section class="notice-panel"><h2>"No elections yet"</h2>
            <p>"When an admin schedules one, it appears here with its countdown."</p></section>
        })}
        <Section title="Open now" rows=list.open empty="No election is open right now." testid="open-elections"/>
        <Section title="Upcoming" rows=list.upcoming empty="Nothing is scheduled." testid="upcoming-elections"/>
        <div id="past">
            <Section title="Past" rows=list.past empty="No election has ended yet." testid="past-elections"/>
        </div>
        {older}
    }
}

#[component]
fn Section(
    title: &'static str,
    rows: Vec<ElectionSummary>,
    empty: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let body = if rows.is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table class="elections" data-testid=testid>
                    <thead><tr><th>"Election"</th><th>"Network"</th><th>"State"</th><th>"Voting"</th><th class="num">"Ballots"</th><th class="num">"Turnout"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|e| view! { <Row e/> }).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { <section class="card"><h2>{title}</h2>{body}</section> }
}

#[component]
fn Row(e: ElectionSummary) -> impl IntoView {
    view! {
        <tr>
            <td><a href=format!("/elections/{}", e.id)><bdi>{e.title.clone()}</bdi></a>
                <br/><small class="muted">{e.method.label()}" · #"{e.id}</small></td>
            <td>{e.network_name.clone()}</td>
            <td><StateBadge state=e.state/></td>
            <td><small>{format::datetime(e.voting_start)}" → "{format::datetime(e.voting_end)}</small>
                <br/><small class="muted">{match e.state {
                    super::model::ElectionState::Open => view! { "ends " <TimeAgo at=e.voting_end/> }.into_any(),
                    super::model::ElectionState::Scheduled | super::model::ElectionState::Preparing => view! { "opens " <TimeAgo at=e.voting_start/> }.into_any(),
                    _ => view! { "ended " <TimeAgo at=e.voting_end/> }.into_any(),
                }}</small></td>
            <td class="num">{format::group_thousands(e.ballots as f64, 0)}</td>
            <td class="num">{format::percent_or_dash(e.turnout, 1)}</td>
        </tr>
    }
}
