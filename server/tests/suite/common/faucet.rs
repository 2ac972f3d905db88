//! A faucet testnet on devchain: a funded key, a networks file with a `[network.faucet]` table,
//! recipients, and captcha solutions made with the server's own key.

use super::app::App;
use app::faucet::captcha::{self, server::issue, Solution};
use devchain::{ledger::LedgerSettings, state::Settings, DevChain};
use secrecy::SecretString;
use sqlx::PgPool;
use std::time::Duration;

pub const MNEMONIC: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
pub const FAUCET_ADDRESS: &str = "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4";
pub const AMOUNT: u128 = 1_000_000;

/// A devchain with chain id `devnet-1`, no proposal, and the faucet funded with `funds` uatom.
pub async fn chain(block_ms: u64, funds: u128) -> DevChain {
    DevChain::start(
        "127.0.0.1:0".parse().unwrap(),
        Settings {
            scenario: None,
            block_time: Duration::from_millis(block_ms),
            chain_id: "devnet-1".into(),
            ledger: LedgerSettings {
                funded: vec![(FAUCET_ADDRESS.into(), funds)],
                ..LedgerSettings::default()
            },
            ..Settings::default()
        },
    )
    .await
    .unwrap()
}

/// The networks file: one testnet following `chain` with a faucet table plus `extra` lines.
pub fn networks_toml(chain_url: &str, extra: &str) -> String {
    format!(
        "[[network]]\nslug = \"devnet\"\nname = \"Devnet\"\nchain_id = \"devnet-1\"\nrest_url = \"{chain_url}\"\nbech32_prefix = \"cosmos\"\ndenom = \"uatom\"\ndisplay_denom = \"ATOM\"\nexponent = 6\ntestnet = true\n\n[network.faucet]\namount = {AMOUNT}\n{extra}\n"
    )
}

/// The whole server with the faucet key, paying claims on `chain`.
pub async fn app(
    pool: &PgPool,
    chain: DevChain,
    extra_toml: &str,
    adjust: impl FnOnce(&mut server::config::Config),
) -> App {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("faucet-networks.toml");
    std::fs::write(&file, networks_toml(&chain.url(), extra_toml)).unwrap();
    let app = App::start_with(pool, chain, 60, |config| {
        config.networks_file = file.clone();
        config.faucet_mnemonic = Some(SecretString::from(MNEMONIC));
        adjust(config);
    })
    .await;
    // The server read the file at start.
    drop(dir);
    app
}

/// A distinct, valid `cosmos1…` address for every `i`.
pub fn recipient(i: u32) -> String {
    use sha2::Digest;
    let bytes = sha2::Sha256::digest(format!("recipient {i}").as_bytes());
    let hrp = bech32::Hrp::parse("cosmos").unwrap();
    bech32::encode::<bech32::Bech32>(hrp, &bytes[..20]).unwrap()
}

/// A solved captcha for the server's key, expiring at `expires` (Unix seconds).
pub async fn solution(pool: &PgPool, expires: i64) -> String {
    let key: Vec<u8> =
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'faucet_captcha_hmac'")
            .fetch_one(pool)
            .await
            .unwrap();
    let challenge = issue(&key, 1_000, expires);
    let number = captcha::solve_range(&challenge, 0, 1_001).unwrap();
    Solution::of(&challenge, number).encode()
}

pub async fn claims_with_status(pool: &PgPool, status: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM faucet_claims WHERE status = $1")
        .bind(status)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Every claim row, whatever its status, read at once: the sender moves claims from pending to
/// broadcast to confirmed, so per-status counts read one after another can see one claim twice.
pub async fn claims_stored(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM faucet_claims")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Fees of the transactions included so far, in uatom.
pub async fn fees_paid(pool: &PgPool) -> u128 {
    let total: String = sqlx::query_scalar(
        "SELECT coalesce(sum(fee), 0)::text FROM faucet_txs WHERE state = 'included'",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    total.parse().unwrap()
}
