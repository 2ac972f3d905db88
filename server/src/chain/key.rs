//! Account keys from BIP-39 mnemonics (12 to 24 English words) at the Cosmos HD path
//! m/44'/118'/0'/0/0, as Keplr, Leap and `gaiad keys` derive them. Phrases are never echoed:
//! errors name word positions only.

use cosmrs::bip32::{DerivationPath, XPrv};
use secrecy::{ExposeSecret, SecretString};

pub const HD_PATH: &str = "m/44'/118'/0'/0/0";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MnemonicError {
    #[error("a mnemonic has 12, 15, 18, 21 or 24 words (this one has {0})")]
    WordCount(usize),
    #[error("not a valid BIP-39 English phrase: {0}")]
    Invalid(String),
}

/// The BIP-39 seed of a phrase (no passphrase).
pub fn seed(phrase: &SecretString) -> Result<[u8; 64], MnemonicError> {
    let words: Vec<&str> = phrase.expose_secret().split_whitespace().collect();
    if ![12, 15, 18, 21, 24].contains(&words.len()) {
        return Err(MnemonicError::WordCount(words.len()));
    }
    let mnemonic = bip39::Mnemonic::parse_in_normalized(bip39::Language::English, &words.join(" "))
        .map_err(|e| MnemonicError::Invalid(describe(e)))?;
    Ok(mnemonic.to_seed(""))
}

/// The account's secp256k1 signing key at [`HD_PATH`].
pub fn signing_key(phrase: &SecretString) -> Result<k256::ecdsa::SigningKey, MnemonicError> {
    let path: DerivationPath = HD_PATH.parse().expect("the Cosmos HD path parses");
    let key = XPrv::derive_from_path(seed(phrase)?, &path)
        .map_err(|e| MnemonicError::Invalid(e.to_string()))?;
    Ok(key.private_key().clone())
}

/// bip39's messages name word positions, never words; keep it that way.
fn describe(error: bip39::Error) -> String {
    match error {
        bip39::Error::UnknownWord(i) => format!("word {} is not in the English word list", i + 1),
        bip39::Error::InvalidChecksum => "the checksum does not match (a word is wrong)".into(),
        other => other.to_string(),
    }
}
