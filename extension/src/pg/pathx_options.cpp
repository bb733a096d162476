/*-------------------------------------------------------------------------
 *
 * pathx_options.cpp
 *	  Operator class parameters of jsonb_pathx_ops (PostgreSQL 13+).
 *
 *	 CREATE INDEX ... USING gin (doc jsonb_pathx_ops (
 *		 paths = '$.user, $.items[*].sku',	-- index only these subtrees
 *		 exclude_paths = '$.user.notes',	-- ... but not these
 *		 string_prefix = 32,				-- bytes of a string kept in order
 *		 anypath = true));					-- .* and .** can use the index
 *
 * PostgreSQL stores the values with the index (so pg_dump shows them) and
 * hands them to every support function through its FmgrInfo.  The path
 * lists are parsed into path hashes once per FmgrInfo and cached in
 * fn_extra: extractValue runs for every row of an index build, and
 * parsing there would cost more than the keys.
 *
 * Parsing is C++ (core/index_options.cpp); it runs in a noexcept wrapper
 * that reports problems as text, and the validator raises the error after
 * the C++ frame is gone.
 *
 * extension/src/pg/pathx_options.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"

extern "C"
{
#include "catalog/dependency.h"
#include "catalog/pg_am_d.h"
#include "commands/extension.h"
#include "utils/inval.h"
}

#include <string>
#include <vector>

extern "C"
{
PG_FUNCTION_INFO_V1(gin_options_jsonb_pathx);
}

/* Layout PostgreSQL fills from the reloptions (strings by offset). */
typedef struct PxRelOptions
{
	int32		vl_len_;		/* varlena header, must be first */
	int			string_prefix;
	bool		anypath;
	int			paths;			/* offset of the string, 0 if unset */
	int			exclude_paths;
} PxRelOptions;

/* What fn_extra caches: the options and the parsed path hashes. */
typedef struct PxOptionsCache
{
	void	   *source;			/* copy of the reloptions it was built from */
	Size		source_len;
	pathx::IndexOptions opts;
	uint32_t   *hashes;			/* include hashes, then exclude hashes */
} PxOptionsCache;

typedef enum ParseStatus
{
	PARSE_OK,
	PARSE_INVALID,
	PARSE_TOO_MANY
} ParseStatus;

/* C++ phase: parse a path list into 'out' (capacity 'cap'). */
static ParseStatus
parse_path_list(const char *text, uint32_t *out, uint32_t cap, uint32_t *n,
				char *errbuf, size_t errlen) noexcept
{
	try
	{
		std::vector<uint32_t> hashes;
		std::string error;

		if (!pathx::ParsePathList(text, strlen(text), &hashes, &error))
		{
			strlcpy(errbuf, error.c_str(), errlen);
			return PARSE_INVALID;
		}
		if (hashes.size() > cap)
			return PARSE_TOO_MANY;
		for (size_t i = 0; i < hashes.size(); i++)
			out[i] = hashes[i];
		*n = (uint32_t) hashes.size();
		return PARSE_OK;
	}
	catch (...)
	{
		strlcpy(errbuf, "out of memory while parsing", errlen);
	}
	return PARSE_INVALID;
}

/* Upper bound on the number of paths in a list: one per comma, plus one. */
static uint32_t
max_paths(const char *text)
{
	uint32_t	n = 1;

	for (const char *p = text; *p; p++)
		if (*p == ',')
			n++;
	return n;
}

static void
parse_or_error(const char *option, const char *text, uint32_t *out, uint32_t cap, uint32_t *n)
{
	char		errbuf[256] = "";
	ParseStatus status = parse_path_list(text, out, cap, n, errbuf, sizeof(errbuf));

	/* detail messages are sentences: capitalized */
	errbuf[0] = pg_toupper((unsigned char) errbuf[0]);
	if (status != PARSE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid value for jsonb_pathx_ops option \"%s\": \"%s\"", option, text),
				 errdetail("%s.", status == PARSE_TOO_MANY ? "too many paths" : errbuf),
				 errhint("Give a comma-separated list of paths such as '$.user, $.items[*].sku'.")));
}

