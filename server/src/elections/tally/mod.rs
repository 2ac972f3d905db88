//! Counting an election: each voter's last valid ballot, weighted by the power the snapshot
//! gives it (with delegations inherited from a delegator's validator when the delegator did
//! not vote, as x/gov tallies), capped when the election has a cap, under its ballot method;
//! then its quorum and threshold. Pure: the worker, the live tally and the offline verifier
//! call the same function.

pub mod ranked;

use app::elections::{
    choice::{parse_weight, Choice, WEIGHT_ONE},
    model::{BallotMethod, BasisPoints, ElectionResults, OptionCount, Verdict},
};
use std::collections::HashMap;

/// One row of the power snapshot: `power` base units held by `address`; with `delegate`, the
/// power is delegated stake that follows the delegate's ballot when `address` casts none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub address: String,
    pub delegate: Option<String>,
    pub power: u128,
}

/// The rules a count applies.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub method: BallotMethod,
    pub options: usize,
    /// Share of the eligible power that must take part (abstentions count).
    pub quorum: BasisPoints,
    /// The leading option must have more than this share of the power that chose.
    pub threshold: Option<BasisPoints>,
    /// No voter counts for more than this share of the eligible power.
    pub cap: Option<BasisPoints>,
}

/// Counts `ballots` (each voter's last valid choice) against `snapshot` under `rules`;
/// `total_ballots` is every ballot received, superseded ones included (reported only).
pub fn count(
    rules: &Rules,
    snapshot: &[Holding],
    ballots: &HashMap<String, Choice>,
    total_ballots: u64,
) -> ElectionResults {
    // Saturating: a bundle's snapshot is anyone's input, and a count never panics.
    let eligible: u128 = snapshot
        .iter()
        .fold(0, |sum, h| sum.saturating_add(h.power));
    let mut power: HashMap<&str, u128> = HashMap::new();
    for holding in snapshot {
        let caster = if ballots.contains_key(&holding.address) {
            Some(holding.address.as_str())
        } else {
            holding
                .delegate
                .as_deref()
                .filter(|d| ballots.contains_key(*d))
        };
        if let Some(caster) = caster {
            let p = power.entry(caster).or_default();
            *p = p.saturating_add(holding.power);
        }
    }
    let cap = rules.cap.map(|c| c.of(eligible));
    let mut capped_voters = 0;
    let mut options = vec![0u128; rules.options + 1];
    let (mut participating, mut abstain) = (0u128, 0u128);
    let mut ranked: Vec<(&[u16], u128)> = Vec::new();
    // Voters in a fixed order, so the sums (and any rounding) never depend on a hash seed.
    let mut casters: Vec<(&str, u128)> = power.into_iter().collect();
    casters.sort_unstable();
    for (voter, mut p) in casters {
        if let Some(cap) = cap.filter(|c| p > *c) {
            p = cap;
            capped_voters += 1;
        }
        participating = participating.saturating_add(p);
        match &ballots[voter] {
            Choice::Abstain => abstain = abstain.saturating_add(p),
            Choice::Options(list) => match rules.method {
                BallotMethod::Single | BallotMethod::Approval => {
                    for o in list {
                        options[usize::from(*o)] = options[usize::from(*o)].saturating_add(p);
                    }
                }
                BallotMethod::Ranked => {
                    options[usize::from(list[0])] = options[usize::from(list[0])].saturating_add(p);
                    ranked.push((list, p));
                }
                BallotMethod::Weighted => {}
            },
            Choice::Weights(parts) => {
                for part in parts {
                    let w = parse_weight(&part.weight).unwrap_or(0);
                    let o = usize::from(part.option);
                    options[o] = options[o].saturating_add(share(p, w));
                }
            }
        }
    }
    let quorum_reached = eligible > 0 && at_least(participating, rules.quorum, eligible);
    let chose = participating - abstain;
    let mut rounds = Vec::new();
    let verdict = if !quorum_reached {
        Verdict::NoQuorum
    } else if chose == 0 {
        Verdict::NoVotes
    } else if rules.method == BallotMethod::Ranked {
        let ballots: Vec<ranked::RankedBallot> = ranked
            .iter()
            .map(|(ranking, power)| ranked::RankedBallot {
                ranking,
                power: *power,
            })
            .collect();
        let (all, outcome) = ranked::count(rules.options, &ballots);
        rounds = all;
        match outcome {
            ranked::Outcome::Winner(option) => Verdict::Winner { option },
            ranked::Outcome::Tie(options) => Verdict::Tie { options },
            ranked::Outcome::NoVotes => Verdict::NoVotes,
        }
    } else {
        lead(&options, chose, rules.threshold)
    };
    ElectionResults {
        eligible_power: eligible.to_string(),
        participating_power: participating.to_string(),
        abstain_power: abstain.to_string(),
        turnout: if eligible == 0 {
            0.0
        } else {
            participating as f64 / eligible as f64
        },
        quorum_reached,
        options: (1..=rules.options)
            .map(|o| OptionCount {
                option: o as u16,
                power: options[o].to_string(),
            })
            .collect(),
        rounds,
        verdict,
        counted_ballots: ballots.len() as u64,
        total_ballots,
        capped_voters,
    }
}

