//! The whole server on a free port, following devchain, exercised as a client would: health,
//! metrics, the JSON API and the HTML of the pages.

use crate::common;

use crate::common::app::App;
use devchain::{faults::Faults, DevChain};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

async fn spawn(pool: &PgPool, interval_secs: u64) -> App {
    let chain = DevChain::start_local().await.unwrap();
    let app = App::start(pool, chain, interval_secs).await;
    common::eventually(20, "the first collection", || async {
        let health = app.json("/healthz").await.1;
        let workers = health["workers"].as_array()?.clone();
        workers
            .iter()
            .any(|w| w["worker"] == "validators" && w["last_success_at"].is_string())
            .then_some(())
    })
    .await;
    app
}

/// Rows of the validator table: each links to its validator's page.
fn rows(html: &str) -> usize {
    html.matches("<tr><td>").count()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn health_metrics_and_the_json_api(pool: PgPool) {
    let app = spawn(&pool, 300).await;

    let (status, health) = app.json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(
        (health["status"].as_str(), health["database"].as_str()),
        (Some("ok"), Some("ok"))
    );
    let workers: Vec<(&str, &str)> = health["workers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["worker"].as_str().unwrap(),
                w["network"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert!(
        workers.contains(&("validators", "cosmoshub"))
            && workers.contains(&("governance", "cosmoshub"))
            && workers.contains(&("alerts", "-")),
        "{workers:?}"
    );

    let (status, networks) = app.json("/api/v1/networks").await;
    assert_eq!(status, 200);
    let hub = &networks["networks"][0];
    assert_eq!(hub["network"]["slug"], "cosmoshub");
    assert_eq!(hub["figures"]["validators_active"], 180);
    assert_eq!(hub["figures"]["bonded_tokens"], "245795277076964");
    assert!(
        !networks.to_string().contains("127.0.0.1"),
        "endpoint URLs stay out of the API"
    );

    let (_, page) = app.json("/api/v1/networks/cosmoshub/validators").await;
    assert_eq!(
        (page["total"].as_u64(), page["limit"].as_u64()),
        (Some(180), Some(100))
    );
    assert_eq!(page["validators"].as_array().unwrap().len(), 100);
    assert_eq!(page["validators"][0]["rank"], 1);
    assert_eq!(page["counts"]["all"], 547);

    let (_, page) = app.json("/api/v1/networks/cosmoshub/validators?status=all&sort=commission&dir=desc&limit=5&offset=10").await;
    let rates: Vec<f64> = page["validators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["commission_rate"].as_f64().unwrap())
        .collect();
    assert_eq!(rates.len(), 5);
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
    assert_eq!(page["offset"], 10);

    let (_, found) = app
        .json("/api/v1/networks/cosmoshub/validators?q=cosmostation&status=all")
        .await;
    assert_eq!(found["total"], 1);
    let operator = found["validators"][0]["operator_address"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, detail) = app
        .json(&format!("/api/v1/networks/cosmoshub/validators/{operator}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["validator"]["moniker"], "Cosmostation");
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);

    for (path, code, message) in [
        (
            "/api/v1/networks/nowhere/validators",
            404,
            "No network \"nowhere\" is followed here.",
        ),
        (
            "/api/v1/networks/cosmoshub/validators?status=bonded",
            400,
            "invalid status \"bonded\": expected active, inactive, jailed or all",
        ),
        (
            "/api/v1/networks/cosmoshub/validators?limit=0",
            400,
            "invalid limit \"0\": expected a number from 1 to 1000",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj",
            404,
            "No validator cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj on Cosmos Hub (devchain).",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/cosmosvaloper1nothing",
            400,
            "\"cosmosvaloper1nothing\" is not a validator operator address: that is not a valid address: the checksum does not match (check for a typo)",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/%27%3Bdrop",
            400,
            "\"';drop\" is not a validator operator address: that is not a valid address: the checksum does not match (check for a typo)",
        ),
        (
            "/api/v1/nothing",
            404,
            "no such API endpoint; see /api/v1/openapi.json",
        ),
    ] {
        let (status, body) = app.json(path).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (code, Some(message)),
            "{path}"
        );
    }

    let (status, metrics) = app.get("/metrics").await;
    assert_eq!(status, 200);
    for needle in [
        "stakeboard_http_requests_total{route=\"/api/v1/networks\",method=\"GET\",status=\"200\"}",
        "stakeboard_worker_runs_total{worker=\"validators\",network=\"cosmoshub\",outcome=\"ok\"}",
        "stakeboard_worker_run_seconds_bucket{worker=\"validators\",network=\"cosmoshub\"",
        "stakeboard_collection_age_seconds{network=\"cosmoshub\",collection=\"validators\"}",
        "route=\"/api/v1/networks/{network}/validators\",method=\"GET\",status=\"400\"",
    ] {
        assert!(metrics.contains(needle), "missing {needle} in\n{metrics}");
    }
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn pages_render_on_the_server(pool: PgPool) {
    let app = spawn(&pool, 300).await;

    let (status, home) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("Cosmos Hub (devchain)") && home.contains("180") && home.contains("547"));
    assert!(home.contains("62.9%"), "bonded ratio from the supply");

    let (status, list) = app.get("/validators").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&list), 180);
    assert!(list.contains("Coinbase Custody") && list.contains("Updated "));
    assert!(
        list.contains("/pkg/stakeboard.js"),
        "the page loads the hydration script"
    );
    assert!(!list.contains("stale-warning"));

    let (_, all) = app.get("/networks/cosmoshub/validators?status=all").await;
    assert_eq!(rows(&all), 547);
    let (_, searched) = app.get("/validators?q=cosmostation").await;
    assert_eq!(rows(&searched), 1);
    let (_, jailed) = app.get("/validators?status=jailed&sort=moniker").await;
    assert_eq!(rows(&jailed), 203);
    let (_, nothing) = app.get("/validators?q=no-such-validator-anywhere").await;
    assert!(nothing.contains("No validator matches"));

    let (status, detail) = app
        .get("/validators/cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn")
        .await;
    assert_eq!(status, 200);
    assert!(
        detail.contains("Cosmostation") && detail.contains("data-testid=\"voting-power-chart\"")
    );
    assert!(
        detail.contains("cosmos1clpqr4nrk4khgkxj78fcwwh6dl3uw4ep4tgu9q"),
        "account address shown"
    );

    let (status, missing) = app
        .get("/validators/cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj")
        .await;
    assert_eq!(status, 404);
    assert!(missing.contains(
        "No validator cosmosvaloper1qurswpc8qurswpc8qurswpc8qurswpc8k8n0vj on any followed network."
    ));
    let (status, refused) = app.get("/validators/cosmosvaloper1nothing").await;
    assert_eq!(status, 400);
    assert!(refused.contains("is not a validator operator address"));
    assert_eq!(app.get("/no/such/page").await.0, 404);
    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn roles_split_the_web_from_the_workers(pool: PgPool) {
    let chain = DevChain::start_local().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let networks = common::networks_file(dir.path(), &chain);
    let mut config = common::server_config(&pool, networks, dir.path(), 300);
    config.role = server::config::Role::Web;
    let web = server::start(config.clone()).await.unwrap();
    config.role = server::config::Role::Worker;
    let worker = server::start(config).await.unwrap();
    let client = reqwest::Client::new();
    let get = |base: String, path: &'static str| {
        let client = client.clone();
        async move {
            client
                .get(format!("{base}{path}"))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    common::eventually(20, "the worker replica's first collection", || async {
        let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM worker_runs WHERE outcome = 'ok'")
            .fetch_one(&pool)
            .await
            .unwrap();
        (runs > 0).then_some(())
    })
    .await;
    assert_eq!(
        get(web.url(), "/validators").await,
        200,
        "the web replica serves pages"
    );
    assert_eq!(
        get(worker.url(), "/validators").await,
        404,
        "the worker replica does not"
    );
    assert_eq!(get(worker.url(), "/healthz").await, 200);
    assert_eq!(get(worker.url(), "/metrics").await, 200);
    let runs: i64 =
        sqlx::query_scalar("SELECT count(*) FROM worker_runs WHERE worker = 'validators'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(runs, 1, "only the worker replica collects");
    web.stop().await.unwrap();
    worker.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_failed_collection_shows_as_stale(pool: PgPool) {
    let app = spawn(&pool, 1).await;
    app.chain.set_faults(Faults {
        status: Some(503),
        ..Faults::default()
    });
    common::eventually(20, "a failed run", || async {
        let health = app.json("/healthz").await.1;
        let validators = health["workers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["worker"] == "validators")
            .cloned()?;
        (validators["last_outcome"] == "failed").then_some(())
    })
    .await;
    let (_, list) = app.get("/validators").await;
    assert!(
        list.contains("data-testid=\"stale-warning\""),
        "the page warns"
    );
    assert!(list.contains("HTTP 503"), "and says why");
    assert_eq!(rows(&list), 180, "the previous data is still shown");
    let (_, home) = app.get("/").await;
    assert!(home.contains("Data may be stale"));
    app.server.stop().await.unwrap();
}
