//! The validators worker against devchain and a real Postgres: what it stores, archives and
//! records, and how it behaves when the chain misbehaves.

use crate::common;

use devchain::{faults::Faults, DevChain};
use serde_json::{json, Value};
use server::workers::{kit::Worker, lock::AdvisoryLock, runs, validators};
use sqlx::PgPool;
use std::time::Duration;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

async fn last_run(pool: &PgPool) -> (String, Option<String>) {
    let row = sqlx::query!("SELECT outcome, error FROM worker_runs ORDER BY id DESC LIMIT 1")
        .fetch_one(pool)
        .await
        .unwrap();
    (row.outcome, row.error)
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_collection_archives_then_stores_the_whole_set(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;

    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();

    let (outcome, error) = last_run(&pool).await;
    assert_eq!((outcome.as_str(), error), ("ok", None));
    assert_eq!(count(&pool, "SELECT count(*) FROM validators").await, 547);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM validators WHERE status = 'active'"
        )
        .await,
        180
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(DISTINCT rank) FROM validators WHERE rank BETWEEN 1 AND 547"
        )
        .await,
        547
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM validator_history").await,
        547,
        "first sight is history"
    );

    // Pagination: 547 validators and 560 signing infos at 200 per page.
    assert_eq!(chain.requests("/cosmos/staking/v1beta1/validators"), 3);
    assert_eq!(chain.requests("/cosmos/slashing/v1beta1/signing_infos"), 3);

    let shares = sqlx::query!(
        r#"SELECT sum(voting_power_share) AS "sum!", max(cumulative_share) AS "max!" FROM validators WHERE bond_status = 'BOND_STATUS_BONDED'"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!((shares.sum - 1.0).abs() < 1e-9 && (shares.max - 1.0).abs() < 1e-9);

    let top = sqlx::query!(
        r#"SELECT moniker, rank, tokens::text AS "tokens!", voting_power_share, account_address FROM validators ORDER BY rank LIMIT 1"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((top.moniker.as_str(), top.rank), ("Coinbase Custody", 1));
    let expected_share = top.tokens.parse::<f64>().unwrap() / 245_795_277_076_964.0;
    assert!((top.voting_power_share.unwrap() - expected_share).abs() < 1e-12);
    assert!(top.account_address.starts_with("cosmos1"));

    // Ubik Capital: its consensus key matches a recorded signing info with no missed blocks.
    let ubik = sqlx::query!(
        "SELECT consensus_address, uptime, missed_blocks, status FROM validators WHERE operator_address = 'cosmosvaloper1q6d3d089hg59x6gcx92uumx70s5y5wadklue8s'"
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        ubik.consensus_address.as_deref(),
        Some("cosmosvalcons1p2a6xmz5m5x2dfus4muk5qw58yhrvdzltw4q4u")
    );
    assert_eq!(
        (ubik.missed_blocks, ubik.uptime, ubik.status.as_str()),
        (Some(0), Some(1.0), "active")
    );
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM validators WHERE status <> 'active' AND uptime IS NOT NULL"
        )
        .await,
        0
    );

    let status = sqlx::query!(
        r#"SELECT validators_total, validators_active, bonded_tokens::text AS "bonded!", total_supply::text AS supply,
                  signed_blocks_window, node_version, archive_key FROM network_status"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.validators_total, status.validators_active),
        (547, 180)
    );
    assert_eq!(status.bonded, "245795277076964");
    assert_eq!(status.supply.as_deref(), Some("390930000000000"));
    assert_eq!(
        (status.signed_blocks_window, status.node_version.as_str()),
        (10_000, "v17.2.0")
    );

    // The archive holds the raw responses under the key the status names, and as latest.json.
    let keys = ctx.archive.list("cosmoshub/validators/").await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.contains(&status.archive_key)
            && keys.contains(&"cosmoshub/validators/latest.json".to_string())
    );
    let document: Value =
        serde_json::from_slice(&ctx.archive.get(&status.archive_key).await.unwrap().unwrap())
            .unwrap();
    assert_eq!(document["chain_id"], "cosmoshub-4");
    let responses = document["responses"].as_array().unwrap();
    let pages: Vec<&Value> = responses
        .iter()
        .filter(|r| r["endpoint"] == "/cosmos/staking/v1beta1/validators")
        .collect();
    assert_eq!(pages.len(), 3);
    let archived: usize = pages
        .iter()
        .map(|p| p["body"]["validators"].as_array().unwrap().len())
        .sum();
    assert_eq!(archived, 547);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn history_grows_only_when_something_changes(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(
        count(&pool, "SELECT count(*) FROM validator_history").await,
        547,
        "an unchanged set adds nothing"
    );

    let operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
    assert!(chain.patch_validator(operator, json!({ "tokens": "12244083000001" })));
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(
        count(&pool, "SELECT count(*) FROM validator_history").await,
        548
    );
    let newest = sqlx::query!(
        r#"SELECT operator_address, tokens::text AS "tokens!" FROM validator_history ORDER BY recorded_at DESC, operator_address LIMIT 1"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (newest.operator_address.as_str(), newest.tokens.as_str()),
        (operator, "12244083000001")
    );

    assert!(chain.patch_validator(
        operator,
        json!({ "commission": { "commission_rates": { "rate": "0.060000000000000000" } } })
    ));
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(
        count(&pool, "SELECT count(*) FROM validator_history").await,
        549,
        "a commission change is history too"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_failing_chain_is_recorded_and_the_old_data_stays(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    let collected_at = sqlx::query_scalar!("SELECT collected_at FROM network_status")
        .fetch_one(&pool)
        .await
        .unwrap();

    let cases = [
        (
            Faults {
                status: Some(503),
                ..Faults::default()
            },
            "/cosmos/base/tendermint/v1beta1/node_info: HTTP 503",
        ),
        (
            Faults {
                status: Some(500),
                path_prefix: Some("/cosmos/slashing".into()),
                ..Faults::default()
            },
            "/cosmos/slashing/v1beta1/signing_infos: HTTP 500",
        ),
        (
            Faults {
                malformed: true,
                path_prefix: Some("/cosmos/staking/v1beta1/validators".into()),
                ..Faults::default()
            },
            "/cosmos/staking/v1beta1/validators: malformed response",
        ),
        (
            Faults {
                latency_ms: 2_500,
                ..Faults::default()
            },
            "/cosmos/base/tendermint/v1beta1/node_info: no answer within 2s",
        ),
    ];
    for (faults, expected) in cases {
        chain.set_faults(faults);
        let summary = validators::run_one(&ctx, &ctx.networks[0]).await;
        assert_eq!(summary, None, "{expected}");
        chain.clear_faults();
        let (outcome, error) = last_run(&pool).await;
        let error = error.unwrap_or_default();
        assert_eq!(outcome, "failed");
        assert!(
            error.starts_with("network cosmoshub: ") && error.contains(expected),
            "{error}"
        );
        assert_eq!(
            count(
                &pool,
                "SELECT count(*) FROM validators WHERE removed_at IS NULL"
            )
            .await,
            547
        );
        let still = sqlx::query_scalar!("SELECT collected_at FROM network_status")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(still, collected_at, "the previous collection stays");
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_transient_error_is_retried(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    chain.set_faults(Faults {
        status: Some(502),
        times: Some(1),
        ..Faults::default()
    });
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(last_run(&pool).await.0, "ok");
    assert_eq!(
        chain.requests("/cosmos/base/tendermint/v1beta1/node_info"),
        2
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_wrong_chain_or_an_unreachable_node_stores_nothing(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut wrong = common::hub(&chain);
    wrong.chain_id = "theta-testnet-001".into();
    let mut down = common::hub(&chain);
    down.slug = "down".into();
    down.rest_url = url::Url::parse("http://127.0.0.1:9").unwrap();
    let ctx = common::worker_context(&pool, vec![wrong, down], dir.path()).await;

    // One round of the worker as the kit runs it: every network, each its own run.
    let wait = validators::Collector::new(Duration::from_secs(7))
        .round(&ctx)
        .await;
    assert_eq!(wait, Duration::from_secs(7));
    let runs = sqlx::query!("SELECT network, outcome, error FROM worker_runs ORDER BY network")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].outcome, "failed");
    assert!(runs[0].error.as_deref().unwrap().contains(
        "the node serves chain \"cosmoshub-4\", but the networks file says \"theta-testnet-001\""
    ));
    assert!(runs[1]
        .error
        .as_deref()
        .unwrap()
        .starts_with("network down: /cosmos/base/tendermint/v1beta1/node_info: cannot connect"));
    assert_eq!(count(&pool, "SELECT count(*) FROM validators").await, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_validator_the_chain_drops_is_marked_removed(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    let operator = "cosmosvaloper1qphf0ferqcch0jca9hlqfm3x0eds3dpkcvpafp";
    chain
        .state
        .chain
        .write()
        .unwrap()
        .validators
        .retain(|v| v["operator_address"] != operator);
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    let removed =
        sqlx::query_scalar!("SELECT operator_address FROM validators WHERE removed_at IS NOT NULL")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(removed, vec![operator.to_string()]);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn one_replica_holds_a_worker_lock(pool: PgPool) {
    let first = AdvisoryLock::try_acquire(&pool, "validators")
        .await
        .unwrap()
        .expect("free lock");
    assert!(AdvisoryLock::try_acquire(&pool, "validators")
        .await
        .unwrap()
        .is_none());
    assert!(AdvisoryLock::try_acquire(&pool, "other")
        .await
        .unwrap()
        .is_some());
    first.release().await;
    assert!(AdvisoryLock::try_acquire(&pool, "validators")
        .await
        .unwrap()
        .is_some());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn runs_left_running_by_a_dead_process_are_closed(pool: PgPool) {
    let run = runs::start(&pool, "validators", None).await.unwrap();
    drop(run);
    assert_eq!(
        runs::close_interrupted(&pool, "validators", None, "interrupted")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        last_run(&pool).await,
        ("failed".to_string(), Some("interrupted".to_string()))
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_cached_list_follows_each_collection(pool: PgPool) {
    use app::validators::{query::ValidatorQuery, service};
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let state = app::state::AppState::new(pool.clone());
    let query = ValidatorQuery {
        q: "cosmostation".into(),
        ..ValidatorQuery::default()
    };
    let tokens = || async {
        let list = service::list(&state, Some("cosmoshub"), &query)
            .await
            .unwrap();
        list.validators[0].tokens.clone()
    };

    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(tokens().await, "12244083325622");
    assert_eq!(
        tokens().await,
        "12244083325622",
        "served again from the cache"
    );

    let operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
    assert!(chain.patch_validator(operator, json!({ "tokens": "12244083325623" })));
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    assert_eq!(
        tokens().await,
        "12244083325623",
        "a new collection replaces the cached list"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_consensus_key_type_the_sdk_returns_is_handled(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    // Cosmostation rotates to a secp256k1 key (the "abandon … about" key; its address is
    // cosmjs's, see chain/testdata/consensus_address_vector.mjs); Quokka Stake to a key type
    // Stakeboard does not derive addresses for.
    let secp = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
    let bls = "cosmosvaloper1xqz9pemz5e5zycaa89kys5aw6m8rhgsvw4328e";
    assert!(chain.patch_validator(
        secp,
        json!({ "consensus_pubkey": { "@type": "/cosmos.crypto.secp256k1.PubKey", "key": "Ak9OKtmcNNYLm6YoPJQxqEGK+GcyEpYfl6d7Y3f80Fti" } }),
    ));
    assert!(chain.patch_validator(
        bls,
        json!({ "consensus_pubkey": { "@type": "/cosmos.crypto.bls12_381.PubKey", "key": "AAAA" } }),
    ));
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();

    let row = sqlx::query!(
        "SELECT consensus_address, consensus_key_type, uptime, missed_blocks FROM validators WHERE operator_address = $1",
        secp
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        row.consensus_address.as_deref(),
        Some("cosmosvalcons19rl4cm2hmr8afy4kldpxz3fka4jguq0ad825l8")
    );
    assert_eq!(
        row.consensus_key_type.as_deref(),
        Some("/cosmos.crypto.secp256k1.PubKey")
    );
    assert!(
        row.uptime.is_some() && row.missed_blocks.is_some(),
        "its signing info was found: uptime is known"
    );
    let row = sqlx::query!(
        "SELECT consensus_address, consensus_key_type, uptime FROM validators WHERE operator_address = $1",
        bls
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (row.consensus_address, row.consensus_key_type.as_deref()),
        (None, Some("/cosmos.crypto.bls12_381.PubKey"))
    );
    let profile =
        app::validators::service::profile(&pool, bls, Some("cosmoshub"), Default::default())
            .await
            .unwrap();
    assert_eq!(
        profile.validator.consensus_key_type.as_deref(),
        Some("/cosmos.crypto.bls12_381.PubKey"),
        "the page and the API say which key type it is"
    );
}
