-- The validator set of each network as last collected, its history (a row only when something
-- changed), and the network-wide figures of the last successful collection.

CREATE TABLE validators (
    network                     TEXT NOT NULL REFERENCES networks (slug) ON DELETE CASCADE,
    operator_address            TEXT NOT NULL,
    account_address             TEXT NOT NULL,
    consensus_address           TEXT,
    consensus_pubkey            TEXT,
    moniker                     TEXT NOT NULL,
    identity                    TEXT NOT NULL DEFAULT '',
    website                     TEXT NOT NULL DEFAULT '',
    security_contact            TEXT NOT NULL DEFAULT '',
    details                     TEXT NOT NULL DEFAULT '',
    status                      TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'jailed', 'tombstoned')),
    bond_status                 TEXT NOT NULL,
    jailed                      BOOLEAN NOT NULL,
    tombstoned                  BOOLEAN NOT NULL,
    tokens                      NUMERIC(78, 0) NOT NULL,
    delegator_shares            NUMERIC NOT NULL,
    commission_rate             NUMERIC NOT NULL,
    commission_max_rate         NUMERIC NOT NULL,
    commission_max_change_rate  NUMERIC NOT NULL,
    commission_updated_at       TIMESTAMPTZ,
    min_self_delegation         NUMERIC(78, 0),
    -- 1 = most voting power; bonded validators first, then the rest by tokens
    rank                        INTEGER NOT NULL,
    -- shares of the bonded stake; NULL when not bonded
    voting_power_share          DOUBLE PRECISION,
    cumulative_share            DOUBLE PRECISION,
    missed_blocks               BIGINT,
    -- 1 - missed / signed_blocks_window; NULL without a signing info
    uptime                      DOUBLE PRECISION,
    jailed_until                TIMESTAMPTZ,
    unbonding_height            BIGINT,
    unbonding_time              TIMESTAMPTZ,
    first_seen_at               TIMESTAMPTZ NOT NULL,
    last_seen_at                TIMESTAMPTZ NOT NULL,
    -- set when the chain no longer lists the validator
    removed_at                  TIMESTAMPTZ,
    PRIMARY KEY (network, operator_address)
);

CREATE INDEX validators_by_operator ON validators (operator_address);
CREATE INDEX validators_by_account ON validators (network, account_address);

CREATE TABLE validator_history (
    network           TEXT NOT NULL,
    operator_address  TEXT NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL,
    tokens            NUMERIC(78, 0) NOT NULL,
    status            TEXT NOT NULL,
    jailed            BOOLEAN NOT NULL,
    commission_rate   NUMERIC NOT NULL,
    missed_blocks     BIGINT,
    PRIMARY KEY (network, operator_address, recorded_at),
    FOREIGN KEY (network, operator_address) REFERENCES validators (network, operator_address) ON DELETE CASCADE
);

CREATE TABLE network_status (
    network               TEXT PRIMARY KEY REFERENCES networks (slug) ON DELETE CASCADE,
    collected_at          TIMESTAMPTZ NOT NULL,
    chain_id              TEXT NOT NULL,
    latest_height         BIGINT NOT NULL,
    latest_block_time     TIMESTAMPTZ NOT NULL,
    bonded_tokens         NUMERIC(78, 0) NOT NULL,
    not_bonded_tokens     NUMERIC(78, 0) NOT NULL,
    -- NULL when the node does not answer the supply query
    total_supply          NUMERIC(78, 0),
    signed_blocks_window  BIGINT NOT NULL,
    validators_total      INTEGER NOT NULL,
    validators_active     INTEGER NOT NULL,
    node_version          TEXT NOT NULL,
    sdk_version           TEXT NOT NULL,
    archive_key           TEXT NOT NULL
);
