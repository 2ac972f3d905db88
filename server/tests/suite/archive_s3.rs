//! The `s3://` archive against a real S3-compatible server (s3s-fs, started here on a free port),
//! through aws-sdk-s3 with an endpoint override and path-style requests.

use crate::common;

use bytes::Bytes;
use devchain::DevChain;
use server::{archive::Archive, workers::validators};
use sqlx::PgPool;
use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const ACCESS_KEY: &str = "stakeboard-test";
const SECRET_KEY: &str = "stakeboard-test-secret";

/// An s3s-fs process serving a temporary folder; killed when dropped.
struct S3Server {
    child: Child,
    endpoint: String,
    root: tempfile::TempDir,
}

impl S3Server {
    fn start() -> Self {
        let root = tempfile::tempdir().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(std::env::var("S3S_FS").unwrap_or_else(|_| "s3s-fs".into()))
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(root.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("s3s-fs must be installed for the S3 tests: cargo install s3s-fs --version 0.14.1 --locked --features binary");
        let endpoint = format!("http://127.0.0.1:{port}");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "s3s-fs did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            endpoint,
            root,
        }
    }

    /// A bucket is a folder to s3s-fs.
    fn bucket(&self, name: &str) {
        std::fs::create_dir_all(self.root.path().join(name)).unwrap();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn credentials() {
    // These tests are the only users of the AWS variables in this binary; they are set once,
    // before the first S3 client reads them.
    static SET: std::sync::Once = std::sync::Once::new();
    SET.call_once(|| {
        std::env::set_var("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        std::env::set_var("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        std::env::set_var("AWS_REGION", "us-east-1");
    });
}

#[tokio::test]
async fn objects_are_written_listed_and_read_back() {
    credentials();
    let s3 = S3Server::start();
    s3.bucket("archive");
    let archive = Archive::open("s3://archive/stakeboard/prod", Some(&s3.endpoint))
        .await
        .unwrap();
    assert_eq!(archive.describe(), "s3://archive/stakeboard/prod");

    archive
        .put(
            "hub/validators/20261123T000000.000Z.json",
            Bytes::from_static(b"{\"a\":1}"),
        )
        .await
        .unwrap();
    archive
        .put(
            "hub/validators/latest.json",
            Bytes::from_static(b"{\"a\":1}"),
        )
        .await
        .unwrap();
    archive
        .put("other/validators/latest.json", Bytes::from_static(b"{}"))
        .await
        .unwrap();
    assert_eq!(
        archive.list("hub/validators/").await.unwrap(),
        vec![
            "hub/validators/20261123T000000.000Z.json",
            "hub/validators/latest.json"
        ]
    );
    assert_eq!(
        archive
            .get("hub/validators/latest.json")
            .await
            .unwrap()
            .unwrap(),
        Bytes::from_static(b"{\"a\":1}")
    );
    assert_eq!(archive.get("hub/validators/none.json").await.unwrap(), None);
    assert!(
        s3.root
            .path()
            .join("archive/stakeboard/prod/hub/validators/latest.json")
            .exists(),
        "the prefix is honoured"
    );
}

#[tokio::test]
async fn an_unreachable_server_or_a_bad_key_is_a_clear_error() {
    credentials();
    let archive = Archive::open("s3://bucket/prefix", Some("http://127.0.0.1:9"))
        .await
        .unwrap();
    let error = archive
        .put("x/latest.json", Bytes::from_static(b"{}"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("archive s3://bucket/prefix: ") && error.contains("Connection refused"),
        "{error}"
    );
    let error = archive
        .put("../escape.json", Bytes::new())
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "archive key \"../escape.json\" is not a relative path of plain segments"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_validators_worker_archives_to_s3(pool: PgPool) {
    credentials();
    let s3 = S3Server::start();
    s3.bucket("snapshots");
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    ctx.archive = Archive::open("s3://snapshots/hub", Some(&s3.endpoint))
        .await
        .unwrap();

    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();

    let keys = ctx.archive.list("cosmoshub/validators/").await.unwrap();
    assert_eq!(keys.len(), 3, "two snapshots and latest.json: {keys:?}");
    let latest_key = sqlx::query_scalar!("SELECT archive_key FROM network_status")
        .fetch_one(&pool)
        .await
        .unwrap();
    let latest: serde_json::Value = serde_json::from_slice(
        &ctx.archive
            .get("cosmoshub/validators/latest.json")
            .await
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let named: serde_json::Value =
        serde_json::from_slice(&ctx.archive.get(&latest_key).await.unwrap().unwrap()).unwrap();
    assert_eq!(latest, named, "latest.json is the newest snapshot");
    assert_eq!(latest["network"], "cosmoshub");
}
