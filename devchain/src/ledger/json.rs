//! The ledger's answers in the SDK's JSON shapes.

use super::{check::Checked, Account, Included, Ledger, TxError};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use serde_json::{json, Value};

impl Ledger {
    /// `GET /cosmos/auth/v1beta1/accounts/{address}`.
    pub fn account_json(&self, address: &str) -> Option<Value> {
        self.account(address).map(|a| account_json(address, a))
    }

    /// `GET /cosmos/bank/v1beta1/balances/{address}`.
    pub fn balances_json(&self, address: &str) -> Value {
        let balances: Vec<Value> = self
            .balances(address)
            .into_iter()
            .filter(|(_, amount)| *amount > 0)
            .map(|(denom, amount)| json!({"denom": denom, "amount": amount.to_string()}))
            .collect();
        let total = balances.len();
        json!({"balances": balances, "pagination": {"next_key": null, "total": total.to_string()}})
    }

    /// `GET /cosmos/tx/v1beta1/txs/{hash}`.
    pub fn tx_json(&self, hash: &str) -> Option<Value> {
        let included = self.included(hash)?;
        Some(json!({
            "tx": tx_value(&included.checked),
            "tx_response": included_response(included),
        }))
    }
}

fn account_json(address: &str, account: &Account) -> Value {
    let pub_key = account
        .pub_key
        .as_ref()
        .map(|key| json!({"@type": "/cosmos.crypto.secp256k1.PubKey", "key": B64.encode(key)}));
    json!({
        "account": {
            "@type": "/cosmos.auth.v1beta1.BaseAccount",
            "address": address,
            "pub_key": pub_key,
            "account_number": account.number.to_string(),
            "sequence": account.sequence.to_string(),
        }
    })
}

fn tx_value(checked: &Checked) -> Value {
    json!({
        "@type": "/cosmos.tx.v1beta1.Tx",
        "body": {
            "messages": checked.messages,
            "memo": checked.memo,
            "timeout_height": checked.timeout_height.to_string(),
            "extension_options": [],
            "non_critical_extension_options": [],
        },
        "auth_info": {
            "signer_infos": [{
                "public_key": {"@type": "/cosmos.crypto.secp256k1.PubKey", "key": B64.encode(&checked.pub_key)},
                "mode_info": {"single": {"mode": "SIGN_MODE_DIRECT"}},
                "sequence": checked.sequence.to_string(),
            }],
            "fee": {
                "amount": checked.fee.iter().map(|(d, a)| json!({"denom": d, "amount": a.to_string()})).collect::<Vec<_>>(),
                "gas_limit": checked.gas_wanted.to_string(),
                "payer": "",
                "granter": "",
            },
        },
        "signatures": [],
    })
}

fn included_response(included: &Included) -> Value {
    let c = &included.checked;
    json!({
        "height": included.height.to_string(),
        "txhash": c.hash,
        "codespace": "",
        "code": 0,
        "data": "",
        "raw_log": "",
        "logs": [],
        "info": "",
        "gas_wanted": c.gas_wanted.to_string(),
        "gas_used": c.gas_used.to_string(),
        "tx": tx_value(c),
        "timestamp": included.timestamp,
        "events": [],
    })
}

/// A `BroadcastTxResponse` in sync mode: height 0, the CheckTx code and log.
pub fn broadcast_response(hash: &str, result: &Result<Checked, TxError>) -> Value {
    let (code, codespace, raw_log) = match result {
        Ok(_) => (0, "", String::new()),
        Err(e) => (e.code, e.codespace, e.message.clone()),
    };
    json!({
        "tx_response": {
            "height": "0",
            "txhash": hash,
            "codespace": codespace,
            "code": code,
            "data": "",
            "raw_log": raw_log,
            "logs": [],
            "info": "",
            "gas_wanted": result.as_ref().map(|c| c.gas_wanted).unwrap_or(0).to_string(),
            "gas_used": "0",
            "tx": null,
            "timestamp": "",
            "events": [],
        }
    })
}

/// A `SimulateResponse`.
pub fn simulate_response(checked: &Checked) -> Value {
    json!({
        "gas_info": {"gas_wanted": checked.gas_wanted.to_string(), "gas_used": checked.gas_used.to_string()},
        "result": {"data": "", "log": "", "events": [], "msg_responses": []},
    })
}
