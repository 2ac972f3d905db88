// Regenerates adr036.json with Keplr's ADR-036 code and cosmjs's signer (implementations
// independent of Stakeboard's k256 code):
//   npm install @keplr-wallet/cosmos@0.12 @cosmjs/amino@0.32 @cosmjs/encoding@0.32 && node adr036_vector.mjs > adr036.json
// The ballot data is canonical ballot JSON as Stakeboard's pages and `stakeboard ballot sign`
// build it; the key is the public cosmjs documentation mnemonic (never use it for real funds).
import { makeADR36AminoSignDoc, serializeSignDoc, verifyADR36Amino } from "@keplr-wallet/cosmos";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { fromBase64, toUtf8 } from "@cosmjs/encoding";

const mnemonic = "surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put";
const data = '{"choice":[3,1,2],"election":7,"nonce":"0123456789abcdef","plan_hash":"9f2c4b0e8d1a6f3e5c7b9a0d2e4f6a8c1b3d5e7f9a0c2e4b6d8f0a1c3e5b7d9f","signed_at":"2026-12-08T10:00:00Z"}';

const wallet = await Secp256k1HdWallet.fromMnemonic(mnemonic);
const [account] = await wallet.getAccounts();
const doc = makeADR36AminoSignDoc(account.address, data);
const { signature } = await wallet.signAmino(account.address, doc);
const ok = verifyADR36Amino("cosmos", account.address, data, fromBase64(signature.pub_key.value), fromBase64(signature.signature));
if (!ok) throw new Error("Keplr does not verify cosmjs's signature");
const tampered = data.replace('"election":7', '"election":8');
const refused = !verifyADR36Amino("cosmos", account.address, tampered, fromBase64(signature.pub_key.value), fromBase64(signature.signature));
if (!refused) throw new Error("Keplr verified a tampered ballot");
console.log(JSON.stringify({
  mnemonic,
  signer: account.address,
  data,
  sign_doc: new TextDecoder().decode(serializeSignDoc(doc)),
  pub_key: signature.pub_key,
  signature: signature.signature,
}, null, 2));
