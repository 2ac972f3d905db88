//! devchain over HTTP: the SDK's pagination, error bodies, the block clock and the fault switches.

use devchain::{state::Settings, DevChain};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn get(chain: &DevChain, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{}{path}", chain.url()))
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn next_keys_walk_every_validator_once() {
    let chain = DevChain::start_local().await.unwrap();
    let mut seen = Vec::new();
    let mut key: Option<String> = None;
    loop {
        let mut url = format!(
            "{}/cosmos/staking/v1beta1/validators?pagination.limit=150",
            chain.url()
        );
        if let Some(k) = &key {
            url.push_str(&format!("&pagination.key={}", urlencode(k)));
        }
        let page: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        assert_eq!(
            page["pagination"]["total"], "0",
            "total is only counted when asked"
        );
        seen.extend(
            page["validators"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["operator_address"].as_str().unwrap().to_string()),
        );
        match page["pagination"]["next_key"].as_str() {
            Some(next) => key = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 547);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 547);
}

#[tokio::test]
async fn offsets_totals_and_status_filters() {
    let chain = DevChain::start_local().await.unwrap();
    let (_, page) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators?pagination.offset=500&pagination.count_total=true",
    )
    .await;
    assert_eq!(page["validators"].as_array().unwrap().len(), 47);
    assert_eq!(page["pagination"]["total"], "547");
    let (_, bonded) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=1000",
    )
    .await;
    assert_eq!(bonded["validators"].as_array().unwrap().len(), 180);
    let (status, error) = get(&chain, "/cosmos/staking/v1beta1/validators?status=BONDED").await;
    assert_eq!((status, error["code"].as_u64()), (400, Some(3)));
    let (status, error) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators?pagination.key=AA%3D%3D&pagination.offset=2",
    )
    .await;
    assert_eq!(
        (status, error["message"].as_str()),
        (400, Some("either offset or key is expected, got both"))
    );
}

#[tokio::test]
async fn single_objects_and_sdk_error_bodies() {
    let chain = DevChain::start_local().await.unwrap();
    let (status, one) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators/cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn",
    )
    .await;
    assert_eq!(
        (status, one["validator"]["description"]["moniker"].as_str()),
        (200, Some("Cosmostation"))
    );
    let (status, missing) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators/cosmosvaloper1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkh52tw",
    )
    .await;
    assert_eq!((status, missing["code"].as_u64()), (404, Some(5)));
    let (status, bad) = get(&chain, "/cosmos/staking/v1beta1/validators/not-an-address").await;
    assert_eq!((status, bad["code"].as_u64()), (400, Some(3)));
    let (status, unknown) = get(&chain, "/cosmos/nothing/v1/here").await;
    assert_eq!(status, 501);
    assert_eq!(
        unknown,
        serde_json::from_str::<Value>(devchain::fixtures::HUB_2024_ERROR_NOT_IMPLEMENTED).unwrap()
    );
    let (_, supply) = get(&chain, "/cosmos/bank/v1beta1/supply/by_denom?denom=uatom").await;
    assert_eq!(supply["amount"]["amount"], "390930000000000");
    let (_, infos) = get(
        &chain,
        "/cosmos/slashing/v1beta1/signing_infos?pagination.count_total=true&pagination.limit=1",
    )
    .await;
    assert_eq!(infos["pagination"]["total"], "560");
}

