//! The elections figures issue #13 asks for, printed (`.ci/bench elections`):
//!   - ballots accepted per second through `POST /api/v1/elections/{id}/ballots` (each signature
//!     verified, each ballot committed to the ledger before its receipt) with ELECTIONS_BENCH_VOTERS
//!     eligible voters (default 100,000) on an allowlist and BENCH_CONNECTIONS clients (default 32),
//!     for ELECTIONS_BENCH_BALLOTS ballots (default 20,000), with p50/p99;
//!   - the time to count 100,000 ballots under each method (the worker's count), and the
//!     worker's whole final count of the API's ballots (ledger read, count, root, write);
//!   - the time to snapshot the `stake` source of the recorded Hub set from devchain;
//!   - peak RSS of the process (server, worker and devchain in one).
//!
//! Needs DATABASE_URL pointing at an empty database: `.ci/bench elections` prepares one.

#[path = "../tests/suite/common/mod.rs"]
mod common;

use app::{
    admin::model::AdminIdentity,
    elections::{
        admin::{self, Actor},
        adr036,
        ballot::BallotData,
        choice::{Choice, Weight},
        form::ElectionDraft,
        model::{BallotMethod, BasisPoints},
    },
};
use k256::ecdsa::SigningKey;
use secrecy::SecretString;
use server::{
    archive::Archive,
    chain::RetryPolicy,
    config::Role,
    elections::tally::{self, Holding},
    workers::{
        elections::{run_once, Timing},
        validators, ChainSettings, WorkerContext,
    },
};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio_util::sync::CancellationToken;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn timing() -> Timing {
    Timing {
        poll: Duration::from_secs(1),
        prepare_offset: chrono::Duration::minutes(-60),
        live_tally: Duration::from_secs(3600),
    }
}

