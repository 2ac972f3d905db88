//! The governance figures issue #3 asks for, printed: with GOV_BENCH_DELEGATORS delegator accounts
//! (default 170,000, about 100,000 of whom vote) on an in-process devchain,
//!   - wall and CPU time of one poll-and-diff round (Stakeboard's threads only; devchain runs on
//!     its own named threads and is left out), first with every vote new, then with none,
//!   - the rows a no-change round writes (must be 0),
//!   - p50/p99 of the proposal page (from the page cache, and rendered for every request), of its
//!     table of every vote 90,000 deep, of the votes JSON (first page, and a page 90,000 deep by
//!     cursor and by the deprecated offset) and of a validator's history JSON with 100,000
//!     recorded changes (first page, and 90,000 deep), under BENCH_CONNECTIONS concurrent clients
//!     (default 20) for BENCH_SECONDS each (default 15).
//!
//! Needs DATABASE_URL pointing at an empty database: `.ci/bench governance` prepares one.

#[path = "../tests/suite/common/mod.rs"]
mod common;

use devchain::gov::scenario::ScenarioSettings;
use secrecy::SecretString;
use server::{
    archive::Archive,
    chain::RetryPolicy,
    config::Role,
    workers::{
        governance::{refresh, votes, NetworkState},
        validators, ChainSettings, WorkerContext,
    },
};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// CPU seconds used so far by this process's threads, except devchain's.
fn stakeboard_cpu_secs() -> f64 {
    let ticks_per_sec = 100.0; // USER_HZ on Linux
    let mut ticks = 0u64;
    for task in std::fs::read_dir("/proc/self/task").expect("/proc is mounted") {
        let Ok(stat) = std::fs::read_to_string(task.unwrap().path().join("stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        if stat[open + 1..close].starts_with("devchain") {
            continue;
        }
        let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
        // utime and stime are fields 14 and 15 of stat; 12 and 13 after the name.
        ticks += fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
    }
    ticks as f64 / ticks_per_sec
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

async fn load(name: &str, url: String, connections: u64, secs: u64) {
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let workers = (0..connections).map(|_| {
        let (client, url) = (client.clone(), url.clone());
        tokio::spawn(async move {
            let mut times = Vec::new();
            let mut failures = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                match client.get(&url).send().await {
                    Ok(r) if r.status().is_success() => {
                        r.bytes().await.unwrap();
                        times.push(start.elapsed());
                    }
                    Ok(r) => failures.push(format!("{} after {:?}", r.status(), start.elapsed())),
                    Err(e) => failures.push(format!("{e} after {:?}", start.elapsed())),
                }
            }
            (times, failures)
        })
    });
    let mut times = Vec::new();
    let mut failures = Vec::new();
    for worker in workers.collect::<Vec<_>>() {
        let (t, f) = worker.await.unwrap();
        times.extend(t);
        failures.extend(f);
    }
    times.sort();
    println!(
        "{name:<60} p50 {:>8.1} ms   p99 {:>8.1} ms   {:>8.1} req/s   {} failed{}",
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
        times.len() as f64 / secs as f64,
        failures.len(),
        failures
            .first()
            .map(|f| format!(" (first: {f})"))
            .unwrap_or_default(),
    );
}

/// Writes `n` recorded changes for `operator`, five minutes apart, ending now.
async fn write_history(pool: &sqlx::PgPool, operator: &str, n: i64) {
    sqlx::query(
        "INSERT INTO validator_history (network, operator_address, recorded_at, tokens, status, jailed, commission_rate, missed_blocks)
         SELECT 'cosmoshub', $1, now() - interval '5 minutes' * i, 1000000 * i, 'active', false, 0.05, i
         FROM generate_series(1, $2) AS i
         ON CONFLICT DO NOTHING",
    )
    .bind(operator)
    .bind(n)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("ANALYZE validator_history")
        .execute(pool)
        .await
        .unwrap();
}

/// The `next` of the page of `limit` rows of the list at `url` that ends at row `depth`, by
/// walking the list from its start (the way a client reaches that depth).
async fn cursor_at(url: &str, field: &str, depth: usize) -> String {
    let mut next: Option<String> = None;
    let mut seen = 0;
    while seen < depth {
        let limit = (depth - seen).min(1000);
        let after = next
            .as_deref()
            .map(|n| format!("&after={n}"))
            .unwrap_or_default();
        let page: serde_json::Value = reqwest::get(format!("{url}?limit={limit}{after}"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        seen += page[field].as_array().map_or(0, Vec::len);
        next = page["next"].as_str().map(str::to_string);
    }
    next.expect("a cursor at that depth")
}

fn main() {
    // RUST_LOG=server::workers::governance=debug shows each poll's phases.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let delegators = env_number("GOV_BENCH_DELEGATORS", 170_000) as usize;
    let connections = env_number("BENCH_CONNECTIONS", 20);
    let secs = env_number("BENCH_SECONDS", 15);
    let database_url = SecretString::from(
        std::env::var("DATABASE_URL").expect("DATABASE_URL must name an empty database"),
    );

    let chain_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("devchain")
        .enable_all()
        .build()
        .unwrap();
    let chain = chain_runtime.block_on(common::devchain_without_scenario());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .thread_name("stakeboard")
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = server::db::connect(&database_url, 5).await.unwrap();
        MIGRATIONS.run(&pool).await.unwrap();
        let network = common::hub(&chain);
        server::db::sync_networks(&pool, std::slice::from_ref(&network))
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ctx = WorkerContext::new(
            pool.clone(),
            Archive::open(&format!("file://{}", dir.path().display()), None)
                .await
                .unwrap(),
            vec![network],
            ChainSettings {
                timeout: Duration::from_secs(60),
                retry: RetryPolicy::default(),
            },
            CancellationToken::new(),
        );
        let network = &ctx.networks[0];
        validators::run_one(&ctx, network).await.unwrap();
        let id = chain.start_scenario(ScenarioSettings {
            delegators,
            deposit_secs: 0,
            voting_secs: 100_000,
            ..ScenarioSettings::default()
        });
        let mut state = NetworkState::default();
        refresh::refresh(&ctx, &mut state, network)
            .await
            .unwrap();
        // Every scripted vote is cast by 90% of the period; stay before the end.
        chain.fast_forward(id, 95_000_000);

        println!();
        println!(
            "Stakeboard governance bench: {} cores, {delegators} delegator accounts, {}",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            std::env::var("GIT_HASH").unwrap_or_default()
        );
        for label in ["first round (every vote new)", "next round (no change)"] {
            let (cpu, wall) = (stakeboard_cpu_secs(), Instant::now());
            let round = votes::poll(&ctx, &mut state, network)
                .await
                .unwrap();
            println!(
                "poll-and-diff, {label:<30} wall {:>6.2} s   CPU {:>6.2} s   {} votes, {} new, {} changed, {} rows written",
                wall.elapsed().as_secs_f64(),
                stakeboard_cpu_secs() - cpu,
                round.votes,
                round.new_votes,
                round.changed_votes,
                round.rows_written,
            );
        }

        let operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
        write_history(&pool, operator, 100_000).await;

        let site = tempfile::tempdir().unwrap();
        let networks_file = common::networks_file(site.path(), &chain);
        let mut config = common::server_config(&pool, networks_file, site.path(), 300);
        config.database_max_connections = 10;
        config.chain_timeout_secs = 10;
        config.role = Role::Web;
        let mut uncached = config.clone();
        uncached.page_cache_mb = 0;
        let web = server::start(config).await.unwrap();
        let base = web.url();
        println!("{connections} concurrent clients, {secs} s per run:");
        load(
            &format!("GET /proposals/cosmoshub/{id} (page cache)"),
            format!("{base}/proposals/cosmoshub/{id}"),
            connections,
            secs,
        )
        .await;
        let render = server::start(uncached).await.unwrap();
        let votes_url = format!("{base}/api/v1/networks/cosmoshub/proposals/{id}/votes");
        load(
            &format!("GET /proposals/cosmoshub/{id} (rendered per request)"),
            format!("{}/proposals/cosmoshub/{id}", render.url()),
            connections,
            secs,
        )
        .await;
        // The page's table of every vote, newest first: its page 90,000 votes deep.
        let total: serde_json::Value = reqwest::get(format!("{votes_url}?limit=1"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let total = total["total"].as_u64().unwrap() as usize;
        let newest_first = cursor_at(&votes_url, "votes", total - 90_000).await;
        load(
            "GET the page's votes table 90,000 deep (rendered per request)",
            format!("{}/proposals/cosmoshub/{id}?after={newest_first}", render.url()),
            connections,
            secs,
        )
        .await;
        render.stop().await.unwrap();
        load(
            "GET votes JSON, first page (100)",
            format!("{base}/api/v1/networks/cosmoshub/proposals/{id}/votes"),
            connections,
            secs,
        )
        .await;
        let after = cursor_at(&votes_url, "votes", 90_000).await;
        load(
            "GET votes JSON, a page of 1000 after vote 90000",
            format!("{base}/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=1000&after={after}"),
            connections,
            secs,
        )
        .await;
        load(
            "GET votes JSON, first page of 1000",
            format!("{base}/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=1000"),
            connections,
            secs,
        )
        .await;
        load(
            "GET votes JSON, a page of 1000 at offset 90000 (deprecated)",
            format!(
                "{base}/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=1000&offset=90000"
            ),
            connections,
            secs,
        )
        .await;
        let history = format!("{base}/api/v1/networks/cosmoshub/validators/{operator}/history");
        load(
            "GET validator history JSON, first page of 1000 (100,000 changes)",
            format!("{history}?limit=1000"),
            connections,
            secs,
        )
        .await;
        let after = cursor_at(&history, "changes", 90_000).await;
        load(
            "GET validator history JSON, a page of 1000 after change 90000",
            format!("{history}?limit=1000&after={after}"),
            connections,
            secs,
        )
        .await;
        load(
            "GET /validators/{operator} (100,000 changes, page cache)",
            format!("{base}/validators/{operator}"),
            connections,
            secs,
        )
        .await;
        web.stop().await.unwrap();
    });
    drop(chain);
    chain_runtime.shutdown_background();
}
