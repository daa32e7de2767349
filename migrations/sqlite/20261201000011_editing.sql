-- Editing on the web: editors per support model, drafts, revisions of published content,
-- and members' proposals. Content is named by its kind (`pivi`, `cell`, `artikel`,
-- `dialog`), the support model it belongs to and its id (a cell's id is `rad/kolumn`).
-- Item bodies are JSON in the import format. Times are Unix seconds (the app's clock).

-- An editor (redaktör) of one support model, given by an admin.
CREATE TABLE model_editors (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    model_id    TEXT NOT NULL,
    granted_at  INTEGER NOT NULL,
    PRIMARY KEY (account_id, model_id)
);
CREATE INDEX model_editors_by_model ON model_editors (model_id);

-- A saved, unpublished version of one item: new (nothing published yet) or a change of a
-- published one. Never searchable; one draft per item. `base_hash` is the published
-- version it started from (NULL for a new item), to detect a change made meanwhile.
CREATE TABLE content_drafts (
    kind        TEXT NOT NULL CHECK (kind IN ('pivi', 'cell', 'artikel', 'dialog')),
    model_id    TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    body        TEXT NOT NULL,
    base_hash   TEXT,
    saved_by    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    saved_at    INTEGER NOT NULL,
    PRIMARY KEY (kind, model_id, entity_id)
);

-- Every published version of an item, newest last; `body` NULL records a deletion. The
-- version before the first web edit is kept with no account (it came from an import).
CREATE TABLE content_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('pivi', 'cell', 'artikel', 'dialog')),
    model_id    TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    body        TEXT,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX content_revisions_by_item ON content_revisions (kind, model_id, entity_id, id);

-- A member's proposal: a new pivi entry, or a change of an article or dialogue text. It
-- waits ('vantar') until an editor of its model accepts ('antagen') or declines
-- ('avslagen', with a reason).
CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL CHECK (kind IN ('pivi', 'artikel', 'dialog')),
    model_id      TEXT NOT NULL,
    entity_id     TEXT,
    body          TEXT NOT NULL,
    base_hash     TEXT,
    message       TEXT NOT NULL,
    proposer_id   TEXT REFERENCES members (id) ON DELETE SET NULL,
    proposer_name TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'vantar' CHECK (status IN ('vantar', 'antagen', 'avslagen')),
    reason        TEXT,
    decided_by    INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    decided_at    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE INDEX proposals_waiting ON proposals (status, model_id, created_at);
CREATE INDEX proposals_by_proposer ON proposals (proposer_id);

-- A proposer hears when their proposal is accepted or declined: one more kind of
-- notification (SQLite changes a CHECK by making the table again).
CREATE TABLE notifications_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('svar', 'ny_trad', 'omnamnande', 'ansokan', 'ansokan_besvarad', 'forslag_besvarat')),
    text        TEXT NOT NULL,
    link        TEXT NOT NULL,
    group_id    TEXT REFERENCES groups (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
INSERT INTO notifications_new (id, member_id, kind, text, link, group_id, created_at, read_at)
    SELECT id, member_id, kind, text, link, group_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_by_member ON notifications (member_id, read_at);
