//! Fetches the raw responses one collection needs, and bundles them for the archive.

use crate::chain::{endpoints, ChainClient, ChainError};
use bytes::Bytes;
use chrono::{DateTime, Utc};

/// The bodies of one collection, as the node sent them.
pub struct RawCollection {
    pub node_info: Bytes,
    pub latest_block: Bytes,
    pub validators: Vec<Bytes>,
    pub pool: Bytes,
    pub signing_infos: Vec<Bytes>,
    pub slashing_params: Bytes,
    /// None when the node does not answer the supply query (some nodes disable bank queries).
    pub supply: Option<Bytes>,
}

pub async fn fetch(client: &ChainClient, denom: &str) -> Result<RawCollection, ChainError> {
    // The node is asked first who it is, so a wrong endpoint fails fast and clearly.
    let node_info = client.get_raw(endpoints::NODE_INFO, &[]).await?;
    let latest_block = client.get_raw(endpoints::LATEST_BLOCK, &[]).await?;
    let validators = client
        .get_all_pages(endpoints::STAKING_VALIDATORS, &[])
        .await?;
    let pool = client.get_raw(endpoints::STAKING_POOL, &[]).await?;
    let signing_infos = client
        .get_all_pages(endpoints::SLASHING_SIGNING_INFOS, &[])
        .await?;
    let slashing_params = client.get_raw(endpoints::SLASHING_PARAMS, &[]).await?;
    let supply = match client
        .get_raw(endpoints::SUPPLY_BY_DENOM, &[("denom", denom)])
        .await
    {
        Ok(body) => Some(body),
        Err(e) => {
            tracing::warn!(error = %e, "no supply figure; the bonded ratio will be unknown");
            None
        }
    };
    Ok(RawCollection {
        node_info,
        latest_block,
        validators,
        pool,
        signing_infos,
        slashing_params,
        supply,
    })
}

impl RawCollection {
    /// One JSON document holding every response verbatim (a body that is not JSON is kept as a
    /// string), so a collection can be replayed later.
    pub fn archive_document(
        &self,
        network: &str,
        chain_id: &str,
        collected_at: DateTime<Utc>,
    ) -> Bytes {
        let mut responses = vec![
            (endpoints::NODE_INFO, &self.node_info),
            (endpoints::LATEST_BLOCK, &self.latest_block),
            (endpoints::STAKING_POOL, &self.pool),
            (endpoints::SLASHING_PARAMS, &self.slashing_params),
        ];
        responses.extend(
            self.validators
                .iter()
                .map(|b| (endpoints::STAKING_VALIDATORS, b)),
        );
        responses.extend(
            self.signing_infos
                .iter()
                .map(|b| (endpoints::SLASHING_SIGNING_INFOS, b)),
        );
        if let Some(supply) = &self.supply {
            responses.push((endpoints::SUPPLY_BY_DENOM, supply));
        }
        crate::archive::document(network, chain_id, collected_at, &responses)
    }
}
