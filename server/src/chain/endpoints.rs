//! The LCD paths Stakeboard reads.

pub const STAKING_VALIDATORS: &str = "/cosmos/staking/v1beta1/validators";
pub const STAKING_POOL: &str = "/cosmos/staking/v1beta1/pool";
pub const SLASHING_SIGNING_INFOS: &str = "/cosmos/slashing/v1beta1/signing_infos";
pub const SLASHING_PARAMS: &str = "/cosmos/slashing/v1beta1/params";
pub const NODE_INFO: &str = "/cosmos/base/tendermint/v1beta1/node_info";
pub const LATEST_BLOCK: &str = "/cosmos/base/tendermint/v1beta1/blocks/latest";
pub const SUPPLY_BY_DENOM: &str = "/cosmos/bank/v1beta1/supply/by_denom";
pub const GOV_V1_PROPOSALS: &str = "/cosmos/gov/v1/proposals";
pub const GOV_V1BETA1_PROPOSALS: &str = "/cosmos/gov/v1beta1/proposals";
pub const GOV_V1_PARAMS: &str = "/cosmos/gov/v1/params";
pub const GOV_V1BETA1_PARAMS: &str = "/cosmos/gov/v1beta1/params";
pub const AUTH_ACCOUNTS: &str = "/cosmos/auth/v1beta1/accounts";
pub const BANK_BALANCES: &str = "/cosmos/bank/v1beta1/balances";
pub const TX_SIMULATE: &str = "/cosmos/tx/v1beta1/simulate";
pub const TX_BROADCAST: &str = "/cosmos/tx/v1beta1/txs";
pub const TX_BY_HASH: &str = "/cosmos/tx/v1beta1/txs";
/// `{STAKING_VALIDATORS}/{operator}/delegations`: a validator's delegations.
pub fn validator_delegations(operator: &str) -> String {
    format!("{STAKING_VALIDATORS}/{operator}/delegations")
}
