-- coordinator.sql: the coordinator of the sharded orders table
-- (tests/shards/run.sh).
--
-- orders is partitioned by hash(id); its two partitions are postgres_fdw
-- foreign tables on the shards (shard.sql made orders_shard0 and
-- orders_shard1, each with its own jsonb_pathx_ops index).  Server options:
--   host, port       the shard's Unix socket directory and port
--   async_capable    the Append scans both shards at once (Async Foreign Scan)
--   use_remote_estimate  costs and row counts come from the shard's own
--                    EXPLAIN, so they reflect its index
--   extensions       jsonb_pathx's own functions may be shipped (the
--                    operators the index serves are built-in and shipped
--                    anyway)
--   batch_size       INSERTs through the coordinator travel 1000 rows at a time
-- psql variables: shard0_host, shard0_port, shard1_host, shard1_port.
\set ON_ERROR_STOP 1
CREATE EXTENSION jsonb_pathx;
CREATE EXTENSION postgres_fdw;

CREATE SERVER shard0 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard0_host', port :'shard0_port', dbname 'postgres',
			 async_capable 'true', use_remote_estimate 'true',
			 extensions 'jsonb_pathx', batch_size '1000');
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
	OPTIONS (host :'shard1_host', port :'shard1_port', dbname 'postgres',
			 async_capable 'true', use_remote_estimate 'true',
			 extensions 'jsonb_pathx', batch_size '1000');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard0 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');

CREATE TABLE orders (id bigint NOT NULL, doc jsonb NOT NULL) PARTITION BY HASH (id);
CREATE FOREIGN TABLE orders_p0 PARTITION OF orders
	FOR VALUES WITH (MODULUS 2, REMAINDER 0)
	SERVER shard0 OPTIONS (schema_name 'public', table_name 'orders_shard0');
CREATE FOREIGN TABLE orders_p1 PARTITION OF orders
	FOR VALUES WITH (MODULUS 2, REMAINDER 1)
	SERVER shard1 OPTIONS (schema_name 'public', table_name 'orders_shard1');

-- The same documents in one local table, the reference for every count.
CREATE TABLE orders_local (id bigint NOT NULL PRIMARY KEY, doc jsonb NOT NULL);
