-- Member accounts: the first schema's accounts and sessions were never used, so they are
-- made again. Times are Unix seconds (the app's clock), the same on both databases.
DROP TABLE sessions;
DROP TABLE accounts;

-- An account logs in; its profile is a row of members, created when the e-mail address is
-- verified (or imported, and then invited). The e-mail is kept as typed and matched by its
-- key (trimmed, lower case, folded in Rust so both databases agree).
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL,
    email_key      TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT,
    member_id      TEXT UNIQUE REFERENCES members (id) ON DELETE SET NULL,
    role           TEXT NOT NULL DEFAULT 'medlem' CHECK (role IN ('medlem', 'admin')),
    verified_at    INTEGER,
    created_at     INTEGER NOT NULL
);

-- A session is stored under a hash of its cookie token, never the token itself.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    seen_at     INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- One-time links (verify the address, reset the password, accept an invitation), stored
-- hashed; used once, valid until expires_at.
CREATE TABLE account_links (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('verifiera', 'aterstall', 'inbjudan')),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX account_links_by_account ON account_links (account_id);

-- Attempts counted by rate limits (logins, registrations, mails): one row per attempt in
-- a bucket such as `inloggning-ip:203.0.113.0`; old rows are deleted as new ones come.
CREATE TABLE rate_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket  TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX rate_events_by_bucket ON rate_events (bucket, at);

-- Links on a profile (web addresses), a JSON array like competences.
ALTER TABLE members ADD COLUMN links TEXT NOT NULL DEFAULT '[]';
