/*-------------------------------------------------------------------------
 *
 * gin_jsonb_pathx.cpp
 *	  GIN support functions of the jsonb_pathx_ops operator class.
 *
 * What the index stores.  For every scalar of a document, one key made of
 * (hash of the member-name path to it, type tag, value); for every object
 * member holding an object or array, one "container" key for its path.
 * Array steps are not part of paths.  Values are encoded so that memcmp
 * follows jsonpath's order within a type (numbers numerically, strings by
 * code point), and the path hash comes first, so the values of one type
 * under one path are contiguous in the entry tree.  See
 * core/key_encoding.h for the byte layout.
 *
 * How queries are searched.  extractQuery turns the operand into an AND/OR
 * tree of entries (core/query_expr.h):
 *	 @>			AND of the operand's own keys (its scalars at their paths,
 *				and a container key for each empty object/array member);
 *	 ? ?| ?&	per key: OR(anything under $.key, the string at $);
 *	 @? @@		jsonpath decomposed into EQ (exact key), RANGE and PREFIX
 *				(partial-match scans bounded by comparePartial) and EXISTS
 *				(a partial-match scan over everything under one path).
 * Entries that are ranges, prefixes or existence tests are partial-match
 * entries; comparePartial decides each key against the entry's MatchSpec.
 * consistent and triConsistent evaluate the tree over the entries found.
 *
 * Why the result is always lossy.  Keys forget array structure, numbers
 * past 32 significant digits or a base-100 exponent of +-32767 saturate,
 * long strings are cut and hashed, paths are hashed: the index can only
 * say "maybe".  We must always recheck, and triConsistent never returns
 * GIN_TRUE, only GIN_MAYBE or GIN_FALSE.  In exchange, every entry
 * condition is necessary for the query to be true, so GIN_FALSE is always
 * right.
 *
 * What is not narrowed (core/query_expr.cpp has the full list and the
 * reasons): negations (!, is unknown; path != literal only requires the
 * path to exist), item methods other than .type() == "name", arithmetic,
 * variables, comparisons between two paths, and .* / .** unless the index
 * has anypath = true (then they search the keys of the last member name).
 * Such a part drops out of an AND and makes an OR unindexable; when
 * nothing is left, extractQuery asks GIN for a full index scan
 * (GIN_SEARCH_MODE_ALL), whose cost makes the planner prefer a seq scan.
 *
 * extension/src/pg/gin_jsonb_pathx.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"

extern "C"
{
PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(gin_compare_jsonb_pathx);
PG_FUNCTION_INFO_V1(gin_extract_jsonb_pathx);
PG_FUNCTION_INFO_V1(gin_extract_jsonb_query_pathx);
PG_FUNCTION_INFO_V1(gin_consistent_jsonb_pathx);
PG_FUNCTION_INFO_V1(gin_triconsistent_jsonb_pathx);
PG_FUNCTION_INFO_V1(gin_compare_partial_jsonb_pathx);
}

/*
 * What each query entry's extra_data points to: the program (for
 * consistent) and the entry's match rule (for comparePartial).
 */
typedef struct PxEntryRef
{
	const void *image;
	const pathx::MatchSpec *spec;
} PxEntryRef;

/* Growing array of key datums for extractValue. */
typedef struct KeyDatums
{
	Datum	   *datums;
	int32		count;
	int32		cap;
} KeyDatums;

static void
collect_index_key(void *arg, const uint8_t *key, size_t len, const char *path_text, bool covered)
{
	KeyDatums  *kd = (KeyDatums *) arg;
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);

	(void) path_text;
	(void) covered;				/* the walker only reports covered keys here */
	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), key, len);
	if (kd->count == kd->cap)
	{
		kd->cap *= 2;
		kd->datums = (Datum *) repalloc(kd->datums, sizeof(Datum) * kd->cap);
	}
	kd->datums[kd->count++] = PointerGetDatum(b);
}

/*
 * Key bytes of a key datum.  Keys are at most a few hundred bytes, so GIN
 * never compresses or toasts them; the common case reads the header in
 * place instead of calling the detoaster, which dominated index builds
 * (GIN compares keys millions of times while sorting them).
 */
