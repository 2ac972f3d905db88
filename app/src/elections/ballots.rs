//! Taking a ballot: every check a signed ballot passes (the same function serves the server and
//! the offline verifier), then one transaction that appends it to the election's ledger under
//! the election row's lock and answers with the receipt. A ballot is committed before the
//! receipt is sent; one sent twice (the same nonce) is refused, not counted twice.

use super::{
    adr036,
    ballot::{BallotData, SignedBallot},
    db, ledger,
    model::{BallotMethod, ElectionState},
    views::{Receipt, ReceiptStatus},
};
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// How far a ballot's `signed_at` may be from the server's clock.
pub const SIGNED_AT_SLACK_MINUTES: i64 = 10;

/// What a ballot is checked against: the election's plan.
pub struct PlanTerms<'a> {
    pub election: i64,
    pub plan_hash: &'a str,
    pub method: BallotMethod,
    pub options: usize,
    pub bech32_prefix: &'a str,
}

/// Checks a signed ballot against the plan: canonical signed data, for this election and plan,
/// a choice the method can count, a valid ADR-036 signature by the signer's key. Eligibility,
/// time and nonce are checked by the caller.
pub fn check(ballot: &SignedBallot, terms: &PlanTerms) -> Result<BallotData, String> {
    let data = BallotData::parse_signed(&ballot.data)?;
    if data.election != terms.election {
        return Err(format!(
            "this ballot was signed for election #{}, not #{}",
            data.election, terms.election
        ));
    }
    if data.plan_hash != terms.plan_hash {
        return Err(format!(
            "this ballot was signed for plan {}, but the election's plan is {}: reload the page and vote again",
            data.plan_hash, terms.plan_hash
        ));
    }
    data.choice.validate(terms.method, terms.options)?;
    adr036::verify(ballot, terms.bech32_prefix).map_err(|e| e.to_string())?;
    Ok(data)
}

/// Takes a signed ballot for election `id` now; answers with its receipt.
pub async fn accept(pool: &PgPool, id: i64, ballot: SignedBallot) -> Result<Receipt, AppError> {
    let now = Utc::now();
    let row = db::election(pool, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No election #{id} here.")))?;
    refuse_unless_open(row.state(), row.voting_start, row.voting_end, now, id)?;
    let plan_hash = row.block0_hash.clone().ok_or(AppError::Internal)?;
    let prefix = sqlx::query_scalar!(
        "SELECT bech32_prefix FROM networks WHERE slug = $1",
        row.network
    )
    .fetch_one(pool)
    .await?;
    let terms = PlanTerms {
        election: id,
        plan_hash: &plan_hash,
        method: row.method(),
        options: row.options.len(),
        bech32_prefix: &prefix,
    };
    let data = check(&ballot, &terms).map_err(AppError::BadRequest)?;
    let signed_at = data.signed_time().map_err(AppError::BadRequest)?;
    if (signed_at - now).abs() > Duration::minutes(SIGNED_AT_SLACK_MINUTES) {
        return Err(AppError::BadRequest(format!(
            "the ballot was signed at {}, more than {SIGNED_AT_SLACK_MINUTES} minutes from now ({}): check your clock and sign again",
            data.signed_at,
            now.format("%Y-%m-%dT%H:%M:%SZ")
        )));
    }
    let eligible = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT 1 FROM election_snapshot WHERE election_id = $1 AND address = $2)
               OR EXISTS (SELECT 1 FROM election_snapshot WHERE election_id = $1 AND delegate = $2) AS "eligible!""#,
        id,
        ballot.signer
    )
    .fetch_one(pool)
    .await?;
    if !eligible {
        return Err(AppError::Forbidden(format!(
            "{} is not among the voters of election #{id}: its voting power was fixed when the election was prepared",
            ballot.signer
        )));
    }
    let canonical = ballot.canonical();
    let ballot_hash = ledger::ballot_hash(&canonical);
    let choice = serde_json::to_value(&data.choice).map_err(|_| AppError::Internal)?;
    let mut tx = pool.begin().await?;
    let head = sqlx::query!(
        r#"SELECT state, voting_start, voting_end, block0_hash, ballots_count, ballots_head, now() AS "now!"
           FROM elections WHERE id = $1 FOR UPDATE"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    // The database's clock, as the worker's transitions use: a ballot is in the voting time
    // by the same clock that opens and ends it, whatever the web server's clock says.
    let now = head.now;
    let state = ElectionState::parse(&head.state).unwrap_or(ElectionState::Failed);
    refuse_unless_open(state, head.voting_start, head.voting_end, now, id)?;
    if head.block0_hash.as_deref() != Some(plan_hash.as_str()) {
        return Err(AppError::Conflict(
            "the election's plan changed while the ballot was checked: vote again".into(),
        ));
    }
    let position = head.ballots_count + 1;
    let chain_hash = ledger::next(
        head.ballots_head.as_deref().unwrap_or(&plan_hash),
        &ballot_hash,
    );
    let inserted = sqlx::query!(
        "INSERT INTO election_ballots (election_id, position, voter, nonce, ballot, choice, ballot_hash, chain_hash, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        id,
        position,
        ballot.signer,
        data.nonce,
        canonical,
        choice,
        ballot_hash,
        chain_hash,
        now
    )
    .execute(&mut *tx)
    .await;
    if let Err(error) = inserted {
        if error.as_database_error().and_then(|e| e.code()).as_deref() == Some("23505") {
            return Err(AppError::Conflict(format!(
                "this ballot (nonce {}) was already received: a new ballot needs a new nonce",
                data.nonce
            )));
        }
        return Err(error.into());
    }
    sqlx::query!(
        "UPDATE elections SET ballots_count = $2, ballots_head = $3 WHERE id = $1",
        id,
        position,
        chain_hash
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    metrics::counter!("stakeboard_election_ballots_total", "election" => id.to_string())
        .increment(1);
    Ok(Receipt {
        election: id,
        choice: data.choice.describe(&row.options),
        ballot_hash,
        position,
        chain_hash,
        voter: ballot.signer,
        received_at: now,
        status: ReceiptStatus::Recorded,
        superseded_by: None,
        proof: None,
    })
}

fn refuse_unless_open(
    state: ElectionState,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
    id: i64,
) -> Result<(), AppError> {
    let at = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M UTC");
    match state {
        ElectionState::Open if now < end => Ok(()),
        ElectionState::Scheduled | ElectionState::Preparing => Err(AppError::Conflict(format!(
            "election #{id} is not open yet: voting starts {}",
            at(start)
        ))),
        ElectionState::Cancelled => {
            Err(AppError::Conflict(format!("election #{id} was cancelled")))
        }
        ElectionState::Failed => Err(AppError::Conflict(format!(
            "election #{id} failed and takes no ballots"
        ))),
        _ => Err(AppError::Conflict(format!(
            "voting in election #{id} ended {}",
            at(end)
        ))),
    }
}
