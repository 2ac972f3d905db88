//! Stakeboard's server: configuration, the router, the JSON API, health and metrics, the
//! workers, the chain client and the archive. Pages and server functions live in `app`.

pub mod admin;
pub mod api;
pub mod archive;
pub mod chain;
pub mod config;
pub mod db;
pub mod elections;
pub mod embedded_pg;
pub mod forms;
pub mod http;
pub mod mail;
pub mod router;
pub mod state;
pub mod system;
pub mod workers;

use anyhow::Context;
use archive::Archive;
use config::{networks, Config};
use embedded_pg::EmbeddedPostgres;
use leptos::config::LeptosOptions;
use secrecy::SecretString;
use state::ServerState;
use std::net::SocketAddr;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use workers::WorkerContext;

/// The name cargo-leptos gives the wasm, JS and CSS bundles (`[[workspace.metadata.leptos]]`).
pub const OUTPUT_NAME: &str = "stakeboard";

/// A running server: its address, and a way to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub pool: sqlx::PgPool,
    shutdown: CancellationToken,
    http: JoinHandle<()>,
    workers: Vec<JoinHandle<()>>,
    embedded: Option<EmbeddedPostgres>,
}

/// Loads the networks, opens the database (a private cluster when DATABASE_URL is unset), runs
/// migrations, and starts the web server and (by role) the workers.
pub async fn start(config: Config) -> anyhow::Result<Server> {
    let networks = networks::load(&config.networks_file)?;
    let (database_url, embedded) = match &config.database_url {
        Some(url) => (url.clone(), None),
        None => {
            let cluster = EmbeddedPostgres::locate(&config.data_dir).await?;
            let (url, started) = cluster.start(false).await?;
            tracing::info!(data_dir = %config.data_dir.display(), "using the private Postgres cluster (DATABASE_URL is unset)");
            (url, started.then_some(cluster))
        }
    };
    let pool = db::connect(&database_url, config.database_max_connections).await?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("cannot run database migrations")?;
    db::sync_networks(&pool, &networks)
        .await
        .context("cannot record the followed networks")?;
    let faucet_key = workers::faucet::key::FaucetKey::load(
        config.faucet_mnemonic.as_ref(),
        config.faucet_mnemonic_file.as_deref(),
    )?
    .map(std::sync::Arc::new);
    let faucets = faucet_directory(&config, &networks, faucet_key.as_deref(), &pool).await?;
    let archive = Archive::open(&config.archive_url, config.archive_s3_endpoint.as_deref()).await?;
    tracing::info!(archive = %archive.describe(), networks = networks.len(), role = ?config.role, "starting");

    let leptos_options = LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();
    let shutdown = CancellationToken::new();
    let page_cache = http::page_cache::PageCache::new(http::page_cache::CacheLimits {
        max_bytes: config.page_cache_mb as usize * 1024 * 1024,
        max_age: std::time::Duration::from_secs(config.page_cache_max_age_secs),
    });
    let assets = http::assets::Assets::load(&config.site_root, OUTPUT_NAME);
    // Debug builds' WASM is megabytes: compressing it at the highest levels on every start
    // would slow every test; there the first request compresses what it needs.
    if config.role.serves_pages() && !cfg!(debug_assertions) {
        assets.warm();
    }
    let state = ServerState {
        leptos_options,
        pool: pool.clone(),
        app: app::state::AppState::new(pool.clone()).with_faucets(faucets),
        metrics: system::metrics::handle(),
        signup_limits: config.signup_limits(),
        trust_x_forwarded_for: config.trust_x_forwarded_for,
        page_cache: page_cache.clone(),
        assets,
        admin: config.admin_settings(),
    };
    let app = router::router(
        state,
        router::Options {
            serve_pages: config.role.serves_pages(),
            body_timeout: std::time::Duration::from_secs(config.http_body_timeout_secs),
        },
    );
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .with_context(|| format!("cannot listen on {} (LEPTOS_SITE_ADDR)", config.site_addr))?;
    let addr = listener.local_addr()?;
    tokio::spawn(system::memory::trim_periodically(shutdown.clone()));
    if config.role.serves_pages() && config.page_cache_mb > 0 {
        tokio::spawn(http::page_cache::follow_data_changes(
            pool.clone(),
            page_cache,
            shutdown.clone(),
        ));
    }

    let workers = if config.role.runs_workers() {
        let mailer = mail::Mailer::open(mail::MailSettings {
            smtp_url: config.smtp_url.as_ref(),
            mail_dir: config.data_dir.join("mail"),
            from: &config.mail_from,
            timeout: std::time::Duration::from_secs(config.smtp_timeout_secs),
            connections: config.mail_concurrency,
        })
        .await?;
        tracing::info!(mail = %mailer.describe(), "mail transport ready");
        let sender = workers::alerts::sender::Sender::new(
            pool.clone(),
            mailer,
            std::sync::Arc::new(mail::templates::Templates::load()),
            workers::alerts::sender::SenderSettings {
                site_url: config.site_url(addr),
                lease: std::time::Duration::from_secs(config.mail_lease_secs),
                send_timeout: std::time::Duration::from_secs(config.smtp_timeout_secs),
                concurrency: config.mail_concurrency as usize,
                max_attempts: config.mail_max_attempts,
                idle: std::time::Duration::from_secs(1),
            },
        );
        let ctx = WorkerContext::new(
            pool.clone(),
            archive,
            networks,
            config.chain_settings(),
            shutdown.clone(),
        );
        workers::start(
            &ctx,
            workers::WorkerParts {
                intervals: config.intervals(),
                elections: config.elections_timing(),
                mail_sender: sender,
                faucet_key,
                faucet: workers::faucet::FaucetRuntime {
                    poll: std::time::Duration::from_millis(config.faucet_poll_ms),
                    settings: workers::faucet::sender::SenderSettings {
                        timeout_blocks: config.faucet_tx_timeout_blocks,
                        max_attempts: config.faucet_max_attempts,
                    },
                },
            },
        )
    } else {
        Vec::new()
    };

    let http = tokio::spawn(http::serve::serve(
        listener,
        app,
        std::time::Duration::from_secs(config.http_header_timeout_secs),
        shutdown.clone(),
    ));
    tracing::info!(%addr, "Stakeboard is listening on http://{addr}");
    Ok(Server {
        addr,
        pool,
        shutdown,
        http,
        workers,
        embedded,
    })
}

