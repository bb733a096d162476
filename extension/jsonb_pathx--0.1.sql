/* extension/jsonb_pathx--0.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION jsonb_pathx" to load this file. \quit

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
-- Cast to jsonb to explain a containment operand.
CREATE FUNCTION jsonb_pathx_explain(query text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT jsonb_pathx_explain(query::jsonpath, NULL::text) $$;
