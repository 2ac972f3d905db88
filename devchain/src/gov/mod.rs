//! devchain's governance module: the recorded Cosmos Hub proposal history (SDK 0.47 and 0.50
//! shapes, served as gov v1 or converted to v1beta1) and scenario proposals played on a clock.

pub mod scenario;

use crate::fixtures;
use chrono::{DateTime, Datelike, Duration, SecondsFormat, Utc};
use scenario::{Scenario, ScenarioSettings};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Which gov API the chain answers. Old chains only have v1beta1: v1 paths answer 501.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GovApi {
    V1,
    V1beta1,
}

pub struct Gov {
    pub api: GovApi,
    /// Recorded proposals in the v1 shape, by id.
    recorded: Vec<Value>,
    pub scenarios: Vec<Scenario>,
}

/// The time the recordings were made: the header time of the recorded latest block.
fn recorded_at() -> DateTime<Utc> {
    let block: Value =
        serde_json::from_str(fixtures::HUB_2025_BLOCKS_LATEST).expect("valid fixture");
    block["block"]["header"]["time"]
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .expect("the recorded block has a time")
}

/// Moves every time of a recorded proposal by `by`, so the history reads as if recorded now:
/// what was voting when it was recorded is voting now, with the same time left.
fn shift_times(proposal: &mut Value, by: Duration) {
    for key in [
        "submit_time",
        "deposit_end_time",
        "voting_start_time",
        "voting_end_time",
    ] {
        let shifted = proposal[key]
            .as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .filter(|t| t.year() > 1970)
            .map(|t| (t.with_timezone(&Utc) + by).to_rfc3339_opts(SecondsFormat::Nanos, true));
        if let Some(shifted) = shifted {
            proposal[key] = Value::String(shifted);
        }
    }
}

impl Gov {
    /// The recorded history; with `shift_to_now`, its times moved so the recording's moment is
    /// now (see [`shift_times`]).
    pub fn new(api: GovApi, shift_to_now: bool) -> Self {
        let mut recorded: Vec<Value> = [
            fixtures::HUB_2024_GOV_V1_PAGE1,
            fixtures::HUB_2024_GOV_V1_PAGE2,
            fixtures::HUB_2024_GOV_V1_PAGE3,
            fixtures::HUB_2025_GOV_V1_VOTING,
        ]
        .iter()
        .flat_map(|text| {
            let page: Value = serde_json::from_str(text).expect("embedded fixtures are valid JSON");
            page["proposals"].as_array().cloned().unwrap_or_default()
        })
        .collect();
        recorded.sort_by_key(id_of);
        recorded.dedup_by_key(|p| id_of(p));
        if shift_to_now {
            let by = Utc::now() - recorded_at();
            recorded.iter_mut().for_each(|p| shift_times(p, by));
        }
        Self {
            api,
            recorded,
            scenarios: Vec::new(),
        }
    }

    /// Submits a new scenario proposal now; returns its id.
    pub fn start_scenario(&mut self, settings: ScenarioSettings, validators: &[Value]) -> u64 {
        let id = self.next_id();
        self.scenarios.push(Scenario::new(id, settings, validators));
        id
    }

    /// Adds a proposal as if recorded (it does not move on a clock); returns its id.
    pub fn add_recorded(&mut self, proposal: Value) -> u64 {
        let id = id_of(&proposal);
        self.recorded.retain(|p| id_of(p) != id);
        self.recorded.push(proposal);
        self.recorded.sort_by_key(id_of);
        id
    }

    pub fn next_id(&self) -> u64 {
        let recorded = self.recorded.last().map(id_of).unwrap_or(0);
        let scenarios = self.scenarios.iter().map(|s| s.id).max().unwrap_or(0);
        recorded.max(scenarios) + 1
    }

    /// Every proposal in the v1 shape, in store order (by id).
    pub fn proposals(&mut self) -> Vec<Value> {
        let mut all = self.recorded.clone();
        all.extend(self.scenarios.iter_mut().map(Scenario::proposal));
        all
    }

    pub fn proposal(&mut self, id: u64) -> Option<Value> {
        if let Some(s) = self.scenario(id) {
            return Some(s.proposal());
        }
        self.recorded.iter().find(|p| id_of(p) == id).cloned()
    }

    pub fn scenario(&mut self, id: u64) -> Option<&mut Scenario> {
        self.scenarios.iter_mut().find(|s| s.id == id)
    }

    /// The tally of a proposal in the v1 shape: live for a scenario in voting, recorded otherwise
    /// (#936 has its recorded live tally).
    pub fn tally(&mut self, id: u64) -> Option<Value> {
        if let Some(s) = self.scenario(id) {
            return Some(scenario::tally_v1(s.tally()));
        }
        if id == 936 {
            let recorded: Value =
                serde_json::from_str(fixtures::HUB_2024_GOV_TALLY_936).expect("valid fixture");
            return Some(tally_beta_to_v1(&recorded["tally"]));
        }
        self.proposal(id).map(|p| p["final_tally_result"].clone())
    }

