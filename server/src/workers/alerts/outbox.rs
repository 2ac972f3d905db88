//! The outbox queue: claiming due rows under a lease (`FOR UPDATE SKIP LOCKED`, so two
//! senders never take the same row), and recording each row's outcome.

use app::governance::{status::ProposalStatus, tally::Tally};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::time::Duration;

/// A token a mail will carry, stored (hashed) before the mail is sent.
pub struct NewToken {
    pub hash: Vec<u8>,
    pub subscriber_id: i64,
    pub purpose: &'static str,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A claimed row with what its mail needs.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i32,
    pub payload: serde_json::Value,
    pub subscriber_id: i64,
    pub email: String,
    pub subscriber_status: String,
    pub network_name: Option<String>,
    pub network: Option<String>,
    pub proposal_id: Option<i64>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub proposal_status: Option<ProposalStatus>,
    pub voting_end_time: Option<DateTime<Utc>>,
    pub spam_reasons: Option<Vec<String>>,
    pub final_tally: Option<Tally<String>>,
}

/// Takes up to `limit` due rows for `sender` until `lease` ends.
pub async fn claim(
    pool: &PgPool,
    sender: &str,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"WITH claimed AS (
               UPDATE mail_outbox o
               SET locked_by = $1, locked_until = now() + make_interval(secs => $2),
                   attempts = o.attempts + 1
               WHERE o.id IN (
                   SELECT id FROM mail_outbox
                   WHERE sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL
                     AND next_attempt_at <= now()
                     AND (locked_until IS NULL OR locked_until < now())
                   ORDER BY next_attempt_at, id
                   LIMIT $3
                   FOR UPDATE SKIP LOCKED)
               RETURNING o.id, o.kind, o.created_at, o.attempts, o.payload, o.subscriber_id,
                         o.network, o.proposal_id)
           SELECT c.id, c.kind, c.created_at, c.attempts, c.payload, c.subscriber_id,
                  c.network, c.proposal_id,
                  s.email, s.status AS subscriber_status, n.name AS "network_name?",
                  p.title AS "title?", p.summary AS "summary?", p.status AS "proposal_status?",
                  p.voting_end_time, p.spam_reasons AS "spam_reasons?",
                  p.final_yes::text AS "final_yes?", p.final_no::text AS "final_no?",
                  p.final_abstain::text AS "final_abstain?",
                  p.final_no_with_veto::text AS "final_no_with_veto?"
           FROM claimed c
           JOIN subscribers s ON s.id = c.subscriber_id
           LEFT JOIN networks n ON n.slug = c.network
           LEFT JOIN proposals p ON p.network = c.network AND p.id = c.proposal_id
           ORDER BY c.id"#,
        sender,
        lease.as_secs_f64(),
        limit
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Claimed {
            id: r.id,
            kind: r.kind,
            created_at: r.created_at,
            attempts: r.attempts,
            payload: r.payload,
            subscriber_id: r.subscriber_id,
            email: r.email,
            subscriber_status: r.subscriber_status,
            network_name: r.network_name,
            network: r.network,
            proposal_id: r.proposal_id,
            title: r.title,
            summary: r.summary,
            proposal_status: r.proposal_status.as_deref().map(ProposalStatus::from_chain),
            voting_end_time: r.voting_end_time,
            spam_reasons: r.spam_reasons,
            final_tally: match (
                r.final_yes,
                r.final_no,
                r.final_abstain,
                r.final_no_with_veto,
            ) {
                (Some(yes), Some(no), Some(abstain), Some(no_with_veto)) => Some(Tally {
                    yes,
                    abstain,
                    no,
                    no_with_veto,
                }),
                _ => None,
            },
        })
        .collect())
}

/// Stores the hashes of the tokens the claimed mails will carry, before any is sent.
pub async fn store_tokens(pool: &PgPool, tokens: &[&NewToken]) -> Result<(), sqlx::Error> {
    let hashes: Vec<Vec<u8>> = tokens.iter().map(|t| t.hash.clone()).collect();
    let subscribers: Vec<i64> = tokens.iter().map(|t| t.subscriber_id).collect();
    let purposes: Vec<String> = tokens.iter().map(|t| t.purpose.to_string()).collect();
    let expiries: Vec<Option<DateTime<Utc>>> = tokens.iter().map(|t| t.expires_at).collect();
    sqlx::query!(
        r#"INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, expires_at)
           SELECT * FROM unnest($1::bytea[], $2::int8[], $3::text[], $4::timestamptz[])"#,
        &hashes,
        &subscribers,
        &purposes,
        &expiries as &[Option<DateTime<Utc>>]
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Right after the SMTP server accepted the mail: the shorter this gap, the smaller the
/// window in which a crash makes the row go out twice.
pub async fn mark_sent(pool: &PgPool, id: i64, sender: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"UPDATE mail_outbox SET sent_at = now(), locked_until = NULL, last_error = NULL
           WHERE id = $1 AND locked_by = $2 AND sent_at IS NULL"#,
        id,
        sender
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A try failed: try again after `retry_in`, or give up (`retry_in` None).
pub async fn mark_failed(
    pool: &PgPool,
    id: i64,
    sender: &str,
    error: &str,
    retry_in: Option<Duration>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE mail_outbox
           SET locked_until = NULL, last_error = $3,
               next_attempt_at = CASE WHEN $4::float8 IS NULL THEN next_attempt_at
                                      ELSE now() + make_interval(secs => $4) END,
               failed_at = CASE WHEN $4::float8 IS NULL THEN now() END
           WHERE id = $1 AND locked_by = $2 AND sent_at IS NULL"#,
        id,
        sender,
        error,
        retry_in.map(|d| d.as_secs_f64())
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The mail is no longer wanted (the address unsubscribed, or confirmed meanwhile).
pub async fn mark_cancelled(
    pool: &PgPool,
    id: i64,
    sender: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE mail_outbox SET cancelled_at = now(), locked_until = NULL, last_error = $3
           WHERE id = $1 AND locked_by = $2 AND sent_at IS NULL"#,
        id,
        sender,
        reason
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives a row back untried (its lease would end before the mail could be sent).
pub async fn release(pool: &PgPool, id: i64, sender: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE mail_outbox SET locked_until = NULL, attempts = greatest(attempts - 1, 0)
           WHERE id = $1 AND locked_by = $2 AND sent_at IS NULL"#,
        id,
        sender
    )
    .execute(pool)
    .await?;
    Ok(())
}
