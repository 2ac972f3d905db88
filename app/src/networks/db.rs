//! Queries over `networks` and `network_status`.

use super::model::{NetworkFigures, NetworkInfo};
use sqlx::PgPool;

pub async fn followed(pool: &PgPool) -> Result<Vec<NetworkInfo>, sqlx::Error> {
    sqlx::query_as!(
        NetworkInfo,
        r#"SELECT slug, name, chain_id, bech32_prefix, denom, display_denom, exponent, testnet
           FROM networks WHERE followed ORDER BY position, slug"#
    )
    .fetch_all(pool)
    .await
}

pub async fn by_slug(pool: &PgPool, slug: &str) -> Result<Option<NetworkInfo>, sqlx::Error> {
    sqlx::query_as!(
        NetworkInfo,
        r#"SELECT slug, name, chain_id, bech32_prefix, denom, display_denom, exponent, testnet
           FROM networks WHERE slug = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}

pub async fn figures(pool: &PgPool, slug: &str) -> Result<Option<NetworkFigures>, sqlx::Error> {
    sqlx::query_as!(
        NetworkFigures,
        r#"SELECT collected_at, latest_height, latest_block_time,
                  bonded_tokens::text AS "bonded_tokens!", not_bonded_tokens::text AS "not_bonded_tokens!",
                  total_supply::text AS total_supply, signed_blocks_window, validators_total,
                  validators_active, node_version, sdk_version
           FROM network_status WHERE network = $1"#,
        slug
    )
    .fetch_optional(pool)
    .await
}
