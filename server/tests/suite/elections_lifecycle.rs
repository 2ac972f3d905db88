//! An election from the admin's first click to a recount: the worker's steps one at a time
//! (scheduled → preparing → open → tallying → closed), ballots and every refusal, the live
//! tally, receipts with proofs, the archive, the bundle recounted offline, hot reload before
//! opening and the refusal after, and the `stake` source read from devchain with inheritance.

use crate::common;
use app::{
    admin::model::AdminIdentity,
    elections::{
        admin::{self, Actor, Refusal},
        adr036,
        ballot::{BallotData, SignedBallot},
        ballots,
        choice::Choice,
        form::ElectionDraft,
        merkle,
        model::{ElectionState, Verdict},
        service,
        views::ReceiptStatus,
    },
    error::AppError,
};
use chrono::{Duration, Utc};
use k256::ecdsa::SigningKey;
use server::{
    elections::{bundle, verify},
    workers::{
        elections::{run_once, Timing},
        WorkerContext,
    },
};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

const MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

fn timing() -> Timing {
    Timing {
        poll: std::time::Duration::from_secs(1),
        prepare_offset: Duration::minutes(-60),
        live_tally: std::time::Duration::from_millis(1),
    }
}

pub fn key(n: u64) -> SigningKey {
    SigningKey::from_slice(&Sha256::digest(
        format!("stakeboard-test-voter-{n}").as_bytes(),
    ))
    .unwrap()
}

pub fn address(key: &SigningKey) -> String {
    adr036::account_address(
        "cosmos",
        key.verifying_key().to_encoded_point(true).as_bytes(),
    )
}

pub async fn admin_of(pool: &PgPool) -> AdminIdentity {
    let (id, _) = app::admin::db::upsert(pool, "ops@example.org", "x")
        .await
        .unwrap();
    AdminIdentity {
        id,
        email: "ops@example.org".into(),
    }
}

pub fn draft(method: &str, source: &str, options: &str, start_in: Duration) -> ElectionDraft {
    let at = |d: Duration| (Utc::now() + d).format("%Y-%m-%dT%H:%M").to_string();
    ElectionDraft {
        network: "cosmoshub".into(),
        title: "Community pool steward".into(),
        description: "Choose **one** steward for 2027.".into(),
        question: "Who should steward the community pool?".into(),
        options: options.into(),
        method: method.into(),
        power_source: source.into(),
        quorum: "50".into(),
        live_tally_public: Some("on".into()),
        voting_start: at(start_in),
        voting_end: at(start_in + Duration::days(2)),
        ..Default::default()
    }
}

async fn state(pool: &PgPool, id: i64) -> ElectionState {
    service::detail(pool, id).await.unwrap().state
}

/// Runs worker passes until the election reaches `target` (at most 20).
pub async fn run_until(ctx: &WorkerContext, id: i64, target: ElectionState) {
    for _ in 0..20 {
        if state(&ctx.pool, id).await == target {
            return;
        }
        run_once(ctx, timing()).await.unwrap();
    }
    panic!(
        "election #{id} did not reach {target:?}: it is {:?}",
        state(&ctx.pool, id).await
    );
}

/// A ballot for election `id` signed by `key` now.
pub async fn signed(pool: &PgPool, id: i64, key: &SigningKey, choice: Choice) -> SignedBallot {
    let plan_hash = service::detail(pool, id)
        .await
        .unwrap()
        .commitments
        .plan_hash
        .unwrap();
    let nonce = hex::encode(rand::random::<[u8; 8]>());
    let data = BallotData::new(id, &plan_hash, choice, nonce, Utc::now()).canonical();
    adr036::sign(key, "cosmos", &data)
}

/// A devchain, an archive folder, and a worker context that has collected the validator set.
async fn collected(pool: &PgPool) -> (devchain::DevChain, tempfile::TempDir, WorkerContext) {
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(pool, vec![common::hub(&chain)], dir.path()).await;
    server::workers::validators::run_one(&ctx, &ctx.networks[0])
        .await
        .unwrap();
    (chain, dir, ctx)
}

