//! ADR-036 off-chain signatures, as Keplr's and Leap's `signArbitrary` make them: the signer
//! signs (secp256k1, SHA-256, low-S) the amino JSON of a sign doc holding one
//! `sign/MsgSignData` message with the data in base64, chain id empty, fee zero, account
//! number and sequence 0. The signer's address is RIPEMD-160(SHA-256(compressed key)).

use super::ballot::{PubKey, SignedBallot, SECP256K1_PUBKEY_TYPE};
use base64::{engine::general_purpose::STANDARD as B64, Engine};
use k256::ecdsa::{
    signature::{Signer, Verifier},
    Signature, SigningKey, VerifyingKey,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Why a signature is not taken; each message says what the voter can do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the public key type {0:?} is not supported: sign with a secp256k1 account key ({SECP256K1_PUBKEY_TYPE})")]
    KeyType(String),
    #[error("the public key is not a compressed secp256k1 key in base64")]
    Key,
    #[error("the signature is not 64 bytes (r ‖ s) in base64")]
    Encoding,
    #[error(
        "the signature is in high-S form; sign again with a wallet that normalises signatures"
    )]
    HighS,
    #[error("the public key belongs to {derived}, not to the signer {signer}")]
    SignerMismatch { signer: String, derived: String },
    #[error("the signature does not match the ballot and the signer's key (was the data changed after signing?)")]
    Invalid,
}

#[derive(Serialize)]
struct SignDoc<'a> {
    account_number: &'static str,
    chain_id: &'static str,
    fee: Fee,
    memo: &'static str,
    msgs: [Msg<'a>; 1],
    sequence: &'static str,
}

#[derive(Serialize)]
struct Fee {
    amount: [(); 0],
    gas: &'static str,
}

#[derive(Serialize)]
struct Msg<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: MsgValue<'a>,
}

#[derive(Serialize)]
struct MsgValue<'a> {
    data: String,
    signer: &'a str,
}

/// The bytes a wallet signs for `data` signed by `signer` (sorted amino JSON, with `&`, `<`
/// and `>` escaped as amino JSON does).
pub fn sign_doc(signer: &str, data: &[u8]) -> Vec<u8> {
    let doc = SignDoc {
        account_number: "0",
        chain_id: "",
        fee: Fee {
            amount: [],
            gas: "0",
        },
        memo: "",
        msgs: [Msg {
            kind: "sign/MsgSignData",
            value: MsgValue {
                data: B64.encode(data),
                signer,
            },
        }],
        sequence: "0",
    };
    serde_json::to_string(&doc)
        .expect("a sign doc serialises")
        .replace('&', "\\u0026")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .into_bytes()
}

/// The account address of a compressed secp256k1 key under `prefix` (empty when `prefix`
/// cannot be a bech32 prefix).
pub fn account_address(prefix: &str, key: &[u8]) -> String {
    let hash = ripemd::Ripemd160::digest(Sha256::digest(key));
    bech32::Hrp::parse(prefix)
        .ok()
        .and_then(|hrp| bech32::encode::<bech32::Bech32>(hrp, &hash).ok())
        .unwrap_or_default()
}

/// Checks that `ballot.signature` is the signer's ADR-036 signature of `ballot.data`, and that
/// its key is the signer's (an address under `prefix`).
pub fn verify(ballot: &SignedBallot, prefix: &str) -> Result<(), SignatureError> {
    if ballot.pub_key.kind != SECP256K1_PUBKEY_TYPE {
        return Err(SignatureError::KeyType(
            ballot.pub_key.kind.chars().take(64).collect(),
        ));
    }
    let key_bytes = B64
        .decode(&ballot.pub_key.value)
        .map_err(|_| SignatureError::Key)?;
    if key_bytes.len() != 33 {
        return Err(SignatureError::Key);
    }
    let key = VerifyingKey::from_sec1_bytes(&key_bytes).map_err(|_| SignatureError::Key)?;
    let derived = account_address(prefix, &key_bytes);
    if derived != ballot.signer {
        return Err(SignatureError::SignerMismatch {
            signer: ballot.signer.chars().take(90).collect(),
            derived,
        });
    }
    let bytes = B64
        .decode(&ballot.signature)
        .map_err(|_| SignatureError::Encoding)?;
    let signature = Signature::from_slice(&bytes).map_err(|_| SignatureError::Encoding)?;
    if signature.normalize_s().is_some() {
        return Err(SignatureError::HighS);
    }
    key.verify(
        &sign_doc(&ballot.signer, ballot.data.as_bytes()),
        &signature,
    )
    .map_err(|_| SignatureError::Invalid)
}

