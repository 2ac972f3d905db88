//! `/validators/{operator}`: a validator's profile, addresses, commission, voting power, uptime
//! and its voting power over the recorded history.

use super::{model::ValidatorProfile, server_fns::get_validator};
use crate::governance::{
    model::{GovernanceRecord, Participation},
    widgets::{BallotBadge, BallotHistory, ProposalStatusBadge},
};
use crate::system::freshness::FreshnessNote;
use crate::ui::{
    chart::StepChart,
    clock::TimeAgo,
    copy::CopyButton,
    format,
    widgets::{ErrorPanel, StatusBadge},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ValidatorPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::state::share_page();
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let q = query.read();
        (
            params.read().get("operator").unwrap_or_default(),
            q.get("network"),
            q.get("changes_after"),
            q.get("votes_after"),
        )
    };
    let data = Resource::new(key, |(operator, network, changes_after, votes_after)| {
        get_validator(operator, network, changes_after, votes_after)
    });
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading validator…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(profile) => {
                        let (changes_after, votes_after) = query.with_untracked(|q| (q.get("changes_after"), q.get("votes_after")));
                        view! { <Profile profile changes_after votes_after/> }.into_any()
                    }
                    Err(error) => view! { <Title text="Validator · Stakeboard"/><ErrorPanel error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Profile(
    profile: ValidatorProfile,
    changes_after: Option<String>,
    votes_after: Option<String>,
) -> impl IntoView {
    let ValidatorProfile {
        network,
        also_on,
        figures,
        freshness,
        validator: v,
        history,
        changes,
        governance,
    } = profile;
    let network_slug = network.slug.clone();
    let s = v.summary.clone();
    let moniker = if s.moniker.is_empty() {
        "(no moniker)".to_string()
    } else {
        s.moniker.clone()
    };
    let denom = network.display_denom.clone();
    let exponent = network.exponent;
    let website = format::safe_website(&v.website).map(|url| {
        view! { <a href=url.clone() rel="nofollow noopener noreferrer" target="_blank">{v.website.clone()}</a> }
    });
    let bonded_of = figures
        .as_ref()
        .map(|f| format!(" of {} active", f.validators_active))
        .unwrap_or_default();
    let window = figures.as_ref().map(|f| f.signed_blocks_window);
    let points: Vec<_> = history
        .iter()
        .map(|h| (h.recorded_at, format::display_amount(&h.tokens, exponent)))
        .collect();
    let chart_end = freshness
        .collected_at
        .unwrap_or(v.last_seen_at)
        .max(points.last().map(|p| p.0).unwrap_or(v.last_seen_at));
    // Links to the next page of one list keep the network and the other list where they are.
    let here = format!(
        "/validators/{}?network={}",
        s.operator_address, network.slug
    );
    let page_link = {
        let here = here.clone();
        let (changes_at, votes_at) = (changes_after.clone(), votes_after.clone());
        move |list: &str, at: Option<&str>, anchor: &str| {
            let mut href = here.clone();
            let keep = |name: &str, value: &Option<String>| {
                value
                    .as_ref()
                    .map(|v| format!("&{name}={}", format::url_encode(v)))
                    .unwrap_or_default()
            };
            match list {
                "changes_after" => href.push_str(&keep("votes_after", &votes_at)),
                _ => href.push_str(&keep("changes_after", &changes_at)),
            }
            if let Some(at) = at {
                href.push_str(&format!("&{list}={}", format::url_encode(at)));
            }
            format!("{href}#{anchor}")
        }
    };
    let changes_pager = {
        let newest = changes_after
            .is_some()
            .then(|| view! { <a class="button" href=page_link("changes_after", None, "changes") data-live="" data-testid="newest-changes">"← Newest changes"</a> });
        let older = changes.next.as_deref().map(|next| {
            view! { <a class="button" href=page_link("changes_after", Some(next), "changes") data-live="" data-testid="older-changes">"Older changes →"</a> }
        });
        view! { <nav class="pager" aria-label="Pages of changes">{newest}{older}</nav> }
    };
    let votes_pager = {
        let newest = votes_after
            .is_some()
            .then(|| view! { <a class="button" href=page_link("votes_after", None, "governance") data-live="" data-testid="newest-record">"← Latest proposals"</a> });
        let older = governance.next.as_deref().map(|next| {
            view! { <a class="button" href=page_link("votes_after", Some(next), "governance") data-live="" data-testid="older-record">"Older proposals →"</a> }
        });
        view! { <nav class="pager" aria-label="Pages of the governance record">{newest}{older}</nav> }
    };
    let changes = changes
        .changes
        .iter()
        .map(|h| {
            view! {
                <tr>
                    <td><TimeAgo at=h.recorded_at/></td>
                    <td class="num">{format::tokens(&h.tokens, exponent, &denom)}</td>
                    <td>{h.status.clone()}{h.jailed.then_some(" (jailed)")}</td>
                    <td class="num">{format::percent(h.commission_rate, 2)}</td>
                    <td class="num">{h.missed_blocks.map(|m| m.to_string()).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let also = (!also_on.is_empty()).then(|| {
        let links = also_on
            .into_iter()
            .map(|n| view! { <a href=format!("/validators/{}?network={}", s.operator_address, n.slug)>{n.name}</a>" " })
            .collect_view();
        view! { <p class="also-on">"Also on: "{links}</p> }
    });
    let uptime_detail = match (s.missed_blocks, window) {
        (Some(missed), Some(window)) => format!(
            "{missed} of the last {} blocks missed",
            format::group_thousands(window as f64, 0)
        ),
        _ => "no signing record while not bonded".to_string(),
    };
    view! {
        <Title text=format!("{moniker} · Validators · Stakeboard")/>
        <nav class="crumbs"><a href=format!("/networks/{}/validators", network.slug)>{network.name.clone()}" validators"</a>" / "</nav>
        <header class="page-head profile-head">
            <h1 data-testid="moniker"><bdi>{moniker}</bdi></h1>
            <StatusBadge status=s.status/>
            <span class="rank">"Rank #"{s.rank}{bonded_of}</span>
        </header>
        <FreshnessNote freshness/>
        {v.removed_at.map(|at| view! { <div class="stale-warning" role="status">"This validator is no longer listed by the chain (since " <TimeAgo at/> ")."</div> })}
        {also}
        <div class="grid">
            <section class="card">
                <h2>"Profile"</h2>
                <dl class="facts">
                    <div><dt>"Website"</dt><dd>{website.map(|w| w.into_any()).unwrap_or_else(|| view! { <span class="muted">{if v.website.is_empty() { "—".to_string() } else { v.website.clone() }}</span> }.into_any())}</dd></div>
                    <div><dt>"Identity"</dt><dd>{if v.identity.is_empty() { "—".to_string() } else { v.identity.clone() }}</dd></div>
                    <div><dt>"Security contact"</dt><dd>{if v.security_contact.is_empty() { "—".to_string() } else { v.security_contact.clone() }}</dd></div>
                </dl>
                <p class="details">{if v.details.is_empty() { "No description.".to_string() } else { v.details.clone() }}</p>
            </section>
            <section class="card">
                <h2>"Voting power"</h2>
                <dl class="facts">
                    <div><dt>"Bonded"</dt><dd data-testid="tokens">{format::tokens(&s.tokens, exponent, &network.display_denom)}</dd></div>
                    <div><dt>"Share of bonded stake"</dt><dd>{format::percent_or_dash(s.voting_power_share, 3)}</dd></div>
                    <div><dt>"Cumulative share"</dt><dd>{format::percent_or_dash(s.cumulative_share, 2)}</dd></div>
                    <div><dt>"Uptime"</dt><dd>{format::percent_or_dash(s.uptime, 2)}<small class="muted">{uptime_detail}</small></dd></div>
                    <div><dt>"Min self-delegation"</dt><dd>{v.min_self_delegation.clone().map(|m| format::tokens(&m, exponent, &network.display_denom)).unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
            </section>
            <section class="card">
                <h2>"Commission"</h2>
                <dl class="facts">
                    <div><dt>"Rate"</dt><dd data-testid="commission">{format::percent(s.commission_rate, 2)}</dd></div>
                    <div><dt>"Maximum rate"</dt><dd>{format::percent(v.commission_max_rate, 2)}</dd></div>
                    <div><dt>"Maximum change per day"</dt><dd>{format::percent(v.commission_max_change_rate, 2)}</dd></div>
                    <div><dt>"Last changed"</dt><dd>{v.commission_updated_at.map(format::datetime).unwrap_or_else(|| "—".into())}</dd></div>
                </dl>
            </section>
            <section class="card">
                <h2>"Status"</h2>
                <dl class="facts">
                    <div><dt>"Bond status"</dt><dd>{v.bond_status.trim_start_matches("BOND_STATUS_").to_lowercase()}</dd></div>
                    <div><dt>"Jailed"</dt><dd>{if v.jailed { v.jailed_until.map(|t| format!("yes, until {}", format::datetime(t))).unwrap_or_else(|| "yes".into()) } else { "no".to_string() }}</dd></div>
                    <div><dt>"Tombstoned"</dt><dd>{if v.tombstoned { "yes" } else { "no" }}</dd></div>
                    <div><dt>"Unbonding"</dt><dd>{v.unbonding_time.filter(|_| s.status != super::model::ValidatorStatus::Active).map(|t| format!("since height {}, completes {}", v.unbonding_height.unwrap_or_default(), format::datetime(t))).unwrap_or_else(|| "—".into())}</dd></div>
                    <div><dt>"First seen here"</dt><dd><TimeAgo at=v.first_seen_at/></dd></div>
                </dl>
            </section>
        </div>
        <section class="card addresses">
            <h2>"Addresses"</h2>
            <dl class="facts wide">
                <div><dt>"Operator"</dt><dd><code data-testid="operator-address">{s.operator_address.clone()}</code><CopyButton text=s.operator_address.clone()/></dd></div>
                <div><dt>"Account"</dt><dd><code>{s.account_address.clone()}</code><CopyButton text=s.account_address.clone()/></dd></div>
                {match (s.consensus_address.clone(), v.consensus_key_type.clone()) {
                    (Some(c), _) => Some(view! { <div><dt>"Consensus"</dt><dd><code>{c.clone()}</code><CopyButton text=c/></dd></div> }.into_any()),
                    (None, Some(kind)) => {
                        let why = if super::model::KNOWN_KEY_TYPES.contains(&kind.as_str()) {
                            "the key could not be read (wrong size or encoding)"
                        } else {
                            "unknown key type"
                        };
                        Some(view! {
                            <div><dt>"Consensus"</dt><dd class="muted" data-testid="unknown-key-type">{why}" "<code>{kind}</code>": no consensus address, so no signing record"</dd></div>
                        }.into_any())
                    }
                    (None, None) => None,
                }}
                {v.consensus_pubkey.clone().map(|k| view! { <div><dt>"Consensus key"</dt><dd><code>{k.clone()}</code><CopyButton text=k/>{v.consensus_key_type.clone().map(|t| view! { <small class="muted">" "{t.rsplit('.').nth(1).unwrap_or_default().to_string()}</small> })}</dd></div> })}
            </dl>
        </section>
        <GovernanceSection record=governance network=network_slug pager=votes_pager.into_any()/>
        <section class="card" id="changes">
            <h2>"Voting power over time"</h2>
            <StepChart points end=chart_end label="Voting power".to_string() unit=network.display_denom.clone()/>
            <h3>"Recorded changes"</h3>
            <table class="changes" data-testid="changes">
                <thead><tr><th>"Recorded"</th><th class="num">"Bonded"</th><th>"Status"</th><th class="num">"Commission"</th><th class="num">"Missed blocks"</th></tr></thead>
                <tbody>{changes}</tbody>
            </table>
            {changes_pager}
        </section>
    }
    .into_any()
}

/// The validator's votes on the proposals Stakeboard recorded, with each change, and how often it
/// voted on the proposals it was bonded for at their end.
#[component]
fn GovernanceSection(record: GovernanceRecord, network: String, pager: AnyView) -> impl IntoView {
    let rate = |p: Participation| match p.rate() {
        Some(r) => format!("{} ({} of {})", format::percent(r, 0), p.voted, p.eligible),
        None => "—".to_string(),
    };
    let rows = record
        .votes
        .into_iter()
        .map(|v| {
            let voting = v.status.is_voting();
            let vote_cell = match v.vote.clone() {
                Some(vote) => view! { <BallotBadge ballot=vote.ballot.clone()/> }.into_any(),
                None if voting => view! { <span class="vote vote-none">"Not voted yet"</span> }.into_any(),
                None => view! { <span class="vote vote-none">"Did not vote"</span> }.into_any(),
            };
            let when = v.vote.as_ref().map(|vote| view! { <TimeAgo at=vote.changed_at/> });
            let history = v.vote.clone().map(|vote| view! { <BallotHistory vote/> });
            view! {
                <tr data-proposal=v.proposal_id>
                    <td class="num">"#"{v.proposal_id}</td>
                    <td><a href=format!("/proposals/{network}/{}", v.proposal_id)><bdi>{v.title.clone()}</bdi></a></td>
                    <td><ProposalStatusBadge status=v.status/></td>
                    <td class="vote-cell">{vote_cell}</td>
                    <td>{when}</td>
                    <td>{history}</td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <section class="card" id="governance" data-testid="governance-record">
            <h2>"Governance record"</h2>
            <dl class="stats participation">
                <div><dt>"Last 10"</dt><dd>{rate(record.last_10)}</dd></div>
                <div><dt>"Last 50"</dt><dd>{rate(record.last_50)}</dd></div>
                <div><dt>"All recorded"</dt><dd>{rate(record.all)}</dd></div>
            </dl>
            <p class="muted small">"Participation counts the proposals this validator was bonded for when their voting ended. Votes exist on chain only while a proposal is open, so Stakeboard knows the votes it recorded live."</p>
            <div class="table-wrap">
                <table class="changes">
                    <thead><tr><th class="num">"#"</th><th>"Proposal"</th><th>"Status"</th><th>"Vote"</th><th>"When"</th><th>"Changes"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {pager}
        </section>
    }
    .into_any()
}
