//! Writes one collection in a single transaction: the validators upserted, a history row for
//! each validator whose tracked fields changed, validators gone from the chain marked removed,
//! and the network's figures.

use super::derive::{NetworkFigures, ValidatorRecord};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub struct Stored {
    pub history_rows: u64,
    pub removed: u64,
}

pub async fn store(
    pool: &PgPool,
    network: &str,
    collected_at: DateTime<Utc>,
    records: &[ValidatorRecord],
    figures: &NetworkFigures,
    archive_key: &str,
) -> Result<Stored, sqlx::Error> {
    let col = Columns::of(records);
    let mut tx = pool.begin().await?;
    sqlx::query!(
        r#"
        INSERT INTO validators (
            network, operator_address, account_address, consensus_address, consensus_pubkey,
            moniker, identity, website, security_contact, details,
            status, bond_status, jailed, tombstoned, tokens, delegator_shares,
            commission_rate, commission_max_rate, commission_max_change_rate, commission_updated_at,
            min_self_delegation, rank, voting_power_share, cumulative_share,
            missed_blocks, uptime, jailed_until, unbonding_height, unbonding_time,
            first_seen_at, last_seen_at, removed_at, consensus_key_type)
        SELECT $1, t.operator_address, t.account_address, t.consensus_address, t.consensus_pubkey,
               t.moniker, t.identity, t.website, t.security_contact, t.details,
               t.status, t.bond_status, t.jailed, t.tombstoned, t.tokens::numeric, t.delegator_shares::numeric,
               t.commission_rate::numeric, t.commission_max_rate::numeric, t.commission_max_change_rate::numeric,
               t.commission_updated_at, t.min_self_delegation::numeric, t.rank, t.voting_power_share,
               t.cumulative_share, t.missed_blocks, t.uptime, t.jailed_until, t.unbonding_height,
               t.unbonding_time, $29, $29, NULL, t.consensus_key_type
        FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                    $9::text[], $10::text[], $11::text[], $12::text[], $13::bool[], $14::bool[], $15::text[],
                    $16::text[], $17::text[], $18::text[], $19::text[], $20::timestamptz[], $21::text[],
                    $22::int4[], $23::float8[], $24::float8[], $25::int8[], $26::float8[],
                    $27::timestamptz[], $28::int8[], $30::timestamptz[], $31::text[])
          AS t(operator_address, account_address, consensus_address, consensus_pubkey, moniker, identity,
               website, security_contact, details, status, bond_status, jailed, tombstoned, tokens,
               delegator_shares, commission_rate, commission_max_rate, commission_max_change_rate,
               commission_updated_at, min_self_delegation, rank, voting_power_share, cumulative_share,
               missed_blocks, uptime, jailed_until, unbonding_height, unbonding_time, consensus_key_type)
        ON CONFLICT (network, operator_address) DO UPDATE SET
            account_address = EXCLUDED.account_address,
            consensus_address = EXCLUDED.consensus_address,
            consensus_pubkey = EXCLUDED.consensus_pubkey,
            consensus_key_type = EXCLUDED.consensus_key_type,
            moniker = EXCLUDED.moniker,
            identity = EXCLUDED.identity,
            website = EXCLUDED.website,
            security_contact = EXCLUDED.security_contact,
            details = EXCLUDED.details,
            status = EXCLUDED.status,
            bond_status = EXCLUDED.bond_status,
            jailed = EXCLUDED.jailed,
            tombstoned = EXCLUDED.tombstoned,
            tokens = EXCLUDED.tokens,
            delegator_shares = EXCLUDED.delegator_shares,
            commission_rate = EXCLUDED.commission_rate,
            commission_max_rate = EXCLUDED.commission_max_rate,
            commission_max_change_rate = EXCLUDED.commission_max_change_rate,
            commission_updated_at = EXCLUDED.commission_updated_at,
            min_self_delegation = EXCLUDED.min_self_delegation,
            rank = EXCLUDED.rank,
            voting_power_share = EXCLUDED.voting_power_share,
            cumulative_share = EXCLUDED.cumulative_share,
            missed_blocks = EXCLUDED.missed_blocks,
            uptime = EXCLUDED.uptime,
            jailed_until = EXCLUDED.jailed_until,
            unbonding_height = EXCLUDED.unbonding_height,
            unbonding_time = EXCLUDED.unbonding_time,
            last_seen_at = EXCLUDED.last_seen_at,
            removed_at = NULL
        "#,
        network,
        &col.operator_address,
        &col.account_address,
        &col.consensus_address as &[Option<String>],
        &col.consensus_pubkey as &[Option<String>],
        &col.moniker,
        &col.identity,
        &col.website,
        &col.security_contact,
        &col.details,
        &col.status,
        &col.bond_status,
        &col.jailed,
        &col.tombstoned,
        &col.tokens,
        &col.delegator_shares,
        &col.commission_rate,
        &col.commission_max_rate,
        &col.commission_max_change_rate,
        &col.commission_updated_at as &[Option<DateTime<Utc>>],
        &col.min_self_delegation as &[Option<String>],
        &col.rank,
        &col.voting_power_share as &[Option<f64>],
        &col.cumulative_share as &[Option<f64>],
        &col.missed_blocks as &[Option<i64>],
        &col.uptime as &[Option<f64>],
        &col.jailed_until as &[Option<DateTime<Utc>>],
        &col.unbonding_height as &[Option<i64>],
        collected_at,
        &col.unbonding_time as &[Option<DateTime<Utc>>],
        &col.consensus_key_type as &[Option<String>],
    )
    .execute(&mut *tx)
    .await?;

    // History: compare with each validator's last history row, not with the row just written.
    let history = sqlx::query!(
        r#"
        INSERT INTO validator_history (network, operator_address, recorded_at, tokens, status, jailed, commission_rate, missed_blocks)
        SELECT v.network, v.operator_address, $2, v.tokens, v.status, v.jailed, v.commission_rate, v.missed_blocks
        FROM validators v
        LEFT JOIN LATERAL (
            SELECT h.tokens, h.status, h.jailed, h.commission_rate, h.missed_blocks
            FROM validator_history h
            WHERE h.network = v.network AND h.operator_address = v.operator_address
            ORDER BY h.recorded_at DESC
            LIMIT 1
        ) last ON TRUE
        WHERE v.network = $1 AND v.last_seen_at = $2
          AND (last.tokens IS NULL
               OR (last.tokens, last.status, last.jailed, last.commission_rate, last.missed_blocks)
                  IS DISTINCT FROM (v.tokens, v.status, v.jailed, v.commission_rate, v.missed_blocks))
        "#,
        network,
        collected_at,
    )
    .execute(&mut *tx)
    .await?;

    let removed = sqlx::query!(
        "UPDATE validators SET removed_at = $2 WHERE network = $1 AND removed_at IS NULL AND last_seen_at < $2",
        network,
        collected_at,
    )
    .execute(&mut *tx)
    .await?;

    sqlx::query!(
        r#"
        INSERT INTO network_status (network, collected_at, chain_id, latest_height, latest_block_time,
            bonded_tokens, not_bonded_tokens, total_supply, signed_blocks_window,
            validators_total, validators_active, node_version, sdk_version, archive_key)
        VALUES ($1, $2, $3, $4, $5, $6::text::numeric, $7::text::numeric, $8::text::numeric, $9, $10, $11, $12, $13, $14)
        ON CONFLICT (network) DO UPDATE SET
            collected_at = EXCLUDED.collected_at, chain_id = EXCLUDED.chain_id,
            latest_height = EXCLUDED.latest_height, latest_block_time = EXCLUDED.latest_block_time,
            bonded_tokens = EXCLUDED.bonded_tokens, not_bonded_tokens = EXCLUDED.not_bonded_tokens,
            total_supply = EXCLUDED.total_supply, signed_blocks_window = EXCLUDED.signed_blocks_window,
            validators_total = EXCLUDED.validators_total, validators_active = EXCLUDED.validators_active,
            node_version = EXCLUDED.node_version, sdk_version = EXCLUDED.sdk_version,
            archive_key = EXCLUDED.archive_key
        "#,
        network,
        collected_at,
        figures.chain_id,
        figures.latest_height,
        figures.latest_block_time,
        figures.bonded_tokens.to_string(),
        figures.not_bonded_tokens.to_string(),
        figures.total_supply.map(|s| s.to_string()),
        figures.signed_blocks_window,
        figures.validators_total,
        figures.validators_active,
        figures.node_version,
        figures.sdk_version,
        archive_key,
    )
    .execute(&mut *tx)
    .await?;

    tx.commit().await?;
    Ok(Stored {
        history_rows: history.rows_affected(),
        removed: removed.rows_affected(),
    })
}

