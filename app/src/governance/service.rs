//! The governance area's operations, shared by the server functions, the JSON API and the CSV.

use super::{
    ballot::Ballot,
    db::{self, ProposalRow, ValidatorVoteRow},
    markdown,
    model::*,
    query::ProposalQuery,
    status::ProposalStatus,
    tally::{judge, Tally, TallyRules},
};
use crate::{
    error::AppError,
    networks::{self, model::NetworkInfo},
    paging::{self, PageKey},
    system::{self, model::Freshness, workers::GOVERNANCE},
    ui::format::display_amount,
};
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::collections::HashMap;

pub async fn freshness(pool: &PgPool, network: &str) -> Result<Freshness, AppError> {
    Ok(system::service::freshness(pool, GOVERNANCE, network, None).await?)
}

fn figures(tally: &Tally<String>, exponent: i32) -> Tally<f64> {
    tally.map(|amount| display_amount(amount, exponent))
}

fn is_voting(row: &ProposalRow) -> bool {
    row.status.is_voting()
}

/// The bonded stake a proposal is measured against: at the end once recorded, now while voting.
fn bonded_for(row: &ProposalRow, network: &NetworkInfo, bonded_now: Option<f64>) -> Option<f64> {
    if is_voting(row) {
        bonded_now
    } else {
        row.bonded_at_end
            .as_deref()
            .map(|b| display_amount(b, network.exponent))
    }
}

fn summary(row: &ProposalRow, network: &NetworkInfo, bonded_now: Option<f64>) -> ProposalSummary {
    let tally = match (&row.live_tally, is_voting(row)) {
        (Some(live), true) => figures(live, network.exponent),
        _ => figures(&row.final_tally, network.exponent),
    };
    let turnout = bonded_for(row, network, bonded_now)
        .filter(|b| *b > 0.0)
        .map(|b| tally.total() / b);
    ProposalSummary {
        id: row.id,
        title: row.title.clone(),
        status: row.status,
        expedited: row.expedited,
        submit_time: row.submit_time,
        voting_start_time: row.voting_start_time,
        voting_end_time: row.voting_end_time,
        tally,
        turnout,
        spam_reasons: row.spam_reasons.clone(),
    }
}

/// A recorded vote from its row's columns (all present when the voter voted), with its history:
/// the `vote_history` rows of a voter who changed, else the one ballot seen.
fn vote_record(
    options: Option<&str>,
    first_seen_at: Option<DateTime<Utc>>,
    changed_at: Option<DateTime<Utc>>,
    history: impl FnOnce() -> Vec<(DateTime<Utc>, Ballot)>,
) -> Option<VoteRecord> {
    match (
        options.and_then(Ballot::parse_canonical),
        first_seen_at,
        changed_at,
    ) {
        (Some(ballot), Some(first_seen_at), Some(changed_at)) => {
            let mut history = history();
            if history.is_empty() {
                history.push((first_seen_at, ballot.clone()));
            }
            Some(VoteRecord {
                ballot,
                first_seen_at,
                changed_at,
                history,
            })
        }
        _ => None,
    }
}

async fn bonded_now(pool: &PgPool, network: &NetworkInfo) -> Result<Option<f64>, AppError> {
    let figures = networks::db::figures(pool, &network.slug).await?;
    Ok(figures.map(|f| display_amount(&f.bonded_tokens, network.exponent)))
}

pub async fn list(
    pool: &PgPool,
    slug: Option<&str>,
    query: &ProposalQuery,
) -> Result<ProposalList, AppError> {
    let (network, networks) = networks::service::resolve_network(pool, slug).await?;
    let (rows, freshness, bonded) = tokio::try_join!(
        async {
            db::proposals(pool, &network.slug)
                .await
                .map_err(AppError::from)
        },
        freshness(pool, &network.slug),
        bonded_now(pool, &network),
    )?;
    let summaries = rows.iter().map(|r| summary(r, &network, bonded)).collect();
    let (counts, total, proposals, next) = query.apply(summaries);
    Ok(ProposalList {
        next,
        network,
        networks,
        freshness,
        counts,
        total,
        proposals,
    })
}

/// Votes in a page of the proposal page's table of every vote.
pub const RECENT_VOTES_PAGE: i64 = 25;

