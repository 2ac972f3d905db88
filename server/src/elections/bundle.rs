//! A closed election as one file anyone can recount: a gzipped tar of `election.json` (its
//! number, network, times and state), `plan.json` (the plan, byte for byte as hashed),
//! `snapshot.csv`, `ballots.jsonl` (every ballot in ledger order, each with its hash, chain
//! hash, position and time received), `results.json` and `roots.json`.

use super::{snapshot, tally::Holding};
use app::{elections::model::ElectionResults, error::AppError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sqlx::PgPool;
use std::{collections::BTreeMap, io::Read};

/// `election.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElectionFacts {
    pub id: i64,
    pub network: String,
    pub title: String,
    pub state: String,
    pub voting_start: DateTime<Utc>,
    pub voting_end: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// `roots.json`: what the results page publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roots {
    pub plan_hash: String,
    pub snapshot_root: String,
    pub ballots: i64,
    /// The ledger's chain hash after the last ballot (the plan hash when there is none).
    pub chain_head: String,
    pub ballots_root: String,
}

/// One line of `ballots.jsonl`.
#[derive(Debug, Serialize, Deserialize)]
pub struct LedgerLine<'a> {
    #[serde(borrow)]
    pub ballot: &'a RawValue,
    pub ballot_hash: String,
    pub chain_hash: String,
    pub position: i64,
    pub received_at: DateTime<Utc>,
}

/// The files of a bundle.
pub struct Bundle {
    pub files: BTreeMap<String, Vec<u8>>,
}

pub const FILES: [&str; 6] = [
    "election.json",
    "plan.json",
    "snapshot.csv",
    "ballots.jsonl",
    "results.json",
    "roots.json",
];

impl Bundle {
    pub fn file(&self, name: &str) -> Result<&[u8], String> {
        self.files
            .get(name)
            .map(Vec::as_slice)
            .ok_or_else(|| format!("the bundle has no {name}"))
    }

    pub fn text(&self, name: &str) -> Result<&str, String> {
        std::str::from_utf8(self.file(name)?).map_err(|_| format!("{name} is not UTF-8"))
    }

    /// Reads a gzipped tar as [`build`] writes it.
    pub fn read(bytes: &[u8]) -> Result<Self, String> {
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
        let mut files = BTreeMap::new();
        let entries = archive
            .entries()
            .map_err(|e| format!("not a gzipped tar: {e}"))?;
        for entry in entries {
            let mut entry =
                entry.map_err(|e| format!("a file of the bundle cannot be read: {e}"))?;
            let name = entry
                .path()
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .trim_start_matches("./")
                .to_string();
            let mut data = Vec::new();
            entry
                .read_to_end(&mut data)
                .map_err(|e| format!("{name} cannot be read: {e}"))?;
            files.insert(name, data);
        }
        Ok(Self { files })
    }

    /// Writes the files as a gzipped tar.
    pub fn write(&self) -> std::io::Result<Vec<u8>> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
        let mut tar = tar::Builder::new(gz);
        for (name, data) in &self.files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_cksum();
            tar.append_data(&mut header, name, data.as_slice())?;
        }
        tar.into_inner()?.finish()
    }
}

/// The snapshot rows of an election, in the snapshot's order.
pub async fn holdings(pool: &PgPool, id: i64) -> Result<Vec<Holding>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"SELECT address, delegate, power::text AS "power!" FROM election_snapshot WHERE election_id = $1"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let mut holdings: Vec<Holding> = rows
        .into_iter()
        .map(|r| Holding {
            address: r.address,
            delegate: (!r.delegate.is_empty()).then_some(r.delegate),
            power: r.power.parse().unwrap_or(0),
        })
        .collect();
    snapshot::sort(&mut holdings);
    Ok(holdings)
}

/// The files of a counted election, from its rows.
pub async fn files(pool: &PgPool, id: i64) -> Result<Bundle, AppError> {
    let row = sqlx::query!(
        r#"SELECT e.id, e.network, e.title, e.state, e.voting_start, e.voting_end, e.closed_at, e.block0,
                  e.block0_hash, e.snapshot_root, e.ballots_count, e.ballots_head, e.results, e.ballots_root
           FROM elections e WHERE e.id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("No election #{id} here.")))?;
    let (Some(plan), Some(plan_hash), Some(snapshot_root), Some(results), Some(ballots_root)) = (
        row.block0,
        row.block0_hash,
        row.snapshot_root,
        row.results,
        row.ballots_root,
    ) else {
        return Err(AppError::Conflict(format!(
            "election #{id} is {}: its bundle is published once it is counted",
            row.state
        )));
    };
    let facts = ElectionFacts {
        id,
        network: row.network,
        title: row.title,
        state: row.state,
        voting_start: row.voting_start,
        voting_end: row.voting_end,
        closed_at: row.closed_at,
    };
    let holdings = holdings(pool, id).await?;
    let ballots = sqlx::query!(
        "SELECT position, ballot, ballot_hash, chain_hash, received_at FROM election_ballots
         WHERE election_id = $1 ORDER BY position",
        id
    )
    .fetch_all(pool)
    .await?;
    let mut jsonl = String::with_capacity(ballots.len() * 700);
    for b in &ballots {
        let raw = RawValue::from_string(b.ballot.clone()).map_err(|_| AppError::Internal)?;
        let line = LedgerLine {
            ballot: &raw,
            ballot_hash: b.ballot_hash.clone(),
            chain_hash: b.chain_hash.clone(),
            position: b.position,
            received_at: b.received_at,
        };
        jsonl.push_str(&serde_json::to_string(&line).map_err(|_| AppError::Internal)?);
        jsonl.push('\n');
    }
    let roots = Roots {
        chain_head: row.ballots_head.unwrap_or_else(|| plan_hash.clone()),
        plan_hash,
        snapshot_root,
        ballots: row.ballots_count,
        ballots_root,
    };
    let results = serde_json::from_value::<ElectionResults>(results).map_err(|error| {
        tracing::error!(election = id, %error, "stored results cannot be read");
        AppError::Internal
    })?;
    let pretty = |json: Result<Vec<u8>, serde_json::Error>| json.map_err(|_| AppError::Internal);
    let mut files = BTreeMap::new();
    files.insert(
        "election.json".into(),
        pretty(serde_json::to_vec_pretty(&facts))?,
    );
    files.insert("plan.json".into(), plan.into_bytes());
    files.insert(
        "snapshot.csv".into(),
        snapshot::to_csv(&holdings).into_bytes(),
    );
    files.insert("ballots.jsonl".into(), jsonl.into_bytes());
    files.insert(
        "results.json".into(),
        pretty(serde_json::to_vec_pretty(&results))?,
    );
    files.insert(
        "roots.json".into(),
        pretty(serde_json::to_vec_pretty(&roots))?,
    );
    Ok(Bundle { files })
}

/// The bundle of a counted election, gzipped.
pub async fn build(pool: &PgPool, id: i64) -> Result<Vec<u8>, AppError> {
    let bundle = files(pool, id).await?;
    tokio::task::spawn_blocking(move || bundle.write())
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|error| {
            tracing::error!(election = id, %error, "cannot write a bundle");
            AppError::Internal
        })
}
