-- jsquery_wildcards.sql: wildcard queries on jsonb_pathx_ops (anypath = true)
-- against jsquery's jsonb_value_path_ops and a seq scan, same data.
--
-- Needs the jsquery extension (tools/install-deps.sh --bench installs
-- postgresql-15-jsquery).  Run on a throwaway cluster:
--   tools/with-cluster.sh --set shared_buffers=1GB --set maintenance_work_mem=512MB \
--     psql -X -q -f tools/bench/jsquery_wildcards.sql
-- With jsquery installed, jsonb @@ 'literal' is ambiguous between jsonpath
-- and jsquery: the literals carry explicit casts.
SET max_parallel_workers_per_gather = 2;
CREATE EXTENSION IF NOT EXISTS jsquery;
CREATE EXTENSION IF NOT EXISTS jsonb_pathx;
DROP TABLE IF EXISTS wq;
SELECT setseed(0.25) \g /dev/null
CREATE TABLE wq AS SELECT i AS id, jsonb_build_object(
  'status', (ARRAY['paid','paid','paid','shipped','pending','refunded'])[1 + floor(random() * 6)::int],
  'user', jsonb_build_object('country', (ARRAY['US','DE','IS','FR','BR'])[1 + floor(random() * 5)::int], 'email', md5(i::text)),
  'items', (SELECT jsonb_agg(jsonb_build_object('sku', 'SKU-' || lpad(floor(power(random(), 3) * 50000)::int::text, 5, '0'), 'price', round((random() * 500)::numeric, 2))) FROM generate_series(1, 1 + i % 6) g WHERE g > 0 * i),
  'shipping', jsonb_build_object('zip', lpad((i % 99999)::text, 5, '0'))) AS doc
FROM generate_series(1, 200000) i;
VACUUM ANALYZE wq;
\o /dev/null
CREATE OR REPLACE FUNCTION tq(q text, runs int DEFAULT 7) RETURNS TABLE (rows bigint, median_ms numeric, plan text)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ts numeric[] := '{}'; n bigint; p text; line text;
BEGIN
  EXECUTE 'SELECT count(*) FROM wq WHERE ' || q INTO n;
  FOR i IN 1..runs LOOP
    t0 := clock_timestamp();
    EXECUTE 'SELECT count(*) FROM wq WHERE ' || q INTO n;
    ts := ts || (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
  END LOOP;
  p := 'seq';
  FOR line IN EXECUTE 'EXPLAIN SELECT count(*) FROM wq WHERE ' || q LOOP
    IF line LIKE '%Bitmap Index Scan%' THEN p := 'idx'; END IF;
  END LOOP;
  RETURN QUERY SELECT n, round((SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ts) x), 2), p;
END $$;
\o
\echo seq scan
SELECT 'seq' s, * FROM tq($$doc @@ '$.** == "SKU-00042"'::jsonpath$$) UNION ALL
SELECT 'seq', * FROM tq($$doc @@ '$.*.zip == "04242"'::jsonpath$$) UNION ALL
SELECT 'seq', * FROM tq($$doc @@ '$.*[*].price > 499.9'::jsonpath$$);
\timing on
CREATE INDEX wq_px ON wq USING gin (doc jsonb_pathx_ops (anypath = true));
\timing off
ANALYZE wq;
SELECT pg_size_pretty(pg_relation_size('wq_px')) AS pathx_anypath_size;
SELECT 'pathx anypath' s, * FROM tq($$doc @@ '$.** == "SKU-00042"'::jsonpath$$) UNION ALL
SELECT 'pathx anypath', * FROM tq($$doc @@ '$.*.zip == "04242"'::jsonpath$$) UNION ALL
SELECT 'pathx anypath', * FROM tq($$doc @@ '$.*[*].price > 499.9'::jsonpath$$);
DROP INDEX wq_px;
\timing on
CREATE INDEX wq_jq ON wq USING gin (doc jsonb_value_path_ops);
\timing off
ANALYZE wq;
SELECT pg_size_pretty(pg_relation_size('wq_jq')) AS jsquery_value_path_size;
SELECT 'jsquery value_path' s, * FROM tq($$doc @@ '* = "SKU-00042"'::jsquery$$) UNION ALL
SELECT 'jsquery value_path', * FROM tq($$doc @@ '%.zip = "04242"'::jsquery$$) UNION ALL
SELECT 'jsquery value_path', * FROM tq($$doc @@ '%.#.price > 499.9'::jsquery$$);
