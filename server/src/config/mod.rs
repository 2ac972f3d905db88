//! Configuration: environment variables (and an optional `.env`), read once into [`Config`].
//! Every variable has a default that works on a fresh machine; the README lists them all.

pub mod networks;

use clap::{Args, ValueEnum};
use secrecy::SecretString;
use std::{net::SocketAddr, path::PathBuf, time::Duration};

/// Which parts of Stakeboard this process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Role {
    /// The web server and the workers.
    All,
    /// Only the web server (pages, JSON API, health, metrics).
    Web,
    /// Only the workers (with health and metrics still served).
    Worker,
}

impl Role {
    pub fn runs_workers(self) -> bool {
        matches!(self, Role::All | Role::Worker)
    }

    pub fn serves_pages(self) -> bool {
        matches!(self, Role::All | Role::Web)
    }
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Postgres connection URL. Unset: a private cluster under STAKEBOARD_DATA_DIR is created and started.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<SecretString>,

    /// Largest number of Postgres connections this process opens.
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 20)]
    pub database_max_connections: u32,

    /// Where local state lives: the private Postgres cluster (when DATABASE_URL is unset).
    #[arg(long, env = "STAKEBOARD_DATA_DIR", default_value = "./.stakeboard")]
    pub data_dir: PathBuf,

    /// Address the web server listens on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: SocketAddr,

    /// Directory of the built site (the wasm, JS and CSS cargo-leptos writes).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// The networks file (TOML, one [[network]] table per network).
    #[arg(long, env = "STAKEBOARD_NETWORKS", default_value = "networks.toml")]
    pub networks_file: PathBuf,

    /// Seconds between two collections of a network's validator set.
    #[arg(long, env = "VALIDATORS_INTERVAL_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub validators_interval_secs: u64,

    /// Seconds between two polls of the votes (and live tally) of proposals in their voting period.
    #[arg(long, env = "VOTES_INTERVAL_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub votes_interval_secs: u64,

    /// Seconds between two reads of the proposal list when no proposal is in its voting period.
    #[arg(long, env = "PROPOSALS_INTERVAL_SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub proposals_interval_secs: u64,

    /// Where raw chain responses are archived: file://DIR or s3://bucket/prefix.
    #[arg(
        long,
        env = "ARCHIVE_URL",
        default_value = "file://./.stakeboard/archive"
    )]
    pub archive_url: String,

    /// Endpoint of an S3-compatible server for s3:// archives (path-style requests); unset: AWS.
    #[arg(long, env = "ARCHIVE_S3_ENDPOINT")]
    pub archive_s3_endpoint: Option<String>,

    /// Seconds a chain request may take before it counts as failed.
    #[arg(long, env = "CHAIN_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub chain_timeout_secs: u64,

    /// Tries per chain request (transient failures only), with exponential back-off.
    #[arg(long, env = "CHAIN_ATTEMPTS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub chain_attempts: u32,

    /// Which parts to run: all, web or worker.
    #[arg(long, env = "STAKEBOARD_ROLE", value_enum, default_value_t = Role::All)]
    pub role: Role,
}

impl Config {
    pub fn intervals(&self) -> crate::workers::Intervals {
        crate::workers::Intervals {
            validators: Duration::from_secs(self.validators_interval_secs),
            votes: Duration::from_secs(self.votes_interval_secs),
            proposals: Duration::from_secs(self.proposals_interval_secs),
        }
    }

    pub fn chain_timeout(&self) -> Duration {
        Duration::from_secs(self.chain_timeout_secs)
    }
}
