//! A proposal's status: the SDK's `ProposalStatus` enum, as one type from the chain's answer to
//! the database, the pages, the API and the mails.

use serde::{Deserialize, Serialize};

/// The SDK's proposal status. Stored and serialised (JSON API) as the SDK's name,
/// e.g. `PROPOSAL_STATUS_VOTING_PERIOD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ProposalStatus {
    #[serde(rename = "PROPOSAL_STATUS_DEPOSIT_PERIOD")]
    DepositPeriod,
    #[serde(rename = "PROPOSAL_STATUS_VOTING_PERIOD")]
    VotingPeriod,
    #[serde(rename = "PROPOSAL_STATUS_PASSED")]
    Passed,
    #[serde(rename = "PROPOSAL_STATUS_REJECTED")]
    Rejected,
    #[serde(rename = "PROPOSAL_STATUS_FAILED")]
    Failed,
    /// `PROPOSAL_STATUS_UNSPECIFIED`, and any status a newer SDK may add.
    #[serde(rename = "PROPOSAL_STATUS_UNSPECIFIED")]
    Unspecified,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 6] = [
        ProposalStatus::DepositPeriod,
        ProposalStatus::VotingPeriod,
        ProposalStatus::Passed,
        ProposalStatus::Rejected,
        ProposalStatus::Failed,
        ProposalStatus::Unspecified,
    ];

    /// The status of a chain answer: the SDK's name (`PROPOSAL_STATUS_PASSED`) or, from old
    /// nodes that send enums as numbers, its number (`3`). Anything else is `Unspecified`.
    pub fn from_chain(text: &str) -> Self {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.chain_name() == text || s.number().to_string() == text)
            .unwrap_or(ProposalStatus::Unspecified)
    }

    /// The SDK's name, as stored and as the API sends it.
    pub fn chain_name(self) -> &'static str {
        match self {
            ProposalStatus::DepositPeriod => "PROPOSAL_STATUS_DEPOSIT_PERIOD",
            ProposalStatus::VotingPeriod => "PROPOSAL_STATUS_VOTING_PERIOD",
            ProposalStatus::Passed => "PROPOSAL_STATUS_PASSED",
            ProposalStatus::Rejected => "PROPOSAL_STATUS_REJECTED",
            ProposalStatus::Failed => "PROPOSAL_STATUS_FAILED",
            ProposalStatus::Unspecified => "PROPOSAL_STATUS_UNSPECIFIED",
        }
    }

    /// The protobuf enum number.
    fn number(self) -> u8 {
        match self {
            ProposalStatus::Unspecified => 0,
            ProposalStatus::DepositPeriod => 1,
            ProposalStatus::VotingPeriod => 2,
            ProposalStatus::Passed => 3,
            ProposalStatus::Rejected => 4,
            ProposalStatus::Failed => 5,
        }
    }

    /// The short name used in URLs, tabs and CSS classes: `deposit`, `voting`, `passed`,
    /// `rejected`, `failed`, `unknown`.
    pub fn slug(self) -> &'static str {
        match self {
            ProposalStatus::DepositPeriod => "deposit",
            ProposalStatus::VotingPeriod => "voting",
            ProposalStatus::Passed => "passed",
            ProposalStatus::Rejected => "rejected",
            ProposalStatus::Failed => "failed",
            ProposalStatus::Unspecified => "unknown",
        }
    }

    /// What a person reads: `Deposit period`, `Voting`, `Passed`…
    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::DepositPeriod => "Deposit period",
            ProposalStatus::VotingPeriod => "Voting",
            ProposalStatus::Passed => "Passed",
            ProposalStatus::Rejected => "Rejected",
            ProposalStatus::Failed => "Failed",
            ProposalStatus::Unspecified => "Unknown",
        }
    }

    pub fn is_voting(self) -> bool {
        self == ProposalStatus::VotingPeriod
    }

    /// Passed, rejected or failed: the tally is final.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ProposalStatus::Passed | ProposalStatus::Rejected | ProposalStatus::Failed
        )
    }
}

impl std::fmt::Display for ProposalStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_and_numbers_and_keeps_the_unknown_apart() {
        assert_eq!(
            ProposalStatus::from_chain("PROPOSAL_STATUS_VOTING_PERIOD"),
            ProposalStatus::VotingPeriod
        );
        assert_eq!(ProposalStatus::from_chain("3"), ProposalStatus::Passed);
        assert_eq!(
            ProposalStatus::from_chain("PROPOSAL_STATUS_SOMETHING_NEW"),
            ProposalStatus::Unspecified
        );
        for status in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::from_chain(status.chain_name()), status);
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.chain_name()));
            assert_eq!(
                serde_json::from_str::<ProposalStatus>(&json).unwrap(),
                status
            );
        }
    }
}
