//! A Postgres advisory lock held by one connection for as long as a singleton worker leads.
//! Closing the connection (or the process dying) releases it, so another replica takes over.

use sqlx::{pool::PoolConnection, Connection, PgConnection, PgPool, Postgres};

/// Lock namespace, so our keys never collide with other users of advisory locks.
const NAMESPACE: i32 = 0x5B0A; // "SB0A"

pub struct AdvisoryLock {
    name: String,
    conn: PgConnection,
}

impl AdvisoryLock {
    /// Takes the lock named `name` if no other session holds it.
    pub async fn try_acquire(pool: &PgPool, name: &str) -> Result<Option<Self>, sqlx::Error> {
        let mut conn: PoolConnection<Postgres> = pool.acquire().await?;
        let acquired = sqlx::query_scalar!(
            "SELECT pg_try_advisory_lock($1, hashtext($2))",
            NAMESPACE,
            name
        )
        .fetch_one(&mut *conn)
        .await?
        .unwrap_or(false);
        if !acquired {
            return Ok(None);
        }
        // Detached: the lock must never go back to the pool with the connection.
        Ok(Some(Self {
            name: name.to_string(),
            conn: conn.detach(),
        }))
    }

    /// Whether the session holding the lock is still alive.
    pub async fn is_held(&mut self) -> bool {
        self.conn.ping().await.is_ok()
    }

    pub async fn release(mut self) {
        let _ = sqlx::query!(
            "SELECT pg_advisory_unlock($1, hashtext($2))",
            NAMESPACE,
            self.name
        )
        .fetch_one(&mut self.conn)
        .await;
        let _ = self.conn.close().await;
    }
}
