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
    /// Admin accounts (the web has no way to make one).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Sign a ballot with an account key, for voting without a browser wallet.
    Ballot {
        #[command(subcommand)]
        action: BallotAction,
    },
    /// Check an election offline.
    Election {
        #[command(subcommand)]
        action: ElectionAction,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an admin account, or set a new password on one (asked at the terminal, or the
    /// first line of --password-file, or of standard input).
    Create {
        email: String,
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
    },
    /// List the admin accounts.
    List,
    /// Disable an account; its sessions end at their next request.
    Disable { email: String },
}

#[derive(Subcommand)]
enum BallotAction {
    /// Print a signed ballot (JSON) to send to POST /api/v1/elections/{id}/ballots.
    Sign {
        /// The election's number.
        #[arg(long)]
        election: i64,
        /// `abstain`, `2` (single), `1,3` (approval), `3>1>2` (ranked), `1:0.6,2:0.4` (weighted).
        #[arg(long, allow_hyphen_values = true)]
        choice: String,
        /// A file holding the account's BIP-39 mnemonic, or its private key in hex.
        #[arg(long)]
        key_file: std::path::PathBuf,
        /// The Stakeboard that runs the election.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
    },
}

#[derive(Subcommand)]
enum ElectionAction {
    /// Recount an election's bundle (GET /api/v1/elections/{id}/bundle) and say whether it
    /// gives the published results and roots; exits 1 when it does not.
    Verify { bundle: std::path::PathBuf },
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
        Command::Admin { action } => admin(&cli.config, action).await,
        Command::Ballot {
            action:
                BallotAction::Sign {
                    election,
                    choice,
                    key_file,
                    url,
                },
        } => server::elections::cli::sign_ballot(&url, election, &choice, &key_file)
            .await
            .map(|ballot| println!("{}", ballot.canonical())),
        Command::Election {
            action: ElectionAction::Verify { bundle },
        } => match server::elections::cli::verify_bundle(&bundle) {
            Ok((report, matches)) => {
                print!("{report}");
                if !matches {
                    return std::process::ExitCode::FAILURE;
                }
                Ok(())
            }
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stakeboard: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn admin(config: &Config, action: AdminAction) -> anyhow::Result<()> {
    use server::admin::cli;
    let password = match &action {
        AdminAction::Create { password_file, .. } => {
            Some(cli::read_password(password_file.as_deref())?)
        }
        _ => None,
    };
    let pool = server::open_database(config).await?;
    let outcome = match action {
        AdminAction::Create { email, .. } => {
            cli::create(&pool, &email, password.as_ref().expect("read above")).await
        }
        AdminAction::List => cli::list(&pool).await,
        AdminAction::Disable { email } => cli::disable(&pool, &email).await,
    };
    pool.close().await;
    println!("{}", outcome?);
    Ok(())
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
