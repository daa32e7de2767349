-- Discussions written on the site: a post edited by its author says when (Unix seconds,
-- the app's clock, the same on both databases); never set by an import.
ALTER TABLE posts ADD COLUMN edited_at BIGINT;

-- A group's threads by their newest post.
CREATE INDEX posts_by_thread_created ON posts (thread_id, created);
