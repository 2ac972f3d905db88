//! Pieces of the election pages: the state badge, voting power in the right unit, and the
//! results (bars per option, the verdict, and every round of a ranked-choice count).

use super::model::{parse_power, ElectionResults, ElectionState, PowerSource, Round, Verdict};
use crate::{networks::model::NetworkInfo, ui::format};
use leptos::prelude::*;

/// "1 voter", "2 voters".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        format::group_thousands(n as f64, 0),
        if n == 1 { one } else { many }
    )
}

#[component]
pub fn StateBadge(state: ElectionState) -> impl IntoView {
    view! { <span class=format!("badge election-{}", state.as_str()) data-testid="election-state">{state.label()}</span> }
}

/// Voting power for people: tokens in the network's display denom for the chain's own power,
/// whole weights for an allowlist.
pub fn power_text(power: &str, source: PowerSource, network: &NetworkInfo) -> String {
    match source {
        PowerSource::Allowlist => format!("{} weight", format::group_digits(power)),
        _ => format::tokens(power, network.exponent, &network.display_denom),
    }
}

fn verdict_text(verdict: &Verdict, options: &[String]) -> (String, &'static str) {
    let name = |o: &u16| {
        options
            .get(usize::from(*o).wrapping_sub(1))
            .map(|l| format!("{o}. {l}"))
            .unwrap_or_else(|| format!("option {o}"))
    };
    match verdict {
        Verdict::Winner { option } => (format!("Winner: {}", name(option)), "passing"),
        Verdict::BelowThreshold { option } => (
            format!(
                "No option passed: {} leads but does not reach the threshold",
                name(option)
            ),
            "failing",
        ),
        Verdict::Tie { options: tied } => (
            format!(
                "Tie between {}",
                tied.iter().map(name).collect::<Vec<_>>().join(" and ")
            ),
            "failing",
        ),
        Verdict::NoQuorum => (
            "No quorum: too little voting power took part".into(),
            "failing",
        ),
        Verdict::NoVotes => ("No votes for any option".into(), "failing"),
    }
}

/// The count: turnout against the quorum, a bar per option, the verdict, and the rounds.
#[component]
pub fn ResultsView(
    results: ElectionResults,
    options: Vec<String>,
    source: PowerSource,
    network: NetworkInfo,
    quorum: f64,
    is_final: bool,
) -> impl IntoView {
    let power = move |p: &str| power_text(p, source, &network);
    let max = results
        .options
        .iter()
        .map(|o| parse_power(&o.power))
        .fold(0.0, f64::max);
    let bars = results
        .options
        .iter()
        .map(|o| {
            let label = options.get(usize::from(o.option).wrapping_sub(1)).cloned().unwrap_or_default();
            let share = results.share(&o.power);
            let width = if max > 0.0 { parse_power(&o.power) / max * 100.0 } else { 0.0 };
            view! {
                <li data-option=o.option>
                    <span class="result-label">{o.option}". "<bdi>{label}</bdi></span>
                    <span class="result-bar"><span style=format!("width:{width:.1}%")></span></span>
                    <span class="result-figure">{power(&o.power)}" · "{format::percent(share, 1)}</span>
                </li>
            }
        })
        .collect_view();
    let (verdict, class) = verdict_text(&results.verdict, &options);
    let rounds = (!results.rounds.is_empty())
        .then(|| rounds_table(results.rounds.clone(), options.clone(), power.clone()));
    let turnout_width = (results.turnout * 100.0).clamp(0.0, 100.0);
    view! {
        <div class="results" data-testid="results">
            <p>
                "Turnout " <strong data-testid="turnout">{format::percent(results.turnout, 2)}</strong>
                " of the eligible power (quorum " {format::percent(quorum, 2)} ", "
                {if results.quorum_reached { "reached" } else { "not reached" }} "); "
                {power(&results.abstain_power)} " abstained; "
                {count(results.counted_ballots, "voter", "voters")} " counted of "
                {count(results.total_ballots, "ballot", "ballots")} " received"
                {(results.capped_voters > 0).then(|| format!("; {} capped", count(results.capped_voters, "voter", "voters")))} "."
            </p>
            <span class="turnout-bar" title="Turnout"><span style=format!("width:{turnout_width:.1}%")></span>
                <i style=format!("left:{:.1}%", (quorum * 100.0).clamp(0.0, 100.0)) title="Quorum"></i></span>
            <ul class="result-bars">{bars}</ul>
            <p class=format!("verdict {class}") data-testid="verdict">
                {if is_final { "" } else { "If voting ended now: " }}{verdict}
            </p>
            {rounds}
        </div>
    }
}

/// Every round of an instant-runoff count: each option's power, who was dropped and where its
/// ballots went.
fn rounds_table(
    rounds: Vec<Round>,
    options: Vec<String>,
    power: impl Fn(&str) -> String,
) -> impl IntoView {
    let name = move |o: u16| {
        options
            .get(usize::from(o).wrapping_sub(1))
            .map(|l| format!("{o}. {l}"))
            .unwrap_or_else(|| format!("option {o}"))
    };
    let rows = rounds
        .into_iter()
        .map(|r| {
            let totals = r
                .totals
                .iter()
                .map(|t| format!("{}: {}", name(t.option), power(&t.power)))
                .collect::<Vec<_>>()
                .join(" · ");
            let dropped = r.eliminated.map(|o| {
                let moves = r
                    .transfers
                    .iter()
                    .map(|t| match t.to {
                        Some(to) => format!("{} to {}", power(&t.power), name(to)),
                        None => format!("{} exhausted", power(&t.power)),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                format!(
                    "{} dropped{}",
                    name(o),
                    if moves.is_empty() {
                        String::new()
                    } else {
                        format!(": {moves}")
                    }
                )
            });
            view! {
                <tr>
                    <td class="num">{r.number}</td>
                    <td>{totals}</td>
                    <td class="num">{power(&r.exhausted)}</td>
                    <td>{dropped.unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>"Rounds"</h3>
        <div class="table-wrap">
            <table class="rounds" data-testid="rounds">
                <thead><tr><th class="num">"Round"</th><th>"Power per option"</th><th class="num">"Exhausted"</th><th>"Dropped, and where its ballots went"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
