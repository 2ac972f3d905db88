//! The sender's rows: taking a batch of pending claims, writing the signed transaction before it
//! is broadcast, and settling it (confirmed, or claims back in the queue).

use super::tx::{Payment, SignedTx};
use sqlx::{PgPool, Postgres, Transaction};

#[derive(Debug, Clone)]
pub struct QueuedClaim {
    pub id: i64,
    pub payment: Payment,
}

/// Pending claims locked for this sender until the batch is written or dropped.
pub struct Batch {
    tx: Transaction<'static, Postgres>,
    pub claims: Vec<QueuedClaim>,
}

pub async fn take_batch(pool: &PgPool, network: &str, limit: usize) -> Result<Batch, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rows = sqlx::query!(
        r#"SELECT id, address, amount::text AS "amount!" FROM faucet_claims
           WHERE network = $1 AND status = 'pending'
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED"#,
        network,
        limit as i64
    )
    .fetch_all(&mut *tx)
    .await?;
    let claims = rows
        .into_iter()
        .map(|r| QueuedClaim {
            id: r.id,
            payment: Payment {
                address: r.address,
                amount: r.amount.parse().unwrap_or(0),
            },
        })
        .collect();
    Ok(Batch { tx, claims })
}

/// What is written ahead of the broadcast.
pub struct SignedRecord<'a> {
    pub network: &'a str,
    pub signer: &'a str,
    pub sequence: u64,
    pub timeout_height: u64,
    pub fee: u128,
    pub signed: &'a SignedTx,
}

impl Batch {
    pub fn ids(&self) -> Vec<i64> {
        self.claims.iter().map(|c| c.id).collect()
    }

    /// Commits the transaction's hash, sequence and bytes with its claims marked as in it.
    pub async fn write_ahead(mut self, record: SignedRecord<'_>) -> Result<(), sqlx::Error> {
        let ids = self.ids();
        sqlx::query!(
            "INSERT INTO faucet_txs (hash, network, signer, sequence, timeout_height, tx_bytes, fee, recipients)
             VALUES ($1, $2, $3, $4, $5, $6, $7::text::numeric, $8)",
            record.signed.hash,
            record.network,
            record.signer,
            record.sequence as i64,
            record.timeout_height as i64,
            record.signed.bytes,
            record.fee.to_string(),
            ids.len() as i32
        )
        .execute(&mut *self.tx)
        .await?;
        sqlx::query!(
            "UPDATE faucet_claims SET status = 'broadcast', tx_hash = $1, updated_at = now()
             WHERE id = ANY($2)",
            record.signed.hash,
            &ids
        )
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await
    }

    /// Leaves the claims pending, counting a failed attempt; those out of attempts fail with
    /// `error` for everyone to see.
    pub async fn fail(mut self, error: &str, max_attempts: i32) -> Result<(), sqlx::Error> {
        let ids = self.ids();
        sqlx::query!(
            "UPDATE faucet_claims
             SET attempts = attempts + 1, last_error = $2, updated_at = now(),
                 status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END
             WHERE id = ANY($1)",
            &ids,
            error,
            max_attempts
        )
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await
    }
}

#[derive(Debug, Clone)]
pub struct OpenTx {
    pub hash: String,
    pub sequence: i64,
    pub timeout_height: i64,
    pub tx_bytes: Vec<u8>,
    pub state: String,
}

/// Transactions signed or broadcast and not yet settled, oldest first.
pub async fn open_txs(pool: &PgPool, network: &str) -> Result<Vec<OpenTx>, sqlx::Error> {
    sqlx::query_as!(
        OpenTx,
        "SELECT hash, sequence, timeout_height, tx_bytes, state FROM faucet_txs
         WHERE network = $1 AND state IN ('signed', 'broadcast') ORDER BY sequence, created_at",
        network
    )
    .fetch_all(pool)
    .await
}

pub async fn mark_broadcast(pool: &PgPool, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE faucet_txs SET state = 'broadcast' WHERE hash = $1 AND state = 'signed'",
        hash
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The transaction is in block `height`: its claims are paid. Returns how many.
pub async fn confirm(pool: &PgPool, hash: &str, height: u64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE faucet_txs SET state = 'included', height = $2, settled_at = now() WHERE hash = $1",
        hash,
        height as i64
    )
    .execute(&mut *tx)
    .await?;
    let paid = sqlx::query!(
        "UPDATE faucet_claims SET status = 'confirmed', height = $2, last_error = NULL, updated_at = now()
         WHERE tx_hash = $1 AND status = 'broadcast'",
        hash,
        height as i64
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(paid)
}

/// The transaction will never be included (`expired`) or the chain refused it (`rejected`):
/// its claims go back to the queue. `counts` says whether that costs them an attempt.
pub async fn release(
    pool: &PgPool,
    hash: &str,
    state: &str,
    error: &str,
    counts: bool,
    max_attempts: i32,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE faucet_txs SET state = $2, error = $3, settled_at = now() WHERE hash = $1",
        hash,
        state,
        error
    )
    .execute(&mut *tx)
    .await?;
    let step = i32::from(counts);
    sqlx::query!(
        "UPDATE faucet_claims
         SET attempts = attempts + $2, last_error = $3, updated_at = now(),
             status = CASE WHEN attempts + $2 >= $4 THEN 'failed' ELSE 'pending' END,
             tx_hash = CASE WHEN attempts + $2 >= $4 THEN tx_hash ELSE NULL END
         WHERE tx_hash = $1 AND status = 'broadcast'",
        hash,
        step,
        error,
        max_attempts
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

pub struct StatusUpdate<'a> {
    pub network: &'a str,
    pub address: &'a str,
    pub balance: Option<u128>,
    pub sequence: Option<u64>,
    pub height: Option<u64>,
    pub error: Option<&'a str>,
}

/// Records what the sender last read; a failed read keeps the last known balance.
pub async fn record_status(pool: &PgPool, s: StatusUpdate<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO faucet_status (network, address, balance, sequence, height, checked_at, last_error)
         VALUES ($1, $2, $3::text::numeric, $4, $5, now(), $6)
         ON CONFLICT (network) DO UPDATE SET
             address = EXCLUDED.address,
             balance = coalesce(EXCLUDED.balance, faucet_status.balance),
             sequence = coalesce(EXCLUDED.sequence, faucet_status.sequence),
             height = coalesce(EXCLUDED.height, faucet_status.height),
             checked_at = now(),
             last_error = EXCLUDED.last_error",
        s.network,
        s.address,
        s.balance.map(|b| b.to_string()),
        s.sequence.map(|q| q as i64),
        s.height.map(|h| h as i64),
        s.error
    )
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn prune_captcha(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM faucet_captcha_used WHERE expires_at < now()")
        .execute(pool)
        .await?;
    Ok(())
}

/// The captcha key every replica shares, created on first use.
pub async fn captcha_key(pool: &PgPool) -> Result<Vec<u8>, sqlx::Error> {
    let fresh: [u8; 32] = rand::random();
    sqlx::query!(
        "INSERT INTO server_secrets (name, value) VALUES ('faucet_captcha_hmac', $1)
         ON CONFLICT (name) DO NOTHING",
        &fresh[..]
    )
    .execute(pool)
    .await?;
    sqlx::query_scalar!("SELECT value FROM server_secrets WHERE name = 'faucet_captcha_hmac'")
        .fetch_one(pool)
        .await
}
