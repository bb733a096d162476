/*-------------------------------------------------------------------------
 *
 * query_expr.h
 *	  From a query (jsonpath, containment document, key list) to the AND/OR
 *	  tree of index entries that GIN searches, and its evaluation.
 *
 * The rule above all: every entry condition extracted from a query is a
 * necessary condition for the query to be true.  The index may return more
 * rows than match (the executor rechecks), never fewer.  Hence:
 *	 - a part that cannot be narrowed is "FULL" (all rows);
 *	 - AND drops FULL children, OR with a FULL child is FULL;
 *	 - there is no NOT: a negated condition is never necessary.
 *
 * Inputs come in plain-old-data form so that the glue can produce them
 * while walking PostgreSQL structures without any C++ object alive in a
 * frame that may ereport:
 *	 - AstNode: one jsonpath item, children by index (BuildJsonPathQuery);
 *	 - LeafRequest: a containment or key-existence condition (BuildCnfQuery).
 *
 * The output is a Program: a flat, pointer-free byte image holding the
 * entries (key bytes, partial flag, MatchSpec) and the expression nodes.
 * The glue copies it into palloc'd memory; consistent/triConsistent
 * evaluate it with EvaluateProgram, which never allocates.
 *
 * extension/src/core/query_expr.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_QUERY_EXPR_H
#define PATHX_QUERY_EXPR_H

#include "core/no_postgres.h"
#include "core/index_options.h"
#include "core/key_encoding.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace pathx
{

/* One jsonpath item, as the glue translates it. */
enum class AstKind : uint8_t
{
	kRoot,						/* $ */
	kCurrent,					/* @ */
	kKey,						/* .name (str = name) */
	kAnyArray,					/* [*] and [subscripts]: array steps */
	kAnyKey,					/* .* */
	kAny,						/* .** */
	kFilter,					/* ? (arg0) */
	kMethod,					/* item methods and anything else in a path */
	kAnd,						/* arg0 && arg1 */
	kOr,						/* arg0 || arg1 */
	kNot,						/* ! arg0 */
	kIsUnknown,					/* (arg0) is unknown */
	kExists,					/* exists (arg0) */
	kCompare,					/* arg0 <cmp> arg1 */
	kStartsWith,				/* arg0 starts with arg1 */
	kLikeRegex,					/* arg0 like_regex str flag regex_flags */
	kNumber,					/* literal, str = numeric text */
	kString,					/* literal, str = UTF-8 text */
	kBool,						/* literal, bool_value */
	kNull,						/* literal */
	kOther,						/* variables, arithmetic, too deep, ... */
};

enum class CompareOp : uint8_t
{
	kEq,
	kNe,
	kLt,
	kLe,
	kGt,
	kGe,
};

/* jsonpath like_regex flags, as PostgreSQL stores them. */
constexpr uint32_t kRegexICase = 0x01;
constexpr uint32_t kRegexDotAll = 0x02;
constexpr uint32_t kRegexMultiLine = 0x04;
constexpr uint32_t kRegexWhiteSpace = 0x08;
constexpr uint32_t kRegexQuote = 0x10;

/* Item methods the builder understands (in a kMethod node). */
enum class MethodKind : uint8_t
{
	kOther,
	kType,						/* .type() */
};

struct AstNode
{
	AstKind		kind;
	CompareOp	cmp;
	MethodKind	method;
	bool		bool_value;
	uint32_t	regex_flags;
	int32_t		next;			/* next path step, or -1 */
	int32_t		arg0;			/* -1 when absent */
	int32_t		arg1;
	const char *str;			/* not NUL-terminated unless noted */
	uint32_t	len;

	/*
	 * kKey only: the member name in UTF-8 for explain text, when 'str' (as
	 * stored, hashed as the documents' names are) is in another encoding;
	 * NULL when 'str' is already UTF-8.
	 */
	const char *shown;
	uint32_t	shown_len;
};

/* Which operator a jsonpath is searched for. */
enum class JsonPathMode : uint8_t
{
	kExists,					/* jsonb @? jsonpath */
	kMatch,						/* jsonb @@ jsonpath */
};

/*
 * A leaf of a containment / key-existence query, grouped in conjunctive
 * normal form: the query is true only if, for every group, some leaf of
 * the group holds.  'path_text' is only used for explain output.
 */
