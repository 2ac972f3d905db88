//! The table's filters and sort, read from URL query parameters, applied to a network's
//! validators in memory (a few hundred to a few thousand rows).

use super::model::{StatusCounts, ValidatorStatus, ValidatorSummary};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

pub const MAX_SEARCH_CHARS: usize = 100;
pub const MAX_LIMIT: usize = 1000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    #[default]
    Active,
    Inactive,
    /// Jailed or tombstoned.
    Jailed,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::Active,
        StatusFilter::Inactive,
        StatusFilter::Jailed,
        StatusFilter::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::Inactive => "inactive",
            StatusFilter::Jailed => "jailed",
            StatusFilter::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Active => "Active",
            StatusFilter::Inactive => "Inactive",
            StatusFilter::Jailed => "Jailed",
            StatusFilter::All => "All",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    fn matches(self, status: ValidatorStatus) -> bool {
        match self {
            StatusFilter::Active => status == ValidatorStatus::Active,
            StatusFilter::Inactive => status == ValidatorStatus::Inactive,
            StatusFilter::Jailed => matches!(
                status,
                ValidatorStatus::Jailed | ValidatorStatus::Tombstoned
            ),
            StatusFilter::All => true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Rank,
    Moniker,
    VotingPower,
    Commission,
    Uptime,
}

impl SortKey {
    pub const ALL: [SortKey; 5] = [
        SortKey::Rank,
        SortKey::Moniker,
        SortKey::VotingPower,
        SortKey::Commission,
        SortKey::Uptime,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Rank => "rank",
            SortKey::Moniker => "moniker",
            SortKey::VotingPower => "voting_power",
            SortKey::Commission => "commission",
            SortKey::Uptime => "uptime",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The direction a click on the column header sorts first.
    pub fn natural_dir(self) -> SortDir {
        match self {
            SortKey::VotingPower | SortKey::Uptime => SortDir::Desc,
            _ => SortDir::Asc,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortDir {
    Asc,
    Desc,
}

impl SortDir {
    pub fn as_str(self) -> &'static str {
        match self {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        }
    }

    pub fn flip(self) -> Self {
        match self {
            SortDir::Asc => SortDir::Desc,
            SortDir::Desc => SortDir::Asc,
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "asc" => Some(SortDir::Asc),
            "desc" => Some(SortDir::Desc),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidatorQuery {
    pub q: String,
    pub status: StatusFilter,
    pub sort: SortKey,
    /// `None`: the sort key's natural direction.
    pub dir: Option<SortDir>,
    pub limit: Option<usize>,
    pub offset: usize,
}

impl ValidatorQuery {
    /// Reads the parameters strictly: an unknown value is an error naming the parameter.
    pub fn parse(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        fn field<T>(
            get: &impl Fn(&str) -> Option<String>,
            name: &str,
            parse: impl Fn(&str) -> Option<T>,
            expected: &str,
        ) -> Result<Option<T>, String> {
            match get(name).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => parse(&v)
                    .map(Some)
                    .ok_or_else(|| format!("invalid {name} {v:?}: expected {expected}")),
            }
        }
        let q = get("q").unwrap_or_default();
        if q.chars().count() > MAX_SEARCH_CHARS {
            return Err(format!("q is longer than {MAX_SEARCH_CHARS} characters"));
        }
        let limit = field(
            &get,
            "limit",
            |v| {
                v.parse::<usize>()
                    .ok()
                    .filter(|l| (1..=MAX_LIMIT).contains(l))
            },
            &format!("a number from 1 to {MAX_LIMIT}"),
        )?;
        Ok(Self {
            q: q.trim().to_string(),
            status: field(
                &get,
                "status",
                StatusFilter::parse,
                "active, inactive, jailed or all",
            )?
            .unwrap_or_default(),
            sort: field(
                &get,
                "sort",
                SortKey::parse,
                "rank, moniker, voting_power, commission or uptime",
            )?
            .unwrap_or_default(),
            dir: field(&get, "dir", SortDir::parse, "asc or desc")?,
            limit,
            offset: field(&get, "offset", |v| v.parse::<usize>().ok(), "a number")?.unwrap_or(0),
        })
    }

    /// Reads the parameters leniently, for pages: what cannot be read falls back to its default.
    pub fn parse_lenient(get: impl Fn(&str) -> Option<String>) -> Self {
        let one = |name: &'static str| {
            let value = get(name);
            move |n: &str| if n == name { value.clone() } else { None }
        };
        let d = Self::default();
        let q: String = get("q")
            .unwrap_or_default()
            .chars()
            .take(MAX_SEARCH_CHARS)
            .collect();
        Self {
            q: q.trim().to_string(),
            status: Self::parse(one("status"))
                .map(|x| x.status)
                .unwrap_or(d.status),
            sort: Self::parse(one("sort")).map(|x| x.sort).unwrap_or(d.sort),
            dir: Self::parse(one("dir")).ok().and_then(|x| x.dir),
            limit: None,
            offset: 0,
        }
    }

    pub fn direction(&self) -> SortDir {
        self.dir.unwrap_or(self.sort.natural_dir())
    }

    /// The query string of this query (defaults left out), without the leading `?`.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", crate::ui::format::url_encode(&self.q)));
        }
        if self.status != StatusFilter::default() {
            parts.push(format!("status={}", self.status.as_str()));
        }
        if self.sort != SortKey::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if let Some(dir) = self.dir.filter(|d| *d != self.sort.natural_dir()) {
            parts.push(format!("dir={}", dir.as_str()));
        }
        parts.join("&")
    }

    /// The query a click on `key`'s column header leads to.
    pub fn sorted_by(&self, key: SortKey) -> Self {
        let dir = if self.sort == key {
            Some(self.direction().flip())
        } else {
            None
        };
        Self {
            sort: key,
            dir,
            ..self.clone()
        }
    }

    pub fn with_status(&self, status: StatusFilter) -> Self {
        Self {
            status,
            ..self.clone()
        }
    }

    fn matches_search(&self, v: &ValidatorSummary) -> bool {
        if self.q.is_empty() {
            return true;
        }
        let needle = self.q.to_lowercase();
        v.moniker.to_lowercase().contains(&needle)
            || v.operator_address.contains(&needle)
            || v.account_address.contains(&needle)
            || v.consensus_address
                .as_deref()
                .is_some_and(|c| c.contains(&needle))
    }

    /// Filters, counts, sorts and pages `validators`; only the rows returned are copied.
    pub fn apply(
        &self,
        validators: &[ValidatorSummary],
    ) -> (StatusCounts, usize, Vec<ValidatorSummary>) {
        let searched: Vec<&ValidatorSummary> = validators
            .iter()
            .filter(|v| self.matches_search(v))
            .collect();
        let mut counts = StatusCounts {
            all: searched.len(),
            ..StatusCounts::default()
        };
        for v in &searched {
            match v.status {
                ValidatorStatus::Active => counts.active += 1,
                ValidatorStatus::Inactive => counts.inactive += 1,
                ValidatorStatus::Jailed | ValidatorStatus::Tombstoned => counts.jailed += 1,
            }
        }
        let mut rows: Vec<&ValidatorSummary> = searched
            .into_iter()
            .filter(|v| self.status.matches(v.status))
            .collect();
        let dir = self.direction();
        rows.sort_by(|a, b| {
            let ordering = match self.sort {
                SortKey::Rank => a.rank.cmp(&b.rank),
                SortKey::VotingPower => b.rank.cmp(&a.rank),
                SortKey::Moniker => match (a.moniker.is_empty(), b.moniker.is_empty()) {
                    // Validators without a name stay last whichever way the column is sorted.
                    (true, false) => return Ordering::Greater,
                    (false, true) => return Ordering::Less,
                    _ => a.moniker.to_lowercase().cmp(&b.moniker.to_lowercase()),
                },
                SortKey::Commission => a.commission_rate.total_cmp(&b.commission_rate),
                SortKey::Uptime => match (a.uptime, b.uptime) {
                    // Unknown uptime stays last whichever way the column is sorted.
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => return Ordering::Greater,
                    (Some(_), None) => return Ordering::Less,
                    (Some(x), Some(y)) => x.total_cmp(&y),
                },
            };
            let ordering = if dir == SortDir::Desc {
                ordering.reverse()
            } else {
                ordering
            };
            ordering.then(a.rank.cmp(&b.rank))
        });
        let total = rows.len();
        let rows = rows
            .into_iter()
            .skip(self.offset)
            .take(self.limit.unwrap_or(usize::MAX))
            .cloned()
            .collect();
        (counts, total, rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(
        rank: i32,
        moniker: &str,
        status: ValidatorStatus,
        commission: f64,
        uptime: Option<f64>,
    ) -> ValidatorSummary {
        ValidatorSummary {
            operator_address: format!("cosmosvaloper1{rank:0>10}"),
            account_address: format!("cosmos1{rank:0>10}"),
            consensus_address: None,
            moniker: moniker.into(),
            status,
            rank,
            tokens: (1000 - rank).to_string(),
            voting_power_share: None,
            cumulative_share: None,
            commission_rate: commission,
            uptime,
            missed_blocks: None,
            participation_voted: None,
            participation_eligible: None,
        }
    }

    fn set() -> Vec<ValidatorSummary> {
        use ValidatorStatus::*;
        vec![
            validator(1, "Coinbase Cloud", Active, 0.05, Some(0.999)),
            validator(2, "binance node", Active, 0.10, Some(0.97)),
            validator(3, "Allnodes", Active, 0.05, None),
            validator(4, "Old Friend", Inactive, 0.2, None),
            validator(5, "Bad Actor", Jailed, 0.05, None),
            validator(6, "Gone", Tombstoned, 1.0, None),
        ]
    }

    fn query(pairs: &[(&str, &str)]) -> Result<ValidatorQuery, String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ValidatorQuery::parse(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    fn monikers(rows: &[ValidatorSummary]) -> Vec<&str> {
        rows.iter().map(|v| v.moniker.as_str()).collect()
    }

    #[test]
    fn default_shows_active_by_rank_with_counts() {
        let (counts, total, rows) = ValidatorQuery::default().apply(&set());
        assert_eq!(
            monikers(&rows),
            ["Coinbase Cloud", "binance node", "Allnodes"]
        );
        assert_eq!(
            (
                counts.active,
                counts.inactive,
                counts.jailed,
                counts.all,
                total
            ),
            (3, 1, 2, 6, 3)
        );
    }

    #[test]
    fn search_is_case_insensitive_and_counts_follow_it() {
        let q = query(&[("q", "BIN"), ("status", "all")]).unwrap();
        let (counts, _, rows) = q.apply(&set());
        assert_eq!(monikers(&rows), ["binance node"]);
        assert_eq!(counts.all, 1);
        let q = query(&[("q", "cosmosvaloper10000000005"), ("status", "jailed")]).unwrap();
        assert_eq!(monikers(&q.apply(&set()).2), ["Bad Actor"]);
    }

    #[test]
    fn sorts_by_each_key_and_direction() {
        let q = query(&[("status", "all"), ("sort", "moniker")]).unwrap();
        assert_eq!(
            monikers(&q.apply(&set()).2)[..3],
            ["Allnodes", "Bad Actor", "binance node"]
        );
        let q = query(&[("sort", "commission"), ("dir", "desc")]).unwrap();
        assert_eq!(
            monikers(&q.apply(&set()).2),
            ["binance node", "Coinbase Cloud", "Allnodes"]
        );
        let q = query(&[("sort", "uptime"), ("dir", "asc")]).unwrap();
        assert_eq!(
            monikers(&q.apply(&set()).2),
            ["binance node", "Coinbase Cloud", "Allnodes"],
            "unknown uptime last"
        );
        let q = query(&[("sort", "voting_power")]).unwrap();
        assert_eq!(q.direction(), SortDir::Desc);
        assert_eq!(
            monikers(&q.apply(&set()).2),
            ["Coinbase Cloud", "binance node", "Allnodes"]
        );
    }

    #[test]
    fn nameless_validators_sort_last_both_ways() {
        let mut validators = set();
        validators[1].moniker.clear();
        for dir in ["asc", "desc"] {
            let q = query(&[("status", "all"), ("sort", "moniker"), ("dir", dir)]).unwrap();
            assert_eq!(q.apply(&validators).2.last().unwrap().moniker, "", "{dir}");
        }
    }

    #[test]
    fn pages_with_limit_and_offset() {
        let q = query(&[("status", "all"), ("limit", "2"), ("offset", "2")]).unwrap();
        let (_, total, rows) = q.apply(&set());
        assert_eq!(
            (total, monikers(&rows)),
            (6, vec!["Allnodes", "Old Friend"])
        );
    }

    #[test]
    fn strict_parsing_names_the_bad_parameter() {
        assert_eq!(
            query(&[("status", "bonded")]).unwrap_err(),
            "invalid status \"bonded\": expected active, inactive, jailed or all"
        );
        assert!(query(&[("limit", "0")])
            .unwrap_err()
            .starts_with("invalid limit"));
        assert!(query(&[("limit", "5000")]).is_err());
        assert!(query(&[("dir", "up")]).is_err());
        assert!(query(&[("q", &"x".repeat(101))]).is_err());
    }

    #[test]
    fn lenient_parsing_falls_back_per_field() {
        let pairs = [
            ("status", "bonded"),
            ("sort", "commission"),
            ("q", "  node "),
        ];
        let q = ValidatorQuery::parse_lenient(|n| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(
            (q.status, q.sort, q.q.as_str()),
            (StatusFilter::Active, SortKey::Commission, "node")
        );
    }

    #[test]
    fn query_strings_round_trip_and_header_clicks_flip() {
        let q = query(&[
            ("q", "a b&c"),
            ("status", "jailed"),
            ("sort", "uptime"),
            ("dir", "asc"),
        ])
        .unwrap();
        assert_eq!(
            q.to_query_string(),
            "q=a%20b%26c&status=jailed&sort=uptime&dir=asc"
        );
        let flipped = q.sorted_by(SortKey::Uptime);
        assert_eq!(flipped.direction(), SortDir::Desc);
        assert_eq!(
            flipped.to_query_string(),
            "q=a%20b%26c&status=jailed&sort=uptime"
        );
        assert_eq!(q.sorted_by(SortKey::Moniker).direction(), SortDir::Asc);
    }
}
