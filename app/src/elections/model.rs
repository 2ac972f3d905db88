//! The types of an election that the pages, the JSON API, the worker and the offline verifier
//! share: its state, ballot method, voting-power source, the shares its rules are written in,
//! and its results.

use serde::{Deserialize, Serialize};

/// Where an election is in its lifecycle. Every change is a committed row change first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ElectionState {
    /// Created; waits for its start (less the preparation offset).
    Scheduled,
    /// Its power snapshot and plan ("block 0") are being built, or are built and wait for the start.
    Preparing,
    /// Taking ballots until its end.
    Open,
    /// Ended; its ballots are being counted.
    Tallying,
    /// Counted, results published and archived.
    Closed,
    /// Called off by an admin before it closed.
    Cancelled,
    /// Stopped with a reason (a snapshot that cannot be taken...).
    Failed,
}

impl ElectionState {
    pub const ALL: [ElectionState; 7] = [
        ElectionState::Scheduled,
        ElectionState::Preparing,
        ElectionState::Open,
        ElectionState::Tallying,
        ElectionState::Closed,
        ElectionState::Cancelled,
        ElectionState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ElectionState::Scheduled => "scheduled",
            ElectionState::Preparing => "preparing",
            ElectionState::Open => "open",
            ElectionState::Tallying => "tallying",
            ElectionState::Closed => "closed",
            ElectionState::Cancelled => "cancelled",
            ElectionState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            ElectionState::Scheduled => "Scheduled",
            ElectionState::Preparing => "Preparing",
            ElectionState::Open => "Open",
            ElectionState::Tallying => "Counting",
            ElectionState::Closed => "Closed",
            ElectionState::Cancelled => "Cancelled",
            ElectionState::Failed => "Failed",
        }
    }

    /// Before it opens, every field may still change (the plan is built again).
    pub fn is_editable(self) -> bool {
        matches!(self, ElectionState::Scheduled | ElectionState::Preparing)
    }

    /// Cancelled, failed or closed: nothing moves any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ElectionState::Closed | ElectionState::Cancelled | ElectionState::Failed
        )
    }
}

/// How a ballot chooses among the options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BallotMethod {
    /// One option.
    Single,
    /// Any set of options; each chosen option gets the voter's whole power.
    Approval,
    /// The voter's power split across options, weights summing to 1 (as x/gov weighted votes).
    Weighted,
    /// Options in order of preference, counted by instant runoff.
    Ranked,
}

impl BallotMethod {
    pub const ALL: [BallotMethod; 4] = [
        BallotMethod::Single,
        BallotMethod::Approval,
        BallotMethod::Weighted,
        BallotMethod::Ranked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BallotMethod::Single => "single",
            BallotMethod::Approval => "approval",
            BallotMethod::Weighted => "weighted",
            BallotMethod::Ranked => "ranked",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            BallotMethod::Single => "Single choice",
            BallotMethod::Approval => "Approval",
            BallotMethod::Weighted => "Weighted split",
            BallotMethod::Ranked => "Ranked choice",
        }
    }

    /// The method in one line, as the election page explains it.
    pub fn explain(self) -> &'static str {
        match self {
            BallotMethod::Single => "Pick one option; your whole voting power goes to it.",
            BallotMethod::Approval => {
                "Approve any number of options; each one you approve gets your whole voting power."
            }
            BallotMethod::Weighted => {
                "Split your voting power across options; the shares must add up to 100%."
            }
            BallotMethod::Ranked => {
                "Rank the options; the last one is dropped each round and its ballots go to their next choice until one option has a majority."
            }
        }
    }

    /// Whether a pass threshold applies (ranked choice always ends in a majority).
    pub fn has_threshold(self) -> bool {
        !matches!(self, BallotMethod::Ranked)
    }
}

/// Where the voting power of an election comes from; snapshotted when it is prepared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PowerSource {
    /// Each bonded validator's voting power from the collected set; the voter is the
    /// validator's account address.
    Validators,
    /// Every delegation of every bonded validator at a pinned height; a delegator who does not
    /// vote inherits its validator's ballot, as x/gov tallies.
    Stake,
    /// An uploaded `address,weight` list.
    Allowlist,
}

impl PowerSource {
    pub const ALL: [PowerSource; 3] = [
        PowerSource::Validators,
        PowerSource::Stake,
        PowerSource::Allowlist,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PowerSource::Validators => "validators",
            PowerSource::Stake => "stake",
            PowerSource::Allowlist => "allowlist",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            PowerSource::Validators => "Validators' voting power",
            PowerSource::Stake => "Bonded stake (delegators inherit their validator's ballot)",
            PowerSource::Allowlist => "Allowlist (uploaded addresses and weights)",
        }
    }
}

/// A share written in basis points: 3,340 is 33.4 %. Quorums, thresholds and caps are kept in
/// these so every count is integer arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BasisPoints(pub u32);

impl BasisPoints {
    pub const WHOLE: BasisPoints = BasisPoints(10_000);

