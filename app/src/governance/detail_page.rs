//! `/proposals/{network}/{id}`: the proposal's text (sanitised markdown), timeline, messages,
//! deposit, the tally chart (live while voting, final after) and every bonded validator's vote
//! with its history, a "not voted" filter, voter counts and a CSV of all recorded votes.

use super::{
    ballot::Ballot,
    model::{OptionCounts, ProposalDetail, RecentVotes, Recording, ValidatorVote},
    server_fns::get_proposal,
    widgets::{BallotBadge, BallotHistory, ProposalStatusBadge, TallyChart},
};
use crate::system::freshness::FreshnessNote;
use crate::ui::{clock::TimeAgo, format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};
use std::time::Duration;

/// How often an open vote's page refreshes itself.
const LIVE_REFRESH: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, PartialEq, Eq)]
enum VoteFilter {
    All,
    Voted,
    NotVoted,
}

impl VoteFilter {
    fn parse(text: Option<String>) -> Self {
        match text.as_deref() {
            Some("voted") => VoteFilter::Voted,
            Some("not_voted") => VoteFilter::NotVoted,
            _ => VoteFilter::All,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            VoteFilter::All => "all",
            VoteFilter::Voted => "voted",
            VoteFilter::NotVoted => "not_voted",
        }
    }

    fn keeps(self, v: &ValidatorVote) -> bool {
        match self {
            VoteFilter::All => true,
            VoteFilter::Voted => v.vote.is_some(),
            VoteFilter::NotVoted => v.vote.is_none(),
        }
    }
}

