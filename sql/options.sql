--
-- jsonb_pathx_ops operator class options: paths, exclude_paths,
-- string_prefix, anypath; type conditions and != as narrowing conditions.
--
-- Every query is counted through each index (forced) and by a seq scan;
-- the plan column says whether the planner, left alone, uses the index.
--
CREATE TABLE opt (id int, doc jsonb);
INSERT INTO opt
SELECT i, jsonb_build_object(
	'user', jsonb_build_object('name', 'user ' || i, 'country', (ARRAY['US','DE','IS'])[1 + i % 3],
							   'notes', 'note ' || i),
	'items', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || (i % 300), 'price', i % 97)),
	'total', i % 1000,
	'tags', jsonb_build_array('t' || (i % 7)),
	'meta', CASE WHEN i % 10 = 0 THEN jsonb_build_object('deep', jsonb_build_object('code', 'c' || i))
			ELSE jsonb_build_object('other', i) END)
	|| CASE WHEN i % 50 = 0 THEN '{"extra": null, "list": [1, 2]}'::jsonb ELSE '{}' END
FROM generate_series(1, 3000) i;
ANALYZE opt;

CREATE FUNCTION opt_check(q text, idx_name text, OUT query text, OUT via_index bigint,
						  OUT seq bigint, OUT plan text)
LANGUAGE plpgsql AS $$
DECLARE
	line text;
BEGIN
	query := q;
	plan := 'seq scan';
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) SELECT count(*) FROM opt WHERE ' || q LOOP
		IF line LIKE '%Bitmap Index Scan on ' || idx_name || '%' THEN
			plan := 'index';
		END IF;
	END LOOP;
	PERFORM set_config('enable_seqscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM opt WHERE ' || q INTO via_index;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_bitmapscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM opt WHERE ' || q INTO seq;
	PERFORM set_config('enable_bitmapscan', 'on', true);
END $$;

-- invalid option values fail CREATE INDEX with a clear message
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (paths = 'user.name'));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (paths = '$.user.*'));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (paths = '$.user,'));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (paths = '$."unterminated'));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (exclude_paths = ''));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (string_prefix = 2));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (string_prefix = 100000));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (anypath = perhaps));
CREATE INDEX opt_bad ON opt USING gin (doc jsonb_pathx_ops (colour = 'blue'));

-- a narrow path list: covered paths use the index, others never lose rows
CREATE INDEX opt_paths ON opt USING gin (doc jsonb_pathx_ops (paths = '$.user, $.items[*].sku',
	exclude_paths = '$.user.notes', string_prefix = 8));