/// The records turned inside out: one array per column, for `UNNEST`.
#[derive(Default)]
struct Columns {
    operator_address: Vec<String>,
    account_address: Vec<String>,
    consensus_address: Vec<Option<String>>,
    consensus_pubkey: Vec<Option<String>>,
    consensus_key_type: Vec<Option<String>>,
    moniker: Vec<String>,
    identity: Vec<String>,
    website: Vec<String>,
    security_contact: Vec<String>,
    details: Vec<String>,
    status: Vec<String>,
    bond_status: Vec<String>,
    jailed: Vec<bool>,
    tombstoned: Vec<bool>,
    tokens: Vec<String>,
    delegator_shares: Vec<String>,
    commission_rate: Vec<String>,
    commission_max_rate: Vec<String>,
    commission_max_change_rate: Vec<String>,
    commission_updated_at: Vec<Option<DateTime<Utc>>>,
    min_self_delegation: Vec<Option<String>>,
    rank: Vec<i32>,
    voting_power_share: Vec<Option<f64>>,
    cumulative_share: Vec<Option<f64>>,
    missed_blocks: Vec<Option<i64>>,
    uptime: Vec<Option<f64>>,
    jailed_until: Vec<Option<DateTime<Utc>>>,
    unbonding_height: Vec<Option<i64>>,
    unbonding_time: Vec<Option<DateTime<Utc>>>,
}

