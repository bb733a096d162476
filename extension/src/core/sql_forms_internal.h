/*-------------------------------------------------------------------------
 *
 * sql_forms_internal.h
 *	  The pieces DeriveFormCondition is made of, shared by the files of the
 *	  form derivation; not for the glue.
 *
 * The derivation of a necessary jsonpath condition (core/sql_forms.h)
 * lives in three files:
 *	 - sql_forms.cpp: the forms, one by one, over every reading of the
 *	   source's path (DeriveFormCondition), and the source's encoding;
 *	 - form_conditions.cpp: the jsonpath text of a test on one path, per
 *	   kind of value (text, number, jsonb) with the traps of each;
 *	 - json_text.cpp: reading the constants (JSON text, jsonb_out's
 *	   output) and writing jsonpath literals, also for the substitution of
 *	   jsonpath variables.
 * This header declares what one of them defines and another uses, in
 * namespace pathx::forms_internal.  Everything returns text or fills
 * plain structs; nothing here sees PostgreSQL.
 *
 * extension/src/core/sql_forms_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_SQL_FORMS_INTERNAL_H
#define PATHX_SQL_FORMS_INTERNAL_H

#include "core/no_postgres.h"
#include "core/sql_forms.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pathx
{

namespace forms_internal
{

enum class Op
{
	kEq,
	kLt,
	kLe,
	kGt,
	kGe,
};

/* An operator name of a form (eq lt le gt ge); false for anything else. */
bool		ParseOp(const std::string &s, Op *op);

/* The jsonpath spelling of 'op': == < <= > >= */
const char *OpText(Op op);

/* A JSON number as numeric_out (or float8out) prints it, also valid jsonpath. */

bool		IsNumberText(const std::string &s);

/* Does 's' start with 'prefix'? */
bool		StartsWith(const std::string &s, const std::string &prefix);

/* ---------- a small JSON reader for jsonb constants (json_text.cpp) ---------- */

struct Json
{
	enum class Type
	{
		kNull,
		kBool,
		kNumber,
		kString,
		kArray,
		kObject,
	};

	Type		type = Type::kNull;
	std::string text;			/* number text, string value */
	bool		b = false;
	std::vector<std::pair<std::string, Json>> members;
	std::vector<Json> elems;
	bool		too_deep = false;	/* contents beyond kMaxJsonDepth not kept */
};

class JsonReader
{
public:
	/* keeps its own copy: callers pass temporaries (substr) */
	explicit JsonReader(std::string s) : s_(std::move(s)) {}

	bool Read(Json *out);

private:
	void Space();
	bool Literal(const char *word);
	static void AppendUtf8(std::string &out, uint32_t cp);
	bool Hex4(uint32_t *v);
	bool String(std::string *out);
	bool Value(Json *out, int depth);

	const std::string s_;
	size_t		pos_ = 0;
};

/* A scalar as a jsonpath literal: null, true, 1.5, "x" (json_text.cpp). */
std::string ScalarLiteral(const Json &v);

/* ---------- condition text (form_conditions.cpp) ---------- */

/* (a) || (b) ...; (a) && (b) ...; a single part as it is */
std::string Or(const std::vector<std::string> &parts);
std::string And(const std::vector<std::string> &parts);

/* exists(path ? (cond)) */
std::string Filter(const std::string &path, const std::string &cond);

/* path.type() == "type" */
std::string TypeIs(const std::string &path, const char *type);

/* path."name" */
std::string Key(const std::string &path, const std::string &name);

/*
 * V (at 'path') has c's structure and scalars: necessary for V = c and for
 * V @> c.  Objects: every member, at its key; arrays: every element, one
 * [*] deeper; empty containers: the type.  Leaves beyond the depth limit
 * are left out (an AND may always drop a condition).
 */
void		Structure(const std::string &path, const Json &c, std::vector<std::string> *conds);

/* Numeric bounds, widened for casts that round. */
struct NumFlags
{
	bool		from_text = false;
	bool		rounds_int = false;
	double		rel = 0;			/* relative rounding of float casts */
};

/* The flags of a num_ form: t j r 4 8 x; false unless t or j is among them. */
bool		ParseNumFlags(const std::string &s, NumFlags *f);

/*
 * A bound moved outwards by the cast's rounding.  Computed in double with
 * an extra relative margin that covers the conversion of the constant
 * itself, and an absolute margin for float casts of tiny values (which
 * may round to zero).  Returns false when the bound runs off to infinity
 * (the side is then unbounded).
 */
bool		Widen(const std::string &text, const NumFlags &f, bool down, std::string *out);

/* Number conditions at one path for 'cast(V) <op> c'. */

bool		NumberCondition(const std::string &path, Op op, const std::string &c,
							const NumFlags &f, std::string *out);

/*
 * The literal text every match of a LIKE pattern starts with: up to the
 * first unescaped % or _, with \ escaping the next character (the default
 * escape; LIKE ... ESCAPE arrives rewritten to it by like_escape()).
 */
std::string LikePrefix(const std::string &pattern);

/* Text of V = x, starts with x, or compares with x (byte order). */

std::string TextEq(const std::string &path, const std::string &x);
std::string TextPrefix(const std::string &path, const std::string &x);
std::string TextRange(const std::string &path, Op op, const std::string &x);

/* V <op> c in jsonb's order, c a scalar. */

std::string JsonbCompare(const std::string &path, Op op, const Json &c, bool bytewise_strings);

/* V ? k: member k, or the string k as an element */
std::string HasKey(const std::string &path, const std::string &k);

}							/* namespace forms_internal */

}							/* namespace pathx */

#endif							/* PATHX_SQL_FORMS_INTERNAL_H */
