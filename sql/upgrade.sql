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
DROP TABLE up;

--
-- A fresh install (one full script, jsonb_pathx--<version>.sql) and an
-- install updated from each earlier version give identical catalog
-- objects: the functions with everything that defines them, the operator
-- class and family with their operators and support functions, and the
-- comments.  upcheck.catalog() describes them as rows; the snapshot of
-- the updated install must equal the fresh one, both ways.
--
CREATE SCHEMA upcheck;
CREATE FUNCTION upcheck.catalog() RETURNS TABLE (kind text, object text, detail text)
LANGUAGE sql AS $$
	WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'jsonb_pathx'),
	members AS (
		SELECT d.classid, d.objid, d.objsubid FROM pg_depend d, ext
		WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'),
	fam AS (SELECT objid AS oid FROM members WHERE classid = 'pg_opfamily'::regclass)
	SELECT 'member', pg_describe_object(classid, objid, objsubid), NULL FROM members
	UNION ALL
	SELECT 'function', p.oid::regprocedure::text,
		   concat_ws(' | ', pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
					 l.lanname, p.prosrc, p.probin, p.provolatile, p.proisstrict,
					 p.proparallel, p.proretset, p.proconfig::text,
					 obj_description(p.oid, 'pg_proc'))
	FROM members m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
	JOIN pg_language l ON l.oid = p.prolang
	UNION ALL
	SELECT 'opclass', c.opcname, concat_ws(' | ', am.amname, c.opcintype::regtype, c.opcdefault,
										   c.opckeytype::regtype, obj_description(c.oid, 'pg_opclass'))
	FROM pg_opclass c JOIN fam ON c.opcfamily = fam.oid JOIN pg_am am ON am.oid = c.opcmethod
	UNION ALL
	SELECT 'operator', o.amopstrategy::text,
		   concat_ws(' | ', o.amoplefttype::regtype, o.amoprighttype::regtype,
					 o.amopopr::regoperator, o.amoppurpose, o.amopsortfamily)
	FROM pg_amop o JOIN fam ON o.amopfamily = fam.oid
	UNION ALL
	SELECT 'support', p.amprocnum::text,
		   concat_ws(' | ', p.amproclefttype::regtype, p.amprocrighttype::regtype,
					 p.amproc::regprocedure)
	FROM pg_amproc p JOIN fam ON p.amprocfamily = fam.oid
$$;
-- the fresh install, to compare each updated one with
DROP EXTENSION jsonb_pathx;
CREATE EXTENSION jsonb_pathx;
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
CREATE TABLE upcheck.fresh AS SELECT * FROM upcheck.catalog();
SELECT kind, count(*) FROM upcheck.fresh GROUP BY kind ORDER BY kind;
DO $$
DECLARE
	v text;
	n int;
BEGIN
	FOREACH v IN ARRAY ARRAY['0.1', '0.2', '0.3'] LOOP
		DROP EXTENSION jsonb_pathx;
		EXECUTE format('CREATE EXTENSION jsonb_pathx VERSION %L', v);
		ALTER EXTENSION jsonb_pathx UPDATE;
		SELECT count(*) INTO n FROM (
			(SELECT * FROM upcheck.fresh EXCEPT SELECT * FROM upcheck.catalog())
			UNION ALL
			(SELECT * FROM upcheck.catalog() EXCEPT SELECT * FROM upcheck.fresh)) diff;
		RAISE NOTICE 'from % to %: % differences from a fresh install', v,
			(SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx'), n;
	END LOOP;
END $$;
-- the rows that differ, if any (none expected), after the last update
(SELECT 'fresh only' AS side, * FROM upcheck.fresh EXCEPT SELECT 'fresh only', * FROM upcheck.catalog())
UNION ALL
(SELECT 'updated only', * FROM upcheck.catalog() EXCEPT SELECT 'updated only', * FROM upcheck.fresh)
ORDER BY 1, 2, 3;
DROP SCHEMA upcheck CASCADE;
DROP EXTENSION jsonb_pathx;
CREATE EXTENSION jsonb_pathx;
SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx';
