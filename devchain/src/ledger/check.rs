//! Decoding a `TxRaw` and the CheckTx checks, with the SDK's error codes and messages.

use super::Ledger;
use cosmrs::{
    crypto::{secp256k1::VerifyingKey, PublicKey},
    proto::{
        cosmos::{
            bank::v1beta1::{MsgMultiSend, MsgSend},
            base::v1beta1::Coin,
            crypto::secp256k1::PubKey,
            tx::v1beta1::{mode_info, AuthInfo, SignDoc, TxBody, TxRaw},
        },
        traits::Message,
    },
};
use k256::ecdsa::{signature::Verifier, Signature};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const MSG_SEND: &str = "/cosmos.bank.v1beta1.MsgSend";
pub const MSG_MULTI_SEND: &str = "/cosmos.bank.v1beta1.MsgMultiSend";
const SECP256K1_PUBKEY: &str = "/cosmos.crypto.secp256k1.PubKey";
const SIGN_MODE_DIRECT: i32 = 1;

/// A refusal shaped like an SDK `TxResponse` with a non-zero code.
#[derive(Debug, Clone, PartialEq)]
pub struct TxError {
    pub codespace: &'static str,
    pub code: u32,
    pub message: String,
}

impl TxError {
    fn sdk(code: u32, message: impl Into<String>) -> Self {
        Self {
            codespace: "sdk",
            code,
            message: message.into(),
        }
    }

    fn bank(code: u32, message: impl Into<String>) -> Self {
        Self {
            codespace: "bank",
            code,
            message: message.into(),
        }
    }
}

/// A transaction that passed the checks, with what it does.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Upper-case hex SHA-256 of the tx bytes, as CometBFT names transactions.
    pub hash: String,
    pub signer: String,
    pub pub_key: Vec<u8>,
    pub sequence: u64,
    /// (recipient, denom, amount) for every output.
    pub outputs: Vec<(String, String, u128)>,
    pub fee: Vec<(String, u128)>,
    pub gas_wanted: u64,
    pub gas_used: u64,
    pub memo: String,
    pub timeout_height: u64,
    /// The messages as the SDK prints them in JSON.
    pub messages: Vec<Value>,
}

impl Checked {
    /// What the signer pays in `denom`: every output plus the fee.
    pub fn spends(&self, denom: &str) -> u128 {
        self.debits()
            .into_iter()
            .filter(|(d, _)| d == denom)
            .map(|(_, a)| a)
            .sum()
    }

    pub fn debits(&self) -> Vec<(String, u128)> {
        let mut out: Vec<(String, u128)> = Vec::new();
        let all = self
            .outputs
            .iter()
            .map(|(_, d, a)| (d.clone(), *a))
            .chain(self.fee.iter().cloned());
        for (denom, amount) in all {
            match out.iter_mut().find(|(d, _)| *d == denom) {
                Some((_, total)) => *total += amount,
                None => out.push((denom, amount)),
            }
        }
        out
    }
}

/// Gas the bank module would use, deterministic so tests can predict fees.
pub fn gas_for(outputs: usize) -> u64 {
    60_000 + 12_000 * outputs as u64
}

/// How a check runs: simulation skips the signature, gas and fee checks, as the SDK does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Simulate,
    Deliver,
}

pub struct ChainContext<'a> {
    pub chain_id: &'a str,
    pub prefix: &'a str,
    pub denom: &'a str,
    pub height: u64,
}

