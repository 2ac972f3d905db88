//! From a claimed outbox row to the template context: links with fresh tokens, the proposal
//! as the templates show it.

use super::outbox::{Claimed, NewToken};
use crate::mail::compose::{excerpt, MailContext, MissingValidator, ProposalContext, TallyLine};
use crate::mail::templates::subject_line;
use app::{
    alerts::{service::CONFIRM_TTL_HOURS, token},
    governance::tally::Tally,
};
use chrono::{DateTime, Utc};

const EXCERPT_CHARS: usize = 400;

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
        title: subject_line(row.title.as_deref().unwrap_or_default()),
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
        outcome: row
            .proposal_status
            .map(|s| s.label().to_string())
            .unwrap_or_default(),
        tally: row
            .final_tally
            .as_ref()
            .map(tally_lines)
            .unwrap_or_default(),
    }
}

/// The end as a date and, while it is ahead, how far ahead, rounded to the nearest minute, hour
/// or day (a vote ending in 2 days 23 hours ends "in 3 days").
fn describe_end(end: DateTime<Utc>, now: DateTime<Utc>) -> String {
    use chrono::Duration;
    let when = end.format("%Y-%m-%d %H:%M UTC");
    let left = end - now;
    let rounded = |unit: Duration, name: &str| {
        let n = ((left + unit / 2).num_seconds() / unit.num_seconds()).max(1);
        format!("{when} (in {n} {name}{})", if n == 1 { "" } else { "s" })
    };
    if left <= Duration::zero() {
        when.to_string()
    } else if left < Duration::hours(2) {
        rounded(Duration::minutes(1), "minute")
    } else if left < Duration::hours(48) {
        rounded(Duration::hours(1), "hour")
    } else {
        rounded(Duration::days(1), "day")
    }
}

fn tally_lines(tally: &Tally<String>) -> Vec<TallyLine> {
    let values = tally.map(|v| v.parse::<f64>().unwrap_or(0.0));
    let total = values.total();
    // Yes and No first: what a reader of the result looks for.
    [
        ("Yes", values.yes),
        ("No", values.no),
        ("Abstain", values.abstain),
        ("No with veto", values.no_with_veto),
    ]
    .into_iter()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_is_rounded_not_floored() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let after = |minutes: i64| describe_end(now + chrono::Duration::minutes(minutes), now);
        assert!(
            after(3 * 1440 - 60).ends_with("(in 3 days)"),
            "{}",
            after(3 * 1440 - 60)
        );
        assert!(after(2 * 1440 + 11 * 60).ends_with("(in 2 days)"));
        assert!(after(5 * 60 - 1).ends_with("(in 5 hours)"));
        assert!(after(47 * 60 + 50).ends_with("(in 48 hours)"));
        assert!(after(1).ends_with("(in 1 minute)"));
        assert_eq!(after(-5), "2026-11-30 11:55 UTC");
    }
}
