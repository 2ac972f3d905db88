//! The sign-up flow against a real Postgres: subscribe → queued confirmation → confirm, the
//! limits per IP and per address, bad input, the links' tokens, unsubscribing and undoing it.

use crate::common::alerts::{follow_network, outbox_count};
use app::alerts::{
    model::{ConfirmOutcome, SubscriberStatus, UnsubscribeOutcome},
    service::{self, SignupError, SignupLimits},
    token,
};
use chrono::{Duration, Utc};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn form(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn signup(email: &str) -> Vec<(String, String)> {
    form(&[("email", email), ("voting", "cosmoshub")])
}

async fn status_of(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar("SELECT status FROM subscribers WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// A token of `purpose` for the subscriber with `email`, as the sender would store it.
async fn issue(pool: &PgPool, email: &str, purpose: &str, expires_in: Option<Duration>) -> String {
    let (text, hash) = token::generate();
    sqlx::query(
        r#"INSERT INTO subscriber_tokens (token_hash, subscriber_id, purpose, expires_at)
           SELECT $1, id, $3, $4 FROM subscribers WHERE email = $2"#,
    )
    .bind(hash)
    .bind(email)
    .bind(purpose)
    .bind(expires_in.map(|d| Utc::now() + d))
    .execute(pool)
    .await
    .unwrap();
    text
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sign_up_is_a_pending_subscriber_and_a_queued_confirmation(pool: PgPool) {
    follow_network(&pool).await;
    let email = service::subscribe(
        &pool,
        SignupLimits::default(),
        &form(&[
            ("email", " Alice@Example.ORG "),
            ("voting", "cosmoshub"),
            ("result", "cosmoshub"),
        ]),
        Some("10.0.0.1"),
    )
    .await
    .unwrap();
    assert_eq!(email.as_str(), "alice@example.org");
    assert_eq!(status_of(&pool, "alice@example.org").await, "pending");
    assert_eq!(outbox_count(&pool, "kind = 'confirm'").await, 1);
    let (voting, result): (bool, bool) = sqlx::query_as(
        "SELECT on_voting, on_result FROM subscriptions JOIN subscribers s ON s.id = subscriber_id WHERE s.email = 'alice@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(voting && result);

    // Signing up again while pending sends another confirmation and keeps one subscriber.
    service::subscribe(
        &pool,
        SignupLimits::default(),
        &signup("alice@example.org"),
        Some("10.0.0.1"),
    )
    .await
    .unwrap();
    assert_eq!(outbox_count(&pool, "kind = 'confirm'").await, 2);
    let subscribers: i64 = sqlx::query_scalar("SELECT count(*) FROM subscribers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(subscribers, 1);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_input_is_refused_with_a_clear_reason_and_stores_nothing(pool: PgPool) {
    follow_network(&pool).await;
    let limits = SignupLimits::default();
    let cases: Vec<(Vec<(String, String)>, &str)> = vec![
        (signup("not-an-address"), "needs one @"),
        (signup(""), "enter an e-mail address"),
        (
            signup("alice@example.org\r\nBcc: victim@example.org"),
            "domain",
        ),
        (signup("alice\r\nbcc: x@example.org"), "before the @"),
        (
            signup(&format!("{}@example.org", "a".repeat(300))),
            "too long",
        ),
        (
            form(&[("email", "a@example.org"), ("voting", "osmosis")]),
            "does not follow",
        ),
        (form(&[("email", "a@example.org")]), "at least one alert"),
        (
            form(&[
                ("email", "a@example.org"),
                ("reminder_hours:cosmoshub", "24"),
                ("validators:cosmoshub", "cosmosvaloper1nothere"),
            ]),
            "is not a validator",
        ),
        (
            form(&[
                ("email", "a@example.org"),
                ("reminder_hours:cosmoshub", "24\r\nX: y"),
            ]),
            "lead times",
        ),
    ];
    for (input, expected) in cases {
        match service::subscribe(&pool, limits, &input, Some("10.0.0.2")).await {
            Err(SignupError::Invalid(message)) => {
                assert!(
                    message.contains(expected),
                    "{input:?}: {message:?} lacks {expected:?}"
                )
            }
            other => panic!("{input:?} gave {other:?}"),
        }
    }
    assert_eq!(outbox_count(&pool, "TRUE").await, 0);
    let subscribers: i64 = sqlx::query_scalar("SELECT count(*) FROM subscribers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(subscribers, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_limits_per_ip_and_per_address_stop_a_flood(pool: PgPool) {
    follow_network(&pool).await;
    let limits = SignupLimits {
        per_ip_per_hour: 5,
        mails_per_address_per_day: 2,
    };
    // One address: two confirmation mails, then a clear refusal saying when.
    for _ in 0..2 {
        service::subscribe(
            &pool,
            limits,
            &signup("victim@example.org"),
            Some("10.0.0.3"),
        )
        .await
        .unwrap();
    }
    let refused = service::subscribe(
        &pool,
        limits,
        &signup("victim@example.org"),
        Some("10.0.0.4"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, SignupError::TooManyForAddress(at) if at > Utc::now() + Duration::hours(23))
    );
    assert!(refused.to_string().contains("try again after"));
    assert_eq!(outbox_count(&pool, "TRUE").await, 2);

    // One IP: five requests an hour, whatever the addresses.
    for i in 0..3 {
        service::subscribe(
            &pool,
            limits,
            &signup(&format!("user{i}@example.org")),
            Some("10.0.0.3"),
        )
        .await
        .unwrap();
    }
    let refused = service::subscribe(
        &pool,
        limits,
        &signup("other@example.org"),
        Some("10.0.0.3"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, SignupError::TooManyFromIp(_)),
        "{refused:?}"
    );
    assert_eq!(
        app::error::AppError::from(refused).status(),
        429,
        "rate limits answer 429"
    );
    // Another IP is not affected.
    service::subscribe(
        &pool,
        limits,
        &signup("other@example.org"),
        Some("10.0.0.9"),
    )
    .await
    .unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn confirming_once_twice_late_or_with_a_bad_token_each_says_so(pool: PgPool) {
    follow_network(&pool).await;
    let limits = SignupLimits::default();
    service::subscribe(&pool, limits, &signup("bob@example.org"), None)
        .await
        .unwrap();
    let good = issue(
        &pool,
        "bob@example.org",
        "confirm",
        Some(Duration::hours(48)),
    )
    .await;
    let expired = issue(
        &pool,
        "bob@example.org",
        "confirm",
        Some(-Duration::minutes(1)),
    )
    .await;
    let manage = issue(&pool, "bob@example.org", "manage", None).await;

    // Expired first: nothing changes.
    assert!(matches!(
        service::confirm(&pool, &expired).await.unwrap(),
        ConfirmOutcome::Expired { .. }
    ));
    assert_eq!(status_of(&pool, "bob@example.org").await, "pending");
    // Tampered, cut short, other purpose, garbage: unknown.
    let mut tampered = good.clone().into_bytes();
    tampered[10] = if tampered[10] == b'x' { b'y' } else { b'x' };
    for bad in [
        String::from_utf8(tampered).unwrap(),
        good[..30].to_string(),
        manage.clone(),
        "<script>".into(),
        String::new(),
    ] {
        assert_eq!(
            service::confirm(&pool, &bad).await.unwrap(),
            ConfirmOutcome::Unknown,
            "{bad:?}"
        );
    }
    assert_eq!(status_of(&pool, "bob@example.org").await, "pending");

    match service::confirm(&pool, &good).await.unwrap() {
        ConfirmOutcome::Confirmed { email, choices } => {
            assert_eq!(email, "bob@example.org");
            assert!(choices[0].on_voting);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(status_of(&pool, "bob@example.org").await, "confirmed");
    assert!(matches!(
        service::confirm(&pool, &good).await.unwrap(),
        ConfirmOutcome::AlreadyConfirmed { at: Some(_), .. }
    ));

    // A confirmed address signing up again gets its preferences link, its choices untouched.
    service::subscribe(
        &pool,
        limits,
        &form(&[("email", "bob@example.org"), ("result", "cosmoshub")]),
        None,
    )
    .await
    .unwrap();
    assert_eq!(outbox_count(&pool, "kind = 'manage'").await, 1);
    let view = service::manage_view(&pool, &manage).await.unwrap();
    assert!(view.choices[0].on_voting && !view.choices[0].on_result);
    assert_eq!(view.status, SubscriberStatus::Confirmed);
    // The used confirmation link still opens the preferences page (until it expires).
    assert_eq!(
        service::manage_view(&pool, &good).await.unwrap().email,
        "bob@example.org"
    );
    assert!(service::manage_view(&pool, &expired).await.is_err());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn preferences_unsubscribe_and_undo_work_from_the_mail_link(pool: PgPool) {
    follow_network(&pool).await;
    service::subscribe(
        &pool,
        SignupLimits::default(),
        &signup("carol@example.org"),
        None,
    )
    .await
    .unwrap();
    let confirm = issue(
        &pool,
        "carol@example.org",
        "confirm",
        Some(Duration::hours(48)),
    )
    .await;
    service::confirm(&pool, &confirm).await.unwrap();
    let manage = issue(&pool, "carol@example.org", "manage", None).await;

    service::save_choices(&pool, &manage, &form(&[("result", "cosmoshub")]))
        .await
        .unwrap();
    let view = service::manage_view(&pool, &manage).await.unwrap();
    assert!(!view.choices[0].on_voting && view.choices[0].on_result);
    assert!(service::save_choices(&pool, &manage, &form(&[]))
        .await
        .is_err());
    assert!(
        service::save_choices(&pool, "forged", &form(&[("result", "cosmoshub")]))
            .await
            .is_err()
    );

    // A queued alert is cancelled by unsubscribing.
    sqlx::query("INSERT INTO mail_outbox (dedupe_key, subscriber_id, kind) SELECT 'voting:x', id, 'voting' FROM subscribers")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        service::unsubscribe(&pool, &manage).await.unwrap(),
        UnsubscribeOutcome::Unsubscribed {
            email: "carol@example.org".into()
        }
    );
    assert_eq!(
        outbox_count(&pool, "kind = 'voting' AND cancelled_at IS NOT NULL").await,
        1
    );
    assert_eq!(
        service::unsubscribe(&pool, &manage).await.unwrap(),
        UnsubscribeOutcome::AlreadyUnsubscribed {
            email: "carol@example.org".into()
        }
    );
    assert_eq!(
        service::unsubscribe(&pool, "nope").await.unwrap(),
        UnsubscribeOutcome::Unknown
    );
    assert_eq!(status_of(&pool, "carol@example.org").await, "unsubscribed");

    service::resubscribe(&pool, &manage).await.unwrap();
    assert_eq!(status_of(&pool, "carol@example.org").await, "confirmed");
}