    /// A recorded vote, for the recorded voter of #936; scenarios answer for their voters.
    pub fn vote(&mut self, id: u64, voter: &str) -> Option<Value> {
        if let Some(s) = self.scenario(id) {
            return s.vote_of(voter);
        }
        let recorded: Value =
            serde_json::from_str(fixtures::HUB_2024_GOV_VOTE_WEIGHTED).expect("valid fixture");
        let vote = &recorded["vote"];
        (id == 936 && vote["voter"] == voter).then(|| {
            let mut v1 = vote.clone();
            if let Some(map) = v1.as_object_mut() {
                map.remove("option");
            }
            v1["metadata"] = json!("");
            v1
        })
    }
}

pub fn id_of(proposal: &Value) -> u64 {
    proposal["id"]
        .as_str()
        .or(proposal["proposal_id"].as_str())
        .and_then(|id| id.parse().ok())
        .unwrap_or(0)
}

/// The store key of a proposal: its id as 8 big-endian bytes.
pub fn proposal_key(proposal: &Value) -> Vec<u8> {
    id_of(proposal).to_be_bytes().to_vec()
}

fn tally_beta_to_v1(t: &Value) -> Value {
    json!({
        "yes_count": t["yes"], "abstain_count": t["abstain"], "no_count": t["no"], "no_with_veto_count": t["no_with_veto"],
    })
}

pub fn tally_v1_to_beta(t: &Value) -> Value {
    json!({ "yes": t["yes_count"], "abstain": t["abstain_count"], "no": t["no_count"], "no_with_veto": t["no_with_veto_count"] })
}

/// A v1 proposal in the v1beta1 shape: `proposal_id`, a single `content` (the legacy content of
/// its first message, or a text proposal from its title and summary), old tally keys.
pub fn to_v1beta1(p: &Value) -> Value {
    let legacy = p["messages"]
        .as_array()
        .and_then(|m| {
            m.iter()
                .find(|m| m["@type"] == "/cosmos.gov.v1.MsgExecLegacyContent")
        })
        .map(|m| m["content"].clone());
    let content = legacy.unwrap_or_else(|| {
        json!({ "@type": "/cosmos.gov.v1beta1.TextProposal", "title": p["title"], "description": p["summary"] })
    });
    json!({
        "proposal_id": p["id"],
        "content": content,
        "status": p["status"],
        "final_tally_result": tally_v1_to_beta(&p["final_tally_result"]),
        "submit_time": p["submit_time"],
        "deposit_end_time": p["deposit_end_time"],
        "total_deposit": p["total_deposit"],
        "voting_start_time": p["voting_start_time"],
        "voting_end_time": p["voting_end_time"],
    })
}

/// The v1 params response (SDK 0.47+): the recorded v1beta1 params, plus the SDK 0.50 defaults
/// for expedited proposals (no recording holds them).
pub fn params_v1() -> Value {
    let parse = |text: &str| -> Value { serde_json::from_str(text).expect("valid fixture") };
    let deposit = parse(fixtures::HUB_2025_GOV_PARAMS_DEPOSIT);
    let voting = parse(fixtures::HUB_2025_GOV_PARAMS_VOTING);
    let tallying = parse(fixtures::HUB_2025_GOV_PARAMS_TALLYING);
    let tally = &tallying["tally_params"];
    json!({
        "voting_params": voting["voting_params"],
        "deposit_params": deposit["deposit_params"],
        "tally_params": tally,
        "params": {
            "min_deposit": deposit["deposit_params"]["min_deposit"],
            "max_deposit_period": deposit["deposit_params"]["max_deposit_period"],
            "voting_period": voting["voting_params"]["voting_period"],
            "quorum": tally["quorum"],
            "threshold": tally["threshold"],
            "veto_threshold": tally["veto_threshold"],
            "min_initial_deposit_ratio": "0.250000000000000000",
            "expedited_voting_period": "604800s",
            "expedited_threshold": "0.667000000000000000",
            "expedited_min_deposit": [{ "denom": "uatom", "amount": "500000000" }],
            "burn_vote_quorum": false,
            "burn_proposal_deposit_prevote": false,
            "burn_vote_veto": true,
            "min_deposit_ratio": "0.010000000000000000",
        },
    })
}

/// The recorded v1beta1 params response of one kind (`voting`, `deposit`, `tallying`).
pub fn params_v1beta1(kind: &str) -> Option<Value> {
    let text = match kind {
        "voting" => fixtures::HUB_2025_GOV_PARAMS_VOTING,
        "deposit" => fixtures::HUB_2025_GOV_PARAMS_DEPOSIT,
        "tallying" => fixtures::HUB_2025_GOV_PARAMS_TALLYING,
        _ => return None,
    };
    Some(serde_json::from_str(text).expect("valid fixture"))
}
