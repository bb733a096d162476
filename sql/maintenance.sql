--
-- Index maintenance: partitioned tables, CREATE INDEX CONCURRENTLY,
-- REINDEX and REINDEX CONCURRENTLY all give the same answers as a seq scan.
--
CREATE FUNCTION m_count(tbl text, q text, forced boolean) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM set_config('enable_seqscan', CASE WHEN forced THEN 'off' ELSE 'on' END, true);
	PERFORM set_config('enable_bitmapscan', CASE WHEN forced THEN 'on' ELSE 'off' END, true);
	EXECUTE format('SELECT count(*) FROM %s WHERE %s', tbl, q) INTO n;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_bitmapscan', 'on', true);
	RETURN n;
END $$;

CREATE TABLE m_queries (q text);
INSERT INTO m_queries VALUES
	($q$doc @@ '$.kind == "b" && $.n > 900'$q$),
	($q$doc @> '{"tags": ["t3"]}'$q$),
	($q$doc @@ '$.name starts with "name 99"'$q$),
	($q$doc @? '$.extra.deep'$q$),
	($q$doc ?| array['extra', 'missing']$q$);

-- partitioned table, index on the parent
CREATE TABLE m_parts (id int, region text, doc jsonb) PARTITION BY LIST (region);
CREATE TABLE m_parts_eu PARTITION OF m_parts FOR VALUES IN ('eu');
CREATE TABLE m_parts_us PARTITION OF m_parts FOR VALUES IN ('us');
CREATE TABLE m_parts_other PARTITION OF m_parts DEFAULT;
INSERT INTO m_parts
SELECT i, (ARRAY['eu','us','ap'])[1 + i % 3],
	jsonb_build_object('n', i % 1000, 'kind', (ARRAY['a','b','c'])[1 + i % 3], 'name', 'name ' || i,
					   'tags', jsonb_build_array('t' || i % 7))
	|| CASE WHEN i % 40 = 0 THEN '{"extra": {"deep": true}}'::jsonb ELSE '{}' END
FROM generate_series(1, 3000) i;
CREATE INDEX m_parts_doc ON m_parts USING gin (doc jsonb_pathx_ops);
SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE c.relname LIKE 'm_parts%' ORDER BY 1;
ANALYZE m_parts;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM m_parts WHERE doc @@ '$.name starts with "name 99"';
RESET enable_seqscan;
SELECT q, m_count('m_parts', q, true) AS via_index, m_count('m_parts', q, false) AS seq
FROM m_queries ORDER BY q;
-- a partition attached later gets the index too
CREATE TABLE m_parts_sa (id int, region text, doc jsonb);
INSERT INTO m_parts_sa SELECT i, 'sa', jsonb_build_object('n', 950, 'kind', 'b', 'name', 'name 99x')
FROM generate_series(1, 10) i;
ALTER TABLE m_parts DETACH PARTITION m_parts_other;
ALTER TABLE m_parts ATTACH PARTITION m_parts_sa FOR VALUES IN ('sa');
ALTER TABLE m_parts ATTACH PARTITION m_parts_other DEFAULT;
SELECT q, m_count('m_parts', q, true) AS via_index, m_count('m_parts', q, false) AS seq
FROM m_queries ORDER BY q;

-- CREATE INDEX CONCURRENTLY, REINDEX, REINDEX CONCURRENTLY on a plain table
CREATE TABLE m_plain AS SELECT id, doc FROM m_parts;
CREATE INDEX CONCURRENTLY m_plain_doc ON m_plain USING gin (doc jsonb_pathx_ops (anypath = true));
SELECT indisvalid FROM pg_index WHERE indexrelid = 'm_plain_doc'::regclass;
SELECT q, m_count('m_plain', q, true) AS via_index, m_count('m_plain', q, false) AS seq
FROM m_queries ORDER BY q;
DELETE FROM m_plain WHERE id % 3 = 0;
REINDEX INDEX m_plain_doc;
SELECT q, m_count('m_plain', q, true) AS via_index, m_count('m_plain', q, false) AS seq
FROM m_queries ORDER BY q;
UPDATE m_plain SET doc = doc || '{"kind": "b", "n": 999}' WHERE id % 5 = 0;
REINDEX INDEX CONCURRENTLY m_plain_doc;
SELECT pg_get_indexdef('m_plain_doc'::regclass);
SELECT q, m_count('m_plain', q, true) AS via_index, m_count('m_plain', q, false) AS seq
FROM m_queries ORDER BY q;
REINDEX TABLE m_parts;
SELECT q, m_count('m_parts', q, true) AS via_index, m_count('m_parts', q, false) AS seq
FROM m_queries ORDER BY q;

DROP TABLE m_parts, m_plain, m_queries, m_parts_sa;
DROP FUNCTION m_count(text, text, boolean);
