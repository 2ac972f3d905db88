//! The faucet paying claims on devchain through the whole server: a burst of 1,000 claims is
//! paid exactly once each in batched transactions; a sequence moved behind the faucet's back
//! is recovered; a node failing broadcasts loses nothing.

use crate::common;

use crate::common::faucet::{self, AMOUNT, FAUCET_ADDRESS};
use futures::{stream, StreamExt};
use serde_json::json;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const FUNDS: u128 = 100_000_000_000;
/// Every test claim comes from 127.0.0.1.
const NO_IP_LIMIT: &str = "ip_claims_per_day = 100000";

async fn credit(app: &common::app::App, address: &str) -> u16 {
    let (status, body) = app
        .post_json("/credit", &json!({ "address": address, "denom": "uatom" }))
        .await;
    assert_eq!(status, 200, "{address}: {body}");
    status
}

async fn all_confirmed(pool: &PgPool, count: i64, secs: u64) {
    common::eventually(secs, "every claim confirmed", || async {
        (faucet::claims_with_status(pool, "confirmed").await == count).then_some(())
    })
    .await;
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_burst_of_1000_claims_is_paid_exactly_once_each(pool: PgPool) {
    let chain = faucet::chain(300, FUNDS).await;
    let app = faucet::app(&pool, chain, NO_IP_LIMIT, |c| {
        c.faucet_credit_requires_captcha = false
    })
    .await;
    let addresses: Vec<String> = (0..1000).map(faucet::recipient).collect();
    let accepted: Vec<u16> = stream::iter(addresses.iter())
        .map(|a| credit(&app, a))
        .buffer_unordered(16)
        .collect()
        .await;
    assert_eq!(accepted.len(), 1000);

    all_confirmed(&pool, 1000, 180).await;
    for address in &addresses {
        assert_eq!(app.chain.balance(address), AMOUNT, "{address} paid once");
    }
    let fees = faucet::fees_paid(&pool).await;
    assert!(fees > 0);
    assert_eq!(
        app.chain.balance(FAUCET_ADDRESS),
        FUNDS - 1000 * AMOUNT - fees
    );
    let shown_errors: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM faucet_claims WHERE last_error IS NOT NULL OR attempts > 0",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(shown_errors, 0, "no user saw an error");
    assert_eq!(app.chain.sequence_mismatches(), 0);
    let (txs, max_batch): (i64, i32) =
        sqlx::query_as("SELECT count(*), max(recipients) FROM faucet_txs WHERE state = 'included'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(max_batch, 50, "batches fill up to max_recipients_per_tx");
    assert!(
        (20..1000).contains(&txs),
        "{txs} transactions for 1000 claims"
    );
    // The sender records its runs like every worker: rounds that paid, and idle rounds now
    // and then (not one row a poll).
    let (paying, idle, failed): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE detail LIKE 'height %'),
                count(*) FILTER (WHERE detail = 'nothing to do'),
                count(*) FILTER (WHERE outcome <> 'ok')
         FROM worker_runs WHERE worker = 'faucet' AND network = 'devnet'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        paying >= 20 && failed == 0,
        "{paying} paying runs, {failed} failed"
    );
    assert!(idle <= 2, "{idle} idle rounds recorded");
    let (_, health) = app.json("/healthz").await;
    assert!(
        health["workers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["worker"] == "faucet"
                && w["network"] == "devnet"
                && w["last_success_at"].is_string()),
        "{health}"
    );
    let (_, metrics) = app.get("/metrics").await;
    assert!(metrics.contains(
        "stakeboard_worker_runs_total{worker=\"faucet\",network=\"devnet\",outcome=\"ok\"}"
    ));
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sequence_moved_behind_the_faucets_back_is_recovered(pool: PgPool) {
    use server::{
        config::faucet::PayMessage,
        workers::faucet::{key::FaucetKey, tx},
    };
    let chain = faucet::chain(200, FUNDS).await;
    let app = faucet::app(&pool, chain, NO_IP_LIMIT, |c| {
        c.faucet_credit_requires_captcha = false
    })
    .await;
    credit(&app, &faucet::recipient(1)).await;
    all_confirmed(&pool, 1, 30).await;

    // Another program sends with the faucet's key: the sender's cached sequence is now stale.
    let client = server::chain::ChainClient::new(
        "devnet",
        app.chain.url().parse().unwrap(),
        std::time::Duration::from_secs(5),
        common::quick_retry(),
    );
    let account = client.account(FAUCET_ADDRESS).await.unwrap().unwrap();
    let key = FaucetKey::from_mnemonic(&faucet::MNEMONIC.to_string().into()).unwrap();
    let payments = [tx::Payment {
        address: faucet::recipient(999),
        amount: 5,
    }];
    let height = client.latest_height().await.unwrap();
    let signed = tx::sign(
        &key,
        &tx::TxParams {
            chain_id: "devnet-1",
            account_number: account.number,
            sequence: account.sequence,
            prefix: "cosmos",
            denom: "uatom",
            payments: &payments,
            message: PayMessage::Send,
            fee: 1_000,
            gas_limit: 200_000,
            memo: "behind the faucet's back",
            timeout_height: height + 50,
        },
    )
    .unwrap();
    let outcome = client.broadcast_sync(&signed.bytes).await.unwrap();
    assert_eq!(outcome.code, 0, "{}", outcome.raw_log);

    for i in 2..=6 {
        credit(&app, &faucet::recipient(i)).await;
    }
    all_confirmed(&pool, 6, 40).await;
    assert!(
        app.chain.sequence_mismatches() >= 1,
        "the stale sequence was tried and corrected"
    );
    for i in 1..=6 {
        assert_eq!(app.chain.balance(&faucet::recipient(i)), AMOUNT);
    }
    assert_eq!(faucet::claims_with_status(&pool, "failed").await, 0);
    let shown: i64 =
        sqlx::query_scalar("SELECT count(*) FROM faucet_claims WHERE last_error LIKE '%sequence%'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(shown, 0, "the sequence error never reached a claim");
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_node_failing_broadcasts_delays_claims_but_loses_none(pool: PgPool) {
    let chain = faucet::chain(200, FUNDS).await;
    chain.set_faults(devchain::faults::Faults {
        status: Some(503),
        path_prefix: Some("/cosmos/tx/v1beta1/txs".into()),
        times: Some(6),
        ..Default::default()
    });
    let app = faucet::app(&pool, chain, NO_IP_LIMIT, |c| {
        c.faucet_credit_requires_captcha = false
    })
    .await;
    for i in 0..5 {
        credit(&app, &faucet::recipient(i)).await;
    }
    all_confirmed(&pool, 5, 60).await;
    for i in 0..5 {
        assert_eq!(
            app.chain.balance(&faucet::recipient(i)),
            AMOUNT,
            "paid once"
        );
    }
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_claim_the_chain_refuses_fails_visibly_after_its_attempts(pool: PgPool) {
    // The faucet holds the amount but not the fee: the chain refuses with its reason.
    let chain = faucet::chain(200, AMOUNT + 500).await;
    let app = faucet::app(&pool, chain, NO_IP_LIMIT, |c| {
        c.faucet_credit_requires_captcha = false
    })
    .await;
    credit(&app, &faucet::recipient(7)).await;
    common::eventually(30, "the claim failed", || async {
        (faucet::claims_with_status(&pool, "failed").await == 1).then_some(())
    })
    .await;
    let (status, claim) = app.json("/api/v1/networks/devnet/faucet/claims/1").await;
    assert_eq!(status, 200);
    assert_eq!(claim["status"], "failed");
    assert_eq!(claim["attempts"], 3);
    let error = claim["error"].as_str().unwrap();
    assert!(error.contains("insufficient funds"), "{error}");
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_faucet_that_cannot_cover_the_queue_stops_taking_claims(pool: PgPool) {
    // Slow blocks keep the first two claims queued while the third is refused and the page read.
    let chain = faucet::chain(5_000, AMOUNT * 2).await;
    let app = faucet::app(&pool, chain, NO_IP_LIMIT, |c| {
        c.faucet_credit_requires_captcha = false
    })
    .await;
    common::eventually(20, "the balance read", || async {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT count(*) FROM faucet_status WHERE balance IS NOT NULL")
                .fetch_one(&pool)
                .await
                .unwrap();
        (known == Some(1)).then_some(())
    })
    .await;
    credit(&app, &faucet::recipient(1)).await;
    credit(&app, &faucet::recipient(2)).await;
    let (status, body) = app
        .post_json(
            "/credit",
            &json!({ "address": faucet::recipient(3), "denom": "uatom" }),
        )
        .await;
    assert_eq!(status, 503, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("out of funds"),
        "{body}"
    );
    let (_, page) = app.get("/faucet").await;
    assert!(page.contains("data-testid=\"faucet-closed\"") && page.contains("out of funds"));
    app.server.stop().await.unwrap();
}