static void
validate_path_list(const char *option, const char *value)
{
	uint32_t	n;
	uint32_t   *buf;

	if (value == NULL)
		return;
	buf = (uint32_t *) palloc(sizeof(uint32_t) * max_paths(value));
	parse_or_error(option, value, buf, max_paths(value), &n);
	pfree(buf);
}

/* PostgreSQL's validator callbacks get only the value: one per option. */
static void
validate_paths(const char *value)
{
	validate_path_list("paths", value);
}

static void
validate_exclude_paths(const char *value)
{
	validate_path_list("exclude_paths", value);
}

extern "C" Datum
gin_options_jsonb_pathx(PG_FUNCTION_ARGS)
{
	local_relopts *relopts = (local_relopts *) PG_GETARG_POINTER(0);

	init_local_reloptions(relopts, sizeof(PxRelOptions));
	add_local_int_reloption(relopts, "string_prefix",
							"bytes of each string kept in order for ranges and prefixes",
							(int) pathx::kDefaultStringPrefix, (int) pathx::kMinStringPrefix,
							(int) pathx::kMaxStringPrefix,
							offsetof(PxRelOptions, string_prefix));
	add_local_bool_reloption(relopts, "anypath",
							 "also index values path-agnostically, for .* and .** queries",
							 false, offsetof(PxRelOptions, anypath));
	add_local_string_reloption(relopts, "paths",
							   "comma-separated paths whose subtrees are indexed (default: all)",
							   NULL, validate_paths, NULL, offsetof(PxRelOptions, paths));
	add_local_string_reloption(relopts, "exclude_paths",
							   "comma-separated paths whose subtrees are not indexed",
							   NULL, validate_exclude_paths, NULL,
							   offsetof(PxRelOptions, exclude_paths));
	PG_RETURN_VOID();
}

const pathx::IndexOptions *
px_default_options(void)
{
	static const pathx::IndexOptions defaults;

	return &defaults;
}

/* Parse reloptions into a cache entry allocated in 'cxt'. */
static PxOptionsCache *
compile_options(PxRelOptions *rel, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	PxOptionsCache *cache = (PxOptionsCache *) palloc0(sizeof(PxOptionsCache));
	const char *paths = rel->paths ? (const char *) rel + rel->paths : NULL;
	const char *exclude = rel->exclude_paths ? (const char *) rel + rel->exclude_paths : NULL;
	uint32_t	ninc = 0;
	uint32_t	nexc = 0;

	cache->source_len = VARSIZE(rel);
	cache->source = palloc(cache->source_len);
	memcpy(cache->source, rel, cache->source_len);
	cache->hashes = (uint32_t *) palloc(sizeof(uint32_t) *
										((paths ? max_paths(paths) : 0) +
										 (exclude ? max_paths(exclude) : 0) + 1));
	if (paths)
		parse_or_error("paths", paths, cache->hashes, max_paths(paths), &ninc);
	if (exclude)
		parse_or_error("exclude_paths", exclude, cache->hashes + ninc, max_paths(exclude), &nexc);
	MemoryContextSwitchTo(old);

	cache->opts.string_prefix = (uint32_t) rel->string_prefix;
	cache->opts.anypath = rel->anypath;
	cache->opts.include = cache->hashes;
	cache->opts.ninclude = ninc;
	cache->opts.exclude = cache->hashes + ninc;
	cache->opts.nexclude = nexc;
	return cache;
}

const pathx::IndexOptions *
px_index_options(FunctionCallInfo fcinfo)
{
	PxRelOptions *rel;
	PxOptionsCache *cache;

	if (!PG_HAS_OPCLASS_OPTIONS())
		return px_default_options();
	rel = (PxRelOptions *) PG_GET_OPCLASS_OPTIONS();
	if (rel == NULL)
		return px_default_options();

	cache = (PxOptionsCache *) fcinfo->flinfo->fn_extra;
	if (cache != NULL && cache->source_len == VARSIZE(rel) &&
		memcmp(cache->source, rel, cache->source_len) == 0)
		return &cache->opts;

	/* parse once per FmgrInfo, in its long-lived memory context */
	cache = compile_options(rel, fcinfo->flinfo->fn_mcxt);
	fcinfo->flinfo->fn_extra = cache;
	return &cache->opts;
}

