//! Helpers shared by the server's integration tests: configs, worker contexts, a whole server.
#![allow(dead_code)]

pub mod alerts;
pub mod app;
pub mod faucet;
pub mod process;
pub mod smtp;

use devchain::DevChain;
use secrecy::SecretString;
use server::{
    archive::Archive,
    chain::RetryPolicy,
    config::{networks::Network, Config, Role},
    workers::{ChainSettings, WorkerContext},
};
use sqlx::PgPool;
use std::{path::PathBuf, time::Duration};
use tokio_util::sync::CancellationToken;

/// A devchain on a free port that plays no scenario proposal until a test starts one.
pub async fn devchain_without_scenario() -> DevChain {
    DevChain::start(
        "127.0.0.1:0".parse().unwrap(),
        devchain::state::Settings {
            scenario: None,
            ..devchain::state::Settings::default()
        },
    )
    .await
    .unwrap()
}

/// The devchain network as the networks file would describe it.
pub fn hub(devchain: &DevChain) -> Network {
    hub_at(&devchain.url(), "Cosmos Hub (devchain)")
}

/// The Cosmos Hub as a networks file would describe it, served at `rest_url`.
pub fn hub_at(rest_url: &str, name: &str) -> Network {
    Network {
        slug: "cosmoshub".into(),
        name: name.into(),
        chain_id: "cosmoshub-4".into(),
        rest_url: url::Url::parse(rest_url).unwrap(),
        rpc_url: None,
        bech32_prefix: "cosmos".into(),
        denom: "uatom".into(),
        display_denom: "ATOM".into(),
        exponent: 6,
        testnet: false,
        faucet: None,
    }
}

/// Fast retries so failure tests finish quickly.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        attempts: 2,
        first_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(100),
    }
}

pub async fn worker_context(
    pool: &PgPool,
    networks: Vec<Network>,
    archive_dir: &std::path::Path,
) -> WorkerContext {
    server::db::sync_networks(pool, &networks).await.unwrap();
    WorkerContext::new(
        pool.clone(),
        Archive::open(&format!("file://{}", archive_dir.display()), None)
            .await
            .unwrap(),
        networks,
        ChainSettings {
            timeout: Duration::from_secs(2),
            retry: quick_retry(),
        },
        CancellationToken::new(),
    )
}

/// The URL of the database `pool` is connected to (a per-test database of `#[sqlx::test]`).
pub fn url_of(pool: &PgPool) -> SecretString {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL must point at the test Postgres");
    let mut url = url::Url::parse(&base).unwrap();
    url.set_path(
        pool.connect_options()
            .get_database()
            .expect("test pools name their database"),
    );
    SecretString::from(url.to_string())
}

/// A config for a whole server on a free port, against `pool`'s database and `networks_file`.
pub fn server_config(
    pool: &PgPool,
    networks_file: PathBuf,
    archive_dir: &std::path::Path,
    interval_secs: u64,
) -> Config {
    Config {
        database_url: Some(url_of(pool)),
        database_max_connections: 5,
        data_dir: archive_dir.join("data"),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        http_header_timeout_secs: 10,
        http_body_timeout_secs: 10,
        page_cache_mb: 16,
        page_cache_max_age_secs: 10,
        site_root: "target/site".into(),
        networks_file,
        validators_interval_secs: interval_secs,
        votes_interval_secs: 1,
        proposals_interval_secs: interval_secs,
        archive_url: format!("file://{}", archive_dir.display()),
        archive_s3_endpoint: None,
        chain_timeout_secs: 2,
        chain_attempts: 2,
        smtp_url: None,
        mail_from: "Stakeboard <alerts@stakeboard.test>".into(),
        public_url: None,
        alerts_interval_secs: 1,
        mail_concurrency: 4,
        smtp_timeout_secs: 5,
        mail_lease_secs: 30,
        mail_max_attempts: 5,
        alerts_signups_per_ip_per_hour: 50,
        alerts_mails_per_address_per_day: 3,
        trust_x_forwarded_for: false,
        faucet_mnemonic: None,
        faucet_mnemonic_file: None,
        faucet_captcha_max_number: 1_000,
        faucet_captcha_ttl_secs: 600,
        faucet_credit_requires_captcha: true,
        faucet_poll_ms: 100,
        faucet_tx_timeout_blocks: 10,
        faucet_max_attempts: 3,
        elections_poll_secs: 1,
        elections_prepare_offset_minutes: -60,
        elections_live_tally_secs: 1,
        admin_session_hours: 12,
        admin_login_max_failures: 5,
        admin_login_ip_max_failures: 20,
        admin_login_window_minutes: 15,
        role: Role::All,
    }
}

/// Writes a networks file following `devchain` into `dir`.
pub fn networks_file(dir: &std::path::Path, devchain: &DevChain) -> PathBuf {
    let path = dir.join("networks.toml");
    std::fs::write(
        &path,
        format!(
            "[[network]]\nslug = \"cosmoshub\"\nname = \"Cosmos Hub (devchain)\"\nchain_id = \"cosmoshub-4\"\nrest_url = \"{}\"\nbech32_prefix = \"cosmos\"\ndenom = \"uatom\"\ndisplay_denom = \"ATOM\"\nexponent = 6\ntestnet = false\n",
            devchain.url()
        ),
    )
    .unwrap();
    path
}

/// Polls `check` every 100 ms until it returns Some, or panics after `secs` seconds.
pub async fn eventually<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {secs} s waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
