--
-- ALTER EXTENSION jsonb_pathx UPDATE from every earlier version: an index
-- built by the old version keeps answering correctly after the update, and
-- options become available.
--
DROP EXTENSION jsonb_pathx CASCADE;
CREATE EXTENSION jsonb_pathx VERSION '0.1';
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
CREATE TABLE up (doc jsonb);
INSERT INTO up SELECT jsonb_build_object('n', i, 's', 'v' || i) FROM generate_series(1, 2000) i;
CREATE INDEX up_old ON up USING gin (doc jsonb_pathx_ops);
SET enable_seqscan = off;
SELECT count(*) FROM up WHERE doc @@ '$.n > 1990';
ALTER EXTENSION jsonb_pathx UPDATE TO '0.2';
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
-- a new session sees the updated operator class
\c
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM up WHERE doc @@ '$.n > 1990';
SELECT count(*) FROM up WHERE doc @@ '$.n > 1990';
INSERT INTO up VALUES ('{"n": 5000, "s": "new"}');
SELECT count(*) FROM up WHERE doc @@ '$.n > 1990 && $.s starts with "ne"';
CREATE INDEX up_new ON up USING gin (doc jsonb_pathx_ops (paths = '$.s'));
SELECT index_name, column_name, options FROM jsonb_pathx_indexes();
RESET enable_seqscan;
-- 0.3 adds the derived conditions of application SQL forms
ALTER EXTENSION jsonb_pathx UPDATE TO '0.3';
\c
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM up WHERE doc->>'s' = 'new';
SELECT count(*) FROM up WHERE doc->>'s' = 'new';
PREPARE up_p(text) AS SELECT count(*) FROM up WHERE doc->>'s' = $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE up_p('new');
EXECUTE up_p('new');
RESET plan_cache_mode;
RESET enable_seqscan;
-- 0.4: functions that do not depend on the caller's search_path
ALTER EXTENSION jsonb_pathx UPDATE TO '0.4';
\c
SELECT p.oid::regprocedure AS function, l.lanname, p.provolatile, p.proconfig
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.proname IN ('jsonb_pathx_indexes', 'jsonb_pathx_explain') ORDER BY 1::text;
SELECT jsonb_pathx_explain('$.n > 1990');
SET enable_seqscan = off;
SELECT count(*) FROM up WHERE doc @@ '$.n > 1990';
RESET enable_seqscan;
SELECT index_name, column_name, options FROM jsonb_pathx_indexes();
-- the update path and the fresh install give the same objects
SELECT count(*) AS objects FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
WHERE e.extname = 'jsonb_pathx' AND d.deptype = 'e';
DROP TABLE up;
DROP EXTENSION jsonb_pathx;
-- from 0.2 directly
CREATE EXTENSION jsonb_pathx VERSION '0.2';
ALTER EXTENSION jsonb_pathx UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
SELECT count(*) AS objects FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
WHERE e.extname = 'jsonb_pathx' AND d.deptype = 'e';
DROP EXTENSION jsonb_pathx;
CREATE EXTENSION jsonb_pathx;
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
SELECT count(*) AS objects FROM pg_depend d JOIN pg_extension e ON d.refobjid = e.oid
WHERE e.extname = 'jsonb_pathx' AND d.deptype = 'e';
