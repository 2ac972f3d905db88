//! Alerts from event to mailbox, against real Postgres and a real SMTP server: the planner
//! queues exactly one mail per (event, subscriber); senders racing, failing and retrying
//! deliver each row once.

use crate::common;

use crate::common::{
    alerts::{
        drain, follow_network, insert_proposal, mailer, many_subscribers, open_proposal,
        outbox_count, sender, subscriber, validator, ProposalRow,
    },
    smtp::SmtpSink,
};
use chrono::{Duration as Span, Utc};
use server::workers::alerts::plan::plan;
use sqlx::PgPool;
use std::{collections::HashMap, time::Duration};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const VOTING: &str = "PROPOSAL_STATUS_VOTING_PERIOD";

#[sqlx::test(migrator = "MIGRATIONS")]
async fn each_event_queues_one_mail_per_confirmed_subscriber_once(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    let early = subscriber(&pool, "early@example.org", "confirmed", now - Span::days(1)).await;
    subscriber(&pool, "pending@example.org", "pending", now - Span::days(1)).await;
    subscriber(
        &pool,
        "gone@example.org",
        "unsubscribed",
        now - Span::days(1),
    )
    .await;
    // Confirmed after proposal 1 entered voting: it is not sent old news.
    subscriber(
        &pool,
        "late@example.org",
        "confirmed",
        now - Span::minutes(1),
    )
    .await;
    insert_proposal(
        &pool,
        ProposalRow {
            id: 1,
            status: VOTING,
            title: "Open",
            voting_end: Some(now + Span::days(3)),
            voting_seen_at: Some(now - Span::hours(1)),
            ended_seen_at: None,
        },
    )
    .await;
    insert_proposal(
        &pool,
        ProposalRow {
            id: 2,
            status: "PROPOSAL_STATUS_PASSED",
            title: "Done",
            voting_end: Some(now - Span::seconds(10)),
            voting_seen_at: Some(now - Span::days(14)),
            ended_seen_at: Some(now),
        },
    )
    .await;
    insert_proposal(
        &pool,
        ProposalRow {
            id: 3,
            status: "PROPOSAL_STATUS_DEPOSIT_PERIOD",
            title: "Deposit",
            voting_end: None,
            voting_seen_at: None,
            ended_seen_at: None,
        },
    )
    .await;

    let first = plan(&pool).await.unwrap();
    // Proposal 2 entered voting before "early" confirmed: only its result is news to them.
    assert_eq!(first.events, 3, "voting on 1 and 2, result of 2");
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT dedupe_key FROM mail_outbox ORDER BY dedupe_key")
            .fetch_all(&pool)
            .await
            .unwrap();
    let late = early + 3;
    assert_eq!(
        keys,
        vec![
            format!("result:cosmoshub:2:{early}"),
            format!("result:cosmoshub:2:{late}"),
            format!("voting:cosmoshub:1:{early}"),
        ]
    );
    let recipients: i32 = sqlx::query_scalar(
        "SELECT recipients FROM alert_events WHERE proposal_id = 2 AND kind = 'result'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(recipients, 2);

    // Nothing new: a second round (or a second planner) queues nothing.
    assert_eq!(plan(&pool).await.unwrap().mails, 0);
    assert_eq!(outbox_count(&pool, "TRUE").await, 3);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_reminder_names_only_the_watched_validators_that_have_not_voted(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    validator(
        &pool,
        "cosmosvaloper1voted",
        "cosmos1voted",
        "Voted Node",
        1,
    )
    .await;
    validator(
        &pool,
        "cosmosvaloper1silent",
        "cosmos1silent",
        "Silent <b>Node</b>",
        2,
    )
    .await;
    validator(&pool, "cosmosvaloper1other", "cosmos1other", "Other", 3).await;
    let watcher = subscriber(&pool, "watch@example.org", "confirmed", now - Span::days(1)).await;
    sqlx::query("UPDATE subscriptions SET on_voting = FALSE, reminder_hours = 24, reminder_validators = $2 WHERE subscriber_id = $1")
        .bind(watcher)
        .bind(vec!["cosmosvaloper1voted", "cosmosvaloper1silent"])
        .execute(&pool)
        .await
        .unwrap();
    let all_voted = subscriber(&pool, "calm@example.org", "confirmed", now - Span::days(1)).await;
    sqlx::query("UPDATE subscriptions SET on_voting = FALSE, reminder_hours = 24, reminder_validators = '{cosmosvaloper1voted}' WHERE subscriber_id = $1")
        .bind(all_voted)
        .execute(&pool)
        .await
        .unwrap();
    // Ends in 30 h (not due yet at 24 h), then in 10 h (due).
    insert_proposal(
        &pool,
        ProposalRow {
            id: 7,
            status: VOTING,
            title: "Upgrade",
            voting_end: Some(now + Span::hours(30)),
            voting_seen_at: Some(now - Span::days(1)),
            ended_seen_at: None,
        },
    )
    .await;
    sqlx::query("INSERT INTO votes (network, proposal_id, voter, options, option, first_seen_at, changed_at) VALUES ('cosmoshub', 7, 'cosmos1voted', 'yes', 'yes', now(), now())")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(plan(&pool).await.unwrap().reminders_checked, 0);
    sqlx::query("UPDATE proposals SET voting_end_time = now() + interval '10 hours' WHERE id = 7")
        .execute(&pool)
        .await
        .unwrap();
    let planned = plan(&pool).await.unwrap();
    assert_eq!((planned.reminders_checked, planned.mails), (2, 1));
    assert_eq!(
        plan(&pool).await.unwrap().reminders_checked,
        0,
        "one check per subscriber and proposal"
    );

    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(30),
        2,
    );
    assert_eq!(drain(&sender).await, 1);
    let mail = &sink.mails_to("watch@example.org")[0];
    assert!(
        mail.header("subject")
            .contains("1 of your validators has not voted on #7"),
        "{}",
        mail.header("subject")
    );
    assert!(
        mail.text
            .contains("- Silent <b>Node</b> (cosmosvaloper1silent)"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("Voted Node"));
    assert!(
        mail.html.contains("Silent &lt;b&gt;Node") && !mail.html.contains("<b>Node"),
        "names are escaped in HTML"
    );
    assert!(sink.mails_to("calm@example.org").is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_voting_alert_carries_escaped_text_links_and_unsubscribe_headers(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    subscriber(
        &pool,
        "reader@example.org",
        "confirmed",
        now - Span::days(1),
    )
    .await;
    open_proposal(
        &pool,
        42,
        "Raise <script>alert(1)</script> limit\r\nBcc: victim@example.org",
    )
    .await;
    plan(&pool).await.unwrap();
    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let sender = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(30),
        2,
    );
    assert_eq!(drain(&sender).await, 1);
    let mails = sink.mails();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.header("x-envelope-to"),
        "reader@example.org",
        "no extra recipient was injected"
    );
    assert!(!mail.headers.contains_key("bcc"));
    assert!(mail
        .header("subject")
        .starts_with("[Cosmos Hub] Proposal #42 is open for voting: Raise"));
    assert!(mail.header("message-id").starts_with("<stakeboard."));
    assert!(mail
        .header("list-unsubscribe")
        .starts_with("<http://stakeboard.test/alerts/unsubscribe?token="));
    assert_eq!(
        mail.header("list-unsubscribe-post"),
        "List-Unsubscribe=One-Click"
    );
    assert!(mail
        .text
        .contains("http://stakeboard.test/proposals/cosmoshub/42"));
    assert!(
        mail.text.contains("A summary with a link and <b>tags</b>."),
        "{}",
        mail.text
    );
    assert!(
        !mail.text.contains("evil.example"),
        "links in the summary are dropped"
    );
    assert!(!mail.html.contains("<script>") && mail.html.contains("&lt;script&gt;"));
    assert!(!mail.html.contains("<b>tags"));
    let manage = mail.link("/alerts/manage?token=").unwrap();
    let token = manage.split("token=").nth(1).unwrap();
    let owner = app::alerts::service::manage_view(&pool, token)
        .await
        .unwrap();
    assert_eq!(owner.email, "reader@example.org");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn two_senders_racing_over_a_thousand_rows_send_each_once(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    many_subscribers(&pool, 1000, now - Span::days(1)).await;
    open_proposal(&pool, 5, "Race").await;
    assert_eq!(plan(&pool).await.unwrap().mails, 1000);

    let sink = SmtpSink::start();
    let dir = tempfile::tempdir().unwrap();
    let one = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(60),
        4,
    );
    let two = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(60),
        4,
    );
    let (a, b) = tokio::join!(drain(&one), drain(&two));
    assert_eq!(a + b, 1000);
    assert!(a > 0 && b > 0, "both senders took part ({a} + {b})");

    let mails = sink.mails();
    assert_eq!(mails.len(), 1000);
    let mut per_id: HashMap<String, usize> = HashMap::new();
    let mut per_address: HashMap<String, usize> = HashMap::new();
    for mail in &mails {
        *per_id
            .entry(mail.header("message-id").to_string())
            .or_default() += 1;
        *per_address
            .entry(mail.header("x-envelope-to").to_string())
            .or_default() += 1;
    }
    assert_eq!(per_id.len(), 1000, "every Message-ID once");
    assert_eq!(per_address.len(), 1000);
    assert!(per_address.values().all(|n| *n == 1));
    assert_eq!(outbox_count(&pool, "sent_at IS NOT NULL").await, 1000);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn failures_are_retried_with_backoff_or_recorded_as_permanent(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    for email in [
        "ok@example.org",
        "tempfail@example.org",
        "reject@example.org",
    ] {
        subscriber(&pool, email, "confirmed", now - Span::days(1)).await;
    }
    open_proposal(&pool, 9, "Retry").await;
    plan(&pool).await.unwrap();
    let dir = tempfile::tempdir().unwrap();

    // No SMTP server at all: every row waits for a retry, with the reason.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = sender(
        &pool,
        mailer(Some(&format!("smtp://127.0.0.1:{port}")), dir.path()).await,
        Duration::from_secs(30),
        2,
    );
    let drained = down.drain_once().await.unwrap();
    assert_eq!((drained.claimed, drained.retried), (3, 3));
    assert_eq!(outbox_count(&pool, "next_attempt_at > now() + interval '20 seconds' AND last_error LIKE 'SMTP:%' AND attempts = 1").await, 3);
    sqlx::query("UPDATE mail_outbox SET next_attempt_at = now()")
        .execute(&pool)
        .await
        .unwrap();

    let sink = SmtpSink::start();
    let up = sender(
        &pool,
        mailer(Some(&sink.url()), dir.path()).await,
        Duration::from_secs(30),
        2,
    );
    let drained = up.drain_once().await.unwrap();
    assert_eq!((drained.sent, drained.retried, drained.failed), (1, 1, 1));
    let failed: (String, String) = sqlx::query_as(
        "SELECT s.email, o.last_error FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id WHERE o.failed_at IS NOT NULL",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(failed.0, "reject@example.org");
    assert!(failed.1.contains("mailbox unavailable"), "{}", failed.1);
    // The temporary failure gives up after max_attempts (3) tries.
    for _ in 0..2 {
        sqlx::query("UPDATE mail_outbox SET next_attempt_at = now() WHERE sent_at IS NULL AND failed_at IS NULL")
            .execute(&pool)
            .await
            .unwrap();
        up.drain_once().await.unwrap();
    }
    assert_eq!(outbox_count(&pool, "failed_at IS NOT NULL").await, 2);
    assert_eq!(sink.mails().len(), 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn without_smtp_mails_are_written_as_files(pool: PgPool) {
    follow_network(&pool).await;
    let now = Utc::now();
    subscriber(&pool, "files@example.org", "confirmed", now - Span::days(1)).await;
    open_proposal(&pool, 11, "Files").await;
    plan(&pool).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let files = sender(
        &pool,
        mailer(None, dir.path()).await,
        Duration::from_secs(30),
        1,
    );
    assert_eq!(drain(&files).await, 1);
    let written = common::smtp::read_mails(dir.path());
    assert_eq!(written.len(), 1);
    assert!(written[0].header("subject").contains("#11"));
    assert!(written[0].header("to").contains("files@example.org"));
}