impl Ledger {
    pub fn check(&self, bytes: &[u8], ctx: &ChainContext, mode: Mode) -> Result<Checked, TxError> {
        let raw =
            TxRaw::decode(bytes).map_err(|e| TxError::sdk(2, format!("tx parse error: {e}")))?;
        let body = TxBody::decode(raw.body_bytes.as_slice())
            .map_err(|e| TxError::sdk(2, format!("tx parse error: body: {e}")))?;
        let auth = AuthInfo::decode(raw.auth_info_bytes.as_slice())
            .map_err(|e| TxError::sdk(2, format!("tx parse error: auth info: {e}")))?;
        let [signer_info] = auth.signer_infos.as_slice() else {
            return Err(TxError::sdk(
                4,
                "devchain accepts exactly one signer: unauthorized",
            ));
        };
        if raw.signatures.len() != 1 {
            return Err(TxError::sdk(
                4,
                format!(
                    "wrong number of signatures; expected 1, got {}: unauthorized",
                    raw.signatures.len()
                ),
            ));
        }
        let direct = matches!(
            signer_info.mode_info.as_ref().and_then(|m| m.sum.as_ref()),
            Some(mode_info::Sum::Single(s)) if s.mode == SIGN_MODE_DIRECT
        );
        if !direct {
            return Err(TxError::sdk(
                18,
                "devchain accepts SIGN_MODE_DIRECT only: invalid request",
            ));
        }
        let pub_key = match signer_info.public_key.as_ref() {
            Some(any) if any.type_url == SECP256K1_PUBKEY => {
                PubKey::decode(any.value.as_slice())
                    .map_err(|e| TxError::sdk(8, format!("invalid public key: {e}")))?
                    .key
            }
            _ => {
                return Err(TxError::sdk(
                    8,
                    "pubkey on account is not set: invalid pubkey",
                ))
            }
        };
        let verifying_key = VerifyingKey::from_sec1_bytes(&pub_key)
            .map_err(|_| TxError::sdk(8, "invalid secp256k1 public key: invalid pubkey"))?;
        let signer = PublicKey::from(verifying_key)
            .account_id(ctx.prefix)
            .map_err(|e| TxError::sdk(8, format!("{e}")))?
            .to_string();

        let (outputs, messages) = read_messages(&body, &signer, ctx.prefix)?;
        if ctx.height > 0 && body.timeout_height > 0 && ctx.height >= body.timeout_height {
            return Err(TxError::sdk(
                30,
                format!(
                    "block height: {}, timeout height: {}: tx timeout height",
                    ctx.height, body.timeout_height
                ),
            ));
        }
        let Some(account) = self.account(&signer) else {
            return Err(TxError::sdk(
                9,
                format!("account {signer} not found: unknown address"),
            ));
        };
        let expected = self.check_sequence(&signer);
        if signer_info.sequence != expected {
            return Err(TxError::sdk(
                32,
                format!(
                    "account sequence mismatch, expected {expected}, got {}: incorrect account sequence",
                    signer_info.sequence
                ),
            ));
        }
        let fee = auth.fee.clone().unwrap_or_default();
        let fee_coins = coins(&fee.amount)?;
        let gas_used = gas_for(outputs.len());
        if mode == Mode::Deliver {
            let doc = SignDoc {
                body_bytes: raw.body_bytes.clone(),
                auth_info_bytes: raw.auth_info_bytes.clone(),
                chain_id: ctx.chain_id.to_string(),
                account_number: account.number,
            };
            let signature = Signature::from_slice(&raw.signatures[0]).ok();
            let valid =
                signature.is_some_and(|s| verifying_key.verify(&doc.encode_to_vec(), &s).is_ok());
            if !valid {
                return Err(TxError::sdk(
                    4,
                    format!(
                        "signature verification failed; please verify account number ({}) and chain-id ({}): unauthorized",
                        account.number, ctx.chain_id
                    ),
                ));
            }
            let (num, den) = self.settings.min_gas_price;
            let required = (u128::from(fee.gas_limit) * num).div_ceil(den);
            let paid: u128 = fee_coins
                .iter()
                .filter(|(d, _)| d == ctx.denom)
                .map(|(_, a)| a)
                .sum();
            if paid < required {
                return Err(TxError::sdk(
                    13,
                    format!("insufficient fees; got: {paid}{}, required: {required}{}: insufficient fee", ctx.denom, ctx.denom),
                ));
            }
            if fee.gas_limit < gas_used {
                return Err(TxError::sdk(
                    11,
                    format!("out of gas in location: bank; gasWanted: {}, gasUsed: {gas_used}: out of gas", fee.gas_limit),
                ));
            }
        }
        let hash = hex::encode_upper(Sha256::digest(bytes));
        let checked = Checked {
            hash,
            signer: signer.clone(),
            pub_key,
            sequence: signer_info.sequence,
            outputs,
            fee: fee_coins,
            gas_wanted: fee.gas_limit,
            gas_used,
            memo: body.memo.clone(),
            timeout_height: body.timeout_height,
            messages,
        };
        for (denom, amount) in checked.debits() {
            let spendable = self.spendable(&signer, &denom);
            if spendable < amount {
                return Err(TxError::sdk(
                    5,
                    format!("spendable balance {spendable}{denom} is smaller than {amount}{denom}: insufficient funds"),
                ));
            }
        }
        Ok(checked)
    }

