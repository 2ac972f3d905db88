//! Parses a raw collection into typed responses.

use super::{derive::Collection, fetch::RawCollection};
use crate::chain::{
    endpoints,
    types::{
        BlockResponse, NodeInfo, PoolResponse, SigningInfosPage, SlashingParamsResponse,
        SupplyResponse, ValidatorsPage,
    },
    ChainClient, ChainError,
};

pub fn parse(client: &ChainClient, raw: &RawCollection) -> Result<Collection, ChainError> {
    let node_info: NodeInfo = client.parse(endpoints::NODE_INFO, &raw.node_info)?;
    let latest_block: BlockResponse = client.parse(endpoints::LATEST_BLOCK, &raw.latest_block)?;
    let mut validators = Vec::new();
    for page in &raw.validators {
        validators.extend(
            client
                .parse::<ValidatorsPage>(endpoints::STAKING_VALIDATORS, page)?
                .validators,
        );
    }
    let mut signing_infos = Vec::new();
    for page in &raw.signing_infos {
        signing_infos.extend(
            client
                .parse::<SigningInfosPage>(endpoints::SLASHING_SIGNING_INFOS, page)?
                .info,
        );
    }
    let pool: PoolResponse = client.parse(endpoints::STAKING_POOL, &raw.pool)?;
    let slashing: SlashingParamsResponse =
        client.parse(endpoints::SLASHING_PARAMS, &raw.slashing_params)?;
    // A supply answer that does not parse is treated like no answer: it only feeds one figure.
    let supply = raw
        .supply
        .as_ref()
        .and_then(|body| {
            client
                .parse::<SupplyResponse>(endpoints::SUPPLY_BY_DENOM, body)
                .ok()
        })
        .and_then(|s| s.amount.base_units());
    Ok(Collection {
        node_info,
        latest_block: latest_block.block,
        validators,
        pool: pool.pool,
        signing_infos,
        slashing_params: slashing.params,
        supply,
    })
}