/*
 * Recently answered px_is_pathx_opfamily questions.  Dropping the extension
 * drops its operator family, which sends an OPFAMILYOID invalidation; the
 * callback forgets everything then.  (Moving a family out of the extension
 * with ALTER EXTENSION DROP sends none: after that a backend may go on
 * treating it as ours until its next invalidation, which that family's
 * support functions, still ours, make harmless.)
 */
#define PX_OPFAMILY_CACHE_SIZE 8

typedef struct PxOpfamilyAnswer
{
	Oid			opfamily;
	bool		ours;
} PxOpfamilyAnswer;

static PxOpfamilyAnswer opfamily_answers[PX_OPFAMILY_CACHE_SIZE];
static int	opfamily_answers_used = 0;
static int	opfamily_answers_next = 0;
static bool opfamily_callback_registered = false;

static void
forget_opfamily_answers(Datum arg, int cacheid, uint32 hashvalue)
{
	(void) arg;
	(void) cacheid;
	(void) hashvalue;
	opfamily_answers_used = 0;
	opfamily_answers_next = 0;
}

/*
 * Is 'opfamily' the operator family this extension created?  A name match
 * is not enough: any schema may hold a "jsonb_pathx_ops" family, of any
 * access method, whose indexes hold keys we did not make.  Ours is a GIN
 * family recorded in pg_depend as a member of the jsonb_pathx extension.
 */
bool
px_is_pathx_opfamily(Oid opfamily)
{
	HeapTuple	tup;
	bool		ours;

	for (int i = 0; i < opfamily_answers_used; i++)
		if (opfamily_answers[i].opfamily == opfamily)
			return opfamily_answers[i].ours;

	tup = SearchSysCache1(OPFAMILYOID, ObjectIdGetDatum(opfamily));
	if (!HeapTupleIsValid(tup))
		return false;
	ours = ((Form_pg_opfamily) GETSTRUCT(tup))->opfmethod == GIN_AM_OID;
	ReleaseSysCache(tup);
	if (ours)
	{
		Oid			ext = get_extension_oid("jsonb_pathx", true);

		ours = OidIsValid(ext) &&
			getExtensionOfObject(OperatorFamilyRelationId, opfamily) == ext;
	}

	if (!opfamily_callback_registered)
	{
		CacheRegisterSyscacheCallback(OPFAMILYOID, forget_opfamily_answers, (Datum) 0);
		opfamily_callback_registered = true;
	}
	opfamily_answers[opfamily_answers_next].opfamily = opfamily;
	opfamily_answers[opfamily_answers_next].ours = ours;
	opfamily_answers_next = (opfamily_answers_next + 1) % PX_OPFAMILY_CACHE_SIZE;
	if (opfamily_answers_used < PX_OPFAMILY_CACHE_SIZE)
		opfamily_answers_used++;
	return ours;
}

const pathx::IndexOptions *
px_options_of_index(Oid indexoid)
{
	Relation	rel = index_open(indexoid, AccessShareLock);
	const pathx::IndexOptions *result = NULL;
	int			natts = IndexRelationGetNumberOfKeyAttributes(rel);

	for (int i = 0; i < natts && result == NULL; i++)
	{
		if (px_is_pathx_opfamily(rel->rd_opfamily[i]))
		{
			bytea	  **attopts = RelationGetIndexAttOptions(rel, false);

			result = attopts && attopts[i]
				? &compile_options((PxRelOptions *) attopts[i], CurrentMemoryContext)->opts
				: px_default_options();
		}
	}
	if (result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("index \"%s\" does not use jsonb_pathx_ops", RelationGetRelationName(rel)),
				 errhint("Pass a jsonb_pathx_ops index, or no index to explain with default options.")));
	index_close(rel, AccessShareLock);
	return result;
}
