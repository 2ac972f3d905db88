//! The alert figures issue #4 asks for, printed: with ALERTS_BENCH_SUBSCRIBERS confirmed
//! subscribers (default 10,000) and a real SMTP server (aiosmtpd, `.ci/smtp_sink.py`):
//!   - the time to plan the event (one transaction writing every outbox row),
//!   - mails per second one sender sustains (MAIL_CONCURRENCY in flight, default 8),
//!   - the time from the proposal entering voting (as the governance worker records it) to
//!     the last mail accepted by the SMTP server, with the planner's interval excluded.
//!
//! Needs DATABASE_URL pointing at an empty database: `.ci/bench alerts` prepares one.

#[path = "../tests/suite/common/mod.rs"]
mod common;

use chrono::Utc;
use common::{
    alerts::{follow_network, insert_proposal, mailer, many_subscribers, sender, ProposalRow},
    smtp::SmtpSink,
};
use server::workers::alerts::plan::plan;
use std::time::{Duration, Instant};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let subscribers = env_number("ALERTS_BENCH_SUBSCRIBERS", 10_000) as i64;
    let concurrency = env_number("MAIL_CONCURRENCY", 8) as usize;
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must point at an empty database");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(20)
        .connect(&url)
        .await
        .unwrap();
    MIGRATIONS.run(&pool).await.unwrap();
    follow_network(&pool).await;
    many_subscribers(&pool, subscribers, Utc::now() - chrono::Duration::days(1)).await;
    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(120),
        concurrency,
    );

    let entered = Utc::now();
    insert_proposal(
        &pool,
        ProposalRow {
            id: 1000,
            status: "PROPOSAL_STATUS_VOTING_PERIOD",
            title: "Bench proposal",
            voting_end: Some(entered + chrono::Duration::days(14)),
            voting_seen_at: Some(entered),
            ended_seen_at: None,
        },
    )
    .await;
    let started = Instant::now();
    let planned = plan(&pool).await.unwrap();
    let plan_time = started.elapsed();
    assert_eq!(planned.mails, subscribers as u64);

    let sending = Instant::now();
    let mut sent = 0;
    while sent < subscribers as usize {
        let drained = sender.drain_once().await.unwrap();
        assert!(drained.claimed > 0, "rows left unsent");
        sent += drained.sent;
    }
    let send_time = sending.elapsed();
    let last_sent: chrono::DateTime<Utc> =
        sqlx::query_scalar("SELECT max(sent_at) FROM mail_outbox")
            .fetch_one(&pool)
            .await
            .unwrap();
    let received = sink.wait_for(subscribers as usize, 60).await.len();

    println!("alerts bench: {subscribers} confirmed subscribers, one sender, {concurrency} mails in flight");
    println!(
        "  plan (event + {subscribers} outbox rows, one transaction): {:.0} ms",
        plan_time.as_secs_f64() * 1000.0
    );
    println!(
        "  send: {sent} mails in {:.1} s = {:.0} mails/s ({received} received by the SMTP server)",
        send_time.as_secs_f64(),
        sent as f64 / send_time.as_secs_f64()
    );
    println!(
        "  proposal entered voting -> last mail accepted: {:.1} s (+ up to ALERTS_INTERVAL_SECS before the planner sees it)",
        (last_sent - entered).num_milliseconds() as f64 / 1000.0
    );
}
