//! The election pages' and the JSON API's answers, read from the rows the worker and the
//! admin forms write.

use super::{
    choice::Choice,
    db::{self, ElectionRow},
    ledger, merkle,
    model::{BasisPoints, ElectionResults, ElectionState},
    views::{
        ElectionCommitments, ElectionDetail, ElectionList, ElectionRules, ElectionSummary,
        InclusionProof, Receipt, ReceiptStatus,
    },
};
use crate::{
    error::AppError,
    governance::markdown,
    networks::{self, model::NetworkInfo},
};
use chrono::Utc;
use sqlx::PgPool;

/// Past elections on a page of the list.
pub const PAST_PAGE: i64 = 20;

const OPEN: [&str; 2] = ["open", "tallying"];
const UPCOMING: [&str; 2] = ["scheduled", "preparing"];
const PAST: [&str; 3] = ["closed", "cancelled", "failed"];

fn not_found(id: i64) -> AppError {
    AppError::NotFound(format!("No election #{id} here."))
}

/// The results to show: final once counted; while voting, the live tally if it is public.
fn shown_tally(
    row: &ElectionRow,
) -> (Option<ElectionResults>, bool, Option<chrono::DateTime<Utc>>) {
    let parse = |v: &serde_json::Value| serde_json::from_value::<ElectionResults>(v.clone()).ok();
    match (&row.results, &row.live_results) {
        (Some(results), _) => (parse(results), true, row.tallied_at),
        (None, Some(live)) if row.live_tally_public && row.state() == ElectionState::Open => {
            (parse(live), false, row.live_results_at)
        }
        _ => (None, false, None),
    }
}

pub fn summarize(row: &ElectionRow, networks: &[NetworkInfo]) -> ElectionSummary {
    ElectionSummary {
        id: row.id,
        network: row.network.clone(),
        network_name: networks
            .iter()
            .find(|n| n.slug == row.network)
            .map_or_else(|| row.network.clone(), |n| n.name.clone()),
        title: row.title.clone(),
        state: row.state(),
        method: row.method(),
        power_source: row.power_source(),
        voting_start: row.voting_start,
        voting_end: row.voting_end,
        ballots: row.ballots_count,
        turnout: shown_tally(row).0.map(|t| t.turnout),
    }
}

/// The slug of the followed network `network` names (`None` for all networks); 404 for an
/// unknown one.
async fn followed_slug(pool: &PgPool, network: Option<&str>) -> Result<Option<String>, AppError> {
    match network {
        Some(slug) => Ok(Some(
            networks::service::resolve_network(pool, Some(slug))
                .await?
                .0
                .slug,
        )),
        None => Ok(None),
    }
}

/// `network`: one network's elections (`None`: all); `after`: the `next` of the previous page
/// of past elections.
pub async fn list(
    pool: &PgPool,
    network: Option<&str>,
    after: Option<i64>,
) -> Result<ElectionList, AppError> {
    let network = followed_slug(pool, network).await?;
    let slug = network.as_deref();
    let (followed, open, upcoming, past) = tokio::try_join!(
        async { networks::db::followed(pool).await.map_err(AppError::from) },
        async {
            db::in_states(pool, slug, &OPEN)
                .await
                .map_err(AppError::from)
        },
        async {
            db::in_states(pool, slug, &UPCOMING)
                .await
                .map_err(AppError::from)
        },
        async {
            db::page(pool, slug, &PAST, PAST_PAGE + 1, after)
                .await
                .map_err(AppError::from)
        },
    )?;
    let (past, next) = crate::paging::page_of(past, PAST_PAGE, |r| ElectionKey(r.id));
    Ok(ElectionList {
        open: open.iter().map(|r| summarize(r, &followed)).collect(),
        upcoming: upcoming.iter().map(|r| summarize(r, &followed)).collect(),
        past: past.iter().map(|r| summarize(r, &followed)).collect(),
        next,
        networks: followed,
        network,
        now: Utc::now(),
    })
}

/// A list's position: the number of the last election shown.
pub struct ElectionKey(pub i64);

impl crate::paging::PageKey for ElectionKey {
    fn encode(&self) -> String {
        self.0.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        crate::paging::parse_number(text).map(ElectionKey)
    }
}

pub async fn detail(pool: &PgPool, id: i64) -> Result<ElectionDetail, AppError> {
    let row = db::election(pool, id).await?.ok_or_else(|| not_found(id))?;
    let (network, _) = networks::service::resolve_network(pool, Some(&row.network)).await?;
    let (tally, tally_final, tally_at) = shown_tally(&row);
    let bp = |v: i32| BasisPoints(v.max(0) as u32);
    Ok(ElectionDetail {
        id: row.id,
        network,
        description_html: markdown::render(&row.description, true),
        question: row.question.clone(),
        options: row.options.clone(),
        rules: ElectionRules {
            method: row.method(),
            power_source: row.power_source(),
            snapshot_height: row.snapshot_taken_height.or(row.snapshot_height),
            quorum: bp(row.quorum_bp),
            threshold: row.threshold_bp.map(bp),
            cap: row.cap_bp.map(bp),
            live_tally_public: row.live_tally_public,
        },
        state: row.state(),
        failure: row.failure.clone(),
        voting_start: row.voting_start,
        voting_end: row.voting_end,
        commitments: ElectionCommitments {
            plan_hash: row.block0_hash.clone(),
            snapshot_root: row.snapshot_root.clone(),
            eligible_power: row.eligible_power.clone(),
            eligible_voters: row.eligible_voters,
            ballots: row.ballots_count,
            chain_head: row.ballots_head.clone(),
            ballots_root: row.ballots_root.clone(),
        },
        tally,
        tally_final,
        tally_at,
        title: row.title,
        now: Utc::now(),
    })
}

