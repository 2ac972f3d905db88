//! The recorded responses devchain serves, embedded so the binary runs from any directory.
//!
//! The files live in `devchain/fixtures/` unchanged; their READMEs say where each came from.

macro_rules! fixture {
    ($name:ident, $path:literal) => {
        pub const $name: &str =
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/", $path));
    };
}

fixture!(
    HUB_2024_VALIDATORS_ALL,
    "cosmoshub-2024/staking-validators-all.json"
);
fixture!(
    HUB_2024_VALIDATORS_PAGE1,
    "cosmoshub-2024/staking-validators-page1.json"
);
fixture!(
    HUB_2024_SIGNING_INFOS_PAGE1,
    "cosmoshub-2024/slashing-signing-infos-page1.json"
);
fixture!(
    HUB_2024_SLASHING_PARAMS,
    "cosmoshub-2024/slashing-params.json"
);
fixture!(
    HUB_2024_STAKING_PARAMS,
    "cosmoshub-2024/staking-params.json"
);
fixture!(HUB_2024_STAKING_POOL, "cosmoshub-2024/staking-pool.json");
fixture!(HUB_2024_NODE_INFO, "cosmoshub-2024/node-info.json");
fixture!(
    HUB_2024_ERROR_NOT_IMPLEMENTED,
    "cosmoshub-2024/error-not-implemented.json"
);
fixture!(HUB_2025_BLOCKS_LATEST, "cosmoshub-2025/blocks-latest.json");
fixture!(HUB_2025_BLOCKS_PAST, "cosmoshub-2025/blocks-24026995.json");
fixture!(HUB_2025_STAKING_POOL, "cosmoshub-2025/staking-pool.json");
fixture!(
    HUB_2025_VALIDATOR_ONE,
    "cosmoshub-2025/staking-validator-one.json"
);
fixture!(HUB_2025_BANK_BALANCES, "cosmoshub-2025/bank-balances.json");
fixture!(REGISTRY_COSMOSHUB, "chain-registry/cosmoshub-chain.json");
fixture!(
    REGISTRY_COSMOSHUB_TESTNET,
    "chain-registry/cosmoshub-testnet-chain.json"
);
fixture!(
    REGISTRY_COSMOSHUB_ASSETS,
    "chain-registry/cosmoshub-assetlist.json"
);
fixture!(
    HUB_2024_GOV_V1_PAGE1,
    "cosmoshub-2024/gov-v1-proposals-page1.json"
);
fixture!(
    HUB_2024_GOV_V1_PAGE2,
    "cosmoshub-2024/gov-v1-proposals-page2.json"
);
fixture!(
    HUB_2024_GOV_V1_PAGE3,
    "cosmoshub-2024/gov-v1-proposals-page3.json"
);
fixture!(
    HUB_2024_GOV_TALLY_936,
    "cosmoshub-2024/gov-v1beta1-tally-936.json"
);
fixture!(
    HUB_2024_GOV_VOTE_WEIGHTED,
    "cosmoshub-2024/gov-v1beta1-vote-weighted.json"
);
fixture!(
    HUB_2024_GOV_VOTE_LEGACY,
    "cosmoshub-2024/gov-v1beta1-vote-legacy.json"
);
fixture!(
    HUB_2024_GOV_VOTE_NOT_FOUND,
    "cosmoshub-2024/gov-vote-not-found.json"
);
fixture!(
    HUB_2024_GOV_PARAMS_DEPOSIT,
    "cosmoshub-2024/gov-v1beta1-params-deposit.json"
);
fixture!(
    HUB_2024_GOV_PARAMS_VOTING,
    "cosmoshub-2024/gov-v1beta1-params-voting.json"
);
fixture!(
    HUB_2024_GOV_PARAMS_TALLYING,
    "cosmoshub-2024/gov-v1beta1-params-tallying.json"
);
fixture!(
    HUB_2025_GOV_V1_VOTING,
    "cosmoshub-2025/gov-v1-proposals-voting.json"
);
fixture!(
    HUB_2025_GOV_V1_PROPOSAL_848,
    "cosmoshub-2025/gov-v1-proposal-848.json"
);
fixture!(
    HUB_2025_GOV_PARAMS_DEPOSIT,
    "cosmoshub-2025/gov-v1beta1-params-deposit.json"
);
fixture!(
    HUB_2025_GOV_PARAMS_VOTING,
    "cosmoshub-2025/gov-v1beta1-params-voting.json"
);
fixture!(
    HUB_2025_GOV_PARAMS_TALLYING,
    "cosmoshub-2025/gov-v1beta1-params-tallying.json"
);
fixture!(
    BITSONG_GOV_V1BETA1_PAGE1,
    "bitsong-v1beta1/gov-v1beta1-proposals-page1.json"
);
fixture!(
    BITSONG_GOV_V1BETA1_PAGE2,
    "bitsong-v1beta1/gov-v1beta1-proposals-page2.json"
);
