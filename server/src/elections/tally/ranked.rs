//! Instant-runoff counting of ranked ballots, each weighted by its voter's power. Each round
//! counts every ballot for its most preferred option still in the count. An option with more
//! than half of that power wins. Otherwise the option with the least power is dropped and its
//! ballots go to their next option still in the count, or are exhausted when none is left.
//! When every option left has the same power, they tie. A tie for the least power is broken
//! by the earlier rounds (the option with less power in the latest round where they differ
//! is dropped), and failing that the option listed last is dropped.

use app::elections::model::{OptionCount, Round, Transfer};
use std::collections::BTreeMap;

/// How a ranked count ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Winner(u16),
    Tie(Vec<u16>),
    /// No ballot ranked any option.
    NoVotes,
}

/// A ranked ballot: options most preferred first (each once, 1-based), and its power.
pub struct RankedBallot<'a> {
    pub ranking: &'a [u16],
    pub power: u128,
}

/// Counts `ballots` over options 1..=`options`; returns every round and the outcome.
pub fn count(options: usize, ballots: &[RankedBallot]) -> (Vec<Round>, Outcome) {
    let mut continuing = vec![true; options + 1];
    continuing[0] = false;
    // Where each ballot stands in its ranking: the index of its current option.
    let mut at: Vec<usize> = vec![0; ballots.len()];
    for (i, b) in ballots.iter().enumerate() {
        at[i] = next_continuing(b.ranking, 0, &continuing);
    }
    let total: u128 = ballots.iter().fold(0, |sum, b| sum.saturating_add(b.power));
    let mut rounds: Vec<Round> = Vec::new();
    let mut history: Vec<Vec<u128>> = Vec::new();
    loop {
        let mut totals = vec![0u128; options + 1];
        for (i, b) in ballots.iter().enumerate() {
            if let Some(&o) = b.ranking.get(at[i]) {
                totals[usize::from(o)] = totals[usize::from(o)].saturating_add(b.power);
            }
        }
        let active: u128 = totals.iter().fold(0, |sum, t| sum.saturating_add(*t));
        let left: Vec<u16> = (1..=options as u16)
            .filter(|o| continuing[usize::from(*o)])
            .collect();
        let mut round = Round {
            number: rounds.len() as u16 + 1,
            totals: sorted_totals(&left, &totals),
            exhausted: (total - active).to_string(),
            eliminated: None,
            transfers: Vec::new(),
        };
        history.push(totals.clone());
        if active == 0 {
            rounds.push(round);
            return (rounds, Outcome::NoVotes);
        }
        let top = left
            .iter()
            .copied()
            .max_by_key(|o| (totals[usize::from(*o)], std::cmp::Reverse(*o)));
        let top = top.expect("an option is left while power is active");
        if totals[usize::from(top)] > active - totals[usize::from(top)] {
            rounds.push(round);
            return (rounds, Outcome::Winner(top));
        }
        if left
            .iter()
            .all(|o| totals[usize::from(*o)] == totals[usize::from(left[0])])
        {
            rounds.push(round);
            return (rounds, Outcome::Tie(left));
        }
        let dropped = lowest(&left, &history);
        continuing[usize::from(dropped)] = false;
        let mut moved: BTreeMap<Option<u16>, u128> = BTreeMap::new();
        for (i, b) in ballots.iter().enumerate() {
            if b.ranking.get(at[i]) == Some(&dropped) {
                at[i] = next_continuing(b.ranking, at[i] + 1, &continuing);
                let to = moved.entry(b.ranking.get(at[i]).copied()).or_default();
                *to = to.saturating_add(b.power);
            }
        }
        round.eliminated = Some(dropped);
        // Options first in their order, exhausted (None) last.
        let mut transfers: Vec<Transfer> = moved
            .iter()
            .filter(|(to, _)| to.is_some())
            .map(|(to, power)| Transfer {
                from: dropped,
                to: *to,
                power: power.to_string(),
            })
            .collect();
        if let Some(power) = moved.get(&None) {
            transfers.push(Transfer {
                from: dropped,
                to: None,
                power: power.to_string(),
            });
        }
        round.transfers = transfers;
        rounds.push(round);
    }
}

fn next_continuing(ranking: &[u16], from: usize, continuing: &[bool]) -> usize {
    (from..ranking.len())
        .find(|&i| {
            continuing
                .get(usize::from(ranking[i]))
                .copied()
                .unwrap_or(false)
        })
        .unwrap_or(ranking.len())
}

/// The option to drop: the least power this round; ties broken by the latest earlier round
/// where the tied options differ, then by dropping the one listed last.
fn lowest(left: &[u16], history: &[Vec<u128>]) -> u16 {
    let mut tied: Vec<u16> = left.to_vec();
    for totals in history.iter().rev() {
        let least = tied
            .iter()
            .map(|o| totals[usize::from(*o)])
            .min()
            .unwrap_or(0);
        tied.retain(|o| totals[usize::from(*o)] == least);
        if tied.len() == 1 {
            break;
        }
    }
    *tied.iter().max().expect("at least one option is left")
}

