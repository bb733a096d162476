/*-------------------------------------------------------------------------
 *
 * sql_forms.h
 *	  From the SQL that applications write (doc->>'k' = $1, casts, LIKE,
 *	  jsonb comparisons, jsonpath variables) to a jsonpath whose index
 *	  search is a necessary condition of that SQL.
 *
 * The planner glue (pg/pathx_derive.cpp) recognises a clause such as
 * (doc #>> '{user,email}') LIKE 'abc%' and describes it as a FormSource
 * (where the value comes from) plus a form (what is tested) plus constant
 * values.  DeriveFormCondition turns that into jsonpath text J for
 * `doc @@ J`, the lossy index condition that goes next to the original
 * clause; the executor always rechecks the original clause.
 *
 * The rule: whenever the original clause is true for a document, J is
 * true for it.  J is a carrier for the index search, but keeping it a true
 * necessary condition (and not only its key search) makes two proofs
 * compose: the jsonpath builder (query_expr.h) guarantees that J's key
 * search is necessary for J, and here we guarantee that J is necessary for
 * the clause.  It also keeps the planner's estimate of the index scan
 * (matchingsel evaluates J on sampled documents) honest.
 *
 * J is written in lax mode with an explicit [*] for every array step of
 * the source: lax member accessors skip non-objects without an error (so
 * heterogeneous arrays cannot hide a match), lax [*] on a non-array yields
 * the item itself, and lax filters and comparisons unwrap arrays, all of
 * which can only add matches.  Type tests use `P.type() == "t"`, which
 * does not unwrap, never a filter (a lax filter would look inside an
 * array instead of at it).
 *
 * The traps, each handled below where it arises:
 *	 - ->> and #>> give the text of numbers, booleans and containers too:
 *	   '1' is the number 1 or the string "1", 'true' the boolean, '{...}' an
 *	   object; JSON null gives SQL NULL, so it never compares true;
 *	 - LIKE 'lit%' on text also matches numbers (12 for '1%'), booleans
 *	   ('t%') and containers ('{%');
 *	 - text comparisons follow the collation: only byte order (the C
 *	   collation) can be mapped to jsonpath's code point order, and even
 *	   then numbers, booleans and containers have texts in the range;
 *	 - casts round: (doc->'n')::int >= 5 holds for 4.5, float casts round
 *	   to 24 or 53 bits; casts of text also accept strings (' 5000', '1e4',
 *	   'Infinity', 'NaN'), so a text cast keeps "some string at P";
 *	 - #>> / #> path elements and subscripts that look like integers index
 *	   arrays or name object members ("0"): both readings are searched;
 *	 - jsonb comparison orders types: null < strings < numbers < booleans <
 *	   non-empty arrays < objects, and an empty array is below every scalar;
 *	   jsonb string order follows the database collation;
 *	 - containment matches array elements at the same nesting level, except
 *	   that an array contains a bare scalar it holds as an element.
 *	 - = under a nondeterministic collation is not byte equality: such a
 *	   clause only requires the path to exist (the glue checks).
 * Where a form cannot be narrowed exactly it is narrowed less, never
 * wrongly: in the end, "some value exists at P" is necessary for any
 * strict test of the value at P.
 *
 * Errors.  A row on which the clause raises an error ((doc->'n')::int on
 * "x" or on 1e10) is not a row on which it is true, and J need not hold
 * there: the index does not fetch rows its search rules out, so a query
 * that would fail in a seq scan on such a row can succeed through the
 * index.  That is how every PostgreSQL index behaves (an expression
 * index on (doc->'n')::int could not even be built over such rows), and
 * SQL leaves the order of evaluation, and so which rows are evaluated,
 * open.  The differential tests accept it and nothing else.
 *
 * Where it is done: sql_forms.cpp (the forms, the source's encoding),
 * form_conditions.cpp (the condition text of one test on one path),
 * json_text.cpp (JSON constants, jsonpath literals, variable substitution).
 *
 * extension/src/core/sql_forms.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_SQL_FORMS_H
#define PATHX_SQL_FORMS_H

#include "core/no_postgres.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pathx
{

/* One step below the source's base value. */
enum class FormStepKind : uint8_t
{
	kKey,						/* -> 'k': an object member only */
	kIndex,						/* -> 0: an array element only */
	kKeyOrIndex,				/* #> '{0}', ['0']: member "0" or element 0 */
};

struct FormStep
{
	FormStepKind kind;
	std::string name;
};

/*
 * Where the tested value comes from: the document root, or the first item
 * of a jsonpath (jsonb_path_query_first(doc, base), variables already
 * substituted), then member and element steps.
 */
struct FormSource
{
	std::string base;			/* jsonpath text; empty: the document itself */
	std::vector<FormStep> steps;
};

/*
 * Decode the glue's text encoding of a source (SQL array elements, so the
 * same description can be a constant argument of jsonb_pathx_condition):
 * "k<name>", "i<n>", "a<name>" per step, optionally led by "p<jsonpath>".
 * Returns false for anything else.
 */
bool		DecodeFormSource(const std::vector<std::string> &elems, FormSource *out);
std::vector<std::string> EncodeFormSource(const FormSource &src);

/*
 * Derive the condition.  'form' names the test (see sql_forms.cpp for the
 * list: "text_eq", "text_prefix", "num_gt:t8", "jsonb_contains", ...);
 * 'values' are its constants as text: the SQL text value, a number as the
 * server prints it (numeric_out, float8out: "1.5", "1e+20", "NaN",
 * "-Infinity"), or jsonb as JSON text; several values mean IN / ANY (OR),
 * or the key list of ?| (OR) and ?& (AND).
 *
 * On success '*out' is jsonpath text for @@.  Returns false when no
 * narrowing condition can be derived (the caller then adds none).
 */
bool		DeriveFormCondition(const FormSource &src, const std::string &form,
								const std::vector<std::string> &values, std::string *out);

/*
 * Replace the variables of a jsonpath, as PostgreSQL prints it ($"name"
 * outside string literals), by literals from 'vars': name -> JSON text of
 * a scalar.  A variable that is missing or bound to an object or array
 * makes the whole substitution fail (returns false): a container variable
 * has lax unwrapping semantics that no literal reproduces.
 */
bool		SubstituteJsonPathVariables(const std::string &path,
										const std::vector<std::pair<std::string, std::string>> &vars,
										std::string *out);

/* Split "strict $.a" / "lax $.a" / "$.a" into (is_strict, body). */
std::pair<bool, std::string> SplitJsonPathMode(const std::string &path);

/* jsonpath / JSON string literal for UTF-8 (or server-encoded) bytes. */
std::string JsonPathStringLiteral(const std::string &s);

}							/* namespace pathx */

#endif /* PATHX_SQL_FORMS_H */
