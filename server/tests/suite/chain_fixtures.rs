//! The LCD parsers against every recorded response they read (SDK 0.47 and 0.50 shapes).

use devchain::fixtures as f;
use server::chain::{
    address,
    error::describe_body,
    types::{
        BlockResponse, NodeInfo, PoolResponse, SigningInfosPage, SlashingParamsResponse,
        ValidatorResponse, ValidatorsPage,
    },
};

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> T {
    serde_json::from_str(text).expect("recording parses")
}

#[test]
fn hub_2024_full_validator_set() {
    let page: ValidatorsPage = parse(f::HUB_2024_VALIDATORS_ALL);
    let v = &page.validators;
    assert_eq!(v.len(), 547);
    assert_eq!(
        v.iter()
            .filter(|v| v.status == "BOND_STATUS_BONDED")
            .count(),
        180
    );
    assert_eq!(
        v.iter()
            .filter(|v| v.status == "BOND_STATUS_UNBONDING")
            .count(),
        7
    );
    assert_eq!(v.iter().filter(|v| v.jailed).count(), 203);
    assert!(page.pagination.unwrap().next_key.is_none());

    let first = &v[0];
    assert_eq!(
        first.operator_address,
        "cosmosvaloper1qphf0ferqcch0jca9hlqfm3x0eds3dpkcvpafp"
    );
    assert_eq!(first.description.moniker, "test kim");
    assert_eq!(first.tokens, 1_386_400);
    assert_eq!(
        first.commission.commission_rates.rate,
        "0.100000000000000000"
    );
    assert_eq!(
        first.unbonding_time.unwrap().timestamp(),
        0,
        "the SDK's zero time parses"
    );

    let bonded: u128 = v
        .iter()
        .filter(|v| v.status == "BOND_STATUS_BONDED")
        .map(|v| v.tokens)
        .sum();
    assert_eq!(bonded, 245_795_277_076_964);
    let biggest = v.iter().max_by_key(|v| v.tokens).unwrap();
    assert_eq!(biggest.description.moniker, "Coinbase Custody");
}

#[test]
fn hub_2024_first_page_points_to_the_next() {
    let page: ValidatorsPage = parse(f::HUB_2024_VALIDATORS_PAGE1);
    assert_eq!(page.validators.len(), 100);
    let pagination = page.pagination.unwrap();
    assert_eq!(
        pagination.next_key.as_deref(),
        Some("FDE2oBEbGVnZh6/fpttGbwGRkkUp")
    );
    assert_eq!(pagination.total, Some(546));
}

#[test]
fn hub_2025_single_validator_in_the_sdk_050_shape() {
    let one: ValidatorResponse = parse(f::HUB_2025_VALIDATOR_ONE);
    let v = one.validator;
    assert_eq!(v.description.moniker, "🐹 Quokka Stake");
    assert_eq!(v.tokens, 184_841_834_702);
    assert_eq!(v.min_self_delegation.as_deref(), Some("1"));
    assert_eq!(v.unbonding_height, Some(18_037_515));
    let account =
        address::account_of_operator(&v.operator_address, "cosmosvaloper", "cosmos").unwrap();
    assert_eq!(account, "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2");
}

#[test]
fn signing_infos_page_and_consensus_addresses_match() {
    let page: SigningInfosPage = parse(f::HUB_2024_SIGNING_INFOS_PAGE1);
    assert_eq!(page.info.len(), 100);
    assert_eq!(page.pagination.unwrap().total, Some(456));
    assert_eq!(page.info.iter().filter(|i| i.tombstoned).count(), 3);
    assert_eq!(page.info[0].missed_blocks_counter, Some(1));

    // 87 of the recorded signing infos belong to validators of the recorded set.
    let validators: ValidatorsPage = parse(f::HUB_2024_VALIDATORS_ALL);
    let matched = validators
        .validators
        .iter()
        .filter_map(|v| {
            let key = v.consensus_pubkey.as_ref()?;
            address::consensus_of_pubkey(&key.type_url, key.key.as_deref()?, "cosmosvalcons")
        })
        .filter(|cons| page.info.iter().any(|i| &i.address == cons))
        .count();
    assert_eq!(matched, 87);
}

#[test]
fn params_pools_and_node_info() {
    let slashing: SlashingParamsResponse = parse(f::HUB_2024_SLASHING_PARAMS);
    assert_eq!(slashing.params.signed_blocks_window, 10_000);
    let pool: PoolResponse = parse(f::HUB_2024_STAKING_POOL);
    assert_eq!(
        (pool.pool.bonded_tokens, pool.pool.not_bonded_tokens),
        (255_450_322_027_140, 6_592_794_544_086)
    );
    let pool: PoolResponse = parse(f::HUB_2025_STAKING_POOL);
    assert_eq!(pool.pool.bonded_tokens, 234_419_662_960_895);
    let node: NodeInfo = parse(f::HUB_2024_NODE_INFO);
    assert_eq!(node.default_node_info.network, "cosmoshub-4");
    let app = node.application_version.unwrap();
    assert_eq!(
        (app.version.as_str(), app.cosmos_sdk_version.as_str()),
        ("v17.2.0", "v0.47.11")
    );
}

#[test]
fn blocks_in_the_sdk_050_shape() {
    let latest: BlockResponse = parse(f::HUB_2025_BLOCKS_LATEST);
    assert_eq!(latest.block.header.height, 24_027_995);
    assert_eq!(latest.block.header.chain_id, "cosmoshub-4");
    assert_eq!(
        latest.block.header.time.to_rfc3339(),
        "2025-01-19T02:24:53.662019041+00:00"
    );
    let past: BlockResponse = parse(f::HUB_2025_BLOCKS_PAST);
    assert_eq!(past.block.header.height, 24_026_995);
}

#[test]
fn lcd_error_bodies_are_described() {
    assert_eq!(
        describe_body(f::HUB_2024_ERROR_NOT_IMPLEMENTED.as_bytes()),
        "Not Implemented"
    );
    assert_eq!(
        describe_body(b"<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>"),
        "502 Bad Gateway nginx"
    );
    assert_eq!(describe_body(b""), "(empty body)");
}

#[test]
fn malformed_and_wrong_shapes_are_errors_not_panics() {
    assert!(
        serde_json::from_str::<ValidatorsPage>("{\"validators\": [{\"operator_address\": \"x")
            .is_err()
    );
    assert!(serde_json::from_str::<ValidatorsPage>("{\"validators\": 5}").is_err());
    let bad_tokens = f::HUB_2025_VALIDATOR_ONE.replace("\"184841834702\"", "\"lots\"");
    let err = serde_json::from_str::<ValidatorResponse>(&bad_tokens)
        .unwrap_err()
        .to_string();
    assert!(err.contains("expected an unsigned integer"), "{err}");
    let bad_rate =
        f::HUB_2025_VALIDATOR_ONE.replace("\"0.050000000000000000\"", "\"five percent\"");
    assert!(serde_json::from_str::<ValidatorResponse>(&bad_rate).is_err());
}
