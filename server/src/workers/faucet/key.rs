//! The faucet's key: a BIP-39 mnemonic (12 to 24 words) at the Cosmos path m/44'/118'/0'/0/0.
//! The phrase is never logged or shown; only the address derived from it is.

use crate::chain::key::{self, MnemonicError, HD_PATH};
use cosmrs::{
    bip32::DerivationPath,
    crypto::{secp256k1::SigningKey, PublicKey},
};
use secrecy::SecretString;
use std::path::Path;

pub struct FaucetKey {
    signing: SigningKey,
    public: PublicKey,
}

impl std::fmt::Debug for FaucetKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FaucetKey([redacted])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read FAUCET_MNEMONIC_FILE {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("the faucet mnemonic must have 12, 15, 18, 21 or 24 words (it has {0})")]
    WordCount(usize),
    #[error("the faucet mnemonic is not a valid BIP-39 English phrase: {0}")]
    Invalid(String),
}

impl FaucetKey {
    pub fn from_mnemonic(phrase: &SecretString) -> Result<Self, KeyError> {
        let seed = key::seed(phrase).map_err(|e| match e {
            MnemonicError::WordCount(n) => KeyError::WordCount(n),
            MnemonicError::Invalid(reason) => KeyError::Invalid(reason),
        })?;
        let path: DerivationPath = HD_PATH.parse().expect("the Cosmos HD path parses");
        let signing = SigningKey::derive_from_path(seed, &path)
            .map_err(|e| KeyError::Invalid(e.to_string()))?;
        let public = signing.public_key();
        Ok(Self { signing, public })
    }

    /// Reads the key from `FAUCET_MNEMONIC`, else `FAUCET_MNEMONIC_FILE`; None when neither is set.
    pub fn load(
        phrase: Option<&SecretString>,
        file: Option<&Path>,
    ) -> Result<Option<Self>, KeyError> {
        if let Some(phrase) = phrase {
            return Self::from_mnemonic(phrase).map(Some);
        }
        let Some(path) = file else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::File {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_mnemonic(&SecretString::from(text)).map(Some)
    }

    pub fn address(&self, prefix: &str) -> String {
        self.public
            .account_id(prefix)
            .map(|id| id.to_string())
            .unwrap_or_default()
    }

    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const ABANDON: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn the_well_known_test_mnemonic_gives_its_well_known_address() {
        let key = FaucetKey::from_mnemonic(&SecretString::from(ABANDON)).unwrap();
        assert_eq!(
            key.address("cosmos"),
            "cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4"
        );
    }

    #[test]
    fn bad_phrases_are_refused_without_echoing_them() {
        let err = FaucetKey::from_mnemonic(&SecretString::from("abandon abandon")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the faucet mnemonic must have 12, 15, 18, 21 or 24 words (it has 2)"
        );
        let wrong = ABANDON.replace("about", "abandon");
        let err = FaucetKey::from_mnemonic(&SecretString::from(wrong))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("checksum") && !err.contains("abandon"),
            "{err}"
        );
        let typo = ABANDON.replacen("abandon", "abandonn", 1);
        let err = FaucetKey::from_mnemonic(&SecretString::from(typo))
            .unwrap_err()
            .to_string();
        assert!(err.contains("word 1") && !err.contains("abandonn"), "{err}");
        assert_eq!(
            format!(
                "{:?}",
                FaucetKey::from_mnemonic(&SecretString::from(ABANDON)).unwrap()
            ),
            "FaucetKey([redacted])"
        );
    }
}
