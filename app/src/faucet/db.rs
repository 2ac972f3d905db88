//! Faucet rows as the web side reads them; the sender's writes live in the server crate.

use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub id: i64,
    pub network: String,
    pub address: String,
    /// Base units, as Postgres prints the numeric.
    pub amount: String,
    pub denom: String,
    pub status: String,
    pub tx_hash: Option<String>,
    pub height: Option<i64>,
    pub last_error: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct StatusRow {
    pub address: String,
    pub balance: Option<String>,
    pub checked_at: DateTime<Utc>,
    pub last_error: Option<String>,
}

pub async fn claim(pool: &PgPool, id: i64) -> Result<Option<ClaimRow>, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"SELECT id, network, address, amount::text AS "amount!", denom, status, tx_hash, height,
                  last_error, attempts, created_at, updated_at
           FROM faucet_claims WHERE id = $1"#,
        id
    )
    .fetch_optional(pool)
    .await
}

/// Pending claims of the network queued before `id`.
pub async fn queued_before(pool: &PgPool, network: &str, id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM faucet_claims WHERE network = $1 AND status = 'pending' AND id < $2"#,
        network,
        id
    )
    .fetch_one(pool)
    .await
}

/// Up to `limit` claims of the network numbered below `before` (`None`: from the newest),
/// newest first.
pub async fn claims_before(
    pool: &PgPool,
    network: &str,
    limit: i64,
    before: Option<i64>,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"SELECT id, network, address, amount::text AS "amount!", denom, status, tx_hash, height,
                  last_error, attempts, created_at, updated_at
           FROM faucet_claims WHERE network = $1 AND id < $3
           ORDER BY id DESC LIMIT $2"#,
        network,
        limit,
        before.unwrap_or(i64::MAX)
    )
    .fetch_all(pool)
    .await
}

pub async fn recent_paid(
    pool: &PgPool,
    network: &str,
    limit: i64,
) -> Result<Vec<ClaimRow>, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"SELECT id, network, address, amount::text AS "amount!", denom, status, tx_hash, height,
                  last_error, attempts, created_at, updated_at
           FROM faucet_claims WHERE network = $1 AND status = 'confirmed'
           ORDER BY updated_at DESC LIMIT $2"#,
        network,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Claims not yet paid: how many, and their sum in base units.
pub async fn open_claims(
    conn: &mut PgConnection,
    network: &str,
) -> Result<(i64, u128), sqlx::Error> {
    let row = sqlx::query!(
        r#"SELECT count(*) AS "n!", coalesce(sum(amount), 0)::text AS "total!"
           FROM faucet_claims WHERE network = $1 AND status IN ('pending', 'broadcast')"#,
        network
    )
    .fetch_one(conn)
    .await?;
    Ok((row.n, row.total.parse().unwrap_or(u128::MAX)))
}

pub async fn status(pool: &PgPool, network: &str) -> Result<Option<StatusRow>, sqlx::Error> {
    sqlx::query_as!(
        StatusRow,
        "SELECT address, balance::text, checked_at, last_error FROM faucet_status WHERE network = $1",
        network
    )
    .fetch_optional(pool)
    .await
}

/// The faucet's balance as last read from the chain, in base units.
pub async fn balance(conn: &mut PgConnection, network: &str) -> Result<Option<u128>, sqlx::Error> {
    Ok(sqlx::query_scalar!(
        "SELECT balance::text FROM faucet_status WHERE network = $1",
        network
    )
    .fetch_optional(conn)
    .await?
    .flatten()
    .and_then(|b| b.parse().ok()))
}

/// Marks a captcha challenge used; false when it already was.
pub async fn use_challenge(
    conn: &mut PgConnection,
    challenge: &str,
    expires_at: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO faucet_captcha_used (challenge, expires_at) VALUES ($1, $2)
         ON CONFLICT (challenge) DO NOTHING",
        challenge,
        expires_at
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Serialises claims that share a key (an address, an IP) until the transaction ends.
pub async fn lock_key(conn: &mut PgConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)
        .fetch_one(conn)
        .await?;
    Ok(())
}

pub async fn open_claim_of(
    conn: &mut PgConnection,
    network: &str,
    address: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT id FROM faucet_claims
         WHERE network = $1 AND address = $2 AND status IN ('pending', 'broadcast')",
        network,
        address
    )
    .fetch_optional(conn)
    .await
}

/// When the address's last paid claim within `since` was made.
pub async fn last_paid_since(
    conn: &mut PgConnection,
    network: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT max(created_at) AS "at" FROM faucet_claims
           WHERE network = $1 AND address = $2 AND status = 'confirmed' AND created_at > $3"#,
        network,
        address,
        since
    )
    .fetch_one(conn)
    .await
}

/// Times of the IP's claims since `since` that were not refused by the chain, oldest first.
pub async fn ip_claims_since(
    conn: &mut PgConnection,
    network: &str,
    ip: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT created_at FROM faucet_claims
         WHERE network = $1 AND ip = $2 AND status <> 'failed' AND created_at > $3
         ORDER BY created_at",
        network,
        ip,
        since
    )
    .fetch_all(conn)
    .await
}

pub struct NewClaim<'a> {
    pub network: &'a str,
    pub address: &'a str,
    /// Base units, as Postgres prints the numeric.
    pub amount: u128,
    pub denom: &'a str,
    pub ip: Option<&'a str>,
    pub source: &'a str,
}

pub async fn insert_claim(
    conn: &mut PgConnection,
    claim: NewClaim<'_>,
) -> Result<ClaimRow, sqlx::Error> {
    sqlx::query_as!(
        ClaimRow,
        r#"INSERT INTO faucet_claims (network, address, amount, denom, ip, source)
           VALUES ($1, $2, $3::text::numeric, $4, $5, $6)
           RETURNING id, network, address, amount::text AS "amount!", denom, status, tx_hash,
                     height, last_error, attempts, created_at, updated_at"#,
        claim.network,
        claim.address,
        claim.amount.to_string(),
        claim.denom,
        claim.ip,
        claim.source
    )
    .fetch_one(conn)
    .await
}
