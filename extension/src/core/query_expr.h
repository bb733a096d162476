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
 * The output is a BuiltQuery: a Program, the flat, pointer-free byte image
 * of the entries and the expression nodes (core/query_program.h), which
 * the glue copies into palloc'd memory and consistent/triConsistent
 * evaluate with EvaluateProgram; and its explain text.
 *
 * Where it is done: query_expr.cpp walks the query and combines its parts,
 * query_leaves.cpp makes the index searches, query_explain.cpp renders
 * the explain text, query_program.cpp serialises and evaluates programs,
 * regex_prefix.cpp finds the literal prefix of a like_regex pattern
 * (core/regex_prefix.h).
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
#include "core/query_program.h"
#include "core/regex_prefix.h"

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

/* Path text as shown by explain and jsonb_pathx_keys: $.a."b c".d */
void		AppendPathStep(std::string &path, const char *name, size_t len);

}							/* namespace pathx */

#endif /* PATHX_QUERY_EXPR_H */
