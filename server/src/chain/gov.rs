//! Gov responses in both API versions (v1 from SDK 0.46, v1beta1 before), read into one model.

use super::{lenient, types::Pagination};
use app::{governance::status::ProposalStatus, ui::text};
use chrono::{DateTime, Datelike, Utc};
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

pub use app::coin::Coin;

/// Voting power per option, in base units.
pub type Tally = app::governance::tally::Tally<u128>;

#[derive(Debug, Clone, Deserialize)]
struct TallyV1 {
    #[serde(deserialize_with = "lenient::u128")]
    yes_count: u128,
    #[serde(deserialize_with = "lenient::u128")]
    abstain_count: u128,
    #[serde(deserialize_with = "lenient::u128")]
    no_count: u128,
    #[serde(deserialize_with = "lenient::u128")]
    no_with_veto_count: u128,
}

#[derive(Debug, Clone, Deserialize)]
struct TallyV1beta1 {
    #[serde(deserialize_with = "lenient::u128")]
    yes: u128,
    #[serde(deserialize_with = "lenient::u128")]
    abstain: u128,
    #[serde(deserialize_with = "lenient::u128")]
    no: u128,
    #[serde(deserialize_with = "lenient::u128")]
    no_with_veto: u128,
}

/// Either tally shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum AnyTally {
    V1(TallyV1),
    V1beta1(TallyV1beta1),
}

