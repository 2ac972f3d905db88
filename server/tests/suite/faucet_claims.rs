//! Claims that must be refused, each with a reason a person can act on, and the limits kept in
//! Postgres: the captcha (missing, forged, expired, reused), addresses (wrong prefix, mixed case, bad
//! checksum, empty, oversized), the per-address cooldown and the per-IP daily limit, both
//! saying when the next claim is allowed.

use crate::common;

use crate::common::faucet;
use serde_json::{json, Value};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const CLAIMS: &str = "/api/v1/networks/devnet/faucet/claims";

fn error(body: &Value) -> &str {
    body["error"].as_str().unwrap_or_default()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn bad_addresses_and_captchas_are_refused_with_a_reason(pool: PgPool) {
    let chain = faucet::chain(200, 100_000_000_000).await;
    let app = faucet::app(&pool, chain, "ip_claims_per_day = 100", |_| {}).await;
    let now = chrono::Utc::now().timestamp();
    let good = faucet::recipient(1);
    // The same address with its last checksum character changed.
    let typo = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('q') { 'p' } else { 'q' }
    );

    // BIP-173: one case only (all upper case is the same address as all lower case).
    let mixed = format!("{}{}", &good[..10], good[10..].to_uppercase());
    let cases = [
        (
            "osmo19rl4cm2hmr8afy4kldpxz3fka4jguq0a5m7df8",
            "pays cosmos1",
        ),
        (&mixed[..], "mixes upper and lower case"),
        (&typo[..], "checksum"),
        ("", "enter the address"),
        (&"cosmos1".repeat(20)[..], "longer than any address"),
    ];
    for (address, reason) in cases {
        let (status, body) = app
            .post_json(
                CLAIMS,
                &json!({ "address": address, "captcha": faucet::solution(&pool, now + 60).await }),
            )
            .await;
        assert_eq!(status, 400, "{address}: {body}");
        assert!(error(&body).contains(reason), "{address}: {body}");
    }

    let (status, body) = app.post_json(CLAIMS, &json!({ "address": good })).await;
    assert_eq!(
        (
            status,
            error(&body).contains("proof-of-work check is missing")
        ),
        (400, true),
        "{body}"
    );
    let expired = faucet::solution(&pool, now - 1).await;
    let (status, body) = app
        .post_json(CLAIMS, &json!({ "address": good, "captcha": expired }))
        .await;
    assert_eq!(
        (status, error(&body).contains("expired")),
        (400, true),
        "{body}"
    );
    let key = b"not the server's key";
    let challenge = app::faucet::captcha::server::issue(key, 100, now + 60);
    let n = app::faucet::captcha::solve_range(&challenge, 0, 101).unwrap();
    let forged = app::faucet::captcha::Solution::of(&challenge, n).encode();
    let (status, body) = app
        .post_json(CLAIMS, &json!({ "address": good, "captcha": forged }))
        .await;
    assert_eq!(
        (status, error(&body).contains("not issued by this faucet")),
        (400, true),
        "{body}"
    );

    let solved = faucet::solution(&pool, now + 60).await;
    let (status, claim) = app
        .post_json(
            CLAIMS,
            &json!({ "address": good.to_uppercase(), "captcha": solved }),
        )
        .await;
    assert_eq!(status, 202, "{claim}");
    assert_eq!(claim["address"], good.as_str());
    assert_eq!(claim["status"], "pending");
    let (status, body) = app
        .post_json(
            CLAIMS,
            &json!({ "address": faucet::recipient(2), "captcha": solved }),
        )
        .await;
    assert_eq!(
        (status, error(&body).contains("already used")),
        (400, true),
        "{body}"
    );

    // Malformed and oversized bodies, unknown networks and claims.
    let (status, body) = app
        .post_raw(CLAIMS, "application/json", "{\"address\": ".into())
        .await;
    assert!(
        status == 400 && body.contains("must be JSON"),
        "{status} {body}"
    );
    let (status, _) = app
        .post_raw(
            CLAIMS,
            "application/json",
            format!("{{\"address\":\"{}\"}}", "a".repeat(20_000)),
        )
        .await;
    assert_eq!(status, 413);
    let (status, body) = app
        .post_json(
            "/api/v1/networks/nope/faucet/claims",
            &json!({"address": good}),
        )
        .await;
    assert_eq!(
        (status, error(&body).contains("no faucet for network nope")),
        (404, true),
        "{body}"
    );
    let (status, _) = app.json(&format!("{CLAIMS}/999999")).await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post_json("/credit", &json!({"address": good, "denom": "ufoo"}))
        .await;
    assert_eq!(
        (status, error(&body).contains("denoms available: uatom")),
        (400, true),
        "{body}"
    );
    let (status, body) = app
        .post_json(
            "/credit",
            &json!({"address": faucet::recipient(3), "denom": "uatom"}),
        )
        .await;
    assert_eq!(
        (status, error(&body).contains("proof-of-work")),
        (400, true),
        "/credit needs a captcha by default: {body}"
    );
    assert_eq!(
        faucet::claims_stored(&pool).await,
        1,
        "only the good claim was stored"
    );
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn cooldown_and_ip_limits_say_when_the_next_claim_is_allowed(pool: PgPool) {
    let chain = faucet::chain(200, 100_000_000_000).await;
    let app = faucet::app(
        &pool,
        chain,
        "ip_claims_per_day = 3\naddress_cooldown_hours = 12",
        |c| c.faucet_credit_requires_captcha = false,
    )
    .await;
    let credit = |i: u32| {
        let app = &app;
        async move {
            app.post_json(
                "/credit",
                &json!({"address": faucet::recipient(i), "denom": "uatom"}),
            )
            .await
        }
    };
    let (status, first) = credit(1).await;
    assert_eq!(status, 200, "{first}");
    let (status, body) = credit(1).await;
    assert_eq!(
        (status, error(&body).contains("already has a claim waiting")),
        (429, true),
        "{body}"
    );
    common::eventually(30, "the first claim paid", || async {
        (faucet::claims_with_status(&pool, "confirmed").await == 1).then_some(())
    })
    .await;
    let (status, body) = credit(1).await;
    assert_eq!(status, 429, "{body}");
    assert!(error(&body).contains("paid less than 12 h ago"), "{body}");
    let created: chrono::DateTime<chrono::Utc> =
        first["created_at"].as_str().unwrap().parse().unwrap();
    let next: chrono::DateTime<chrono::Utc> =
        body["next_claim_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(next, created + chrono::Duration::hours(12));

    assert_eq!(credit(2).await.0, 200);
    assert_eq!(credit(3).await.0, 200);
    let (status, body) = credit(4).await;
    assert_eq!(status, 429, "{body}");
    assert!(error(&body).contains("3 a day"), "{body}");
    let next: chrono::DateTime<chrono::Utc> =
        body["next_claim_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        next,
        created + chrono::Duration::hours(24),
        "the oldest of the day's claims ages out first"
    );

    // Every claim, newest first, one page at a time by key.
    let mut listed = Vec::new();
    let mut path = "/api/v1/networks/devnet/faucet/claims?limit=2".to_string();
    loop {
        let (status, page) = app.json(&path).await;
        assert_eq!(status, 200, "{page}");
        listed.extend(
            page["claims"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["address"].clone()),
        );
        match page["next"].as_str() {
            Some(next) => {
                path = format!("/api/v1/networks/devnet/faucet/claims?limit=2&after={next}")
            }
            None => break,
        }
    }
    let newest_first: Vec<Value> = [3, 2, 1]
        .iter()
        .map(|i| json!(faucet::recipient(*i)))
        .collect();
    assert_eq!(listed, newest_first);
    let (status, body) = app
        .json("/api/v1/networks/devnet/faucet/claims?after=-4")
        .await;
    assert_eq!(
        (status, error(&body).starts_with("invalid after")),
        (400, true),
        "{body}"
    );
    assert_eq!(
        app.json("/api/v1/networks/cosmoshub/faucet/claims").await.0,
        404
    );

    // The form refuses the same way, back on the page with the reason and the typed address.
    let (status, location) = app
        .post_form(
            "/faucet/claim",
            &[
                ("network", "devnet"),
                ("address", "cosmos1typo"),
                ("captcha", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(
        location.starts_with("/faucet?network=devnet&error=")
            && location.contains("address=cosmos1typo"),
        "{location}"
    );
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_script_solves_the_json_challenge_and_claims(pool: PgPool) {
    use app::faucet::captcha::{self, Challenge, Solution};
    let chain = faucet::chain(200, 100_000_000_000).await;
    let app = faucet::app(&pool, chain, "", |c| c.faucet_captcha_max_number = 2_000).await;

    let (status, body) = app.json("/api/v1/faucet/challenge").await;
    assert_eq!(status, 200, "{body}");
    let challenge: Challenge = serde_json::from_value(body).unwrap();
    assert_eq!(challenge.maxnumber, 2_000);
    let number = captcha::solve_range(&challenge, 0, challenge.maxnumber + 1).unwrap();
    let solved = Solution::of(&challenge, number).encode();

    let address = faucet::recipient(7);
    let (status, body) = app
        .post_json(
            "/credit",
            &json!({ "address": address, "denom": "uatom", "captcha": solved }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["address"], address.as_str());
    assert_eq!(body["status"], "pending");
}
