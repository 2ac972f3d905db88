//! From a claimed outbox row to the template context: links with fresh tokens, the proposal
//! as the templates show it.

use super::outbox::Claimed;
use crate::mail::compose::{excerpt, MailContext, MissingValidator, ProposalContext, TallyLine};
use crate::mail::templates::one_line;
use app::alerts::{service::CONFIRM_TTL_HOURS, token};
use chrono::{DateTime, Utc};

const EXCERPT_CHARS: usize = 400;

/// A token the mail will carry, to be stored (hashed) before the mail is sent.
pub struct NewToken {
    pub hash: Vec<u8>,
    pub subscriber_id: i64,
    pub purpose: &'static str,
    pub expires_at: Option<DateTime<Utc>>,
}

pub struct Prepared {
    pub context: MailContext,
    pub tokens: Vec<NewToken>,
}

pub fn prepare(row: &Claimed, site_url: &str, now: DateTime<Utc>) -> Prepared {
    let (manage, manage_hash) = token::generate();
    let mut tokens = vec![NewToken {
        hash: manage_hash,
        subscriber_id: row.subscriber_id,
        purpose: "manage",
        expires_at: None,
    }];
    let confirm_url = (row.kind == "confirm").then(|| {
        let (confirm, hash) = token::generate();
        tokens.push(NewToken {
            hash,
            subscriber_id: row.subscriber_id,
            purpose: "confirm",
            expires_at: Some(now + chrono::Duration::hours(CONFIRM_TTL_HOURS)),
        });
        format!("{site_url}/alerts/confirm?token={confirm}")
    });
    let proposal = row
        .proposal_id
        .map(|id| proposal_context(row, id, site_url, now));
    let missing = row
        .payload
        .get("missing")
        .and_then(|m| serde_json::from_value::<Vec<MissingValidator>>(m.clone()).ok())
        .unwrap_or_default();
    Prepared {
        context: MailContext {
            email: row.email.clone(),
            site_url: site_url.to_string(),
            manage_url: format!("{site_url}/alerts/manage?token={manage}"),
            unsubscribe_url: format!("{site_url}/alerts/unsubscribe?token={manage}"),
            confirm_url,
            confirm_hours: CONFIRM_TTL_HOURS,
            network: row.network_name.clone().or_else(|| row.network.clone()),
            proposal,
            missing,
        },
        tokens,
    }
}

fn proposal_context(row: &Claimed, id: i64, site_url: &str, now: DateTime<Utc>) -> ProposalContext {
    let spam_reasons = row.spam_reasons.clone().unwrap_or_default();
    let excerpt = if spam_reasons.is_empty() {
        excerpt(row.summary.as_deref().unwrap_or(""), EXCERPT_CHARS)
    } else {
        String::new()
    };
    ProposalContext {
        id,
        title: one_line(row.title.as_deref().unwrap_or_default()),
        excerpt,
        url: format!(
            "{site_url}/proposals/{}/{id}",
            row.network.as_deref().unwrap_or_default()
        ),
        voting_end: row
            .voting_end_time
            .map(|end| describe_end(end, now))
            .unwrap_or_else(|| "unknown".into()),
        spam_reasons,
        outcome: outcome(row.proposal_status.as_deref().unwrap_or("")),
        tally: row
            .final_tally
            .as_ref()
            .map(tally_lines)
            .unwrap_or_default(),
    }
}

fn describe_end(end: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let when = end.format("%Y-%m-%d %H:%M UTC");
    let left = end - now;
    if left <= chrono::Duration::zero() {
        when.to_string()
    } else if left < chrono::Duration::hours(2) {
        format!("{when} (in {} minutes)", left.num_minutes().max(1))
    } else if left < chrono::Duration::hours(48) {
        format!("{when} (in {} hours)", left.num_hours())
    } else {
        format!("{when} (in {} days)", left.num_days())
    }
}

fn outcome(status: &str) -> String {
    match status {
        "PROPOSAL_STATUS_PASSED" => "Passed".into(),
        "PROPOSAL_STATUS_REJECTED" => "Rejected".into(),
        "PROPOSAL_STATUS_FAILED" => "Failed".into(),
        other => other
            .trim_start_matches("PROPOSAL_STATUS_")
            .replace('_', " ")
            .to_lowercase(),
    }
}

fn tally_lines(tally: &[String; 4]) -> Vec<TallyLine> {
    let values: Vec<f64> = tally.iter().map(|v| v.parse().unwrap_or(0.0)).collect();
    let total: f64 = values.iter().sum();
    ["Yes", "No", "Abstain", "No with veto"]
        .into_iter()
        .zip(values)
        .map(|(option, v)| TallyLine {
            option,
            percent: if total > 0.0 {
                format!("{:.2}%", v / total * 100.0)
            } else {
                "—".into()
            },
        })
        .collect()
}
