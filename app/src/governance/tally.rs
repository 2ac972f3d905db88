//! Judging a tally as the SDK does: quorum over the bonded stake, the threshold over the votes
//! that are not abstain, the veto over all votes.

use serde::{Deserialize, Serialize};

/// Voting power per option, in display units (f64 is exact enough to draw and judge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TallyFigures {
    pub yes: f64,
    pub abstain: f64,
    pub no: f64,
    pub no_with_veto: f64,
}

impl TallyFigures {
    pub fn total(&self) -> f64 {
        self.yes + self.abstain + self.no + self.no_with_veto
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TallyRules {
    pub quorum: f64,
    pub threshold: f64,
    pub veto_threshold: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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

pub fn judge(tally: &TallyFigures, bonded: f64, rules: &TallyRules) -> Judgement {
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
        let t = TallyFigures {
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
        let low = TallyFigures {
            yes: 10.0,
            ..Default::default()
        };
        assert!(!judge(&low, 100.0, &HUB).passes, "below quorum");
        let vetoed = TallyFigures {
            yes: 50.0,
            no_with_veto: 40.0,
            ..Default::default()
        };
        assert!(!judge(&vetoed, 100.0, &HUB).passes, "vetoed");
        let tied = TallyFigures {
            yes: 25.0,
            no: 25.0,
            ..Default::default()
        };
        assert!(!judge(&tied, 100.0, &HUB).passes, "threshold not passed");
        let abstain_heavy = TallyFigures {
            yes: 3.0,
            no: 2.0,
            abstain: 40.0,
            ..Default::default()
        };
        assert!(
            judge(&abstain_heavy, 100.0, &HUB).passes,
            "abstain counts for quorum only"
        );
        assert_eq!(judge(&TallyFigures::default(), 0.0, &HUB).turnout, 0.0);
    }
}
