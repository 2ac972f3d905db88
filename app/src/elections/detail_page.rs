//! `/elections/{id}`: the question and options, the method in one line, the countdown, the
//! eligible power, the live tally (when public) or the results with every round, what makes
//! the count checkable, and the ballot form while voting is open.

use super::{
    ballot_form::BallotForm,
    model::ElectionState,
    server_fns::get_election,
    views::ElectionDetail,
    widgets::{power_text, ResultsView, StateBadge},
};
use crate::ui::{clock::TimeAgo, copy::CopyButton, format, widgets::ErrorPanel};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Seconds between refreshes of a page whose election is not over.
const REFRESH_SECS: u64 = 5;

#[component]
pub fn ElectionPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    };
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_election(id).await,
            None => Err(crate::error::AppError::NotFound(
                "There is no such election.".into(),
            )),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading election…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(election) => view! { <Election election/> }.into_any(),
                    Err(error) => view! { <Title text="Election · Stakeboard"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Election(election: ElectionDetail) -> AnyView {
    let e = election;
    let live = !e.state.is_final();
    let voting = e.accepts_ballots();
    let vote = voting.then(|| {
        view! {
            <section class="card" id="vote">
                <h2>"Vote"</h2>
                <BallotForm
                    election=e.id
                    plan_hash=e.commitments.plan_hash.clone().unwrap_or_default()
                    chain_id=e.network.chain_id.clone()
                    method=e.rules.method
                    options=e.options.clone()
                />
                <details class="sign-elsewhere">
                    <summary>"Sign without a browser wallet"</summary>
                    <p>"With the key file of your account (its mnemonic, or its private key in hex):"</p>
                    <pre><code>{format!(
                        "stakeboard ballot sign --url {{this site}} --election {} --choice {} --key-file KEY > ballot.json\ncurl -X POST -H 'Content-Type: application/json' --data @ballot.json {{this site}}/api/v1/elections/{}/ballots",
                        e.id,
                        match e.rules.method {
                            super::model::BallotMethod::Single => "2",
                            super::model::BallotMethod::Approval => "1,3",
                            super::model::BallotMethod::Weighted => "1:0.6,2:0.4",
                            super::model::BallotMethod::Ranked => "2>1>3",
                        },
                        e.id
                    )}</code></pre>
                    <p class="muted">"Any ADR-036 signer works (Keplr's and Leap's "<code>"signArbitrary"</code>"): sign the canonical JSON "
                        <code>"{\"choice\":…,\"election\":"{e.id}",\"nonce\":…,\"plan_hash\":\""{e.commitments.plan_hash.clone().unwrap_or_default()}"\",\"signed_at\":…}"</code>
                        " and send "<code>"{data, pub_key, signature, signer}"</code>"."</p>
                </details>
            </section>
        }
    });
    view! {
        <Title text=format!("{} · Election · Stakeboard", e.title)/>
        // Refreshed until the election is over; the ballot form below stays as the voter left it.
        <div id="election" data-live-region="" data-refresh-secs=live.then_some(REFRESH_SECS)>
            <header class="page-head">
                <h1><bdi>{e.title.clone()}</bdi></h1>
                <StateBadge state=e.state/>
            </header>
            <p class="subtitle">
                "Election #"{e.id}" on "{e.network.name.clone()}" · "
                {match e.state {
                    ElectionState::Scheduled | ElectionState::Preparing => view! { "voting opens " <TimeAgo at=e.voting_start/> }.into_any(),
                    ElectionState::Open => view! { "voting ends " <TimeAgo at=e.voting_end/> }.into_any(),
                    ElectionState::Tallying => view! { "voting ended " <TimeAgo at=e.voting_end/> "; counting" }.into_any(),
                    ElectionState::Closed => view! { "closed; voting ended " <TimeAgo at=e.voting_end/> }.into_any(),
                    ElectionState::Cancelled => view! { "cancelled" }.into_any(),
                    ElectionState::Failed => view! { "failed: " {e.failure.clone().unwrap_or_default()} }.into_any(),
                }}
                " · " {format::datetime(e.voting_start)} " → " {format::datetime(e.voting_end)}
            </p>
            {match e.state {
                ElectionState::Scheduled | ElectionState::Preparing => Some(view! {
                    <p class="notice-panel">"Voting has not opened yet. This page follows the election; once it opens, the ballot form is on the reloaded page."</p>
                }.into_any()),
                ElectionState::Open if voting => Some(view! {
                    <p class="notice-panel open-notice">"Voting is open. "<a href=format!("/elections/{}#vote", e.id)>"Cast or change your ballot"</a>
                        " until "{format::datetime(e.voting_end)}"; only your last ballot counts."</p>
                }.into_any()),
                _ => None,
            }}
            <Question e=e.clone()/>
            <TallyCard e=e.clone()/>
        </div>
        {vote}
        <ReceiptCheck id=e.id/>
        <Commitments e/>
    }
    .into_any()
}

#[component]
fn Question(e: ElectionDetail) -> impl IntoView {
    let rules = &e.rules;
    view! {
        <section class="card">
            <h2><bdi>{e.question.clone()}</bdi></h2>
            <ol class="election-options" data-testid="options">
                {e.options.iter().map(|o| view! { <li><bdi>{o.clone()}</bdi></li> }).collect_view()}
            </ol>
            <dl class="facts">
                <div><dt>"Ballot"</dt><dd>{rules.method.label()}": "{rules.method.explain()}</dd></div>
                <div><dt>"Voting power"</dt><dd>{rules.power_source.label()}
                    {rules.snapshot_height.map(|h| format!(", at block {}", format::group_digits(&h.to_string())))}</dd></div>
                <div><dt>"Quorum"</dt><dd>{rules.quorum.percent()}" of the eligible power must take part (abstaining counts)"</dd></div>
                {rules.threshold.map(|t| view! { <div><dt>"To pass"</dt><dd>"the leading option needs more than "{t.percent()}" of the power that chose an option"</dd></div> })}
                {rules.cap.map(|c| view! { <div><dt>"Cap"</dt><dd>"no voter counts for more than "{c.percent()}" of the eligible power"</dd></div> })}
                {e.commitments.eligible_power.clone().map(|p| view! {
                    <div><dt>"Eligible"</dt><dd data-testid="eligible">{power_text(&p, rules.power_source, &e.network)}
                        {e.commitments.eligible_voters.map(|v| format!(" across {} voters", format::group_thousands(v as f64, 0)))}</dd></div>
                })}
            </dl>
            {(!e.description_html.is_empty()).then(|| view! { <div class="proposal-text" inner_html=e.description_html.clone()></div> })}
        </section>
    }
}

#[component]
fn TallyCard(e: ElectionDetail) -> impl IntoView {
    let body = match e.tally.clone() {
        Some(results) => view! {
            <ResultsView results options=e.options.clone() source=e.rules.power_source network=e.network.clone()
                quorum=e.rules.quorum.fraction() is_final=e.tally_final/>
            {e.tally_at.map(|at| view! { <p class="muted">{if e.tally_final { "Counted " } else { "Live tally, updated " }}<TimeAgo at/></p> })}
        }
        .into_any(),
        None if e.state == ElectionState::Open => view! {
            <p class="muted">{if e.rules.live_tally_public { "The first tally appears a few seconds after the first ballot." } else { "The tally stays secret until voting ends." }}</p>
        }
        .into_any(),
        None => view! { <p class="muted">"Counting starts when voting ends."</p> }.into_any(),
    };
    view! {
        <section class="card" id="tally">
            <h2>{if e.tally_final { "Results" } else { "Tally" }}</h2>
            <p class="muted" data-testid="ballots-received">{super::widgets::count(e.commitments.ballots.max(0) as u64, "ballot", "ballots")}" received"</p>
            {body}
        </section>
    }
}

#[component]
fn ReceiptCheck(id: i64) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Check a ballot"</h2>
            <p>"Every ballot gets a receipt: its hash and its place in the ledger. Enter the hash to see that it was recorded, "
               "whether a later ballot replaced it, and once the election closes the proof that it was counted."</p>
            <form method="get" action=format!("/elections/{id}/receipt") class="search receipt-form">
                <input type="text" name="hash" placeholder="ballot hash (64 hex digits)" aria-label="Ballot hash" required="" pattern="[0-9a-f]{64}"/>
                <button type="submit">"Check"</button>
            </form>
        </section>
    }
}

