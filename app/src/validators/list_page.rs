//! `/validators` and `/networks/{network}/validators`: the validator table. The URL holds the
//! search, filter and sort, so the page works as plain links and forms without JavaScript and
//! updates in place once hydrated.

use super::{
    detail_href,
    model::ValidatorList,
    query::{SortDir, SortKey, StatusFilter, ValidatorQuery},
    server_fns::list_validators,
};
use crate::system::freshness::FreshnessNote;
use crate::ui::{
    format,
    search::{kept_params, SearchBox},
    widgets::{ErrorPanel, ShareBar, StatusBadge},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

/// The id of the part of the page a search, a tab or a sort replaces in place.
const RESULTS: &str = "validators-results";

#[component]
pub fn ValidatorsPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let query_map = use_query_map();
    let network = params.read_untracked().get("network");
    let query = {
        let map = query_map.read_untracked();
        ValidatorQuery::parse_lenient(|key| map.get(key))
    };
    let keep = kept_params(
        &ValidatorQuery {
            q: String::new(),
            ..query.clone()
        }
        .to_query_string(),
    );
    let (q, shown) = (query.q.clone(), query.clone());
    let data = Resource::new(
        move || (network.clone(), query.clone()),
        |(network, query)| list_validators(network, query),
    );
    view! {
        <Title text="Validators · Stakeboard"/>
        <header class="page-head with-tools">
            <h1>"Validators"</h1>
            <SearchBox
                q
                keep
                region=RESULTS.to_string()
                placeholder="Search moniker or address".to_string()
                label="Search validators".to_string()
            />
        </header>
        <Suspense fallback=|| view! { <p class="loading">"Loading validators…"</p> }>
            {move || {
                let shown = shown.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! {
                            <div id=RESULTS data-live-region=""><ValidatorTable list query=shown.clone()/></div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

fn href(path: &str, query: &ValidatorQuery) -> String {
    let qs = query.to_query_string();
    if qs.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{qs}")
    }
}

#[component]
fn ValidatorTable(list: ValidatorList, query: ValidatorQuery) -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    let network = list.network.clone();
    let several = list.networks.len() > 1;
    let scale = list.max_share;
    let shown = match list.total {
        1 => "1 validator shown".to_string(),
        n => format!("{n} validators shown"),
    };
    let network_tabs = several.then(|| {
        list.networks
            .iter()
            .map(|n| {
                let current = n.slug == network.slug;
                view! {
                    <a class="tab" class:current=current aria-current=current.then_some("page") href=format!("/networks/{}/validators", n.slug)>
                        {n.name.clone()}
                    </a>
                }
            })
            .collect_view()
    });
    let status_tabs = StatusFilter::ALL
        .into_iter()
        .map(|filter| {
            let count = match filter {
                StatusFilter::Active => list.counts.active,
                StatusFilter::Inactive => list.counts.inactive,
                StatusFilter::Jailed => list.counts.jailed,
                StatusFilter::All => list.counts.all,
            };
            let current = filter == query.status;
            view! {
                <a class="tab" class:current=current aria-current=current.then_some("page") href=href(&path, &query.with_status(filter)) data-status=filter.as_str() data-live="">
                    {filter.label()} <span class="count">{count}</span>
                </a>
            }
        })
        .collect_view();
    let header = |key: SortKey, label: &'static str, class: &'static str| {
        let active = query.sort == key;
        let dir = query.direction();
        let aria = match (active, dir) {
            (false, _) => "none",
            (true, SortDir::Asc) => "ascending",
            (true, SortDir::Desc) => "descending",
        };
        let arrow = match (active, dir) {
            (false, _) => "",
            (true, SortDir::Asc) => " ▲",
            (true, SortDir::Desc) => " ▼",
        };
        view! {
            <th class=class aria-sort=aria scope="col">
                <a href=href(&path, &query.sorted_by(key)) data-sort=key.as_str() data-live="">{label}{arrow}</a>
            </th>
        }
    };
    let summary = list.figures.as_ref().map(|f| {
        let ratio = f
            .bonded_ratio()
            .map(|r| format!(" · bonded ratio {}", format::percent(r, 1)))
            .unwrap_or_default();
        format!(
            "{} active of {} · {} bonded{}",
            f.validators_active,
            f.validators_total,
            format::tokens(&f.bonded_tokens, network.exponent, &network.display_denom),
            ratio
        )
    });
    let empty = list.validators.is_empty().then(|| {
        let message = if query.q.is_empty() {
            "No validator in this list.".to_string()
        } else {
            format!("No validator matches “{}”.", query.q)
        };
        view! { <tr><td colspan="8" class="empty">{message}</td></tr> }
    });
    let rows = list
        .validators
        .into_iter()
        .map(|v| {
            let link = detail_href(&v.operator_address, &network.slug, several);
            let moniker = if v.moniker.is_empty() { "(no moniker)".to_string() } else { v.moniker.clone() };
            let power = format::tokens(&v.tokens, network.exponent, &network.display_denom);
            let uptime_title = v.missed_blocks.map(|m| format!("{m} missed"));
            // Lean markup: 180 to 547 of these rows make the page, so classes and titles live
            // on the table and its headers (style/main.css styles the columns).
            view! {
                <tr>
                    <td>{v.rank}</td>
                    <td><a href=link><bdi>{moniker}</bdi></a><small>{format::short_address(&v.operator_address)}</small></td>
                    <td><StatusBadge status=v.status/></td>
                    <td>{power}<small><ShareBar share=v.voting_power_share scale/>{format::percent_or_dash(v.voting_power_share, 2)}</small></td>
                    <td>{format::percent_or_dash(v.cumulative_share, 1)}</td>
                    <td class="commission">{format::percent(v.commission_rate, 2)}</td>
                    <td title=uptime_title>{format::percent_or_dash(v.uptime, 2)}</td>
                    <td>{v.participation().map(|p| format!("{}/{}", p.voted, p.eligible)).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <p class="subtitle">
            <strong>{network.name.clone()}</strong>" · "{network.chain_id.clone()}
            {summary.map(|s| view! { " · " <span data-testid="set-summary">{s}</span> })}
        </p>
        <FreshnessNote freshness=list.freshness/>
        {network_tabs.map(|tabs| view! { <nav class="tabs networks" aria-label="Networks">{tabs}</nav> })}
        <nav class="tabs" aria-label="Status">{status_tabs}</nav>
        <div class="table-wrap">
            <table class="validators" data-testid="validators-table">
                <thead>
                    <tr>
                        {header(SortKey::Rank, "#", "num")}
                        {header(SortKey::Moniker, "Validator", "")}
                        <th scope="col">"Status"</th>
                        {header(SortKey::VotingPower, "Voting power", "")}
                        <th scope="col" class="num" title="Share of the bonded stake held by this validator and all above it">"Cumulative"</th>
                        {header(SortKey::Commission, "Commission", "num")}
                        {header(SortKey::Uptime, "Uptime", "num")}
                        <th scope="col" class="num" title="Votes cast on the last 10 recorded proposals it was bonded for">"Governance"</th>
                    </tr>
                </thead>
                <tbody>{rows}{empty}</tbody>
            </table>
        </div>
        <p class="table-foot">{shown}</p>
    }
    .into_any()
}
