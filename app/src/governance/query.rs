//! The proposal list's tab and search, read from the URL and applied in memory.

use super::{
    model::{ProposalCounts, ProposalSummary},
    status::ProposalStatus,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalTab {
    #[default]
    All,
    Voting,
    Deposit,
    Passed,
    Rejected,
    Failed,
}

impl ProposalTab {
    pub const ALL: [ProposalTab; 6] = [
        ProposalTab::All,
        ProposalTab::Voting,
        ProposalTab::Deposit,
        ProposalTab::Passed,
        ProposalTab::Rejected,
        ProposalTab::Failed,
    ];

    /// The status the tab lists; `None` for all.
    pub fn status(self) -> Option<ProposalStatus> {
        match self {
            ProposalTab::All => None,
            ProposalTab::Voting => Some(ProposalStatus::VotingPeriod),
            ProposalTab::Deposit => Some(ProposalStatus::DepositPeriod),
            ProposalTab::Passed => Some(ProposalStatus::Passed),
            ProposalTab::Rejected => Some(ProposalStatus::Rejected),
            ProposalTab::Failed => Some(ProposalStatus::Failed),
        }
    }

    pub fn as_str(self) -> &'static str {
        self.status().map_or("all", ProposalStatus::slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalTab::All => "All",
            ProposalTab::Voting => "Voting",
            ProposalTab::Deposit => "Deposit",
            ProposalTab::Passed => "Passed",
            ProposalTab::Rejected => "Rejected",
            ProposalTab::Failed => "Failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    fn matches(self, status: ProposalStatus) -> bool {
        self.status().is_none_or(|s| s == status)
    }

    pub fn count(self, counts: &ProposalCounts) -> usize {
        match self {
            ProposalTab::All => counts.all,
            ProposalTab::Voting => counts.voting,
            ProposalTab::Deposit => counts.deposit,
            ProposalTab::Passed => counts.passed,
            ProposalTab::Rejected => counts.rejected,
            ProposalTab::Failed => counts.failed,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProposalQuery {
    pub tab: ProposalTab,
    pub q: String,
    pub limit: Option<usize>,
    pub offset: usize,
    /// Only proposals numbered below this one: the `next` of the previous page.
    pub after: Option<i64>,
}

pub const MAX_SEARCH_CHARS: usize = 100;

impl ProposalQuery {
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let tab = match get("status").filter(|s| !s.is_empty()) {
            Some(s) => ProposalTab::parse(&s).ok_or_else(|| format!("invalid status {s:?}: expected all, voting, deposit, passed, rejected or failed"))?,
            None => ProposalTab::default(),
        };
        let q = get("q").unwrap_or_default();
        if q.chars().count() > MAX_SEARCH_CHARS {
            return Err(format!("q is longer than {MAX_SEARCH_CHARS} characters"));
        }
        let number = |name: &str, max: usize| -> Result<Option<usize>, String> {
            match get(name).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => v
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n <= max)
                    .map(Some)
                    .ok_or_else(|| format!("invalid {name} {v:?}: expected a number up to {max}")),
            }
        };
        let after = match get("after").filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(crate::paging::parse_number(&v).ok_or_else(|| {
                format!("invalid after {v:?}: use the next value of a previous page")
            })?),
        };
        let offset = number("offset", usize::MAX)?.unwrap_or(0);
        if after.is_some() && offset > 0 {
            return Err("give after or offset, not both".to_string());
        }
        Ok(Self {
            tab,
            q: q.trim().to_string(),
            limit: number("limit", 1000)?.filter(|l| *l > 0),
            offset,
            after,
        })
    }

    pub fn parse_lenient(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            tab: get("status")
                .and_then(|s| ProposalTab::parse(&s))
                .unwrap_or_default(),
            q: get("q")
                .unwrap_or_default()
                .chars()
                .take(MAX_SEARCH_CHARS)
                .collect::<String>()
                .trim()
                .to_string(),
            limit: None,
            offset: 0,
            after: None,
        }
    }

    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if self.tab != ProposalTab::default() {
            parts.push(format!("status={}", self.tab.as_str()));
        }
        if !self.q.is_empty() {
            parts.push(format!("q={}", crate::ui::format::url_encode(&self.q)));
        }
        parts.join("&")
    }

    fn matches_search(&self, p: &ProposalSummary) -> bool {
        let q = self.q.trim_start_matches('#');
        q.is_empty()
            || p.id.to_string() == q
            || p.title.to_lowercase().contains(&self.q.to_lowercase())
    }

    /// Counts per tab (after the search), how many the tab lists, its page of proposals (newest
    /// first, after `after`, past `offset`, up to `limit`) and the `after` of the next page.
    pub fn apply(
        &self,
        proposals: Vec<ProposalSummary>,
    ) -> (ProposalCounts, usize, Vec<ProposalSummary>, Option<String>) {
        let searched: Vec<ProposalSummary> = proposals
            .into_iter()
            .filter(|p| self.matches_search(p))
            .collect();
        let mut counts = ProposalCounts {
            all: searched.len(),
            ..Default::default()
        };
        for p in &searched {
            match p.status {
                ProposalStatus::VotingPeriod => counts.voting += 1,
                ProposalStatus::DepositPeriod => counts.deposit += 1,
                ProposalStatus::Passed => counts.passed += 1,
                ProposalStatus::Rejected => counts.rejected += 1,
                ProposalStatus::Failed => counts.failed += 1,
                ProposalStatus::Unspecified => {}
            }
        }
        let mut rows: Vec<ProposalSummary> = searched
            .into_iter()
            .filter(|p| self.tab.matches(p.status))
            .collect();
        rows.sort_by_key(|b| std::cmp::Reverse(b.id));
        let total = rows.len();
        let limit = self.limit.unwrap_or(usize::MAX);
        let mut rows: Vec<ProposalSummary> = rows
            .into_iter()
            .filter(|p| self.after.is_none_or(|after| p.id < after))
            .skip(self.offset)
            .take(limit.saturating_add(1))
            .collect();
        let next = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            rows.last().map(|p| p.id.to_string())
        });
        (counts, total, rows, next.flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::tally::Tally;

    fn proposal(id: i64, title: &str, status: &str) -> ProposalSummary {
        ProposalSummary {
            id,
            title: title.into(),
            status: ProposalStatus::from_chain(&format!("PROPOSAL_STATUS_{status}")),
            expedited: false,
            submit_time: None,
            voting_start_time: None,
            voting_end_time: None,
            tally: Tally::default(),
            turnout: None,
            spam_reasons: vec![],
        }
    }

    fn set() -> Vec<ProposalSummary> {
        vec![
            proposal(1, "Adjust blocks per year", "PASSED"),
            proposal(2, "Community pool spend", "REJECTED"),
            proposal(3, "ATOM AirDrop", "VOTING_PERIOD"),
            proposal(4, "Upgrade to v22", "VOTING_PERIOD"),
            proposal(5, "Something new", "SOMETHING_NEW"),
        ]
    }

    fn query(pairs: &[(&str, &str)]) -> Result<ProposalQuery, String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ProposalQuery::parse(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn tabs_count_and_filter_newest_first() {
        let (counts, total, rows, _) = query(&[("status", "voting")]).unwrap().apply(set());
        assert_eq!(
            (
                counts.all,
                counts.voting,
                counts.passed,
                counts.rejected,
                total
            ),
            (5, 2, 1, 1, 2)
        );
        assert_eq!(rows.iter().map(|p| p.id).collect::<Vec<_>>(), vec![4, 3]);
        let (_, _, all, next) = ProposalQuery::default().apply(set());
        assert_eq!(next, None);
        assert_eq!(all[0].id, 5, "unknown statuses are listed under all");
    }

    #[test]
    fn pages_by_key_follow_next_to_the_end() {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let mut pairs = vec![("limit", "2".to_string())];
            pairs.extend(after.clone().map(|a| ("after", a)));
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (_, total, rows, next) = query(&pairs).unwrap().apply(set());
            assert_eq!(total, 5);
            seen.extend(rows.iter().map(|p| p.id));
            match next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
        assert_eq!(seen, vec![5, 4, 3, 2, 1]);
        assert!(query(&[("after", "3"), ("offset", "1")]).is_err());
        assert!(query(&[("after", "x")])
            .unwrap_err()
            .starts_with("invalid after"));
    }

    #[test]
    fn search_by_title_or_number() {
        assert_eq!(query(&[("q", "airdrop")]).unwrap().apply(set()).2[0].id, 3);
        assert_eq!(query(&[("q", "#2")]).unwrap().apply(set()).2[0].id, 2);
    }

    #[test]
    fn bad_parameters_are_named() {
        assert!(query(&[("status", "open")])
            .unwrap_err()
            .starts_with("invalid status"));
        assert!(query(&[("limit", "x")]).is_err());
        assert!(query(&[("q", &"x".repeat(101))]).is_err());
        assert_eq!(
            ProposalQuery::parse_lenient(|_| Some("open".into())).tab,
            ProposalTab::All
        );
    }
}