#[component]
fn Commitments(e: ElectionDetail) -> impl IntoView {
    let c = e.commitments;
    let row = |label: &'static str, value: Option<String>, testid: &'static str| {
        value.map(|v| view! { <div><dt>{label}</dt><dd><code class="hash" data-testid=testid>{v.clone()}</code><CopyButton text=v/></dd></div> })
    };
    view! {
        <section class="card">
            <h2>"Check the count yourself"</h2>
            <dl class="facts">
                {row("Plan hash", c.plan_hash.clone(), "plan-hash")}
                {row("Snapshot root", c.snapshot_root.clone(), "snapshot-root")}
                {row("Ledger head", c.chain_head.clone(), "chain-head")}
                {row("Counted ballots root", c.ballots_root.clone(), "ballots-root")}
            </dl>
            <p>"Every ballot signs the plan hash. The snapshot and the counted ballots are RFC 6962 Merkle trees; the ledger chains every ballot to the one before. "
               {if e.state == ElectionState::Closed {
                   view! { "Download the " <a href=format!("/api/v1/elections/{}/bundle", e.id) rel="external" download="" data-testid="bundle-link">"bundle"</a>
                     " (plan, snapshot, every ballot, results) and recount it offline: " <code>"stakeboard election verify bundle.tar.gz"</code>"." }.into_any()
               } else {
                   view! { "When the election closes, its bundle (plan, snapshot, every ballot, results) can be downloaded and recounted offline." }.into_any()
               }}
               " The same data as JSON: " <a href=format!("/api/v1/elections/{}", e.id) rel="external">{format!("/api/v1/elections/{}", e.id)}</a>"."</p>
        </section>
    }
}
