//! Alerts through the whole server, as a subscriber sees them: sign up on the form, confirm
//! from the link in the mail (after a mail scanner opened it and changed nothing), receive
//! exactly one alert when devchain's proposal enters its voting period, unsubscribe in one
//! click, and hear nothing of the next proposal.

use crate::common;

use crate::common::{app::App, smtp::SmtpSink};
use devchain::gov::scenario::ScenarioSettings;
use secrecy::SecretString;
use sqlx::PgPool;
use std::time::Duration;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

async fn spawn(pool: &PgPool, sink: &SmtpSink) -> App {
    let chain = common::devchain_without_scenario().await;
    let smtp = sink.url();
    App::start_with(pool, chain, 1, move |config| {
        config.smtp_url = Some(SecretString::from(smtp));
    })
    .await
}

/// The path and query of a link in a mail (the server listens on a random port).
fn path_of(link: &str) -> String {
    let url = url::Url::parse(link).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or(""))
}

async fn subscriber_status(pool: &PgPool, email: &str) -> String {
    sqlx::query_scalar("SELECT status FROM subscribers WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// What a mail security scanner does with every link of a mail: GET it, HEAD it, follow it.
async fn scan(app: &App, path: &str) {
    let url = format!("{}{path}", app.server.url());
    let client = reqwest::Client::new();
    for request in [client.get(&url), client.head(&url)] {
        let status = request.send().await.unwrap().status();
        assert!(status.is_success(), "{path}: {status}");
    }
}

async fn wait_for_event(pool: &PgPool, proposal: u64) {
    common::eventually(40, "the alert event of the new proposal", || async {
        let handled: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM alert_events WHERE proposal_id = $1 AND kind = 'voting'",
        )
        .bind(proposal as i64)
        .fetch_one(pool)
        .await
        .unwrap();
        (handled == 1).then_some(())
    })
    .await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sign_up_confirm_get_one_alert_unsubscribe_get_none(pool: PgPool) {
    let sink = SmtpSink::start();
    let app = spawn(&pool, &sink).await;
    let (status, body) = app.get("/alerts").await;
    assert_eq!(status, 200);
    assert!(body.contains("data-testid=\"signup-form\"") && body.contains("name=\"voting\""));

    let (status, location) = app
        .post_form(
            "/alerts/subscribe",
            &[("email", "Dora@Example.org"), ("voting", "cosmoshub")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, "/alerts/check-inbox?email=dora%40example.org");
    let confirmation = sink.wait_for(1, 20).await.remove(0);
    assert_eq!(confirmation.header("x-envelope-to"), "dora@example.org");
    assert_eq!(
        confirmation.header("subject"),
        "Confirm your Stakeboard alerts"
    );
    let confirm = path_of(
        &confirmation
            .link("/alerts/confirm?token=")
            .expect("a confirmation link"),
    );

    scan(&app, &confirm).await;
    assert_eq!(
        subscriber_status(&pool, "dora@example.org").await,
        "pending",
        "opening the link confirms nothing"
    );
    let (status, page) = app.get(&confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-outcome=\"pending\"") && page.contains("Confirm my alerts"));
    assert!(page.contains("proposals entering voting"));
    let token = confirm.split("token=").nth(1).unwrap();
    let (status, location) = app.post_form("/alerts/confirm", &[("token", token)]).await;
    assert_eq!(status, 303);
    assert_eq!(
        subscriber_status(&pool, "dora@example.org").await,
        "confirmed"
    );
    let (status, page) = app.get(&location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("You&#x27;re subscribed") || page.contains("You're subscribed"),
        "{page}"
    );
    let (status, page) = app.get(&confirm).await;
    assert_eq!(status, 200);
    assert!(page.contains("Already confirmed"));
    let (status, page) = app
        .get("/alerts/confirm?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    assert_eq!(status, 404);
    assert!(page.contains("This link is not valid"));

    let first = app.chain.start_scenario(ScenarioSettings {
        delegators: 20,
        deposit_secs: 1,
        voting_secs: 1000,
        ..ScenarioSettings::default()
    });
    let alert = common::eventually(40, "the voting alert", || async {
        sink.mails_to("dora@example.org")
            .into_iter()
            .find(|m| m.header("subject").contains(&format!("#{first}")))
    })
    .await;
    assert!(alert.header("subject").contains("is open for voting"));
    assert!(alert
        .text
        .contains(&format!("/proposals/cosmoshub/{first}")));
    // Exactly one: later rounds of the planner add nothing.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        sink.mails_to("dora@example.org").len(),
        2,
        "the confirmation and one alert"
    );

    // A scanner opening the unsubscribe link unsubscribes nobody; the page's button would.
    let unsubscribe_link = path_of(&alert.link("/alerts/unsubscribe?token=").unwrap());
    scan(&app, &unsubscribe_link).await;
    assert_eq!(
        subscriber_status(&pool, "dora@example.org").await,
        "confirmed"
    );
    let (_, page) = app.get(&unsubscribe_link).await;
    assert!(page.contains("data-outcome=\"subscribed\"") && page.contains("method=\"post\""));
    let manage_token = unsubscribe_link.split("token=").nth(1).unwrap();
    let (status, location) = app
        .post_form("/alerts/unsubscribe", &[("token", manage_token)])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, unsubscribe_link.as_str())
    );
    assert_eq!(
        subscriber_status(&pool, "dora@example.org").await,
        "unsubscribed"
    );
    let (_, page) = app.get(&unsubscribe_link).await;
    assert!(page.contains("data-outcome=\"unsubscribed\"") && page.contains("Undo"));
    let (status, _) = app
        .post_form("/alerts/resubscribe", &[("token", manage_token)])
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        subscriber_status(&pool, "dora@example.org").await,
        "confirmed"
    );

    // One click, as a mail client does it (RFC 8058).
    let unsubscribe = alert
        .header("list-unsubscribe")
        .trim_matches(['<', '>'])
        .to_string();
    let (status, body) = app
        .post_raw(
            &path_of(&unsubscribe),
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click".into(),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let manage = path_of(&alert.link("/alerts/manage?token=").unwrap());
    let (_, page) = app.get(&manage).await;
    assert!(
        page.contains("Unsubscribed"),
        "the preferences page shows the state"
    );

    let second = app.chain.start_scenario(ScenarioSettings {
        delegators: 20,
        deposit_secs: 1,
        voting_secs: 1000,
        ..ScenarioSettings::default()
    });
    wait_for_event(&pool, second).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        sink.mails_to("dora@example.org").len(),
        2,
        "nothing after unsubscribing"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_forms_refuse_bad_input_clearly(pool: PgPool) {
    let sink = SmtpSink::start();
    let app = spawn(&pool, &sink).await;
    let (status, location) = app
        .post_form(
            "/alerts/subscribe",
            &[
                ("email", "eve@example.org\r\nBcc: x@example.org"),
                ("voting", "cosmoshub"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/alerts?error="), "{location}");
    let (status, page) = app.get(&location).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("role=\"alert\"") && page.contains("needs one @"),
        "the form shows the reason"
    );

    let huge = format!(
        "email=a%40example.org&voting=cosmoshub&pad={}",
        "x".repeat(20_000)
    );
    let (status, _) = app
        .post_raw(
            "/alerts/subscribe",
            "application/x-www-form-urlencoded",
            huge,
        )
        .await;
    assert_eq!(
        status, 413,
        "oversized forms are refused before they are read"
    );

    let (status, body) = app
        .post_raw(
            "/alerts/unsubscribe?token=forged",
            "application/x-www-form-urlencoded",
            "List-Unsubscribe=One-Click".into(),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, location) = app
        .post_form(
            "/alerts/manage",
            &[("token", "forged"), ("voting", "cosmoshub")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/alerts/manage?token=forged&error="),
        "{location}"
    );
    let (status, location) = app
        .post_form("/alerts/resubscribe", &[("token", "forged")])
        .await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/alerts/unsubscribe?token=forged&error="),
        "{location}"
    );
    let (status, page) = app.get("/alerts/manage?token=forged").await;
    assert_eq!(status, 404);
    assert!(page.contains("This link is not valid"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(sink.mails().is_empty(), "no mail for refused input");
}
