// Consensus addresses of consensus keys as cosmjs 0.32 derives them (independent of Stakeboard's
// chain/address.rs), for address.rs's tests:
//   npm install @cosmjs/amino@0.32 @cosmjs/proto-signing@0.32 && node consensus_address_vector.mjs
// secp256k1: the key of the public "abandon … about" test mnemonic (m/44'/118'/0'/0/0).
// ed25519: Ubik Capital's recorded consensus key (devchain's 2024 Hub set).
import { pubkeyToAddress } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { toBase64 } from "@cosmjs/encoding";

const mnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const [account] = await (await DirectSecp256k1HdWallet.fromMnemonic(mnemonic)).getAccounts();
const secp = toBase64(account.pubkey);
console.log("secp256k1", secp, pubkeyToAddress({ type: "tendermint/PubKeySecp256k1", value: secp }, "cosmosvalcons"));
const ed = "uEUR1gpesU4bnSWL2TOXOf3org2mCYhQHMYkiCJyMD4=";
console.log("ed25519", ed, pubkeyToAddress({ type: "tendermint/PubKeyEd25519", value: ed }, "cosmosvalcons"));
