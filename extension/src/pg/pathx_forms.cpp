/*-------------------------------------------------------------------------
 *
 * pathx_forms.cpp
 *	  SQL functions that build the derived index conditions of application
 *	  SQL forms: jsonb_pathx_condition(form, source, value) and
 *	  jsonb_pathx_bind(jsonpath, vars).
 *
 * The planner (pathx_derive.cpp) puts `doc @@ jsonb_pathx_condition(...)`
 * or `doc @? jsonb_pathx_bind(...)` next to a clause it recognises.  When
 * the value is a constant, the planner folds the call into a jsonpath
 * constant at once (the functions are immutable); when it is a parameter
 * of a generic plan, the executor calls them when the scan starts, and
 * GIN sees the jsonpath they return.  Either way the same core function
 * (core/sql_forms.h) decides the condition, so literals and parameters can
 * never disagree.
 *
 * If no condition can be derived at run time, the functions return the
 * jsonpath `true`, which GIN searches as a full index scan: a slow answer,
 * never a wrong one.
 *
 * Boundary: PostgreSQL inputs are read into palloc'd C strings first; the
 * core runs in a noexcept function whose result leaves it as a malloc'd
 * string; once the C++ objects are gone, take_result copies it into
 * palloc'd memory or reports the error.
 *
 * extension/src/pg/pathx_forms.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/sql_forms.h"
#include "pg/pg_glue.h"
#include "pg/pathx_forms.h"

#include <cstdlib>
#include <new>

extern "C"
{
PG_FUNCTION_INFO_V1(jsonb_pathx_condition_text);
PG_FUNCTION_INFO_V1(jsonb_pathx_condition_array);
PG_FUNCTION_INFO_V1(jsonb_pathx_condition_jsonb);
PG_FUNCTION_INFO_V1(jsonb_pathx_bind);
}

typedef enum FormStatus
{
	FORM_OK,
	FORM_NONE,					/* nothing derivable */
	FORM_OOM,
	FORM_CXX_ERROR
} FormStatus;

/* ---------- C++ phase ---------- */

/*
 * The result leaves the C++ phase as a malloc'd C string, so that the
 * std::string holding it is destroyed before PostgreSQL allocates the
 * copy it returns (palloc may ereport; a longjmp must not skip a
 * destructor).
 */
static char *
copy_out(const std::string &s) noexcept
{
	char	   *p = static_cast<char *>(std::malloc(s.size() + 1));

	if (p)
		memcpy(p, s.c_str(), s.size() + 1);
	return p;
}

/*
 * Run 'work' (which fills *result or returns false for "nothing derived")
 * and turn every C++ exception into a status and a copied message.
 */
template<typename Work>
static FormStatus
run_cxx(Work &&work, char **result, char *errbuf, size_t errlen) noexcept
{
	try
	{
		std::string out;

		if (!work(&out))
			return FORM_NONE;
		*result = copy_out(out);
		return *result ? FORM_OK : FORM_OOM;
	}
	catch (const std::bad_alloc &)
	{
		return FORM_OOM;
	}
	catch (const std::exception &e)
	{
		strlcpy(errbuf, e.what(), errlen);
	}
	catch (...)
	{
		strlcpy(errbuf, "unknown C++ exception", errlen);
	}
	return FORM_CXX_ERROR;
}

static FormStatus
derive_cxx(const char *form, const char *const *elems, int nelems,
		   const char *const *values, int nvalues, char **result,
		   char *errbuf, size_t errlen) noexcept
{
	return run_cxx([&](std::string *out) {
		std::vector<std::string> e(elems, elems + nelems);
		std::vector<std::string> v(values, values + nvalues);
		pathx::FormSource src;

		return pathx::DecodeFormSource(e, &src) && pathx::DeriveFormCondition(src, form, v, out);
	}, result, errbuf, errlen);
}

static FormStatus
bind_cxx(const char *path, const char *const *names, const char *const *jsons, int nvars,
		 char **result, char *errbuf, size_t errlen) noexcept
{
	return run_cxx([&](std::string *out) {
		std::vector<std::pair<std::string, std::string>> vars;

		for (int i = 0; i < nvars; i++)
			vars.emplace_back(names[i], jsons[i]);
		return pathx::SubstituteJsonPathVariables(path, vars, out);
	}, result, errbuf, errlen);
}

/* ---------- PostgreSQL phase ---------- */

/*
 * Report a failure, or move the C++ phase's malloc'd result into palloc'd
 * memory (NULL: nothing derived).  The copy does not ereport, so the
 * malloc'd string is always freed.
 */
static char *
take_result(FormStatus status, char *result, const char *errbuf)
{
	if (status == FORM_OK)
	{
		size_t		len = strlen(result) + 1;
		char	   *p = (char *) MemoryContextAllocExtended(CurrentMemoryContext, len,
															MCXT_ALLOC_NO_OOM);

		if (p)
			memcpy(p, result, len);
		std::free(result);
		if (p)
			return p;
		status = FORM_OOM;
	}
	if (status == FORM_OOM)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed while deriving a jsonb_pathx_ops index condition.")));
	if (status == FORM_CXX_ERROR)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("jsonb_pathx: could not derive an index condition: %s", errbuf)));
	return NULL;
}

char *
px_derive_condition(const char *form, const char *const *elems, int nelems,
					const char *const *values, int nvalues)
{
	char	   *result = NULL;
	char		errbuf[256] = "";

	FormStatus	status = derive_cxx(form, elems, nelems, values, nvalues, &result,
									errbuf, sizeof(errbuf));

	return take_result(status, result, errbuf);
}