fn sorted_totals(left: &[u16], totals: &[u128]) -> Vec<OptionCount> {
    let mut rows: Vec<(u16, u128)> = left.iter().map(|o| (*o, totals[usize::from(*o)])).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows.into_iter()
        .map(|(option, power)| OptionCount {
            option,
            power: power.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(options: usize, ballots: &[(&[u16], u128)]) -> (Vec<Round>, Outcome) {
        let ballots: Vec<RankedBallot> = ballots
            .iter()
            .map(|(r, p)| RankedBallot {
                ranking: r,
                power: *p,
            })
            .collect();
        count(options, &ballots)
    }

    fn totals(round: &Round) -> Vec<(u16, &str)> {
        round
            .totals
            .iter()
            .map(|t| (t.option, t.power.as_str()))
            .collect()
    }

    #[test]
    fn a_majority_in_the_first_round_wins_at_once() {
        let (rounds, outcome) = run(3, &[(&[1, 2], 60), (&[2], 30), (&[3, 1], 10)]);
        assert_eq!(outcome, Outcome::Winner(1));
        assert_eq!(rounds.len(), 1);
        assert_eq!(totals(&rounds[0]), vec![(1, "60"), (2, "30"), (3, "10")]);
        assert_eq!(rounds[0].eliminated, None);
    }

    #[test]
    fn transfers_decide_and_exhausted_ballots_leave_the_count() {
        // Round 1: A 40, B 35, C 25 → C out: 15 to B, 10 exhausted.
        // Round 2: A 40, B 50 of 90 active → B wins.
        let (rounds, outcome) = run(3, &[(&[1], 40), (&[2, 1], 35), (&[3, 2], 15), (&[3], 10)]);
        assert_eq!(outcome, Outcome::Winner(2));
        assert_eq!(rounds.len(), 2);
        assert_eq!(rounds[0].eliminated, Some(3));
        assert_eq!(
            rounds[0].transfers,
            vec![
                Transfer {
                    from: 3,
                    to: Some(2),
                    power: "15".into()
                },
                Transfer {
                    from: 3,
                    to: None,
                    power: "10".into()
                },
            ]
        );
        assert_eq!(totals(&rounds[1]), vec![(2, "50"), (1, "40")]);
        assert_eq!(rounds[1].exhausted, "10");
    }

    #[test]
    fn a_ballot_skips_options_already_dropped() {
        // Round 1: A 40, B 39, C 12, D 10: D out, its ballot to C. Round 2: C out.
        let (rounds, outcome) = run(
            4,
            &[(&[1], 40), (&[2], 39), (&[3, 4, 2], 12), (&[4, 3, 1], 10)],
        );
        assert_eq!(rounds[0].eliminated, Some(4));
        assert_eq!(
            rounds[0].transfers,
            vec![Transfer {
                from: 4,
                to: Some(3),
                power: "10".into()
            }]
        );
        assert_eq!(rounds[1].eliminated, Some(3));
        // C's 22: 12 skip D (dropped) to B, 10 go on to A; B ends with 51 of 101.
        assert_eq!(
            rounds[1].transfers,
            vec![
                Transfer {
                    from: 3,
                    to: Some(1),
                    power: "10".into()
                },
                Transfer {
                    from: 3,
                    to: Some(2),
                    power: "12".into()
                },
            ]
        );
        assert_eq!(outcome, Outcome::Winner(2));
    }

    #[test]
    fn ties_for_last_use_earlier_rounds_then_the_listing() {
        // Round 1: A 30, B 30, C 25, D 15: D out → 10 to C, 5 to B. Round 2: A 30, B 35, C 35:
        // A out. Round 3 decides between B and C.
        let (rounds, _) = run(
            4,
            &[
                (&[1, 2], 30),
                (&[2], 30),
                (&[3], 25),
                (&[4, 3], 10),
                (&[4, 2], 5),
            ],
        );
        assert_eq!(rounds[0].eliminated, Some(4));
        assert_eq!(rounds[1].eliminated, Some(1));
        // B and C tied at the bottom: round 1 had B 30 > C 25, so C is dropped.
        let (rounds, outcome) = run(
            3,
            &[(&[1], 50), (&[2], 20), (&[3], 20), (&[3], 5), (&[2], 5)],
        );
        assert_eq!(totals(&rounds[0]), vec![(1, "50"), (2, "25"), (3, "25")]);
        assert_eq!(
            rounds[0].eliminated,
            Some(3),
            "no earlier round: the option listed last goes"
        );
        assert_eq!(outcome, Outcome::Winner(1));
    }

    #[test]
    fn equal_options_tie_and_nothing_ranked_is_no_votes() {
        let (_, outcome) = run(2, &[(&[1], 10), (&[2], 10)]);
        assert_eq!(outcome, Outcome::Tie(vec![1, 2]));
        let (rounds, outcome) = run(2, &[]);
        assert_eq!(outcome, Outcome::NoVotes);
        assert_eq!(rounds.len(), 1);
    }
}
