//! Readable one-line summaries of proposal messages (and v1beta1 contents), stored beside their
//! type URLs. Chain text is untrusted: it is shortened and kept as plain text.

use serde_json::{json, Value};

const MAX: usize = 200;

/// `[{"type_url": ..., "summary": ...}]` for the messages of a proposal.
pub fn summarize(messages: &[Value]) -> Value {
    Value::Array(
        messages
            .iter()
            .map(|m| {
                let type_url = text(m, "@type");
                json!({ "type_url": clean(&type_url), "summary": clean(&summary(&type_url, m)) })
            })
            .collect(),
    )
}

fn summary(type_url: &str, m: &Value) -> String {
    let name = short(type_url);
    match name {
        "MsgExecLegacyContent" => {
            let content = &m["content"];
            format!("{}: {}", short(&text(content, "@type")), legacy(content))
        }
        "MsgCommunityPoolSpend" => format!(
            "spend {} from the community pool to {}",
            coins(&m["amount"]),
            text(m, "recipient")
        ),
        "MsgSoftwareUpgrade" => {
            let plan = &m["plan"];
            format!(
                "upgrade to {} at height {}",
                text(plan, "name"),
                text(plan, "height")
            )
        }
        "MsgCancelUpgrade" => "cancel the planned software upgrade".to_string(),
        "MsgUpdateParams" => format!("update the {} module's parameters", module_of(type_url)),
        _ if name.ends_with("Proposal") => format!("{name}: {}", legacy(m)),
        _ => name.to_string(),
    }
}

/// A v1beta1 content: its title, and for parameter changes the changes.
fn legacy(content: &Value) -> String {
    let title = text(content, "title");
    let changes: Vec<String> = content["changes"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| {
                    format!(
                        "{}.{} = {}",
                        text(c, "subspace"),
                        text(c, "key"),
                        text(c, "value")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if changes.is_empty() {
        title
    } else {
        format!("{title} ({})", changes.join(", "))
    }
}

fn coins(amount: &Value) -> String {
    let list: Vec<String> = serde_json::from_value::<Vec<app::coin::Coin>>(amount.clone())
        .unwrap_or_default()
        .iter()
        .map(|c| format!("{} {}", c.amount, c.denom))
        .collect();
    if list.is_empty() {
        "nothing".to_string()
    } else {
        list.join(" + ")
    }
}

fn text(v: &Value, key: &str) -> String {
    match &v[key] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn short(type_url: &str) -> &str {
    type_url.rsplit('.').next().unwrap_or(type_url)
}

/// `/cosmos.staking.v1beta1.MsgUpdateParams` → `staking`.
fn module_of(type_url: &str) -> &str {
    type_url
        .trim_start_matches('/')
        .split('.')
        .nth(1)
        .unwrap_or("a")
}

fn clean(text: &str) -> String {
    app::ui::text::shorten(&app::ui::text::one_line(text), MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_read_well() {
        let messages = vec![
            json!({"@type": "/cosmos.gov.v1.MsgExecLegacyContent", "content": {"@type": "/cosmos.params.v1beta1.ParameterChangeProposal", "title": "Halving", "changes": [{"subspace": "mint", "key": "InflationMax", "value": "\"0.1\""}]}}),
            json!({"@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", "recipient": "cosmos1abc", "amount": [{"denom": "uatom", "amount": "5"}]}),
            json!({"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "plan": {"name": "v22", "height": "24000000"}}),
            json!({"@type": "/cosmos.staking.v1beta1.MsgUpdateParams"}),
            json!({"@type": "/neutron.cron.MsgAddSchedule", "name": "x"}),
        ];
        let summaries: Vec<String> = summarize(&messages)
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["summary"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            summaries,
            vec![
                "ParameterChangeProposal: Halving (mint.InflationMax = \"0.1\")",
                "spend 5 uatom from the community pool to cosmos1abc",
                "upgrade to v22 at height 24000000",
                "update the staking module's parameters",
                "MsgAddSchedule",
            ]
        );
    }

    #[test]
    fn hostile_text_is_bounded_and_flat() {
        let m = json!({"@type": "/x.MsgExecLegacyContent", "content": {"@type": "/x.TextProposal", "title": format!("a\nb{}", "c".repeat(500))}});
        let summary = summarize(&[m])[0]["summary"].as_str().unwrap().to_string();
        assert!(
            !summary.contains('\n') && summary.ends_with('…') && summary.chars().count() == MAX + 1
        );
    }
}
