-- The admin log: who did what as an admin, and when (role changes, editors given and taken
-- back, reindexing, imports and exports on the web). Kept when the account is gone: the
-- actor's name is stored beside the account. Times are Unix seconds (the app's clock).
CREATE TABLE admin_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    detail      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    -- Read from an export file, not done here: shown as such, never taken for this node's
    -- own history (its last reindex).
    imported    INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1))
);
CREATE INDEX admin_log_by_time ON admin_log (created_at, id);
