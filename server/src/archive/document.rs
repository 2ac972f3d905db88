//! The archive's document format: every response of one collection, verbatim, so it can be
//! replayed later.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde_json::{json, value::RawValue};

/// One JSON document holding every response as sent (a body that is not JSON is kept as a string).
pub fn document(
    network: &str,
    chain_id: &str,
    collected_at: DateTime<Utc>,
    responses: &[(&str, &Bytes)],
) -> Bytes {
    let entries: Vec<serde_json::Value> = responses
        .iter()
        .map(|(endpoint, body)| {
            let text = String::from_utf8_lossy(body).into_owned();
            match RawValue::from_string(text.clone()) {
                Ok(raw) => json!({ "endpoint": endpoint, "body": raw }),
                Err(_) => json!({ "endpoint": endpoint, "body_text": text }),
            }
        })
        .collect();
    let document = json!({ "network": network, "chain_id": chain_id, "collected_at": collected_at, "responses": entries });
    Bytes::from(serde_json::to_vec(&document).expect("a JSON value serializes"))
}

/// The key of a timestamped document: `{prefix}/{UTC timestamp}.json`.
pub fn timestamped(prefix: &str, at: DateTime<Utc>) -> String {
    format!("{prefix}/{}.json", at.format("%Y%m%dT%H%M%S%.3fZ"))
}
