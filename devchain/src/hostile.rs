//! Hostile chain text, for tests and demos: validator descriptions and proposals written to break
//! out of HTML, run script, reorder the text around them with bidi controls, or add mail
//! headers. Anyone can put such text on a real chain (a validator chooses its description, anyone
//! with a deposit submits a proposal), so Stakeboard must show every piece of it as inert text.
//!
//! `PUT /_devchain/hostile` (or `--hostile`) gives five bonded validators these descriptions and
//! submits a hostile scenario proposal plus a proposal in the SDK 0.46 shape (empty title and
//! summary, text only in its metadata).

use crate::{gov::scenario::ScenarioSettings, state::merge};
use serde_json::{json, Value};

/// Every piece of hostile text contains this, so a test can find where it is shown.
pub const MARKER: &str = "Evil";

/// Descriptions given, in order, to the bonded validators at [`TARGET_RANKS`].
pub fn descriptions() -> Vec<Value> {
    vec![
        json!({
            "moniker": "</title><script>alert('moniker')</script>Evil",
            "identity": "\"><img src=x onerror=alert('identity')>",
            "website": "javascript:alert('website')",
            "security_contact": "<a href=\"javascript:alert('contact')\">Evil</a>",
            "details": "<script>alert('details')</script><img src=x onerror=alert('details')> Evil",
        }),
        json!({
            "moniker": "\u{202E}Evil lavE\u{202C} stake",
            "identity": "\u{2067}Evil\u{2069}",
            "website": "JaVaScRiPt:alert('mixed case')",
            "security_contact": "",
            "details": "Right-to-left override: \u{202E}Evil txet desrever",
        }),
        json!({
            "moniker": "<img src=x onerror=alert('img')>Evil",
            "identity": "",
            "website": "   javascript:alert('leading spaces')",
            "security_contact": "",
            "details": "<iframe src=\"javascript:alert('iframe')\"></iframe>Evil",
        }),
        json!({
            "moniker": "\"><svg onload=alert('svg')>Evil",
            "identity": "",
            "website": "data:text/html,<script>alert('data')</script>",
            "security_contact": "",
            "details": "<style>body{display:none}</style>Evil",
        }),
        json!({
            "moniker": "Evil\r\nBcc: victim@example.com",
            "identity": "",
            "website": "https://evil.example/\"><script>alert('href')</script>",
            "security_contact": "",
            "details": "Evil\r\nSubject: injected",
        }),
    ]
}

/// Ranks (1 = most voting power) of the bonded validators that get the hostile descriptions:
/// inside the active set, so they show on every page that lists validators.
pub const TARGET_RANKS: [usize; 5] = [7, 11, 23, 42, 97];

/// Gives the validators at [`TARGET_RANKS`] the hostile descriptions; returns their operator
/// addresses in that order.
pub fn apply_to_validators(validators: &mut [Value]) -> Vec<String> {
    let mut bonded: Vec<usize> = (0..validators.len())
        .filter(|&i| validators[i]["status"] == "BOND_STATUS_BONDED")
        .collect();
    let tokens = |v: &Value| {
        v["tokens"]
            .as_str()
            .and_then(|t| t.parse::<u128>().ok())
            .unwrap_or(0)
    };
    bonded.sort_by(|&a, &b| tokens(&validators[b]).cmp(&tokens(&validators[a])));
    TARGET_RANKS
        .iter()
        .zip(descriptions())
        .filter_map(|(rank, description)| {
            let index = *bonded.get(rank - 1)?;
            merge(
                &mut validators[index],
                &json!({ "description": description }),
            );
            validators[index]["operator_address"]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

/// A scenario proposal whose title, summary and metadata are hostile.
pub fn scenario() -> ScenarioSettings {
    ScenarioSettings {
        delegators: 20,
        deposit_secs: 0,
        voting_secs: 3600,
        title: Some(
            "</title><script>alert('title')</script>Evil \u{202E}txet\u{202C}\r\nBcc: everyone@example.com"
                .into(),
        ),
        summary: Some(
            "# Evil heading\nFirst sentence right after the heading.\n\n\
             <script>alert('summary')</script><img src=x onerror=alert('summary')>\n\n\
             [click](javascript:alert('link')) [also](JaVaScRiPt:alert('link'))\n\n\
             Send 1 ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2 Evil\n"
                .into(),
        ),
        metadata: Some(
            json!({ "title": "<script>alert('metadata')</script>", "summary": "<b onmouseover=alert('metadata')>Evil</b>" })
                .to_string(),
        ),
    }
}

/// A message of the SDK 0.46 proposals: a community-pool spend to a long IBC denom, whose
/// summary must wrap instead of running out of its card.
pub fn message() -> Value {
    json!({
        "@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
        "authority": "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn",
        "recipient": "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2",
        "amount": [{
            "denom": "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2<script>alert('denom')</script>",
            "amount": "1000000"
        }]
    })
}

/// An SDK 0.46 proposal: empty title and summary, its text (if any) only in `metadata`; a
/// software upgrade and [`message`].
pub fn sdk046_proposal(id: u64, submitted: &str, metadata: &str) -> Value {
    json!({
        "id": id.to_string(),
        "messages": [{
            "@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade",
            "authority": "cosmos10d07y265gmmuvt4z0w9aw880jnsr700j6zn9kn",
            "plan": { "name": "v99", "height": "99999999", "info": "", "upgraded_client_state": null }
        }, message()],
        "status": "PROPOSAL_STATUS_DEPOSIT_PERIOD",
        "final_tally_result": { "yes_count": "0", "abstain_count": "0", "no_count": "0", "no_with_veto_count": "0" },
        "submit_time": submitted,
        "deposit_end_time": submitted,
        "total_deposit": [{ "denom": "uatom", "amount": "1000" }],
        "voting_start_time": null,
        "voting_end_time": null,
        "metadata": metadata,
        "title": "",
        "summary": "",
        "proposer": "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2",
        "expedited": false,
        "failed_reason": ""
    })
}
