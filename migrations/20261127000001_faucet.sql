-- Testnet faucet: claims are rows moved forward by one sender per faucet key; every signed
-- transaction is written here (hash, sequence, bytes) before it is broadcast.

CREATE TABLE faucet_txs (
    hash text PRIMARY KEY,
    network text NOT NULL,
    signer text NOT NULL,
    sequence bigint NOT NULL,
    -- The chain drops the transaction after this height, so past it "not found" is final.
    timeout_height bigint NOT NULL,
    tx_bytes bytea NOT NULL,
    fee numeric(40, 0) NOT NULL,
    recipients integer NOT NULL,
    state text NOT NULL DEFAULT 'signed'
        CHECK (state IN ('signed', 'broadcast', 'included', 'expired', 'rejected')),
    height bigint,
    error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    settled_at timestamptz
);
CREATE INDEX faucet_txs_open ON faucet_txs (network, created_at) WHERE state IN ('signed', 'broadcast');

CREATE TABLE faucet_claims (
    id bigserial PRIMARY KEY,
    network text NOT NULL,
    address text NOT NULL,
    amount numeric(40, 0) NOT NULL CHECK (amount > 0),
    denom text NOT NULL,
    ip text,
    source text NOT NULL CHECK (source IN ('form', 'api', 'credit')),
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'broadcast', 'confirmed', 'failed')),
    tx_hash text REFERENCES faucet_txs (hash),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    height bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'pending') = (tx_hash IS NULL) OR status = 'failed')
);
-- One unpaid claim per address, whatever races the web replicas run.
CREATE UNIQUE INDEX faucet_claims_one_open ON faucet_claims (network, address)
    WHERE status IN ('pending', 'broadcast');
CREATE INDEX faucet_claims_by_address ON faucet_claims (network, address, created_at DESC);
CREATE INDEX faucet_claims_by_ip ON faucet_claims (network, ip, created_at DESC);
CREATE INDEX faucet_claims_queue ON faucet_claims (network, id) WHERE status = 'pending';
CREATE INDEX faucet_claims_by_tx ON faucet_claims (tx_hash);
CREATE INDEX faucet_claims_recent ON faucet_claims (network, updated_at DESC) WHERE status = 'confirmed';

-- What the sender last read from the chain, for the faucet page and the claim limits.
CREATE TABLE faucet_status (
    network text PRIMARY KEY,
    address text NOT NULL,
    balance numeric(40, 0),
    sequence bigint,
    height bigint,
    checked_at timestamptz NOT NULL DEFAULT now(),
    last_error text
);

-- Captcha solutions already accepted; kept until their challenge expires.
CREATE TABLE faucet_captcha_used (
    challenge text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);

-- Keys every replica must share (the captcha's HMAC key), created once.
CREATE TABLE server_secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
