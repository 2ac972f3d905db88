//! The faucet's transactions and chain client against devchain, without the server around
//! them: a signed payment is simulated, broadcast, included and found by hash; devchain refuses
//! what a node refuses (wrong chain id, sequence, fee, garbage, replays, late transactions) with
//! the SDK's codes; and a node that answers 5xx, malformed JSON or too slowly gives a clear error.

use crate::common;

use crate::common::faucet::{self, FAUCET_ADDRESS, MNEMONIC};
use devchain::{faults::Faults, DevChain};
use secrecy::SecretString;
use server::{
    chain::{client::ChainClient, error::ErrorKind, faucet::expected_sequence},
    config::faucet::PayMessage,
    workers::faucet::{
        key::FaucetKey,
        tx::{sign, Payment, SignedTx, TxParams},
    },
};
use std::time::Duration;

const FUNDS: u128 = 1_000_000_000;

fn client(chain: &DevChain, timeout: Duration) -> ChainClient {
    ChainClient::new(
        "devnet",
        chain.url().parse().unwrap(),
        timeout,
        common::quick_retry(),
    )
}

/// A devchain with the faucet funded, a client for it, and the faucet's account number.
async fn funded(timeout: Duration) -> (DevChain, ChainClient, u64) {
    let chain = faucet::chain(100, FUNDS).await;
    let client = client(&chain, timeout);
    let account = client.account(FAUCET_ADDRESS).await.unwrap().unwrap();
    (chain, client, account.number)
}

fn key() -> FaucetKey {
    FaucetKey::from_mnemonic(&SecretString::from(MNEMONIC)).unwrap()
}

/// A payment of 1,000 uatom to each of `recipients`, with an ample fee unless `fee` is given.
struct Build<'a> {
    account_number: u64,
    chain_id: &'a str,
    sequence: u64,
    recipients: u32,
    fee: u128,
    timeout_height: u64,
}

impl Default for Build<'_> {
    fn default() -> Self {
        Self {
            account_number: 0,
            chain_id: "devnet-1",
            sequence: 0,
            recipients: 3,
            fee: 10_000,
            timeout_height: 1_000_000_000,
        }
    }
}

fn build(b: Build) -> SignedTx {
    let payments: Vec<Payment> = (0..b.recipients)
        .map(|i| Payment {
            address: faucet::recipient(i),
            amount: 1_000,
        })
        .collect();
    sign(
        &key(),
        &TxParams {
            chain_id: b.chain_id,
            account_number: b.account_number,
            sequence: b.sequence,
            prefix: "cosmos",
            denom: "uatom",
            payments: &payments,
            message: PayMessage::MultiSend,
            fee: b.fee,
            gas_limit: 200_000,
            memo: "test",
            timeout_height: b.timeout_height,
        },
    )
    .unwrap()
}

async fn included(client: &ChainClient, hash: &str) -> u64 {
    common::eventually(10, "the transaction in a block", || async {
        client.tx(hash).await.unwrap().map(|r| r.height)
    })
    .await
}

#[tokio::test]
async fn a_signed_payment_is_simulated_broadcast_included_and_found() {
    let chain = faucet::chain(100, FUNDS).await;
    let client = client(&chain, Duration::from_secs(5));
    let account = client.account(FAUCET_ADDRESS).await.unwrap().unwrap();
    assert_eq!(account.sequence, 0);
    assert_eq!(
        client.balance(FAUCET_ADDRESS, "uatom").await.unwrap(),
        FUNDS
    );

    let tx = build(Build {
        account_number: account.number,
        ..Build::default()
    });
    let gas = client.simulate(&tx.bytes).await.unwrap();
    assert!(gas > 0 && gas < 200_000, "gas {gas}");
    let outcome = client.broadcast_sync(&tx.bytes).await.unwrap();
    assert_eq!(
        (outcome.code, outcome.txhash.as_str()),
        (0, tx.hash.as_str())
    );
    let height = included(&client, &tx.hash).await;
    assert!(height >= client.latest_height().await.unwrap().saturating_sub(5));

    for i in 0..3 {
        assert_eq!(chain.balance(&faucet::recipient(i)), 1_000);
    }
    assert_eq!(chain.balance(FAUCET_ADDRESS), FUNDS - 3_000 - 10_000);
    let account = client.account(FAUCET_ADDRESS).await.unwrap().unwrap();
    assert_eq!(account.sequence, 1);
    assert_eq!(client.account(&faucet::recipient(99)).await.unwrap(), None);
    assert_eq!(client.tx(&"AB".repeat(32)).await.unwrap(), None);
}

