//! `stakeboard`: runs the server (pages, JSON API, workers), or manages the private Postgres
//! cluster that the embedded default uses.

use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use server::config::Config;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "stakeboard",
    version,
    about = "Self-hosted operations portal for proof-of-stake networks"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// The private Postgres cluster used when DATABASE_URL is unset.
    Postgres {
        #[command(subcommand)]
        action: PostgresAction,
    },
}

#[derive(Subcommand)]
enum PostgresAction {
    /// Create and start the cluster if needed, and print its URL.
    Start {
        /// Turn off fsync: faster, but a crash can lose data. For throw-away test clusters.
        #[arg(long)]
        unsafe_fast: bool,
    },
    /// Stop the cluster.
    Stop,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let _ = dotenvy::dotenv();
    // Logs go to stderr: stdout carries command output (`postgres start` prints the URL).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal: in files and journals they break grep.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::Postgres {
            action: PostgresAction::Start { unsafe_fast },
        } => server::embedded_database_url(&cli.config, unsafe_fast)
            .await
            .map(|url| println!("{}", url.expose_secret())),
        Command::Postgres {
            action: PostgresAction::Stop,
        } => server::stop_embedded_database(&cli.config).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stakeboard: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let server = server::start(config).await?;
    shutdown_signal().await;
    tracing::info!("shutting down");
    server.stop().await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