SELECT pg_get_indexdef('opt_paths'::regclass);
SELECT index_name, options FROM jsonb_pathx_indexes();
-- what this index searches, under its options
SELECT jsonb_pathx_explain('$.total == 7', '@@', 'opt_paths');
SELECT jsonb_pathx_explain('$.user.country == "IS" && $.user.notes == "x"', '@@', 'opt_paths');
SELECT jsonb_pathx_explain('$.user.name > "user 9"', NULL, 'opt_paths');
SELECT jsonb_pathx_explain('{"items": [{"sku": "SKU-7", "price": 7}]}'::jsonb, 'opt_paths');
SELECT jsonb_pathx_explain('$.total == 7', '@@', NULL);
SELECT jsonb_pathx_explain('$.total == 7', '@@', 'opt');
CREATE INDEX opt_btree ON opt (id);
SELECT jsonb_pathx_explain('$.total == 7', '@@', 'opt_btree');
DROP INDEX opt_btree;
SELECT * FROM opt_check($q$doc @@ '$.user.country == "IS"'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.user.name starts with "user 29"'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.user.name > "user 998"'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.items[*].sku == "SKU-7"'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @> '{"items": [{"sku": "SKU-7"}]}'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @> '{"items": [{"sku": "SKU-7", "price": 7}]}'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @? '$.user.name'$q$, 'opt_paths');
-- not covered: full scan (the planner picks a seq scan), same rows
SELECT * FROM opt_check($q$doc @@ '$.total == 7'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.user.notes == "note 7"'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.items[*].price == 7'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @? '$.meta.deep'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc ? 'extra'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.user.country == "IS" || $.total == 7'$q$, 'opt_paths');
SELECT * FROM opt_check($q$doc @@ '$.user.country == "IS" && $.total == 7'$q$, 'opt_paths');
DROP INDEX opt_paths;

-- string_prefix: long shared prefixes still give exact answers
CREATE INDEX opt_prefix ON opt USING gin (doc jsonb_pathx_ops (string_prefix = 4));
SELECT * FROM opt_check($q$doc @@ '$.user.name == "user 2999"'$q$, 'opt_prefix');
-- every name starts with the same 4 bytes "user": prefixes and ranges over
-- them cannot be narrowed, and the planner, pricing the key search on the
-- sampled documents, keeps the seq scan (equality stays exact: it has the hash)
SELECT * FROM opt_check($q$doc @@ '$.user.name starts with "user 29"'$q$, 'opt_prefix');
SELECT * FROM opt_check($q$doc @@ '$.user.name >= "user 998"'$q$, 'opt_prefix');
DROP INDEX opt_prefix;

-- wildcards: FULL SCAN without anypath, indexed with it
CREATE INDEX opt_default ON opt USING gin (doc jsonb_pathx_ops);
SELECT * FROM opt_check($q$doc @@ '$.** == "c70"'$q$, 'opt_default');
SELECT * FROM opt_check($q$doc @@ '$.*.code == "c70"'$q$, 'opt_default');
DROP INDEX opt_default;
CREATE INDEX opt_any ON opt USING gin (doc jsonb_pathx_ops (anypath = true));
SELECT jsonb_pathx_explain('$.** == "c70"', '@@', 'opt_any');
SELECT jsonb_pathx_explain('$.** == "c70"', '@@', NULL);
SELECT * FROM opt_check($q$doc @@ '$.** == "c70"'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @? '$.** ? (@ == "c70")'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @@ '$.meta.*.code == "c70"'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @@ '$.*.price > 95'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @@ '$.meta.**.code starts with "c29"'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @? '$.**.deep'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @@ '$.user.country == "IS"'$q$, 'opt_any');
SELECT * FROM opt_check($q$doc @@ '$.** == 1'$q$, 'opt_any');
DROP INDEX opt_any;

-- type conditions and != narrow to the path (and type) they need
CREATE INDEX opt_types ON opt USING gin (doc jsonb_pathx_ops);
SELECT jsonb_pathx_explain('$.extra.type() == "null"');
SELECT jsonb_pathx_explain('$.list.type() == "array"');
SELECT jsonb_pathx_explain('$.total.type() == "number"');
SELECT jsonb_pathx_explain('$.meta ? (@.deep.type() == "object")');
SELECT jsonb_pathx_explain('$.type() == "object"');
SELECT jsonb_pathx_explain('$.a.type() == "nonsense"');
SELECT jsonb_pathx_explain('$.extra != 1');
SELECT * FROM opt_check($q$doc @@ '$.extra.type() == "null"'$q$, 'opt_types');
SELECT * FROM opt_check($q$doc @@ '$.list.type() == "array"'$q$, 'opt_types');
SELECT * FROM opt_check($q$doc @@ '$.list[*].type() == "number"'$q$, 'opt_types');
SELECT * FROM opt_check($q$doc @? '$.meta ? (@.deep.type() == "object")'$q$, 'opt_types');
SELECT * FROM opt_check($q$doc @@ '$.extra != 1'$q$, 'opt_types');
SELECT * FROM opt_check($q$doc @@ '$.meta.deep.code != "c10"'$q$, 'opt_types');
DROP INDEX opt_types;

DROP TABLE opt;
DROP FUNCTION opt_check(text, text);