fn key(n: u64) -> SigningKey {
    SigningKey::from_slice(&Sha256::digest(format!("bench-voter-{n}").as_bytes())).unwrap()
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn draft(method: &str, source: &str) -> ElectionDraft {
    let at = |h: i64| {
        (chrono::Utc::now() + chrono::Duration::hours(h))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    ElectionDraft {
        network: "cosmoshub".into(),
        title: format!("Bench {method} {source}"),
        question: "Which?".into(),
        options: "A\nB\nC\nD\nE\nF".into(),
        method: method.into(),
        power_source: source.into(),
        quorum: "10".into(),
        voting_start: at(5),
        voting_end: at(48),
        ..Default::default()
    }
}

/// Runs the worker until the election has a plan; returns the time it took.
async fn prepare(ctx: &WorkerContext, id: i64) -> Duration {
    let started = Instant::now();
    for _ in 0..50 {
        run_once(ctx, timing()).await.unwrap();
        let state: String = sqlx::query_scalar("SELECT state FROM elections WHERE id = $1")
            .bind(id)
            .fetch_one(&ctx.pool)
            .await
            .unwrap();
        if state == "open" {
            return started.elapsed();
        }
    }
    panic!("election {id} did not open");
}

/// A choice of voter `n` under `method`, spread over six options.
fn choice(method: BallotMethod, n: u64) -> Choice {
    let o = |k: u64| ((n + k) % 6 + 1) as u16;
    match method {
        BallotMethod::Single => Choice::Options(vec![o(0)]),
        BallotMethod::Approval => Choice::Options(vec![o(0), o(n % 3 + 1)]),
        BallotMethod::Ranked => Choice::Options(vec![o(n % 5), o(n % 5 + 1), o(n % 5 + 3)]),
        BallotMethod::Weighted => Choice::Weights(vec![
            Weight {
                option: o(0),
                weight: "0.7".into(),
            },
            Weight {
                option: o(1),
                weight: "0.3".into(),
            },
        ]),
    }
}

fn main() {
    let voters = env_number("ELECTIONS_BENCH_VOTERS", 100_000);
    let ballots = env_number("ELECTIONS_BENCH_BALLOTS", 20_000).min(voters);
    let connections = env_number("BENCH_CONNECTIONS", 32);
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
        server::db::sync_networks(&pool, std::slice::from_ref(&network)).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let ctx = WorkerContext::new(
            pool.clone(),
            Archive::open(&format!("file://{}", dir.path().display()), None).await.unwrap(),
            vec![network],
            ChainSettings { timeout: Duration::from_secs(60), retry: RetryPolicy::default() },
            CancellationToken::new(),
        );
        validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
        let (admin_id, _) = app::admin::db::upsert(&pool, "bench@example.org", "x").await.unwrap();
        let identity = AdminIdentity { id: admin_id, email: "bench@example.org".into() };
        let actor = Actor { admin: &identity, ip: None };
        println!();
        println!(
            "Stakeboard elections bench: {} cores, {voters} eligible voters, {ballots} ballots, {connections} clients",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );

        // The stake source of the recorded Hub set.
        let stake = admin::create(&pool, &actor, &draft("single", "stake")).await.unwrap();
        admin::open_now(&pool, &actor, stake).await.unwrap();
        let took = prepare(&ctx, stake).await;
        let (rows, holders): (i64, i64) = sqlx::query_as("SELECT count(*), count(DISTINCT address) FROM election_snapshot WHERE election_id = $1")
            .bind(stake).fetch_one(&pool).await.unwrap();
        println!("stake snapshot of the recorded Hub set (devchain)   {:>8.2} s   {rows} delegations of {holders} delegators, plan stored and archived", took.as_secs_f64());

        // An allowlist of every voter.
        let started = Instant::now();
        let keys: Arc<Vec<SigningKey>> = Arc::new((0..voters).map(key).collect());
        let addresses: Vec<String> = keys.iter().map(|k| adr036::account_address("cosmos", k.verifying_key().to_encoded_point(true).as_bytes())).collect();
        let csv: String = addresses.iter().enumerate().map(|(i, a)| format!("{a},{}\n", 1 + i % 1000)).collect();
        let id = admin::create(&pool, &actor, &draft("ranked", "allowlist")).await.unwrap();
        admin::upload_allowlist(&pool, &actor, id, &csv).await.unwrap();
        let upload = started.elapsed();
        admin::open_now(&pool, &actor, id).await.unwrap();
        let took = prepare(&ctx, id).await;
        println!("allowlist of {voters} voters: keys and upload {:>6.2} s, snapshot and plan {:>6.2} s", upload.as_secs_f64(), took.as_secs_f64());

        // Ballots signed beforehand (the voters' side), then sent by the clients.
        let plan_hash: String = sqlx::query_scalar("SELECT block0_hash FROM elections WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
        let now = chrono::Utc::now();
        let bodies: Vec<String> = (0..ballots)
            .map(|n| {
                let data = BallotData::new(id, &plan_hash, choice(BallotMethod::Ranked, n), format!("bench-{n:08}"), now).canonical();
                serde_json::to_string(&adr036::sign(&keys[n as usize], "cosmos", &data)).unwrap()
            })
            .collect();
        let dir_web = tempfile::tempdir().unwrap();
        let networks_file = common::networks_file(dir_web.path(), &chain);
        let mut config = common::server_config(&pool, networks_file, dir_web.path(), 3600);
        config.role = Role::Web;
        config.database_max_connections = 40;
        let web = server::start(config).await.unwrap();
        let url = format!("{}/api/v1/elections/{id}/ballots", web.url());
        let queue = Arc::new(std::sync::Mutex::new(bodies));
        let client = reqwest::Client::new();
        let started = Instant::now();
        let workers: Vec<_> = (0..connections)
            .map(|_| {
                let (queue, client, url) = (queue.clone(), client.clone(), url.clone());
                tokio::spawn(async move {
                    let (mut times, mut failures) = (Vec::new(), Vec::new());
                    loop {
                        let Some(body) = queue.lock().unwrap().pop() else { break };
                        let t = Instant::now();
                        let response = client.post(&url).header("content-type", "application/json").body(body).send().await.unwrap();
                        let status = response.status();
                        let text = response.text().await.unwrap_or_default();
                        if status.as_u16() == 201 {
                            times.push(t.elapsed());
                        } else {
                            failures.push(format!("{status}: {text}"));
                        }
                    }
                    (times, failures)
                })
            })
            .collect();
        let (mut times, mut failures) = (Vec::new(), Vec::new());
        for w in workers {
            let (t, f) = w.await.unwrap();
            times.extend(t);
            failures.extend(f);
        }
        let wall = started.elapsed();
        times.sort();
        let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1000.0;
        println!(
            "ballots through the API                          {:>8.0} ballots/s   p50 {:>6.1} ms   p99 {:>6.1} ms   {} accepted, {} refused{}",
            times.len() as f64 / wall.as_secs_f64(),
            p(0.5),
            p(0.99),
            times.len(),
            failures.len(),
            failures.first().map(|f| format!(" (first: {f})")).unwrap_or_default()
        );
        web.stop().await.unwrap();

        // The worker's final count of those ballots: ledger read, count, root, one write.
        sqlx::query("UPDATE elections SET voting_end = now() WHERE id = $1").bind(id).execute(&pool).await.unwrap();
        run_once(&ctx, timing()).await.unwrap();
        let started = Instant::now();
        run_once(&ctx, timing()).await.unwrap();
        let counted: Option<serde_json::Value> = sqlx::query_scalar("SELECT results FROM elections WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
        println!(
            "final count of {} API ballots by the worker      {:>8.2} s   {}",
            times.len(),
            started.elapsed().as_secs_f64(),
            counted.map_or("not counted".into(), |r| format!("verdict {}", r["verdict"]))
        );

        // Each method's count of 100,000 ballots (the count the worker and the verifier run).
        let holdings: Vec<Holding> = addresses.iter().enumerate().map(|(i, a)| Holding { address: a.clone(), delegate: None, power: 1 + (i % 1000) as u128 * 1_000_000 }).collect();
        for method in BallotMethod::ALL {
            let choices: HashMap<String, Choice> = addresses.iter().enumerate().map(|(i, a)| (a.clone(), choice(method, i as u64))).collect();
            let rules = tally::Rules { method, options: 6, quorum: BasisPoints(1000), threshold: None, cap: Some(BasisPoints(100)) };
            let started = Instant::now();
            let results = tally::count(&rules, &holdings, &choices, choices.len() as u64);
            println!(
                "count of {} ballots, {:<9}                {:>8.3} s   {} rounds, {:?}",
                choices.len(),
                method.as_str(),
                started.elapsed().as_secs_f64(),
                results.rounds.len(),
                results.verdict
            );
        }
        println!("peak RSS (server, worker and devchain in one process)   {:>6.1} MiB", peak_rss_mib());
    });
    drop(chain);
}
