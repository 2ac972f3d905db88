//! The session store of `tower-sessions`, on the `admin_sessions` table, written with sqlx and
//! chrono like the rest of Stakeboard (the sqlx store crate turns on sqlx's `time` feature,
//! which would change the types of every checked query). A record is kept as JSON with its
//! expiry; expired rows are never read and are deleted at each login.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tower_sessions::{
    session::{Id, Record},
    session_store::{self, SessionStore},
};

#[derive(Debug, Clone)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        Ok(
            sqlx::query!("DELETE FROM admin_sessions WHERE expiry_date < now()")
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn parts(record: &Record) -> session_store::Result<(String, Vec<u8>, DateTime<Utc>)> {
    let expiry = DateTime::from_timestamp(
        record.expiry_date.unix_timestamp(),
        record.expiry_date.nanosecond(),
    )
    .ok_or_else(|| session_store::Error::Encode("expiry out of range".into()))?;
    let data =
        serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    Ok((record.id.to_string(), data, expiry))
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let (id, data, expiry) = parts(record)?;
            let inserted = sqlx::query!(
                "INSERT INTO admin_sessions (id, data, expiry_date) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
                id,
                data,
                expiry
            )
            .execute(&self.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (id, data, expiry) = parts(record)?;
        sqlx::query!(
            "INSERT INTO admin_sessions (id, data, expiry_date) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, expiry_date = EXCLUDED.expiry_date",
            id,
            data,
            expiry
        )
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = sqlx::query_scalar!(
            "SELECT data FROM admin_sessions WHERE id = $1 AND expiry_date > now()",
            id.to_string()
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        data.map(|d| {
            serde_json::from_slice(&d).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query!("DELETE FROM admin_sessions WHERE id = $1", id.to_string())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
