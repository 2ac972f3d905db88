//! The database: connecting, migrating, and writing the followed networks from config.

use crate::config::networks::Network;
use secrecy::{ExposeSecret, SecretString};
use sqlx::{migrate::Migrator, postgres::PgPoolOptions, PgPool};
use std::time::Duration;

pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

pub async fn connect(url: &SecretString, max_connections: u32) -> anyhow::Result<PgPool> {
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect(url.expose_secret())
        .await
        // sqlx's connect errors never include the password.
        .map_err(|e| anyhow::anyhow!("cannot connect to the database: {e}"))?;
    Ok(pool)
}

/// Writes the networks file into `networks`: listed networks are followed, in file order;
/// networks no longer listed stay (with their data) but are no longer followed.
pub async fn sync_networks(pool: &PgPool, networks: &[Network]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let slugs: Vec<String> = networks.iter().map(|n| n.slug.clone()).collect();
    sqlx::query!(
        "UPDATE networks SET followed = FALSE, updated_at = now() WHERE NOT (slug = ANY($1))",
        &slugs
    )
    .execute(&mut *tx)
    .await?;
    for (position, n) in networks.iter().enumerate() {
        sqlx::query!(
            r#"INSERT INTO networks (slug, name, chain_id, rest_host, bech32_prefix, denom, display_denom, exponent, testnet, followed, position)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10)
               ON CONFLICT (slug) DO UPDATE SET
                   name = EXCLUDED.name, chain_id = EXCLUDED.chain_id, rest_host = EXCLUDED.rest_host,
                   bech32_prefix = EXCLUDED.bech32_prefix, denom = EXCLUDED.denom,
                   display_denom = EXCLUDED.display_denom, exponent = EXCLUDED.exponent,
                   testnet = EXCLUDED.testnet, followed = TRUE, position = EXCLUDED.position, updated_at = now()"#,
            n.slug,
            n.name,
            n.chain_id,
            host_only(&n.rest_url),
            n.bech32_prefix,
            n.denom,
            n.display_denom,
            n.exponent as i32,
            n.testnet,
            position as i32,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// `scheme://host[:port]`: what may be shown of an endpoint URL (no credentials, path or query).
pub fn host_only(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{}://{host}:{port}", url.scheme()),
        (Some(host), None) => format!("{}://{host}", url.scheme()),
        _ => url.scheme().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lose_credentials_paths_and_queries() {
        let url =
            url::Url::parse("https://user:secret@lcd.example.com:1317/rest?apikey=abc").unwrap();
        assert_eq!(host_only(&url), "https://lcd.example.com:1317");
    }
}
