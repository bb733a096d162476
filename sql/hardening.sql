--
-- What a hardening review found: each block fails on the code before its fix.
--

-- 1. Cut strings are shown up to their last whole UTF-8 character.  A string
-- key keeps string_prefix bytes; cuts landing inside 2-, 3- and 4-byte
-- characters must still give valid text (these failed with "invalid byte
-- sequence for encoding").
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', 'x' || repeat('é', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', repeat('é', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', 'x' || repeat('€', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', 'xy' || repeat('€', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', repeat('😀', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', 'x' || repeat('😀', 20))) k;
SELECT k FROM jsonb_pathx_keys(jsonb_build_object('s', 'xyz' || repeat('😀', 20))) k;
-- under several string_prefix values, through explain of a containment
-- query on such an index (every offset of the cut in each character size)
CREATE TABLE cut (doc jsonb);
CREATE INDEX cut_p5 ON cut USING gin (doc jsonb_pathx_ops (string_prefix = 5));
CREATE INDEX cut_p6 ON cut USING gin (doc jsonb_pathx_ops (string_prefix = 6));
CREATE INDEX cut_p7 ON cut USING gin (doc jsonb_pathx_ops (string_prefix = 7));
SELECT i, c, jsonb_pathx_explain(jsonb_build_object('s', c || c || c || c || c), i) AS explain
FROM unnest(ARRAY['cut_p5', 'cut_p6', 'cut_p7']::regclass[]) i,
	 unnest(ARRAY['é', '€', '😀']) c
ORDER BY 1, 2;
-- the index still finds them
INSERT INTO cut SELECT jsonb_build_object('s', repeat(c, n)) FROM unnest(ARRAY['é', '€', '😀']) c,
	generate_series(1, 12) n;
SET enable_seqscan = off;
SELECT count(*) FROM cut WHERE doc @> '{"s": "€€€€€€"}';
SELECT count(*) FROM cut WHERE doc @@ '$.s starts with "😀😀"';
RESET enable_seqscan;
DROP TABLE cut;

-- 2. Narrowings that must not rule rows out.  .type() compared with a name
-- that is not a jsonb type searches nothing (it was NOTHING: no rows, no
-- recheck); a predicate followed by an accessor is a path over its boolean,
-- not the predicate (it was searched as its predicate).
SELECT jsonb_pathx_explain('$.a.type() == "no such type"', '@@');
SELECT jsonb_pathx_explain('$.a.datetime().type() == "date"', '@@');
SELECT jsonb_pathx_explain('($.a == 1) ? (@ == false)');
SELECT jsonb_pathx_explain('($.a == 1) ? (@ == false)', '@@');
SELECT jsonb_pathx_explain('($.a == 1) ? (@ == true)', '@@');
SELECT jsonb_pathx_explain('($.a == 1).type()', '@?');
CREATE TABLE narrow (doc jsonb);
INSERT INTO narrow VALUES ('{"a": 1}'), ('{"a": 2}'), ('{"a": "2020-01-02"}'), ('{}');
CREATE INDEX narrow_idx ON narrow USING gin (doc jsonb_pathx_ops);
SET enable_seqscan = off;
SELECT count(*) FROM narrow WHERE doc @@ '$.a.datetime().type() == "date"';
SELECT count(*) FROM narrow WHERE doc @? '($.a == 1) ? (@ == false)';
SELECT count(*) FROM narrow WHERE doc @@ '($.a == 1) ? (@ == true)';
RESET enable_seqscan;
SELECT count(*) FROM narrow WHERE doc @@ '$.a.datetime().type() == "date"';
SELECT count(*) FROM narrow WHERE doc @? '($.a == 1) ? (@ == false)';
SELECT count(*) FROM narrow WHERE doc @@ '($.a == 1) ? (@ == true)';
DROP TABLE narrow;

-- 3. Whose index is it: an operator class named jsonb_pathx_ops in another
-- schema, GIN or not, is not ours.
CREATE SCHEMA lookalike;
CREATE OPERATOR CLASS lookalike.jsonb_pathx_ops FOR TYPE jsonb USING btree AS
	OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
	FUNCTION 1 jsonb_cmp(jsonb, jsonb);
CREATE OPERATOR CLASS lookalike.jsonb_pathx_ops FOR TYPE jsonb USING gin AS
	OPERATOR 7 @>, OPERATOR 9 ?(jsonb, text),
	OPERATOR 15 @?(jsonb, jsonpath), OPERATOR 16 @@(jsonb, jsonpath),
	FUNCTION 1 gin_compare_jsonb(text, text),
	FUNCTION 2 gin_extract_jsonb(jsonb, internal, internal),
	FUNCTION 3 gin_extract_jsonb_query(jsonb, internal, int2, internal, internal, internal, internal),
	FUNCTION 4 gin_consistent_jsonb(internal, int2, jsonb, int4, internal, internal, internal, internal),
	FUNCTION 6 gin_triconsistent_jsonb(internal, int2, jsonb, int4, internal, internal, internal),
	STORAGE text;
CREATE TABLE whose (doc jsonb);
INSERT INTO whose SELECT jsonb_build_object('k', 'v' || i) FROM generate_series(1, 100) i;
CREATE INDEX whose_btree ON whose USING btree (doc lookalike.jsonb_pathx_ops);
CREATE INDEX whose_gin ON whose USING gin (doc lookalike.jsonb_pathx_ops);
CREATE INDEX whose_ours ON whose USING gin (doc jsonb_pathx_ops);
SELECT index_name, column_name FROM jsonb_pathx_indexes() WHERE table_name = 'whose'::regclass;
SELECT jsonb_pathx_explain('$.k == "v1"', '@@', 'whose_gin');
SELECT jsonb_pathx_explain('{"k": "v1"}'::jsonb, 'whose_btree');
SELECT jsonb_pathx_explain('$.k == "v1"', '@@', 'whose_ours');
-- an application form is derived for our index only
DROP INDEX whose_ours;
DROP INDEX whose_btree;
ANALYZE whose;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM whose WHERE doc->>'k' = 'v1';
RESET enable_seqscan;
DROP TABLE whose;
DROP SCHEMA lookalike CASCADE;

-- 4. The SQL functions do not depend on the caller's search_path, and
-- jsonb_pathx_indexes(), which reads relation sizes, is volatile.
SELECT proname, provolatile FROM pg_proc
WHERE proname IN ('jsonb_pathx_indexes', 'jsonb_pathx_explain') ORDER BY 1, 2;
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.jsonb_pathx_explain(jsonpath, text) RETURNS text
	LANGUAGE sql AS $$ SELECT 'taken over'::text $$;
CREATE FUNCTION hostile.pg_relation_size(oid) RETURNS bigint
	LANGUAGE sql AS $$ SELECT -1::bigint $$;
CREATE FUNCTION hostile.unnest(oid[]) RETURNS SETOF oid
	LANGUAGE sql AS $$ SELECT NULL::oid WHERE false $$;
CREATE TABLE sp (doc jsonb);
CREATE INDEX sp_idx ON sp USING gin (doc jsonb_pathx_ops);
SET search_path = hostile, pg_catalog, public;
SELECT jsonb_pathx_explain('$.a == 1'::text);
SELECT index_name, size > 0 AS has_size FROM jsonb_pathx_indexes() WHERE table_name = 'sp'::regclass;
RESET search_path;
DROP TABLE sp;
DROP SCHEMA hostile CASCADE;

-- 5. Encodings: in a LATIN1 database, keys and explain both show strings in
-- the database's encoding (explain showed literals as UTF-8 bytes), and
-- non-ASCII names and values are found.
SELECT current_database() AS regress_db \gset
CREATE DATABASE pathx_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c pathx_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION jsonb_pathx;
SELECT jsonb_pathx_explain('$.ä == "é"');
SELECT jsonb_pathx_explain('$."größe" > "Ärger"');
SELECT jsonb_pathx_explain('{"ä": "é", "ö": ["ü"]}'::jsonb);
SELECT jsonb_pathx_explain('$.ä."ö"', '@?');
SELECT k FROM jsonb_pathx_keys('{"ä": "é", "größe": "Ärger"}') k ORDER BY 1;
CREATE TABLE l1 (doc jsonb);
INSERT INTO l1 SELECT jsonb_build_object('ä', s, 'n', i)
	FROM unnest(ARRAY['a', 'é', 'ÿ', 'Ä', 'z', 'äb']) WITH ORDINALITY AS u(s, i);
CREATE INDEX l1_idx ON l1 USING gin (doc jsonb_pathx_ops);
SET enable_seqscan = off;
SELECT doc->>'ä' AS s FROM l1 WHERE doc @@ '$.ä == "é"';
SELECT doc->>'ä' AS s FROM l1 WHERE doc @@ '$.ä > "z"' ORDER BY 1;
SELECT doc->>'ä' AS s FROM l1 WHERE doc @@ '$.ä starts with "ä"';
SELECT count(*) FROM l1 WHERE doc ? 'ä';
SELECT count(*) FROM l1 WHERE doc @> '{"ä": "ÿ"}';
RESET enable_seqscan;
\c :regress_db
DROP DATABASE pathx_latin1;
