//! A validator's recorded history at depth: a year of five-minute changes pages by key through
//! the JSON API and the profile page, and the chart reads a bounded series of it.

use crate::common;

use crate::common::app::App;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
const OPERATOR: &str = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
/// Changes written for the test: more than two pages of the API's 1,000, and than the chart's
/// 400 points.
const CHANGES: i64 = 2_500;

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_long_history_pages_by_key_and_the_chart_stays_bounded(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    // Workers every 10 minutes: after the first collection nothing else writes history.
    let app = App::start(&pool, chain, 600).await;
    common::eventually(30, "the first collection", || async {
        let (status, _) = app
            .json(&format!("/api/v1/networks/cosmoshub/validators/{OPERATOR}"))
            .await;
        (status == 200).then_some(())
    })
    .await;
    sqlx::query(
        "INSERT INTO validator_history (network, operator_address, recorded_at, tokens, status, jailed, commission_rate, missed_blocks)
         SELECT 'cosmoshub', $1, now() - interval '5 minutes' * (i + 1), 1000000 * i, 'active', false, 0.05, i
         FROM generate_series(1, $2) AS i",
    )
    .bind(OPERATOR)
    .bind(CHANGES)
    .execute(&pool)
    .await
    .unwrap();
    let all: Vec<(chrono::DateTime<chrono::Utc>,)> = sqlx::query_as(
        "SELECT recorded_at FROM validator_history WHERE operator_address = $1 ORDER BY recorded_at DESC",
    )
    .bind(OPERATOR)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(all.len() as i64 > CHANGES);

    let history = format!("/api/v1/networks/cosmoshub/validators/{OPERATOR}/history");
    let mut seen: Vec<String> = Vec::new();
    let mut path = format!("{history}?limit=1000");
    let mut pages = 0;
    loop {
        let (status, page) = app.json(&path).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        seen.extend(
            page["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["recorded_at"].as_str().unwrap().to_string()),
        );
        match page["next"].as_str() {
            Some(next) => path = format!("{history}?limit=1000&after={next}"),
            None => break,
        }
    }
    assert_eq!(pages, all.len().div_ceil(1000));
    let expected: Vec<chrono::DateTime<chrono::Utc>> = all.iter().map(|r| r.0).collect();
    let seen: Vec<chrono::DateTime<chrono::Utc>> =
        seen.iter().map(|t| t.parse().unwrap()).collect();
    assert_eq!(seen, expected, "every change once, newest first");

    let (_, profile) = app
        .json(&format!("/api/v1/networks/cosmoshub/validators/{OPERATOR}"))
        .await;
    let series = profile["history"].as_array().unwrap();
    assert!(
        (300..=400).contains(&series.len()),
        "the chart gets at most 400 points: {}",
        series.len()
    );
    let times: Vec<&str> = series
        .iter()
        .map(|p| p["recorded_at"].as_str().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let newest: chrono::DateTime<chrono::Utc> = times.last().unwrap().parse().unwrap();
    assert_eq!(newest, expected[0], "the chart ends with the latest change");
    assert_eq!(profile["changes"]["changes"].as_array().unwrap().len(), 25);
    let next = profile["changes"]["next"].as_str().unwrap().to_string();

    // The profile page shows the same first page, and "Older changes" the next one.
    let (status, page) = app.get(&format!("/validators/{OPERATOR}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"older-changes\""));
    let (status, older) = app
        .get(&format!(
            "/validators/{OPERATOR}?network=cosmoshub&changes_after={next}"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(older.contains("data-testid=\"newest-changes\""));
    let (_, second) = app.json(&format!("{history}?limit=25&after={next}")).await;
    let first_row = second["changes"][0]["missed_blocks"].as_i64().unwrap();
    assert!(
        older.contains(&format!("<td class=\"num\">{first_row}</td>")),
        "the second page of changes starts where the API's does"
    );
    let (status, body) = app.json(&format!("{history}?after=tomorrow")).await;
    assert_eq!(status, 400, "{body}");
    let (status, body): (u16, Value) = app
        .json("/api/v1/networks/cosmoshub/validators/cosmosvaloper1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc56kct20/history")
        .await;
    assert_eq!(status, 404, "{body}");
    app.server.stop().await.unwrap();
}
