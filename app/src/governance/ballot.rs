//! Vote options and ballots. A ballot is stored canonically ("yes", or "yes:0.6,abstain:0.4" for
//! a split vote), so comparing two ballots is comparing two strings.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VoteOption {
    Yes,
    Abstain,
    No,
    NoWithVeto,
}

impl VoteOption {
    pub const ALL: [VoteOption; 4] = [
        VoteOption::Yes,
        VoteOption::No,
        VoteOption::NoWithVeto,
        VoteOption::Abstain,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VoteOption::Yes => "yes",
            VoteOption::Abstain => "abstain",
            VoteOption::No => "no",
            VoteOption::NoWithVeto => "no_with_veto",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VoteOption::Yes => "Yes",
            VoteOption::Abstain => "Abstain",
            VoteOption::No => "No",
            VoteOption::NoWithVeto => "No with veto",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "yes" | "VOTE_OPTION_YES" => Some(VoteOption::Yes),
            "abstain" | "VOTE_OPTION_ABSTAIN" => Some(VoteOption::Abstain),
            "no" | "VOTE_OPTION_NO" => Some(VoteOption::No),
            "no_with_veto" | "VOTE_OPTION_NO_WITH_VETO" => Some(VoteOption::NoWithVeto),
            _ => None,
        }
    }
}

/// One voter's choice: one option, or several with weights summing to one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ballot(pub Vec<(VoteOption, f64)>);

impl Ballot {
    /// From the chain's options (SDK names, 18-digit decimal weights). Unknown options are an error.
    pub fn from_chain<'a>(
        options: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        let mut parts = Vec::new();
        for (name, weight) in options {
            let option =
                VoteOption::parse(name).ok_or_else(|| format!("unknown vote option {name:?}"))?;
            let weight: f64 = weight
                .parse()
                .map_err(|_| format!("vote weight {weight:?} is not a number"))?;
            if !(0.0..=1.0).contains(&weight) {
                return Err(format!("vote weight {weight} is not between 0 and 1"));
            }
            if weight > 0.0 {
                parts.push((option, weight));
            }
        }
        if parts.is_empty() {
            return Err("a vote without options".into());
        }
        parts.sort_by_key(|a| a.0);
        Ok(Ballot(parts))
    }

    /// The canonical text: `yes`, or `yes:0.6,abstain:0.4`.
    pub fn canonical(&self) -> String {
        if let [(option, _)] = self.0.as_slice() {
            return option.as_str().to_string();
        }
        self.0
            .iter()
            .map(|(o, w)| format!("{}:{}", o.as_str(), trim(*w)))
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_canonical(text: &str) -> Option<Self> {
        let mut parts = Vec::new();
        for part in text.split(',') {
            let (name, weight) = part.split_once(':').unwrap_or((part, "1"));
            parts.push((VoteOption::parse(name)?, weight.parse().ok()?));
        }
        (!parts.is_empty()).then_some(Ballot(parts))
    }

    /// The one option of a plain vote; `None` for a split vote.
    pub fn single(&self) -> Option<VoteOption> {
        match self.0.as_slice() {
            [(option, _)] => Some(*option),
            _ => None,
        }
    }

    /// `yes`, `no`, ... or `weighted`: how the vote is filed.
    pub fn kind(&self) -> &'static str {
        self.single().map(VoteOption::as_str).unwrap_or("weighted")
    }

    /// "Yes", or "Yes 60% · Abstain 40%".
    pub fn label(&self) -> String {
        match self.single() {
            Some(option) => option.label().to_string(),
            None => self
                .0
                .iter()
                .map(|(o, w)| format!("{} {:.0}%", o.label(), w * 100.0))
                .collect::<Vec<_>>()
                .join(" · "),
        }
    }
}

fn trim(weight: f64) -> String {
    let text = format!("{weight:.6}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_split_votes_have_one_canonical_text() {
        let plain = Ballot::from_chain([("VOTE_OPTION_NO", "1.000000000000000000")]).unwrap();
        assert_eq!(
            (
                plain.canonical().as_str(),
                plain.kind(),
                plain.label().as_str()
            ),
            ("no", "no", "No")
        );
        let split = Ballot::from_chain([
            ("VOTE_OPTION_ABSTAIN", "0.400000000000000000"),
            ("VOTE_OPTION_YES", "0.600000000000000000"),
        ])
        .unwrap();
        assert_eq!(
            split.canonical(),
            "yes:0.6,abstain:0.4",
            "sorted by option, whatever the chain's order"
        );
        assert_eq!(
            (split.kind(), split.label().as_str()),
            ("weighted", "Yes 60% · Abstain 40%")
        );
        assert_eq!(Ballot::parse_canonical(&split.canonical()), Some(split));
        assert_eq!(Ballot::parse_canonical("no"), Some(plain));
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(Ballot::from_chain([("VOTE_OPTION_MAYBE", "1")]).is_err());
        assert!(Ballot::from_chain([("VOTE_OPTION_YES", "1.5")]).is_err());
        assert!(Ballot::from_chain([("VOTE_OPTION_YES", "lots")]).is_err());
        assert!(Ballot::from_chain([]).is_err());
        assert_eq!(Ballot::parse_canonical("maybe"), None);
    }
}
