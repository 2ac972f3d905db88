//! The networks files shipped in the repository load, and the Cosmos Hub example agrees with the
//! chain registry's description of the hub and its testnet.

use devchain::fixtures as f;
use serde_json::Value;
use server::config::networks;
use std::path::Path;

fn registry(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_cosmoshub_example_matches_the_chain_registry() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("networks/cosmoshub.toml");
    let loaded = networks::load(&file).unwrap();
    assert_eq!(loaded.len(), 2);
    let assets = registry(f::REGISTRY_COSMOSHUB_ASSETS);
    let atom = &assets["assets"][0];
    for (network, chain) in loaded.iter().zip([
        registry(f::REGISTRY_COSMOSHUB),
        registry(f::REGISTRY_COSMOSHUB_TESTNET),
    ]) {
        assert_eq!(network.chain_id, chain["chain_id"].as_str().unwrap());
        assert_eq!(
            network.bech32_prefix,
            chain["bech32_prefix"].as_str().unwrap()
        );
        assert_eq!(
            network.denom,
            chain["staking"]["staking_tokens"][0]["denom"]
                .as_str()
                .unwrap()
        );
        assert_eq!(network.testnet, chain["network_type"] == "testnet");
        let rest: Vec<url::Url> = chain["apis"]["rest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| url::Url::parse(r["address"].as_str().unwrap()).unwrap())
            .collect();
        assert!(
            rest.contains(&network.rest_url),
            "{} is not a registry endpoint",
            network.rest_url
        );
        assert_eq!(
            network.display_denom.to_lowercase(),
            atom["display"].as_str().unwrap()
        );
        let exponent = atom["denom_units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["denom"] == atom["display"])
            .unwrap()["exponent"]
            .as_u64()
            .unwrap();
        assert_eq!(u64::from(network.exponent), exponent);
    }
}

#[test]
fn the_devchain_networks_file_loads() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../devchain/networks.toml");
    let loaded = networks::load(&file).unwrap();
    assert_eq!(loaded[0].rest_url.as_str(), "http://127.0.0.1:1317/");
    assert_eq!(loaded[0].chain_id, "cosmoshub-4");
}

#[test]
fn a_missing_file_is_named() {
    let error = networks::load(Path::new("/nonexistent/networks.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("cannot read networks file /nonexistent/networks.toml: "),
        "{error}"
    );
}
