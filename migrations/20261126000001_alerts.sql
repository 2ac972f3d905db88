-- E-mail alerts: subscribers (double opt-in), their per-network choices, the tokens in their
-- links (stored hashed), the sign-up attempts the rate limits count, the alert events already
-- handled, and the outbox the sender drains.

CREATE TABLE subscribers (
    id               BIGSERIAL PRIMARY KEY,
    -- normalised (trimmed, lower case); the address type only holds valid addresses
    email            TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    confirmed_at     TIMESTAMPTZ,
    unsubscribed_at  TIMESTAMPTZ,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What a subscriber hears about on one network.
CREATE TABLE subscriptions (
    subscriber_id        BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    network              TEXT NOT NULL REFERENCES networks (slug) ON DELETE CASCADE,
    on_voting            BOOLEAN NOT NULL DEFAULT TRUE,
    on_result            BOOLEAN NOT NULL DEFAULT FALSE,
    -- hours before the voting end at which "validator X has not voted" is checked; NULL: off
    reminder_hours       INTEGER CHECK (reminder_hours BETWEEN 1 AND 336),
    -- operator addresses
    reminder_validators  TEXT[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (subscriber_id, network)
);

CREATE INDEX subscriptions_by_network ON subscriptions (network);

-- Link tokens: only their SHA-256 is kept.
CREATE TABLE subscriber_tokens (
    token_hash     BYTEA PRIMARY KEY,
    subscriber_id  BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    purpose        TEXT NOT NULL CHECK (purpose IN ('confirm', 'manage')),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ,
    used_at        TIMESTAMPTZ
);

CREATE INDEX subscriber_tokens_by_subscriber ON subscriber_tokens (subscriber_id);

-- Every sign-up request, for the limits per IP and per address.
CREATE TABLE signup_attempts (
    id       BIGSERIAL PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    ip       TEXT,
    email    TEXT NOT NULL,
    -- whether a mail (confirmation or manage link) was queued for it
    mailed   BOOLEAN NOT NULL
);

CREATE INDEX signup_attempts_by_ip ON signup_attempts (ip, at);
CREATE INDEX signup_attempts_by_email ON signup_attempts (email, at);

-- Proposal events already turned into outbox rows: a row here means "handled".
CREATE TABLE alert_events (
    network      TEXT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    -- voting: the proposal entered its voting period; result: its voting ended
    kind         TEXT NOT NULL CHECK (kind IN ('voting', 'result')),
    happened_at  TIMESTAMPTZ NOT NULL,
    planned_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    recipients   INTEGER NOT NULL,
    PRIMARY KEY (network, proposal_id, kind),
    FOREIGN KEY (network, proposal_id) REFERENCES proposals (network, id) ON DELETE CASCADE
);

-- "Your validators have not voted" checks already made, one per subscriber and proposal.
CREATE TABLE alert_reminders (
    network        TEXT NOT NULL,
    proposal_id    BIGINT NOT NULL,
    subscriber_id  BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    checked_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- operator addresses that had not voted when checked (empty: no mail was needed)
    missing        TEXT[] NOT NULL,
    PRIMARY KEY (network, proposal_id, subscriber_id),
    FOREIGN KEY (network, proposal_id) REFERENCES proposals (network, id) ON DELETE CASCADE
);

-- One row per mail to send. The unique key makes each (event, subscriber) one mail.
CREATE TABLE mail_outbox (
    id               BIGSERIAL PRIMARY KEY,
    dedupe_key       TEXT NOT NULL UNIQUE,
    subscriber_id    BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    -- confirm, manage, voting, result, reminder
    kind             TEXT NOT NULL,
    network          TEXT,
    proposal_id      BIGINT,
    -- what the template needs beyond the proposal (the reminder's validators...)
    payload          JSONB NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- a sender's lease: it alone sends the row until the lease ends
    locked_by        TEXT,
    locked_until     TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    -- failed: permanently refused or out of attempts; cancelled: no longer wanted
    failed_at        TIMESTAMPTZ,
    cancelled_at     TIMESTAMPTZ,
    last_error       TEXT
);

CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id)
    WHERE sent_at IS NULL AND failed_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX mail_outbox_by_subscriber ON mail_outbox (subscriber_id);