/// The faucets the web side serves, with the key's address per network and the shared
/// captcha key from Postgres.
async fn faucet_directory(
    config: &Config,
    networks: &[networks::Network],
    key: Option<&workers::faucet::key::FaucetKey>,
    pool: &sqlx::PgPool,
) -> anyhow::Result<app::faucet::settings::Faucets> {
    let list: Vec<_> = networks
        .iter()
        .filter_map(|n| {
            let f = n.faucet.as_ref()?;
            Some(app::faucet::settings::FaucetSettings {
                network: n.slug.clone(),
                network_name: n.name.clone(),
                prefix: n.bech32_prefix.clone(),
                denom: f.denom.clone(),
                display_denom: if f.denom == n.denom {
                    n.display_denom.clone()
                } else {
                    f.denom.clone()
                },
                exponent: if f.denom == n.denom { n.exponent } else { 0 },
                amount: f.amount,
                address_cooldown_hours: f.address_cooldown_hours,
                ip_claims_per_day: f.ip_claims_per_day,
                address: key.map(|k| k.address(&n.bech32_prefix)),
            })
        })
        .collect();
    if list.is_empty() {
        return Ok(Default::default());
    }
    for f in &list {
        match &f.address {
            Some(address) => tracing::info!(network = %f.network, %address, "faucet key loaded"),
            None => {
                tracing::warn!(network = %f.network, "faucet configured but FAUCET_MNEMONIC is unset: claims are refused")
            }
        }
    }
    let captcha_key = workers::faucet::store::captcha_key(pool)
        .await
        .context("cannot read the captcha key")?;
    Ok(app::faucet::settings::Faucets {
        list,
        captcha_key,
        captcha_max_number: config.faucet_captcha_max_number,
        captcha_ttl_secs: config.faucet_captcha_ttl_secs,
        credit_requires_captcha: config.faucet_credit_requires_captcha,
    })
}

impl Server {
    /// Stops taking requests, lets workers finish or roll back, closes the database.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        let served = self.http.await;
        for worker in self.workers {
            let _ = worker.await;
        }
        self.pool.close().await;
        if let Some(cluster) = self.embedded {
            cluster.stop().await?;
        }
        served?;
        Ok(())
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// The database for a command (`stakeboard admin ...`): DATABASE_URL, or the private cluster
/// (started if needed, and left running), migrated.
pub async fn open_database(config: &Config) -> anyhow::Result<sqlx::PgPool> {
    let url = match &config.database_url {
        Some(url) => url.clone(),
        None => {
            EmbeddedPostgres::locate(&config.data_dir)
                .await?
                .start(false)
                .await?
                .0
        }
    };
    let pool = db::connect(&url, 2).await?;
    db::MIGRATOR
        .run(&pool)
        .await
        .context("cannot run database migrations")?;
    Ok(pool)
}

/// The URL of the private cluster, starting it if needed (for scripts and tests).
pub async fn embedded_database_url(
    config: &Config,
    unsafe_fast: bool,
) -> anyhow::Result<SecretString> {
    let cluster = EmbeddedPostgres::locate(&config.data_dir).await?;
    Ok(cluster.start(unsafe_fast).await?.0)
}

pub async fn stop_embedded_database(config: &Config) -> anyhow::Result<()> {
    EmbeddedPostgres::locate(&config.data_dir)
        .await?
        .stop()
        .await
}