/* Text of each non-NULL element of a text[] (NULLs never compare true). */
int
px_text_array_strings(ArrayType *arr, char ***out)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				count = 0;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	*out = (char **) palloc(sizeof(char *) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			(*out)[count++] = TextDatumGetCString(elems[i]);
	return count;
}

/*
 * The JSON text of a scalar JsonbValue, as jsonb_out prints it; "[]" for
 * containers (the core refuses to substitute those).
 */
static char *
scalar_json_text(JsonbValue *v)
{
	StringInfoData buf;

	initStringInfo(&buf);
	switch (v->type)
	{
		case jbvNull:
			appendStringInfoString(&buf, "null");
			break;
		case jbvBool:
			appendStringInfoString(&buf, v->val.boolean ? "true" : "false");
			break;
		case jbvNumeric:
			appendStringInfoString(&buf,
								   DatumGetCString(DirectFunctionCall1(numeric_out,
																	   NumericGetDatum(v->val.numeric))));
			break;
		case jbvString:
			{
				char	   *s = pnstrdup(v->val.string.val, v->val.string.len);

				escape_json(&buf, s);
				break;
			}
		default:
			appendStringInfoString(&buf, "[]");
			break;
	}
	return buf.data;
}

char *
px_bind_variables(JsonPath *jp, Jsonb *vars)
{
	char	   *path = DatumGetCString(DirectFunctionCall1(jsonpath_out, PointerGetDatum(jp)));
	char	  **names = NULL;
	char	  **jsons = NULL;
	int			nvars = 0;
	char	   *result = NULL;
	char		errbuf[256] = "";

	if (JB_ROOT_IS_OBJECT(vars))
	{
		JsonbIterator *it = JsonbIteratorInit(&vars->root);
		JsonbValue	v;
		JsonbIteratorToken tok;
		int			cap = JB_ROOT_COUNT(vars) + 1;
		char	   *pending = NULL;

		names = (char **) palloc(sizeof(char *) * cap);
		jsons = (char **) palloc(sizeof(char *) * cap);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY)
				pending = pnstrdup(v.val.string.val, v.val.string.len);
			else if (tok == WJB_VALUE && pending && nvars < cap)
			{
				names[nvars] = pending;
				jsons[nvars] = scalar_json_text(&v);
				nvars++;
				pending = NULL;
			}
		}
	}
	else if (!JB_ROOT_IS_SCALAR(vars) && JB_ROOT_COUNT(vars) == 0)
	{
		/* an empty array binds nothing, like an empty object */
	}
	else
		return NULL;

	{
		FormStatus	status = bind_cxx(path, names, jsons, nvars, &result, errbuf, sizeof(errbuf));

		return take_result(status, result, errbuf);
	}
}

Datum
px_jsonpath_from_text(const char *text)
{
	return DirectFunctionCall1(jsonpath_in, CStringGetDatum(text));
}

static Datum
derived_or_full(char *text)
{
	/* `true`: no narrowing, searched as a full index scan */
	return px_jsonpath_from_text(text ? text : "true");
}

/* jsonb_pathx_condition(form text, source text[], value text) RETURNS jsonpath */
extern "C" Datum
jsonb_pathx_condition_text(PG_FUNCTION_ARGS)
{
	char	   *form = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	  **elems;
	int			nelems = px_text_array_strings(PG_GETARG_ARRAYTYPE_P(1), &elems);
	char	   *value = text_to_cstring(PG_GETARG_TEXT_PP(2));

	return derived_or_full(px_derive_condition(form, elems, nelems, &value, 1));
}

/* jsonb_pathx_condition(form text, source text[], values text[]): IN, ANY, ?|, ?& */
extern "C" Datum
jsonb_pathx_condition_array(PG_FUNCTION_ARGS)
{
	char	   *form = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	  **elems;
	int			nelems = px_text_array_strings(PG_GETARG_ARRAYTYPE_P(1), &elems);
	char	  **values;
	int			nvalues = px_text_array_strings(PG_GETARG_ARRAYTYPE_P(2), &values);

	return derived_or_full(px_derive_condition(form, elems, nelems, values, nvalues));
}

/* jsonb_pathx_condition(form text, source text[], value jsonb) */
extern "C" Datum
jsonb_pathx_condition_jsonb(PG_FUNCTION_ARGS)
{
	char	   *form = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	  **elems;
	int			nelems = px_text_array_strings(PG_GETARG_ARRAYTYPE_P(1), &elems);
	Jsonb	   *jb = PG_GETARG_JSONB_P(2);
	char	   *value = JsonbToCString(NULL, &jb->root, VARSIZE(jb));

	return derived_or_full(px_derive_condition(form, elems, nelems, &value, 1));
}

/*
 * jsonb_pathx_bind(path jsonpath, vars jsonb) RETURNS jsonpath: the path
 * with its variables replaced by their values.  When that is impossible (a
 * variable bound to a container, or missing), the result is `true`: the
 * path itself cannot be returned, because the planner's estimate evaluates
 * the condition on sampled rows, and @? raises an error for a variable
 * that has no value.
 */
extern "C" Datum
jsonb_pathx_bind(PG_FUNCTION_ARGS)
{
	JsonPath   *jp = PG_GETARG_JSONPATH_P(0);
	Jsonb	   *vars = PG_GETARG_JSONB_P(1);
	char	   *bound = px_bind_variables(jp, vars);

	return derived_or_full(bound);
}
