//! Governance widgets: status and vote badges, the tally chart with its quorum, threshold and
//! veto lines, a ballot's history.

use super::{
    ballot::{Ballot, VoteOption},
    model::{TallyView, VoteRecord},
    status::ProposalStatus,
    tally::Tally,
};
use crate::ui::{clock::TimeAgo, format};
use leptos::prelude::*;

#[component]
pub fn ProposalStatusBadge(status: ProposalStatus) -> impl IntoView {
    view! { <span class=format!("badge badge-{}", status.slug())>{status.label()}</span> }
}

#[component]
pub fn BallotBadge(ballot: Ballot) -> impl IntoView {
    let kind = ballot.kind();
    view! { <span class=format!("vote vote-{kind}")>{ballot.label()}</span> }
}

/// "Yes (3 h ago) → No (1 h ago)": every ballot a voter cast, oldest first.
#[component]
pub fn BallotHistory(vote: VoteRecord) -> impl IntoView {
    if vote.history.len() < 2 {
        return view! { <span class="muted">"no change"</span> }.into_any();
    }
    let steps = vote
        .history
        .into_iter()
        .enumerate()
        .map(|(i, (at, ballot))| {
            view! {
                {(i > 0).then_some(" → ")}
                <span class="step">{ballot.label()}" ("<TimeAgo at/>")"</span>
            }
        })
        .collect_view();
    view! { <span class="ballot-history" data-testid="vote-history">{steps}</span> }.into_any()
}

/// A stacked bar of the tally: yes, no, no with veto, abstain.
#[component]
pub fn TallyBar(tally: Tally<f64>) -> impl IntoView {
    let total = tally.total();
    let part = |value: f64| {
        if total > 0.0 {
            value / total * 100.0
        } else {
            0.0
        }
    };
    view! {
        <span class="tally-bar" title=format!("yes {:.1}% · no {:.1}% · veto {:.1}% · abstain {:.1}%", part(tally.yes), part(tally.no), part(tally.no_with_veto), part(tally.abstain))>
            <span class="yes" style=format!("width:{:.2}%", part(tally.yes))></span>
            <span class="no" style=format!("width:{:.2}%", part(tally.no))></span>
            <span class="no_with_veto" style=format!("width:{:.2}%", part(tally.no_with_veto))></span>
            <span class="abstain" style=format!("width:{:.2}%", part(tally.abstain))></span>
        </span>
    }
}

const W: f64 = 720.0;
const BAR: f64 = 26.0;
const LEFT: f64 = 150.0;

/// One gauge: a bar filled to `value` (0..1 of its scale) with a marker line at `line`.
fn gauge(y: f64, label: &str, value: f64, line: Option<(f64, &str)>, class: &str) -> impl IntoView {
    let width = W - LEFT - 20.0;
    let fill = value.clamp(0.0, 1.0) * width;
    let marker = line.map(|(at, text)| {
        let x = LEFT + at.clamp(0.0, 1.0) * width;
        view! {
            <line class="marker" x1=x y1=y - 6.0 x2=x y2=y + BAR + 6.0></line>
            <text class="marker-label" x=x y=y - 9.0 text-anchor="middle">{text.to_string()}</text>
        }
    });
    view! {
        <text class="gauge-label" x=LEFT - 10.0 y=y + BAR * 0.68 text-anchor="end">{label.to_string()}</text>
        <rect class="track" x=LEFT y=y width=width height=BAR rx="4"></rect>
        <rect class=format!("fill {class}") x=LEFT y=y width=fill height=BAR rx="4"></rect>
        {value_label(y, fill, width, value)}
        {marker}
    }
}

/// The gauge's figure: after the fill, or inside it when the fill reaches the end of the track.
fn value_label(y: f64, fill: f64, width: f64, value: f64) -> impl IntoView {
    let text = format::percent(value, 1);
    if fill > width - 60.0 {
        view! { <text class="gauge-value inside" x=LEFT + fill - 6.0 y=y + BAR * 0.68 text-anchor="end">{text}</text> }
    } else {
        view! { <text class="gauge-value" x=LEFT + fill.max(0.0) + 6.0 y=y + BAR * 0.68 text-anchor="start">{text}</text> }
    }
}

/// The tally against what decides it: turnout against the quorum (over the bonded stake at the
/// end, or now while voting), yes against the threshold (over yes, no and veto), veto against
/// its threshold (over all votes).
#[component]
pub fn TallyChart(tally: TallyView, denom: String) -> impl IntoView {
    let TallyView {
        figures,
        bonded,
        rules,
        judgement,
        live,
        ..
    } = tally;
    let total = figures.total();
    let legend = [
        (VoteOption::Yes, figures.yes),
        (VoteOption::No, figures.no),
        (VoteOption::NoWithVeto, figures.no_with_veto),
        (VoteOption::Abstain, figures.abstain),
    ]
    .into_iter()
    .map(|(option, amount)| {
        let share = if total > 0.0 { amount / total } else { 0.0 };
        view! {
            <li class=format!("vote-{}", option.as_str())>
                <span class="swatch"></span>
                <strong>{option.label()}</strong>" "{format::percent(share, 2)}
                <span class="muted">" · "{format::group_thousands(amount, 0)}" "{denom.clone()}</span>
            </li>
        }
    })
    .collect_view();
    let verdict = judgement.map(|j| {
        let (class, text) = match (live, j.passes) {
            (true, true) => ("passing", "Passing if it ended now"),
            (true, false) => ("failing", "Failing if it ended now"),
            (false, true) => ("passing", "The tally passes"),
            (false, false) => ("failing", "The tally does not pass"),
        };
        view! { <p class=format!("verdict {class}") data-testid="verdict">{text}</p> }
    });
    let gauges = match (judgement, rules) {
        (Some(j), Some(r)) => view! {
            <svg class="tally-chart" viewBox=format!("0 0 {W} 170") role="img" aria-label="Turnout against quorum, yes against threshold, veto against veto threshold">
                {gauge(20.0, "Turnout", j.turnout, Some((r.quorum, &format!("quorum {}", format::percent(r.quorum, 1)))), "turnout")}
                {gauge(75.0, "Yes", j.yes_share, Some((r.threshold, &format!("threshold {}", format::percent(r.threshold, 1)))), "yes")}
                {gauge(130.0, "No with veto", j.veto_share, Some((r.veto_threshold, &format!("veto {}", format::percent(r.veto_threshold, 1)))), "no_with_veto")}
            </svg>
        }
        .into_any(),
        _ => view! { <p class="muted">"The quorum and thresholds are not known yet (the chain's gov parameters have not been read)."</p> }.into_any(),
    };
    let bonded_note = bonded.map(|b| {
        let when = if live {
            "bonded now"
        } else {
            "bonded when the voting ended"
        };
        format!(
            "{} {denom} voted of {} {denom} {when}",
            format::group_thousands(total, 0),
            format::group_thousands(b, 0)
        )
    });
    view! {
        <div class="tally" data-testid="tally" data-voted=format!("{total:.0}")>
            <TallyBar tally=figures/>
            <ul class="legend">{legend}</ul>
            {gauges}
            {bonded_note.map(|n| view! { <p class="muted small">{n}</p> })}
            {verdict}
        </div>
    }
}
