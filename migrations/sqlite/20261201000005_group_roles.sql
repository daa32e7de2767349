-- Roles in a group (one owner, moderators, members), when each member joined, requests to
-- join closed groups, and a group's district and topics. Times are Unix seconds.
ALTER TABLE group_members ADD COLUMN role TEXT NOT NULL DEFAULT 'medlem'
    CHECK (role IN ('agare', 'moderator', 'medlem'));
ALTER TABLE group_members ADD COLUMN joined_at INTEGER NOT NULL DEFAULT 0;
UPDATE group_members SET role = 'agare'
    WHERE member_id = (SELECT created_by FROM groups WHERE groups.id = group_members.group_id);

-- The district is a slug of the closed list or NULL; topics are a JSON array of text.
ALTER TABLE groups ADD COLUMN district TEXT;
ALTER TABLE groups ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';

-- A member's request to join a closed group, until an owner or moderator decides.
CREATE TABLE group_requests (
    group_id    TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    message     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX group_requests_by_member ON group_requests (member_id);
