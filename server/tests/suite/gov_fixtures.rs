//! The gov parsers over every proposal, vote, tally and params recording: the 218 Cosmos Hub v1
//! proposals (SDK 0.47), the SDK 0.50 active set with an expedited proposal, and v1beta1 sets.

use app::governance::status::ProposalStatus;
use devchain::fixtures as f;
use server::{
    chain::{
        error::describe_body,
        gov::{
            parse_proposal_response, parse_proposals_page, GovApi, ParamsResponse, Proposal,
            TallyResponse,
        },
        types::PaginationOnly,
    },
    workers::governance::fetch::parse_votes_page,
};
use std::collections::HashMap;

/// A page through the worker's own parser.
fn page(api: GovApi, text: &str) -> Vec<Proposal> {
    parse_proposals_page(api, text.as_bytes())
        .expect("the page parses")
        .into_iter()
        .map(|(proposal, _)| proposal)
        .collect()
}

fn v1(text: &str) -> Vec<Proposal> {
    page(GovApi::V1, text)
}

fn statuses(proposals: &[Proposal]) -> HashMap<&'static str, usize> {
    let mut counts = HashMap::new();
    for p in proposals {
        *counts.entry(p.status.slug()).or_default() += 1;
    }
    counts
}

#[test]
fn the_hub_2024_history_in_three_pages() {
    let page1: PaginationOnly = serde_json::from_str(f::HUB_2024_GOV_V1_PAGE1).unwrap();
    let pagination = page1.pagination.clone().unwrap();
    assert_eq!(
        (pagination.next_key.as_deref(), pagination.total),
        (Some("AAAAAAAAAx0="), Some(218))
    );
    let mut all = v1(f::HUB_2024_GOV_V1_PAGE1);
    all.extend(v1(f::HUB_2024_GOV_V1_PAGE2));
    all.extend(v1(f::HUB_2024_GOV_V1_PAGE3));
    assert_eq!(all.len(), 218);
    let counts = statuses(&all);
    assert_eq!(
        (
            counts["passed"],
            counts["rejected"],
            counts["failed"],
            counts["voting"]
        ),
        (130, 86, 1, 1)
    );

    let first = &all[0];
    assert_eq!(first.id, 1);
    assert_eq!(
        first.title,
        "Adjustment of blocks_per_year to come aligned with actual block time"
    );
    assert_eq!(first.final_tally.yes, 97_118_903_526_799);
    assert_eq!(
        first.messages[0]["@type"],
        "/cosmos.gov.v1.MsgExecLegacyContent"
    );
    assert_eq!(first.total_deposit[0].amount, "512100000");

    let spam = all.iter().find(|p| p.id == 936).unwrap();
    assert!(spam.title.contains("AirDrop") && spam.summary.contains("TerraPro.at"));
    assert!(spam.messages.is_empty());
    assert_eq!(spam.final_tally.total(), 0, "no final tally while voting");
    assert!(
        all.iter().all(|p| !p.title.is_empty()),
        "every recorded proposal has a title"
    );
}

#[test]
fn the_sdk_050_active_set_with_an_expedited_upgrade() {
    let voting = v1(f::HUB_2025_GOV_V1_VOTING);
    assert_eq!(
        voting.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![984, 985, 986, 987]
    );
    let upgrade = &voting[3];
    assert!(upgrade.expedited);
    assert_eq!(upgrade.title, "Gaia v22 Software Upgrade");
    assert_eq!(
        upgrade.messages[0]["@type"],
        "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade"
    );
    assert!(voting
        .iter()
        .all(|p| p.status == ProposalStatus::VotingPeriod && p.failed_reason.is_empty()));
    assert!(voting[0].voting_end_time.unwrap() > voting[0].voting_start_time.unwrap());

    let passed =
        parse_proposal_response(GovApi::V1, f::HUB_2025_GOV_V1_PROPOSAL_848.as_bytes()).unwrap();
    assert_eq!(passed.status, ProposalStatus::Passed);
    assert_eq!(passed.final_tally.no_with_veto, 11_669_549_761_167);
}

