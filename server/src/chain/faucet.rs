//! What the faucet asks a node: its account, its balance, the latest height, and the tx
//! service (simulate, broadcast in sync mode, look up by hash). Parsed leniently: numbers may
//! be strings, and accounts may be wrapped (vesting accounts nest a `base_account`).

use super::{
    endpoints::{
        AUTH_ACCOUNTS, BANK_BALANCES, LATEST_BLOCK, TX_BROADCAST, TX_BY_HASH, TX_SIMULATE,
    },
    error::describe_body,
    ChainClient, ChainError, ErrorKind,
};
use app::coin::Coin;
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde_json::{json, Value};

/// An account's number and next sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountState {
    pub number: u64,
    pub sequence: u64,
}

/// The node's CheckTx answer to a sync broadcast.
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastOutcome {
    pub code: u32,
    pub codespace: String,
    pub raw_log: String,
    pub txhash: String,
}

/// A transaction found in a block.
#[derive(Debug, Clone, PartialEq)]
pub struct TxResult {
    pub height: u64,
    pub code: u32,
    pub raw_log: String,
}

/// Why a simulation failed: the chain refused the transaction, or the node was not reached.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Chain(#[from] ChainError),
}

fn number(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn not_found(e: &ChainError) -> bool {
    matches!(&e.kind, ErrorKind::Status { status: 404, .. })
        || matches!(&e.kind, ErrorKind::Status { message, .. } if message.contains("not found"))
}

impl ChainClient {
    /// The body at `endpoint`, or None when the node says there is nothing there.
    async fn get_if_found(&self, endpoint: &str) -> Result<Option<Value>, ChainError> {
        match self.get(endpoint, &[]).await {
            Ok(body) => Ok(Some(body)),
            Err(e) if not_found(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn account(&self, address: &str) -> Result<Option<AccountState>, ChainError> {
        let endpoint = format!("{AUTH_ACCOUNTS}/{address}");
        let Some(body) = self.get_if_found(&endpoint).await? else {
            return Ok(None);
        };
        let account = &body["account"];
        let base = if account["base_account"].is_object() {
            &account["base_account"]
        } else if account["base_vesting_account"]["base_account"].is_object() {
            &account["base_vesting_account"]["base_account"]
        } else {
            account
        };
        match (number(&base["account_number"]), number(&base["sequence"])) {
            (Some(number), sequence) => Ok(Some(AccountState {
                number,
                sequence: sequence.unwrap_or(0),
            })),
            _ => Err(self.error(
                &endpoint,
                ErrorKind::Malformed("no account_number in the account".into()),
            )),
        }
    }

    /// `GET /cosmos/bank/v1beta1/balances/{address}/by_denom`: the balance of `denom`, in base
    /// units.
    pub async fn balance(&self, address: &str, denom: &str) -> Result<u128, ChainError> {
        #[derive(serde::Deserialize)]
        struct BalanceResponse {
            balance: Coin,
        }
        let endpoint = format!("{BANK_BALANCES}/{address}/by_denom");
        let body: BalanceResponse = self.get(&endpoint, &[("denom", denom)]).await?;
        body.balance.base_units().ok_or_else(|| {
            self.error(
                &endpoint,
                ErrorKind::Malformed(format!(
                    "balance {:?} is not whole base units",
                    body.balance.amount
                )),
            )
        })
    }

    pub async fn latest_height(&self) -> Result<u64, ChainError> {
        let body: Value = self.get(LATEST_BLOCK, &[]).await?;
        ["block", "sdk_block"]
            .iter()
            .find_map(|b| number(&body[b]["header"]["height"]))
            .ok_or_else(|| self.error(LATEST_BLOCK, ErrorKind::Malformed("no block height".into())))
    }

    /// Gas used by the transaction, as the node simulates it.
    pub async fn simulate(&self, tx_bytes: &[u8]) -> Result<u64, SimulateError> {
        let (status, body) = self
            .post_json(TX_SIMULATE, &json!({ "tx_bytes": B64.encode(tx_bytes) }))
            .await?;
        if !(200..300).contains(&status) {
            if status >= 500 && !body_has_message(&body) {
                return Err(self
                    .error(
                        TX_SIMULATE,
                        ErrorKind::Status {
                            status,
                            message: describe_body(&body),
                        },
                    )
                    .into());
            }
            return Err(SimulateError::Refused(describe_body(&body)));
        }
        let body: Value = self.parse(TX_SIMULATE, &body)?;
        number(&body["gas_info"]["gas_used"]).ok_or_else(|| {
            self.error(
                TX_SIMULATE,
                ErrorKind::Malformed("no gas_info.gas_used".into()),
            )
            .into()
        })
    }

    pub async fn broadcast_sync(&self, tx_bytes: &[u8]) -> Result<BroadcastOutcome, ChainError> {
        let request = json!({ "tx_bytes": B64.encode(tx_bytes), "mode": "BROADCAST_MODE_SYNC" });
        let (status, body) = self.post_json(TX_BROADCAST, &request).await?;
        if !(200..300).contains(&status) {
            return Err(self.error(
                TX_BROADCAST,
                ErrorKind::Status {
                    status,
                    message: describe_body(&body),
                },
            ));
        }
        let body: Value = self.parse(TX_BROADCAST, &body)?;
        let r = &body["tx_response"];
        Ok(BroadcastOutcome {
            code: number(&r["code"]).unwrap_or(0) as u32,
            codespace: r["codespace"].as_str().unwrap_or_default().to_string(),
            raw_log: r["raw_log"].as_str().unwrap_or_default().to_string(),
            txhash: r["txhash"].as_str().unwrap_or_default().to_string(),
        })
    }

    /// The transaction if it is in a block; None while it is not (yet).
    pub async fn tx(&self, hash: &str) -> Result<Option<TxResult>, ChainError> {
        let endpoint = format!("{TX_BY_HASH}/{hash}");
        let Some(body) = self.get_if_found(&endpoint).await? else {
            return Ok(None);
        };
        let r = &body["tx_response"];
        let height = number(&r["height"]).ok_or_else(|| {
            self.error(
                &endpoint,
                ErrorKind::Malformed("no tx_response.height".into()),
            )
        })?;
        Ok(Some(TxResult {
            height,
            code: number(&r["code"]).unwrap_or(0) as u32,
            raw_log: r["raw_log"].as_str().unwrap_or_default().to_string(),
        }))
    }
}

fn body_has_message(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .map(|v| v["message"].is_string())
        .unwrap_or(false)
}

/// The sequence a node expects, from its "account sequence mismatch, expected N, got M" text.
pub fn expected_sequence(message: &str) -> Option<u64> {
    if !message.contains("sequence mismatch") {
        return None;
    }
    let rest = &message[message.find("expected ")? + "expected ".len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expected_sequence_is_read_from_the_sdk_message() {
        assert_eq!(
            expected_sequence(
                "account sequence mismatch, expected 17, got 15: incorrect account sequence"
            ),
            Some(17)
        );
        assert_eq!(expected_sequence("insufficient funds"), None);
        assert_eq!(
            expected_sequence("account sequence mismatch, expected x"),
            None
        );
    }
}