/// Signs `data` as the account of `key` under `prefix` (the command line's `ballot sign`,
/// tests and benches).
pub fn sign(key: &SigningKey, prefix: &str, data: &str) -> SignedBallot {
    let public = key.verifying_key().to_encoded_point(true);
    let signer = account_address(prefix, public.as_bytes());
    let signature: Signature = key.sign(&sign_doc(&signer, data.as_bytes()));
    SignedBallot {
        data: data.to_string(),
        pub_key: PubKey {
            kind: SECP256K1_PUBKEY_TYPE.to_string(),
            value: B64.encode(public.as_bytes()),
        },
        signature: B64.encode(signature.to_bytes()),
        signer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Vector {
        signer: String,
        data: String,
        sign_doc: String,
        pub_key: PubKey,
        signature: String,
    }

    fn vector() -> Vector {
        serde_json::from_str(include_str!("testdata/adr036.json")).unwrap()
    }

    fn ballot(v: &Vector) -> SignedBallot {
        SignedBallot {
            data: v.data.clone(),
            pub_key: v.pub_key.clone(),
            signature: v.signature.clone(),
            signer: v.signer.clone(),
        }
    }

    #[test]
    fn keplrs_sign_doc_and_cosmjss_signature_are_ours() {
        let v = vector();
        assert_eq!(
            String::from_utf8(sign_doc(&v.signer, v.data.as_bytes())).unwrap(),
            v.sign_doc
        );
        assert_eq!(verify(&ballot(&v), "cosmos"), Ok(()));
    }

    #[test]
    fn anything_changed_after_signing_is_refused_with_the_reason() {
        let v = vector();
        let mut changed = ballot(&v);
        changed.data = changed.data.replace("\"election\":7", "\"election\":8");
        assert_eq!(verify(&changed, "cosmos"), Err(SignatureError::Invalid));
        let mut other = ballot(&v);
        other.signer = "cosmos1hsk6jryyqjfhp5dhc55tc9jtckygx0eph6dd02".into();
        assert!(matches!(
            verify(&other, "cosmos"),
            Err(SignatureError::SignerMismatch { .. })
        ));
        assert!(matches!(
            verify(&ballot(&v), "osmo"),
            Err(SignatureError::SignerMismatch { .. })
        ));
        let mut key_type = ballot(&v);
        key_type.pub_key.kind = "tendermint/PubKeyEd25519".into();
        assert!(matches!(
            verify(&key_type, "cosmos"),
            Err(SignatureError::KeyType(_))
        ));
        let mut short = ballot(&v);
        short.signature = B64.encode([1u8; 63]);
        assert_eq!(verify(&short, "cosmos"), Err(SignatureError::Encoding));
        let mut bad_key = ballot(&v);
        bad_key.pub_key.value = "not base64!".into();
        assert_eq!(verify(&bad_key, "cosmos"), Err(SignatureError::Key));
        // The same signature with s replaced by n - s verifies mathematically, and is refused.
        let sig = Signature::from_slice(&B64.decode(&v.signature).unwrap()).unwrap();
        let (r, s) = sig.split_scalars();
        let high = Signature::from_scalars(r, -*s).unwrap();
        let mut malleated = ballot(&v);
        malleated.signature = B64.encode(high.to_bytes());
        assert_eq!(verify(&malleated, "cosmos"), Err(SignatureError::HighS));
    }
}