#[test]
fn the_v1beta1_sets() {
    let mut bitsong = page(GovApi::V1beta1, f::BITSONG_GOV_V1BETA1_PAGE1);
    bitsong.extend(page(GovApi::V1beta1, f::BITSONG_GOV_V1BETA1_PAGE2));
    assert_eq!(bitsong.len(), 25);
    assert_eq!(bitsong[0].title, "Bitsong Transfer Enablement");
    assert_eq!(
        bitsong[0].summary,
        "Enable transfers of Bitsong token (ubtsg)"
    );
    assert_eq!(bitsong[0].final_tally.yes, 17_002_680_239_267);
    assert_eq!(
        bitsong[0].messages[0]["@type"],
        "/cosmos.params.v1beta1.ParameterChangeProposal"
    );
    let counts = statuses(&bitsong);
    assert_eq!((counts["passed"], counts["rejected"]), (23, 2));

    let tally = serde_json::from_str::<TallyResponse>(f::HUB_2024_GOV_TALLY_936)
        .unwrap()
        .tally();
    assert_eq!(tally.no_with_veto, 64_525_405_153_526);
    assert_eq!(
        tally.total(),
        52_008_408_706 + 4_165_589_836 + 535_755_581_641 + 64_525_405_153_526
    );
}

#[test]
fn votes_in_every_shape() {
    // The recordings are single votes (`{"vote": …}`); the worker reads pages of them.
    let as_page = |text: &str| {
        let answer: serde_json::Value = serde_json::from_str(text).unwrap();
        serde_json::json!({ "votes": [answer["vote"]], "pagination": null }).to_string()
    };
    let (weighted, skipped) = parse_votes_page(
        "cosmoshub",
        936,
        as_page(f::HUB_2024_GOV_VOTE_WEIGHTED).as_bytes(),
    )
    .unwrap();
    assert_eq!(skipped, 0);
    assert_eq!(weighted[0].1, "no_with_veto");
    let (legacy, _) = parse_votes_page(
        "cosmoshub",
        936,
        as_page(f::HUB_2024_GOV_VOTE_LEGACY).as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (legacy[0].0.as_str(), legacy[0].1.as_str()),
        (
            "cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2",
            "no_with_veto"
        )
    );
    assert!(parse_votes_page("cosmoshub", 936, b"{\"votes\": 5}").is_err());
    assert_eq!(
        describe_body(f::HUB_2024_GOV_VOTE_NOT_FOUND.as_bytes()),
        "voter: cosmos1xqz9pemz5e5zycaa89kys5aw6m8rhgsvtp9lt2 not found for proposal: 936"
    );
}

#[test]
fn tally_params_from_either_api() {
    let parse = |text: &str| serde_json::from_str::<ParamsResponse>(text).unwrap();
    let params = ParamsResponse::merge(vec![
        parse(f::HUB_2024_GOV_PARAMS_DEPOSIT),
        parse(f::HUB_2024_GOV_PARAMS_VOTING),
        parse(f::HUB_2024_GOV_PARAMS_TALLYING),
    ])
    .unwrap();
    assert_eq!(
        (
            params.quorum.as_str(),
            params.threshold.as_str(),
            params.veto_threshold.as_str()
        ),
        (
            "0.400000000000000000",
            "0.500000000000000000",
            "0.334000000000000000"
        )
    );
    assert_eq!(params.min_deposit[0].amount, "250000000");
    assert_eq!(params.expedited_threshold, None);
    let only_deposit = ParamsResponse::merge(vec![parse(f::HUB_2025_GOV_PARAMS_DEPOSIT)]);
    assert_eq!(
        only_deposit, None,
        "zeroed tally params are not tally params"
    );
}