    /// Reads a percentage as people type it ("33.4", "33,4 %", "50"): 0 to 100, at most two
    /// decimals.
    pub fn parse_percent(text: &str) -> Result<Self, String> {
        let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
        let invalid =
            || format!("{text:?} is not a percentage from 0 to 100 (at most two decimals)");
        let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        if whole.is_empty()
            || fraction.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 3
        {
            return Err(invalid());
        }
        let whole: u32 = whole.parse().map_err(|_| invalid())?;
        let fraction: u32 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let bp = whole * 100 + fraction;
        if bp > 10_000 {
            return Err(invalid());
        }
        Ok(BasisPoints(bp))
    }

    /// "33.4 %".
    pub fn percent(self) -> String {
        let (whole, fraction) = (self.0 / 100, self.0 % 100);
        match fraction {
            0 => format!("{whole} %"),
            f if f % 10 == 0 => format!("{whole}.{} %", f / 10),
            f => format!("{whole}.{f:02} %"),
        }
    }

    /// The number typed into a form for this share ("33.4").
    pub fn input_value(self) -> String {
        self.percent().trim_end_matches(" %").to_string()
    }

    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 10_000.0
    }

    /// `amount` × this share, rounded down.
    pub fn of(self, amount: u128) -> u128 {
        amount / 10_000 * u128::from(self.0) + amount % 10_000 * u128::from(self.0) / 10_000
    }
}

/// One option's count: base units of voting power as a decimal string (they exceed 2^53).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionCount {
    /// 1-based, as the options are numbered on the page and in ballots.
    pub option: u16,
    pub power: String,
}

/// A round of a ranked-choice count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Round {
    /// 1-based.
    pub number: u16,
    /// The continuing options' power this round, highest first.
    pub totals: Vec<OptionCount>,
    /// Power of ballots with no continuing option left.
    pub exhausted: String,
    /// The option dropped at the end of this round (none in the last).
    pub eliminated: Option<u16>,
    /// Where the dropped option's ballots went.
    pub transfers: Vec<Transfer>,
}

/// Power moved from an eliminated option to the next choice (`to` = `None`: exhausted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Transfer {
    pub from: u16,
    pub to: Option<u16>,
    pub power: String,
}

/// What a count decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// Less than the quorum of the eligible power took part.
    NoQuorum,
    /// Only abstentions (or nothing) were cast.
    NoVotes,
    /// This option won (and passed the threshold, where there is one).
    Winner { option: u16 },
    /// The leading option did not reach more than the threshold share.
    BelowThreshold { option: u16 },
    /// These options tie for the lead.
    Tie { options: Vec<u16> },
}

/// The results of a count: live while voting (when public) and final at close.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ElectionResults {
    /// Base units of the snapshot's total power.
    pub eligible_power: String,
    /// Power that took part, abstentions included (inherited stake counts).
    pub participating_power: String,
    pub abstain_power: String,
    /// participating / eligible.
    pub turnout: f64,
    pub quorum_reached: bool,
    /// Each option's power: for ranked choice, its first preferences.
    pub options: Vec<OptionCount>,
    /// Ranked choice only: every round of the count.
    pub rounds: Vec<Round>,
    pub verdict: Verdict,
    /// Voters whose last ballot was counted.
    pub counted_ballots: u64,
    /// Every ballot received, superseded ones included.
    pub total_ballots: u64,
    /// Voters whose power was cut to the cap.
    pub capped_voters: u64,
}

impl ElectionResults {
    /// An option's power as a share of the power that chose (abstentions left out).
    pub fn share(&self, power: &str) -> f64 {
        let chose = parse_power(&self.participating_power) - parse_power(&self.abstain_power);
        if chose <= 0.0 {
            0.0
        } else {
            parse_power(power) / chose
        }
    }
}

/// A power string as a float, to draw bars (0 when it is not a number).
pub fn parse_power(text: &str) -> f64 {
    text.parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_read_as_people_type_them() {
        assert_eq!(BasisPoints::parse_percent("33.4"), Ok(BasisPoints(3340)));
        assert_eq!(BasisPoints::parse_percent(" 50 % "), Ok(BasisPoints(5000)));
        assert_eq!(BasisPoints::parse_percent("0,05"), Ok(BasisPoints(5)));
        assert_eq!(BasisPoints::parse_percent("100"), Ok(BasisPoints(10_000)));
        for bad in ["", "-1", "100.01", "1e2", "33.333", "abc", "1000"] {
            assert!(BasisPoints::parse_percent(bad).is_err(), "{bad}");
        }
        assert_eq!(BasisPoints(3340).percent(), "33.4 %");
        assert_eq!(BasisPoints(5).percent(), "0.05 %");
        assert_eq!(BasisPoints(5000).input_value(), "50");
    }

    #[test]
    fn a_share_of_a_large_amount_does_not_overflow() {
        let large = u128::MAX / 3;
        assert_eq!(BasisPoints(5000).of(1_000_001), 500_000);
        assert!(BasisPoints::WHOLE.of(large) == large);
    }

    #[test]
    fn names_round_trip() {
        for s in ElectionState::ALL {
            assert_eq!(ElectionState::parse(s.as_str()), Some(s));
        }
        for m in BallotMethod::ALL {
            assert_eq!(BallotMethod::parse(m.as_str()), Some(m));
        }
        for p in PowerSource::ALL {
            assert_eq!(PowerSource::parse(p.as_str()), Some(p));
        }
    }
}
