/*
 * plan_conditions.h
 *	  Reading jsonb conditions out of EXPLAIN's condition strings, for
 *	  `pathx explain`; pure functions, no SQL.
 *
 * EXPLAIN prints conditions as PostgreSQL deparses them, e.g.
 *
 *   ((t.doc @? '$."total"?(@ > 4900)'::jsonpath) AND (t.doc ? 'k'::text))
 *   (doc ?| '{a,b}'::text[])      (doc @> '{"a": "it''s"}'::jsonb)
 *
 * FindJsonbConditions scans such a string outside quoted literals and
 * identifiers for the operators jsonb_pathx_ops indexes (@>, ?, ?|, ?&,
 * @?, @@), and reads the right operand: a single-quoted literal with
 * doubled quotes (or an E'' literal with backslash escapes), its cast
 * (::jsonb, ::jsonpath, ::text, ::text[]), or ARRAY['a'::text, ...].  The
 * cast tells the jsonb operators from same-named ones of other types
 * (int[] @> int[], tsvector @@ tsquery), which are skipped.  Anything
 * else on the right (a parameter, a column, an expression) is returned
 * with parsed = false and the reason, so that the caller lists it as "not
 * analysed" instead of guessing.
 */
#ifndef PATHX_CLI_PLAN_CONDITIONS_H
#define PATHX_CLI_PLAN_CONDITIONS_H

#include <string>
#include <vector>

namespace pathx
{

struct JsonbCondition
{
	std::string text;			/* "t.doc @> '{...}'::jsonb" as it appears */
	std::string left;			/* "t.doc" */
	std::string op;				/* "@>", "?", "?|", "?&", "@?", "@@" */
	bool		parsed = false;
	std::string value;			/* the literal, unquoted (jsonb, jsonpath or key text) */
	std::vector<std::string> keys;	/* ?| and ?&: the array elements (NULLs left out) */
	std::string problem;		/* when !parsed: why */
};

std::vector<JsonbCondition> FindJsonbConditions(const std::string &condition);

/* Elements of a PostgreSQL array literal ({a,"b c",NULL}); false when malformed.
 * NULL elements are left out (they never match a key). */
bool		ParseTextArray(const std::string &literal, std::vector<std::string> *items);

/* The last identifier of a column reference ("t.doc" -> "doc", "\"My Doc\"" -> "My Doc"),
 * "" when the left side is not a plain column. */
std::string ColumnOfOperand(const std::string &left);

/* A jsonpath string literal: "a\"b". */
std::string JsonPathString(const std::string &s);

/*
 * The jsonpath (for @@) that searches the same keys as a key-existence
 * operator: doc ? 'k' holds when k is a top-level member or a top-level
 * string element, i.e. exists($."k") || $ == "k"; ?| is the OR of these,
 * ?& the AND.  "" when there are no keys.
 */
std::string KeyOperatorAsJsonPath(const std::string &op, const std::vector<std::string> &keys);

/* The first keyword of a statement (lower case), skipping blanks, comments and "(". */
std::string FirstKeyword(const std::string &sql);

/* True for statements that only read: SELECT, WITH, VALUES, TABLE. */
bool		IsQueryStatement(const std::string &sql);

}							/* namespace pathx */

#endif							/* PATHX_CLI_PLAN_CONDITIONS_H */
