//! Logging in: failed attempts are rows in Postgres, so limits hold across replicas and
//! restarts. An account with too many failures since its last success (or an IP with too many)
//! is locked until the oldest of those failures leaves the window; the refusal says when.
//! Wrong e-mail and wrong password get the same answer, and take as long. Each attempt holds
//! advisory locks on its IP and its e-mail from the count to the record, so parallel guesses
//! are counted one after another, and password checks run a few at a time (argon2 takes tens
//! of megabytes each).

use super::password;
use app::admin::{db, model::AdminIdentity};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use tokio::sync::Semaphore;

/// Password checks run at once, whatever the number of login requests.
const PARALLEL_CHECKS: usize = 4;

#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub window: Duration,
    /// Failed logins of one account within the window that lock it.
    pub per_account: usize,
    /// Failed logins from one IP within the window that lock it out.
    pub per_ip: usize,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            window: Duration::minutes(15),
            per_account: 5,
            per_ip: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginRefusal {
    #[error("wrong e-mail or password")]
    Wrong,
    #[error("too many failed logins for this account: try again after {} UTC", .0.format("%H:%M:%S"))]
    AccountLocked(DateTime<Utc>),
    #[error("too many failed logins from this address: try again after {} UTC", .0.format("%H:%M:%S"))]
    IpLocked(DateTime<Utc>),
    #[error("the login cannot be checked right now; try again in a moment")]
    Unavailable,
}

/// When the lock made by `failures` (newest first) lifts, if `max` of them fall in the window.
fn locked_until(failures: &[DateTime<Utc>], max: usize, window: Duration) -> Option<DateTime<Utc>> {
    failures
        .get(max.checked_sub(1)?)
        .map(|oldest_counted| *oldest_counted + window)
}

/// A logged-in admin and the seal its session keeps of the password (see [`db::seal_of`]).
pub struct LoggedIn {
    pub identity: AdminIdentity,
    pub seal: String,
}

/// Checks a login and records the attempt.
pub async fn attempt(
    pool: &PgPool,
    limits: LoginLimits,
    email: &str,
    password: &str,
    ip: &str,
) -> Result<LoggedIn, LoginRefusal> {
    static CHECKS: Semaphore = Semaphore::const_new(PARALLEL_CHECKS);
    let unavailable = |error: sqlx::Error| {
        tracing::warn!(%error, "cannot check a login");
        LoginRefusal::Unavailable
    };
    let mut tx = pool.begin().await.map_err(unavailable)?;
    // Always the IP first, then the e-mail: two attempts never wait for each other in turn.
    sqlx::query!(
        "SELECT pg_advisory_xact_lock(hashtext('admin-login-ip:' || $1)), pg_advisory_xact_lock(hashtext('admin-login-email:' || $2))",
        ip,
        email
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(unavailable)?;
    let since = Utc::now() - limits.window;
    let by_ip = db::failures(&mut *tx, None, Some(ip), since)
        .await
        .map_err(unavailable)?;
    if let Some(until) = locked_until(&by_ip, limits.per_ip, limits.window) {
        return Err(LoginRefusal::IpLocked(until));
    }
    let by_account = db::failures(&mut *tx, Some(email), None, since)
        .await
        .map_err(unavailable)?;
    if let Some(until) = locked_until(&by_account, limits.per_account, limits.window) {
        db::record_attempt(&mut tx, ip, email, false)
            .await
            .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        return Err(LoginRefusal::AccountLocked(until));
    }
    let account = db::login_of(&mut *tx, email).await.map_err(unavailable)?;
    let hash = account.as_ref().map_or_else(
        || password::unknown_account_hash().to_string(),
        |a| a.password_hash.clone(),
    );
    let matches = {
        let _permit = CHECKS
            .acquire()
            .await
            .map_err(|_| LoginRefusal::Unavailable)?;
        let (hash, password) = (hash.clone(), password.to_string());
        tokio::task::spawn_blocking(move || password::verify(&hash, &password))
            .await
            .unwrap_or(false)
    };
    let logged_in = account
        .filter(|a| matches && !a.disabled)
        .map(|a| LoggedIn {
            seal: db::seal_of(&a.password_hash),
            identity: AdminIdentity {
                id: a.id,
                email: a.email,
            },
        });
    db::record_attempt(&mut tx, ip, email, logged_in.is_some())
        .await
        .map_err(unavailable)?;
    tx.commit().await.map_err(unavailable)?;
    logged_in.ok_or(LoginRefusal::Wrong)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_lifts_when_the_oldest_counted_failure_leaves_the_window() {
        let t = |m: i64| DateTime::from_timestamp(1_700_000_000 + m * 60, 0).unwrap();
        let window = Duration::minutes(15);
        let failures = [t(10), t(9), t(8), t(7), t(6), t(1)];
        assert_eq!(locked_until(&failures, 5, window), Some(t(6) + window));
        assert_eq!(locked_until(&failures[..4], 5, window), None);
        assert_eq!(locked_until(&failures, 0, window), None);
    }
}
