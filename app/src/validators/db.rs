//! Queries over `validators` and `validator_history`.

use super::model::{HistoryPoint, ValidatorDetail, ValidatorStatus, ValidatorSummary};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The validators a network lists now (not those it dropped).
pub async fn current(pool: &PgPool, network: &str) -> Result<Vec<ValidatorSummary>, sqlx::Error> {
    sqlx::query_as!(
        ValidatorSummary,
        r#"WITH recent AS (
               SELECT id FROM proposals WHERE network = $1 AND ended_seen_at IS NOT NULL
               ORDER BY voting_end_time DESC NULLS LAST, id DESC LIMIT 10
           ), participation AS (
               SELECT s.operator_address, count(vo.voter) AS voted, count(*) AS eligible
               FROM proposal_snapshots s
               JOIN recent r ON r.id = s.proposal_id
               -- one primary-key lookup a snapshot row, whatever the statistics (governance::db)
               LEFT JOIN LATERAL (
                   SELECT voter FROM votes
                   WHERE network = s.network AND proposal_id = s.proposal_id AND voter = s.account_address LIMIT 1
               ) vo ON TRUE
               WHERE s.network = $1
               GROUP BY s.operator_address
           )
           SELECT v.operator_address, v.account_address, v.consensus_address, v.moniker,
                  v.status AS "status: ValidatorStatus", v.rank,
                  v.tokens::text AS "tokens!", v.voting_power_share, v.cumulative_share,
                  v.commission_rate::float8 AS "commission_rate!", v.uptime, v.missed_blocks,
                  p.voted AS "participation_voted?", p.eligible AS "participation_eligible?"
           FROM validators v
           LEFT JOIN participation p ON p.operator_address = v.operator_address
           WHERE v.network = $1 AND v.removed_at IS NULL
           ORDER BY v.rank"#,
        network
    )
    .fetch_all(pool)
    .await
}

/// The account address of the validator `operator` lists on `network`; `None` when it lists none.
pub async fn account_of(
    pool: &PgPool,
    network: &str,
    operator: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT account_address FROM validators WHERE network = $1 AND operator_address = $2",
        network,
        operator
    )
    .fetch_optional(pool)
    .await
}

pub async fn detail(
    pool: &PgPool,
    network: &str,
    operator: &str,
) -> Result<Option<ValidatorDetail>, sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT operator_address, account_address, consensus_address, consensus_pubkey,
                  consensus_key_type, moniker,
                  identity, website, security_contact, details, status AS "status: ValidatorStatus",
                  bond_status, jailed, tombstoned,
                  rank, tokens::text AS "tokens!", delegator_shares::text AS "delegator_shares!",
                  voting_power_share, cumulative_share,
                  commission_rate::float8 AS "commission_rate!",
                  commission_max_rate::float8 AS "commission_max_rate!",
                  commission_max_change_rate::float8 AS "commission_max_change_rate!",
                  commission_updated_at, min_self_delegation::text AS min_self_delegation,
                  uptime, missed_blocks, jailed_until, unbonding_height, unbonding_time,
                  first_seen_at, last_seen_at, removed_at
           FROM validators WHERE network = $1 AND operator_address = $2"#,
        network,
        operator
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| ValidatorDetail {
        summary: ValidatorSummary {
            operator_address: r.operator_address,
            account_address: r.account_address,
            consensus_address: r.consensus_address,
            moniker: r.moniker,
            status: r.status,
            rank: r.rank,
            tokens: r.tokens,
            voting_power_share: r.voting_power_share,
            cumulative_share: r.cumulative_share,
            commission_rate: r.commission_rate,
            uptime: r.uptime,
            missed_blocks: r.missed_blocks,
            participation_voted: None,
            participation_eligible: None,
        },
        consensus_pubkey: r.consensus_pubkey,
        consensus_key_type: r.consensus_key_type,
        identity: r.identity,
        website: r.website,
        security_contact: r.security_contact,
        details: r.details,
        bond_status: r.bond_status,
        jailed: r.jailed,
        tombstoned: r.tombstoned,
        delegator_shares: r.delegator_shares,
        commission_max_rate: r.commission_max_rate,
        commission_max_change_rate: r.commission_max_change_rate,
        commission_updated_at: r.commission_updated_at,
        min_self_delegation: r.min_self_delegation,
        jailed_until: r.jailed_until,
        unbonding_height: r.unbonding_height,
        unbonding_time: r.unbonding_time,
        first_seen_at: r.first_seen_at,
        last_seen_at: r.last_seen_at,
        removed_at: r.removed_at,
    }))
}

