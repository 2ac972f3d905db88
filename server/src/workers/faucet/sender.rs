//! One sender per faucet key. Once per block it settles the transactions in flight (included →
//! claims confirmed; past their timeout height → claims back in the queue), then pays up to
//! `max_recipients_per_tx` pending claims in one transaction: simulate for gas, sign, write the
//! hash ahead, broadcast. The sequence is kept in memory and corrected from the node's
//! "expected N" answer, so a sequence error costs a retry, never a claim.

use super::{
    key::FaucetKey,
    store::{self, SignedRecord, StatusUpdate},
    tx::{gas_and_fee, sign, Payment, TxParams},
};
use crate::{
    chain::{
        faucet::{expected_sequence, SimulateError},
        ChainClient,
    },
    config::{faucet::FaucetConfig, networks::Network},
};
use sqlx::PgPool;
use std::sync::Arc;

/// CheckTx code for a wrong sequence, and for a transaction the node already has.
const CODE_WRONG_SEQUENCE: u32 = 32;
const CODE_ALREADY_KNOWN: u32 = 19;
/// Tries of one batch when the node keeps answering with another sequence.
const SEQUENCE_RETRIES: usize = 3;

#[derive(Debug, Clone, Copy)]
pub struct SenderSettings {
    /// Blocks after the current one during which a transaction may be included.
    pub timeout_blocks: u64,
    /// Failed attempts after which a claim fails for good.
    pub max_attempts: i32,
}

pub struct Sender {
    pub network: Network,
    pub faucet: FaucetConfig,
    pub key: Arc<FaucetKey>,
    pub address: String,
    pub chain: ChainClient,
    pub pool: PgPool,
    pub settings: SenderSettings,
    account_number: Option<u64>,
    sequence: Option<u64>,
}

/// What one block's work did, for logs and tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub confirmed: u64,
    pub sent: usize,
    pub requeued: usize,
    pub sequence_retries: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Chain(#[from] crate::chain::ChainError),
    #[error("{0}")]
    Other(String),
}

impl Sender {
    pub fn new(
        network: Network,
        faucet: FaucetConfig,
        key: Arc<FaucetKey>,
        chain: ChainClient,
        pool: PgPool,
        settings: SenderSettings,
    ) -> Self {
        let address = key.address(&network.bech32_prefix);
        Self {
            network,
            faucet,
            key,
            address,
            chain,
            pool,
            settings,
            account_number: None,
            sequence: None,
        }
    }

    /// Forgets the cached sequence (another replica may have sent meanwhile).
    pub fn forget_sequence(&mut self) {
        self.sequence = None;
    }

    /// One block's work at chain height `height`.
    pub async fn round(&mut self, height: u64) -> Result<Round, SendError> {
        let mut round = Round::default();
        self.settle(height, &mut round).await?;
        let balance = self.chain.balance(&self.address, &self.faucet.denom).await;
        let error = balance.as_ref().err().map(|e| e.to_string());
        self.record_status(height, balance.ok(), error.as_deref())
            .await?;
        self.send_batch(height, &mut round).await?;
        Ok(round)
    }

    async fn settle(&mut self, height: u64, round: &mut Round) -> Result<(), SendError> {
        for open in store::open_txs(&self.pool, &self.network.slug).await? {
            match self.chain.tx(&open.hash).await? {
                Some(result) if result.code == 0 => {
                    let paid = store::confirm(&self.pool, &open.hash, result.height).await?;
                    metrics::counter!("stakeboard_faucet_claims_paid_total", "network" => self.network.slug.clone())
                        .increment(paid);
                    round.confirmed += paid;
                }
                Some(result) => {
                    let why = format!(
                        "the chain refused the payment in block {}: {}",
                        result.height, result.raw_log
                    );
                    self.release(&open.hash, "rejected", &why, true).await?;
                    self.forget_sequence();
                }
                None if height > open.timeout_height as u64 => {
                    let why = format!(
                        "not included by block {}; queued again",
                        open.timeout_height
                    );
                    tracing::warn!(network = %self.network.slug, hash = %open.hash, "{why}");
                    self.release(&open.hash, "expired", &why, false).await?;
                    self.forget_sequence();
                }
                None if open.state == "signed" => {
                    // Written ahead but maybe never sent (a crash, a lost answer): send the same
                    // bytes again. The same hash and sequence cannot pay twice.
                    self.rebroadcast(&open).await?;
                }
                None => {}
            }
        }
        Ok(())
    }

    async fn rebroadcast(&mut self, open: &store::OpenTx) -> Result<(), SendError> {
        let outcome = self.chain.broadcast_sync(&open.tx_bytes).await?;
        match outcome.code {
            0 | CODE_ALREADY_KNOWN => store::mark_broadcast(&self.pool, &open.hash).await?,
            CODE_WRONG_SEQUENCE => {
                // Past this sequence, the account moved on without this transaction (it is not
                // in a block): it can never be included.
                if expected_sequence(&outcome.raw_log).is_some_and(|e| e > open.sequence as u64) {
                    let why = "its sequence was used by another transaction; queued again";
                    self.release(&open.hash, "rejected", why, false).await?;
                    self.forget_sequence();
                }
            }
            _ => {
                self.release(&open.hash, "rejected", &outcome.raw_log, true)
                    .await?;
            }
        }
        Ok(())
    }