#[test]
fn unknown_statuses_messages_and_sdk_046_titles_parse() {
    let text = r#"{"proposals":[{"id":"7","messages":[{"@type":"/neutron.cron.MsgAddSchedule","name":"x"}],
        "status":"PROPOSAL_STATUS_SOMETHING_NEW","final_tally_result":{"yes_count":"1","abstain_count":"0","no_count":"0","no_with_veto_count":"0"},
        "submit_time":"0001-01-01T00:00:00Z","total_deposit":[],"voting_start_time":null,
        "metadata":"{\"title\":\"From metadata\",\"summary\":\"Summary from metadata\"}"}],"pagination":null}"#;
    let p = &v1(text)[0];
    assert_eq!(
        (p.status, p.title.as_str(), p.summary.as_str()),
        (
            ProposalStatus::Unspecified,
            "From metadata",
            "Summary from metadata"
        )
    );
    assert_eq!(p.submit_time, None, "Go's zero time is no time");
    assert_eq!(p.messages[0]["@type"], "/neutron.cron.MsgAddSchedule");
    assert!(
        parse_proposals_page(GovApi::V1, br#"{"proposals":[{"id":"x","status":"a"}]}"#).is_err()
    );
    assert!(parse_proposals_page(GovApi::V1, br#"{"proposals":[{"id":"1","status":"a","final_tally_result":{"yes_count":"-5","abstain_count":"0","no_count":"0","no_with_veto_count":"0"}}]}"#).is_err());
    assert!(parse_proposals_page(GovApi::V1, b"{\"proposals\": null}").is_err());
    assert!(parse_proposals_page(GovApi::V1, b"<html>").is_err());
}

#[test]
fn the_spam_rule_over_the_whole_hub_history() {
    let mut all = v1(f::HUB_2024_GOV_V1_PAGE1);
    all.extend(v1(f::HUB_2024_GOV_V1_PAGE2));
    all.extend(v1(f::HUB_2024_GOV_V1_PAGE3));
    all.extend(v1(f::HUB_2025_GOV_V1_VOTING));
    let flagged: Vec<i64> = all
        .iter()
        .filter(|p| !app::governance::spam::reasons(&p.title, &p.summary, None, None).is_empty())
        .map(|p| p.id as i64)
        .collect();
    // Phishing proposals of every vintage: 2022's, 2023's "for COSMOS stakers", 2024's emoji ones.
    for id in [640, 704, 812, 894, 896, 911, 923, 929, 933, 934, 936] {
        assert!(
            flagged.contains(&id),
            "#{id} is phishing; flagged: {flagged:?}"
        );
    }
    // Real proposals that mention airdrops, rewards or claims and link to a forum.
    for id in [
        1, 6, 52, 64, 80, 84, 717, 790, 794, 835, 860, 930, 931, 984, 986,
    ] {
        assert!(!flagged.contains(&id), "#{id} is a real proposal");
    }
}

#[test]
fn proposals_without_a_title_get_one_from_their_metadata_or_their_first_message() {
    // SDK 0.46 proposals: title and summary empty, text (if any) only in metadata.
    let text = r###"{"proposals":[
        {"id":"22","status":"PROPOSAL_STATUS_PASSED","title":"","summary":"","metadata":"ipfs://CID",
         "messages":[{"@type":"/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade","plan":{"name":"v8"}}]},
        {"id":"23","status":"PROPOSAL_STATUS_PASSED","title":"","summary":"","metadata":"{\"title\":\"Raise the \u202eEvil\u202c limit\\r\\nBcc: x@y.z\",\"summary\":\"## Why\\r\\nBecause\"}",
         "messages":[]},
        {"id":"24","status":"PROPOSAL_STATUS_PASSED","title":"  ","summary":"","metadata":"not json",
         "messages":[]}],"pagination":null}"###;
    let proposals = v1(text);
    assert_eq!(proposals[0].title, "Proposal #22 · MsgSoftwareUpgrade");
    assert_eq!(
        proposals[1].title, "Raise the Evil limit Bcc: x@y.z",
        "on one line, without bidi controls"
    );
    assert_eq!(proposals[1].summary, "## Why\nBecause");
    assert_eq!(proposals[2].title, "Proposal #24");

    // v1beta1 answers whose content is null (a message type the node cannot show as content).
    let text = r#"{"proposals":[{"proposal_id":"9","content":null,"status":"PROPOSAL_STATUS_REJECTED",
        "final_tally_result":{"yes":"1","abstain":"0","no":"2","no_with_veto":"0"}}],"pagination":null}"#;
    let beta = page(GovApi::V1beta1, text);
    assert_eq!(beta[0].title, "Proposal #9");
    assert_eq!(beta[0].status, ProposalStatus::Rejected);
    assert_eq!(beta[0].final_tally.no, 2);
    let text = r#"{"proposals":[{"proposal_id":"10","content":{"@type":"/cosmos.params.v1beta1.ParameterChangeProposal","title":"","description":"x"},"status":"2"}],"pagination":null}"#;
    let beta = page(GovApi::V1beta1, text);
    assert_eq!(beta[0].title, "Proposal #10 · ParameterChangeProposal");
    assert_eq!(
        beta[0].status,
        ProposalStatus::VotingPeriod,
        "old nodes send the enum's number"
    );
}
