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
    search::SearchBox,
    widgets::{ErrorPanel, ShareBar, StatusBadge},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

#[component]
pub fn ValidatorsPage() -> impl IntoView {
    let params = use_params_map();
    let query_map = use_query_map();
    let network = Memo::new(move |_| params.read().get("network"));
    let query = Memo::new(move |_| {
        let map = query_map.read();
        ValidatorQuery::parse_lenient(|key| map.get(key))
    });
    let data = Resource::new(
        move || (network.get(), query.get()),
        |(network, query)| list_validators(network, query),
    );
    let location = use_location();
    view! {
        <Title text="Validators · Stakeboard"/>
        <header class="page-head with-tools">
            <h1>"Validators"</h1>
            <SearchBox
                q=Signal::derive(move || query.get().q)
                keep=Signal::derive(move || {
                    let q = query.get();
                    vec![("status", q.status.as_str().to_string()), ("sort", q.sort.as_str().to_string()), ("dir", q.direction().as_str().to_string())]
                })
                href_for=Callback::new(move |text: String| href(&location.pathname.get_untracked(), &ValidatorQuery { q: text, ..query.get_untracked() }))
                placeholder="Search moniker or address"
                label="Search validators"
            />
        </header>
        <Transition fallback=|| view! { <p class="loading">"Loading validators…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(list) => view! { <ValidatorTable list query=query.get_untracked()/> }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
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
                <a class="tab" class:current=current aria-current=current.then_some("page") href=href(&path, &query.with_status(filter)) data-status=filter.as_str()>
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
                <a href=href(&path, &query.sorted_by(key)) data-sort=key.as_str()>{label}{arrow}</a>
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
            let uptime_title = v.missed_blocks.map(|m| format!("{m} blocks missed in the signing window")).unwrap_or_default();
            view! {
                <tr data-operator=v.operator_address.clone()>
                    <td class="num rank">{v.rank}</td>
                    <td class="validator">
                        <a class="row-link" href=link><bdi>{moniker}</bdi></a>
                        <span class="addr">{format::short_address(&v.operator_address)}</span>
                    </td>
                    <td><StatusBadge status=v.status/></td>
                    <td class="power">
                        <span class="amount">{power}</span>
                        <span class="share"><ShareBar share=v.voting_power_share scale/>{format::percent_or_dash(v.voting_power_share, 2)}</span>
                    </td>
                    <td class="num">{format::percent_or_dash(v.cumulative_share, 1)}</td>
                    <td class="num commission">{format::percent(v.commission_rate, 2)}</td>
                    <td class="num uptime" title=uptime_title>{format::percent_or_dash(v.uptime, 2)}</td>
                    <td class="num participation" title="Votes cast on the last recorded proposals it was bonded for">
                        {v.participation().map(|p| format!("{}/{}", p.voted, p.eligible)).unwrap_or_else(|| "—".into())}
                    </td>
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