#[tokio::test]
async fn devchain_refuses_what_a_node_refuses_with_the_sdk_codes() {
    let (chain, client, number) = funded(Duration::from_secs(5)).await;
    let base = || Build {
        account_number: number,
        ..Build::default()
    };
    let refusal = |tx: SignedTx| {
        let client = client.clone();
        async move {
            let outcome = client.broadcast_sync(&tx.bytes).await.unwrap();
            (outcome.code, outcome.raw_log)
        }
    };

    let (code, log) = refusal(build(Build {
        chain_id: "cosmoshub-4",
        ..base()
    }))
    .await;
    assert_eq!(code, 4, "{log}");
    assert!(log.contains("signature verification failed"), "{log}");

    let (code, log) = refusal(build(Build {
        sequence: 5,
        ..base()
    }))
    .await;
    assert_eq!(code, 32, "{log}");
    assert_eq!(expected_sequence(&log), Some(0), "{log}");
    assert_eq!(chain.sequence_mismatches(), 1);

    let (code, log) = refusal(build(Build { fee: 1, ..base() })).await;
    assert_eq!(code, 13, "{log}");
    assert!(log.contains("insufficient fees"), "{log}");

    let garbage = client.broadcast_sync(b"not a transaction").await.unwrap();
    assert_eq!(garbage.code, 2, "{}", garbage.raw_log);

    let late = build(Build {
        timeout_height: 1,
        ..base()
    });
    let (code, log) = refusal(late).await;
    assert_eq!(code, 30, "{log}");

    let (code, log) = refusal(build(Build {
        fee: FUNDS,
        ..base()
    }))
    .await;
    assert_eq!(code, 5, "{log}");
    assert!(log.contains("insufficient funds"), "{log}");

    // A transaction is accepted once; the same bytes again are a duplicate.
    let tx = build(base());
    assert_eq!(refusal(tx.clone()).await.0, 0);
    let (code, log) = refusal(tx.clone()).await;
    assert_eq!(code, 19, "{log}");
    included(&client, &tx.hash).await;
    assert_eq!(chain.balance(&faucet::recipient(0)), 1_000, "paid once");
    assert_eq!(chain.balance(FAUCET_ADDRESS), FUNDS - 3_000 - 10_000);
}

#[tokio::test]
async fn a_failing_node_gives_a_clear_error() {
    let (chain, client, number) = funded(Duration::from_millis(300)).await;
    let tx = build(Build {
        account_number: number,
        ..Build::default()
    });

    chain.set_faults(Faults {
        status: Some(503),
        path_prefix: Some("/cosmos/tx".into()),
        ..Faults::default()
    });
    let error = client.broadcast_sync(&tx.bytes).await.unwrap_err();
    assert!(
        matches!(error.kind, ErrorKind::Status { status: 503, .. }),
        "{error}"
    );
    assert!(client.simulate(&tx.bytes).await.is_err());

    chain.set_faults(Faults {
        malformed: true,
        path_prefix: Some("/cosmos".into()),
        ..Faults::default()
    });
    let error = client.broadcast_sync(&tx.bytes).await.unwrap_err();
    assert!(matches!(error.kind, ErrorKind::Malformed(_)), "{error}");
    let error = client.account(FAUCET_ADDRESS).await.unwrap_err();
    assert!(matches!(error.kind, ErrorKind::Malformed(_)), "{error}");
    assert!(
        client.tx(&tx.hash).await.is_err(),
        "malformed is not 'absent'"
    );

    chain.set_faults(Faults {
        latency_ms: 1_000,
        ..Faults::default()
    });
    let error = client.latest_height().await.unwrap_err();
    assert!(matches!(error.kind, ErrorKind::Timeout(_)), "{error}");

    chain.clear_faults();
    assert_eq!(client.broadcast_sync(&tx.bytes).await.unwrap().code, 0);
    assert_eq!(
        chain.balance(FAUCET_ADDRESS),
        FUNDS,
        "nothing moved before inclusion"
    );
    included(&client, &tx.hash).await;
    assert_eq!(chain.balance(FAUCET_ADDRESS), FUNDS - 13_000);
}
