//! The governance worker against devchain and a real Postgres: the recorded history, a scenario
//! voted live (new votes, a changed vote, a split vote), the end with its snapshot, the v1beta1
//! fallback, and a chain that fails.

use crate::common;

use devchain::{faults::Faults, gov::scenario::ScenarioSettings, gov::GovApi};
use server::workers::{
    governance::{refresh, votes, NetworkState},
    validators,
};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Starts a proposal on `chain`, voting at once for 1,000 s, with `delegators` delegator
/// accounts; returns its number.
fn voting_proposal(chain: &devchain::DevChain, delegators: usize) -> i64 {
    chain.start_scenario(ScenarioSettings {
        delegators,
        deposit_secs: 0,
        voting_secs: 1000,
        ..ScenarioSettings::default()
    }) as i64
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_recorded_history_is_stored_once(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let mut state = NetworkState::default();
    let summary = refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(
        summary.starts_with("222 proposals (V1), 222 changed, 5 voting"),
        "{summary}"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM proposals").await, 222);
    assert_eq!(
        state.voting.iter().copied().collect::<Vec<_>>(),
        vec![936, 984, 985, 986, 987]
    );
    let spam = sqlx::query!("SELECT spam, spam_reasons FROM proposals WHERE id = 936")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(spam.spam && spam.spam_reasons[0].contains("airdrop"));
    let expedited = sqlx::query!("SELECT expedited, messages FROM proposals WHERE id = 987")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(expedited.expedited);
    assert_eq!(
        expedited.messages[0]["summary"],
        "upgrade to v22 at height 24181000"
    );
    let params = sqlx::query!(
        r#"SELECT quorum::float8 AS "q!", expedited_threshold::float8 AS e FROM gov_params"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((params.q, params.e), (0.4, Some(0.667)));
    assert!(ctx
        .archive
        .get("cosmoshub/gov/proposals/latest.json")
        .await
        .unwrap()
        .is_some());

    let again = refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(
        again.contains("0 changed"),
        "an unchanged list rewrites nothing: {again}"
    );
    assert_eq!(
        ctx.archive
            .list("cosmoshub/gov/proposals/")
            .await
            .unwrap()
            .len(),
        2,
        "and archives nothing new"
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_vote_is_recorded_live_with_every_change_and_survives_the_end(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let id = voting_proposal(&chain, 200);
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    validators::run_one(&ctx, &ctx.networks[0]).await.unwrap();
    let mut state = NetworkState::default();
    refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(state.voting.contains(&id));

    chain.fast_forward(id as u64, 200_000);
    let first = votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(first.new_votes > 0 && first.changed_votes == 0, "{first}");
    let stored = count(
        &pool,
        &format!("SELECT count(*) FROM votes WHERE proposal_id = {id}"),
    )
    .await;
    assert_eq!(stored as usize, first.new_votes);

    let repoll = votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert_eq!(
        (repoll.new_votes, repoll.changed_votes, repoll.rows_written),
        (0, 0, 0),
        "a re-poll with no change writes nothing"
    );

    chain.fast_forward(id as u64, 300_000);
    let later = votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(later.changed_votes >= 1 && later.new_votes > 0, "{later}");
    // The second-largest validator: yes at 10%, no at 45%; both are in its history.
    let second = sqlx::query!(
        "SELECT vo.options, vo.changes FROM votes vo JOIN validators v ON v.account_address = vo.voter WHERE vo.proposal_id = $1 AND v.rank = 2",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((second.options.as_str(), second.changes), ("no", 1));
    let history = sqlx::query_scalar!(
        "SELECT h.options FROM vote_history h JOIN validators v ON v.account_address = h.voter WHERE h.proposal_id = $1 AND v.rank = 2 ORDER BY h.seen_at",
        id
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(history, vec!["yes", "no"]);
    let split = sqlx::query!(
        "SELECT options, option FROM votes WHERE proposal_id = $1 AND option = 'weighted'",
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(split.options, "yes:0.6,abstain:0.4");
    let live = sqlx::query_scalar!(
        r#"SELECT live_yes::text AS "y!" FROM proposals WHERE id = $1"#,
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_ne!(live, "0");

    let recorded = count(
        &pool,
        &format!("SELECT count(*) FROM votes WHERE proposal_id = {id}"),
    )
    .await;
    chain.fast_forward(id as u64, 600_000);
    let end = votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert_eq!(end.ended, 1);
    assert!(!state.voting.contains(&id));
    let ended = sqlx::query!(
        r#"SELECT status, final_yes::text AS "yes!", ended_seen_at, bonded_at_end::text AS bonded, quorum::float8 AS quorum FROM proposals WHERE id = $1"#,
        id
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(ended.status == "PROPOSAL_STATUS_PASSED" || ended.status == "PROPOSAL_STATUS_REJECTED");
    assert_ne!(ended.yes, "0");
    assert!(ended.ended_seen_at.is_some());
    assert_eq!(
        (ended.bonded.as_deref(), ended.quorum),
        (Some("245795277076964"), Some(0.4))
    );
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM proposal_snapshots WHERE proposal_id = {id}")
        )
        .await,
        180
    );
    assert_eq!(
        count(
            &pool,
            &format!("SELECT count(*) FROM votes WHERE proposal_id = {id}")
        )
        .await,
        recorded,
        "the chain pruned its votes; the record stays"
    );
    assert!(!ctx
        .archive
        .list(&format!("cosmoshub/gov/{id}/votes/"))
        .await
        .unwrap()
        .is_empty());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_old_chain_is_read_through_v1beta1(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    chain.set_gov_api(GovApi::V1beta1);
    let id = voting_proposal(&chain, 20);
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let mut state = NetworkState::default();
    let summary = refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(summary.starts_with("223 proposals (V1beta1)"), "{summary}");
    let title = sqlx::query_scalar!("SELECT title FROM proposals WHERE id = 848")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(title, "ATOM Halving: Set the max. Inflation Rate to 10%");
    chain.fast_forward(id as u64, 500_000);
    let polled = votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    assert!(polled.new_votes > 0, "{polled}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_failing_vote_list_is_recorded_and_loses_nothing(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let id = voting_proposal(&chain, 50);
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let mut state = NetworkState::default();
    refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    chain.fast_forward(id as u64, 300_000);
    votes::poll(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    let before = count(&pool, "SELECT count(*) FROM votes").await;

    for (faults, expected) in [
        (
            Faults {
                status: Some(503),
                path_prefix: Some(format!("/cosmos/gov/v1/proposals/{id}/votes")),
                ..Faults::default()
            },
            "HTTP 503",
        ),
        (
            Faults {
                malformed: true,
                path_prefix: Some(format!("/cosmos/gov/v1/proposals/{id}/votes")),
                ..Faults::default()
            },
            "malformed response",
        ),
        (
            Faults {
                malformed: true,
                path_prefix: Some(format!("/cosmos/gov/v1/proposals/{id}/tally")),
                ..Faults::default()
            },
            "tally: malformed response",
        ),
    ] {
        let archived_before = ctx
            .archive
            .list(&format!("cosmoshub/gov/{id}/votes/"))
            .await
            .unwrap()
            .len();
        let unreadable_tally = faults
            .path_prefix
            .as_deref()
            .is_some_and(|p| p.ends_with("/tally"));
        chain.set_faults(faults);
        let error = votes::poll(&ctx, &mut state, &ctx.networks[0])
            .await
            .unwrap_err()
            .to_string();
        chain.clear_faults();
        assert!(
            error.starts_with("network cosmoshub: /cosmos/gov/v1/proposals/")
                && error.contains(expected),
            "{error}"
        );
        assert_eq!(count(&pool, "SELECT count(*) FROM votes").await, before);
        if unreadable_tally {
            // The answer that could not be read was archived before it was parsed (a list page
            // whose pagination cannot be read fails earlier: the client must read it to go on).
            let archived = ctx
                .archive
                .list(&format!("cosmoshub/gov/{id}/votes/"))
                .await
                .unwrap();
            assert_eq!(archived.len(), archived_before + 1);
            let last = archived.iter().max().unwrap();
            let document = ctx.archive.get(last).await.unwrap().unwrap();
            assert!(
                String::from_utf8_lossy(&document).contains("\"body_text\""),
                "the raw answer is kept as text"
            );
        }
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_worker_loop_records_its_runs(pool: PgPool) {
    use server::workers::{governance, Intervals};
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let mut state = governance::GovernanceState::default();
    let intervals = Intervals {
        validators: std::time::Duration::from_secs(300),
        votes: std::time::Duration::from_secs(10),
        proposals: std::time::Duration::from_secs(60),
        alerts: std::time::Duration::from_secs(10),
    };
    let wait = governance::run_all(&ctx, &mut state, intervals).await;
    assert_eq!(
        wait, intervals.votes,
        "proposals are voting: poll again soon"
    );
    let runs = sqlx::query!(
        "SELECT outcome, detail FROM worker_runs WHERE worker = 'governance' ORDER BY id"
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(runs.len(), 2, "a list read, then a votes poll");
    assert!(runs.iter().all(|r| r.outcome == "ok"));
    assert!(
        runs[1]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("5 voting: 0 votes"),
        "{:?}",
        runs[1].detail
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn stored_votes_stay_whole_when_the_worker_was_wrong_about_them(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let id = voting_proposal(&chain, 200);
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let network = &ctx.networks[0];
    validators::run_one(&ctx, network).await.unwrap();
    let mut state = NetworkState::default();
    refresh::refresh(&ctx, &mut state, network).await.unwrap();
    chain.fast_forward(id as u64, 200_000);
    let first = votes::poll(&ctx, &mut state, network).await.unwrap();
    assert!(first.new_votes > 10, "{first}");
    let counts = |pool: PgPool| async move {
        sqlx::query_as::<_, (i64, i64, i64)>(
            "SELECT votes_recorded, voters_yes + voters_no + voters_abstain + voters_no_with_veto + voters_weighted,
                    (SELECT count(*) FROM votes WHERE proposal_id = $1)
             FROM proposals WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let consistent = |c: (i64, i64, i64)| c.0 == c.2 && c.1 == c.2;
    let stored = counts(pool.clone()).await;
    assert!(consistent(stored), "{stored:?}");

    // A replica whose memory lost a stored vote takes it for a first one: the insert fails, the
    // round fails with nothing written, and the next round reads what is stored and goes on.
    let forgotten = state.known_votes[&id].keys().next().unwrap().clone();
    state.known_votes.get_mut(&id).unwrap().remove(&forgotten);
    let error = votes::poll(&ctx, &mut state, network).await.unwrap_err();
    assert!(format!("{error:#}").contains("duplicate key"), "{error:#}");
    assert_eq!(counts(pool.clone()).await, stored, "nothing half written");
    let again = votes::poll(&ctx, &mut state, network).await.unwrap();
    assert!(again.votes >= first.votes, "{again}");
    assert!(consistent(counts(pool.clone()).await));

    // Counts that drifted (edited by hand) are set right when a leader reads the votes again.
    sqlx::query("UPDATE proposals SET voters_yes = 0, votes_recorded = 1 WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let mut fresh = NetworkState::default();
    refresh::refresh(&ctx, &mut fresh, network).await.unwrap();
    votes::poll(&ctx, &mut fresh, network).await.unwrap();
    let healed = counts(pool.clone()).await;
    assert!(consistent(healed) && healed.2 >= stored.2, "{healed:?}");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn votes_belong_to_a_stored_proposal_and_go_with_it(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let mut state = NetworkState::default();
    refresh::refresh(&ctx, &mut state, &ctx.networks[0])
        .await
        .unwrap();
    let vote = |proposal: i64| {
        sqlx::query(
            "INSERT INTO votes (network, proposal_id, voter, options, option, first_seen_at, changed_at)
             VALUES ('cosmoshub', $1, 'cosmos1voter', 'yes', 'yes', now(), now())",
        )
        .bind(proposal)
    };
    let orphan = vote(123_456).execute(&pool).await.unwrap_err();
    let code = orphan
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.to_string());
    assert_eq!(code.as_deref(), Some("23503"), "{orphan}");
    let history = sqlx::query(
        "INSERT INTO vote_history (network, proposal_id, voter, seen_at, options, option)
         VALUES ('cosmoshub', 123456, 'cosmos1voter', now(), 'yes', 'yes')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(history.to_string().contains("stored proposal"), "{history}");

    vote(987).execute(&pool).await.unwrap();
    sqlx::query(
        "INSERT INTO vote_history (network, proposal_id, voter, seen_at, options, option)
         VALUES ('cosmoshub', 987, 'cosmos1voter', now(), 'yes', 'yes')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM networks WHERE slug = 'cosmoshub'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        count(
            &pool,
            "SELECT (SELECT count(*) FROM votes) + (SELECT count(*) FROM vote_history)"
        )
        .await,
        0,
        "a network's proposals take their votes and history with them"
    );
}
