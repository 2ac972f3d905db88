//! Configuration: environment variables (and an optional `.env`), read once into [`Config`].
//! Every variable has a default that works on a fresh machine; the README lists them all.

pub mod faucet;
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

    /// Mebibytes of rendered pages the page cache keeps (all encodings counted); 0 turns the
    /// cache off.
    #[arg(long, env = "PAGE_CACHE_MB", default_value_t = 16, value_parser = clap::value_parser!(u64).range(0..=4096))]
    pub page_cache_mb: u64,

    /// Seconds a cached page is served before it is rendered again even if no data changed:
    /// the bound on how late a "data is stale" warning can appear.
    #[arg(long, env = "PAGE_CACHE_MAX_AGE_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub page_cache_max_age_secs: u64,

    /// Seconds a client may take to send a request's headers (from connecting, or from its
    /// previous request on the same connection) before it is disconnected.
    #[arg(long, env = "HTTP_HEADER_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub http_header_timeout_secs: u64,

    /// Seconds a client may take to send a request's whole body; after that the handler reading
    /// it fails (answered with a 4xx) and the connection is closed.
    #[arg(long, env = "HTTP_BODY_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub http_body_timeout_secs: u64,

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

    /// Where mail goes: smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465.
    /// Unset: each mail is written as an .eml file under STAKEBOARD_DATA_DIR/mail.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<SecretString>,

    /// The sender of every mail, e.g. "Stakeboard <alerts@example.org>".
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Stakeboard <alerts@stakeboard.localhost>"
    )]
    pub mail_from: String,

    /// The site's address as links in mails show it. Unset: http://LEPTOS_SITE_ADDR.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// Seconds between two looks for new alert events (proposals entering voting, ending, reminders due).
    #[arg(long, env = "ALERTS_INTERVAL_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    pub alerts_interval_secs: u64,

    /// Mails this replica sends at once (also the SMTP connections it keeps).
    #[arg(long, env = "MAIL_CONCURRENCY", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub mail_concurrency: u32,

    /// Seconds an SMTP exchange may take.
    #[arg(long, env = "SMTP_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    pub smtp_timeout_secs: u64,

    /// Seconds a sender keeps the outbox rows it took; rows of a sender that died go out again after it.
    #[arg(long, env = "MAIL_LEASE_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(2..))]
    pub mail_lease_secs: u64,

    /// Tries per mail before it is recorded as failed (with back-off from 30 s to 1 h).
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 10, value_parser = clap::value_parser!(i32).range(1..=50))]
    pub mail_max_attempts: i32,

    /// Sign-up requests one IP may make per hour.
    #[arg(long, env = "ALERTS_SIGNUPS_PER_IP_PER_HOUR", default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..))]
    pub alerts_signups_per_ip_per_hour: i64,

    /// Confirmation or preferences mails one address may get per day.
    #[arg(long, env = "ALERTS_MAILS_PER_ADDRESS_PER_DAY", default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..))]
    pub alerts_mails_per_address_per_day: i64,

    /// Take the client's IP from X-Forwarded-For (set only behind a proxy that writes it).
    #[arg(long, env = "TRUST_X_FORWARDED_FOR", default_value_t = false)]
    pub trust_x_forwarded_for: bool,

    /// The faucet key's BIP-39 mnemonic (12 to 24 words). Never logged or shown.
    #[arg(long, env = "FAUCET_MNEMONIC", hide_env_values = true)]
    pub faucet_mnemonic: Option<SecretString>,

    /// A file holding the faucet mnemonic, read when FAUCET_MNEMONIC is unset.
    #[arg(long, env = "FAUCET_MNEMONIC_FILE")]
    pub faucet_mnemonic_file: Option<PathBuf>,

    /// Captcha difficulty: the browser tries half this many SHA-256 hashes on average.
    #[arg(long, env = "FAUCET_CAPTCHA_MAX_NUMBER", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub faucet_captcha_max_number: u64,

    /// How long a captcha challenge may be solved and used.
    #[arg(long, env = "FAUCET_CAPTCHA_TTL_SECS", default_value_t = 600, value_parser = clap::value_parser!(i64).range(10..))]
    pub faucet_captcha_ttl_secs: i64,

    /// Whether `POST /credit` (the cosmjs faucet's API) needs a captcha solution too.
    #[arg(long, env = "FAUCET_CREDIT_REQUIRES_CAPTCHA", default_value_t = true, action = clap::ArgAction::Set)]
    pub faucet_credit_requires_captcha: bool,

    /// How often the faucet sender asks the node whether a new block came.
    #[arg(long, env = "FAUCET_POLL_MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(50..))]
    pub faucet_poll_ms: u64,

    /// Blocks a payment transaction may wait for inclusion before its claims are queued again.
    #[arg(long, env = "FAUCET_TX_TIMEOUT_BLOCKS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(2..=10_000))]
    pub faucet_tx_timeout_blocks: u64,

    /// Failed payment attempts after which a claim fails for good.
    #[arg(long, env = "FAUCET_MAX_ATTEMPTS", default_value_t = 3, value_parser = clap::value_parser!(i32).range(1..=50))]
    pub faucet_max_attempts: i32,

    /// Seconds between two looks of the elections worker at the elections table (an admin's
    /// change wakes it at once).
    #[arg(long, env = "ELECTIONS_POLL_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub elections_poll_secs: u64,

    /// When an election is prepared (power snapshot and plan), relative to its voting start:
    /// -60 is an hour before.
    #[arg(long, env = "ELECTIONS_PREPARE_OFFSET_MINUTES", default_value_t = -60, allow_negative_numbers = true, value_parser = clap::value_parser!(i64).range(-10_080..=0))]
    pub elections_prepare_offset_minutes: i64,

    /// Seconds between two counts of an open election's live tally (when ballots came).
    #[arg(long, env = "ELECTIONS_LIVE_TALLY_SECS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub elections_live_tally_secs: u64,

    /// Hours an admin session lasts without a request.
    #[arg(long, env = "ADMIN_SESSION_HOURS", default_value_t = 12, value_parser = clap::value_parser!(i64).range(1..=720))]
    pub admin_session_hours: i64,

    /// Failed logins of one admin account within ADMIN_LOGIN_WINDOW_MINUTES that lock it until
    /// the oldest of them is that old.
    #[arg(long, env = "ADMIN_LOGIN_MAX_FAILURES", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub admin_login_max_failures: u32,

    /// Failed logins from one IP within the window that lock it out.
    #[arg(long, env = "ADMIN_LOGIN_IP_MAX_FAILURES", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub admin_login_ip_max_failures: u32,

    /// The window the failed logins are counted in, in minutes.
    #[arg(long, env = "ADMIN_LOGIN_WINDOW_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(i64).range(1..=1440))]
    pub admin_login_window_minutes: i64,

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
            alerts: Duration::from_secs(self.alerts_interval_secs),
        }
    }

    /// How chain requests behave.
    pub fn chain_settings(&self) -> crate::workers::ChainSettings {
        crate::workers::ChainSettings {
            timeout: Duration::from_secs(self.chain_timeout_secs),
            retry: crate::chain::RetryPolicy {
                attempts: self.chain_attempts,
                ..crate::chain::RetryPolicy::default()
            },
        }
    }

    /// The site's address for links in mails, without a trailing slash; by default the
    /// address the server is bound to.
    pub fn site_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_string(),
            None => format!("http://{bound}"),
        }
    }

    /// How admins log in: sessions, lockouts, and the origin their forms must come from.
    pub fn admin_settings(&self) -> crate::admin::AdminSettings {
        let origin = self
            .public_url
            .as_ref()
            .map(|u| u.origin().ascii_serialization());
        crate::admin::AdminSettings {
            secure_cookie: self
                .public_url
                .as_ref()
                .is_some_and(|u| u.scheme() == "https"),
            origin,
            session_hours: self.admin_session_hours,
            login: crate::admin::login::LoginLimits {
                window: chrono::Duration::minutes(self.admin_login_window_minutes),
                per_account: self.admin_login_max_failures as usize,
                per_ip: self.admin_login_ip_max_failures as usize,
            },
        }
    }

    /// How the elections worker paces itself.
    pub fn elections_timing(&self) -> crate::workers::elections::Timing {
        crate::workers::elections::Timing {
            poll: Duration::from_secs(self.elections_poll_secs),
            prepare_offset: chrono::Duration::minutes(self.elections_prepare_offset_minutes),
            live_tally: Duration::from_secs(self.elections_live_tally_secs),
        }
    }

    pub fn signup_limits(&self) -> app::alerts::service::SignupLimits {
        app::alerts::service::SignupLimits {
            per_ip_per_hour: self.alerts_signups_per_ip_per_hour,
            mails_per_address_per_day: self.alerts_mails_per_address_per_day,
        }
    }
}
