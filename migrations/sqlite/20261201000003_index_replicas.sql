-- Each node's search index reports how far it has read the outbox (a heartbeat); the
-- outbox is pruned below the lowest watermark of the nodes heard from lately.
CREATE TABLE index_replicas (
    node_id    TEXT PRIMARY KEY NOT NULL,
    watermark  INTEGER NOT NULL,
    seen_at    TEXT NOT NULL
);
