-- shard.sql: one shard of the sharded orders table (tests/shards/run.sh).
--
-- psql variables: tbl (the shard's table), idx (its index).  The index
-- exists before the documents arrive, as on a shard that takes inserts
-- all day: the coordinator's INSERTs go through GIN's pending list, which
-- run.sh merges with VACUUM (autovacuum's job in production).
\set ON_ERROR_STOP 1
CREATE EXTENSION jsonb_pathx;
CREATE TABLE :"tbl" (id bigint NOT NULL PRIMARY KEY, doc jsonb NOT NULL);
CREATE INDEX :"idx" ON :"tbl" USING gin (doc jsonb_pathx_ops);
