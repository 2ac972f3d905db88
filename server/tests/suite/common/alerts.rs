//! Rows and parts the alert tests share: a followed network, proposals, subscribers, senders.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use server::{
    config::networks::Network,
    mail::{templates::Templates, MailSettings, Mailer},
    workers::alerts::sender::{Sender, SenderSettings},
};
use sqlx::PgPool;
use std::{sync::Arc, time::Duration};

pub const SITE: &str = "http://stakeboard.test";

/// A followed network whose node is never reached (the alert tests write its rows).
pub fn network() -> Network {
    super::hub_at("http://127.0.0.1:9", "Cosmos Hub")
}

pub async fn follow_network(pool: &PgPool) {
    server::db::sync_networks(pool, &[network()]).await.unwrap();
}

pub struct ProposalRow<'a> {
    pub id: i64,
    pub status: &'a str,
    pub title: &'a str,
    pub voting_end: Option<DateTime<Utc>>,
    pub voting_seen_at: Option<DateTime<Utc>>,
    pub ended_seen_at: Option<DateTime<Utc>>,
}

pub async fn insert_proposal(pool: &PgPool, p: ProposalRow<'_>) {
    sqlx::query(
        r#"INSERT INTO proposals (network, id, status, title, summary, source_hash, first_seen_at,
               updated_at, voting_end_time, voting_seen_at, ended_seen_at, final_yes, final_no)
           VALUES ('cosmoshub', $1, $2, $3, 'A **summary** with [a link](https://evil.example) and <b>tags</b>.',
                   'h', now(), now(), $4, $5, $6, 700, 300)"#,
    )
    .bind(p.id)
    .bind(p.status)
    .bind(p.title)
    .bind(p.voting_end)
    .bind(p.voting_seen_at)
    .bind(p.ended_seen_at)
    .execute(pool)
    .await
    .unwrap();
}

/// A proposal that entered its voting period now and ends in two days.
pub async fn open_proposal(pool: &PgPool, id: i64, title: &str) {
    let now = Utc::now();
    insert_proposal(
        pool,
        ProposalRow {
            id,
            status: "PROPOSAL_STATUS_VOTING_PERIOD",
            title,
            voting_end: Some(now + chrono::Duration::days(2)),
            voting_seen_at: Some(now),
            ended_seen_at: None,
        },
    )
    .await;
}

/// A confirmed subscriber (confirmed at `confirmed_at`) hearing about proposals in voting.
pub async fn subscriber(
    pool: &PgPool,
    email: &str,
    status: &str,
    confirmed_at: DateTime<Utc>,
) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subscribers (email, status, confirmed_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(email)
    .bind(status)
    .bind(confirmed_at)
    .fetch_one(pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO subscriptions (subscriber_id, network, on_voting, on_result) VALUES ($1, 'cosmoshub', TRUE, TRUE)")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    id
}

/// `count` confirmed subscribers (`sub{i}@example.org`), inserted in one statement.
pub async fn many_subscribers(pool: &PgPool, count: i64, confirmed_at: DateTime<Utc>) {
    sqlx::query(
        r#"WITH s AS (
               INSERT INTO subscribers (email, status, confirmed_at)
               SELECT 'sub' || i || '@example.org', 'confirmed', $2 FROM generate_series(1, $1) i
               RETURNING id)
           INSERT INTO subscriptions (subscriber_id, network, on_voting) SELECT id, 'cosmoshub', TRUE FROM s"#,
    )
    .bind(count)
    .bind(confirmed_at)
    .execute(pool)
    .await
    .unwrap();
}

pub async fn mailer(smtp_url: Option<&str>, dir: &std::path::Path) -> Mailer {
    let url = smtp_url.map(|u| SecretString::from(u.to_string()));
    Mailer::open(MailSettings {
        smtp_url: url.as_ref(),
        mail_dir: dir.to_path_buf(),
        from: "Stakeboard <alerts@stakeboard.test>",
        timeout: Duration::from_secs(5),
        connections: 8,
    })
    .await
    .unwrap()
}

pub fn sender(pool: &PgPool, mailer: Mailer, lease: Duration, concurrency: usize) -> Sender {
    Sender::new(
        pool.clone(),
        mailer,
        Arc::new(Templates::load()),
        SenderSettings {
            site_url: SITE.into(),
            lease,
            send_timeout: Duration::from_secs(5),
            concurrency,
            max_attempts: 3,
            idle: Duration::from_millis(100),
        },
    )
}

/// Drains until the sender finds nothing due.
pub async fn drain(sender: &Sender) -> usize {
    let mut sent = 0;
    loop {
        let drained = sender.drain_once().await.unwrap();
        if drained.claimed == 0 {
            return sent;
        }
        sent += drained.sent;
    }
}

pub async fn outbox_count(pool: &PgPool, condition: &str) -> i64 {
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM mail_outbox WHERE {condition}"
    ))
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A bonded validator with the given rank.
pub async fn validator(pool: &PgPool, operator: &str, account: &str, moniker: &str, rank: i32) {
    sqlx::query(
        r#"INSERT INTO validators (network, operator_address, account_address, moniker, status, bond_status,
               jailed, tombstoned, tokens, delegator_shares, commission_rate, commission_max_rate,
               commission_max_change_rate, rank, first_seen_at, last_seen_at)
           VALUES ('cosmoshub', $1, $2, $3, 'active', 'BOND_STATUS_BONDED', FALSE, FALSE, 1000, 1000,
                   0.05, 0.2, 0.01, $4, now(), now())"#,
    )
    .bind(operator)
    .bind(account)
    .bind(moniker)
    .bind(rank)
    .execute(pool)
    .await
    .unwrap();
}