#[component]
pub fn ProposalPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.read();
        (
            p.get("network").unwrap_or_default(),
            p.get("id")
                .and_then(|id| id.parse::<i64>().ok())
                .unwrap_or(-1),
            query.read().get("after"),
        )
    };
    let data = Resource::new(key, |(network, id, after)| get_proposal(network, id, after));
    let filter = Memo::new(move |_| VoteFilter::parse(query.read().get("votes")));
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading proposal…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => view! { <Proposal detail filter=filter.get()/> }.into_any(),
                    Err(error) => view! { <Title text="Proposal · Stakeboard"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Proposal(detail: ProposalDetail, filter: VoteFilter) -> impl IntoView {
    let ProposalDetail {
        network,
        freshness,
        proposal: p,
        summary_html,
        messages,
        proposer,
        failed_reason,
        deposit_end_time,
        total_deposit,
        min_deposit,
        recording,
        tally,
        counts,
        validators,
        recent_votes,
    } = detail;
    // A proposal without a title of its own is already called "Proposal #N · …".
    let title = if p.title.starts_with(&format!("Proposal #{} ", p.id)) {
        p.title.clone()
    } else {
        format!("#{} {}", p.id, p.title)
    };
    let spam = (!p.spam_reasons.is_empty()).then(|| {
        view! {
            <div class="spam-warning" role="alert" data-testid="spam-warning">
                <strong>"This proposal looks like spam or phishing: "</strong>{p.spam_reasons.join("; ")}
                ". Its links are shown as text and cannot be clicked. Never connect a wallet to a site a proposal sends you to."
            </div>
        }
    });
    let live = recording == Recording::Live;
    let overdue = live && p.awaiting_tally();
    let recording_note = match recording {
        Recording::Live if overdue => "The voting period is over; the votes below are as last recorded, and the final tally follows once the chain has counted it.",
        Recording::Live => "Voting is open: the tally and the votes below update every few seconds.",
        Recording::Complete => "Final tally. The votes below were recorded while the vote was open, and stay after the chain pruned them.",
        Recording::Missed => "This vote ended before Stakeboard followed this network: the chain had already deleted its votes, so only the final tally is known.",
        Recording::NotStarted => "Voting has not started yet.",
    };
    let time = |at: Option<chrono::DateTime<chrono::Utc>>| {
        match at {
        Some(at) => view! { <span title=format::datetime(at)>{format::datetime(at)}" · "<TimeAgo at/></span> }.into_any(),
        None => view! { <span class="muted">"—"</span> }.into_any(),
    }
    };
    let coins = |list: &[crate::coin::Coin]| {
        if list.is_empty() {
            return "—".to_string();
        }
        list.iter()
            .map(|c| {
                if c.denom == network.denom {
                    format::tokens(&c.amount, network.exponent, &network.display_denom)
                } else {
                    format!("{} {}", c.amount, c.denom)
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let messages_view = if messages.is_empty() {
        view! { <p class="muted">"No messages: a text proposal."</p> }.into_any()
    } else {
        let items = messages
            .into_iter()
            .map(|m| view! { <li><code>{m.type_url.clone()}</code><br/>{m.summary.clone()}</li> })
            .collect_view();
        view! { <ul class="messages">{items}</ul> }.into_any()
    };
    let path = use_location().pathname.get_untracked();
    let not_voted_label = if live {
        "Not voted yet"
    } else {
        "Did not vote"
    };
    let voted = validators.iter().filter(|v| v.vote.is_some()).count();
    let filter_tabs = [(VoteFilter::All, "All", validators.len()), (VoteFilter::Voted, "Voted", voted), (VoteFilter::NotVoted, not_voted_label, validators.len() - voted)]
        .into_iter()
        .map(|(f, label, count)| {
            let current = f == filter;
            let href = if f == VoteFilter::All { path.clone() } else { format!("{path}?votes={}", f.as_str()) };
            view! { <a class="tab" class:current=current href=href data-votes=f.as_str() data-live="">{label}" "<span class="count">{count}</span></a> }
        })
        .collect_view();
    let denom = network.display_denom.clone();
    let rows = validators
        .into_iter()
        .filter(|v| filter.keeps(v))
        .map(|v| {
            let vote_cell = match v.vote.clone() {
                Some(vote) => view! { <BallotBadge ballot=vote.ballot.clone()/> }.into_any(),
                None => view! { <span class="vote vote-none">{not_voted_label}</span> }.into_any(),
            };
            let when = v.vote.as_ref().map(|vote| view! { <TimeAgo at=vote.changed_at/> });
            let history = v.vote.clone().map(|vote| view! { <BallotHistory vote/> });
            view! {
                <tr data-operator=v.operator_address.clone()>
                    <td class="num">{v.rank}</td>
                    <td><a href=format!("/validators/{}?network={}", v.operator_address, network.slug)><bdi>{if v.moniker.is_empty() { "(no moniker)".to_string() } else { v.moniker.clone() }}</bdi></a></td>
                    <td class="num">{format::group_thousands(v.power, 0)}" "{denom.clone()}</td>
                    <td class="vote-cell">{vote_cell}</td>
                    <td>{when}</td>
                    <td>{history}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    let validators_section = match recording {
        Recording::Missed | Recording::NotStarted => view! { <p class="muted">{recording_note}</p> }.into_any(),
        _ => view! {
            <p data-testid="voter-counts">
                <strong>{format::group_thousands(counts.voters as f64, 0)}</strong>" accounts voted: "
                {counts.validators_voted}" of "{counts.validators}" validators, and "
                {format::group_thousands(counts.others as f64, 0)}" other accounts · "
                <a href=format!("/proposals/{}/{}/votes.csv", network.slug, p.id) download="" rel="external">"Download all recorded votes (CSV)"</a>
            </p>
            <OptionCountsLine counts=counts.by_option/>
            <nav class="tabs" aria-label="Filter validators">{filter_tabs}</nav>
            <div class="table-wrap">
                <table class="validator-votes" data-testid="validator-votes">
                    <thead><tr><th class="num">"#"</th><th>"Validator"</th><th class="num">"Voting power"</th><th>"Vote"</th><th>"When"</th><th>"Changes"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any(),
    };
    view! {
        <Title text=format!("{title} · Proposals · Stakeboard")/>
        // While voting is open the browser reloads this region from the page cache; the fresh
        // page drops the mark once voting is over.
        <div id="proposal" data-live-region="" data-refresh-secs=live.then_some(LIVE_REFRESH.as_secs())>
        <nav class="crumbs"><a href=format!("/networks/{}/proposals", network.slug)>{network.name.clone()}" proposals"</a>" / "</nav>
        <header class="page-head">
            <h1 data-testid="proposal-title"><bdi>{title.clone()}</bdi></h1>
            <ProposalStatusBadge status=p.status/>
            {p.expedited.then(|| view! { <span class="badge badge-expedited">"expedited"</span> })}
        </header>
        {spam}
        {overdue.then(|| view! {
            <div class="stale-warning" role="status" data-testid="overdue-note">
                "Voting ended " {p.voting_end_time.map(|at| view! { <TimeAgo at/> })}
                ", but the chain still reports this proposal as voting: it has not counted the votes yet, or Stakeboard has not read its answer since."
            </div>
        })}
        <FreshnessNote freshness/>
        {(!failed_reason.is_empty()).then(|| view! { <div class="stale-warning">"Failed: "{failed_reason.clone()}</div> })}
        <section class="card">
            <h2>"Tally"</h2>
            <p class="muted" data-testid="recording">{recording_note}</p>
            <TallyChart tally=tally.clone() denom=network.display_denom.clone()/>
        </section>
        <div class="grid">
            <section class="card">
                <h2>"Timeline"</h2>
                <dl class="facts">
                    <div><dt>"Submitted"</dt><dd>{time(p.submit_time)}</dd></div>
                    <div><dt>"Deposit end"</dt><dd>{time(deposit_end_time)}</dd></div>
                    <div><dt>"Voting start"</dt><dd>{time(p.voting_start_time)}</dd></div>
                    <div><dt>"Voting end"</dt><dd data-testid="voting-end">{time(p.voting_end_time)}</dd></div>
                </dl>
            </section>
            <section class="card">
                <h2>"Deposit and messages"</h2>
                <dl class="facts">
                    <div><dt>"Deposit"</dt><dd>{coins(&total_deposit)}</dd></div>
                    <div><dt>"Minimum deposit"</dt><dd>{coins(&min_deposit)}</dd></div>
                    <div><dt>"Proposer"</dt><dd><code>{if proposer.is_empty() { "—".to_string() } else { proposer.clone() }}</code></dd></div>
                </dl>
                {messages_view}
            </section>
        </div>
        <section class="card">
            <h2>"Description"</h2>
            <div class="proposal-text" data-testid="proposal-text" inner_html=summary_html></div>
        </section>
        <section class="card">
            <h2>"Validators"</h2>
            {validators_section}
        </section>
        {matches!(recording, Recording::Live | Recording::Complete).then(|| view! {
            <AllVotes recent=recent_votes path=path.clone() total=counts.voters/>
        })}
        </div>
    }
    .into_any()
}

/// "Yes 60,928 · No 15,099 · …": how many accounts chose each option (not their voting power).
#[component]
fn OptionCountsLine(counts: OptionCounts) -> AnyView {
    let parts = counts
        .labelled()
        .into_iter()
        .filter(|(kind, _, n)| *n > 0 || *kind != "weighted")
        .map(|(kind, label, n)| {
            view! {
                <span class="option-count" data-option=kind>
                    <span class=format!("vote vote-{kind}")>{label}</span>" "{format::group_thousands(n as f64, 0)}
                </span>
            }
        })
        .collect_view();
    view! { <p class="option-counts" data-testid="option-counts">"Accounts per option: "{parts}</p> }
        .into_any()
}

/// Every recorded vote, newest first, a page at a time: "Older votes" follows the cursor the
/// page ends with, so a page deep in 100,000 votes is read as fast as the first.
#[component]
fn AllVotes(recent: RecentVotes, path: String, total: i64) -> AnyView {
    let RecentVotes { votes, after, next } = recent;
    let rows = votes
        .into_iter()
        .map(|v| {
            let ballot = Ballot::parse_canonical(&v.options);
            let who = match v.validator.clone() {
                Some(moniker) => view! {
                    <bdi>{if moniker.is_empty() { "(no moniker)".to_string() } else { moniker }}</bdi>
                    " "<span class="muted">"validator"</span>
                }
                .into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            };
            view! {
                <tr>
                    <td><code title=v.voter.clone()>{format::short_address(&v.voter)}</code></td>
                    <td>{who}</td>
                    <td class="vote-cell">{ballot.map(|ballot| view! { <BallotBadge ballot/> })}</td>
                    <td><TimeAgo at=v.first_seen_at/></td>
                    <td class="num">{if v.changes == 0 { "—".to_string() } else { v.changes.to_string() }}</td>
                </tr>
            }
        })
        .collect_view();
    let newest = after.is_some().then(|| {
        view! { <a class="button" href=format!("{path}#all-votes") data-live="" data-testid="newest-votes">"← Newest votes"</a> }
    });
    let older = next.map(|next| {
        view! {
            <a class="button" href=format!("{path}?after={}#all-votes", format::url_encode(&next)) data-live="" data-testid="older-votes">"Older votes →"</a>
        }
    });
    view! {
        <section class="card" id="all-votes">
            <h2>"All votes"</h2>
            <p class="muted">
                {format::group_thousands(total as f64, 0)}" accounts, newest first. Each vote is recorded when Stakeboard first sees it; a changed vote keeps its place and counts its changes."
            </p>
            <div class="table-wrap">
                <table class="all-votes" data-testid="all-votes">
                    <thead><tr><th>"Voter"</th><th>"Validator"</th><th>"Vote"</th><th>"First seen"</th><th class="num">"Changes"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Pages of votes">{newest}{older}</nav>
        </section>
    }
    .into_any()
}