static inline bytea *
key_datum(Datum d)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);

	if (unlikely(VARATT_IS_COMPRESSED(v) || VARATT_IS_EXTERNAL(v)))
		v = pg_detoast_datum_packed(v);
	return (bytea *) v;
}

extern "C" Datum
gin_compare_jsonb_pathx(PG_FUNCTION_ARGS)
{
	bytea	   *a = key_datum(PG_GETARG_DATUM(0));
	bytea	   *b = key_datum(PG_GETARG_DATUM(1));

	PG_RETURN_INT32(pathx::CompareBytes((const uint8_t *) VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a),
										(const uint8_t *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)));
}

extern "C" Datum
gin_extract_jsonb_pathx(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	int32	   *nentries = (int32 *) PG_GETARG_POINTER(1);
	KeyDatums	kd;

	/* {} and [] have no keys; GIN still finds them in a full scan */
	if (JB_ROOT_COUNT(jb) == 0)
	{
		*nentries = 0;
		PG_RETURN_POINTER(NULL);
	}

	kd.cap = 2 * JB_ROOT_COUNT(jb) + 4;
	kd.count = 0;
	kd.datums = (Datum *) palloc(sizeof(Datum) * kd.cap);
	px_walk_document(&jb->root, PX_CONTAINER_KEYS_ALL, px_index_options(fcinfo), false,
					 collect_index_key, &kd);

	*nentries = kd.count;
	PG_RETURN_POINTER(kd.datums);
}

/* Hand a built query to GIN: entries, partial flags, extra data. */
static Datum *
entries_from_query(PxQuery q, int32 *nentries, bool **pmatch, Pointer **extra_data,
				   int32 *searchMode)
{
	const pathx::ProgramHeader *h = pathx::ProgramGetHeader(q.image);
	Datum	   *entries;
	uint32		n;

	switch (static_cast<pathx::ProgramResult>(h->result))
	{
		case pathx::ProgramResult::kFullScan:
			*nentries = 0;
			*searchMode = GIN_SEARCH_MODE_ALL;
			return NULL;
		case pathx::ProgramResult::kNothing:
			/* no entries in default mode: GIN knows nothing can match */
			*nentries = 0;
			return NULL;
		case pathx::ProgramResult::kEntries:
			break;
		default:
			elog(ERROR, "invalid jsonb_pathx query program result: %d", (int) h->result);
	}

	n = h->nentries;
	entries = (Datum *) palloc(sizeof(Datum) * n);
	*pmatch = (bool *) palloc(sizeof(bool) * n);
	*extra_data = (Pointer *) palloc(sizeof(Pointer) * n);
	for (uint32 i = 0; i < n; i++)
	{
		const pathx::ProgramEntry *e = pathx::ProgramGetEntry(q.image, i);
		bytea	   *b = (bytea *) palloc(VARHDRSZ + e->key_len);
		PxEntryRef *ref = (PxEntryRef *) palloc(sizeof(PxEntryRef));

		SET_VARSIZE(b, VARHDRSZ + e->key_len);
		memcpy(VARDATA(b), pathx::ProgramGetKey(q.image, i), e->key_len);
		entries[i] = PointerGetDatum(b);
		(*pmatch)[i] = e->partial != 0;
		ref->image = q.image;
		ref->spec = &e->spec;
		(*extra_data)[i] = (Pointer) ref;
	}
	*nentries = (int32) n;
	return entries;
}

/*
 * The program a query operand searches, for one strategy.  Also used by
 * the cost estimate (pathx_cost.cpp), so that what the planner prices is
 * exactly what the scan searches.
 */
PxQuery
px_query_for_strategy(StrategyNumber strategy, Datum query, const pathx::IndexOptions *opts)
{
	PxQuery		q = {NULL, NULL};

	switch (strategy)
	{
		case PX_STRATEGY_CONTAINS:
			q = px_query_for_containment(DatumGetJsonbP(query), opts);
			break;
		case PX_STRATEGY_EXISTS:
			q = px_query_for_keys(&query, NULL, 1, false, opts);
			break;
		case PX_STRATEGY_EXISTS_ANY:
		case PX_STRATEGY_EXISTS_ALL:
			{
				ArrayType  *arr = DatumGetArrayTypeP(query);
				Datum	   *keys;
				bool	   *nulls;
				int			nkeys;

				deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &keys, &nulls, &nkeys);
				q = px_query_for_keys(keys, nulls, nkeys, strategy == PX_STRATEGY_EXISTS_ALL, opts);
				break;
			}
		case PX_STRATEGY_JSONPATH_EXISTS:
		case PX_STRATEGY_JSONPATH_MATCH:
			q = px_query_for_jsonpath(DatumGetJsonPathP(query),
									  strategy == PX_STRATEGY_JSONPATH_EXISTS
									  ? pathx::JsonPathMode::kExists
									  : pathx::JsonPathMode::kMatch, opts);
			break;
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
	}
	return q;
}

