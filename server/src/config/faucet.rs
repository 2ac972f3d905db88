//! A testnet's `[network.faucet]` table: what a claim pays and how the faucet sends.

use serde::Deserialize;
use toml::Spanned;

/// How the payments of one batch are put into a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayMessage {
    /// One `MsgMultiSend` with one input and an output per claim.
    MultiSend,
    /// One `MsgSend` per claim (for chains that disabled multi-send).
    Send,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FaucetConfig {
    /// Base units per claim.
    pub amount: u128,
    pub denom: String,
    pub address_cooldown_hours: i64,
    pub ip_claims_per_day: i64,
    pub max_recipients_per_tx: usize,
    /// Fee per unit of gas, in `denom`.
    pub gas_price: f64,
    pub gas_adjustment: f64,
    pub memo: String,
    pub message: PayMessage,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFaucet {
    amount: Spanned<u64>,
    #[serde(default)]
    denom: Option<Spanned<String>>,
    #[serde(default = "default_cooldown")]
    address_cooldown_hours: Spanned<i64>,
    #[serde(default = "default_ip_claims")]
    ip_claims_per_day: Spanned<i64>,
    #[serde(default = "default_max_recipients")]
    max_recipients_per_tx: Spanned<i64>,
    #[serde(default = "default_gas_price")]
    gas_price: Spanned<f64>,
    #[serde(default = "default_gas_adjustment")]
    gas_adjustment: Spanned<f64>,
    #[serde(default = "default_memo")]
    memo: Spanned<String>,
    #[serde(default = "default_message")]
    message: Spanned<PayMessage>,
}

fn default_cooldown() -> Spanned<i64> {
    Spanned::new(0..0, 24)
}
fn default_ip_claims() -> Spanned<i64> {
    Spanned::new(0..0, 5)
}
fn default_max_recipients() -> Spanned<i64> {
    Spanned::new(0..0, 50)
}
fn default_gas_price() -> Spanned<f64> {
    Spanned::new(0..0, 0.025)
}
fn default_gas_adjustment() -> Spanned<f64> {
    Spanned::new(0..0, 1.3)
}
fn default_memo() -> Spanned<String> {
    Spanned::new(0..0, "Stakeboard testnet faucet".into())
}
fn default_message() -> Spanned<PayMessage> {
    Spanned::new(0..0, PayMessage::MultiSend)
}

/// A refusal: the span of the offending value, its key and why.
pub type Refusal = (std::ops::Range<usize>, &'static str, String);

impl RawFaucet {
    /// Checks the table; `network_denom` is the default denom.
    pub fn check(
        self,
        network_denom: &str,
        is_denom: fn(&str) -> bool,
    ) -> Result<FaucetConfig, Refusal> {
        fn refuse<T: std::fmt::Debug>(v: &Spanned<T>, key: &'static str, why: &str) -> Refusal {
            (v.span(), key, format!("{why} (got {:?})", v.get_ref()))
        }
        if *self.amount.get_ref() == 0 {
            return Err(refuse(
                &self.amount,
                "amount",
                "must be more than 0 base units",
            ));
        }
        let denom = match &self.denom {
            Some(d) if !is_denom(d.get_ref()) => {
                return Err(refuse(d, "denom", "must be a denom such as \"uatom\""))
            }
            Some(d) => d.get_ref().clone(),
            None => network_denom.to_string(),
        };
        if !(1..=24 * 365).contains(self.address_cooldown_hours.get_ref()) {
            return Err(refuse(
                &self.address_cooldown_hours,
                "address_cooldown_hours",
                "must be 1 to 8760 hours",
            ));
        }
        if !(1..=100_000).contains(self.ip_claims_per_day.get_ref()) {
            return Err(refuse(
                &self.ip_claims_per_day,
                "ip_claims_per_day",
                "must be 1 to 100000",
            ));
        }
        if !(1..=1000).contains(self.max_recipients_per_tx.get_ref()) {
            return Err(refuse(
                &self.max_recipients_per_tx,
                "max_recipients_per_tx",
                "must be 1 to 1000",
            ));
        }
        let price = *self.gas_price.get_ref();
        if !(price.is_finite() && (0.0..=1000.0).contains(&price)) {
            return Err(refuse(
                &self.gas_price,
                "gas_price",
                "must be a price per gas unit such as 0.025",
            ));
        }
        let adjustment = *self.gas_adjustment.get_ref();
        if !(adjustment.is_finite() && (1.0..=10.0).contains(&adjustment)) {
            return Err(refuse(
                &self.gas_adjustment,
                "gas_adjustment",
                "must be 1.0 to 10.0",
            ));
        }
        if self.memo.get_ref().len() > 256 {
            return Err(refuse(&self.memo, "memo", "must be at most 256 bytes"));
        }
        Ok(FaucetConfig {
            amount: u128::from(*self.amount.get_ref()),
            denom,
            address_cooldown_hours: *self.address_cooldown_hours.get_ref(),
            ip_claims_per_day: *self.ip_claims_per_day.get_ref(),
            max_recipients_per_tx: *self.max_recipients_per_tx.get_ref() as usize,
            gas_price: price,
            gas_adjustment: adjustment,
            memo: self.memo.into_inner(),
            message: self.message.into_inner(),
        })
    }
}
