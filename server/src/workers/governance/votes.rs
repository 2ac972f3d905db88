//! Polling the proposals in their voting period: each one's status (to catch the end), every
//! page of its votes (diffed against what is stored: only new and changed votes are written,
//! each change as a new history row) and its live tally (written only when it moved).

use super::{archive_when_changed, diff, fetch, refresh, store, NetworkState};
use crate::{
    chain::gov::GovApi,
    workers::{now_micros, FollowedNetwork, WorkerContext},
};
use std::{collections::hash_map::Entry, time::Instant};

/// What one polling round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PollSummary {
    pub proposals: usize,
    pub votes: usize,
    pub new_votes: usize,
    pub changed_votes: usize,
    pub skipped_votes: usize,
    pub ended: usize,
    /// Data rows written (votes, history, tallies, proposals): 0 when nothing moved.
    pub rows_written: u64,
}

impl std::fmt::Display for PollSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} voting: {} votes, {} new, {} changed, {} ended",
            self.proposals, self.votes, self.new_votes, self.changed_votes, self.ended
        )?;
        if self.skipped_votes > 0 {
            write!(f, ", {} unreadable votes skipped", self.skipped_votes)?;
        }
        Ok(())
    }
}

/// Archives the answers of one kind (`proposal`, `votes`) about proposal `id` as
/// `{network}/gov/{id}/{kind}/{timestamp}.json` when their bytes changed.
async fn archive_if_changed(
    ctx: &WorkerContext,
    state: &mut NetworkState,
    network: &FollowedNetwork,
    id: i64,
    kind: &'static str,
    responses: &[(&str, &bytes::Bytes)],
) -> anyhow::Result<()> {
    let hash = archive_when_changed(
        ctx,
        network,
        &format!("{}/gov/{id}/{kind}", network.slug),
        responses,
        state.archived.get(&(id, kind)).map(String::as_str),
        now_micros(),
        false,
    )
    .await?;
    state.archived.insert((id, kind), hash);
    Ok(())
}

pub async fn poll(
    ctx: &WorkerContext,
    state: &mut NetworkState,
    network: &FollowedNetwork,
) -> anyhow::Result<PollSummary> {
    let client = &network.chain;
    let api = state.api.unwrap_or(GovApi::V1);
    let mut summary = PollSummary::default();
    for id in state.voting.clone() {
        summary.proposals += 1;
        // Every answer is archived before it is parsed (so one that cannot be read is kept
        // too), and only when its bytes changed (so an unchanged round writes nothing).
        let endpoint = format!("{}/proposals/{id}", api.base());
        let body = client.get_raw(&endpoint, &[]).await?;
        archive_if_changed(ctx, state, network, id, "proposal", &[(&endpoint, &body)]).await?;
        let proposal = fetch::read_proposal(client, api, &endpoint, &body)?;
        if !proposal.status.is_voting() {
            let at = now_micros();
            // Stored first so the end is recorded against the final status and tally.
            let row = refresh::row(
                proposal,
                String::from("ended: refreshed on the next list read"),
                network,
                store::min_deposit(&ctx.pool, &network.slug, &network.denom).await?,
            );
            store::upsert_proposals(&ctx.pool, &network.slug, &[row], at).await?;
            summary.rows_written += 1 + store::record_end(&ctx.pool, &network.slug, id, at).await?;
            state.voting.remove(&id);
            state.forget(id);
            summary.ended += 1;
            continue;
        }
        let started = Instant::now();
        let tally_endpoint = format!("{}/proposals/{id}/tally", api.base());
        let tally_body = client.get_raw(&tally_endpoint, &[]).await?;
        let pages = fetch::vote_pages(client, api, id).await?;
        let fetched = Instant::now();
        let votes_endpoint = format!("{}/proposals/{id}/votes", api.base());
        let mut responses = vec![(tally_endpoint.as_str(), &tally_body)];
        responses.extend(pages.iter().map(|p| (votes_endpoint.as_str(), p)));
        archive_if_changed(ctx, state, network, id, "votes", &responses).await?;
        let tally = fetch::read_tally(client, &tally_endpoint, &tally_body)?;
        let archived = Instant::now();
        let (votes, skipped) = fetch::parse_votes(client, api, id, &pages)?;
        summary.votes += votes.len();
        summary.skipped_votes += skipped;

        let known = match state.known_votes.entry(id) {
            Entry::Occupied(slot) => slot.into_mut(),
            Entry::Vacant(slot) => {
                slot.insert(store::known_votes(&ctx.pool, &network.slug, id).await?)
            }
        };
        let changes = diff::diff(known, &votes);
        let diffed = Instant::now();
        if !changes.is_empty() {
            match store::write_votes(&ctx.pool, &network.slug, id, &changes, now_micros()).await {
                Ok(rows) => summary.rows_written += rows,
                Err(e) => {
                    // What is stored may not be what this replica thought (a first vote that
                    // is already there): read it again next round.
                    state.known_votes.remove(&id);
                    return Err(e.into());
                }
            }
            for change in changes {
                if change.is_first() {
                    summary.new_votes += 1;
                } else {
                    summary.changed_votes += 1;
                }
                known.insert(change.voter, change.options);
            }
        }
        tracing::debug!(
            network = %network.slug,
            proposal = id,
            pages = pages.len(),
            fetch_ms = (fetched - started).as_millis() as u64,
            archive_ms = (archived - fetched).as_millis() as u64,
            parse_and_diff_ms = (diffed - archived).as_millis() as u64,
            write_ms = diffed.elapsed().as_millis() as u64,
            "votes polled"
        );
        if state.live_tallies.get(&id) != Some(&tally) {
            store::update_live_tally(&ctx.pool, &network.slug, id, &tally, now_micros()).await?;
            state.live_tallies.insert(id, tally);
            summary.rows_written += 1;
        }
    }
    Ok(summary)
}