impl Columns {
    fn of(records: &[ValidatorRecord]) -> Self {
        let mut c = Columns::default();
        for r in records {
            c.operator_address.push(r.operator_address.clone());
            c.account_address.push(r.account_address.clone());
            c.consensus_address.push(r.consensus_address.clone());
            c.consensus_pubkey.push(r.consensus_pubkey.clone());
            c.consensus_key_type.push(r.consensus_key_type.clone());
            c.moniker.push(r.moniker.clone());
            c.identity.push(r.identity.clone());
            c.website.push(r.website.clone());
            c.security_contact.push(r.security_contact.clone());
            c.details.push(r.details.clone());
            c.status.push(r.status.to_string());
            c.bond_status.push(r.bond_status.clone());
            c.jailed.push(r.jailed);
            c.tombstoned.push(r.tombstoned);
            c.tokens.push(r.tokens.to_string());
            c.delegator_shares.push(r.delegator_shares.clone());
            c.commission_rate.push(r.commission_rate.clone());
            c.commission_max_rate.push(r.commission_max_rate.clone());
            c.commission_max_change_rate
                .push(r.commission_max_change_rate.clone());
            c.commission_updated_at.push(r.commission_updated_at);
            c.min_self_delegation.push(r.min_self_delegation.clone());
            c.rank.push(r.rank);
            c.voting_power_share.push(r.voting_power_share);
            c.cumulative_share.push(r.cumulative_share);
            c.missed_blocks.push(r.missed_blocks);
            c.uptime.push(r.uptime);
            c.jailed_until.push(r.jailed_until);
            c.unbonding_height.push(r.unbonding_height);
            c.unbonding_time.push(r.unbonding_time);
        }
        c
    }
}
