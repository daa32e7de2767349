-- In-app notifications: replies, new threads, mentions, join requests and their answers.
-- `group_id` names the group a notification is about, so that one about a closed group
-- is shown only while its member still belongs to it.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('svar', 'ny_trad', 'omnamnande', 'ansokan', 'ansokan_besvarad')),
    text        TEXT NOT NULL,
    link        TEXT NOT NULL,
    group_id    TEXT REFERENCES groups (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_by_member ON notifications (member_id, read_at);
