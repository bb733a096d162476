/*-------------------------------------------------------------------------
 *
 * pathx_introspect.cpp
 *	  SQL functions that show what the index stores and searches.
 *
 *	 jsonb_pathx_keys(jsonb)			one row per key a document produces
 *	 jsonb_pathx_explain(jsonpath [, operator])
 *	 jsonb_pathx_explain(jsonb)		the key expression a query searches
 *	 jsonb_pathx_explain(text)		untyped literals, read as jsonpath
 *
 * They call exactly the code the operator class uses, so their output is
 * the ground truth for users, regression tests and contributors.
 *
 * extension/src/pg/pathx_introspect.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"

#include <string>

extern "C"
{
PG_FUNCTION_INFO_V1(jsonb_pathx_keys);
PG_FUNCTION_INFO_V1(jsonb_pathx_explain_jsonpath);
PG_FUNCTION_INFO_V1(jsonb_pathx_explain_text);
PG_FUNCTION_INFO_V1(jsonb_pathx_explain_jsonb);
PG_FUNCTION_INFO_V1(jsonb_pathx_explain_jsonpath_index);
PG_FUNCTION_INFO_V1(jsonb_pathx_explain_jsonb_index);
}

/* Longest key description: a quoted cut string with \u escapes, plus words. */
#define PX_DESCRIBE_BUF (pathx::kMaxStringPrefix * 6 + 128)

/* C++ phase of describing a key: noexcept, result in a caller buffer. */
static void
describe_key(const uint8_t *key, size_t len, char *out, size_t cap) noexcept
{
	try
	{
		std::string d = pathx::DescribeKeyValue(key, len);

		strlcpy(out, d.c_str(), cap);
	}
	catch (...)
	{
		strlcpy(out, "(description unavailable)", cap);
	}
}

typedef struct KeysOutput
{
	ReturnSetInfo *rsinfo;
} KeysOutput;

static void
output_key(void *arg, const uint8_t *key, size_t len, const char *path_text, bool covered)
{
	KeysOutput *out = (KeysOutput *) arg;
	char		desc[PX_DESCRIBE_BUF];
	char	   *value_text;
	StringInfoData line;
	Datum		value;
	bool		isnull = false;

	(void) covered;
	describe_key(key, len, desc, sizeof(desc));

	/*
	 * Key strings are UTF-8 (jsonpath order); show them in the database's
	 * encoding, like the path, which is kept as stored.
	 */
	value_text = pg_any_to_server(desc, (int) strlen(desc), PG_UTF8);
	initStringInfo(&line);
	appendStringInfo(&line, "%s %s", path_text, value_text);
	value = CStringGetTextDatum(line.data);
	tuplestore_putvalues(out->rsinfo->setResult, out->rsinfo->setDesc, &value, &isnull);
	pfree(line.data);
}

extern "C" Datum
jsonb_pathx_keys(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	KeysOutput	out;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	out.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (JB_ROOT_COUNT(jb) > 0)
		px_walk_document(&jb->root, PX_CONTAINER_KEYS_ALL, px_default_options(), true,
						 output_key, &out);
	return (Datum) 0;
}

/* Options to explain with: an index's (argument 'argno'), or the defaults. */
static const pathx::IndexOptions *
explain_options(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() > argno && !PG_ARGISNULL(argno))
		return px_options_of_index(PG_GETARG_OID(argno));
	return px_default_options();
}

/* The search of 'jp' for operator 'op' ("@?", "@@", or NULL: by its form). */
static Datum
explain_jsonpath(JsonPath *jp, text *op_text, const pathx::IndexOptions *opts)
{
	pathx::JsonPathMode mode;
	PxQuery		q;

	if (op_text != NULL)
	{
		char	   *op = text_to_cstring(op_text);

		if (strcmp(op, "@?") == 0)
			mode = pathx::JsonPathMode::kExists;
		else if (strcmp(op, "@@") == 0)
			mode = pathx::JsonPathMode::kMatch;
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid operator \"%s\" for jsonb_pathx_explain", op),
					 errhint("Use '@?' (jsonb @? jsonpath) or '@@' (jsonb @@ jsonpath).")));
	}
	else
	{
		/* a predicate is meant for @@; a path for @? */
		JsonPathItem root;

		jspInit(&root, jp);
		mode = px_jsonpath_is_predicate(&root) ? pathx::JsonPathMode::kMatch : pathx::JsonPathMode::kExists;
	}

	q = px_query_for_jsonpath(jp, mode, opts);
	return px_utf8_to_text_datum(q.explain);
}

extern "C" Datum
jsonb_pathx_explain_jsonpath(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(explain_jsonpath(PG_GETARG_JSONPATH_P(0),
									 PG_NARGS() > 1 && !PG_ARGISNULL(1) ? PG_GETARG_TEXT_PP(1) : NULL,
									 explain_options(fcinfo, 2)));
}

/*
 * jsonb_pathx_explain('$.a > 1'): an untyped literal would be ambiguous
 * between the jsonpath and jsonb forms, so a text form reads it as
 * jsonpath.  It is written in C rather than as a SQL wrapper so that it
 * calls nothing by name: a caller's search_path cannot redirect it.
 */
extern "C" Datum
jsonb_pathx_explain_text(PG_FUNCTION_ARGS)
{
	Datum		jp = DirectFunctionCall1(jsonpath_in,
										 CStringGetDatum(text_to_cstring(PG_GETARG_TEXT_PP(0))));

	PG_RETURN_DATUM(explain_jsonpath(DatumGetJsonPathP(jp), NULL, px_default_options()));
}

extern "C" Datum
jsonb_pathx_explain_jsonb(PG_FUNCTION_ARGS)
{
	PxQuery		q;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	q = px_query_for_containment(PG_GETARG_JSONB_P(0), explain_options(fcinfo, 1));
	PG_RETURN_DATUM(px_utf8_to_text_datum(q.explain));
}

/* The same, under the options of a given jsonb_pathx_ops index. */
extern "C" Datum
jsonb_pathx_explain_jsonpath_index(PG_FUNCTION_ARGS)
{
	return jsonb_pathx_explain_jsonpath(fcinfo);
}

extern "C" Datum
jsonb_pathx_explain_jsonb_index(PG_FUNCTION_ARGS)
{
	return jsonb_pathx_explain_jsonb(fcinfo);
}
