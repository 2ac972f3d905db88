//! Governance through the whole server, as a client sees it: devchain plays a proposal, the
//! workers record it live, and the JSON API, the CSV and the pages tell its story.

use crate::common;

use crate::common::app::App;
use devchain::gov::scenario::ScenarioSettings;
use serde_json::Value;
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

async fn spawn(pool: &PgPool) -> App {
    let chain = common::devchain_without_scenario().await;
    let app = App::start(pool, chain, 1).await;
    common::eventually(30, "the recorded proposals", || async {
        let (_, list) = app.json("/api/v1/networks/cosmoshub/proposals").await;
        (list["counts"]["all"] == 222).then_some(())
    })
    .await;
    app
}

/// The rank-2 validator's vote on proposal `id` as the API reports it.
async fn second_validator_vote(app: &App, id: u64) -> Value {
    let (_, detail) = app
        .json(&format!("/api/v1/networks/cosmoshub/proposals/{id}"))
        .await;
    detail["validators"]
        .as_array()
        .and_then(|all| all.iter().find(|v| v["rank"] == 2))
        .map(|v| v["vote"].clone())
        .unwrap_or(Value::Null)
}

/// The text of `page` after the first `start`, up to the next `end`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let after = page.split_once(start).map_or("", |(_, rest)| rest);
    after.split(end).next().unwrap_or_default()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_proposal_voted_live_through_the_api_the_csv_and_the_pages(pool: PgPool) {
    let app = spawn(&pool).await;
    let id = app.chain.start_scenario(ScenarioSettings {
        delegators: 150,
        deposit_secs: 0,
        voting_secs: 1000,
        ..ScenarioSettings::default()
    });
    common::eventually(30, "the scenario proposal in its voting period", || async {
        let (_, list) = app
            .json("/api/v1/networks/cosmoshub/proposals?status=voting")
            .await;
        let ids: Vec<u64> = list["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["id"].as_u64())
            .collect();
        ids.contains(&id).then_some(())
    })
    .await;

    app.chain.fast_forward(id, 200_000);
    common::eventually(30, "the second validator's first vote", || async {
        (second_validator_vote(&app, id).await["ballot"] == serde_json::json!([["yes", 1.0]]))
            .then_some(())
    })
    .await;
    app.chain.fast_forward(id, 300_000);
    let changed = common::eventually(30, "the second validator's changed vote", || async {
        let vote = second_validator_vote(&app, id).await;
        (vote["history"].as_array().map(Vec::len) == Some(2)).then_some(vote)
    })
    .await;
    assert_eq!(changed["history"][0][1], serde_json::json!([["yes", 1.0]]));
    assert_eq!(changed["history"][1][1], serde_json::json!([["no", 1.0]]));

    let (status, detail) = app
        .json(&format!("/api/v1/networks/cosmoshub/proposals/{id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["recording"], "live");
    assert_eq!(detail["tally"]["live"], true);
    assert!(detail["tally"]["figures"]["yes"].as_f64().unwrap() > 0.0);
    assert_eq!(detail["validators"].as_array().unwrap().len(), 180);
    let others = detail["counts"]["others"].as_i64().unwrap();
    assert!(others > 0, "delegators voted too: {}", detail["counts"]);

    let (_, first_page) = app
        .json(&format!(
            "/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=10"
        ))
        .await;
    let total = first_page["total"].as_i64().unwrap();
    assert_eq!(first_page["votes"].as_array().unwrap().len(), 10);
    assert_eq!(total, detail["counts"]["voters"].as_i64().unwrap());
    let (_, last_page) = app
        .json(&format!(
            "/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=10&offset={}",
            total - 3
        ))
        .await;
    assert_eq!(last_page["votes"].as_array().unwrap().len(), 3);
    assert_ne!(first_page["votes"][0], last_page["votes"][0]);

    // Paging by cursor visits every vote once, in the same order as the offset pages.
    let mut after = first_page["next"].as_str().unwrap().to_string();
    let mut seen: Vec<Value> = first_page["votes"].as_array().unwrap().clone();
    loop {
        let (status, page) = app
            .json(&format!(
                "/api/v1/networks/cosmoshub/proposals/{id}/votes?limit=10&after={after}"
            ))
            .await;
        assert_eq!(status, 200, "{page}");
        let votes = page["votes"].as_array().unwrap();
        assert!(
            !votes.is_empty(),
            "a next cursor never leads to an empty page"
        );
        seen.extend(votes.iter().cloned());
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
    let voters: std::collections::HashSet<&str> =
        seen.iter().map(|v| v["voter"].as_str().unwrap()).collect();
    assert_eq!(voters.len() as i64, total, "no vote twice");
    assert_eq!(
        seen[seen.len() - 3..],
        last_page["votes"].as_array().unwrap()[..]
    );

    let (status, kind, csv) = app
        .fetch(&format!("/proposals/cosmoshub/{id}/votes.csv"))
        .await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "voter,validator,option,options,seen_at,current");
    assert_eq!(
        lines.len() as i64 - 1,
        total + 1,
        "every vote and the one change of vote"
    );
    assert!(
        csv.contains(",weighted,\"yes:0.6,abstain:0.4\","),
        "the split vote, quoted"
    );
    // The CSV streams in chunks read by key; read in chunks of 7, the ballots are the same.
    let mut chunked = Vec::new();
    let mut after = (chrono::DateTime::<chrono::Utc>::UNIX_EPOCH, String::new());
    loop {
        let rows = app::governance::db::ballots_after(
            &pool,
            "cosmoshub",
            id as i64,
            7,
            (after.0, &after.1),
        )
        .await
        .unwrap();
        let Some(last) = rows.last() else { break };
        after = (last.seen_at, last.voter.clone());
        chunked.extend(
            rows.into_iter()
                .map(|r| format!("{},{}", r.voter, r.seen_at.to_rfc3339())),
        );
    }
    let streamed: Vec<String> = lines[1..]
        .iter()
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            format!("{},{}", cells[0], cells[cells.len() - 2])
        })
        .collect();
    assert_eq!(chunked, streamed);

    // The counts per option are the votes' own, kept with them by the worker.
    let by_option = &detail["counts"]["by_option"];
    let counted: Vec<(String, i64)> =
        sqlx::query_as("SELECT option, count(*) FROM votes WHERE proposal_id = $1 GROUP BY option")
            .bind(id as i64)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(counted.len() >= 4, "{counted:?}");
    for (option, n) in &counted {
        assert_eq!(by_option[option.as_str()], *n, "{option}: {by_option}");
    }
    // History holds the voters who changed: the first ballot and each later one.
    let (history_rows, changed_ballots): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM vote_history WHERE proposal_id = $1),
                (SELECT coalesce(sum(changes + 1), 0) FROM votes WHERE proposal_id = $1 AND changes > 0)",
    )
    .bind(id as i64)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((history_rows, changed_ballots), (2, 2));

    let (status, page) = app.get(&format!("/proposals/cosmoshub/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"tally\"") && page.contains("Not voted yet"));
    assert!(page.contains("data-testid=\"vote-history\""));
    assert!(page.contains("data-testid=\"option-counts\""));

    app.chain.fast_forward(id, 600_000);
    common::eventually(30, "the end of the vote", || async {
        let (_, detail) = app
            .json(&format!("/api/v1/networks/cosmoshub/proposals/{id}"))
            .await;
        (detail["recording"] == "complete").then_some(())
    })
    .await;
    let (_, ended) = app
        .json(&format!("/api/v1/networks/cosmoshub/proposals/{id}"))
        .await;
    assert_eq!(ended["tally"]["live"], false);
    assert_eq!(
        ended["counts"]["voters"], detail["counts"]["voters"],
        "the votes the chain pruned stay recorded"
    );
    // The page's table of every vote, newest first, by "Older votes": each voter once.
    let mut path = format!("/proposals/cosmoshub/{id}");
    let mut listed = Vec::new();
    loop {
        let (status, page) = app.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let table = between(&page, "data-testid=\"all-votes\"", "</table>");
        let rows: Vec<&str> = table
            .split("<code title=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap())
            .collect();
        assert!(
            !rows.is_empty() && rows.len() <= 25,
            "{path}: {} rows",
            rows.len()
        );
        listed.extend(rows.iter().map(|r| r.to_string()));
        match page
            .split("data-testid=\"older-votes\"")
            .next()
            .and_then(|before| before.rsplit("href=\"").next())
        {
            Some(href) if page.contains("data-testid=\"older-votes\"") => {
                path = href
                    .split('"')
                    .next()
                    .unwrap()
                    .split('#')
                    .next()
                    .unwrap()
                    .to_string();
            }
            _ => break,
        }
    }
    let voters: std::collections::HashSet<&String> = listed.iter().collect();
    assert_eq!(
        (listed.len() as i64, voters.len() as i64),
        (total, total),
        "every voter once"
    );
    let newest: Vec<String> = seen
        .iter()
        .rev()
        .take(3)
        .map(|v| v["voter"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        listed[..3],
        newest[..],
        "newest first, as the votes JSON read backwards"
    );

    let (_, did_not_vote) = app
        .get(&format!("/proposals/cosmoshub/{id}?votes=not_voted"))
        .await;
    let silent = did_not_vote.matches("<tr data-operator=").count();
    let voted = ended["counts"]["validators_voted"].as_u64().unwrap() as usize;
    assert_eq!(silent, 180 - voted);
    assert!(silent > 0 && did_not_vote.contains("Did not vote"));

    let operator = ended["validators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["rank"] == 2)
        .unwrap()["operator_address"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, record) = app
        .json(&format!(
            "/api/v1/networks/cosmoshub/validators/{operator}/votes"
        ))
        .await;
    assert_eq!(status, 200);
    let on_scenario = record["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["proposal_id"] == id)
        .unwrap();
    assert_eq!(
        on_scenario["vote"]["ballot"],
        serde_json::json!([["no", 1.0]])
    );
    assert_eq!(
        record["all"],
        serde_json::json!({"voted": 1, "eligible": 1})
    );
    // The record pages by key: one proposal a page, each once, in the record's order.
    let mut ids = Vec::new();
    let mut path = format!("/api/v1/networks/cosmoshub/validators/{operator}/votes?limit=1");
    loop {
        let (status, page) = app.json(&path).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            page["all"], record["all"],
            "participation counts every page"
        );
        ids.extend(
            page["votes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["proposal_id"].clone()),
        );
        match page["next"].as_str() {
            Some(next) => {
                path = format!(
                    "/api/v1/networks/cosmoshub/validators/{operator}/votes?limit=1&after={next}"
                )
            }
            None => break,
        }
    }
    let whole: Vec<Value> = record["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["proposal_id"].clone())
        .collect();
    assert_eq!(ids, whole);
    let (_, profile) = app.get(&format!("/validators/{operator}")).await;
    assert!(profile.contains("Governance") && profile.contains(&format!("data-proposal=\"{id}\"")));

    app.server.stop().await.unwrap();
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn proposal_pages_lists_and_errors(pool: PgPool) {
    let app = spawn(&pool).await;

    let (_, passed) = app
        .json("/api/v1/networks/cosmoshub/proposals?status=passed&limit=5")
        .await;
    assert_eq!(passed["proposals"].as_array().unwrap().len(), 5);
    assert!(passed["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["status"] == "PROPOSAL_STATUS_PASSED"));
    let (_, found) = app
        .json("/api/v1/networks/cosmoshub/proposals?q=v22&status=all")
        .await;
    assert!(found["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == 987));

    // Paging by key visits every proposal once, newest first.
    let mut ids: Vec<i64> = Vec::new();
    let mut path = "/api/v1/networks/cosmoshub/proposals?limit=50".to_string();
    loop {
        let (status, page) = app.json(&path).await;
        assert_eq!(status, 200, "{page}");
        ids.extend(
            page["proposals"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap()),
        );
        match page["next"].as_str() {
            Some(next) => {
                path = format!("/api/v1/networks/cosmoshub/proposals?limit=50&after={next}")
            }
            None => break,
        }
    }
    assert_eq!(ids.len(), 222);
    assert!(
        ids.windows(2).all(|w| w[0] > w[1]),
        "newest first, each once"
    );

    let (status, list) = app.get("/proposals?status=all").await;
    assert_eq!(status, 200);
    assert!(list.contains("data-testid=\"proposals-table\""));

    let (status, spam) = app.get("/proposals/cosmoshub/936").await;
    assert_eq!(status, 200);
    assert!(spam.contains("data-testid=\"spam-warning\""));
    let text = spam
        .split("data-testid=\"proposal-text\"")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap();
    assert!(
        !text.contains("<a "),
        "links in a spam proposal are not clickable: {text}"
    );

    for (path, code, message) in [
        (
            "/api/v1/networks/cosmoshub/proposals/999999",
            404,
            "No proposal #999999 on Cosmos Hub (devchain).",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals/abc",
            400,
            "\"abc\" is not a proposal number",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals?status=open",
            400,
            "invalid status \"open\": expected all, voting",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals/987/votes?limit=-1",
            400,
            "invalid limit \"-1\": expected a number from 1 to 1000",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals/987/votes?after=yesterday",
            400,
            "invalid after \"yesterday\": use the next value of a previous page",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals/987/votes?after=1.cosmos1x&offset=5",
            400,
            "give after or offset, not both",
        ),
        (
            "/api/v1/networks/nowhere/proposals",
            404,
            "No network \"nowhere\" is followed here.",
        ),
        (
            "/api/v1/networks/cosmoshub/proposals?after=12&offset=3",
            400,
            "give after or offset, not both",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn/votes?after=soon.1",
            400,
            "invalid after \"soon.1\"",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn/history?limit=0",
            400,
            "invalid limit \"0\": expected a number from 1 to 1000",
        ),
        (
            "/api/v1/networks/cosmoshub/validators/cosmosvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq/history",
            400,
            "",
        ),
    ] {
        let (status, body) = app.json(path).await;
        assert_eq!(status, code, "{path}: {body}");
        let error = body["error"].as_str().unwrap();
        assert!(error.starts_with(message), "{path}: {error}");
    }
    assert_eq!(app.get("/proposals/cosmoshub/999999").await.0, 404);
    assert_eq!(app.get("/proposals/cosmoshub/abc/votes.csv").await.0, 400);
    app.server.stop().await.unwrap();
}
