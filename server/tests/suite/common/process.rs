//! The `stakeboard` binary as a worker process, for tests that kill it with SIGKILL.

use secrecy::ExposeSecret;
use sqlx::PgPool;
use std::{
    path::Path,
    process::{Command, Stdio},
    time::SystemTime,
};

/// `stakeboard --role worker` on `pool`'s database with `networks_toml` as its networks file,
/// its data and archive under `dir`, quiet; the caller adds its own variables and spawns it.
pub fn worker_command(pool: &PgPool, dir: &Path, networks_toml: &str) -> Command {
    let networks = dir.join("networks.toml");
    std::fs::write(&networks, networks_toml).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_stakeboard"));
    command
        .env("DATABASE_URL", super::url_of(pool).expose_secret())
        .env("STAKEBOARD_ROLE", "worker")
        .env("STAKEBOARD_NETWORKS", &networks)
        .env("STAKEBOARD_DATA_DIR", dir.join("data"))
        .env(
            "ARCHIVE_URL",
            format!("file://{}", dir.join("archive").display()),
        )
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// A pseudo-random delay in [from, to) ms: the kill points differ from run to run.
pub fn random_ms(from: u64, to: u64) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    from + nanos % (to - from)
}
