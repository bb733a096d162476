/*-------------------------------------------------------------------------
 *
 * pg_glue.h
 *	  Shared declarations of the thin PostgreSQL glue of jsonb_pathx.
 *
 * The glue is C++ compiled, but everything in it that PostgreSQL calls is
 * extern "C", and no object with a non-trivial destructor lives in a frame
 * that can ereport().  Core functions that allocate, and so may throw, run
 * inside try/catch in a separate noexcept function (run_builder in
 * pathx_query.cpp, run_cxx in pathx_forms.cpp, parse_path_list in
 * pathx_options.cpp, describe_key in pathx_introspect.cpp): the catch only
 * copies the message, results leave as plain bytes, and the caller copies
 * them into palloc'd memory or reports the error with ereport() after
 * every C++ frame has returned.  The allocation-free core functions
 * (key comparison, program evaluation, partial matching) are noexcept
 * and are called directly.  So a longjmp
 * never crosses C++ frames and a C++ exception never reaches PostgreSQL's
 * C frames.
 *
 * Include this file after the core headers: the core refuses to compile
 * once postgres.h is in scope.
 *
 * extension/src/pg/pg_glue.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_PG_GLUE_H
#define PATHX_PG_GLUE_H

#include "core/index_options.h"
#include "core/key_encoding.h"
#include "core/query_expr.h"

/*
 * PostgreSQL's headers are C; under -Wextra g++ warns about a few of their
 * idioms (unused parameters in inline functions, old-style casts in macros
 * and so on).  Silence only those, only for the headers.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wclass-memaccess"
#pragma GCC diagnostic ignored "-Wregister"
extern "C"
{
#include "postgres.h"

#include "access/gin.h"
#include "access/genam.h"
#include "access/reloptions.h"
#include "access/stratnum.h"
#include "catalog/pg_opfamily.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/jsonpath.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/numeric.h"
#include "utils/guc.h"
#include "utils/pg_locale.h"
#include "utils/tuplestore.h"

#include "pg/pg_compat.h"		/* every version difference */
}
#pragma GCC diagnostic pop

/* Strategy numbers, shared with PostgreSQL's own jsonb operator classes. */
#define PX_STRATEGY_CONTAINS		7	/* @> */
#define PX_STRATEGY_EXISTS			9	/* ? */
#define PX_STRATEGY_EXISTS_ANY		10	/* ?| */
#define PX_STRATEGY_EXISTS_ALL		11	/* ?& */
#define PX_STRATEGY_JSONPATH_EXISTS	15	/* @? */
#define PX_STRATEGY_JSONPATH_MATCH	16	/* @@ */

/*
 * A query built by the core and copied into palloc'd memory.  'image' is a
 * program image (see core/query_expr.h); 'explain' is NUL-terminated.
 */
typedef struct PxQuery
{
	void	   *image;
	char	   *explain;
} PxQuery;

/* Document walking (pathx_doc_keys.cpp). */
typedef enum PxContainerKeys
{
	PX_CONTAINER_KEYS_ALL,		/* index side: every member holding a container */
	PX_CONTAINER_KEYS_EMPTY		/* query side: only empty containers narrow */
} PxContainerKeys;

/*
 * Called for every key.  'covered' is false for keys the index options
 * leave out (the index side skips them; queries treat them as unindexable).
 */
typedef void (*PxKeyCallback) (void *arg, const uint8_t *key, size_t len,
							   const char *path_text, bool covered);

extern void px_walk_document(JsonbContainer *root, PxContainerKeys mode,
							 const pathx::IndexOptions *opts, bool want_path_text,
							 PxKeyCallback cb, void *arg);
extern size_t px_string_value_key(uint32_t path_hash, const char *s, int len,
								  size_t prefix, uint8_t *out);

/*
 * Encodings.  Keys order strings as jsonpath does, by UTF-8 bytes, and the
 * core writes explain text in UTF-8; member names are hashed as stored.
 * px_text_to_utf8 returns 's' itself when no conversion is needed (else a
 * palloc'd copy); px_utf8_to_text_datum converts core text for SQL.
 */
extern const char *px_text_to_utf8(const char *s, int len, int *utf8_len);
extern Datum px_utf8_to_text_datum(const char *utf8);

/* Index options (pathx_options.cpp). */
extern const pathx::IndexOptions *px_index_options(FunctionCallInfo fcinfo);
extern const pathx::IndexOptions *px_default_options(void);
extern const pathx::IndexOptions *px_options_of_index(Oid indexoid);
extern bool px_is_pathx_opfamily(Oid opfamily);

/* Query building (pathx_query.cpp). */
extern PxQuery px_query_for_jsonpath(JsonPath *jp, pathx::JsonPathMode mode,
									 const pathx::IndexOptions *opts);
extern PxQuery px_query_for_containment(Jsonb *query, const pathx::IndexOptions *opts);
extern PxQuery px_query_for_keys(Datum *keys, bool *nulls, int nkeys, bool all,
								 const pathx::IndexOptions *opts);

/* Is a jsonpath item a whole predicate (pathx_query.cpp)? */
extern bool px_jsonpath_is_predicate(JsonPathItem *item);

/* The search of an operand for one strategy (gin_jsonb_pathx.cpp). */
extern PxQuery px_query_for_strategy(StrategyNumber strategy, Datum query,
									 const pathx::IndexOptions *opts);

#endif							/* PATHX_PG_GLUE_H */
