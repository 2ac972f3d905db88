-- Elections: scheduled by admins, prepared (power snapshot and plan: "block 0"), opened, counted
-- and archived by the elections worker. Every step is a committed row change first.

CREATE TABLE elections (
    id                  BIGSERIAL PRIMARY KEY,
    network             TEXT NOT NULL REFERENCES networks (slug) ON DELETE CASCADE,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    -- markdown, rendered through the proposal sanitiser
    description         TEXT NOT NULL DEFAULT '',
    question            TEXT NOT NULL CHECK (length(question) BETWEEN 1 AND 500),
    options             TEXT[] NOT NULL CHECK (cardinality(options) BETWEEN 2 AND 16),
    method              TEXT NOT NULL CHECK (method IN ('single', 'approval', 'weighted', 'ranked')),
    power_source        TEXT NOT NULL CHECK (power_source IN ('validators', 'stake', 'allowlist')),
    -- stake: the height to read delegations at (NULL: the latest when prepared)
    snapshot_height     BIGINT CHECK (snapshot_height > 0),
    -- shares in basis points (3340 = 33.4 %)
    quorum_bp           INTEGER NOT NULL CHECK (quorum_bp BETWEEN 0 AND 10000),
    threshold_bp        INTEGER CHECK (threshold_bp BETWEEN 0 AND 10000),
    cap_bp              INTEGER CHECK (cap_bp BETWEEN 1 AND 10000),
    live_tally_public   BOOLEAN NOT NULL DEFAULT TRUE,
    voting_start        TIMESTAMPTZ NOT NULL,
    voting_end          TIMESTAMPTZ NOT NULL CHECK (voting_end > voting_start),
    backend             TEXT NOT NULL DEFAULT 'builtin' CHECK (backend IN ('builtin')),
    state               TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN
                            ('scheduled', 'preparing', 'open', 'tallying', 'closed', 'cancelled', 'failed')),
    failure             TEXT,
    -- moved by every edit: a plan built from an older revision is thrown away
    revision            INTEGER NOT NULL DEFAULT 1,
    -- an admin asked to open it now (the worker prepares it at once and opens it)
    open_requested_at   TIMESTAMPTZ,
    -- the plan ("block 0") and its hash, the snapshot's root and figures
    block0              TEXT,
    block0_hash         TEXT,
    snapshot_root       TEXT,
    snapshot_taken_height BIGINT,
    eligible_power      NUMERIC(40, 0),
    eligible_voters     BIGINT,
    prepared_at         TIMESTAMPTZ,
    plan_archived_at    TIMESTAMPTZ,
    opened_at           TIMESTAMPTZ,
    -- the ballot ledger's head
    ballots_count       BIGINT NOT NULL DEFAULT 0,
    ballots_head        TEXT,
    -- the live tally (while open; shown when public) and the final results
    live_results        JSONB,
    live_results_at     TIMESTAMPTZ,
    live_results_count  BIGINT NOT NULL DEFAULT -1,
    results             JSONB,
    ballots_root        TEXT,
    tallied_at          TIMESTAMPTZ,
    tally_attempts      INTEGER NOT NULL DEFAULT 0,
    last_error          TEXT,
    closed_at           TIMESTAMPTZ,
    created_by          BIGINT REFERENCES admins (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- an election takes ballots only under a plan
    CHECK (state NOT IN ('open', 'tallying', 'closed') OR block0_hash IS NOT NULL)
);
CREATE INDEX elections_by_state ON elections (state, voting_start);
CREATE INDEX elections_by_network ON elections (network, id DESC);

-- The uploaded allowlist of an `allowlist` election.
CREATE TABLE election_allowlist (
    election_id  BIGINT NOT NULL REFERENCES elections (id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    weight       NUMERIC(40, 0) NOT NULL CHECK (weight > 0),
    PRIMARY KEY (election_id, address)
);

-- The power snapshot taken when the election is prepared (snapshot.csv).
CREATE TABLE election_snapshot (
    election_id  BIGINT NOT NULL REFERENCES elections (id) ON DELETE CASCADE,
    address      TEXT NOT NULL,
    -- '' unless the power is delegated stake that follows this delegate's ballot
    delegate     TEXT NOT NULL DEFAULT '',
    power        NUMERIC(40, 0) NOT NULL CHECK (power >= 0),
    PRIMARY KEY (election_id, address, delegate)
);
-- Eligibility of a validator account, which holds power only through its delegators' rows.
CREATE INDEX election_snapshot_by_delegate ON election_snapshot (election_id, delegate) WHERE delegate <> '';

-- Every ballot accepted, in the order received (the ledger).
CREATE TABLE election_ballots (
    election_id  BIGINT NOT NULL REFERENCES elections (id) ON DELETE CASCADE,
    position     BIGINT NOT NULL CHECK (position > 0),
    voter        TEXT NOT NULL,
    nonce        TEXT NOT NULL,
    -- the signed ballot's canonical JSON, as signed and sent
    ballot       TEXT NOT NULL,
    choice       JSONB NOT NULL,
    ballot_hash  TEXT NOT NULL,
    chain_hash   TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (election_id, position),
    UNIQUE (election_id, ballot_hash),
    UNIQUE (election_id, voter, nonce)
);
CREATE INDEX election_ballots_by_voter ON election_ballots (election_id, voter, position DESC);

-- Shared pages (the election list and pages) follow the elections rows through the page
-- cache's data version; a ballot moves its election's row (ballots_count) in the same
-- transaction, so the ballots table needs no trigger of its own.
DO $$
DECLARE
    event text;
BEGIN
    FOREACH event IN ARRAY ARRAY['INSERT:NEW', 'UPDATE:NEW', 'DELETE:OLD'] LOOP
        EXECUTE format(
            'CREATE TRIGGER %I AFTER %s ON elections REFERENCING %s TABLE AS changed '
            'FOR EACH STATEMENT EXECUTE FUNCTION notify_rows_changed()',
            'elections_' || lower(split_part(event, ':', 1)) || '_notify',
            split_part(event, ':', 1), split_part(event, ':', 2));
    END LOOP;
END
$$;
CREATE TRIGGER elections_truncate_notify AFTER TRUNCATE ON elections
FOR EACH STATEMENT EXECUTE FUNCTION notify_truncated();
