-- The optional e-mail digest of notifications: off unless a member chooses daily or
-- weekly. Each mailed digest carries its own unsubscribe token (stored hashed), which
-- works without logging in.
CREATE TABLE digest_settings (
    member_id     TEXT PRIMARY KEY NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    frequency     TEXT NOT NULL CHECK (frequency IN ('dag', 'vecka')),
    last_sent_at  INTEGER NOT NULL
);

CREATE TABLE digest_unsubscribe_tokens (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL
);
CREATE INDEX digest_unsubscribe_tokens_by_member ON digest_unsubscribe_tokens (member_id);
