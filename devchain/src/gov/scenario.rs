//! A governance proposal played on a clock, so the whole flow can be seen and tested: it sits in
//! its deposit period, enters voting, votes arrive from validator accounts and delegators over
//! time (the second-largest validator changes its vote, one delegator splits its vote), the
//! period ends, the votes are pruned as on a real chain, and the final tally is set.
//!
//! The tally is a simplification of the SDK's: validators vote with 80% of their tokens and the
//! delegators share the other 20% of the bonded stake, instead of delegations being inherited.

use crate::{address, pagination::PageRequest};
use chrono::{DateTime, Duration as ChronoDuration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::{collections::BTreeMap, time::Instant};

/// 1.0 as an SDK decimal (18 digits).
const ONE: u128 = 1_000_000_000_000_000_000;
const GOV_AUTHORITY: &str = "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn";
const QUORUM: f64 = 0.4;
const THRESHOLD: f64 = 0.5;
const VETO: f64 = 0.334;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioSettings {
    /// Delegator accounts that may vote besides the bonded validators (at most 200,000).
    pub delegators: usize,
    /// Seconds in the deposit period before voting starts.
    pub deposit_secs: u64,
    /// Seconds the voting period lasts.
    pub voting_secs: u64,
    /// The proposal's title; unset: "Devchain scenario #N: lower the community pool tax to 1%".
    pub title: Option<String>,
    /// The proposal's markdown summary; unset: a short text with inert hostile bits.
    pub summary: Option<String>,
    /// The proposal's metadata field (free text, often JSON or an IPFS link); unset: empty.
    pub metadata: Option<String>,
}

impl Default for ScenarioSettings {
    fn default() -> Self {
        Self {
            delegators: 300,
            deposit_secs: 20,
            voting_secs: 240,
            title: None,
            summary: None,
            metadata: None,
        }
    }
}

pub const MAX_DELEGATORS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VoteOption {
    Yes,
    Abstain,
    No,
    NoWithVeto,
}

impl VoteOption {
    fn name(self) -> &'static str {
        match self {
            VoteOption::Yes => "VOTE_OPTION_YES",
            VoteOption::Abstain => "VOTE_OPTION_ABSTAIN",
            VoteOption::No => "VOTE_OPTION_NO",
            VoteOption::NoWithVeto => "VOTE_OPTION_NO_WITH_VETO",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A vote: options with weights as 18-digit fixed point (summing to 1.0).
type Ballot = Vec<(VoteOption, u128)>;

struct Voter {
    address: String,
    key: Vec<u8>,
    power: u128,
}

struct Event {
    at_ms: u64,
    voter: usize,
    ballot: Ballot,
}

enum Phase {
    Deposit,
    Voting { elapsed_ms: u64 },
    Ended,
}

pub struct Scenario {
    pub id: u64,
    started: Instant,
    submitted_at: DateTime<Utc>,
    settings: ScenarioSettings,
    voters: Vec<Voter>,
    events: Vec<Event>,
    applied: usize,
    current: BTreeMap<Vec<u8>, (usize, Ballot)>,
    totals: [u128; 4],
    bonded: u128,
}

impl Scenario {
    /// A scenario whose proposal is submitted now. `validators` are the chain's validator JSONs.
    pub fn new(id: u64, settings: ScenarioSettings, validators: &[Value]) -> Self {
        let settings = ScenarioSettings {
            delegators: settings.delegators.min(MAX_DELEGATORS),
            ..settings
        };
        let mut bonded_validators: Vec<(String, u128)> = validators
            .iter()
            .filter(|v| v["status"] == "BOND_STATUS_BONDED")
            .filter_map(|v| {
                let tokens = v["tokens"].as_str()?.parse::<u128>().ok()?;
                let bytes = address::bytes_of(v["operator_address"].as_str()?)?;
                Some((address::encode("cosmos", &bytes), tokens))
            })
            .collect();
        bonded_validators.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let bonded: u128 = bonded_validators.iter().map(|(_, t)| t).sum();

        let mut voters: Vec<Voter> = bonded_validators
            .iter()
            .map(|(account, tokens)| Voter {
                address: account.clone(),
                key: address::store_key(account),
                power: tokens * 8 / 10,
            })
            .collect();
        let delegator_share = bonded / 5;
        let shares: Vec<u128> = (0..settings.delegators)
            .map(|i| 1 + u128::from(hash(&format!("devchain-delegator-{id}-{i}"))[3]) % 1000)
            .collect();
        let share_sum: u128 = shares.iter().sum::<u128>().max(1);
        for (i, share) in shares.iter().enumerate() {
            let digest = Sha256::digest(format!("devchain-delegator-{id}-{i}").as_bytes());
            let account = address::encode("cosmos", &digest[..20]);
            voters.push(Voter {
                key: address::store_key(&account),
                address: account,
                power: delegator_share * share / share_sum,
            });
        }

        let voting_ms = settings.voting_secs.max(1) * 1000;
        let at = |fraction: f64| (fraction * voting_ms as f64) as u64;
        let mut events = Vec::new();
        for (index, voter) in voters.iter().enumerate() {
            let h = hash(&voter.address);
            let is_validator = index < bonded_validators.len();
            let votes = if is_validator { h[0] < 217 } else { h[0] < 153 };
            if !votes {
                continue;
            }
            let option = match h[1] {
                0..=152 => VoteOption::Yes,
                153..=190 => VoteOption::No,
                191..=228 => VoteOption::Abstain,
                _ => VoteOption::NoWithVeto,
            };
            let fraction = 0.05 + f64::from(u16::from_be_bytes([h[2], h[3]])) / 65535.0 * 0.85;
            events.push(Event {
                at_ms: at(fraction),
                voter: index,
                ballot: vec![(option, ONE)],
            });
        }
        // Scripted moments, so every run shows them.
        events.retain(|e| e.voter > 1 && e.voter != bonded_validators.len());
        if !bonded_validators.is_empty() {
            events.push(Event {
                at_ms: at(0.03),
                voter: 0,
                ballot: vec![(VoteOption::Yes, ONE)],
            });
        }
        if bonded_validators.len() > 1 {
            events.push(Event {
                at_ms: at(0.10),
                voter: 1,
                ballot: vec![(VoteOption::Yes, ONE)],
            });
            events.push(Event {
                at_ms: at(0.45),
                voter: 1,
                ballot: vec![(VoteOption::No, ONE)],
            });
        }
        if settings.delegators > 0 {
            let split = vec![
                (VoteOption::Yes, ONE * 6 / 10),
                (VoteOption::Abstain, ONE * 4 / 10),
            ];
            events.push(Event {
                at_ms: at(0.25),
                voter: bonded_validators.len(),
                ballot: split,
            });
        }
        events.sort_by_key(|e| (e.at_ms, e.voter));

        Self {
            id,
            started: Instant::now(),
            submitted_at: now_rounded(),
            settings,
            voters,
            events,
            applied: 0,
            current: BTreeMap::new(),
            totals: [0; 4],
            bonded,
        }
    }

    /// How many accounts may vote: the bonded validators and the delegators.
    pub fn voter_count(&self) -> usize {
        self.voters.len()
    }

    /// Moves the scenario's clock forward, as if it had started `ms` earlier.
    pub fn fast_forward(&mut self, ms: u64) {
        if let Some(earlier) = self
            .started
            .checked_sub(std::time::Duration::from_millis(ms))
        {
            self.started = earlier;
            self.submitted_at -= ChronoDuration::milliseconds(ms as i64);
        }
    }

    fn deposit_ms(&self) -> u64 {
        self.settings.deposit_secs * 1000
    }

    fn voting_ms(&self) -> u64 {
        self.settings.voting_secs.max(1) * 1000
    }

    fn phase(&self) -> Phase {
        let elapsed = self.started.elapsed().as_millis() as u64;
        if elapsed < self.deposit_ms() {
            Phase::Deposit
        } else if elapsed < self.deposit_ms() + self.voting_ms() {
            Phase::Voting {
                elapsed_ms: elapsed - self.deposit_ms(),
            }
        } else {
            Phase::Ended
        }
    }

    /// Applies every vote cast up to now (or up to the end of voting).
    fn advance(&mut self) {
        let until = match self.phase() {
            Phase::Deposit => return,
            Phase::Voting { elapsed_ms } => elapsed_ms,
            Phase::Ended => u64::MAX,
        };
        while let Some(event) = self.events.get(self.applied).filter(|e| e.at_ms <= until) {
            let voter = &self.voters[event.voter];
            let ballot = event.ballot.clone();
            let (key, power) = (voter.key.clone(), voter.power);
            if let Some((_, old)) = self.current.insert(key, (event.voter, ballot.clone())) {
                for (option, weight) in old {
                    self.totals[option.index()] -= power * weight / ONE;
                }
            }
            for (option, weight) in ballot {
                self.totals[option.index()] += power * weight / ONE;
            }
            self.applied += 1;
        }
    }

    fn status(&mut self) -> &'static str {
        match self.phase() {
            Phase::Deposit => "PROPOSAL_STATUS_DEPOSIT_PERIOD",
            Phase::Voting { .. } => "PROPOSAL_STATUS_VOTING_PERIOD",
            Phase::Ended => {
                self.advance();
                if self.passes() {
                    "PROPOSAL_STATUS_PASSED"
                } else {
                    "PROPOSAL_STATUS_REJECTED"
                }
            }
        }
    }

    fn passes(&self) -> bool {
        let [yes, abstain, no, veto] = self.totals.map(|t| t as f64);
        let total = yes + abstain + no + veto;
        total >= QUORUM * self.bonded as f64
            && veto <= VETO * total
            && yes > THRESHOLD * (total - abstain)
    }

    /// The live tally while voting; the final tally after.
    pub fn tally(&mut self) -> [u128; 4] {
        self.advance();
        self.totals
    }

    /// The proposal in the gov v1 shape.
    pub fn proposal(&mut self) -> Value {
        let status = self.status();
        let ended = matches!(self.phase(), Phase::Ended);
        let voting_start =
            self.submitted_at + ChronoDuration::milliseconds(self.deposit_ms() as i64);
        let voting_end = voting_start + ChronoDuration::milliseconds(self.voting_ms() as i64);
        let in_deposit = matches!(self.phase(), Phase::Deposit);
        let final_tally = if ended { self.totals } else { [0; 4] };
        let (title, summary) = self.text();
        json!({
            "id": self.id.to_string(),
            "messages": [{
                "@type": "/cosmos.gov.v1.MsgExecLegacyContent",
                "content": { "@type": "/cosmos.gov.v1beta1.TextProposal", "title": title, "description": summary },
                "authority": GOV_AUTHORITY,
            }],
            "status": status,
            "final_tally_result": tally_v1(final_tally),
            "submit_time": rfc3339(self.submitted_at),
            "deposit_end_time": rfc3339(if in_deposit { self.submitted_at + ChronoDuration::days(14) } else { voting_start }),
            "total_deposit": [{ "denom": "uatom", "amount": if in_deposit { "100000000" } else { "250000000" } }],
            "voting_start_time": if in_deposit { Value::Null } else { json!(rfc3339(voting_start)) },
            "voting_end_time": if in_deposit { Value::Null } else { json!(rfc3339(voting_end)) },
            "metadata": self.settings.metadata.clone().unwrap_or_default(),
            "title": title,
            "summary": summary,
            "proposer": self.voters.first().map(|v| v.address.clone()).unwrap_or_default(),
            "expedited": false,
            "failed_reason": "",
        })
    }

    fn text(&self) -> (String, String) {
        if let (Some(title), Some(summary)) = (&self.settings.title, &self.settings.summary) {
            return (title.clone(), summary.clone());
        }
        let title = format!(
            "Devchain scenario #{}: lower the community pool tax to 1%",
            self.id
        );
        // Hostile bits on purpose: the dashboard must render them inert.
        let summary =
            "## Summary\n\nThis **devchain** proposal lowers `community_tax` from 2% to 1%.\n\n\
            - rationale: [forum thread](https://forum.cosmos.network/)\n\
            - risk: low\n\n\
            <script>alert('xss')</script><img src=x onerror=alert('xss')>\n\n\
            [do not click](javascript:alert('xss'))\n"
                .to_string();
        (title, summary)
    }

    /// One page of the votes cast so far (empty once the proposal is tallied, as on a chain).
    pub fn votes(&mut self, page: &PageRequest) -> (Vec<Value>, Value) {
        if !matches!(self.phase(), Phase::Voting { .. }) {
            return (Vec::new(), json!({ "next_key": null, "total": "0" }));
        }
        self.advance();
        let (page_entries, pagination) = page.apply_map(&self.current);
        let votes = page_entries
            .into_iter()
            .map(|(voter, ballot)| self.vote_json(voter, &ballot))
            .collect();
        (votes, pagination)
    }

    pub fn vote_of(&mut self, voter: &str) -> Option<Value> {
        if !matches!(self.phase(), Phase::Voting { .. }) {
            return None;
        }
        self.advance();
        let (index, ballot) = self.current.get(&address::store_key(voter))?;
        Some(self.vote_json(*index, ballot))
    }

    fn vote_json(&self, voter: usize, ballot: &Ballot) -> Value {
        let options: Vec<Value> = ballot
            .iter()
            .map(|(option, weight)| json!({ "option": option.name(), "weight": decimal(*weight) }))
            .collect();
        json!({ "proposal_id": self.id.to_string(), "voter": self.voters[voter].address, "options": options, "metadata": "" })
    }

    /// The v1beta1 shape of a vote: the deprecated `option` is set only for a single option.
    pub fn to_v1beta1_vote(vote: &Value) -> Value {
        let mut vote = vote.clone();
        let options = vote["options"].as_array().cloned().unwrap_or_default();
        vote["option"] = if options.len() == 1 {
            options[0]["option"].clone()
        } else {
            json!("VOTE_OPTION_UNSPECIFIED")
        };
        if let Some(map) = vote.as_object_mut() {
            map.remove("metadata");
        }
        vote
    }
}

pub fn tally_v1(t: [u128; 4]) -> Value {
    json!({
        "yes_count": t[0].to_string(),
        "abstain_count": t[1].to_string(),
        "no_count": t[2].to_string(),
        "no_with_veto_count": t[3].to_string(),
    })
}

fn decimal(weight: u128) -> String {
    format!("{}.{:018}", weight / ONE, weight % ONE)
}

fn hash(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

fn now_rounded() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Chain, Settings};

    fn scenario(delegators: usize, deposit_secs: u64, voting_secs: u64) -> Scenario {
        let chain = Chain::new(Settings::default());
        Scenario::new(
            938,
            ScenarioSettings {
                delegators,
                deposit_secs,
                voting_secs,
                ..ScenarioSettings::default()
            },
            &chain.validators,
        )
    }

    #[test]
    fn voters_are_the_bonded_validators_and_the_delegators() {
        let s = scenario(1000, 0, 1);
        assert_eq!(s.voter_count(), 180 + 1000);
        let power: u128 = s.voters.iter().map(|v| v.power).sum();
        assert!(
            power <= s.bonded && power > s.bonded * 99 / 100,
            "power {power} of bonded {}",
            s.bonded
        );
        let mut keys: Vec<_> = s.voters.iter().map(|v| v.key.clone()).collect();
        keys.dedup();
        assert_eq!(keys.len(), 1180);
    }

    #[test]
    fn deposit_then_voting_then_a_final_tally_with_votes_pruned() {
        let mut s = scenario(50, 0, 10);
        s.fast_forward(10_001);
        let proposal = s.proposal();
        let status = proposal["status"].as_str().unwrap();
        assert!(status == "PROPOSAL_STATUS_PASSED" || status == "PROPOSAL_STATUS_REJECTED");
        assert_ne!(proposal["final_tally_result"]["yes_count"], "0");
        let (votes, _) = s.votes(&PageRequest {
            limit: 100,
            ..PageRequest::default()
        });
        assert!(votes.is_empty(), "votes are pruned after the tally");
    }

    #[test]
    fn the_scripted_change_and_split_are_in_the_events() {
        let s = scenario(10, 0, 100);
        let second = s
            .events
            .iter()
            .filter(|e| e.voter == 1)
            .map(|e| e.ballot[0].0)
            .collect::<Vec<_>>();
        assert_eq!(second, vec![VoteOption::Yes, VoteOption::No]);
        let split = s.events.iter().find(|e| e.ballot.len() == 2).unwrap();
        assert_eq!(split.voter, 180);
        assert_eq!(decimal(split.ballot[0].1), "0.600000000000000000");
    }

    #[test]
    fn in_the_deposit_period_nothing_is_voted() {
        let mut s = scenario(10, 60, 60);
        assert_eq!(s.proposal()["status"], "PROPOSAL_STATUS_DEPOSIT_PERIOD");
        assert!(s.proposal()["voting_start_time"].is_null());
        assert_eq!(s.tally(), [0; 4]);
    }
}