/// The leading option, if it is alone in the lead and has more than `threshold` of `chose`.
fn lead(options: &[u128], chose: u128, threshold: Option<BasisPoints>) -> Verdict {
    let best = options.iter().copied().max().unwrap_or(0);
    let leaders: Vec<u16> = (1..options.len())
        .filter(|o| options[*o] == best)
        .map(|o| o as u16)
        .collect();
    if best == 0 {
        return Verdict::NoVotes;
    }
    if leaders.len() > 1 {
        return Verdict::Tie { options: leaders };
    }
    let option = leaders[0];
    match threshold {
        Some(t) if !more_than(best, t, chose) => Verdict::BelowThreshold { option },
        _ => Verdict::Winner { option },
    }
}

/// `part` × 10,000 and `whole` × `share`: the two sides of an exact share comparison (`None`
/// past u128, where the share is taken of `whole` rounded down instead).
fn sides(part: u128, share: BasisPoints, whole: u128) -> (u128, u128) {
    match (
        part.checked_mul(10_000),
        whole.checked_mul(u128::from(share.0)),
    ) {
        (Some(p), Some(w)) => (p, w),
        _ => (part, share.of(whole)),
    }
}

/// Whether `part` is at least `share` of `whole`.
fn at_least(part: u128, share: BasisPoints, whole: u128) -> bool {
    let (p, w) = sides(part, share, whole);
    p >= w
}

/// Whether `part` is more than `share` of `whole`.
fn more_than(part: u128, share: BasisPoints, whole: u128) -> bool {
    let (p, w) = sides(part, share, whole);
    p > w
}

