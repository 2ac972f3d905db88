//! devchain's gov paths: the recorded history in both shapes, and a scenario played on a clock.

use devchain::{
    gov::{scenario::ScenarioSettings, GovApi},
    state::Settings,
    DevChain,
};
use serde_json::Value;

async fn get(chain: &DevChain, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{}{path}", chain.url()))
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn chain_with(scenario: ScenarioSettings) -> (DevChain, u64) {
    let settings = Settings {
        scenario: None,
        ..Settings::default()
    };
    let chain = DevChain::start("127.0.0.1:0".parse().unwrap(), settings)
        .await
        .unwrap();
    let id = chain.start_scenario(scenario);
    (chain, id)
}

async fn all_votes(chain: &DevChain, id: u64) -> Vec<Value> {
    let mut votes = Vec::new();
    let mut key = String::new();
    loop {
        let path = format!(
            "/cosmos/gov/v1/proposals/{id}/votes?pagination.limit=100&pagination.key={}",
            urlencode(&key)
        );
        let (status, page) = get(chain, &path).await;
        assert_eq!(status, 200, "{page}");
        votes.extend(page["votes"].as_array().unwrap().iter().cloned());
        match page["pagination"]["next_key"].as_str() {
            Some(next) => key = next.to_string(),
            None => return votes,
        }
    }
}

#[tokio::test]
async fn the_recorded_history_is_served_in_pages() {
    let chain = DevChain::start_local().await.unwrap();
    let (_, first) = get(
        &chain,
        "/cosmos/gov/v1/proposals?pagination.limit=100&pagination.count_total=true",
    )
    .await;
    assert_eq!(first["proposals"].as_array().unwrap().len(), 100);
    assert_eq!(
        first["pagination"]["total"], "223",
        "218 recorded, 4 from 2025, the scenario"
    );
    assert_eq!(first["proposals"][0]["id"], "1");
    let (_, voting) = get(
        &chain,
        "/cosmos/gov/v1/proposals?proposal_status=PROPOSAL_STATUS_VOTING_PERIOD",
    )
    .await;
    let ids: Vec<&str> = voting["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["936", "984", "985", "986", "987"]);
    let (_, expedited) = get(&chain, "/cosmos/gov/v1/proposals/987").await;
    assert_eq!(expedited["proposal"]["expedited"], true);
    let (status, bad) = get(&chain, "/cosmos/gov/v1/proposals?proposal_status=VOTING").await;
    assert_eq!((status, bad["code"].as_u64()), (400, Some(3)));
    let (status, missing) = get(&chain, "/cosmos/gov/v1/proposals/5000").await;
    assert_eq!((status, missing["code"].as_u64()), (404, Some(5)));
}

#[tokio::test]
async fn v1beta1_shapes_and_an_old_chain_without_v1() {
    let chain = DevChain::start_local().await.unwrap();
    let (_, beta) = get(&chain, "/cosmos/gov/v1beta1/proposals/848").await;
    let p = &beta["proposal"];
    assert_eq!(p["proposal_id"], "848");
    assert_eq!(
        p["content"]["@type"],
        "/cosmos.params.v1beta1.ParameterChangeProposal"
    );
    assert_eq!(p["final_tally_result"]["yes"], "73165203909680");
    let (_, tally) = get(&chain, "/cosmos/gov/v1beta1/proposals/936/tally").await;
    assert_eq!(tally["tally"]["no_with_veto"], "64525405153526");
    let (_, vote) = get(
        &chain,
        "/cosmos/gov/v1beta1/proposals/936/votes/cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2",
    )
    .await;
    assert_eq!(
        vote["vote"]["options"][0]["option"],
        "VOTE_OPTION_NO_WITH_VETO"
    );
    let (status, not_found) = get(
        &chain,
        "/cosmos/gov/v1/proposals/936/votes/cosmos1clpqr4nrk4khgkxj78fcwwh6dl3uw4ep4tgu9q",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(
        not_found["message"],
        "voter: cosmos1clpqr4nrk4khgkxj78fcwwh6dl3uw4ep4tgu9q not found for proposal: 936"
    );

    chain.set_gov_api(GovApi::V1beta1);
    let (status, body) = get(&chain, "/cosmos/gov/v1/proposals").await;
    assert_eq!(
        (status, body["message"].as_str()),
        (501, Some("Not Implemented"))
    );
    let (status, _) = get(&chain, "/cosmos/gov/v1beta1/proposals").await;
    assert_eq!(status, 200);
    let (_, params) = get(&chain, "/cosmos/gov/v1beta1/params/tallying").await;
    assert_eq!(params["tally_params"]["quorum"], "0.400000000000000000");
}

#[tokio::test]
async fn a_scenario_goes_from_deposit_to_voting_to_a_final_tally() {
    let (chain, id) = chain_with(ScenarioSettings {
        delegators: 500,
        deposit_secs: 60,
        voting_secs: 1000,
        ..ScenarioSettings::default()
    })
    .await;
    assert_eq!(
        proposal(&chain, id).await["status"],
        "PROPOSAL_STATUS_DEPOSIT_PERIOD"
    );
    assert!(all_votes(&chain, id).await.is_empty());

    chain.fast_forward(id, 60_000 + 200_000); // 20% into voting
    assert_eq!(
        proposal(&chain, id).await["status"],
        "PROPOSAL_STATUS_VOTING_PERIOD"
    );
    let early = all_votes(&chain, id).await;
    assert!(!early.is_empty());
    let (_, tally) = get(&chain, &format!("/cosmos/gov/v1/proposals/{id}/tally")).await;
    assert_ne!(tally["tally"]["yes_count"], "0", "the live tally moves");

    // The second-largest validator voted yes at 10% and changes to no at 45%.
    let second = early
        .iter()
        .find(|v| {
            v["options"][0]["option"] == "VOTE_OPTION_YES"
                && v["voter"] == second_validator_account(&chain)
        })
        .cloned();
    assert!(
        second.is_some(),
        "the second validator has voted yes by 20%"
    );
    chain.fast_forward(id, 300_000); // 50%
    let later = all_votes(&chain, id).await;
    let changed = later
        .iter()
        .find(|v| v["voter"] == second_validator_account(&chain))
        .unwrap();
    assert_eq!(changed["options"][0]["option"], "VOTE_OPTION_NO");
    let weighted = later
        .iter()
        .find(|v| v["options"].as_array().unwrap().len() == 2)
        .unwrap();
    assert_eq!(weighted["options"][0]["weight"], "0.600000000000000000");
    assert!(later.len() > early.len());

    chain.fast_forward(id, 600_000); // past the end
    let ended = proposal(&chain, id).await;
    assert!(matches!(
        ended["status"].as_str(),
        Some("PROPOSAL_STATUS_PASSED") | Some("PROPOSAL_STATUS_REJECTED")
    ));
    assert_ne!(ended["final_tally_result"]["yes_count"], "0");
    assert!(
        all_votes(&chain, id).await.is_empty(),
        "votes are pruned once tallied"
    );
    let (_, final_tally) = get(&chain, &format!("/cosmos/gov/v1/proposals/{id}/tally")).await;
    assert_eq!(final_tally["tally"], ended["final_tally_result"]);
}

#[tokio::test]
async fn scenarios_start_on_request_with_new_ids() {
    let chain = DevChain::start_local().await.unwrap();
    let client = reqwest::Client::new();
    let started: Value = client
        .put(format!("{}/_devchain/gov/scenario", chain.url()))
        .json(&serde_json::json!({ "delegators": 10, "deposit_secs": 0, "voting_secs": 30 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(started["proposal_id"], "989");
    let (_, p) = get(&chain, "/cosmos/gov/v1/proposals/989").await;
    assert_eq!(p["proposal"]["status"], "PROPOSAL_STATUS_VOTING_PERIOD");
    let refused = client
        .put(format!("{}/_devchain/gov/scenario", chain.url()))
        .json(&serde_json::json!({ "voters": 10 }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 422);
}

async fn proposal(chain: &DevChain, id: u64) -> Value {
    get(chain, &format!("/cosmos/gov/v1/proposals/{id}"))
        .await
        .1["proposal"]
        .clone()
}

fn second_validator_account(chain: &DevChain) -> String {
    let state = chain.state.chain.read().unwrap();
    let mut bonded: Vec<(&str, u128)> = state
        .validators
        .iter()
        .filter(|v| v["status"] == "BOND_STATUS_BONDED")
        .map(|v| {
            (
                v["operator_address"].as_str().unwrap(),
                v["tokens"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    bonded.sort_by_key(|b| std::cmp::Reverse(b.1));
    let bytes = devchain::address::bytes_of(bonded[1].0).unwrap();
    devchain::address::encode("cosmos", &bytes)
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
async fn recorded_history_is_moved_to_now_unless_asked_to_keep_its_times() {
    let end_of = |page: &Value, id: &str| -> chrono::DateTime<chrono::Utc> {
        let p = page["proposals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap();
        p["voting_end_time"].as_str().unwrap().parse().unwrap()
    };
    let now = chrono::Utc::now();
    let shifted = DevChain::start_local().await.unwrap();
    let (_, page) = get(&shifted, "/cosmos/gov/v1/proposals?pagination.limit=1000").await;
    // #985 was recorded 4 days 19 h before the end of its vote: it ends that long after now.
    let left = end_of(&page, "985") - now;
    assert!(
        (chrono::Duration::hours(4 * 24 + 18)..chrono::Duration::hours(4 * 24 + 20))
            .contains(&left),
        "{left}"
    );
    // Times keep their distances: #984 ended 20 h 10 min before #985.
    let gap = end_of(&page, "985") - end_of(&page, "984");
    assert_eq!(gap.num_minutes(), 20 * 60 + 10);

    let original = DevChain::start(
        "127.0.0.1:0".parse().unwrap(),
        Settings {
            shift_times: false,
            ..Settings::default()
        },
    )
    .await
    .unwrap();
    let (_, page) = get(&original, "/cosmos/gov/v1/proposals?pagination.limit=1000").await;
    assert_eq!(
        end_of(&page, "985").to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        "2025-01-23T21:42:22.330319622Z"
    );
}

#[tokio::test]
async fn hostile_text_is_served_as_the_chain_would_serve_it() {
    let chain = DevChain::start_local().await.unwrap();
    let made = chain.make_hostile();
    let operator = made["operators"][0].as_str().unwrap();
    let (status, answer) = get(
        &chain,
        &format!("/cosmos/staking/v1beta1/validators/{operator}"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(answer["validator"]["description"]["moniker"]
        .as_str()
        .unwrap()
        .contains("<script>"));
    let untitled = &made["proposals"]["untitled"];
    let (_, proposal) = get(&chain, &format!("/cosmos/gov/v1/proposals/{untitled}")).await;
    assert_eq!(proposal["proposal"]["title"], "");
    assert_eq!(
        proposal["proposal"]["messages"][0]["@type"],
        "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade"
    );
}
