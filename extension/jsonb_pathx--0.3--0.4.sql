/* extension/jsonb_pathx--0.3--0.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION jsonb_pathx UPDATE TO '0.4'" to load this file. \quit

-- 0.4: the extension's SQL functions no longer depend on the caller.
-- Key format and operator class are unchanged: indexes built by earlier
-- versions stay valid.

-- The text form of jsonb_pathx_explain was a SQL wrapper that called
-- jsonb_pathx_explain(jsonpath, text) unqualified, so a schema earlier in
-- the caller's search_path could take the call over.  It is now C, and
-- calls nothing by name.
CREATE OR REPLACE FUNCTION jsonb_pathx_explain(query text)
RETURNS text
AS 'MODULE_PATHNAME', 'jsonb_pathx_explain_text'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- jsonb_pathx_indexes() recognised an index by operator class name alone;
-- a jsonb_pathx_ops class in another schema, or of another access method,
-- was listed as ours.  It now takes only GIN classes whose operator family
-- belongs to this extension.  It reads relation sizes, which may change
-- within a statement (pg_relation_size is volatile), so it is volatile
-- too; and it resolves every name in pg_catalog, whatever the caller's
-- search_path.
CREATE OR REPLACE FUNCTION jsonb_pathx_indexes(
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
