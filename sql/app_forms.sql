--
-- Application SQL forms: the conditions ORMs and drivers send use a
-- jsonb_pathx_ops index through a derived, lossy index condition, and give
-- exactly the rows of a seq scan.
--
CREATE TABLE docs (id serial PRIMARY KEY, doc jsonb);
CREATE INDEX docs_px ON docs USING gin (doc jsonb_pathx_ops);
INSERT INTO docs (doc) SELECT jsonb_build_object('filler', i, 'status', 'common') FROM generate_series(1, 1000) i;
INSERT INTO docs (doc) VALUES
	('{"status": "paid", "total": 4995.5, "n": 1, "user": {"email": "abc@x.org"}, "items": [{"sku": "a1"}, {"sku": "b2"}]}'),
	('{"status": "refunded", "total": 12, "n": "1", "user": {"email": "abd@x.org"}, "items": [{"sku": "b2"}]}'),
	('{"status": "paid", "total": 4990, "n": 1.0, "coupon": {"code": "C1"}}'),
	('{"n": 12, "status": "disputed"}'),
	('{"n": true}'),
	('{"n": "true"}'),
	('{"n": {"x": 1}}'),
	('{"n": "{\"x\": 1}"}'),
	('{"n": [1]}'),
	('{"n": null}'),
	('{"n": "null"}'),
	('{"items": {"0": {"sku": "a1"}}}'),
	('{"items": [[{"sku": "a1"}]]}'),
	('{"a": {"b": "x"}}'),
	('{"a": [{"b": "x"}]}'),
	('{"a": {"0": "zero"}}'),
	('{"a": ["zero"]}'),
	('{"s": "it''s \"q\" \\ é ☃"}'),
	('{"e": []}'),
	('{"e": {}}'),
	('{"e": [[]]}'),
	('{"flag": true, "n": false}'),
	('{"d": "2020-01-02"}'),
	('{"flag": false}'),
	('{"flag": "yes"}'),
	('{"tags": ["red", "blue"], "t": [[1, 2]]}'),
	('{"tags": "red"}'),
	('["red", "n"]'),
	('"n"'),
	('4990');
ANALYZE docs;

-- In a fresh session, without any preload setting: opening the index loads
-- the library, whose planner hook serves the same planning.
\c
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->>'status' = 'paid';
RESET enable_seqscan;

