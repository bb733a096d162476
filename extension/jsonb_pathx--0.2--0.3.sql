/* extension/jsonb_pathx--0.2--0.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION jsonb_pathx UPDATE TO '0.3'" to load this file. \quit

-- 0.3: the SQL that applications write uses jsonb_pathx_ops indexes.
-- With such an index on doc, the planner derives a lossy index condition
-- `doc @@ J` from conditions such as doc->>'k' = $1,
-- (doc #>> '{a,b}')::numeric > 10, doc->'k' = '"x"'::jsonb, LIKE 'x%', IN,
-- jsonb_path_exists(doc, path, vars), and keeps the original condition as
-- the recheck.  Constants known at planning become a jsonpath at once; for
-- parameters of generic plans the planner calls the functions below when
-- the scan starts.  Key format and operator class are unchanged: indexes
-- built by 0.1 and 0.2 stay valid.

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
