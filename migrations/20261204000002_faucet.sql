-- Every claim of a testnet, newest first, a page at a time by key (the claims API): an index
-- range however many claims came before.
CREATE INDEX faucet_claims_by_network ON faucet_claims (network, id);
