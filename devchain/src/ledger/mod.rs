//! Accounts, balances and transactions: enough of `x/auth`, `x/bank` and the tx service for a
//! faucet to sign, simulate, broadcast and look up real transactions.
//!
//! Broadcasting runs the checks the SDK's ante handler runs at CheckTx (chain id, account
//! number and signature over the SignDoc, sequence, fee, funds, timeout height) and puts the
//! transaction in the mempool; the next block on the block clock includes it.

pub mod check;
pub mod json;

pub use check::{Checked, TxError};

use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Default)]
pub struct Account {
    pub number: u64,
    pub sequence: u64,
    /// Compressed secp256k1 key, known once the account has signed a transaction.
    pub pub_key: Option<Vec<u8>>,
    pub balances: BTreeMap<String, u128>,
}

/// A transaction that passed CheckTx, waiting for its block.
#[derive(Debug, Clone)]
struct Pending {
    checked: Checked,
    height: u64,
}

/// A transaction in a block.
#[derive(Debug, Clone)]
pub struct Included {
    pub checked: Checked,
    pub height: u64,
    pub timestamp: String,
}

/// Knobs of the ledger.
#[derive(Debug, Clone)]
pub struct LedgerSettings {
    /// Minimum gas price in the staking denom, as (numerator, denominator): 1/400 = 0.0025.
    pub min_gas_price: (u128, u128),
    /// Accounts funded at genesis: (bech32 address, amount of the staking denom).
    pub funded: Vec<(String, u128)>,
}

impl Default for LedgerSettings {
    fn default() -> Self {
        Self {
            min_gas_price: (1, 400),
            funded: Vec::new(),
        }
    }
}

pub struct Ledger {
    pub settings: LedgerSettings,
    accounts: BTreeMap<String, Account>,
    mempool: Vec<Pending>,
    included: HashMap<String, Included>,
    next_account_number: u64,
    /// Simulations and broadcasts refused for a wrong sequence, for tests.
    pub sequence_mismatches: u64,
}

impl Ledger {
    pub fn new(settings: LedgerSettings, denom: &str) -> Self {
        let mut ledger = Self {
            settings: settings.clone(),
            accounts: BTreeMap::new(),
            mempool: Vec::new(),
            included: HashMap::new(),
            next_account_number: 1000,
            sequence_mismatches: 0,
        };
        for (address, amount) in settings.funded {
            ledger.credit(&address, denom, amount);
        }
        ledger
    }

    pub fn account(&self, address: &str) -> Option<&Account> {
        self.accounts.get(address)
    }

    pub fn balance(&self, address: &str, denom: &str) -> u128 {
        self.accounts
            .get(address)
            .and_then(|a| a.balances.get(denom))
            .copied()
            .unwrap_or(0)
    }

    pub fn balances(&self, address: &str) -> BTreeMap<String, u128> {
        self.accounts
            .get(address)
            .map(|a| a.balances.clone())
            .unwrap_or_default()
    }

    pub fn included(&self, hash: &str) -> Option<&Included> {
        self.included.get(&hash.to_ascii_uppercase())
    }

    pub fn mempool_len(&self) -> usize {
        self.mempool.len()
    }

    /// Adds `amount` to an account, creating it (with the next account number) if needed.
    pub fn credit(&mut self, address: &str, denom: &str, amount: u128) {
        let account = self.account_mut(address);
        *account.balances.entry(denom.to_string()).or_default() += amount;
    }

    fn account_mut(&mut self, address: &str) -> &mut Account {
        if !self.accounts.contains_key(address) {
            let number = self.next_account_number;
            self.next_account_number += 1;
            self.accounts.insert(
                address.to_string(),
                Account {
                    number,
                    ..Account::default()
                },
            );
        }
        self.accounts.get_mut(address).expect("just inserted")
    }

    /// The sequence CheckTx expects next: committed plus the signer's transactions in the mempool.
    fn check_sequence(&self, address: &str) -> u64 {
        let committed = self.accounts.get(address).map_or(0, |a| a.sequence);
        committed + self.pending_of(address).count() as u64
    }

    fn pending_of<'a>(&'a self, address: &'a str) -> impl Iterator<Item = &'a Pending> + 'a {
        self.mempool
            .iter()
            .filter(move |p| p.checked.signer == address)
    }

    /// What the signer can still spend once its mempool transactions are applied.
    fn spendable(&self, address: &str, denom: &str) -> u128 {
        let spent: u128 = self
            .pending_of(address)
            .map(|p| p.checked.spends(denom))
            .sum();
        self.balance(address, denom).saturating_sub(spent)
    }

    /// Includes every mempool transaction whose block is at most `height`.
    pub fn settle(&mut self, height: u64, time_of: impl Fn(u64) -> String) {
        let (due, waiting): (Vec<_>, Vec<_>) =
            self.mempool.drain(..).partition(|p| p.height <= height);
        self.mempool = waiting;
        for pending in due {
            let checked = &pending.checked;
            for (to, denom, amount) in &checked.outputs {
                self.credit(to, denom, *amount);
            }
            let signer = self.account_mut(&checked.signer);
            for (denom, amount) in checked.debits() {
                let balance = signer.balances.entry(denom).or_default();
                *balance = balance.saturating_sub(amount);
            }
            signer.sequence += 1;
            signer.pub_key = Some(checked.pub_key.clone());
            self.included.insert(
                checked.hash.clone(),
                Included {
                    timestamp: time_of(pending.height),
                    height: pending.height,
                    checked: pending.checked,
                },
            );
        }
    }
}