/// Up to `limit` recorded changes recorded before `before` (`None`: from the newest), newest
/// first: a range of the primary key (network, operator, time), as fast deep in a year of
/// five-minute collections as at its start.
pub async fn history_page(
    pool: &PgPool,
    network: &str,
    operator: &str,
    limit: i64,
    before: Option<DateTime<Utc>>,
) -> Result<Vec<HistoryPoint>, sqlx::Error> {
    // Past every record: the year 9999.
    let before = before.unwrap_or(DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default());
    sqlx::query_as!(
        HistoryPoint,
        r#"SELECT recorded_at, tokens::text AS "tokens!", status, jailed,
                  commission_rate::float8 AS "commission_rate!", missed_blocks
           FROM validator_history
           WHERE network = $1 AND operator_address = $2 AND recorded_at < $4
           ORDER BY recorded_at DESC
           LIMIT $3"#,
        network,
        operator,
        limit,
        before
    )
    .fetch_all(pool)
    .await
}

/// The chart's series since `since`, oldest first: that time (from the first record on)
/// cut into `points` equal slices, and the last change of each slice. One index probe per
/// slice, so a year of records costs what a day does.
pub async fn history_series(
    pool: &PgPool,
    network: &str,
    operator: &str,
    since: DateTime<Utc>,
    points: i64,
) -> Result<Vec<HistoryPoint>, sqlx::Error> {
    sqlx::query_as!(
        HistoryPoint,
        r#"WITH span AS (
               SELECT min(recorded_at) AS first, max(recorded_at) AS last FROM validator_history
               WHERE network = $1 AND operator_address = $2 AND recorded_at >= $3
           ), slices AS (
               -- The last slice ends just after the last record, so each bound is an index range.
               SELECT first + (last - first) * i / $4 AS start,
                      CASE WHEN i = $4 - 1 THEN last + interval '1 microsecond'
                           ELSE first + (last - first) * (i + 1) / $4 END AS stop
               FROM span, generate_series(0, $4::bigint - 1) AS i
               WHERE first IS NOT NULL
           )
           SELECT h.recorded_at AS "recorded_at!", h.tokens AS "tokens!", h.status AS "status!",
                  h.jailed AS "jailed!", h.commission_rate AS "commission_rate!", h.missed_blocks
           FROM slices s
           CROSS JOIN LATERAL (
               SELECT recorded_at, tokens::text AS tokens, status, jailed,
                      commission_rate::float8 AS commission_rate, missed_blocks
               FROM validator_history
               WHERE network = $1 AND operator_address = $2
                 AND recorded_at >= s.start AND recorded_at < s.stop
               ORDER BY recorded_at DESC
               LIMIT 1
           ) h
           ORDER BY h.recorded_at"#,
        network,
        operator,
        since,
        points
    )
    .fetch_all(pool)
    .await
}

/// The followed networks that list this operator address, in the networks file's order.
pub async fn networks_of_operator(
    pool: &PgPool,
    operator: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT v.network FROM validators v JOIN networks n ON n.slug = v.network
           WHERE v.operator_address = $1 AND n.followed
           ORDER BY n.position, n.slug"#,
        operator
    )
    .fetch_all(pool)
    .await
}
