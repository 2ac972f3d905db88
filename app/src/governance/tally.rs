//! Judging a tally as the SDK does: quorum over the bonded stake, the threshold over the votes
//! that are not abstain, the veto over all votes.

use serde::{Deserialize, Serialize};

/// Voting power per option, one type for every unit it is counted in: `Tally<u128>` in base
/// units as the chain sends it (`/cosmos/gov/v1/proposals/{id}/tally`, or a proposal's
/// `final_tally_result`), `Tally<String>` as Postgres returns its numerics, and `Tally<f64>` in
/// display units (f64 is exact enough to draw and judge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Tally<T> {
    pub yes: T,
    pub abstain: T,
    pub no: T,
    pub no_with_veto: T,
}

impl<T> Tally<T> {
    pub fn map<U>(&self, f: impl Fn(&T) -> U) -> Tally<U> {
        Tally {
            yes: f(&self.yes),
            abstain: f(&self.abstain),
            no: f(&self.no),
            no_with_veto: f(&self.no_with_veto),
        }
    }
}

impl<T: Copy + std::iter::Sum<T>> Tally<T> {
    pub fn total(&self) -> T {
        [self.yes, self.abstain, self.no, self.no_with_veto]
            .into_iter()
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TallyRules {
    pub quorum: f64,
    pub threshold: f64,
    pub veto_threshold: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Judgement {
    /// Voted power over the bonded stake.
    pub turnout: f64,
    pub quorum_reached: bool,
    /// Yes over yes + no + no with veto.
    pub yes_share: f64,
    /// No with veto over all votes.
    pub veto_share: f64,
    /// What the tally gives if the vote ended now.
    pub passes: bool,
}

pub fn judge(tally: &Tally<f64>, bonded: f64, rules: &TallyRules) -> Judgement {
    let total = tally.total();
    let turnout = if bonded > 0.0 { total / bonded } else { 0.0 };
    let deciding = total - tally.abstain;
    let yes_share = if deciding > 0.0 {
        tally.yes / deciding
    } else {
        0.0
    };
    let veto_share = if total > 0.0 {
        tally.no_with_veto / total
    } else {
        0.0
    };
    let quorum_reached = turnout >= rules.quorum;
    Judgement {
        turnout,
        quorum_reached,
        yes_share,
        veto_share,
        passes: quorum_reached && veto_share <= rules.veto_threshold && yes_share > rules.threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUB: TallyRules = TallyRules {
        quorum: 0.4,
        threshold: 0.5,
        veto_threshold: 0.334,
    };

    #[test]
    fn proposal_848_passed_with_its_final_tally() {
        // ATOM halving (#848): final tally in ATOM, bonded ~ 260 M at the time.
        let t = Tally {
            yes: 73_165_203.9,
            abstain: 36_323_836.4,
            no: 56_667_011.8,
            no_with_veto: 11_669_549.8,
        };
        let j = judge(&t, 260_000_000.0, &HUB);
        assert!(j.quorum_reached && j.passes, "{j:?}");
        assert!((j.yes_share - 0.517).abs() < 0.001, "{}", j.yes_share);
    }

    #[test]
    fn quorum_veto_and_threshold_each_reject() {
        let low = Tally {
            yes: 10.0,
            ..Default::default()
        };
        assert!(!judge(&low, 100.0, &HUB).passes, "below quorum");
        let vetoed = Tally {
            yes: 50.0,
            no_with_veto: 40.0,
            ..Default::default()
        };
        assert!(!judge(&vetoed, 100.0, &HUB).passes, "vetoed");
        let tied = Tally {
            yes: 25.0,
            no: 25.0,
            ..Default::default()
        };
        assert!(!judge(&tied, 100.0, &HUB).passes, "threshold not passed");
        let abstain_heavy = Tally {
            yes: 3.0,
            no: 2.0,
            abstain: 40.0,
            ..Default::default()
        };
        assert!(
            judge(&abstain_heavy, 100.0, &HUB).passes,
            "abstain counts for quorum only"
        );
        assert_eq!(judge(&Tally::default(), 0.0, &HUB).turnout, 0.0);
    }
}
