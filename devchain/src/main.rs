//! `devchain`: serves recorded Cosmos Hub data on a Cosmos SDK REST API for tests and demos.

use clap::Parser;
use devchain::{
    faults::Faults,
    gov::{
        scenario::{ScenarioSettings, MAX_DELEGATORS},
        GovApi,
    },
    ledger::LedgerSettings,
    router,
    state::Settings,
    AppState,
};
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
    /// The gov API answered: v1 (SDK 0.46+) or v1beta1 (older chains; v1 paths answer 501).
    #[arg(long, env = "DEVCHAIN_GOV_API", value_enum, default_value_t = GovApiArg::V1)]
    gov_api: GovApiArg,
    /// Delegator accounts voting on the scenario proposal (up to 200000), besides the validators.
    #[arg(long, env = "DEVCHAIN_GOV_DELEGATORS", default_value_t = 300)]
    gov_delegators: usize,
    /// Seconds the scenario proposal spends in its deposit period.
    #[arg(long, env = "DEVCHAIN_GOV_DEPOSIT_SECS", default_value_t = 20)]
    gov_deposit_secs: u64,
    /// Seconds the scenario proposal's voting period lasts.
    #[arg(long, env = "DEVCHAIN_GOV_VOTING_SECS", default_value_t = 240)]
    gov_voting_secs: u64,
    /// The chain id the node reports; transactions must be signed for it.
    #[arg(long, env = "DEVCHAIN_CHAIN_ID", default_value = "cosmoshub-4")]
    chain_id: String,
    /// Fund an account at genesis with uatom: `cosmos1...=1000000000`. Repeatable.
    #[arg(long = "fund", value_parser = parse_fund)]
    funded: Vec<(String, u128)>,
    /// Start without a scenario proposal (one can be started with PUT /_devchain/gov/scenario).
    #[arg(long, default_value_t = false)]
    no_gov_scenario: bool,
    /// Serve the recorded proposals with their recorded times (by default they are moved so
    /// the moment of the recording is now, and what was voting is voting).
    #[arg(long, default_value_t = false)]
    original_times: bool,
    /// Start with hostile chain text (validator descriptions and proposals written to break
    /// out of HTML); also `PUT /_devchain/hostile`.
    #[arg(long, default_value_t = false)]
    hostile: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    if args.gov_delegators > MAX_DELEGATORS {
        anyhow::bail!("--gov-delegators is at most {MAX_DELEGATORS}");
    }
    let scenario = (!args.no_gov_scenario).then_some(ScenarioSettings {
        delegators: args.gov_delegators,
        deposit_secs: args.gov_deposit_secs,
        voting_secs: args.gov_voting_secs,
        ..ScenarioSettings::default()
    });
    let settings = Settings {
        block_time: Duration::from_millis(args.block_time_ms.max(1)),
        gov_api: match args.gov_api {
            GovApiArg::V1 => GovApi::V1,
            GovApiArg::V1beta1 => GovApi::V1beta1,
        },
        scenario,
        chain_id: args.chain_id,
        shift_times: !args.original_times,
        ledger: LedgerSettings {
            funded: args.funded,
            ..LedgerSettings::default()
        },
        ..Settings::default()
    };
    let state = AppState::new(settings);
    if args.hostile {
        state.make_hostile();
    }
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

fn parse_fund(text: &str) -> Result<(String, u128), String> {
    let (address, amount) = text
        .split_once('=')
        .ok_or_else(|| format!("expected ADDRESS=AMOUNT, got {text:?}"))?;
    if devchain::address::bytes_of(address).is_none() {
        return Err(format!("{address:?} is not a bech32 address"));
    }
    let amount = amount
        .parse()
        .map_err(|_| format!("{amount:?} is not an amount in base units"))?;
    Ok((address.to_string(), amount))
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum GovApiArg {
    V1,
    V1beta1,
}
