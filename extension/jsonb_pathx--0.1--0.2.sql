/* extension/jsonb_pathx--0.1--0.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION jsonb_pathx UPDATE TO '0.2'" to load this file. \quit

-- 0.2 adds operator class parameters:
--   jsonb_pathx_ops (paths = '...', exclude_paths = '...', string_prefix = N, anypath = bool)
-- The key format is unchanged: indexes built by 0.1 stay valid without
-- REINDEX and behave as an index with default options.  Sessions opened
-- before the update keep PostgreSQL's cached view of the operator class:
-- reconnect before creating an index with options.
CREATE FUNCTION gin_options_jsonb_pathx(internal)
RETURNS void
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

ALTER OPERATOR FAMILY jsonb_pathx_ops USING gin
	ADD FUNCTION 7 (jsonb) gin_options_jsonb_pathx(internal);

-- Which jsonb_pathx_ops indexes exist, with their options: a DBA's view
-- for upgrades and for checking what an index covers.
CREATE FUNCTION jsonb_pathx_indexes(
	OUT index_name regclass, OUT table_name regclass, OUT column_name name,
	OUT options text[], OUT size bigint)
RETURNS SETOF record
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
	SELECT i.indexrelid::regclass, i.indrelid::regclass, a.attname,
		   c.attoptions, pg_relation_size(i.indexrelid)
	FROM pg_index i
	CROSS JOIN LATERAL unnest(i.indclass::oid[]) WITH ORDINALITY AS k(opclass, n)
	JOIN pg_opclass oc ON oc.oid = k.opclass AND oc.opcname = 'jsonb_pathx_ops'
	JOIN pg_attribute c ON c.attrelid = i.indexrelid AND c.attnum = k.n
	LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1]
	ORDER BY i.indexrelid::regclass::text
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