#[tokio::test]
async fn blocks_follow_the_clock() {
    let settings = Settings {
        block_time: Duration::from_millis(100),
        ..Settings::default()
    };
    let chain = DevChain::start("127.0.0.1:0".parse().unwrap(), settings)
        .await
        .unwrap();
    let height = |b: &Value| {
        b["block"]["header"]["height"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let (_, first) = get(&chain, "/cosmos/base/tendermint/v1beta1/blocks/latest").await;
    tokio::time::sleep(Duration::from_millis(450)).await;
    let (_, later) = get(&chain, "/cosmos/base/tendermint/v1beta1/blocks/latest").await;
    assert!(height(&later) >= height(&first) + 3);
    assert_eq!(
        later["sdk_block"]["header"]["height"],
        later["block"]["header"]["height"]
    );
    let (status, _) = get(
        &chain,
        &format!(
            "/cosmos/base/tendermint/v1beta1/blocks/{}",
            height(&later) + 1000
        ),
    )
    .await;
    assert_eq!(status, 400);
    let (status, past) = get(
        &chain,
        &format!("/cosmos/base/tendermint/v1beta1/blocks/{}", height(&first)),
    )
    .await;
    assert_eq!((status, height(&past)), (200, height(&first)));
}

#[tokio::test]
async fn control_paths_inject_faults_and_change_validators() {
    let chain = DevChain::start_local().await.unwrap();
    let client = reqwest::Client::new();
    let faults = format!("{}/_devchain/faults", chain.url());

    client
        .put(&faults)
        .json(&json!({ "status": 503, "times": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(get(&chain, "/cosmos/staking/v1beta1/pool").await.0, 503);
    assert_eq!(
        get(&chain, "/cosmos/staking/v1beta1/pool").await.0,
        200,
        "cleared after one"
    );

    client
        .put(&faults)
        .json(&json!({ "malformed": true, "path_prefix": "/cosmos/slashing" }))
        .send()
        .await
        .unwrap();
    let (status, body) = get(&chain, "/cosmos/slashing/v1beta1/params").await;
    assert!(status == 200 && body.is_string(), "a body that is not JSON");
    assert_eq!(
        get(&chain, "/cosmos/staking/v1beta1/pool").await.0,
        200,
        "other paths unaffected"
    );

    client
        .put(&faults)
        .json(&json!({ "latency_ms": 300 }))
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    get(&chain, "/cosmos/staking/v1beta1/params").await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    client.delete(&faults).send().await.unwrap();

    let bad = client
        .put(&faults)
        .json(&json!({ "stauts": 500 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 422, "a misspelt switch is refused");

    let operator = "cosmosvaloper1clpqr4nrk4khgkxj78fcwwh6dl3uw4epsluffn";
    let patched = client
        .patch(format!("{}/_devchain/validators/{operator}", chain.url()))
        .json(&json!({ "jailed": true, "status": "BOND_STATUS_UNBONDING" }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status().as_u16(), 200);
    let (_, bonded) = get(
        &chain,
        "/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED&pagination.limit=1000",
    )
    .await;
    assert_eq!(bonded["validators"].as_array().unwrap().len(), 179);
    let (_, pool) = get(&chain, "/cosmos/staking/v1beta1/pool").await;
    assert_eq!(
        pool["pool"]["bonded_tokens"],
        (245_795_277_076_964u128 - 12_244_083_325_622).to_string(),
        "the pool follows"
    );
    let (_, stats) = get(&chain, "/_devchain/stats").await;
    assert!(
        stats["requests"]["/cosmos/staking/v1beta1/pool"]
            .as_u64()
            .unwrap()
            >= 3
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn another_chain_id_shows_in_node_info_and_every_block() {
    let chain = DevChain::start(
        "127.0.0.1:0".parse().unwrap(),
        Settings {
            chain_id: "devnet-1".into(),
            scenario: None,
            ..Settings::default()
        },
    )
    .await
    .unwrap();
    let (_, info) = get(&chain, "/cosmos/base/tendermint/v1beta1/node_info").await;
    assert_eq!(info["default_node_info"]["network"], "devnet-1");
    let (_, latest) = get(&chain, "/cosmos/base/tendermint/v1beta1/blocks/latest").await;
    assert_eq!(latest["block"]["header"]["chain_id"], "devnet-1");
    assert_eq!(latest["sdk_block"]["header"]["chain_id"], "devnet-1");
}
