--
-- Key encoding edge cases, containment traps, introspection.
--

-- jsonb_pathx_keys: what a document stores
SELECT * FROM jsonb_pathx_keys('{"a": {"b": [1, 2.50, "x", null, true]}, "c": {}, "d": [], "e f": 1}');
SELECT * FROM jsonb_pathx_keys('[1, [2, [3]], {"k": "v"}]');
SELECT * FROM jsonb_pathx_keys('"scalar"');
SELECT * FROM jsonb_pathx_keys('{}');
SELECT * FROM jsonb_pathx_keys('[]');
-- equal numerics written differently give one key
SELECT DISTINCT k FROM (SELECT jsonb_pathx_keys(('{"n": ' || n || '}')::jsonb) AS k
	FROM unnest(ARRAY['1', '1.0', '1e0', '1.000', '10e-1', '0.1e1']) n) s;
SELECT DISTINCT k FROM (SELECT jsonb_pathx_keys(('{"n": ' || n || '}')::jsonb) AS k
	FROM unnest(ARRAY['0', '-0', '0.0', '-0.0e5']) n) s;
-- numbers beyond double range index without error
SELECT * FROM jsonb_pathx_keys('{"big": 1e400, "neg": -1e400, "tiny": 1e-400, "ntiny": -1e-400}');
-- long strings: bounded keys, hash of the whole string
SELECT length(k) < 200 AS bounded, k LIKE '%truncated, hash%' AS truncated
FROM jsonb_pathx_keys(jsonb_build_object('s', repeat('x', 100000))) k;
SELECT count(DISTINCT k) FROM (
	SELECT jsonb_pathx_keys(jsonb_build_object('s', repeat('x', 40) || i)) k FROM generate_series(1, 3) i) s;

-- jsonb_pathx_explain: the key expression of a query
SELECT jsonb_pathx_explain('$.total > 4900 && $.status == "paid"');
SELECT jsonb_pathx_explain('$.total ? (@ >= 10 && @ <= 20)');
SELECT jsonb_pathx_explain('$.a[*] ? (@.b == 1 || @.c starts with "x")');
SELECT jsonb_pathx_explain('$.a.b');
SELECT jsonb_pathx_explain('$.a ? (@.b == 1)');
SELECT jsonb_pathx_explain('$.a ? (@.b == 1).c');
SELECT jsonb_pathx_explain('$.a.*.b ? (@ == 1)');
SELECT jsonb_pathx_explain('$.a ? (@.x == 1).*');
SELECT jsonb_pathx_explain('$.name like_regex "^Jo(h|a)n"');
SELECT jsonb_pathx_explain('$.name like_regex "^Jo" flag "i"');
SELECT jsonb_pathx_explain('$.name like_regex "^Jo" flag "m"');
SELECT jsonb_pathx_explain('$.name like_regex "^Jo|Ann"');
SELECT jsonb_pathx_explain('$.name like_regex "Jo"');
SELECT jsonb_pathx_explain('$.name like_regex "^Jos?e"');
SELECT jsonb_pathx_explain('$.name like_regex "^é+x"');
SELECT jsonb_pathx_explain('$.v == 1.0');
SELECT jsonb_pathx_explain('$.v == 1e400');
SELECT jsonb_pathx_explain('$.v <= null');
SELECT jsonb_pathx_explain('$.v < null');
SELECT jsonb_pathx_explain('$."key with space"."é" == "x"');
SELECT jsonb_pathx_explain('!($.a == 1)');
SELECT jsonb_pathx_explain('$.a == $.b');
SELECT jsonb_pathx_explain('$.a == $x');
SELECT jsonb_pathx_explain('$.a == 1', '@?');
SELECT jsonb_pathx_explain('$.a == 1', '@@');
SELECT jsonb_pathx_explain('$.a', '@@');
SELECT jsonb_pathx_explain('$.a', 'LIKE');
SELECT jsonb_pathx_explain('{"a": {"b": [1, "x"]}, "c": {}, "d": [[]]}'::jsonb);
SELECT jsonb_pathx_explain('{}'::jsonb);
SELECT jsonb_pathx_explain('[[]]'::jsonb);

-- ordering: unicode code point order, type mismatches, extremes
CREATE TABLE e (id serial, doc jsonb);
INSERT INTO e (doc) VALUES
	('{"s": "z"}'), ('{"s": "é"}'), ('{"s": "e"}'), ('{"s": "ä"}'), ('{"s": "Z"}'),
	('{"s": "😀"}'), ('{"s": ""}'), ('{"s": "zz"}'),
	('{"n": 1e400}'), ('{"n": -1e400}'), ('{"n": 1e-400}'), ('{"n": -1e-400}'),
	('{"n": 0}'), ('{"n": -0}'), ('{"n": 1}'), ('{"n": 1.0000000000000000000001}'),
	('{"n": 0.9999999999999999999999}'), ('{"n": 123456789012345678901234567890}'),
	('{"s": 5, "n": "5"}'),
	(('{"long": "' || repeat('a', 5000) || '"}')::jsonb),
	(('{"long": "' || repeat('a', 5000) || 'b"}')::jsonb),
	(('{"long": "' || repeat('a', 31) || '"}')::jsonb),
	(('{"long": "' || repeat('a', 32) || '"}')::jsonb),
	(('{"long": "' || repeat('a', 33) || '"}')::jsonb),
	(('{"long": "' || repeat('a', 32) || 'é"}')::jsonb),
	('{"a": []}'), ('{"a": [1]}'), ('{"a": {}}'), ('{"a": [[]]}'), ('[[]]'), ('[[1]]'), ('[1, 2]'),
	('[]'), ('{}'), ('1'), (NULL), ('[{"a": 1}]'), ('{"a": [{"b": 1}]}');
