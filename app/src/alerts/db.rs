//! Queries over subscribers, their choices, tokens, sign-up attempts and the outbox.

use super::model::{NetworkChoice, NetworkOption, SubscriberStatus, ValidatorOption};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Followed networks, each with its validators (bonded first, by rank).
pub async fn options(pool: &PgPool) -> Result<Vec<NetworkOption>, sqlx::Error> {
    let networks = sqlx::query!(
        "SELECT slug, name, testnet FROM networks WHERE followed ORDER BY position, slug"
    )
    .fetch_all(pool)
    .await?;
    let validators = sqlx::query!(
        r#"SELECT network, operator_address, moniker, rank, status FROM validators
           WHERE removed_at IS NULL AND status <> 'tombstoned'
           ORDER BY network, rank"#
    )
    .fetch_all(pool)
    .await?;
    Ok(networks
        .into_iter()
        .map(|n| NetworkOption {
            validators: validators
                .iter()
                .filter(|v| v.network == n.slug)
                .map(|v| ValidatorOption {
                    operator_address: v.operator_address.clone(),
                    moniker: v.moniker.clone(),
                    rank: (v.status == "active").then_some(v.rank),
                })
                .collect(),
            slug: n.slug,
            name: n.name,
            testnet: n.testnet,
        })
        .collect())
}

/// The slugs of the followed networks.
pub async fn network_slugs(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!("SELECT slug FROM networks WHERE followed ORDER BY position, slug")
        .fetch_all(pool)
        .await
}

/// Of the given operator addresses on a network, those Stakeboard does not know.
pub async fn unknown_validators(
    pool: &PgPool,
    network: &str,
    operators: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT op AS "op!" FROM unnest($2::text[]) AS op
           WHERE NOT EXISTS (SELECT 1 FROM validators v WHERE v.network = $1 AND v.operator_address = op)"#,
        network,
        operators
    )
    .fetch_all(pool)
    .await
}

/// Sign-up requests from this IP since `since`.
pub async fn attempts_from_ip(
    conn: &mut PgConnection,
    ip: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", min(at) AS oldest FROM signup_attempts WHERE ip = $1 AND at >= $2"#,
        ip,
        since
    )
    .fetch_one(conn)
    .await?;
    Ok((row.count, row.oldest))
}

/// Mails queued for this address since `since`.
pub async fn mails_to_address(
    conn: &mut PgConnection,
    email: &str,
    since: DateTime<Utc>,
) -> Result<(i64, Option<DateTime<Utc>>), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "count!", min(at) AS oldest FROM signup_attempts
           WHERE email = $1 AND mailed AND at >= $2"#,
        email,
        since
    )
    .fetch_one(conn)
    .await?;
    Ok((row.count, row.oldest))
}

pub async fn record_attempt(
    conn: &mut PgConnection,
    ip: Option<&str>,
    email: &str,
    mailed: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        "INSERT INTO signup_attempts (ip, email, mailed) VALUES ($1, $2, $3) RETURNING id",
        ip,
        email,
        mailed
    )
    .fetch_one(conn)
    .await
}

pub struct LockedSubscriber {
    pub id: i64,
    pub status: SubscriberStatus,
}

/// The subscriber with this address, created pending when new, locked until the transaction ends.
pub async fn lock_or_create(
    conn: &mut PgConnection,
    email: &str,
) -> Result<LockedSubscriber, sqlx::Error> {
    let row = sqlx::query!(
        r#"INSERT INTO subscribers (email, status) VALUES ($1, 'pending')
           ON CONFLICT (email) DO UPDATE SET updated_at = now()
           RETURNING id, status"#,
        email
    )
    .fetch_one(conn)
    .await?;
    Ok(LockedSubscriber {
        id: row.id,
        status: SubscriberStatus::parse(&row.status),
    })
}

pub async fn set_status(
    conn: &mut PgConnection,
    id: i64,
    status: SubscriberStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"UPDATE subscribers SET status = $2, updated_at = now(),
               confirmed_at = CASE WHEN $2 = 'confirmed' THEN now() ELSE confirmed_at END,
               unsubscribed_at = CASE WHEN $2 = 'unsubscribed' THEN now() ELSE NULL END
           WHERE id = $1"#,
        id,
        status.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a subscriber's choices.
pub async fn replace_choices(
    conn: &mut PgConnection,
    id: i64,
    choices: &[NetworkChoice],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM subscriptions WHERE subscriber_id = $1", id)
        .execute(&mut *conn)
        .await?;
    for c in choices.iter().filter(|c| c.wants_anything()) {
        sqlx::query!(
            r#"INSERT INTO subscriptions
                   (subscriber_id, network, on_voting, on_result, reminder_hours, reminder_validators)
               VALUES ($1, $2, $3, $4, $5, $6)"#,
            id,
            c.network,
            c.on_voting,
            c.on_result,
            c.reminder_hours,
            &c.reminder_validators
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn choices(
    db: impl sqlx::PgExecutor<'_>,
    id: i64,
) -> Result<Vec<NetworkChoice>, sqlx::Error> {
    sqlx::query_as!(
        NetworkChoice,
        r#"SELECT network, on_voting, on_result, reminder_hours, reminder_validators
           FROM subscriptions WHERE subscriber_id = $1 ORDER BY network"#,
        id
    )
    .fetch_all(db)
    .await
}

/// Queues a mail; a second row with the same key is ignored.
pub async fn enqueue(
    conn: &mut PgConnection,
    dedupe_key: &str,
    subscriber_id: i64,
    kind: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"INSERT INTO mail_outbox (dedupe_key, subscriber_id, kind) VALUES ($1, $2, $3)
           ON CONFLICT (dedupe_key) DO NOTHING"#,
        dedupe_key,
        subscriber_id,
        kind
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels the alerts still queued for a subscriber (those a sender holds go out).
pub async fn cancel_queued(conn: &mut PgConnection, id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        r#"UPDATE mail_outbox SET cancelled_at = now(), last_error = 'unsubscribed'
           WHERE subscriber_id = $1 AND sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL
             AND (locked_until IS NULL OR locked_until < now())"#,
        id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// A token from a link, with its subscriber, locked until the transaction ends.
pub struct TokenRow {
    pub subscriber_id: i64,
    pub purpose: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
    pub email: String,
    pub status: SubscriberStatus,
    pub confirmed_at: Option<DateTime<Utc>>,
}

pub async fn lock_token(
    conn: &mut PgConnection,
    hash: &[u8],
) -> Result<Option<TokenRow>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT t.subscriber_id, t.purpose, t.expires_at, t.used_at, s.email, s.status, s.confirmed_at
           FROM subscriber_tokens t JOIN subscribers s ON s.id = t.subscriber_id
           WHERE t.token_hash = $1
           FOR UPDATE"#,
        hash
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| TokenRow {
        subscriber_id: r.subscriber_id,
        purpose: r.purpose,
        expires_at: r.expires_at,
        used_at: r.used_at,
        email: r.email,
        status: SubscriberStatus::parse(&r.status),
        confirmed_at: r.confirmed_at,
    }))
}

pub async fn mark_token_used(conn: &mut PgConnection, hash: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE subscriber_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL",
        hash
    )
    .execute(conn)
    .await?;
    Ok(())
}