fn refused(result: Result<app::elections::views::Receipt, AppError>) -> AppError {
    result.expect_err("the ballot should be refused")
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_allowlist_election_runs_from_schedule_to_a_recount(pool: PgPool) {
    let chain = common::devchain_without_scenario().await;
    let dir = tempfile::tempdir().unwrap();
    let ctx = common::worker_context(&pool, vec![common::hub(&chain)], dir.path()).await;
    let identity = admin_of(&pool).await;
    let actor = Actor {
        admin: &identity,
        ip: Some("127.0.0.1"),
    };
    let id = admin::create(
        &pool,
        &actor,
        &draft(
            "ranked",
            "allowlist",
            "Alice\nBob\nCarol",
            Duration::hours(3),
        ),
    )
    .await
    .unwrap();
    let weights = [40u128, 35, 15, 10, 5, 5];
    let csv: String = weights
        .iter()
        .enumerate()
        .map(|(i, w)| format!("{},{w}\n", address(&key(i as u64))))
        .collect();
    assert_eq!(
        admin::upload_allowlist(&pool, &actor, id, &csv)
            .await
            .unwrap(),
        (6, 110)
    );

    // Not due for three hours: a pass leaves it scheduled, and a ballot is refused.
    run_once(&ctx, timing()).await.unwrap();
    assert_eq!(state(&pool, id).await, ElectionState::Scheduled);
    let early = SignedBallot {
        data: "{}".into(),
        pub_key: adr036::sign(&key(0), "cosmos", "x").pub_key,
        signature: String::new(),
        signer: address(&key(0)),
    };
    assert!(refused(ballots::accept(&pool, id, early).await)
        .to_string()
        .contains("not open yet"));

    admin::open_now(&pool, &actor, id).await.unwrap();
    run_until(&ctx, id, ElectionState::Open).await;
    let detail = service::detail(&pool, id).await.unwrap();
    let plan_hash = detail.commitments.plan_hash.clone().unwrap();
    assert_eq!(detail.commitments.eligible_power.as_deref(), Some("110"));
    assert_eq!(detail.commitments.eligible_voters, Some(6));
    let archived = dir.path().join(format!("cosmoshub/elections/{id}"));
    let plan_file = std::fs::read_to_string(archived.join("plan.json")).unwrap();
    assert_eq!(
        hex::encode(Sha256::digest(plan_file.as_bytes())),
        plan_hash,
        "the archived plan is the hashed one"
    );
    assert!(
        std::fs::read_to_string(archived.join("snapshot.csv"))
            .unwrap()
            .lines()
            .count()
            == 7
    );

    // Voter 0 votes Bob first, then changes to Alice; only the last ballot counts.
    let first = ballots::accept(
        &pool,
        id,
        signed(&pool, id, &key(0), Choice::Options(vec![2])).await,
    )
    .await
    .unwrap();
    assert_eq!((first.position, first.status), (1, ReceiptStatus::Recorded));
    let cast = [
        (0, Choice::Options(vec![1])),
        (1, Choice::Options(vec![2, 1])),
        (2, Choice::Options(vec![3, 2])),
        (3, Choice::Options(vec![3])),
        (5, Choice::Abstain),
    ];
    let mut receipts = Vec::new();
    for (voter, choice) in cast {
        receipts.push(
            ballots::accept(&pool, id, signed(&pool, id, &key(voter), choice).await)
                .await
                .unwrap(),
        );
    }
    let replaced = service::receipt(&pool, id, &first.ballot_hash)
        .await
        .unwrap();
    assert_eq!(replaced.status, ReceiptStatus::Superseded);
    assert_eq!(
        replaced.superseded_by.as_deref(),
        Some(receipts[0].ballot_hash.as_str())
    );

    // Every kind of bad ballot gets its reason, and nothing is added to the ledger.
    let good = signed(&pool, id, &key(4), Choice::Options(vec![1])).await;
    let mut tampered = good.clone();
    tampered.data = tampered.data.replace("[1]", "[2]");
    assert!(
        matches!(refused(ballots::accept(&pool, id, tampered).await), AppError::BadRequest(m) if m.contains("does not match"))
    );
    let outsider = signed(&pool, id, &key(99), Choice::Options(vec![1])).await;
    assert!(
        matches!(refused(ballots::accept(&pool, id, outsider).await), AppError::Forbidden(m) if m.contains("not among the voters"))
    );
    let other_plan = adr036::sign(
        &key(4),
        "cosmos",
        &BallotData::new(
            id,
            &"0".repeat(64),
            Choice::Options(vec![1]),
            "nonce-000".into(),
            Utc::now(),
        )
        .canonical(),
    );
    assert!(
        matches!(refused(ballots::accept(&pool, id, other_plan).await), AppError::BadRequest(m) if m.contains("signed for plan"))
    );
    let other_election = adr036::sign(
        &key(4),
        "cosmos",
        &BallotData::new(
            id + 1,
            &plan_hash,
            Choice::Options(vec![1]),
            "nonce-000".into(),
            Utc::now(),
        )
        .canonical(),
    );
    assert!(
        matches!(refused(ballots::accept(&pool, id, other_election).await), AppError::BadRequest(m) if m.contains("signed for election"))
    );
    let twice = signed(&pool, id, &key(4), Choice::Options(vec![1, 1])).await;
    assert!(
        matches!(refused(ballots::accept(&pool, id, twice).await), AppError::BadRequest(m) if m.contains("ranked twice"))
    );
    let stale = adr036::sign(
        &key(4),
        "cosmos",
        &BallotData::new(
            id,
            &plan_hash,
            Choice::Options(vec![1]),
            "nonce-001".into(),
            Utc::now() - Duration::hours(1),
        )
        .canonical(),
    );
    assert!(
        matches!(refused(ballots::accept(&pool, id, stale).await), AppError::BadRequest(m) if m.contains("minutes from now"))
    );
    let spaced_data = BallotData::new(
        id,
        &plan_hash,
        Choice::Options(vec![1]),
        "nonce-002".into(),
        Utc::now(),
    )
    .canonical()
    .replace(",\"", ", \"");
    let spaced = adr036::sign(&key(4), "cosmos", &spaced_data);
    assert!(
        matches!(refused(ballots::accept(&pool, id, spaced).await), AppError::BadRequest(m) if m.contains("canonical"))
    );
    let mut wrong_signer = signed(&pool, id, &key(4), Choice::Options(vec![1])).await;
    wrong_signer.signer = address(&key(1));
    assert!(
        matches!(refused(ballots::accept(&pool, id, wrong_signer).await), AppError::BadRequest(m) if m.contains("belongs to"))
    );
    ballots::accept(&pool, id, good.clone()).await.unwrap();
    assert!(
        matches!(refused(ballots::accept(&pool, id, good).await), AppError::Conflict(m) if m.contains("already received"))
    );
    assert!(matches!(
        refused(
            ballots::accept(
                &pool,
                id + 100,
                signed(&pool, id, &key(4), Choice::Abstain).await
            )
            .await
        ),
        AppError::NotFound(_)
    ));
    let ballots_now = service::detail(&pool, id)
        .await
        .unwrap()
        .commitments
        .ballots;
    assert_eq!(
        ballots_now, 7,
        "voter 0's two, voters 1, 2, 3 and 5, voter 4's first: no refused ballot"
    );

    // After edits are refused, only the end may move.
    let edit = admin::update(
        &pool,
        &actor,
        id,
        &draft("single", "allowlist", "Alice\nBob", Duration::hours(1)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(edit, Refusal::Refused(AppError::Conflict(m)) if m.contains("only extending"))
    );

    // The live tally counts voter 4's Alice too; then voter 4 abstains instead.
    run_once(&ctx, timing()).await.unwrap();
    let live = service::detail(&pool, id).await.unwrap();
    assert!(!live.tally_final);
    assert_eq!(live.tally.as_ref().unwrap().counted_ballots, 6);
    ballots::accept(&pool, id, signed(&pool, id, &key(4), Choice::Abstain).await)
        .await
        .unwrap();

    // The end comes: counted, archived, closed.
    sqlx::query("UPDATE elections SET voting_end = now() WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    let late = signed(&pool, id, &key(4), Choice::Options(vec![1])).await;
    assert!(refused(ballots::accept(&pool, id, late).await)
        .to_string()
        .contains("ended"));
    run_until(&ctx, id, ElectionState::Closed).await;
    let results = service::results(&pool, id).await.unwrap();
    // Round 1: Alice 40, Bob 35, Carol 25 → Carol out: 15 to Bob, 10 exhausted; Bob 50 of 90.
    assert_eq!(results.verdict, Verdict::Winner { option: 2 });
    assert_eq!(results.rounds.len(), 2);
    assert_eq!(results.rounds[0].eliminated, Some(3));
    assert_eq!(
        (
            results.participating_power.as_str(),
            results.abstain_power.as_str()
        ),
        ("110", "10")
    );
    assert!(results.quorum_reached);
    assert_eq!((results.counted_ballots, results.total_ballots), (6, 8));

    // Each counted ballot proves its place in the published root; a replaced one says so.
    let closed = service::detail(&pool, id).await.unwrap();
    let root: merkle::Hash = hex::decode(closed.commitments.ballots_root.clone().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    for receipt in &receipts {
        let receipt = service::receipt(&pool, id, &receipt.ballot_hash)
            .await
            .unwrap();
        assert_eq!(receipt.status, ReceiptStatus::Counted);
        let proof = receipt.proof.unwrap();
        let path: Vec<merkle::Hash> = proof
            .path
            .iter()
            .map(|h| hex::decode(h).unwrap().try_into().unwrap())
            .collect();
        let leaf = merkle::leaf_hash(&hex::decode(&receipt.ballot_hash).unwrap());
        assert!(merkle::verify(
            &leaf,
            proof.leaf_index,
            proof.tree_size,
            &path,
            &root
        ));
    }
    assert_eq!(
        service::receipt(&pool, id, &first.ballot_hash)
            .await
            .unwrap()
            .status,
        ReceiptStatus::Superseded
    );
    for file in bundle::FILES {
        assert!(archived.join(file).exists(), "{file} archived");
    }

    // The bundle recounts to the same results and roots; a changed ballot or result does not.
    let bytes = bundle::build(&pool, id).await.unwrap();
    let report = verify::verify(&bundle::Bundle::read(&bytes).unwrap());
    assert!(report.matches(), "{}", report.render());
    let mut forged = bundle::Bundle::read(&bytes).unwrap();
    let results_file = String::from_utf8(forged.files["results.json"].clone()).unwrap();
    forged.files.insert(
        "results.json".into(),
        results_file
            .replacen("\"option\": 2", "\"option\": 1", 1)
            .into_bytes(),
    );
    assert!(!verify::verify(&forged).matches());
    let mut dropped = bundle::Bundle::read(&bytes).unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&dropped.files["ballots.jsonl"])
        .unwrap()
        .lines()
        .collect();
    let without_one = lines[..lines.len() - 1].join("\n") + "\n";
    dropped
        .files
        .insert("ballots.jsonl".into(), without_one.into_bytes());
    let report = verify::verify(&dropped);
    assert!(
        !report.matches() && report.render().contains("FAIL  ledger"),
        "{}",
        report.render()
    );
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_edit_before_opening_rebuilds_the_plan_and_is_audited(pool: PgPool) {
    let (_chain, _dir, ctx) = collected(&pool).await;
    let identity = admin_of(&pool).await;
    let actor = Actor {
        admin: &identity,
        ip: None,
    };
    // Starts in 30 minutes: inside the hour before, so it is prepared at once.
    let id = admin::create(
        &pool,
        &actor,
        &draft("single", "validators", "Yes\nNo", Duration::minutes(30)),
    )
    .await
    .unwrap();
    run_until(&ctx, id, ElectionState::Preparing).await;
    run_once(&ctx, timing()).await.unwrap();
    let before = service::detail(&pool, id)
        .await
        .unwrap()
        .commitments
        .plan_hash
        .expect("prepared");
    admin::update(
        &pool,
        &actor,
        id,
        &draft(
            "approval",
            "validators",
            "Yes\nNo\nLater",
            Duration::minutes(30),
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        state(&pool, id).await,
        ElectionState::Scheduled,
        "back to scheduled, plan dropped"
    );
    assert_eq!(
        service::detail(&pool, id)
            .await
            .unwrap()
            .commitments
            .plan_hash,
        None
    );
    run_until(&ctx, id, ElectionState::Preparing).await;
    run_once(&ctx, timing()).await.unwrap();
    let after = service::detail(&pool, id)
        .await
        .unwrap()
        .commitments
        .plan_hash
        .expect("prepared again");
    assert_ne!(before, after, "a new plan hash");
    let actions: Vec<String> = sqlx::query_scalar("SELECT action FROM admin_audit ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(actions, vec!["election.create", "election.update"]);
    let (before_json, after_json): (serde_json::Value, serde_json::Value) =
        sqlx::query_as("SELECT before, after FROM admin_audit WHERE action = 'election.update'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (
            before_json["method"].as_str(),
            after_json["method"].as_str()
        ),
        (Some("single"), Some("approval"))
    );

    // Validators' accounts are the voters; the set collected is the snapshot.
    let eligible: i64 = sqlx::query_scalar("SELECT eligible_voters FROM elections WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    let bonded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM validators WHERE bond_status = 'BOND_STATUS_BONDED' AND tokens > 0",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(eligible, bonded);

    // Bad forms and actions the state forbids are refused with their reasons.
    let mut bad = draft("ranked", "validators", "Only one", Duration::minutes(30));
    bad.threshold = "50".into();
    let Refusal::Invalid(fields) = admin::create(&pool, &actor, &bad).await.unwrap_err() else {
        panic!("a form error")
    };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, vec!["options", "threshold"]);
    let mut backwards = draft("single", "validators", "Yes\nNo", Duration::minutes(30));
    backwards.voting_end = backwards.voting_start.clone();
    assert!(
        matches!(admin::create(&pool, &actor, &backwards).await.unwrap_err(), Refusal::Invalid(f) if f[0].field == "voting_end")
    );
    assert!(matches!(
        admin::upload_allowlist(&pool, &actor, id, "x,1")
            .await
            .unwrap_err(),
        Refusal::Refused(AppError::BadRequest(_))
    ));
    admin::cancel(&pool, &actor, id).await.unwrap();
    assert!(matches!(
        admin::open_now(&pool, &actor, id).await.unwrap_err(),
        Refusal::Refused(AppError::Conflict(_))
    ));
    assert!(matches!(
        admin::cancel(&pool, &actor, id).await.unwrap_err(),
        Refusal::Refused(AppError::Conflict(_))
    ));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_stake_source_reads_every_delegation_and_delegators_inherit(pool: PgPool) {
    let (chain, _dir, ctx) = collected(&pool).await;
    let identity = admin_of(&pool).await;
    let actor = Actor {
        admin: &identity,
        ip: None,
    };
    let mut spec = draft("single", "stake", "Yes\nNo", Duration::hours(5));
    spec.quorum = "0".into();
    let id = admin::create(&pool, &actor, &spec).await.unwrap();
    admin::open_now(&pool, &actor, id).await.unwrap();
    run_until(&ctx, id, ElectionState::Open).await;

    let height: i64 =
        sqlx::query_scalar("SELECT snapshot_taken_height FROM elections WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(height > 0);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM election_snapshot WHERE election_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    let total: i64 = {
        let c = chain.state.chain.read().unwrap();
        c.validators
            .iter()
            .filter(|v| v["status"] == "BOND_STATUS_BONDED")
            .map(|v| {
                c.delegations_of(v["operator_address"].as_str().unwrap())
                    .map_or(0, |d| d.len() as i64)
            })
            .sum()
    };
    assert_eq!(rows, total, "every delegation of every bonded validator");

    // Staker 0 delegates to the largest validator and the ninth; it votes No itself. The largest
    // validator votes Yes: its other delegators follow it, staker 0's stake does not.
    let staker = devchain::delegations::staker_key(0);
    let staker_address = address(&staker);
    let (validator, validator_power): (String, String) = sqlx::query_as(
        "SELECT delegate, sum(power)::text FROM election_snapshot WHERE election_id = $1 AND delegate <> ''
         GROUP BY delegate ORDER BY sum(power) DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    let staker_power: String = sqlx::query_scalar(
        "SELECT sum(power)::text FROM election_snapshot WHERE election_id = $1 AND address = $2",
    )
    .bind(id)
    .bind(&staker_address)
    .fetch_one(&pool)
    .await
    .unwrap();
    ballots::accept(
        &pool,
        id,
        signed(&pool, id, &staker, Choice::Options(vec![2])).await,
    )
    .await
    .unwrap();
    // The validator's operator key is not known: its ballot is counted as a stored vote would be.
    let plan_hash = service::detail(&pool, id)
        .await
        .unwrap()
        .commitments
        .plan_hash
        .unwrap();
    sqlx::query(
        "INSERT INTO election_ballots (election_id, position, voter, nonce, ballot, choice, ballot_hash, chain_hash, received_at)
         VALUES ($1, 2, $2, 'validator-vote', '{}', '[1]', $3, $3, now())",
    )
    .bind(id)
    .bind(&validator)
    .bind(&plan_hash)
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("UPDATE elections SET ballots_count = 2, voting_end = now() WHERE id = $1")
        .bind(id)
        .execute(&pool)
        .await
        .unwrap();
    run_until(&ctx, id, ElectionState::Closed).await;
    let results = service::results(&pool, id).await.unwrap();
    let staker_power: u128 = staker_power.parse().unwrap();
    let staker_with_validator: u128 = sqlx::query_scalar::<_, String>(
        "SELECT power::text FROM election_snapshot WHERE election_id = $1 AND address = $2 AND delegate = $3",
    )
    .bind(id)
    .bind(&staker_address)
    .bind(&validator)
    .fetch_one(&pool)
    .await
    .unwrap()
    .parse()
    .unwrap();
    let validator_power: u128 = validator_power.parse().unwrap();
    assert_eq!(
        results.options[0].power,
        (validator_power - staker_with_validator).to_string(),
        "Yes: the validator's delegations but staker 0's"
    );
    assert_eq!(
        results.options[1].power,
        staker_power.to_string(),
        "No: all of staker 0's stake, with both validators"
    );
}
