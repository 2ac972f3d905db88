//! The `stakeboard` binary itself: refusing a bad networks file, and stopping cleanly on SIGTERM.

use crate::common;

use devchain::DevChain;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn stakeboard() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_stakeboard"));
    command
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    command
}

#[test]
fn a_bad_networks_file_is_refused_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("networks.toml");
    std::fs::write(&file, "[[network]]\nslug = \"hub\"\nname = \"Hub\"\nchain_id = \"c\"\nrest_url = \"not a url\"\nbech32_prefix = \"cosmos\"\ndenom = \"uatom\"\ndisplay_denom = \"ATOM\"\nexponent = 6\n").unwrap();
    let output = stakeboard()
        .env("STAKEBOARD_NETWORKS", &file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "stakeboard: networks file {}, line 5, key `rest_url`: not a URL",
        file.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
}

/// Kills the child process if a test fails before it exits.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn sigterm_stops_the_server_cleanly(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let networks = common::networks_file(dir.path(), &chain);
    let mut child = KillOnDrop(
        stakeboard()
            .env("DATABASE_URL", common::url_of(&pool).expose_secret())
            .env("STAKEBOARD_NETWORKS", &networks)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env(
                "ARCHIVE_URL",
                format!("file://{}", dir.path().join("archive").display()),
            )
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let coloured = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = coloured.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains('\u{1b}') {
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let _ = lines_tx.send(line);
        }
    });
    // Polls without blocking: devchain is served by this test's runtime.
    let wait_for = |needle: &'static str| {
        let lines = &lines;
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                match lines.try_recv() {
                    Ok(line) if line.contains(needle) => return,
                    Ok(_) => continue,
                    Err(_) => {
                        assert!(Instant::now() < deadline, "no log line with {needle:?}");
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
        }
    };
    wait_for("validators collected").await;

    let status = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    wait_for("shutting down").await;
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = child.0.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
    assert_eq!(
        coloured.load(std::sync::atomic::Ordering::Relaxed),
        0,
        "a log that is not a terminal carries no colour codes"
    );
    let running = sqlx::query_scalar!("SELECT count(*) FROM worker_runs WHERE outcome = 'running'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(running, Some(0), "no run is left marked running");
}

#[tokio::test]
async fn postgres_start_prints_only_the_url_and_stop_stops_it() {
    use sqlx::Connection;
    use std::os::unix::fs::PermissionsExt;
    // Reachable by the postgres user, which runs the cluster when the tests run as root.
    let dir = tempfile::Builder::new()
        .prefix("stakeboard-pg-")
        .tempdir()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data_dir = dir.path().join("data");
    let run = |action: &str| {
        let output = stakeboard()
            .env("STAKEBOARD_DATA_DIR", &data_dir)
            .args(["postgres", action])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };

    let stdout = run("start");
    let url = stdout.trim_end().to_string();
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the URL on stdout: {stdout:?}"
    );
    let password = url
        .strip_prefix("postgres://stakeboard:")
        .and_then(|rest| rest.split_once('@'))
        .map(|(p, _)| p)
        .unwrap_or_default();
    assert!(
        password.len() == 48 && password.bytes().all(|b| b.is_ascii_hexdigit()),
        "a generated password: {url}"
    );
    assert!(
        url.starts_with("postgres://stakeboard:") && url.ends_with("/stakeboard"),
        "{url}"
    );
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let one: i32 = sqlx::query_scalar("SELECT 1")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(one, 1);
    conn.close().await.unwrap();

    assert_eq!(
        run("start").trim_end(),
        url,
        "a second start reuses the running cluster"
    );
    let wrong = url.replacen(password, "0000", 1);
    assert!(
        sqlx::PgConnection::connect(&wrong).await.is_err(),
        "the password is required"
    );

    run("stop");
    assert!(sqlx::PgConnection::connect(&url).await.is_err(), "stopped");
}
