//! `stakeboard ballot sign` (sign a ballot with an account key, for voters without a browser
//! wallet, and for scripts) and `stakeboard election verify` (recount a bundle offline).

use super::{bundle::Bundle, verify};
use anyhow::{bail, Context};
use app::elections::{
    adr036,
    ballot::{BallotData, SignedBallot},
    choice::Choice,
    views::ElectionDetail,
};
use secrecy::SecretString;
use std::path::Path;

/// A key file: a BIP-39 mnemonic (the account at m/44'/118'/0'/0/0) or a private key as 64 hex
/// digits.
pub fn read_key(file: &Path) -> anyhow::Result<k256::ecdsa::SigningKey> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the key file {}", file.display()))?;
    let text = text.trim();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let bytes = hex::decode(text)?;
        return k256::ecdsa::SigningKey::from_slice(&bytes)
            .context("the private key in the key file is not a valid secp256k1 key");
    }
    crate::chain::key::signing_key(&SecretString::from(text.to_string())).map_err(|e| {
        anyhow::anyhow!("the key file holds neither a hex private key nor a usable mnemonic: {e}")
    })
}

/// Builds and signs a ballot for `election` as the site at `url` describes it.
pub async fn sign_ballot(
    url: &str,
    election: i64,
    choice: &str,
    key_file: &Path,
) -> anyhow::Result<SignedBallot> {
    let key = read_key(key_file)?;
    let url = url.trim_end_matches('/');
    let endpoint = format!("{url}/api/v1/elections/{election}");
    let response = reqwest::get(&endpoint)
        .await
        .with_context(|| format!("cannot reach {endpoint}"))?;
    if !response.status().is_success() {
        bail!(
            "{endpoint} answered {}: {}",
            response.status(),
            response.text().await.unwrap_or_default()
        );
    }
    let detail: ElectionDetail = response
        .json()
        .await
        .with_context(|| format!("{endpoint} did not answer with an election"))?;
    let Some(plan_hash) = detail.commitments.plan_hash.clone() else {
        bail!(
            "election #{election} has no plan yet: it is {}",
            detail.state.label().to_lowercase()
        );
    };
    let choice = Choice::parse_text(choice, detail.rules.method).map_err(anyhow::Error::msg)?;
    choice
        .validate(detail.rules.method, detail.options.len())
        .map_err(|e| anyhow::anyhow!("{e} (the options: {})", numbered(&detail.options)))?;
    let nonce = hex::encode(rand::random::<[u8; 12]>());
    let data = BallotData::new(election, &plan_hash, choice, nonce, chrono::Utc::now()).canonical();
    Ok(adr036::sign(&key, &detail.network.bech32_prefix, &data))
}

fn numbered(options: &[String]) -> String {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{} {o}", i + 1))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Recounts the bundle at `path`; the report, and whether it matches.
pub fn verify_bundle(path: &Path) -> anyhow::Result<(String, bool)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let bundle = Bundle::read(&bytes).map_err(anyhow::Error::msg)?;
    let report = verify::verify(&bundle);
    Ok((report.render(), report.matches()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mnemonic_key_signs_the_bytes_cosmjs_signs() {
        #[derive(serde::Deserialize)]
        struct Vector {
            mnemonic: String,
            signer: String,
            data: String,
            pub_key: app::elections::ballot::PubKey,
            signature: String,
        }
        let v: Vector = serde_json::from_str(include_str!(
            "../../../app/src/elections/testdata/adr036.json"
        ))
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("key");
        std::fs::write(&file, format!("{}\n", v.mnemonic)).unwrap();
        let key = read_key(&file).unwrap();
        let ours = adr036::sign(&key, "cosmos", &v.data);
        assert_eq!(
            ours,
            SignedBallot {
                data: v.data,
                pub_key: v.pub_key,
                signature: v.signature,
                signer: v.signer
            },
            "RFC 6979 signatures are deterministic: the same bytes as cosmjs"
        );
        std::fs::write(&file, hex::encode(key.to_bytes())).unwrap();
        assert_eq!(read_key(&file).unwrap().to_bytes(), key.to_bytes());
        std::fs::write(&file, "not a key").unwrap();
        assert!(read_key(&file).unwrap_err().to_string().contains("neither"));
    }
}
