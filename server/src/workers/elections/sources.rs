//! Where an election's voting power comes from, read when it is prepared:
//! - `validators`: the bonded validators of the last collection, each as its account address
//!   with its tokens;
//! - `stake`: every delegation of every bonded validator at one block height (REST, the
//!   `x-cosmos-block-height` header), each following its validator's account when the
//!   delegator does not vote;
//! - `allowlist`: the uploaded addresses and weights.

use crate::{
    chain::{
        address, endpoints,
        types::{BlockResponse, DelegationsPage, ValidatorsPage},
    },
    elections::tally::Holding,
    workers::FollowedNetwork,
};
use anyhow::{bail, Context};
use futures::{stream, StreamExt, TryStreamExt};
use sqlx::PgPool;

/// Validators whose delegations are read at once.
const PARALLEL_VALIDATORS: usize = 8;

pub async fn validators(pool: &PgPool, network: &str) -> anyhow::Result<Vec<Holding>> {
    let rows = sqlx::query!(
        r#"SELECT account_address, tokens::text AS "tokens!" FROM validators
           WHERE network = $1 AND bond_status = 'BOND_STATUS_BONDED' AND removed_at IS NULL AND tokens > 0"#,
        network
    )
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        bail!("no bonded validator has been collected on {network} yet");
    }
    rows.into_iter()
        .map(|r| {
            Ok(Holding {
                address: r.account_address,
                delegate: None,
                power: r
                    .tokens
                    .parse()
                    .with_context(|| format!("tokens {:?} are not a whole number", r.tokens))?,
            })
        })
        .collect()
}

pub async fn allowlist(pool: &PgPool, id: i64) -> anyhow::Result<Vec<Holding>> {
    let rows = sqlx::query!(
        r#"SELECT address, weight::text AS "weight!" FROM election_allowlist WHERE election_id = $1"#,
        id
    )
    .fetch_all(pool)
    .await?;
    if rows.is_empty() {
        bail!("the allowlist is empty: upload it on the election's admin page");
    }
    rows.into_iter()
        .map(|r| {
            Ok(Holding {
                address: r.address,
                delegate: None,
                power: r
                    .weight
                    .parse()
                    .with_context(|| format!("weight {:?} is not a whole number", r.weight))?,
            })
        })
        .collect()
}

/// Every delegation of every validator bonded at `height` (`None`: the latest block); returns
/// them with the height read.
pub async fn stake(
    network: &FollowedNetwork,
    height: Option<u64>,
) -> anyhow::Result<(Vec<Holding>, u64)> {
    let client = &network.chain;
    let height = match height {
        Some(h) => h,
        None => {
            client
                .get::<BlockResponse>(endpoints::LATEST_BLOCK, &[])
                .await?
                .block
                .header
                .height
        }
    };
    let pages = client
        .get_all_pages_at(
            endpoints::STAKING_VALIDATORS,
            &[("status", "BOND_STATUS_BONDED")],
            "200",
            Some(height),
        )
        .await?;
    let mut operators = Vec::new();
    for page in &pages {
        let page: ValidatorsPage = client.parse(endpoints::STAKING_VALIDATORS, page)?;
        operators.extend(page.validators.into_iter().map(|v| v.operator_address));
    }
    if operators.is_empty() {
        bail!(
            "{} reports no bonded validator at height {height}",
            network.slug
        );
    }
    let (valoper, account) = (network.valoper_prefix(), network.bech32_prefix.clone());
    let holdings: Vec<Vec<Holding>> = stream::iter(operators)
        .map(|operator| {
            let (valoper, account) = (valoper.clone(), account.clone());
            async move {
                let endpoint = endpoints::validator_delegations(&operator);
                let validator_account =
                    address::account_of_operator(&operator, &valoper, &account)?;
                let pages = client
                    .get_all_pages_at(&endpoint, &[], "1000", Some(height))
                    .await?;
                let mut rows = Vec::new();
                for page in &pages {
                    let page: DelegationsPage = client.parse(&endpoint, page)?;
                    for d in page.delegation_responses {
                        let power = d.balance.base_units().with_context(|| {
                            format!(
                                "{endpoint}: the balance {:?} is not a whole number",
                                d.balance.amount
                            )
                        })?;
                        if power > 0 && d.delegation.validator_address == operator {
                            rows.push(Holding {
                                address: d.delegation.delegator_address,
                                delegate: Some(validator_account.clone()),
                                power,
                            });
                        }
                    }
                }
                anyhow::Ok(rows)
            }
        })
        .buffer_unordered(PARALLEL_VALIDATORS)
        .try_collect()
        .await?;
    Ok((holdings.into_iter().flatten().collect(), height))
}
