//! The faucets as configured, handed to the web side by the server at start.

use super::model::format_amount;

#[derive(Debug, Clone)]
pub struct FaucetSettings {
    pub network: String,
    pub network_name: String,
    pub prefix: String,
    pub denom: String,
    pub display_denom: String,
    pub exponent: u32,
    /// Base units per claim.
    pub amount: u128,
    pub address_cooldown_hours: i64,
    pub ip_claims_per_day: i64,
    /// The faucet's own address; None when no key is configured.
    pub address: Option<String>,
}

impl FaucetSettings {
    pub fn display(&self, base: u128) -> String {
        format_amount(base, self.exponent, &self.display_denom)
    }
}

/// Every faucet, plus the captcha settings they share.
#[derive(Clone, Default)]
pub struct Faucets {
    pub list: Vec<FaucetSettings>,
    /// HMAC key of captcha challenges, shared by every replica through Postgres.
    pub captcha_key: Vec<u8>,
    /// Challenges draw their number from 0..=this: the browser tries half of it on average.
    pub captcha_max_number: u64,
    pub captcha_ttl_secs: i64,
    /// Whether `POST /credit` (the cosmjs faucet's API) needs a captcha solution too.
    pub credit_requires_captcha: bool,
}

impl std::fmt::Debug for Faucets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faucets")
            .field("list", &self.list)
            .field("captcha_key", &"[redacted]")
            .field("captcha_max_number", &self.captcha_max_number)
            .finish()
    }
}

impl Faucets {
    pub fn get(&self, network: &str) -> Option<&FaucetSettings> {
        self.list.iter().find(|f| f.network == network)
    }

    /// A fresh proof-of-work challenge, valid for `captcha_ttl_secs`.
    pub fn new_challenge(&self) -> super::captcha::Challenge {
        let expires = chrono::Utc::now().timestamp() + self.captcha_ttl_secs;
        super::captcha::server::issue(&self.captcha_key, self.captcha_max_number, expires)
    }
}
