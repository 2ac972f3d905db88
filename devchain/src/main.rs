//! `devchain`: serves recorded Cosmos Hub data on a Cosmos SDK REST API for tests and demos.

use clap::Parser;
use devchain::{faults::Faults, router, state::Settings, AppState};
use std::{net::SocketAddr, time::Duration};
use tracing_subscriber::EnvFilter;

#[derive(Parser, Debug)]
#[command(
    version,
    about = "A local stand-in for a Cosmos SDK node's REST API (tests and demos only)"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "DEVCHAIN_ADDR", default_value = "127.0.0.1:1317")]
    addr: SocketAddr,
    /// Milliseconds between blocks.
    #[arg(long, env = "DEVCHAIN_BLOCK_TIME_MS", default_value_t = 6000)]
    block_time_ms: u64,
    /// Delay every answer by this many milliseconds.
    #[arg(long, env = "DEVCHAIN_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,
    /// Answer every chain request with this HTTP status (e.g. 503).
    #[arg(long, env = "DEVCHAIN_FAIL_STATUS")]
    fail_status: Option<u16>,
    /// Answer every chain request with a body that is not valid JSON.
    #[arg(long, env = "DEVCHAIN_MALFORMED", default_value_t = false)]
    malformed: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let settings = Settings {
        block_time: Duration::from_millis(args.block_time_ms.max(1)),
        ..Settings::default()
    };
    let state = AppState::new(settings);
    *state.faults.lock().expect("faults lock") = Faults {
        latency_ms: args.latency_ms,
        status: args.fail_status,
        malformed: args.malformed,
        ..Faults::default()
    };
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| anyhow::anyhow!("devchain cannot listen on {}: {e}", args.addr))?;
    tracing::info!(addr = %listener.local_addr()?, "devchain serving recorded Cosmos Hub data");
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