    async fn account(&mut self) -> Result<Option<(u64, u64)>, SendError> {
        if let (Some(number), Some(sequence)) = (self.account_number, self.sequence) {
            return Ok(Some((number, sequence)));
        }
        match self.chain.account(&self.address).await? {
            Some(state) => {
                self.account_number = Some(state.number);
                self.sequence = Some(state.sequence);
                Ok(Some((state.number, state.sequence)))
            }
            None => Ok(None),
        }
    }

    async fn send_batch(&mut self, height: u64, round: &mut Round) -> Result<(), SendError> {
        for _ in 0..SEQUENCE_RETRIES {
            let batch = store::take_batch(
                &self.pool,
                &self.network.slug,
                self.faucet.max_recipients_per_tx,
            )
            .await?;
            if batch.claims.is_empty() {
                return Ok(());
            }
            let Some((number, sequence)) = self.account().await? else {
                let why = format!(
                    "the faucet account {} does not exist on the chain yet: fund it",
                    self.address
                );
                self.record_status(height, None, Some(&why)).await?;
                return Ok(());
            };
            let payments: Vec<Payment> = batch.claims.iter().map(|c| c.payment.clone()).collect();
            let timeout_height = height + self.settings.timeout_blocks;
            let params = |fee: u128, gas_limit: u64| TxParams {
                chain_id: &self.network.chain_id,
                account_number: number,
                sequence,
                prefix: &self.network.bech32_prefix,
                denom: &self.faucet.denom,
                payments: &payments,
                message: self.faucet.message,
                fee,
                gas_limit,
                memo: &self.faucet.memo,
                timeout_height,
            };
            let probe =
                sign(&self.key, &params(0, 0)).map_err(|e| SendError::Other(e.to_string()))?;
            let gas_used = match self.chain.simulate(&probe.bytes).await {
                Ok(gas) => gas,
                Err(SimulateError::Refused(message)) => {
                    if let Some(expected) = expected_sequence(&message) {
                        self.note_sequence_error(expected, round);
                        continue;
                    }
                    tracing::warn!(network = %self.network.slug, %message, "simulation refused the batch");
                    batch
                        .fail(
                            &format!("the chain refused the payment: {message}"),
                            self.settings.max_attempts,
                        )
                        .await?;
                    return Ok(());
                }
                Err(SimulateError::Chain(e)) => return Err(e.into()),
            };
            let (gas_limit, fee) =
                gas_and_fee(gas_used, self.faucet.gas_adjustment, self.faucet.gas_price);
            let signed = sign(&self.key, &params(fee, gas_limit))
                .map_err(|e| SendError::Other(e.to_string()))?;
            let recipients = batch.claims.len();
            batch
                .write_ahead(SignedRecord {
                    network: &self.network.slug,
                    signer: &self.address,
                    sequence,
                    timeout_height,
                    fee,
                    signed: &signed,
                })
                .await?;
            let outcome = match self.chain.broadcast_sync(&signed.bytes).await {
                Ok(outcome) => outcome,
                Err(e) => {
                    // The node may have it: the next round looks the hash up or sends it again.
                    tracing::warn!(network = %self.network.slug, hash = %signed.hash, error = %e, "broadcast answer lost");
                    self.sequence = Some(sequence + 1);
                    return Ok(());
                }
            };
            match outcome.code {
                0 | CODE_ALREADY_KNOWN => {
                    store::mark_broadcast(&self.pool, &signed.hash).await?;
                    self.sequence = Some(sequence + 1);
                    round.sent += recipients;
                    metrics::counter!("stakeboard_faucet_txs_total", "network" => self.network.slug.clone(), "outcome" => "broadcast").increment(1);
                    return Ok(());
                }
                CODE_WRONG_SEQUENCE => {
                    self.release(&signed.hash, "rejected", &outcome.raw_log, false)
                        .await?;
                    round.requeued += recipients;
                    match expected_sequence(&outcome.raw_log) {
                        Some(expected) => self.note_sequence_error(expected, round),
                        None => self.forget_sequence(),
                    }
                }
                _ => {
                    let why = format!(
                        "the chain refused the payment (code {}): {}",
                        outcome.code, outcome.raw_log
                    );
                    tracing::warn!(network = %self.network.slug, %why);
                    self.release(&signed.hash, "rejected", &why, true).await?;
                    metrics::counter!("stakeboard_faucet_txs_total", "network" => self.network.slug.clone(), "outcome" => "refused").increment(1);
                    round.requeued += recipients;
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Settles transaction `hash` as `state` (expired or rejected): its claims go back to the
    /// queue, costing them an attempt when `counts`.
    async fn release(
        &self,
        hash: &str,
        state: &str,
        why: &str,
        counts: bool,
    ) -> Result<(), sqlx::Error> {
        store::release(
            &self.pool,
            hash,
            state,
            why,
            counts,
            self.settings.max_attempts,
        )
        .await
    }

    /// Records what this round read: the balance (None keeps the last one) and any error.
    async fn record_status(
        &self,
        height: u64,
        balance: Option<u128>,
        error: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        store::record_status(
            &self.pool,
            StatusUpdate {
                network: &self.network.slug,
                address: &self.address,
                balance,
                sequence: self.sequence,
                height: Some(height),
                error,
            },
        )
        .await
    }

    fn note_sequence_error(&mut self, expected: u64, round: &mut Round) {
        tracing::info!(network = %self.network.slug, expected, had = ?self.sequence, "sequence corrected from the node's answer");
        metrics::counter!("stakeboard_faucet_sequence_corrections_total", "network" => self.network.slug.clone()).increment(1);
        self.sequence = Some(expected);
        round.sequence_retries += 1;
    }
}
