-- The type of each validator's consensus key as the chain names it (`/cosmos.crypto.ed25519.PubKey`,
-- `/cosmos.crypto.secp256k1.PubKey`, …), so a key Stakeboard derives no consensus address for is
-- shown as what it is rather than as nothing.
ALTER TABLE validators ADD COLUMN consensus_key_type TEXT;