impl From<AnyTally> for Tally {
    fn from(t: AnyTally) -> Self {
        match t {
            AnyTally::V1(t) => Tally {
                yes: t.yes_count,
                abstain: t.abstain_count,
                no: t.no_count,
                no_with_veto: t.no_with_veto_count,
            },
            AnyTally::V1beta1(t) => Tally {
                yes: t.yes,
                abstain: t.abstain,
                no: t.no,
                no_with_veto: t.no_with_veto,
            },
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TallyResponse {
    tally: AnyTally,
}

impl TallyResponse {
    pub fn tally(self) -> Tally {
        self.tally.into()
    }
}

/// A proposal as Stakeboard keeps it, whichever API it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub id: u64,
    pub status: ProposalStatus,
    pub title: String,
    pub summary: String,
    pub metadata: String,
    /// The messages (or the v1beta1 content) as sent, for type URLs and summaries.
    pub messages: Vec<Value>,
    pub proposer: String,
    pub expedited: bool,
    pub failed_reason: String,
    pub submit_time: Option<DateTime<Utc>>,
    pub deposit_end_time: Option<DateTime<Utc>>,
    pub voting_start_time: Option<DateTime<Utc>>,
    pub voting_end_time: Option<DateTime<Utc>>,
    pub total_deposit: Vec<Coin>,
    pub final_tally: Tally,
}

#[derive(Debug, Clone, Deserialize)]
struct ProposalV1 {
    #[serde(deserialize_with = "lenient::u64")]
    id: u64,
    #[serde(default)]
    messages: Vec<Value>,
    status: String,
    #[serde(default)]
    final_tally_result: Option<AnyTally>,
    #[serde(default)]
    submit_time: Option<DateTime<Utc>>,
    #[serde(default)]
    deposit_end_time: Option<DateTime<Utc>>,
    #[serde(default)]
    total_deposit: Vec<Coin>,
    #[serde(default)]
    voting_start_time: Option<DateTime<Utc>>,
    #[serde(default)]
    voting_end_time: Option<DateTime<Utc>>,
    #[serde(default)]
    metadata: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    proposer: String,
    #[serde(default)]
    expedited: bool,
    #[serde(default)]
    failed_reason: String,
}

#[derive(Debug, Clone, Deserialize)]
struct ProposalV1beta1 {
    #[serde(deserialize_with = "lenient::u64")]
    proposal_id: u64,
    #[serde(default)]
    content: Option<Value>,
    status: String,
    #[serde(default)]
    final_tally_result: Option<AnyTally>,
    #[serde(default)]
    submit_time: Option<DateTime<Utc>>,
    #[serde(default)]
    deposit_end_time: Option<DateTime<Utc>>,
    #[serde(default)]
    total_deposit: Vec<Coin>,
    #[serde(default)]
    voting_start_time: Option<DateTime<Utc>>,
    #[serde(default)]
    voting_end_time: Option<DateTime<Utc>>,
}

impl From<ProposalV1> for Proposal {
    fn from(p: ProposalV1) -> Self {
        // SDK 0.46 left title and summary empty: they are in the metadata or the legacy content.
        let legacy = p.messages.iter().find_map(|m| m.get("content")).cloned();
        let metadata: Option<Value> = serde_json::from_str(&p.metadata).ok();
        let field = |key: &str, legacy_key: &str, own: String| {
            if !own.trim().is_empty() {
                return own;
            }
            metadata
                .as_ref()
                .and_then(|m| m.get(key))
                .or_else(|| legacy.as_ref().and_then(|c| c.get(legacy_key)))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let title = field("title", "title", p.title);
        Proposal {
            title: title_or_fallback(&title, p.id, &p.messages),
            summary: text::multi_line(&field("summary", "description", p.summary)),
            id: p.id,
            status: ProposalStatus::from_chain(&p.status),
            metadata: p.metadata,
            messages: p.messages,
            proposer: p.proposer,
            expedited: p.expedited,
            failed_reason: p.failed_reason,
            submit_time: set(p.submit_time),
            deposit_end_time: set(p.deposit_end_time),
            voting_start_time: set(p.voting_start_time),
            voting_end_time: set(p.voting_end_time),
            total_deposit: p.total_deposit,
            final_tally: p.final_tally_result.map(Tally::from).unwrap_or_default(),
        }
    }
}

impl From<ProposalV1beta1> for Proposal {
    fn from(p: ProposalV1beta1) -> Self {
        let field = |key: &str| {
            p.content
                .as_ref()
                .and_then(|c| c.get(key))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let messages: Vec<Value> = p.content.clone().into_iter().collect();
        Proposal {
            title: title_or_fallback(&field("title"), p.proposal_id, &messages),
            summary: text::multi_line(&field("description")),
            id: p.proposal_id,
            status: ProposalStatus::from_chain(&p.status),
            metadata: String::new(),
            messages,
            proposer: String::new(),
            expedited: false,
            failed_reason: String::new(),
            submit_time: set(p.submit_time),
            deposit_end_time: set(p.deposit_end_time),
            voting_start_time: set(p.voting_start_time),
            voting_end_time: set(p.voting_end_time),
            total_deposit: p.total_deposit,
            final_tally: p.final_tally_result.map(Tally::from).unwrap_or_default(),
        }
    }
}

/// The title on one line, or when the proposal has none (SDK 0.46 proposals with plain-text or
/// IPFS metadata, v1beta1 answers whose `content` is null) a name built from its number and its
/// first message's type: `Proposal #22 · MsgSoftwareUpgrade`.
fn title_or_fallback(title: &str, id: u64, messages: &[Value]) -> String {
    let title = text::one_line(title);
    if !title.is_empty() {
        return title;
    }
    let kind = messages
        .iter()
        .find_map(|m| {
            let type_url = m.get("@type")?.as_str()?;
            let inner = m.get("content").and_then(|c| c.get("@type")?.as_str());
            let name = inner.unwrap_or(type_url).rsplit('.').next()?;
            Some(text::one_line(name))
        })
        .filter(|name| !name.is_empty());
    match kind {
        Some(kind) => format!("Proposal #{id} · {kind}"),
        None => format!("Proposal #{id}"),
    }
}

/// Go's and the SDK's zero times (year 1, 1970) mean "not set".
fn set(t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    t.filter(|t| t.year() > 1970)
}

/// A vote option with its weight (an 18-digit decimal; 1 for a plain vote).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct WeightedOption {
    pub option: String,
    #[serde(default = "one", deserialize_with = "lenient::decimal")]
    pub weight: String,
}

fn one() -> String {
    "1".to_string()
}

/// A vote in either shape: v1 (`options`), v1beta1 since SDK 0.43 (`option` deprecated plus
/// `options`), or older (`option` only).
#[derive(Debug, Clone, Deserialize)]
pub struct Vote {
    pub voter: String,
    #[serde(default)]
    pub options: Vec<WeightedOption>,
    #[serde(default)]
    pub option: Option<String>,
}

impl Vote {
    /// The options that count: `options` when present, else the single legacy `option`.
    pub fn weighted_options(&self) -> Vec<WeightedOption> {
        if !self.options.is_empty() {
            return self.options.clone();
        }
        self.option
            .iter()
            .filter(|o| o.as_str() != "VOTE_OPTION_UNSPECIFIED")
            .map(|o| WeightedOption {
                option: o.clone(),
                weight: one(),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct VotesPage {
    pub votes: Vec<Vote>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

/// The tally parameters, from gov v1 (`params`, SDK 0.47+) or v1beta1 (`tally_params`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TallyParams {
    pub quorum: String,
    pub threshold: String,
    pub veto_threshold: String,
    pub expedited_threshold: Option<String>,
    pub min_deposit: Vec<Coin>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ParamsResponse {
    #[serde(default)]
    params: Option<ParamsV1>,
    #[serde(default)]
    tally_params: Option<TallyParamsRaw>,
    #[serde(default)]
    deposit_params: Option<DepositParamsRaw>,
}

#[derive(Debug, Clone, Deserialize)]
struct ParamsV1 {
    #[serde(default)]
    min_deposit: Vec<Coin>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    quorum: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    threshold: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    veto_threshold: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    expedited_threshold: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct TallyParamsRaw {
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    quorum: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    threshold: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    veto_threshold: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct DepositParamsRaw {
    #[serde(default)]
    min_deposit: Vec<Coin>,
}

impl ParamsResponse {
    /// Merges the answers of the params queries; `None` when no tally parameters are in them.
    pub fn merge(responses: Vec<ParamsResponse>) -> Option<TallyParams> {
        let mut params = TallyParams::default();
        let mut found = false;
        for r in responses {
            if let Some(p) = r.params {
                if let (Some(q), Some(t), Some(v)) = (p.quorum, p.threshold, p.veto_threshold) {
                    (params.quorum, params.threshold, params.veto_threshold) = (q, t, v);
                    found = true;
                }
                params.expedited_threshold = p.expedited_threshold.or(params.expedited_threshold);
                if !p.min_deposit.is_empty() {
                    params.min_deposit = p.min_deposit;
                }
            }
            if let Some(t) = r.tally_params {
                if let (Some(q), Some(th), Some(v)) = (t.quorum, t.threshold, t.veto_threshold) {
                    if !found && q.parse::<f64>().unwrap_or(0.0) > 0.0 {
                        (params.quorum, params.threshold, params.veto_threshold) = (q, th, v);
                        found = true;
                    }
                }
            }
            if let Some(d) = r.deposit_params {
                if params.min_deposit.is_empty() {
                    params.min_deposit = d.min_deposit;
                }
            }
        }
        found.then_some(params)
    }
}

/// Which gov API a chain answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GovApi {
    V1,
    V1beta1,
}

impl GovApi {
    pub fn base(self) -> &'static str {
        match self {
            GovApi::V1 => "/cosmos/gov/v1",
            GovApi::V1beta1 => "/cosmos/gov/v1beta1",
        }
    }
}

/// One proposal of a list page, in the shape of `api`.
pub fn parse_proposal(value: Value, api: GovApi) -> Result<Proposal, serde_json::Error> {
    Ok(match api {
        GovApi::V1 => serde_json::from_value::<ProposalV1>(value)?.into(),
        GovApi::V1beta1 => serde_json::from_value::<ProposalV1beta1>(value)?.into(),
    })
}

/// One page of `GET /cosmos/gov/{v1,v1beta1}/proposals`: each proposal with the SHA-256 (hex) of
/// its JSON, so only proposals whose answer changed are stored again. The error says what is
/// malformed.
pub fn parse_proposals_page(api: GovApi, body: &[u8]) -> Result<Vec<(Proposal, String)>, String> {
    let page: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let items = page["proposals"]
        .as_array()
        .ok_or_else(|| "no proposals array".to_string())?;
    items
        .iter()
        .map(|item| {
            let hash = hex::encode(Sha256::digest(item.to_string().as_bytes()));
            let proposal = parse_proposal(item.clone(), api).map_err(|e| e.to_string())?;
            Ok((proposal, hash))
        })
        .collect()
}

/// `GET /cosmos/gov/{v1,v1beta1}/proposals/{id}`: `{"proposal": {...}}`.
pub fn parse_proposal_response(api: GovApi, body: &[u8]) -> Result<Proposal, String> {
    let mut answer: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let proposal = answer
        .get_mut("proposal")
        .map(Value::take)
        .ok_or_else(|| "no proposal in the answer".to_string())?;
    parse_proposal(proposal, api).map_err(|e| e.to_string())
}
