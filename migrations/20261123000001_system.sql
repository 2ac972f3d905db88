-- The networks this deployment follows (written from the networks file at every start) and the
-- record of every worker run, which the system page, /healthz and /metrics read.

CREATE TABLE networks (
    slug           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    chain_id       TEXT NOT NULL,
    -- scheme://host[:port] of the REST endpoint only: a URL may carry credentials.
    rest_host      TEXT NOT NULL,
    bech32_prefix  TEXT NOT NULL,
    denom          TEXT NOT NULL,
    display_denom  TEXT NOT NULL,
    exponent       INTEGER NOT NULL CHECK (exponent BETWEEN 0 AND 30),
    testnet        BOOLEAN NOT NULL,
    -- false once the network leaves the networks file; its data is kept.
    followed       BOOLEAN NOT NULL DEFAULT TRUE,
    position       INTEGER NOT NULL DEFAULT 0,
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE worker_runs (
    id           BIGSERIAL PRIMARY KEY,
    worker       TEXT NOT NULL,
    network      TEXT REFERENCES networks (slug) ON DELETE CASCADE,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ,
    outcome      TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'failed')),
    error        TEXT,
    -- what the run did, in a few words ("547 validators, 1 changed")
    detail       TEXT
);

CREATE INDEX worker_runs_recent ON worker_runs (worker, network, started_at DESC);
CREATE INDEX worker_runs_started ON worker_runs (started_at DESC);
