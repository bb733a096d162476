/* extension/jsonb_pathx--0.4.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION jsonb_pathx" to load this file. \quit

-- The full install script of 0.4.  A fresh install runs this file alone;
-- installs of earlier versions reach 0.4 through the upgrade scripts, and
-- sql/upgrade.sql checks that both give identical catalog objects.  When
-- changing an object here, change it in a new upgrade script too.

-- GIN support functions.  Names follow PostgreSQL's gin_<role>_<type>
-- convention; the C symbol equals the SQL name.
CREATE FUNCTION gin_compare_jsonb_pathx(bytea, bytea)
RETURNS int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gin_extract_jsonb_pathx(jsonb, internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gin_extract_jsonb_query_pathx(jsonb, internal, int2, internal, internal, internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gin_consistent_jsonb_pathx(internal, int2, jsonb, int4, internal, internal, internal, internal)
RETURNS bool
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gin_compare_partial_jsonb_pathx(bytea, bytea, int2, internal)
RETURNS int4
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION gin_triconsistent_jsonb_pathx(internal, int2, jsonb, int4, internal, internal, internal)
RETURNS "char"
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Operator class parameters (paths, exclude_paths, string_prefix,
-- anypath): see pathx_options.cpp.
CREATE FUNCTION gin_options_jsonb_pathx(internal)
RETURNS void
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE OPERATOR CLASS jsonb_pathx_ops
FOR TYPE jsonb USING gin AS
	OPERATOR 7	@> (jsonb, jsonb),
	OPERATOR 9	? (jsonb, text),
	OPERATOR 10	?| (jsonb, text[]),
	OPERATOR 11	?& (jsonb, text[]),
	OPERATOR 15	@? (jsonb, jsonpath),
	OPERATOR 16	@@ (jsonb, jsonpath),
	FUNCTION 1	gin_compare_jsonb_pathx(bytea, bytea),
	FUNCTION 2	gin_extract_jsonb_pathx(jsonb, internal, internal),
	FUNCTION 3	gin_extract_jsonb_query_pathx(jsonb, internal, int2, internal, internal, internal, internal),
	FUNCTION 4	gin_consistent_jsonb_pathx(internal, int2, jsonb, int4, internal, internal, internal, internal),
	FUNCTION 5	gin_compare_partial_jsonb_pathx(bytea, bytea, int2, internal),
	FUNCTION 6	gin_triconsistent_jsonb_pathx(internal, int2, jsonb, int4, internal, internal, internal),
	FUNCTION 7	gin_options_jsonb_pathx(internal),
	STORAGE bytea;

-- Introspection: what a document stores, what a query searches.
CREATE FUNCTION jsonb_pathx_keys(doc jsonb)
RETURNS SETOF text
AS 'MODULE_PATHNAME', 'jsonb_pathx_keys'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_keys(jsonb) IS
'index keys jsonb_pathx_ops stores for a document, one per row';

CREATE FUNCTION jsonb_pathx_explain(query jsonpath, operator text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_jsonpath'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_explain(jsonpath, text) IS
'key expression jsonb_pathx_ops searches for jsonb @? / @@ jsonpath (operator ''@?'' or ''@@''; default: @@ for predicates, @? for paths)';

CREATE FUNCTION jsonb_pathx_explain(query jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_explain(jsonb) IS
'key expression jsonb_pathx_ops searches for jsonb @> jsonb';

-- An untyped literal, jsonb_pathx_explain('$.a > 1'), would be ambiguous
-- between the two functions above; read it as jsonpath, the common case.
-- Cast to jsonb to explain a containment operand.  Written in C, so that
-- it calls nothing by name that a caller's search_path could redirect.
CREATE FUNCTION jsonb_pathx_explain(query text)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Which jsonb_pathx_ops indexes exist, with their options: a DBA's view
-- for upgrades and for checking what an index covers.  Only GIN classes
-- whose operator family belongs to this extension count (a class of the
-- same name elsewhere is not ours); volatile because relation sizes are;
-- every name resolved in pg_catalog, whatever the caller's search_path.
CREATE FUNCTION jsonb_pathx_indexes(
	OUT index_name regclass, OUT table_name regclass, OUT column_name name,
	OUT options text[], OUT size bigint)
RETURNS SETOF record
LANGUAGE sql VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT i.indexrelid::pg_catalog.regclass, i.indrelid::pg_catalog.regclass, a.attname,
		   c.attoptions, pg_catalog.pg_relation_size(i.indexrelid)
	FROM pg_catalog.pg_index i
	CROSS JOIN LATERAL pg_catalog.unnest(i.indclass::pg_catalog.oid[]) WITH ORDINALITY AS k(opclass, n)
	JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
	JOIN pg_catalog.pg_am am ON am.oid = oc.opcmethod AND am.amname = 'gin'
	JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass
		AND d.objid = oc.opcfamily AND d.objsubid = 0
		AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e'
	JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'jsonb_pathx'
	JOIN pg_catalog.pg_attribute c ON c.attrelid = i.indexrelid AND c.attnum = k.n
	LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1]
	ORDER BY i.indexrelid::pg_catalog.regclass::pg_catalog.text
$$;

COMMENT ON FUNCTION jsonb_pathx_indexes() IS
'jsonb_pathx_ops indexes in this database, with their operator class options';

-- The key expression a query searches under a given index's options
-- (paths, exclude_paths, string_prefix and anypath change it).
CREATE FUNCTION jsonb_pathx_explain(query jsonpath, operator text, index regclass)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_jsonpath_index'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_explain(jsonpath, text, regclass) IS
'key expression the given jsonb_pathx_ops index searches for jsonb @? / @@ jsonpath';

CREATE FUNCTION jsonb_pathx_explain(query jsonb, index regclass)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_jsonb_index'
LANGUAGE C STABLE PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_explain(jsonb, regclass) IS
'key expression the given jsonb_pathx_ops index searches for jsonb @> jsonb';

-- Application SQL forms: with a jsonb_pathx_ops index on doc, the planner
-- derives a lossy index condition doc @@ J from conditions such as
-- doc->>'k' = $1, casts of #>> paths, LIKE 'x%', IN and
-- jsonb_path_exists(doc, path, vars), and keeps the original condition as
-- the recheck.  For parameters of generic plans it calls the functions
-- below when the scan starts (see pathx_planner.cpp).
CREATE FUNCTION jsonb_pathx_condition(form text, source text[], value text)
RETURNS jsonpath
AS 'MODULE_PATHNAME', 'jsonb_pathx_condition_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION jsonb_pathx_condition(form text, source text[], value text[])
RETURNS jsonpath
AS 'MODULE_PATHNAME', 'jsonb_pathx_condition_array'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION jsonb_pathx_condition(form text, source text[], value jsonb)
RETURNS jsonpath
AS 'MODULE_PATHNAME', 'jsonb_pathx_condition_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_condition(text, text[], text) IS
'jsonpath whose index search is a necessary condition of an application SQL form (used by the planner)';
COMMENT ON FUNCTION jsonb_pathx_condition(text, text[], text[]) IS
'jsonpath whose index search is a necessary condition of an application SQL form with a list of values (used by the planner)';
COMMENT ON FUNCTION jsonb_pathx_condition(text, text[], jsonb) IS
'jsonpath whose index search is a necessary condition of an application SQL form on a jsonb value (used by the planner)';

CREATE FUNCTION jsonb_pathx_bind(path jsonpath, vars jsonb)
RETURNS jsonpath
AS 'MODULE_PATHNAME', 'jsonb_pathx_bind'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jsonb_pathx_bind(jsonpath, jsonb) IS
'jsonpath with the variables of vars replaced by their values (true when impossible); used by the planner for jsonb_path_exists(doc, path, vars)';