/// `power` × `weight` (fixed point, 18 decimals), rounded down, without overflow.
fn share(power: u128, weight: u128) -> u128 {
    power / WEIGHT_ONE * weight + power % WEIGHT_ONE * weight / WEIGHT_ONE
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::elections::choice::Weight;

    fn holding(address: &str, power: u128) -> Holding {
        Holding {
            address: address.into(),
            delegate: None,
            power,
        }
    }

    fn rules(method: BallotMethod, options: usize) -> Rules {
        Rules {
            method,
            options,
            quorum: BasisPoints(0),
            threshold: None,
            cap: None,
        }
    }

    fn ballots(list: &[(&str, Choice)]) -> HashMap<String, Choice> {
        list.iter()
            .map(|(v, c)| (v.to_string(), c.clone()))
            .collect()
    }

    fn powers(results: &ElectionResults) -> Vec<&str> {
        results.options.iter().map(|o| o.power.as_str()).collect()
    }

    #[test]
    fn single_choice_counts_power_and_abstentions_count_only_for_quorum() {
        let snapshot = [
            holding("a", 50),
            holding("b", 30),
            holding("c", 15),
            holding("d", 5),
        ];
        let cast = ballots(&[
            ("a", Choice::Options(vec![1])),
            ("b", Choice::Options(vec![2])),
            ("c", Choice::Abstain),
        ]);
        let mut r = rules(BallotMethod::Single, 2);
        r.quorum = BasisPoints(9500);
        let results = count(&r, &snapshot, &cast, 4);
        assert_eq!(powers(&results), vec!["50", "30"]);
        assert_eq!(
            (
                results.participating_power.as_str(),
                results.abstain_power.as_str()
            ),
            ("95", "15")
        );
        assert!(results.quorum_reached, "95 of 100 is exactly the quorum");
        assert_eq!(results.verdict, Verdict::Winner { option: 1 });
        assert_eq!((results.counted_ballots, results.total_ballots), (3, 4));
        r.quorum = BasisPoints(9501);
        assert_eq!(count(&r, &snapshot, &cast, 4).verdict, Verdict::NoQuorum);
    }

    #[test]
    fn the_threshold_is_a_share_of_the_power_that_chose() {
        let snapshot = [holding("a", 50), holding("b", 30), holding("c", 20)];
        let cast = ballots(&[
            ("a", Choice::Options(vec![1])),
            ("b", Choice::Options(vec![2])),
            ("c", Choice::Abstain),
        ]);
        let mut r = rules(BallotMethod::Single, 2);
        r.threshold = Some(BasisPoints(6250)); // 50 of 80 chose = 62.5 %: not more than
        assert_eq!(
            count(&r, &snapshot, &cast, 3).verdict,
            Verdict::BelowThreshold { option: 1 }
        );
        r.threshold = Some(BasisPoints(6249));
        assert_eq!(
            count(&r, &snapshot, &cast, 3).verdict,
            Verdict::Winner { option: 1 }
        );
        let only_abstain = ballots(&[("c", Choice::Abstain)]);
        assert_eq!(
            count(&r, &snapshot, &only_abstain, 1).verdict,
            Verdict::NoVotes
        );
    }

    #[test]
    fn approval_gives_each_approved_option_the_whole_power_and_ties_are_reported() {
        let snapshot = [holding("a", 40), holding("b", 40), holding("c", 20)];
        let cast = ballots(&[
            ("a", Choice::Options(vec![1, 2])),
            ("b", Choice::Options(vec![2, 3])),
            ("c", Choice::Options(vec![1])),
        ]);
        let results = count(&rules(BallotMethod::Approval, 3), &snapshot, &cast, 3);
        assert_eq!(powers(&results), vec!["60", "80", "40"]);
        assert_eq!(results.verdict, Verdict::Winner { option: 2 });
        let tie = ballots(&[
            ("a", Choice::Options(vec![1])),
            ("b", Choice::Options(vec![2])),
        ]);
        assert_eq!(
            count(&rules(BallotMethod::Approval, 3), &snapshot, &tie, 2).verdict,
            Verdict::Tie {
                options: vec![1, 2]
            }
        );
    }

    #[test]
    fn weighted_ballots_split_power_exactly() {
        let snapshot = [holding("a", 1_000_000_000_000_000_000_000), holding("b", 3)];
        let w = |o: u16, w: &str| Weight {
            option: o,
            weight: w.into(),
        };
        let cast = ballots(&[
            ("a", Choice::Weights(vec![w(1, "0.6"), w(2, "0.4")])),
            ("b", Choice::Weights(vec![w(1, "0.5"), w(2, "0.5")])),
        ]);
        let results = count(&rules(BallotMethod::Weighted, 2), &snapshot, &cast, 2);
        // b's 3 splits 1.5/1.5, rounded down to 1 each.
        assert_eq!(
            powers(&results),
            vec!["600000000000000000001", "400000000000000000001"]
        );
    }

    #[test]
    fn delegators_inherit_their_validators_ballot_unless_they_vote() {
        let stake = |d: &str, v: &str, p| Holding {
            address: d.into(),
            delegate: Some(v.into()),
            power: p,
        };
        let snapshot = [
            stake("val", "val", 10),
            stake("alice", "val", 50),
            stake("bob", "val", 30),
            stake("bob", "other", 5),
            stake("carol", "other", 5),
        ];
        let cast = ballots(&[
            ("val", Choice::Options(vec![1])),
            ("bob", Choice::Options(vec![2])),
        ]);
        let results = count(&rules(BallotMethod::Single, 2), &snapshot, &cast, 2);
        // val: itself 10 + alice 50; bob: both delegations 35; carol's validator did not vote.
        assert_eq!(powers(&results), vec!["60", "35"]);
        assert_eq!(results.participating_power, "95");
        assert_eq!(results.eligible_power, "100");
    }

    #[test]
    fn a_cap_limits_each_voters_power() {
        let snapshot = [holding("whale", 70), holding("a", 20), holding("b", 10)];
        let cast = ballots(&[
            ("whale", Choice::Options(vec![1])),
            ("a", Choice::Options(vec![2])),
            ("b", Choice::Options(vec![2])),
        ]);
        let mut r = rules(BallotMethod::Single, 2);
        r.cap = Some(BasisPoints(2500));
        let results = count(&r, &snapshot, &cast, 3);
        assert_eq!(powers(&results), vec!["25", "30"]);
        assert_eq!(results.capped_voters, 1);
        assert_eq!(results.verdict, Verdict::Winner { option: 2 });
    }

    #[test]
    fn ranked_choice_reports_first_preferences_and_every_round() {
        let snapshot = [holding("a", 40), holding("b", 35), holding("c", 25)];
        let cast = ballots(&[
            ("a", Choice::Options(vec![1])),
            ("b", Choice::Options(vec![2, 1])),
            ("c", Choice::Options(vec![3, 2])),
        ]);
        let results = count(&rules(BallotMethod::Ranked, 3), &snapshot, &cast, 3);
        assert_eq!(powers(&results), vec!["40", "35", "25"]);
        assert_eq!(results.rounds.len(), 2);
        assert_eq!(results.verdict, Verdict::Winner { option: 2 });
    }

    #[test]
    fn nobody_eligible_is_no_quorum() {
        let results = count(&rules(BallotMethod::Single, 2), &[], &HashMap::new(), 0);
        assert_eq!(results.verdict, Verdict::NoQuorum);
        assert_eq!(results.turnout, 0.0);
    }
}
