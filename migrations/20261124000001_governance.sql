-- Governance: every proposal of each network, every vote seen while a proposal was open (the
-- chain deletes votes when it tallies, and a re-vote overwrites the old one), each voter's
-- history of changes, and the bonded validators at the end of voting.

CREATE TABLE proposals (
    network             TEXT NOT NULL REFERENCES networks (slug) ON DELETE CASCADE,
    id                  BIGINT NOT NULL,
    -- the SDK's status as sent (PROPOSAL_STATUS_...); unknown statuses are kept as they come
    status              TEXT NOT NULL,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL,
    metadata            TEXT NOT NULL DEFAULT '',
    -- [{"type_url": "...", "summary": "..."}]
    messages            JSONB NOT NULL DEFAULT '[]',
    proposer            TEXT NOT NULL DEFAULT '',
    expedited           BOOLEAN NOT NULL DEFAULT FALSE,
    failed_reason       TEXT NOT NULL DEFAULT '',
    submit_time         TIMESTAMPTZ,
    deposit_end_time    TIMESTAMPTZ,
    voting_start_time   TIMESTAMPTZ,
    voting_end_time     TIMESTAMPTZ,
    -- [{"denom": "...", "amount": "..."}]
    total_deposit       JSONB NOT NULL DEFAULT '[]',
    final_yes           NUMERIC(78, 0) NOT NULL DEFAULT 0,
    final_abstain       NUMERIC(78, 0) NOT NULL DEFAULT 0,
    final_no            NUMERIC(78, 0) NOT NULL DEFAULT 0,
    final_no_with_veto  NUMERIC(78, 0) NOT NULL DEFAULT 0,
    -- the tally polled while voting
    live_yes            NUMERIC(78, 0),
    live_abstain        NUMERIC(78, 0),
    live_no             NUMERIC(78, 0),
    live_no_with_veto   NUMERIC(78, 0),
    live_tally_at       TIMESTAMPTZ,
    spam                BOOLEAN NOT NULL DEFAULT FALSE,
    spam_reasons        TEXT[] NOT NULL DEFAULT '{}',
    -- hash of the chain's answer, so an unchanged proposal is not rewritten
    source_hash         TEXT NOT NULL,
    first_seen_at       TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    -- first seen in its voting period: alerts start from here
    voting_seen_at      TIMESTAMPTZ,
    -- when Stakeboard saw the voting end and stored the final tally and the validator snapshot
    ended_seen_at       TIMESTAMPTZ,
    -- bonded tokens and tally parameters when the voting ended
    bonded_at_end       NUMERIC(78, 0),
    quorum              NUMERIC,
    threshold           NUMERIC,
    veto_threshold      NUMERIC,
    PRIMARY KEY (network, id)
);

CREATE INDEX proposals_by_status ON proposals (network, status);
CREATE INDEX proposals_ended ON proposals (network, ended_seen_at DESC);

-- The latest vote of each voter on each proposal.
CREATE TABLE votes (
    network        TEXT NOT NULL,
    proposal_id    BIGINT NOT NULL,
    voter          TEXT NOT NULL,
    -- canonical: "yes" or "yes:0.6,abstain:0.4"
    options        TEXT NOT NULL,
    -- yes, no, abstain, no_with_veto or weighted
    option         TEXT NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    changed_at     TIMESTAMPTZ NOT NULL,
    changes        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (network, proposal_id, voter),
    FOREIGN KEY (network, proposal_id) REFERENCES proposals (network, id) ON DELETE CASCADE
);

CREATE INDEX votes_by_voter ON votes (network, voter);

-- Every vote seen and every change of it, never overwritten.
CREATE TABLE vote_history (
    network      TEXT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    voter        TEXT NOT NULL,
    seen_at      TIMESTAMPTZ NOT NULL,
    options      TEXT NOT NULL,
    option       TEXT NOT NULL,
    PRIMARY KEY (network, proposal_id, voter, seen_at),
    FOREIGN KEY (network, proposal_id) REFERENCES proposals (network, id) ON DELETE CASCADE
);

-- The bonded validators and their voting power when the voting ended, so "did not vote",
-- turnout and quorum stay right afterwards.
CREATE TABLE proposal_snapshots (
    network           TEXT NOT NULL,
    proposal_id       BIGINT NOT NULL,
    operator_address  TEXT NOT NULL,
    account_address   TEXT NOT NULL,
    moniker           TEXT NOT NULL,
    tokens            NUMERIC(78, 0) NOT NULL,
    rank              INTEGER NOT NULL,
    PRIMARY KEY (network, proposal_id, operator_address),
    FOREIGN KEY (network, proposal_id) REFERENCES proposals (network, id) ON DELETE CASCADE
);

CREATE INDEX proposal_snapshots_by_operator ON proposal_snapshots (network, operator_address);

-- The current tally parameters of each network.
CREATE TABLE gov_params (
    network              TEXT PRIMARY KEY REFERENCES networks (slug) ON DELETE CASCADE,
    quorum               NUMERIC NOT NULL,
    threshold            NUMERIC NOT NULL,
    veto_threshold       NUMERIC NOT NULL,
    expedited_threshold  NUMERIC,
    -- [{"denom": "...", "amount": "..."}]
    min_deposit          JSONB NOT NULL DEFAULT '[]',
    updated_at           TIMESTAMPTZ NOT NULL
);