enum class LeafKind : uint8_t
{
	kExact,						/* the key 'key' is present */
	kPathAny,					/* some key under 'path_hash' is present */
};

struct LeafRequest
{
	LeafKind	kind;
	uint32_t	group;
	uint32_t	path_hash;
	const uint8_t *key;			/* kExact: whole key */
	uint32_t	key_len;
	const char *path_text;		/* "$.a.b" */
	uint32_t	path_text_len;
	bool		covered;		/* false: the index has no keys for this path */
};

/* Expression node kinds in a Program. */
enum class ProgOp : uint8_t
{
	kEntry,
	kAnd,
	kOr,
};

/*
 * Program image layout (all fields native-endian, 8-byte aligned blocks):
 *	 ProgramHeader
 *	 ProgramEntry[nentries]
 *	 ProgramNode[nnodes]
 *	 uint32_t children[nchildren]
 *	 key bytes
 */
struct ProgramHeader
{
	uint32_t	magic;
	uint32_t	nentries;
	uint32_t	nnodes;
	uint32_t	nchildren;
	uint32_t	root;			/* node index */
	uint8_t		result;			/* ProgramResult */
	uint8_t		pad[3];
	uint32_t	keys_offset;
	uint32_t	total_size;
};

enum class ProgramResult : uint8_t
{
	kEntries,					/* evaluate the node tree */
	kFullScan,					/* nothing indexable: every row is a candidate */
	kNothing,					/* provably no row matches */
};

struct ProgramEntry
{
	uint32_t	key_offset;		/* from the start of the key bytes */
	uint32_t	key_len;
	uint8_t		partial;
	uint8_t		pad[7];
	MatchSpec	spec;
};

struct ProgramNode
{
	ProgOp		op;
	uint8_t		pad[3];
	uint32_t	nargs;
	uint32_t	first;			/* kEntry: entry index; else first child slot */
};

constexpr uint32_t kProgramMagic = 0x70787131; /* "pxq1" */

/* Ternary values, numerically equal to GIN's GIN_FALSE/GIN_TRUE/GIN_MAYBE. */
constexpr char kTernaryFalse = 0;
constexpr char kTernaryTrue = 1;
constexpr char kTernaryMaybe = 2;

/*
 * A built query: the program image and its explain text.  Builders throw
 * std::bad_alloc only; callers at the PostgreSQL boundary catch it.
 */
struct BuiltQuery
{
	std::string image;			/* ProgramHeader... */
	std::string explain;		/* e.g. AND(EQ($.a 1), RANGE(...)) or FULL SCAN */
};

/*
 * Build the query for a jsonpath given as AstNodes, root at 'root'.
 * 'strict': the jsonpath is in strict mode (lets "@ >= lo && @ <= hi"
 * become one range scan).
 */
BuiltQuery	BuildJsonPathQuery(const AstNode *nodes, size_t nnodes, int32_t root,
							   JsonPathMode mode, const IndexOptions &options,
							   bool strict = false);

/* Build AND over groups of OR over leaves (containment, ?, ?|, ?&). */
BuiltQuery	BuildCnfQuery(const LeafRequest *leaves, size_t nleaves, size_t ngroups,
						  bool empty_means_all);

/* Accessors over a program image (which must be 8-byte aligned). */
const ProgramHeader *ProgramGetHeader(const void *image) noexcept;
const ProgramEntry *ProgramGetEntry(const void *image, uint32_t i) noexcept;
const uint8_t *ProgramGetKey(const void *image, uint32_t i) noexcept;

/*
 * Evaluate the program over entry states (GIN's check array).  With
 * 'ternary' false, check is bool[]; otherwise char[] of ternary values.
 */
char		EvaluateProgram(const void *image, const void *check, bool ternary) noexcept;

/* Path text as shown by explain and jsonb_pathx_keys: $.a."b c".d */
void		AppendPathStep(std::string &path, const char *name, size_t len);

/*
 * The literal prefix a like_regex pattern guarantees, if any: the pattern
 * must be anchored with ^ and not use flags that change anchoring or case.
 * Returns false when the pattern gives no usable prefix.
 */
bool		RegexLiteralPrefix(const char *pattern, size_t len, uint32_t flags,
							   std::string *prefix);

}							/* namespace pathx */

#endif /* PATHX_QUERY_EXPR_H */
