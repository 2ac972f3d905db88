//! The elections worker killed with SIGKILL again and again while an election goes through its
//! states, then left to finish: the election closes with the results its ballots give, every
//! ballot counted once, and a bundle that recounts to them.

use crate::{
    common,
    common::process::{random_ms, worker_command},
    elections_lifecycle::{address, admin_of, draft, key, signed},
};
use app::elections::{admin, ballots, choice::Choice, model::Verdict, service};
use server::elections::{bundle, verify};
use sqlx::PgPool;
use std::time::Duration;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

async fn state(pool: &PgPool, id: i64) -> String {
    sqlx::query_scalar("SELECT state FROM elections WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Starts the worker binary, lets it run a random moment, kills it; returns the state it left.
async fn run_and_kill(pool: &PgPool, dir: &std::path::Path, networks: &str, id: i64) -> String {
    let mut child = worker_command(pool, dir, networks)
        .env("ELECTIONS_POLL_SECS", "1")
        .env("ELECTIONS_LIVE_TALLY_SECS", "1")
        .env("VALIDATORS_INTERVAL_SECS", "3600")
        .env("PROPOSALS_INTERVAL_SECS", "3600")
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(random_ms(300, 1500))).await;
    child.kill().unwrap(); // SIGKILL: no clean shutdown
    child.wait().unwrap();
    state(pool, id).await
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_worker_killed_in_every_state_finishes_the_election_with_the_same_count(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let networks = std::fs::read_to_string(common::networks_file(dir.path(), &chain)).unwrap();
    server::db::sync_networks(&pool, &[common::hub(&chain)])
        .await
        .unwrap();
    let identity = admin_of(&pool).await;
    let actor = admin::Actor {
        admin: &identity,
        ip: None,
    };
    let id = admin::create(
        &pool,
        &actor,
        &draft("single", "allowlist", "Yes\nNo", chrono::Duration::hours(4)),
    )
    .await
    .unwrap();
    let csv: String = (0..5)
        .map(|i| format!("{},{}\n", address(&key(i)), 10 + i))
        .collect();
    admin::upload_allowlist(&pool, &actor, id, &csv)
        .await
        .unwrap();
    admin::open_now(&pool, &actor, id).await.unwrap();

    let mut seen = Vec::new();
    for _ in 0..20 {
        let state = run_and_kill(&pool, dir.path(), &networks, id).await;
        seen.push(state.clone());
        if state == "open" {
            break;
        }
    }
    assert_eq!(
        seen.last().map(String::as_str),
        Some("open"),
        "states seen: {seen:?}"
    );
    // Voters 0-3 vote (voter 0 twice); 4 does not.
    let mut ballots_sent = 0;
    for (voter, choice) in [(0, 2), (1, 1), (2, 2), (3, 1), (0, 1)] {
        ballots::accept(
            &pool,
            id,
            signed(&pool, id, &key(voter), Choice::Options(vec![choice])).await,
        )
        .await
        .unwrap();
        ballots_sent += 1;
    }
    sqlx::query("UPDATE elections SET voting_end = now() WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    for _ in 0..20 {
        let state = run_and_kill(&pool, dir.path(), &networks, id).await;
        seen.push(state.clone());
        if state == "closed" {
            break;
        }
    }
    assert_eq!(
        seen.last().map(String::as_str),
        Some("closed"),
        "states seen: {seen:?}"
    );

    eprintln!("states the worker left at each SIGKILL: {seen:?}");
    let results = service::results(&pool, id).await.unwrap();
    // Yes: voters 0 (10, last ballot), 1 (11), 3 (13) = 34; No: voter 2 (12).
    assert_eq!(results.options[0].power, "34");
    assert_eq!(results.options[1].power, "12");
    assert_eq!(results.verdict, Verdict::Winner { option: 1 });
    assert_eq!(
        (results.counted_ballots, results.total_ballots),
        (4, ballots_sent)
    );
    let report =
        verify::verify(&bundle::Bundle::read(&bundle::build(&pool, id).await.unwrap()).unwrap());
    assert!(report.matches(), "{}", report.render());
    let plans: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT block0_hash) FROM elections WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(plans, 1);
}
