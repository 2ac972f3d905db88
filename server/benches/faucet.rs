//! The faucet figures issue #5 asks for, printed: FAUCET_BENCH_CLAIMS claims (default 1,000)
//! from as many addresses, each with its own solved captcha, posted to the JSON API by 32
//! concurrent clients (from one IP, or with FAUCET_BENCH_DISTINCT_IPS=1 each from its own IP
//! through X-Forwarded-For, as real visitors are: claims of one IP are serialised), then paid on devchain with a FAUCET_BENCH_BLOCK_MS block time (1,000):
//!   - claims accepted per second by the API, and p50/p99/max of the claim request,
//!   - claims paid per block (per transaction, and blocks used),
//!   - the time from the first claim to the last one confirmed.
//!
//! Needs DATABASE_URL pointing at an empty database: `.ci/bench faucet` prepares one.

#[path = "../tests/suite/common/mod.rs"]
mod common;

use common::faucet::{self, AMOUNT, FAUCET_ADDRESS};
use futures::{stream, StreamExt};
use serde_json::json;
use std::time::{Duration, Instant};

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const CLIENTS: usize = 32;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let claims = env_number("FAUCET_BENCH_CLAIMS", 1_000) as u32;
    let block_ms = env_number("FAUCET_BENCH_BLOCK_MS", 1_000);
    let distinct_ips = env_number("FAUCET_BENCH_DISTINCT_IPS", 0) == 1;
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL must point at an empty database");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .connect(&url)
        .await
        .unwrap();
    MIGRATIONS.run(&pool).await.unwrap();

    let funds = 1_000_000 * AMOUNT;
    let chain = faucet::chain(block_ms, funds).await;
    let limits = format!("ip_claims_per_day = {}", claims + 1);
    let app = faucet::app(&pool, chain, &limits, |c| {
        c.trust_x_forwarded_for = distinct_ips
    })
    .await;
    let expires = chrono::Utc::now().timestamp() + 3600;
    let mut bodies = Vec::new();
    for i in 0..claims {
        let captcha = faucet::solution(&pool, expires).await;
        let ip = format!("10.{}.{}.1", i / 256, i % 256);
        bodies.push((
            ip,
            json!({ "address": faucet::recipient(i), "captcha": captcha }),
        ));
    }

    let client = app.client();
    let endpoint = format!("{}/api/v1/networks/devnet/faucet/claims", app.server.url());
    let started = Instant::now();
    let mut latencies: Vec<Duration> = stream::iter(bodies)
        .map(|(ip, body)| {
            let (client, endpoint) = (client.clone(), endpoint.clone());
            async move {
                let sent = Instant::now();
                let mut request = client.post(&endpoint).json(&body);
                if distinct_ips {
                    request = request.header("x-forwarded-for", ip);
                }
                let response = request.send().await.unwrap();
                let status = response.status();
                let text = response.text().await.unwrap();
                assert_eq!(status, 202, "claim refused: {text}");
                sent.elapsed()
            }
        })
        .buffer_unordered(CLIENTS)
        .collect()
        .await;
    let accepting = started.elapsed();
    latencies.sort();

    common::eventually(600, "every claim confirmed", || async {
        (faucet::claims_with_status(&pool, "confirmed").await == claims as i64).then_some(())
    })
    .await;
    let confirmed = started.elapsed();

    let (txs, max_batch, avg_batch, blocks, first_height, last_height): (
        i64,
        i32,
        f64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT count(*), max(recipients), avg(recipients)::float8, count(DISTINCT height),
                min(height), max(height)
         FROM faucet_txs WHERE state = 'included'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let fees = faucet::fees_paid(&pool).await;
    assert_eq!(
        app.chain.balance(FAUCET_ADDRESS),
        funds - claims as u128 * AMOUNT - fees,
        "the faucet paid each claim once, plus fees"
    );

    println!();
    println!(
        "Stakeboard faucet bench: {} cores, {claims} claims from {claims} addresses and {}, {CLIENTS} clients, {block_ms} ms blocks",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if distinct_ips { "as many IPs" } else { "one IP" }
    );
    println!(
        "API: {:.0} claims accepted/s ({claims} in {:.2} s); claim request p50 {}, p99 {}, max {}",
        claims as f64 / accepting.as_secs_f64(),
        accepting.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().unwrap()),
    );
    println!(
        "paying: {txs} transactions, {avg_batch:.1} claims per transaction on average (max {max_batch}), \
         included in {blocks} blocks (heights {first_height}..={last_height}), {:.1} claims per block",
        claims as f64 / blocks.max(1) as f64
    );
    println!(
        "first claim to last confirmed: {:.1} s; {} sequence mismatches; fees {fees} uatom",
        confirmed.as_secs_f64(),
        app.chain.sequence_mismatches()
    );
    app.server.stop().await.unwrap();
}
