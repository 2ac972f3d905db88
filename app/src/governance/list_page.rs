//! `/proposals` and `/networks/{network}/proposals`: every proposal, with status tabs, search,
//! the voting-end countdown, turnout and tally bars, result badges and spam warnings.

use super::{
    model::ProposalList,
    query::{ProposalQuery, ProposalTab},
    server_fns::list_proposals,
    status::ProposalStatus,
    widgets::{ProposalStatusBadge, TallyBar},
};
use crate::system::freshness::FreshnessNote;
use crate::ui::{
    clock::TimeAgo,
    format,
    search::{kept_params, SearchBox},
    widgets::ErrorPanel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

fn href(path: &str, query: &ProposalQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

/// The id of the part of the page a search or a tab replaces in place.
const RESULTS: &str = "proposals-results";

#[component]
pub fn ProposalsPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let query_map = use_query_map();
    let network = params.read_untracked().get("network");
    let query = {
        let map = query_map.read_untracked();
        ProposalQuery::parse_lenient(|key| map.get(key))
    };
    let keep = kept_params(
        &ProposalQuery {
            q: String::new(),
            ..query.clone()
        }
        .to_query_string(),
    );
    let (q, shown) = (query.q.clone(), query.clone());
    let data = Resource::new(
        move || (network.clone(), query.clone()),
        |(network, query)| list_proposals(network, query),
    );
    view! {
        <Title text="Proposals · Stakeboard"/>
        <header class="page-head with-tools">
            <h1>"Proposals"</h1>
            <SearchBox
                q
                keep
                region=RESULTS.to_string()
                placeholder="Search title or #number".to_string()
                label="Search proposals".to_string()
            />
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading proposals…"</p> }>
            {move || {
                let shown = shown.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! {
                            <div id=RESULTS data-live-region=""><ProposalTable list query=shown.clone()/></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ProposalTable(list: ProposalList, query: ProposalQuery) -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let network = list.network.clone();
    let network_tabs = (list.networks.len() > 1).then(|| {
        list.networks
            .iter()
            .map(|n| {
                let current = n.slug == network.slug;
                view! { <a class="tab" class:current=current href=format!("/networks/{}/proposals", n.slug)>{n.name.clone()}</a> }
            })
            .collect_view()
    });
    let tabs = ProposalTab::ALL
        .into_iter()
        .map(|tab| {
            let current = tab == query.tab;
            let target = ProposalQuery { tab, ..query.clone() };
            view! {
                <a class="tab" class:current=current aria-current=current.then_some("page") href=href(&path, &target) data-status=tab.as_str() data-live="">
                    {tab.label()} <span class="count">{tab.count(&list.counts)}</span>
                </a>
            }
        })
        .collect_view();
    let empty = list
        .proposals
        .is_empty()
        .then(|| view! { <tr><td colspan="6" class="empty">"No proposal here."</td></tr> });
    let rows = list
        .proposals
        .into_iter()
        .map(|p| {
            let href = format!("/proposals/{}/{}", network.slug, p.id);
            let spam = (!p.spam_reasons.is_empty()).then(|| {
                view! { <span class="badge badge-spam" title=p.spam_reasons.join("; ")>"⚠ likely spam"</span> }
            });
            let when = match (p.status, p.voting_end_time, p.submit_time) {
                (ProposalStatus::VotingPeriod, Some(end), _) if p.awaiting_tally() => view! {
                    <span>"ended "<TimeAgo at=end/><small class="muted" data-testid="awaiting-tally">" · awaiting the tally"</small></span>
                }
                .into_any(),
                (ProposalStatus::VotingPeriod, Some(end), _) => {
                    view! { <span>"ends "<TimeAgo at=end/></span> }.into_any()
                }
                (ProposalStatus::DepositPeriod, _, Some(submitted)) => view! { <span>"submitted "<TimeAgo at=submitted/></span> }.into_any(),
                (_, Some(end), _) => view! { <span title=format::datetime(end)>{format::date(end)}</span> }.into_any(),
                _ => view! { <span class="muted">"—"</span> }.into_any(),
            };
            let turnout = p.turnout.map(|t| {
                view! { <span class="bar" aria-hidden="true"><span style=format!("width:{:.1}%", (t * 100.0).min(100.0))></span></span>" "{format::percent(t, 1)} }
            });
            let show_tally = p.tally.total() > 0.0;
            view! {
                <tr data-proposal=p.id>
                    <td class="num">"#"{p.id}</td>
                    <td class="title">
                        <a class="row-link" href=href><bdi>{p.title.clone()}</bdi></a>
                        {p.expedited.then(|| view! { <span class="badge badge-expedited">"expedited"</span> })}
                        {spam}
                    </td>
                    <td><ProposalStatusBadge status=p.status/></td>
                    <td class="when">{when}</td>
                    <td class="turnout">{turnout.map(|t| t.into_any()).unwrap_or_else(|| "—".into_any())}</td>
                    <td class="tally-cell">{show_tally.then(|| view! { <TallyBar tally=p.tally/> })}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <p class="subtitle"><strong>{network.name.clone()}</strong>" · "{network.chain_id.clone()}</p>
        <FreshnessNote freshness=list.freshness/>
        {network_tabs.map(|tabs| view! { <nav class="tabs networks" aria-label="Networks">{tabs}</nav> })}
        <nav class="tabs" aria-label="Status">{tabs}</nav>
        <div class="table-wrap">
            <table class="proposals" data-testid="proposals-table">
                <thead>
                    <tr>
                        <th scope="col" class="num">"#"</th>
                        <th scope="col">"Proposal"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Voting end"</th>
                        <th scope="col">"Turnout"</th>
                        <th scope="col">"Tally"</th>
                    </tr>
                </thead>
                <tbody>{rows}{empty}</tbody>
            </table>
        </div>
        <p class="table-foot">{list.total}" proposals shown"</p>
    }
    .into_any()
}
