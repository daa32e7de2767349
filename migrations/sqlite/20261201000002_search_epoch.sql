-- The database's epoch: a name for this history of the outbox. Search indexes record it
-- beside their watermark; a database restored from a backup or failed over gets a new one,
-- and every index of the old one is rebuilt. One row, created by the first node to start.
CREATE TABLE search_epoch (
    id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    epoch  TEXT NOT NULL
);