    /// CheckTx: on success the transaction waits in the mempool for the next block.
    pub fn broadcast(&mut self, bytes: &[u8], ctx: &ChainContext) -> Result<Checked, TxError> {
        let hash = hex::encode_upper(Sha256::digest(bytes));
        if self.included.contains_key(&hash) || self.mempool.iter().any(|p| p.checked.hash == hash)
        {
            return Err(TxError::sdk(19, "tx already exists in cache"));
        }
        let checked = match self.check(bytes, ctx, Mode::Deliver) {
            Ok(c) => c,
            Err(e) => {
                if e.code == 32 {
                    self.sequence_mismatches += 1;
                }
                return Err(e);
            }
        };
        self.mempool.push(super::Pending {
            checked: checked.clone(),
            height: ctx.height + 1,
        });
        Ok(checked)
    }
}

fn coins(coins: &[Coin]) -> Result<Vec<(String, u128)>, TxError> {
    coins
        .iter()
        .map(|c| {
            c.amount
                .parse::<u128>()
                .map(|a| (c.denom.clone(), a))
                .map_err(|_| TxError::sdk(10, format!("{}{}: invalid coins", c.amount, c.denom)))
        })
        .collect()
}

type Outputs = Vec<(String, String, u128)>;

fn read_messages(
    body: &TxBody,
    signer: &str,
    prefix: &str,
) -> Result<(Outputs, Vec<Value>), TxError> {
    if body.messages.is_empty() {
        return Err(TxError::sdk(
            18,
            "must contain at least one message: invalid request",
        ));
    }
    let mut outputs = Vec::new();
    let mut json = Vec::new();
    for any in &body.messages {
        match any.type_url.as_str() {
            MSG_SEND => {
                let msg = MsgSend::decode(any.value.as_slice())
                    .map_err(|e| TxError::sdk(2, format!("tx parse error: MsgSend: {e}")))?;
                require_signer(&msg.from_address, signer)?;
                require_address(&msg.to_address, prefix)?;
                for (denom, amount) in coins(&msg.amount)? {
                    outputs.push((msg.to_address.clone(), denom, amount));
                }
                json.push(json!({
                    "@type": MSG_SEND,
                    "from_address": msg.from_address,
                    "to_address": msg.to_address,
                    "amount": coins_json(&msg.amount),
                }));
            }
            MSG_MULTI_SEND => {
                let msg = MsgMultiSend::decode(any.value.as_slice())
                    .map_err(|e| TxError::sdk(2, format!("tx parse error: MsgMultiSend: {e}")))?;
                let [input] = msg.inputs.as_slice() else {
                    return Err(TxError::bank(12, "multiple senders not allowed"));
                };
                require_signer(&input.address, signer)?;
                let mut sent = Vec::new();
                for output in &msg.outputs {
                    require_address(&output.address, prefix)?;
                    for (denom, amount) in coins(&output.coins)? {
                        outputs.push((output.address.clone(), denom.clone(), amount));
                        sent.push((denom, amount));
                    }
                }
                let total = |list: &[(String, u128)]| {
                    let mut sorted: Vec<(String, u128)> = Vec::new();
                    for (d, a) in list {
                        match sorted.iter_mut().find(|(x, _)| x == d) {
                            Some((_, t)) => *t += a,
                            None => sorted.push((d.clone(), *a)),
                        }
                    }
                    sorted.sort();
                    sorted
                };
                if total(&coins(&input.coins)?) != total(&sent) {
                    return Err(TxError::bank(4, "sum inputs != sum outputs"));
                }
                json.push(json!({
                    "@type": MSG_MULTI_SEND,
                    "inputs": [{"address": input.address, "coins": coins_json(&input.coins)}],
                    "outputs": msg.outputs.iter().map(|o| json!({"address": o.address, "coins": coins_json(&o.coins)})).collect::<Vec<_>>(),
                }));
            }
            other => {
                return Err(TxError::sdk(
                    6,
                    format!("unrecognized message type: {other}: unknown request"),
                ))
            }
        }
    }
    Ok((outputs, json))
}

fn require_signer(address: &str, signer: &str) -> Result<(), TxError> {
    if address == signer {
        Ok(())
    } else {
        Err(TxError::sdk(
            8,
            format!("pubKey does not match signer address {address} with signer index: 0: invalid pubkey"),
        ))
    }
}

fn require_address(address: &str, prefix: &str) -> Result<(), TxError> {
    match bech32::decode(address) {
        Ok((hrp, _)) if hrp.as_str() == prefix => Ok(()),
        _ => Err(TxError::sdk(
            7,
            format!("invalid address {address}: invalid address"),
        )),
    }
}

fn coins_json(coins: &[Coin]) -> Value {
    coins
        .iter()
        .map(|c| json!({"denom": c.denom, "amount": c.amount}))
        .collect()
}
