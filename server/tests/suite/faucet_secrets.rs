//! The faucet key never leaves the process: the real binary, reading the mnemonic from
//! FAUCET_MNEMONIC_FILE and logging at debug level, pays a claim; neither its log nor its pages,
//! API, health or metrics hold any word of the mnemonic.

use crate::common;

use crate::common::{
    faucet::{self, FAUCET_ADDRESS, MNEMONIC},
    process::worker_command,
};
use serde_json::json;
use sqlx::PgPool;
use std::{fs::File, net::TcpListener};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Words of the mnemonic that no page or log line would hold by chance.
fn leaks(text: &str) -> bool {
    text.contains(MNEMONIC) || text.contains("abandon")
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_mnemonic_reaches_no_log_page_or_api(pool: PgPool) {
    let chain = faucet::chain(200, 100_000_000_000).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("faucet.key");
    std::fs::write(&key_file, format!("{MNEMONIC}\n")).unwrap();
    let log_path = dir.path().join("stakeboard.log");
    let port = free_port();
    let networks = faucet::networks_toml(&chain.url(), "");
    let _server = KillOnDrop(
        worker_command(&pool, dir.path(), &networks)
            .env("STAKEBOARD_ROLE", "all")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("FAUCET_MNEMONIC_FILE", &key_file)
            .env("FAUCET_POLL_MS", "50")
            .env("RUST_LOG", "debug")
            .stderr(File::create(&log_path).unwrap())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    common::eventually(60, "the server answering", || async {
        http.get(format!("{base}/healthz")).send().await.ok()
    })
    .await;

    common::eventually(30, "the captcha key stored", || async {
        let found: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT value FROM server_secrets WHERE name = 'faucet_captcha_hmac'",
        )
        .fetch_optional(&pool)
        .await
        .unwrap();
        found.map(|_| ())
    })
    .await;
    let solution = faucet::solution(&pool, chrono::Utc::now().timestamp() + 300).await;
    let response = http
        .post(format!("{base}/api/v1/networks/devnet/faucet/claims"))
        .json(&json!({ "address": faucet::recipient(1), "captcha": solution }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202, "{}", response.text().await.unwrap());
    common::eventually(30, "the claim paid", || async {
        (faucet::claims_with_status(&pool, "confirmed").await == 1).then_some(())
    })
    .await;

    for path in [
        "/faucet",
        "/faucet/claims/1",
        "/api/v1/networks/devnet/faucet",
        "/api/v1/networks/devnet/faucet/claims/1",
        "/healthz",
        "/metrics",
        "/system",
    ] {
        let body = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!leaks(&body), "{path} shows the mnemonic");
        if path.ends_with("/faucet") {
            assert!(body.contains(FAUCET_ADDRESS), "{path} shows the faucet");
        }
    }

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("faucet key loaded") && log.contains(FAUCET_ADDRESS),
        "the log has the faucet lines: {log}"
    );
    assert!(!leaks(&log), "the log shows the mnemonic");
}