/// One proposal with everything its page shows; `after` is where its table of every vote
/// (newest first) starts (`None`: the newest votes).
pub async fn detail(
    pool: &PgPool,
    slug: &str,
    id: i64,
    after: Option<VoteCursor>,
) -> Result<ProposalDetail, AppError> {
    let (network, _) = networks::service::resolve_network(pool, Some(slug)).await?;
    let not_found = || AppError::NotFound(format!("No proposal #{id} on {}.", network.name));
    let (found, freshness, bonded) = tokio::try_join!(
        async {
            db::proposal(pool, &network.slug, id)
                .await
                .map_err(AppError::from)
        },
        freshness(pool, &network.slug),
        bonded_now(pool, &network),
    )?;
    let (row, text) = found.ok_or_else(not_found)?;
    let params = &text.params;
    let proposal = summary(&row, &network, bonded);

    let recording = match (proposal.status, row.voting_seen_at, row.ended_seen_at) {
        (ProposalStatus::VotingPeriod, _, _) => Recording::Live,
        (ProposalStatus::DepositPeriod, _, _) => Recording::NotStarted,
        (_, _, Some(_)) => Recording::Complete,
        _ => Recording::Missed,
    };
    let rules = match (text.rules, params) {
        (Some([quorum, threshold, veto_threshold]), _) if recording == Recording::Complete => {
            Some(TallyRules {
                quorum,
                threshold,
                veto_threshold,
            })
        }
        (_, Some(p)) => Some(TallyRules {
            quorum: p.quorum,
            threshold: if row.expedited {
                p.expedited_threshold.unwrap_or(p.threshold)
            } else {
                p.threshold
            },
            veto_threshold: p.veto_threshold,
        }),
        _ => None,
    };
    let bonded = bonded_for(&row, &network, bonded);
    let judgement = match (rules, bonded) {
        (Some(rules), Some(bonded)) => Some(judge(&proposal.tally, bonded, &rules)),
        _ => None,
    };
    let tally = TallyView {
        figures: proposal.tally,
        bonded,
        rules,
        judgement,
        live: recording == Recording::Live,
        as_of: if recording == Recording::Live {
            row.live_tally_at
        } else {
            row.ended_seen_at
        },
    };

    let validator_rows = async {
        match recording {
            Recording::Complete => db::snapshot_validator_votes(pool, &network.slug, id).await,
            Recording::Live => db::bonded_validator_votes(pool, &network.slug, id).await,
            Recording::NotStarted | Recording::Missed => Ok(Vec::new()),
        }
    };
    let recent = async {
        if row.votes_recorded == 0 {
            return Ok(Vec::new());
        }
        db::votes_before(
            pool,
            &network.slug,
            id,
            RECENT_VOTES_PAGE + 1,
            after.as_ref(),
        )
        .await
    };
    let (validator_rows, recent) = tokio::try_join!(validator_rows, recent)?;
    let validators = validator_votes(pool, &network, id, validator_rows).await?;
    let (votes, next) = paging::page_of(recent, RECENT_VOTES_PAGE, VoteCursor::after);
    let recent_votes = RecentVotes {
        votes,
        after: after.map(|c| c.encode()),
        next,
    };
    let voters = row.votes_recorded;
    let validators_voted = validators.iter().filter(|v| v.vote.is_some()).count();
    let counts = VoterCounts {
        voters,
        validators_voted,
        validators: validators.len(),
        others: voters - validators_voted as i64,
        by_option: row.voters,
    };

    Ok(ProposalDetail {
        summary_html: markdown::render(&text.summary, proposal.spam_reasons.is_empty()),
        messages: serde_json::from_value(text.messages).unwrap_or_default(),
        proposer: text.proposer,
        failed_reason: text.failed_reason,
        deposit_end_time: row.deposit_end_time,
        total_deposit: serde_json::from_value(text.total_deposit).unwrap_or_default(),
        min_deposit: text
            .params
            .map(|p| serde_json::from_value(p.min_deposit).unwrap_or_default())
            .unwrap_or_default(),
        network,
        freshness,
        proposal,
        recording,
        tally,
        counts,
        validators,
        recent_votes,
    })
}

