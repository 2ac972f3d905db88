-- Admin accounts (created with `stakeboard admin create`), their sessions, the login attempts
-- that lock an account or an IP out, and the audit of every admin action.

CREATE TABLE admins (
    id             BIGSERIAL PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
    -- argon2id PHC string
    password_hash  TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    disabled_at    TIMESTAMPTZ,
    last_login_at  TIMESTAMPTZ
);

-- tower-sessions' Postgres store (tower-sessions-sqlx-store), pointed at this table.
CREATE TABLE admin_sessions (
    id           TEXT PRIMARY KEY,
    data         BYTEA NOT NULL,
    expiry_date  TIMESTAMPTZ NOT NULL
);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expiry_date);

CREATE TABLE admin_login_attempts (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    ip         TEXT NOT NULL,
    -- as typed, lower-cased (an unknown address is recorded too: it counts against the IP)
    email      TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL
);
CREATE INDEX admin_login_attempts_by_ip ON admin_login_attempts (ip, at DESC);
CREATE INDEX admin_login_attempts_by_email ON admin_login_attempts (email, at DESC);

CREATE TABLE admin_audit (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    admin_id  BIGINT REFERENCES admins (id),
    -- the admin's e-mail, or "command line" for `stakeboard admin ...`
    actor     TEXT NOT NULL,
    -- admin.login, admin.logout, admin.create, admin.disable, election.create, election.update,
    -- election.allowlist, election.open_now, election.extend, election.cancel
    action    TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    before    JSONB,
    after     JSONB,
    ip        TEXT
);
