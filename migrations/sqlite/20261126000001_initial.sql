-- hallbar's first schema: content (the source of truth for search), accounts and sessions,
-- and the index outbox. Ids of content are stable slugs; list fields are JSON arrays.

CREATE TABLE members (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    title         TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    sector        TEXT NOT NULL,
    district      TEXT NOT NULL,
    background    TEXT NOT NULL,
    competences   TEXT NOT NULL DEFAULT '[]',
    interests     TEXT NOT NULL DEFAULT '[]',
    visibility    TEXT NOT NULL CHECK (visibility IN ('publik', 'medlemmar')),
    member_since  TEXT NOT NULL
);

-- Accounts are not content: login, password hash and admin flag, linked to one profile.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,
    member_id      TEXT UNIQUE REFERENCES members (id) ON DELETE SET NULL,
    is_admin       INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- A session is stored under a hash of its cookie token, never the token itself.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE groups (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    access       TEXT NOT NULL CHECK (access IN ('oppen', 'stangd')),
    created      TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES members (id)
);

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_members_by_member ON group_members (member_id);

CREATE TABLE threads (
    id        TEXT PRIMARY KEY NOT NULL,
    group_id  TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    title     TEXT NOT NULL
);
CREATE INDEX threads_by_group ON threads (group_id);

-- Posts keep their integer id when a thread is re-imported (matched by position).
CREATE TABLE posts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id  TEXT NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    author_id  TEXT NOT NULL REFERENCES members (id),
    created    TEXT NOT NULL,
    body       TEXT NOT NULL,
    UNIQUE (thread_id, position)
);
CREATE INDEX posts_by_author ON posts (author_id);

CREATE TABLE pivi_entries (
    id                 TEXT PRIMARY KEY NOT NULL,
    title              TEXT NOT NULL,
    kind               TEXT NOT NULL,
    summary            TEXT NOT NULL,
    body               TEXT NOT NULL,
    district           TEXT NOT NULL,
    organisation       TEXT NOT NULL,
    target_groups      TEXT NOT NULL DEFAULT '[]',
    tags               TEXT NOT NULL DEFAULT '[]',
    period_from        INTEGER NOT NULL,
    period_to          INTEGER,
    contact_name       TEXT NOT NULL,
    contact_email      TEXT,
    contact_member_id  TEXT REFERENCES members (id) ON DELETE SET NULL,
    links              TEXT NOT NULL DEFAULT '[]',
    published          TEXT NOT NULL
);

-- A matrix's two axes are small ordered lists, stored as JSON; its cells are rows.
CREATE TABLE matrices (
    id           TEXT PRIMARY KEY NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    rows_axis    TEXT NOT NULL,
    columns_axis TEXT NOT NULL
);

CREATE TABLE matrix_cells (
    matrix_id  TEXT NOT NULL REFERENCES matrices (id) ON DELETE CASCADE,
    row_id     TEXT NOT NULL,
    column_id  TEXT NOT NULL,
    position   INTEGER NOT NULL,
    summary    TEXT NOT NULL,
    PRIMARY KEY (matrix_id, row_id, column_id)
);

CREATE TABLE articles (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    lead       TEXT NOT NULL,
    body       TEXT NOT NULL,
    author     TEXT NOT NULL,
    published  TEXT NOT NULL,
    matrix_id  TEXT NOT NULL REFERENCES matrices (id),
    tags       TEXT NOT NULL DEFAULT '[]',
    district   TEXT NOT NULL
);

CREATE TABLE article_cells (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    matrix_id   TEXT NOT NULL,
    row_id      TEXT NOT NULL,
    column_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (article_id, matrix_id, row_id, column_id),
    FOREIGN KEY (matrix_id, row_id, column_id)
        REFERENCES matrix_cells (matrix_id, row_id, column_id)
);
CREATE INDEX article_cells_by_cell ON article_cells (matrix_id, row_id, column_id);

CREATE TABLE dialogue_texts (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    phase      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    lead       TEXT NOT NULL,
    body       TEXT NOT NULL,
    checklist  TEXT NOT NULL DEFAULT '[]',
    district   TEXT,
    author     TEXT NOT NULL,
    published  TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX dialogue_texts_by_phase ON dialogue_texts (phase);

-- Every write that changes searchable content appends here, in the same transaction.
-- The indexer reads past its watermark and re-indexes the named entity.
CREATE TABLE index_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
