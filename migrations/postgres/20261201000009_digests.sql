-- The optional e-mail digest of notifications: off unless a member chooses daily or
-- weekly. Each mailed digest carries its own unsubscribe token (stored hashed), which
-- works without logging in.
CREATE TABLE digest_settings (
    member_id     TEXT COLLATE "C" PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    frequency     TEXT COLLATE "C" NOT NULL CHECK (frequency IN ('dag', 'vecka')),
    last_sent_at  BIGINT NOT NULL
);

CREATE TABLE digest_unsubscribe_tokens (
    token_hash  TEXT COLLATE "C" PRIMARY KEY,
    member_id   TEXT COLLATE "C" NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at  BIGINT NOT NULL
);
CREATE INDEX digest_unsubscribe_tokens_by_member ON digest_unsubscribe_tokens (member_id);
