//! Gov requests: proposals through gov v1, falling back to v1beta1 on chains that answer v1 with
//! Not Implemented or 404; the pages of a proposal's votes; tally parameters. And reading the
//! answers (one proposal, its tally, its votes) with errors that name the network and endpoint.

use crate::chain::{
    gov::{
        parse_proposal_response, parse_proposals_page, GovApi, ParamsResponse, Proposal, Tally,
        TallyParams, TallyResponse, VotesPage,
    },
    ChainClient, ChainError, ErrorKind,
};
use app::governance::ballot::Ballot;
use bytes::Bytes;

/// Votes come in big pages: a busy proposal has 100,000 of them.
const VOTES_PAGE: &str = "1000";

/// Whether the node lacks gov v1 (SDK before 0.46): 501, 404, or an LCD "not implemented".
fn lacks_v1(e: &ChainError) -> bool {
    match &e.kind {
        ErrorKind::Status { status, message } => {
            let message = message.to_lowercase();
            *status == 501
                || *status == 404
                || message.contains("not implemented")
                || message.contains("unknown service")
        }
        _ => false,
    }
}

/// Every page of the proposal list, and the API that answered.
pub async fn proposal_pages(
    client: &ChainClient,
    known: Option<GovApi>,
) -> Result<(GovApi, Vec<Bytes>), ChainError> {
    if known != Some(GovApi::V1beta1) {
        match client
            .get_all_pages(&format!("{}/proposals", GovApi::V1.base()), &[])
            .await
        {
            Ok(pages) => return Ok((GovApi::V1, pages)),
            Err(e) if lacks_v1(&e) => {
                tracing::info!(network = client.network(), error = %e, "no gov v1 here; using v1beta1")
            }
            Err(e) => return Err(e),
        }
    }
    let pages = client
        .get_all_pages(&format!("{}/proposals", GovApi::V1beta1.base()), &[])
        .await?;
    Ok((GovApi::V1beta1, pages))
}

/// The proposals of list pages, each with a hash of the chain's JSON for it.
pub fn parse_proposal_pages(
    client: &ChainClient,
    api: GovApi,
    pages: &[Bytes],
) -> Result<Vec<(Proposal, String)>, ChainError> {
    let endpoint = format!("{}/proposals", api.base());
    let mut proposals = Vec::new();
    for page in pages {
        proposals
            .extend(parse_proposals_page(api, page).map_err(|e| malformed(client, &endpoint, e))?);
    }
    Ok(proposals)
}

/// The answer of `GET …/proposals/{id}` (`endpoint`).
pub fn read_proposal(
    client: &ChainClient,
    api: GovApi,
    endpoint: &str,
    body: &[u8],
) -> Result<Proposal, ChainError> {
    parse_proposal_response(api, body).map_err(|e| malformed(client, endpoint, e))
}

/// The answer of `GET …/proposals/{id}/tally` (`endpoint`), in either API's shape.
pub fn read_tally(client: &ChainClient, endpoint: &str, body: &[u8]) -> Result<Tally, ChainError> {
    Ok(client.parse::<TallyResponse>(endpoint, body)?.tally())
}

pub async fn vote_pages(
    client: &ChainClient,
    api: GovApi,
    id: i64,
) -> Result<Vec<Bytes>, ChainError> {
    client
        .get_all_pages_of(
            &format!("{}/proposals/{id}/votes", api.base()),
            &[],
            VOTES_PAGE,
        )
        .await
}

/// A vote as the diff compares it: voter, canonical ballot, kind.
pub type ParsedVote = (String, String, String);

/// The votes of the pages; votes with options Stakeboard cannot read are skipped and counted.
pub fn parse_votes(
    client: &ChainClient,
    api: GovApi,
    id: i64,
    pages: &[Bytes],
) -> Result<(Vec<ParsedVote>, usize), ChainError> {
    let endpoint = format!("{}/proposals/{id}/votes", api.base());
    let mut votes = Vec::new();
    let mut skipped = 0;
    for page in pages {
        let (page_votes, page_skipped) = parse_votes_page(client.network(), id, page)
            .map_err(|e| client.error(&endpoint, ErrorKind::Malformed(e)))?;
        votes.extend(page_votes);
        skipped += page_skipped;
    }
    Ok((votes, skipped))
}

/// One page of `GET /cosmos/gov/{v1,v1beta1}/proposals/{id}/votes` (both shapes): each vote as
/// the diff compares it, and how many votes had options Stakeboard cannot read (skipped,
/// logged with `network`).
pub fn parse_votes_page(
    network: &str,
    id: i64,
    body: &[u8],
) -> Result<(Vec<ParsedVote>, usize), String> {
    let page: VotesPage = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut votes = Vec::new();
    let mut skipped = 0;
    for vote in page.votes {
        let options = vote.weighted_options();
        match Ballot::from_chain(
            options
                .iter()
                .map(|o| (o.option.as_str(), o.weight.as_str())),
        ) {
            Ok(ballot) => votes.push((vote.voter, ballot.canonical(), ballot.kind().to_string())),
            Err(reason) => {
                tracing::warn!(network, proposal = id, voter = %vote.voter, %reason, "vote skipped");
                skipped += 1;
            }
        }
    }
    Ok((votes, skipped))
}

/// The tally parameters: gov v1 `params` has them all; v1beta1 splits them by kind.
pub async fn params(client: &ChainClient, api: GovApi) -> Result<Option<TallyParams>, ChainError> {
    let kinds: &[&str] = match api {
        GovApi::V1 => &["tallying"],
        GovApi::V1beta1 => &["tallying", "deposit"],
    };
    let mut responses = Vec::new();
    for kind in kinds {
        responses.push(
            client
                .get::<ParamsResponse>(&format!("{}/params/{kind}", api.base()), &[])
                .await?,
        );
    }
    Ok(ParamsResponse::merge(responses))
}

fn malformed(client: &ChainClient, endpoint: &str, message: String) -> ChainError {
    ChainError {
        network: client.network().to_string(),
        endpoint: endpoint.to_string(),
        kind: ErrorKind::Malformed(message),
    }
}