extern "C" Datum
gin_extract_jsonb_query_pathx(PG_FUNCTION_ARGS)
{
	int32	   *nentries = (int32 *) PG_GETARG_POINTER(1);
	StrategyNumber strategy = PG_GETARG_UINT16(2);
	bool	  **pmatch = (bool **) PG_GETARG_POINTER(3);
	Pointer   **extra_data = (Pointer **) PG_GETARG_POINTER(4);
	int32	   *searchMode = (int32 *) PG_GETARG_POINTER(6);
	PxQuery		q = px_query_for_strategy(strategy, PG_GETARG_DATUM(0), px_index_options(fcinfo));

	PG_RETURN_POINTER(entries_from_query(q, nentries, pmatch, extra_data, searchMode));
}

static void
check_strategy(StrategyNumber strategy)
{
	switch (strategy)
	{
		case PX_STRATEGY_CONTAINS:
		case PX_STRATEGY_EXISTS:
		case PX_STRATEGY_EXISTS_ANY:
		case PX_STRATEGY_EXISTS_ALL:
		case PX_STRATEGY_JSONPATH_EXISTS:
		case PX_STRATEGY_JSONPATH_MATCH:
			return;
		default:
			elog(ERROR, "unrecognized strategy number: %d", strategy);
	}
}

extern "C" Datum
gin_consistent_jsonb_pathx(PG_FUNCTION_ARGS)
{
	bool	   *check = (bool *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = PG_GETARG_UINT16(1);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	bool	   *recheck = (bool *) PG_GETARG_POINTER(5);
	const PxEntryRef *ref;

	check_strategy(strategy);

	/*
	 * We must always recheck: the keys forget array structure and round
	 * numbers, long strings and paths are hashed.  A full-scan query has no
	 * keys at all and every row is a candidate.
	 */
	*recheck = true;
	if (nkeys == 0)
		PG_RETURN_BOOL(true);

	ref = (const PxEntryRef *) extra_data[0];
	PG_RETURN_BOOL(pathx::EvaluateProgram(ref->image, check, false) != pathx::kTernaryFalse);
}

extern "C" Datum
gin_triconsistent_jsonb_pathx(PG_FUNCTION_ARGS)
{
	GinTernaryValue *check = (GinTernaryValue *) PG_GETARG_POINTER(0);
	StrategyNumber strategy = PG_GETARG_UINT16(1);
	int32		nkeys = PG_GETARG_INT32(3);
	Pointer    *extra_data = (Pointer *) PG_GETARG_POINTER(4);
	const PxEntryRef *ref;
	char		res;

	check_strategy(strategy);
	if (nkeys == 0)
		PG_RETURN_GIN_TERNARY_VALUE(GIN_MAYBE);

	ref = (const PxEntryRef *) extra_data[0];
	res = pathx::EvaluateProgram(ref->image, check, true);

	/* for the reasons given in gin_consistent_jsonb_pathx, never GIN_TRUE */
	if (res == pathx::kTernaryTrue)
		res = GIN_MAYBE;
	PG_RETURN_GIN_TERNARY_VALUE(res);
}

extern "C" Datum
gin_compare_partial_jsonb_pathx(PG_FUNCTION_ARGS)
{
	bytea	   *key = key_datum(PG_GETARG_DATUM(1));
	const PxEntryRef *ref = (const PxEntryRef *) PG_GETARG_POINTER(3);

	if (ref == NULL)
		elog(ERROR, "jsonb_pathx_ops partial match without match rule");
	PG_RETURN_INT32(pathx::ComparePartial(*ref->spec, (const uint8_t *) VARDATA_ANY(key),
										  VARSIZE_ANY_EXHDR(key)));
}