async fn validator_votes(
    pool: &PgPool,
    network: &NetworkInfo,
    id: i64,
    rows: Vec<ValidatorVoteRow>,
) -> Result<Vec<ValidatorVote>, AppError> {
    let voted: Vec<String> = rows
        .iter()
        .filter(|r| r.options.is_some())
        .map(|r| r.account_address.clone())
        .collect();
    let mut histories: HashMap<String, Vec<(DateTime<Utc>, Ballot)>> = HashMap::new();
    for (voter, at, options) in db::histories(pool, &network.slug, id, &voted).await? {
        if let Some(ballot) = Ballot::parse_canonical(&options) {
            histories.entry(voter).or_default().push((at, ballot));
        }
    }
    let mut votes: Vec<ValidatorVote> = rows
        .into_iter()
        .map(|r| {
            let vote = vote_record(r.options.as_deref(), r.first_seen_at, r.changed_at, || {
                histories.remove(&r.account_address).unwrap_or_default()
            });
            ValidatorVote {
                power: display_amount(&r.tokens, network.exponent),
                operator_address: r.operator_address,
                account_address: r.account_address,
                moniker: r.moniker,
                rank: r.rank,
                vote,
            }
        })
        .collect();
    votes.sort_by(|a, b| b.power.total_cmp(&a.power).then(a.rank.cmp(&b.rank)));
    Ok(votes)
}

pub async fn votes(
    pool: &PgPool,
    slug: &str,
    id: i64,
    limit: i64,
    position: VotePosition,
) -> Result<VotePage, AppError> {
    let (network, _) = networks::service::resolve_network(pool, Some(slug)).await?;
    // One vote more than the page: whether it exists says whether there is a next page.
    let page = async {
        match &position {
            VotePosition::After(cursor) => {
                db::votes_after(pool, &network.slug, id, limit + 1, cursor).await
            }
            VotePosition::Offset(offset) => {
                db::votes_page(pool, &network.slug, id, limit + 1, *offset).await
            }
        }
    };
    let (recorded, votes) = tokio::try_join!(db::votes_recorded(pool, &network.slug, id), page)?;
    let Some(total) = recorded else {
        return Err(AppError::NotFound(format!(
            "No proposal #{id} on {}.",
            network.name
        )));
    };
    let (votes, next) = paging::page_of(votes, limit, VoteCursor::after);
    Ok(VotePage {
        total,
        offset: match position {
            VotePosition::Offset(offset) => offset,
            VotePosition::After(_) => 0,
        },
        limit,
        votes,
        next,
    })
}

/// A page of a validator's votes on the proposals Stakeboard recorded (after `after`), and its
/// participation: the share of the proposals it was bonded for at their end that it voted on.
pub async fn validator_record(
    pool: &PgPool,
    network: &str,
    operator: &str,
    account: &str,
    limit: i64,
    after: Option<&RecordKey>,
) -> Result<GovernanceRecord, AppError> {
    let (rows, [last_10, last_50, all]) = tokio::try_join!(
        db::validator_record(pool, network, operator, account, limit + 1, after),
        db::participation(pool, network, operator, account),
    )?;
    let (rows, next) = paging::page_of(rows, limit, |r| RecordKey {
        voting_end_time: r.voting_end_time,
        id: r.proposal_id,
    });
    let changed: Vec<i64> = rows
        .iter()
        .filter(|r| r.changes.unwrap_or(0) > 0)
        .map(|r| r.proposal_id)
        .collect();
    let mut histories: HashMap<i64, Vec<(DateTime<Utc>, Ballot)>> = HashMap::new();
    if !changed.is_empty() {
        for (proposal, at, options) in db::voter_history(pool, network, account, &changed).await? {
            if let Some(ballot) = Ballot::parse_canonical(&options) {
                histories.entry(proposal).or_default().push((at, ballot));
            }
        }
    }
    let votes = rows
        .into_iter()
        .map(|r| ValidatorProposalVote {
            vote: vote_record(r.options.as_deref(), r.first_seen_at, r.changed_at, || {
                histories.remove(&r.proposal_id).unwrap_or_default()
            }),
            proposal_id: r.proposal_id,
            title: r.title,
            status: ProposalStatus::from_chain(&r.status),
            voting_end_time: r.voting_end_time,
        })
        .collect();
    Ok(GovernanceRecord {
        votes,
        next,
        last_10,
        last_50,
        all,
    })
}