/// Where the ballot with this hash stands, with its inclusion proof once counted.
pub async fn receipt(pool: &PgPool, id: i64, hash: &str) -> Result<Receipt, AppError> {
    if !ledger::is_hash(hash) {
        return Err(AppError::BadRequest(format!(
            "{:?} is not a ballot hash: 64 lower-case hex digits, as the receipt gives them",
            hash.chars().take(80).collect::<String>()
        )));
    }
    let row = db::election(pool, id).await?.ok_or_else(|| not_found(id))?;
    let ballot = db::ballot_by_hash(pool, id, hash).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "Election #{id} received no ballot with the hash {hash}."
        ))
    })?;
    let latest = db::latest_of(pool, id, &ballot.voter).await?;
    let superseded_by = latest
        .filter(|(position, _)| *position != ballot.position)
        .map(|(_, hash)| hash);
    let counted = row.results.is_some();
    let status = match (row.state(), &superseded_by) {
        (_, Some(_)) => ReceiptStatus::Superseded,
        (ElectionState::Cancelled | ElectionState::Failed, None) => ReceiptStatus::NotCounted,
        (_, None) if counted => ReceiptStatus::Counted,
        (_, None) => ReceiptStatus::Recorded,
    };
    let proof = match (status, &row.ballots_root) {
        (ReceiptStatus::Counted, Some(root)) => Some(proof(pool, id, ballot.position, root).await?),
        _ => None,
    };
    let choice = serde_json::from_value::<Choice>(ballot.choice)
        .map(|c| c.describe(&row.options))
        .unwrap_or_default();
    Ok(Receipt {
        election: id,
        ballot_hash: ballot.ballot_hash,
        position: ballot.position,
        chain_hash: ballot.chain_hash,
        voter: ballot.voter,
        received_at: ballot.received_at,
        choice,
        status,
        superseded_by,
        proof,
    })
}

/// The audit path of the counted ballot at `position` against the counted ballots' root.
async fn proof(
    pool: &PgPool,
    id: i64,
    position: i64,
    root: &str,
) -> Result<InclusionProof, AppError> {
    let counted = db::counted_hashes(pool, id).await?;
    let index = counted
        .iter()
        .position(|(p, _)| *p == position)
        .ok_or(AppError::Internal)?;
    // Hashing every counted ballot takes tens of milliseconds at 100,000: off the async threads.
    let (leaves, path, computed) = tokio::task::spawn_blocking(move || {
        let leaves: Vec<merkle::Hash> = counted
            .iter()
            .map(|(_, hash)| merkle::leaf_hash(&hex::decode(hash).unwrap_or_default()))
            .collect();
        let path = merkle::proof(&leaves, index);
        let root = hex::encode(merkle::root(&leaves));
        (leaves, path, root)
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let path = path.ok_or(AppError::Internal)?;
    if computed != root {
        tracing::error!(election = id, %computed, stored = root, "the counted ballots do not give the published root");
        return Err(AppError::Internal);
    }
    Ok(InclusionProof {
        leaf_index: index as u64,
        tree_size: leaves.len() as u64,
        leaf_hash: hex::encode(leaves[index]),
        path: path.iter().map(hex::encode).collect(),
        root: computed,
    })
}

/// A page of elections for the JSON API, newest first: of one network (`None`: all), in the
/// given states (empty: all).
pub async fn page(
    pool: &PgPool,
    network: Option<&str>,
    states: &[ElectionState],
    limit: i64,
    after: Option<i64>,
) -> Result<super::views::ElectionPage, AppError> {
    let network = followed_slug(pool, network).await?;
    let all = ElectionState::ALL;
    let states: Vec<&str> = if states.is_empty() { &all[..] } else { states }
        .iter()
        .map(|s| s.as_str())
        .collect();
    let (rows, followed) = tokio::try_join!(
        db::page(pool, network.as_deref(), &states, limit + 1, after),
        networks::db::followed(pool)
    )?;
    let (rows, next) = crate::paging::page_of(rows, limit, |r| ElectionKey(r.id));
    Ok(super::views::ElectionPage {
        elections: rows.iter().map(|r| summarize(r, &followed)).collect(),
        next,
    })
}

/// The final results, once the election is counted.
pub async fn results(pool: &PgPool, id: i64) -> Result<ElectionResults, AppError> {
    let row = db::election(pool, id).await?.ok_or_else(|| not_found(id))?;
    match &row.results {
        Some(results) => serde_json::from_value(results.clone()).map_err(|error| {
            tracing::error!(election = id, %error, "stored results cannot be read");
            AppError::Internal
        }),
        None => {
            let live = if row.live_tally_public && row.state() == ElectionState::Open {
                format!(" (its live tally is in /api/v1/elections/{id})")
            } else {
                String::new()
            };
            Err(AppError::Conflict(format!(
                "election #{id} is {}: results are published when it closes{live}",
                row.state().label().to_lowercase()
            )))
        }
    }
}
