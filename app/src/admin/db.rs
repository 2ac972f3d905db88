//! Queries over admin accounts, login attempts and the audit.

use super::model::{AdminIdentity, AuditEntry};
use chrono::{DateTime, Utc};
use sqlx::{PgExecutor, PgPool};

/// An account as the login form checks it.
pub struct AdminLogin {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub disabled: bool,
}

/// An account as `stakeboard admin list` shows it.
pub struct AdminAccount {
    pub email: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

pub async fn login_of(
    executor: impl PgExecutor<'_>,
    email: &str,
) -> Result<Option<AdminLogin>, sqlx::Error> {
    sqlx::query_as!(
        AdminLogin,
        r#"SELECT id, email, password_hash, (disabled_at IS NOT NULL) AS "disabled!"
           FROM admins WHERE email = $1"#,
        email
    )
    .fetch_optional(executor)
    .await
}

/// The seal a session keeps of the password it was opened with: hex SHA-256 of the account's
/// password hash. A new password (or an account made again) breaks every older session.
pub fn seal_of(password_hash: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(password_hash.as_bytes()))
}

/// The enabled admin with this id, if its password is still the one `seal` was made from.
pub async fn identity(
    pool: &PgPool,
    id: i64,
    seal: &str,
) -> Result<Option<AdminIdentity>, sqlx::Error> {
    let row = sqlx::query!(
        "SELECT id, email, password_hash FROM admins WHERE id = $1 AND disabled_at IS NULL",
        id
    )
    .fetch_optional(pool)
    .await?;
    Ok(row
        .filter(|r| seal_of(&r.password_hash) == seal)
        .map(|r| AdminIdentity {
            id: r.id,
            email: r.email,
        }))
}

/// Creates an account, or sets a new password on an existing one (enabling it again); returns
/// its id and whether it existed.
pub async fn upsert(
    executor: impl PgExecutor<'_>,
    email: &str,
    password_hash: &str,
) -> Result<(i64, bool), sqlx::Error> {
    let row = sqlx::query!(
        r#"INSERT INTO admins (email, password_hash) VALUES ($1, $2)
           ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, disabled_at = NULL
           RETURNING id, (xmax::text <> '0') AS "existed!""#,
        email,
        password_hash
    )
    .fetch_one(executor)
    .await?;
    Ok((row.id, row.existed))
}

pub async fn accounts(pool: &PgPool) -> Result<Vec<AdminAccount>, sqlx::Error> {
    sqlx::query_as!(
        AdminAccount,
        "SELECT email, created_at, disabled_at, last_login_at FROM admins ORDER BY email"
    )
    .fetch_all(pool)
    .await
}

/// Disables an account; returns whether it was enabled. Its sessions stop working at once
/// (the guard checks the account on every request).
pub async fn disable(executor: impl PgExecutor<'_>, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "UPDATE admins SET disabled_at = now() WHERE email = $1 AND disabled_at IS NULL",
        email
    )
    .execute(executor)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_attempt(
    executor: &mut sqlx::PgConnection,
    ip: &str,
    email: &str,
    succeeded: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO admin_login_attempts (ip, email, succeeded) VALUES ($1, $2, $3)",
        ip,
        email,
        succeeded
    )
    .execute(&mut *executor)
    .await?;
    if succeeded {
        sqlx::query!(
            "UPDATE admins SET last_login_at = now() WHERE email = $1",
            email
        )
        .execute(&mut *executor)
        .await?;
    }
    Ok(())
}

/// The times of the failed logins since `since` (and since the last success) for an account
/// (`by_email`) or from an IP, newest first.
pub async fn failures(
    executor: impl PgExecutor<'_>,
    email: Option<&str>,
    ip: Option<&str>,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT a.at FROM admin_login_attempts a
           WHERE NOT a.succeeded AND a.at > $3
             AND ($1::text IS NULL OR a.email = $1) AND ($2::text IS NULL OR a.ip = $2)
             AND a.at > COALESCE((SELECT max(s.at) FROM admin_login_attempts s
                                  WHERE s.succeeded AND ($1::text IS NULL OR s.email = $1)
                                    AND ($2::text IS NULL OR s.ip = $2)), '-infinity')
           ORDER BY a.at DESC
           LIMIT 100"#,
        email,
        ip,
        since
    )
    .fetch_all(executor)
    .await
}

/// One audit row.
pub struct Audit<'a> {
    pub admin: Option<&'a AdminIdentity>,
    pub action: &'a str,
    pub target: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub ip: Option<&'a str>,
}

/// Writes an audit row (in the transaction of the change it records).
pub async fn audit(executor: impl PgExecutor<'_>, entry: Audit<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO admin_audit (admin_id, actor, action, target, before, after, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        entry.admin.map(|a| a.id),
        entry.admin.map_or("command line", |a| a.email.as_str()),
        entry.action,
        entry.target,
        entry.before,
        entry.after,
        entry.ip,
    )
    .execute(executor)
    .await?;
    Ok(())
}

/// Up to `limit` audit rows older than row `before` (`None`: the newest), newest first.
pub async fn audit_page(
    pool: &PgPool,
    limit: i64,
    before: Option<i64>,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as!(
        AuditEntry,
        r#"SELECT id, at, actor, action, target, before::text AS before, after::text AS after, ip
           FROM admin_audit WHERE $2::bigint IS NULL OR id < $2
           ORDER BY id DESC LIMIT $1"#,
        limit,
        before
    )
    .fetch_all(pool)
    .await
}
