//! The faucet sender killed with SIGKILL at random points mid-batch, then restarted: every
//! claim is paid, none twice. The write-ahead hash tells the restart which transactions to
//! look up (or send again) before it signs anything new.

use crate::common;

use crate::common::{
    faucet::{self, AMOUNT, FAUCET_ADDRESS},
    process::{random_ms, worker_command},
};
use sqlx::PgPool;
use std::{process::Child, time::Duration};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const CLAIMS: u32 = 300;
const FUNDS: u128 = 100_000_000_000;

fn worker(pool: &PgPool, dir: &std::path::Path, chain_url: &str) -> Child {
    let networks = faucet::networks_toml(chain_url, "max_recipients_per_tx = 20");
    worker_command(pool, dir, &networks)
        .env("FAUCET_MNEMONIC", faucet::MNEMONIC)
        .env("FAUCET_POLL_MS", "50")
        .env("FAUCET_TX_TIMEOUT_BLOCKS", "5")
        .env("VALIDATORS_INTERVAL_SECS", "3600")
        .env("PROPOSALS_INTERVAL_SECS", "3600")
        .spawn()
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_sender_killed_mid_batch_pays_every_claim_exactly_once(pool: PgPool) {
    let chain = faucet::chain(250, FUNDS).await;
    for i in 0..CLAIMS {
        sqlx::query(
            "INSERT INTO faucet_claims (network, address, amount, denom, source) VALUES ('devnet', $1, $2::text::numeric, 'uatom', 'api')",
        )
        .bind(faucet::recipient(i))
        .bind(AMOUNT.to_string())
        .execute(&pool)
        .await
        .unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let mut kills = 0;
    let mut in_flight_at_kill = Vec::new();
    for _ in 0..5 {
        let mut child = worker(&pool, dir.path(), &chain.url());
        tokio::time::sleep(Duration::from_millis(random_ms(700, 2200))).await;
        child.kill().unwrap(); // SIGKILL: no clean shutdown
        child.wait().unwrap();
        kills += 1;
        in_flight_at_kill.push(faucet::claims_with_status(&pool, "broadcast").await);
        if faucet::claims_with_status(&pool, "confirmed").await == CLAIMS as i64 {
            break;
        }
    }
    let paid_before_restart = faucet::claims_with_status(&pool, "confirmed").await;
    let mut child = worker(&pool, dir.path(), &chain.url());
    common::eventually(90, "every claim confirmed after the restart", || async {
        (faucet::claims_with_status(&pool, "confirmed").await == CLAIMS as i64).then_some(())
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();

    for i in 0..CLAIMS {
        assert_eq!(
            chain.balance(&faucet::recipient(i)),
            AMOUNT,
            "recipient {i} paid exactly once"
        );
    }
    let fees = faucet::fees_paid(&pool).await;
    assert_eq!(
        chain.balance(FAUCET_ADDRESS),
        FUNDS - CLAIMS as u128 * AMOUNT - fees
    );
    assert_eq!(faucet::claims_with_status(&pool, "failed").await, 0);
    eprintln!(
        "{kills} kills, claims in a broadcast transaction at each kill {in_flight_at_kill:?}, {paid_before_restart} of {CLAIMS} paid before the restart"
    );
}
