-- Each node's search index reports how far it has read the outbox (a heartbeat); the
-- outbox is pruned below the lowest watermark of the nodes heard from lately.
CREATE TABLE index_replicas (
    node_id    TEXT COLLATE "C" PRIMARY KEY,
    watermark  BIGINT NOT NULL,
    seen_at    TIMESTAMPTZ NOT NULL
);