-- a document nested 1000 levels deep
INSERT INTO e (doc) SELECT (repeat('{"d":', 1000) || '1' || repeat('}', 1000))::jsonb;
INSERT INTO e (doc) SELECT (repeat('[', 1000) || '"deep"' || repeat(']', 1000))::jsonb;
CREATE INDEX e_pathx ON e USING gin (doc jsonb_pathx_ops);

CREATE FUNCTION e_check(q text, OUT idx bigint, OUT seq bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('enable_seqscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM e WHERE ' || q INTO idx;
	PERFORM set_config('enable_seqscan', 'on', true);
	PERFORM set_config('enable_bitmapscan', 'off', true);
	EXECUTE 'SELECT count(*) FROM e WHERE ' || q INTO seq;
	PERFORM set_config('enable_bitmapscan', 'on', true);
END $$;

SELECT * FROM e_check($q$doc @@ '$.s > "e"'$q$);
SELECT * FROM e_check($q$doc @@ '$.s > "z"'$q$);
SELECT * FROM e_check($q$doc @@ '$.s < "é"'$q$);
SELECT * FROM e_check($q$doc @@ '$.s >= ""'$q$);
SELECT * FROM e_check($q$doc @@ '$.s > 1'$q$);
SELECT * FROM e_check($q$doc @@ '$.n > "1"'$q$);
SELECT * FROM e_check($q$doc @@ '$.n > 1e300'$q$);
SELECT * FROM e_check($q$doc @@ '$.n >= 1e400'$q$);
SELECT * FROM e_check($q$doc @@ '$.n < -1e300'$q$);
SELECT * FROM e_check($q$doc @@ '$.n == 0'$q$);
SELECT * FROM e_check($q$doc @@ '$.n > 0'$q$);
SELECT * FROM e_check($q$doc @@ '$.n < 0'$q$);
SELECT * FROM e_check($q$doc @@ '$.n > 1'$q$);
SELECT * FROM e_check($q$doc @@ '$.n < 1'$q$);
SELECT * FROM e_check($q$doc @@ '$.n == 1'$q$);
SELECT * FROM e_check($q$doc @@ '$.n >= 123456789012345678901234567890'$q$);
SELECT * FROM e_check($q$doc @@ '$.long starts with "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long == "$q$ || repeat('a', 5000) || $q$b"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long > "$q$ || repeat('a', 5000) || $q$"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long >= "$q$ || repeat('a', 32) || $q$"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long < "$q$ || repeat('a', 33) || $q$"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long <= "$q$ || repeat('a', 32) || $q$"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long > "$q$ || repeat('a', 32) || $q$z"'$q$);
SELECT * FROM e_check($q$doc @@ '$.long starts with "$q$ || repeat('a', 32) || $q$é"'$q$);
-- containment traps
SELECT * FROM e_check($q$doc @> '{"a": []}'$q$);
SELECT * FROM e_check($q$doc @> '{"a": {}}'$q$);
SELECT * FROM e_check($q$doc @> '{"a": [[]]}'$q$);
SELECT * FROM e_check($q$doc @> '[[]]'$q$);
SELECT * FROM e_check($q$doc @> '[]'$q$);
SELECT * FROM e_check($q$doc @> '{}'$q$);
SELECT * FROM e_check($q$doc @> '1'$q$);
SELECT * FROM e_check($q$doc @> '[1]'$q$);
SELECT * FROM e_check($q$doc @> '[{"a": 1}]'$q$);
SELECT * FROM e_check($q$doc @> '{"a": [{"b": 1}]}'$q$);
SELECT * FROM e_check($q$doc @> '{"a": {"b": 1}}'$q$);
SELECT '[1,2]'::jsonb @> '1' AS scalar_in_array;
-- deep documents
SELECT * FROM e_check($q$doc @? '$.d.d.d.d.d'$q$);
SELECT * FROM e_check($q$doc @@ '$.** == 1'$q$);
SELECT * FROM e_check($q$doc @> '[[[["deep"]]]]'$q$);
SELECT * FROM e_check($q$doc ? 'deep'$q$);
SELECT * FROM e_check($q$doc @@ '$[*] == "deep"'$q$);
-- hostile queries: deep nesting and wide ORs give a correct answer
SELECT * FROM e_check('doc @@ ''' || repeat('(', 300) || '$.n == 1' || repeat(')', 300) || '''');
SELECT * FROM e_check((SELECT 'doc @@ ''' || string_agg('$.n == ' || i, ' || ') || ''''
	FROM generate_series(1, 2000) i));
SELECT * FROM e_check('doc @@ ''' || repeat('$.s == "z" && (', 150) || '$.s == "z"' || repeat(')', 150) || '''');

DROP TABLE e;
DROP FUNCTION e_check(text);
