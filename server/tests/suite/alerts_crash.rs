//! Kill -9 the sender at random points and restart it: every subscriber still gets the mail,
//! and a mail sent twice (the process died between the SMTP server's "accepted" and the row's
//! "sent") carries the same Message-ID both times.

use crate::common;

use crate::common::{
    alerts::{follow_network, insert_proposal, many_subscribers, outbox_count, ProposalRow},
    process::{random_ms, worker_command},
    smtp::SmtpSink,
};
use chrono::{Duration as Span, Utc};
use server::workers::alerts::plan::plan;
use sqlx::PgPool;
use std::{
    collections::{HashMap, HashSet},
    process::Child,
    time::Duration,
};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const SUBSCRIBERS: i64 = 400;

fn worker(pool: &PgPool, dir: &std::path::Path, sink: &SmtpSink) -> Child {
    worker_command(
        pool,
        dir,
        "[[network]]\nslug = \"cosmoshub\"\nname = \"Cosmos Hub\"\nchain_id = \"cosmoshub-4\"\nrest_url = \"http://127.0.0.1:9\"\nbech32_prefix = \"cosmos\"\ndenom = \"uatom\"\ndisplay_denom = \"ATOM\"\nexponent = 6\ntestnet = false\n",
    )
    .env("SMTP_URL", sink.url())
    .env("MAIL_LEASE_SECS", "2")
    .env("SMTP_TIMEOUT_SECS", "1")
    .env("MAIL_CONCURRENCY", "4")
    .env("CHAIN_ATTEMPTS", "1")
    .spawn()
    .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sender_killed_at_random_points_loses_no_mail(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    many_subscribers(&pool, SUBSCRIBERS, now - Span::days(1)).await;
    insert_proposal(
        &pool,
        ProposalRow {
            id: 77,
            status: "PROPOSAL_STATUS_VOTING_PERIOD",
            title: "Crash",
            voting_end: Some(now + Span::days(2)),
            voting_seen_at: Some(now),
            ended_seen_at: None,
        },
    )
    .await;
    assert_eq!(plan(&pool).await.unwrap().mails, SUBSCRIBERS as u64);

    // Each accepted message is held 10 ms, so kills land in the middle of sends.
    let sink = SmtpSink::start_with_delay(10);
    let dir = tempfile::tempdir().unwrap();
    let mut kills = 0;
    for _ in 0..5 {
        let mut child = worker(&pool, dir.path(), &sink);
        tokio::time::sleep(Duration::from_millis(random_ms(400, 1600))).await;
        child.kill().unwrap(); // SIGKILL: no clean shutdown
        child.wait().unwrap();
        kills += 1;
        if outbox_count(&pool, "sent_at IS NULL").await == 0 {
            break;
        }
    }
    assert!(kills >= 1);
    let unsent_after_kills = outbox_count(&pool, "sent_at IS NULL").await;

    let mut child = worker(&pool, dir.path(), &sink);
    common::eventually(60, "every row sent after the restart", || async {
        (outbox_count(&pool, "sent_at IS NULL").await == 0).then_some(())
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();

    let mails = sink.mails();
    let mut ids_per_address: HashMap<String, HashSet<String>> = HashMap::new();
    let mut copies: HashMap<String, usize> = HashMap::new();
    for mail in &mails {
        let to = mail.header("x-envelope-to").to_string();
        ids_per_address
            .entry(to.clone())
            .or_default()
            .insert(mail.header("message-id").to_string());
        *copies.entry(to).or_default() += 1;
    }
    assert_eq!(
        ids_per_address.len(),
        SUBSCRIBERS as usize,
        "every subscriber got the alert"
    );
    assert!(
        ids_per_address.values().all(|ids| ids.len() == 1),
        "a resent mail carries the first one's Message-ID"
    );
    let resent = copies.values().filter(|n| **n > 1).count();
    eprintln!(
        "{kills} kills, {unsent_after_kills} rows left for the restart, {} mails for {SUBSCRIBERS} rows, {resent} addresses got a resend",
        mails.len()
    );
    assert!(
        resent <= kills * 4,
        "at most the mails in flight at each kill are resent"
    );
    assert_eq!(outbox_count(&pool, "failed_at IS NOT NULL").await, 0);
}
