// Regenerates sign_doc.hex with cosmjs 0.32 (an implementation independent of cosmrs):
//   npm install @cosmjs/proto-signing@0.32 @cosmjs/stargate@0.32 cosmjs-types && node sign_doc_vector.mjs
// Independent vector: the SignDoc bytes cosmjs builds for the same fixed inputs as tx.rs's test.
import { DirectSecp256k1HdWallet, makeAuthInfoBytes, makeSignDoc, encodePubkey, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { toHex } from "@cosmjs/encoding";

const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic);
const [account] = await wallet.getAccounts();
const registry = new Registry(defaultRegistryTypes);
const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: {
  inputs: [{ address: account.address, coins: [{ denom: "uatom", amount: "10000000" }] }],
  outputs: [{ address: "cosmos1hsk6jryyqjfhp5dhc55tc9jtckygx0eph6dd02", coins: [{ denom: "uatom", amount: "10000000" }] }],
} };
const bodyBytes = registry.encode({ typeUrl: "/cosmos.tx.v1beta1.TxBody", value: { messages: [msg], memo: "faucet", timeoutHeight: 120n } });
const pubkey = encodePubkey(encodeSecp256k1Pubkey(account.pubkey));
const authInfoBytes = makeAuthInfoBytes([{ pubkey, sequence: 3 }], [{ denom: "uatom", amount: "2500" }], 100000);
const doc = makeSignDoc(bodyBytes, authInfoBytes, "devnet-1", 7);
console.log(account.address);
console.log(toHex(SignDoc.encode(doc).finish()));
