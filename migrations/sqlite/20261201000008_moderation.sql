-- Moderation: members report posts, moderators (site admins, a group's owner and
-- moderators) act on them, and every action is logged. Times are Unix seconds (the app's
-- clock, the same on both databases).

-- A post hidden by a moderator stays in its thread but shows no text and leaves search.
ALTER TABLE posts ADD COLUMN hidden_at INTEGER;

-- A locked thread takes no more replies.
ALTER TABLE threads ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));

-- A member's report of a post, open until a moderator acts on the post.
CREATE TABLE post_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id      INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    reporter_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    reason       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    closed_at    INTEGER
);
-- One open report per member and post.
CREATE UNIQUE INDEX post_reports_open ON post_reports (post_id, reporter_id)
    WHERE closed_at IS NULL;

-- What moderators did, kept when the post, thread, group or member is gone (so no
-- foreign keys): who, what, about which post, thread, group and member, when and why.
CREATE TABLE moderation_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    moderator_id  TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('dolj', 'ta-bort', 'las', 'las-upp', 'ta-bort-ur-gruppen', 'avfarda')),
    post_id       INTEGER,
    thread_id     TEXT,
    group_id      TEXT,
    member_id     TEXT,
    reason        TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX moderation_log_by_time ON moderation_log (created_at);