-- Index used (with enable_seqscan = off), and the same rows as a seq scan
-- (with bitmap scans off); errors must be the same error, except that the
-- index never evaluates rows it rules out.
CREATE FUNCTION px_check_in(t text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	via_index text;
	via_seq text;
	used boolean := false;
	line text;
BEGIN
	PERFORM set_config('enable_seqscan', 'off', true);
	FOR line IN EXECUTE format('EXPLAIN (COSTS OFF) SELECT * FROM %I WHERE ', t) || q LOOP
		used := used OR line LIKE '%Bitmap Index Scan on ' || t || '_px%';
	END LOOP;
	BEGIN
		EXECUTE format('SELECT count(*)::text FROM %I WHERE ', t) || q INTO via_index;
	EXCEPTION WHEN OTHERS THEN
		via_index := 'error ' || SQLSTATE;
	END;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_bitmapscan', 'off', true);
	BEGIN
		EXECUTE format('SELECT count(*)::text FROM %I WHERE ', t) || q INTO via_seq;
	EXCEPTION WHEN OTHERS THEN
		via_seq := 'error ' || SQLSTATE;
	END;
	PERFORM set_config('enable_bitmapscan', 'on', true);
	RETURN CASE WHEN used THEN 'index' ELSE 'no index' END || ': ' || via_index ||
		CASE WHEN via_index = via_seq THEN ''
			 -- an index never evaluates the rows it rules out
			 WHEN via_seq LIKE 'error%' AND via_index NOT LIKE 'error%'
			 THEN ' (seq scan: ' || via_seq || ' on a row the index rules out)'
			 ELSE ' BUT SEQ SCAN: ' || via_seq END;
END $$;
CREATE FUNCTION px_check(q text) RETURNS text LANGUAGE sql
AS $$ SELECT px_check_in('docs', q) $$;

-- extraction forms and text tests
SELECT q, px_check(q) FROM (VALUES
	($$doc->>'status' = 'paid'$$),
	($$doc #>> '{status}' = 'refunded'$$),
	($$doc->'user'->>'email' = 'abc@x.org'$$),
	($$doc #>> '{user,email}' LIKE 'ab%'$$),
	($$doc #>> '{user,email}' LIKE 'abc\_%'$$),
	($$doc->>'status' IN ('refunded', 'disputed')$$),
	($$doc->>'status' = ANY (ARRAY['paid', NULL])$$),
	($$doc->>'status' IN (NULL)$$),
	($$starts_with(doc->>'status', 'ref')$$),
	($$doc->>'status' ^@ 'dis'$$),
	($$doc #>> '{coupon,code}' IS NOT NULL$$),
	($$doc->>'status' <> 'common'$$),
	($$doc->>'status' > 'p' COLLATE "C"$$),
	($$doc->>'status' BETWEEN 'd' AND 'q' COLLATE "C"$$),
	($$doc #>> '{items,0,sku}' = 'a1'$$),
	($$doc #> '{items,0}' = '{"sku": "a1"}'$$),
	($$doc->'items'->1->>'sku' = 'b2'$$),
	($$doc['user']['email'] = '"abd@x.org"'$$),
	($$doc['items'][0]['sku'] = '"a1"'$$),
	($$jsonb_extract_path_text(doc, 'a', 'b') = 'x'$$),
	($$doc->'a'->>0 = 'zero'$$),
	($$doc #>> '{a,0}' = 'zero'$$),
	($$doc->>'s' = 'it''s "q" \ é ☃'$$),
	($$lower(doc->>'status') = 'paid'$$)
) v(q);

-- ->> gives the text of numbers, booleans, containers; JSON null is SQL NULL
SELECT q, px_check(q) FROM (VALUES
	($$doc->>'n' = '1'$$),
	($$doc->>'n' = '1.0'$$),
	($$doc->>'n' = 'true'$$),
	($$doc->>'n' = 'false'$$),
	($$doc->>'n' = 'null'$$),
	($$doc->>'n' = '{"x": 1}'$$),
	($$doc->>'n' = '[1]'$$),
	($$doc->>'n' LIKE '1%'$$),
	($$doc->>'n' LIKE 't%'$$),
	($$doc->>'n' LIKE '{%'$$),
	($$doc->>'n' LIKE '%'$$),
	($$doc->>'n' IS NOT NULL$$),
	($$doc->>'n' < '2' COLLATE "C"$$),
	($$doc->>'n' >= 't' COLLATE "C"$$),
	($$doc->>'n' > '[' COLLATE "C"$$)
) v(q);

-- jsonb results compared with jsonb, in jsonb's order across types
SELECT q, px_check(q) FROM (VALUES
	($$doc->'status' = '"paid"'::jsonb$$),
	($$doc->'total' > '4990'::jsonb$$),
	($$doc->'total' >= '4990'::jsonb$$),
	($$doc->'total' < '13'::jsonb$$),
	($$doc->'n' > '5'::jsonb$$),
	($$doc->'n' < '5'::jsonb$$),
	($$doc->'n' <= 'null'::jsonb$$),
	($$doc->'n' > 'false'::jsonb$$),
	($$doc->'n' = '[1]'::jsonb$$),
	($$doc->'n' = '{"x": 1}'::jsonb$$),
	($$doc->'e' = '[]'::jsonb$$),
	($$doc->'e' = '{}'::jsonb$$),
	($$doc->'e' < '1'::jsonb$$),
	($$doc->'items' @> '[{"sku": "b2"}]'$$),
	($$doc->'items' @> '{"0": {"sku": "a1"}}'$$),
	($$doc->'tags' @> '"red"'$$),
	($$'["red"]' <@ (doc->'tags')$$),
	($$doc->'t' @> '[[2]]'$$),
	($$doc->'tags' ? 'blue'$$),
	($$doc->'tags' ?| ARRAY['x', 'red']$$),
	($$doc->'tags' ?& ARRAY['red', 'blue']$$),
	($$doc->'n' ? 'x'$$),
	($$doc = '4990'::jsonb$$),
	($$doc = '"n"'::jsonb$$),
	($$(doc->'flag')::boolean$$),
	($$(doc->'flag')::boolean = false$$),
	($$CAST(doc #>> '{flag}' AS BOOLEAN) = true$$),
	($$(doc->>'flag')::boolean$$),
	($$(doc->>'flag')::boolean = false$$),
	($$NOT (doc->'n')::boolean$$)
) v(q);

-- function forms and jsonpath variables
SELECT q, px_check(q) FROM (VALUES
	($$jsonb_exists(doc, 'coupon')$$),
	($$jsonb_exists_any(doc, ARRAY['coupon', 'flag'])$$),
	($$jsonb_exists_all(doc, ARRAY['status', 'coupon'])$$),
	($$jsonb_contains(doc, '{"status": "refunded"}')$$),
	($$jsonb_path_exists(doc, '$.total ? (@ > 4990)')$$),
	($$jsonb_path_exists(doc, '$.total ? (@ > $x)', '{"x": 4990}')$$),
	($$jsonb_path_exists(doc, '$.status ? (@ == $s)', jsonb_build_object('s', 'refunded'), true)$$),
	($$jsonb_path_exists(doc, '$.total ? (@ > $x)', '{"x": [1]}')$$),
	($$jsonb_path_match(doc, '$.total > $x', '{"x": 4990}')$$),
	($$jsonb_path_exists_tz(doc, '$.user.email ? (@ starts with $p)', '{"p": "abd"}')$$),
	($$jsonb_path_exists_tz(doc, '$.d ? (@.datetime() > "2020-01-01T00:00:00+00".datetime())')$$),
	($$jsonb_path_exists(doc->'user', '$.email')$$),
	($$jsonb_path_query_first(doc, '$.total')::int > 4990$$),
	($$(doc->'total')::numeric(4, -1) = 5000$$),
	($$(doc->>'total')::numeric(5, -2) BETWEEN 5000 AND 5000$$),
	($$jsonb_path_query_first(doc, '$.user') ->> 'email' = 'abc@x.org'$$),
	($$jsonb_path_query_first(doc, 'strict $.items[*].sku') = '"b2"'$$),
	($$jsonb_path_query_first(doc, '$.total ? (@ > $x)', '{"x": 4990}') IS NOT NULL$$)
) v(q);

-- AND / OR, mixed with the operators
SELECT q, px_check(q) FROM (VALUES
	($$doc->>'status' = 'paid' AND (doc->>'total')::numeric > 4991$$),
	($$doc->>'status' = 'refunded' OR doc->>'status' = 'disputed'$$),
	($$doc->>'status' = 'refunded' OR doc @> '{"coupon": {"code": "C1"}}'$$),
	($$(doc->>'status' = 'paid' AND doc->>'n' = '1') OR doc ? 'flag'$$),
	($$doc @? '$.items[*].sku' AND doc->'user'->>'email' LIKE 'abd%'$$),
	($$doc->>'status' = 'paid' OR length(doc::text) > 0$$),
	($$doc @@ '$.flag' OR doc->>'status' = 'refunded'$$),
	($$jsonb_path_match(doc, 'true') OR doc->>'n' = '1'$$)
) v(q);

-- Casts of text or jsonb to numbers: casts round, fail, or read strings
-- (' 5000', '1e4', 'Infinity', 'NaN').  Each table holds only values the
-- cast accepts, plus one where it fails.
CREATE TABLE nums (id serial, doc jsonb);
CREATE INDEX nums_px ON nums USING gin (doc jsonb_pathx_ops);
INSERT INTO nums (doc) SELECT jsonb_build_object('filler', i) FROM generate_series(1, 500) i;
INSERT INTO nums (doc) VALUES ('{"m": 4.5}'), ('{"m": 5}'), ('{"m": 4.4}'), ('{"m": 5.5}'),
	('{"m": -4.5}'), ('{"m": 4990}'), ('{"m": 4990.0000001}'), ('{"m": 1e20}'), ('{"m": 0.1}'),
	('{"m": 123456789012345678}'), ('{"m": 2147483647}');
CREATE TABLE strs (id serial, doc jsonb);
CREATE INDEX strs_px ON strs USING gin (doc jsonb_pathx_ops);
INSERT INTO strs (doc) SELECT jsonb_build_object('filler', i) FROM generate_series(1, 500) i;
INSERT INTO strs (doc) VALUES ('{"m": " 5000"}'), ('{"m": "1e4"}'), ('{"m": "Infinity"}'),
	('{"m": "-Infinity"}'), ('{"m": "NaN"}'), ('{"m": 4.5}'), ('{"m": 7}'), ('{"m": "  -3  "}');
ANALYZE nums, strs;


SELECT t, q, px_check_in(t, q) FROM (VALUES
	('nums', $$(doc->'m')::int >= 5$$),
	('nums', $$(doc->'m')::int = 5$$),
	('nums', $$(doc->'m')::int < -4$$),
	('nums', $$(doc->'m')::bigint = 123456789012345678$$),
	('nums', $$(doc->'m')::numeric = 4990$$),
	('nums', $$(doc->'m')::float8 = 4990$$),
	('nums', $$(doc->'m')::real = 4990$$),
	('nums', $$(doc->'m')::float8 > 1e19$$),
	('nums', $$(doc->'m')::numeric BETWEEN 4.4 AND 5$$),
	('nums', $$(doc->'m')::numeric IN (5, 0.1)$$),
	('nums', $$(doc->>'m')::numeric > 4989.99$$),
	('nums', $$CAST(doc #>> '{m}' AS DOUBLE PRECISION) > 4990$$),
	('nums', $$(doc->>'m')::real >= 0.1$$),
	('nums', $$(doc->>'m')::numeric::int = 5$$),
	('nums', $$(doc->>'m')::numeric(10, 0) = 5$$),
	('nums', $$(doc->>'m')::int > 4$$),
	('nums', $$(doc->'m')::numeric > 'NaN'$$),
	('nums', $$(doc->'m')::numeric < 'Infinity'$$),
	('strs', $$(doc->>'m')::float8 > 4$$),
	('strs', $$(doc->>'m')::float8 = 'Infinity'$$),
	('strs', $$(doc->>'m')::float8 = 'NaN'$$),
	('strs', $$(doc->>'m')::numeric < 0$$),
	('strs', $$(doc->>'m')::numeric >= 5000$$),
	('strs', $$(doc->'m')::numeric > 4$$),
	('strs', $$(doc->>'m')::int > 4$$)
) v(t, q);

-- The derived conditions, as EXPLAIN shows them (and jsonb_pathx_explain
-- decomposes them into keys).
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->>'n' = '1';
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE (doc->'n')::int >= 5;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc #>> '{items,0,sku}' LIKE 'a%';
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->'total' > '4990'::jsonb;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE jsonb_path_exists(doc, '$.total ? (@ > $x)', '{"x": 4990}');
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE jsonb_exists(doc, 'coupon') OR doc->>'status' = 'refunded';
-- an OR of derived conditions is one index condition
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->>'status' = 'refunded' OR (doc->>'n' = '1' AND doc ? 'user');
-- both bounds on one value (BETWEEN): one range scan, in strict mode
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE (doc->>'total')::numeric BETWEEN 4990 AND 5000;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->'total' >= '4990' AND doc->'total' < '5000';
SELECT jsonb_pathx_explain(jsonb_pathx_condition('num_range:j', '{ktotal}', ARRAY['ge', '4990', 'le', '5000']));
SELECT jsonb_pathx_explain(jsonb_pathx_condition('text_eq', '{kn}', '1'));
SELECT jsonb_pathx_explain(jsonb_pathx_condition('num_ge:jr', '{km}', '5'));
SELECT jsonb_pathx_explain(jsonb_pathx_condition('text_eq', '{kitems,a0,ksku}', 'a1'));
SELECT jsonb_pathx_explain(jsonb_pathx_condition('jsonb_gt:c', '{ktotal}', '4990'::jsonb));
SELECT jsonb_pathx_explain(jsonb_pathx_condition('text_eq', '{kstatus}', ARRAY['a', 'b']));
SELECT jsonb_pathx_bind('$.a ? (@ == $x && @ != $"y z")', '{"x": "it''s \"q\"", "y z": -1.5}');
SELECT jsonb_pathx_bind('$.a ? (@ == $x)', '{"x": {"no": "containers"}}');
SELECT jsonb_pathx_bind('$.a ? (@ starts with $p && $n.type() == "number")', '{"p": "x", "n": 1}');
RESET enable_seqscan;

-- Parameters: custom and generic plans give the same rows
SET enable_seqscan = off;
PREPARE p_text(text) AS SELECT count(*) FROM docs WHERE doc->>'status' = $1;
PREPARE p_in(text[]) AS SELECT count(*) FROM docs WHERE doc #>> '{status}' = ANY ($1);
PREPARE p_num(float8) AS SELECT count(*) FROM docs WHERE CAST(doc #>> '{total}' AS DOUBLE PRECISION) > $1;
PREPARE p_jsonb(jsonb) AS SELECT count(*) FROM docs WHERE doc->'total' >= $1;
PREPARE p_like(text) AS SELECT count(*) FROM docs WHERE doc->'user'->>'email' LIKE $1;
PREPARE p_vars(jsonb) AS SELECT count(*) FROM docs WHERE jsonb_path_exists(doc, '$.total ? (@ > $x)', $1);
PREPARE p_path(jsonpath) AS SELECT count(*) FROM docs WHERE jsonb_path_exists(doc, $1);
SET plan_cache_mode = force_generic_plan;
EXPLAIN (COSTS OFF) EXECUTE p_text('paid');
EXPLAIN (COSTS OFF) EXECUTE p_vars('{"x": 4990}');
EXECUTE p_text('paid');
EXECUTE p_in(ARRAY['refunded', 'disputed']);
EXECUTE p_num(4990);
EXECUTE p_jsonb('4990');
EXECUTE p_like('abd%');
EXECUTE p_vars('{"x": 4990}');
EXECUTE p_vars('{"x": [1]}');
EXECUTE p_path('$.coupon.code');
SET plan_cache_mode = force_custom_plan;
EXPLAIN (COSTS OFF) EXECUTE p_text('paid');
EXECUTE p_text('paid');
EXECUTE p_in(ARRAY['refunded', 'disputed']);
EXECUTE p_num(4990);
EXECUTE p_jsonb('4990');
EXECUTE p_like('abd%');
EXECUTE p_vars('{"x": 4990}');
EXECUTE p_path('$.coupon.code');
RESET plan_cache_mode;
DEALLOCATE ALL;

-- Partitioned tables, views and subqueries
CREATE TABLE parts (id int, doc jsonb) PARTITION BY HASH (id);
CREATE TABLE parts_0 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ON parts USING gin (doc jsonb_pathx_ops);
INSERT INTO parts SELECT id, doc FROM docs;
ANALYZE parts;
EXPLAIN (COSTS OFF) SELECT count(*) FROM parts WHERE doc->>'status' = 'refunded';
SELECT count(*) FROM parts WHERE doc->>'status' = 'refunded';
CREATE VIEW paid AS SELECT id, doc->>'status' AS status, doc FROM docs;
EXPLAIN (COSTS OFF) SELECT count(*) FROM paid WHERE status = 'refunded';
SELECT count(*) FROM paid WHERE status = 'refunded';
SELECT count(*) FROM (SELECT doc FROM docs WHERE doc->>'status' <> 'common' OFFSET 0) s
WHERE doc->>'status' = 'paid';

-- Off by setting, and nothing changes for a table without the index
SET jsonb_pathx.application_forms = off;
EXPLAIN (COSTS OFF) SELECT * FROM docs WHERE doc->>'status' = 'paid';
RESET jsonb_pathx.application_forms;
CREATE TABLE plain (doc jsonb);
INSERT INTO plain SELECT doc FROM docs;
EXPLAIN (COSTS OFF) SELECT * FROM plain WHERE doc->>'status' = 'paid';
RESET enable_seqscan;

-- Selective forms use the index on their own; non-selective ones stay seq scans
CREATE TABLE big (id serial, doc jsonb);
INSERT INTO big (doc) SELECT jsonb_build_object('status', CASE WHEN i % 1000 = 0 THEN 'rare' ELSE 'common' END,
	'total', i % 5000, 'user', jsonb_build_object('email', 'u' || i || '@x.org'))
	|| CASE WHEN i % 1000 = 0 THEN jsonb_build_object('coupon', jsonb_build_object('code', 'C' || i)) ELSE '{}' END
FROM generate_series(1, 20000) i;
CREATE INDEX big_px ON big USING gin (doc jsonb_pathx_ops);
ANALYZE big;
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc #>> '{status}' = 'rare';
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE (doc->>'total')::numeric > 4995;
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc->'total' > '4995'::jsonb;
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc #>> '{user,email}' LIKE 'u1234@%';
-- every form, selective, on its own: the plan the planner picks unforced
CREATE FUNCTION plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) SELECT * FROM big WHERE ' || q LOOP
		IF line LIKE '%Bitmap Index Scan on big_px%' THEN
			RETURN 'index';
		END IF;
	END LOOP;
	RETURN 'no index';
END $$;
SELECT q, plan_of(q) FROM (VALUES
	($$doc->>'status' = 'rare'$$),
	($$doc->'status' = '"rare"'$$),
	($$doc['status'] = '"rare"'$$),
	($$jsonb_extract_path_text(doc, 'status') = 'rare'$$),
	($$doc->>'status' IN ('rare', 'unheard')$$),
	($$doc->>'status' = ANY (ARRAY['rare'])$$),
	($$doc->>'status' LIKE 'ra%'$$),
	($$starts_with(doc->>'status', 'ra')$$),
	($$doc #>> '{coupon,code}' IS NOT NULL$$),
	($$doc->'coupon' IS NOT NULL$$),
	($$doc->>'status' > 'q' COLLATE "C"$$),
	($$(doc->>'total')::int > 4990$$),
	($$(doc->>'total')::bigint = 4999$$),
	($$(doc->'total')::float8 >= 4998$$),
	($$(doc->>'total')::real BETWEEN 4998 AND 4999$$),
	($$(doc->>'total')::numeric IN (4997, 4998)$$),
	($$doc->'total' > '4995'$$),
	($$doc->'total' BETWEEN '4995' AND '4999'$$),
	($$doc->'coupon' @> '{"code": "C7000"}'$$),
	($$doc->'coupon' ? 'code'$$),
	($$jsonb_exists(doc, 'coupon')$$),
	($$jsonb_exists_any(doc, ARRAY['coupon', 'nope'])$$),
	($$jsonb_contains(doc, '{"status": "rare"}')$$),
	($$jsonb_path_exists(doc, '$.total ? (@ > $x)', '{"x": 4995}')$$),
	($$jsonb_path_match(doc, '$.status == $s', '{"s": "rare"}')$$),
	($$jsonb_path_query_first(doc, '$.total')::int > 4995$$),
	($$doc->>'status' = 'rare' OR doc->>'status' = 'unheard'$$),
	($$doc->>'status' = 'rare' AND doc @? '$.total'$$)
) v(q);
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc->>'status' = 'common';
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc->>'status' IS NOT NULL;

-- Costing from what the index searches: here the key search is "$.total
-- exists" (item methods are not indexable) or "$.status exists", which
-- every row passes, so the plan is a seq scan although the condition is
-- selective; GIN's own estimate (cost_from_keys off) took the index.
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc @? '$.total ? (@.double() > 4998)';
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE lower(doc->>'status') = 'rare';
SET jsonb_pathx.cost_from_keys = off;
EXPLAIN (COSTS OFF) SELECT * FROM big WHERE doc @? '$.total ? (@.double() > 4998)';
RESET jsonb_pathx.cost_from_keys;
-- the row estimate is the condition's, with or without the derived one
CREATE FUNCTION plan_rows(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	j json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
	RETURN (j->0->'Plan'->>'Node Type') || ', ' || (j->0->'Plan'->>'Plan Rows') || ' rows';
END $$;
SELECT plan_rows($$SELECT * FROM big WHERE doc #>> '{status}' = 'rare'$$);
SET jsonb_pathx.application_forms = off;
SELECT plan_rows($$SELECT * FROM big WHERE doc #>> '{status}' = 'rare'$$);
RESET jsonb_pathx.application_forms;

DROP TABLE docs, nums, strs, parts, plain, big CASCADE;
DROP FUNCTION px_check(text), px_check_in(text, text), plan_rows(text), plan_of(text);
