/*-------------------------------------------------------------------------
 *
 * sql_forms.cpp
 *	  Necessary jsonpath conditions for application SQL forms.
 *
 * Forms ('form' argument of DeriveFormCondition), on the value V at the
 * source's path P, and what each derives (alternatives are OR-ed):
 *
 *	 exists				V IS NOT NULL, V <> x, any strict test of V:
 *						exists(P)
 *	 text_eq x			text of V = x: the string x; the number x when x is
 *						a number as numeric_out prints it; true/false when x
 *						is 'true'/'false'; an object / array when x starts
 *						with '{' / '['
 *	 text_like pat		text_prefix of the pattern's literal prefix
 *	 text_true			the text of V cast to boolean is true: the boolean
 *						true, the number 1, or a string (boolin's words)
 *	 text_false			the same for false: false, 0, or a string
 *	 text_prefix x		text of V starts with x: strings starting with x;
 *						any number when x could begin a number's text;
 *						true/false when x begins 'true'/'false'; containers
 *						when x begins with '{' / '['; exists(P) for x = ''
 *	 text_lt/le/gt/ge x	byte order only (the caller checks the collation):
 *						strings in the range, and each other type whose
 *						texts can fall in the range
 *	 num_<op>:<flags> c	a cast of V (or of its text) to a number compared
 *						with c.  Flags: 't' the cast reads V's text (so any
 *						string at P may convert), 'j' it reads jsonb (only
 *						numbers convert), 'r' the chain rounds to an
 *						integer (widen by 0.5), '4' / '8' it rounds to float4
 *						/ float8 (widen relatively); 'x' exact
 *	 jsonb_eq c			V = c: c's scalars at their paths (containers: c's
 *						structure with [*] per array level)
 *	 jsonb_<op>[:c] c	V <op> c in jsonb's cross-type order; ':c' when
 *						jsonb string order is byte order
 *	 jsonb_contains c	V @> c; a scalar c is also found as an element
 *	 num_range:<flags>	lo_op lo hi_op hi: both bounds of one value, one scan
 *	 jsonb_range		the same for jsonb comparisons with two numbers (only
 *						numbers lie between two numbers in jsonb's order)
 *	 jsonb_key k		V ? k: member k, or the string k (as element)
 *	 jsonb_any_key ks	V ?| ks (OR); jsonb_all_keys ks: V ?& ks (AND)
 *
 * Each form is written here over every reading of the source's path
 * (Alternatives); the text of a test on one path is written in
 * form_conditions.cpp, and constants are read and literals written in
 * json_text.cpp (shared declarations in sql_forms_internal.h).
 *
 * extension/src/core/sql_forms.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/sql_forms.h"
#include "core/sql_forms_internal.h"

#include <string>
#include <utility>
#include <vector>

namespace pathx
{

using forms_internal::And;
using forms_internal::Filter;
using forms_internal::HasKey;
using forms_internal::IsNumberText;
using forms_internal::Json;
using forms_internal::JsonReader;
using forms_internal::JsonbCompare;
using forms_internal::Key;
using forms_internal::LikePrefix;
using forms_internal::NumberCondition;
using forms_internal::NumFlags;
using forms_internal::Op;
using forms_internal::Or;
using forms_internal::OpText;
using forms_internal::ParseNumFlags;
using forms_internal::ParseOp;
using forms_internal::ScalarLiteral;
using forms_internal::StartsWith;
using forms_internal::Structure;
using forms_internal::TextEq;
using forms_internal::TextPrefix;
using forms_internal::TextRange;
using forms_internal::TypeIs;
using forms_internal::Widen;

namespace
{

/* More path alternatives than this (from #> elements like '0') are not spelled out. */
constexpr size_t kMaxAlternatives = 16;

/* IN lists longer than this are narrowed to existence only. */
constexpr size_t kMaxValues = 1000;

/* The jsonpath of the source value, once per reading of ambiguous steps. */
std::vector<std::string>
Alternatives(const FormSource &src, size_t nsteps)
{
	std::vector<std::string> paths;

	if (src.base.empty())
		paths.push_back("$");
	else
		paths.push_back("(" + SplitJsonPathMode(src.base).second + ")");
	for (size_t i = 0; i < nsteps; i++)
	{
		const FormStep &s = src.steps[i];
		std::vector<std::string> next;

		for (const std::string &p : paths)
		{
			if (s.kind != FormStepKind::kIndex)
				next.push_back(Key(p, s.name));
			if (s.kind != FormStepKind::kKey)
				next.push_back(p + "[*]");
		}
		paths.swap(next);
	}
	return paths;
}

/*
 * A lower and an upper bound on one value (BETWEEN, or >= and <= on the
 * same expression): values = {lo_op, lo, hi_op, hi}, ops gt/ge and lt/le.
 * Written in strict mode, "@ >= lo && @ <= hi" is one range scan (the
 * builder merges the bounds only there, see query_expr.cpp); strict is
 * exact here because the tested value is one scalar at an exact
 * structural path, the only case in which a number cast succeeds.
 */
bool
RangeCondition(const FormSource &src, const std::string &flags,
			   const std::vector<std::string> &values, std::string *out)
{
	NumFlags	f;
	Op			lo_op,
				hi_op;
	std::string lo,
				hi;

	if (values.size() != 4 || !src.base.empty() || !ParseNumFlags(flags, &f) ||
		!ParseOp(values[0], &lo_op) || !ParseOp(values[2], &hi_op) ||
		!(lo_op == Op::kGt || lo_op == Op::kGe) || !(hi_op == Op::kLt || hi_op == Op::kLe) ||
		!IsNumberText(values[1]) || !IsNumberText(values[3]))
		return false;

	bool		exact = !f.rounds_int && f.rel == 0;

	if (!Widen(values[1], f, true, &lo) || !Widen(values[3], f, false, &hi))
		return false;

	std::string cond = std::string("@ ") + (exact ? OpText(lo_op) : ">=") + " " + lo + " && @ " +
		(exact ? OpText(hi_op) : "<=") + " " + hi;
	std::vector<std::string> per_path;

	for (const std::string &p : Alternatives(src, src.steps.size()))
	{
		std::vector<std::string> alts;

		if (f.from_text)
			alts.push_back(TypeIs(p, "string"));
		alts.push_back(Filter(p, cond));
		per_path.push_back(Or(alts));
	}
	*out = "strict " + Or(per_path);
	return true;
}

}							/* namespace */

bool
DecodeFormSource(const std::vector<std::string> &elems, FormSource *out)
{
	out->base.clear();
	out->steps.clear();
	for (size_t i = 0; i < elems.size(); i++)
	{
		const std::string &e = elems[i];

		if (e.empty())
			return false;
		if (e[0] == 'p' && i == 0)
		{
			out->base = e.substr(1);
			if (out->base.empty())
				return false;
			continue;
		}
		FormStep	s;

		if (e[0] == 'k')
			s.kind = FormStepKind::kKey;
		else if (e[0] == 'i')
			s.kind = FormStepKind::kIndex;
		else if (e[0] == 'a')
			s.kind = FormStepKind::kKeyOrIndex;
		else
			return false;
		s.name = e.substr(1);
		out->steps.push_back(std::move(s));
	}
	return true;
}

std::vector<std::string>
EncodeFormSource(const FormSource &src)
{
	std::vector<std::string> out;

	if (!src.base.empty())
		out.push_back("p" + src.base);
	for (const FormStep &s : src.steps)
	{
		char		tag = s.kind == FormStepKind::kKey ? 'k'
			: s.kind == FormStepKind::kIndex ? 'i' : 'a';

		out.push_back(std::string(1, tag) + s.name);
	}
	return out;
}

bool
DeriveFormCondition(const FormSource &src, const std::string &form,
					const std::vector<std::string> &values, std::string *out)
{
	std::string name = form,
				flags;
	size_t		colon = form.find(':');

	if (colon != std::string::npos)
	{
		name = form.substr(0, colon);
		flags = form.substr(colon + 1);
	}

	/*
	 * Ambiguous steps double the alternatives.  Past the limit, only the
	 * longest prefix with few enough readings is kept, and only its
	 * existence is required: the value below it exists only if its
	 * ancestors do (as members holding containers).
	 */
	size_t		nsteps = src.steps.size();
	size_t		nalt = 1;
	bool		truncated = false;

	for (size_t i = 0; i < src.steps.size(); i++)
	{
		if (src.steps[i].kind == FormStepKind::kKeyOrIndex)
			nalt *= 2;
		if (nalt > kMaxAlternatives)
		{
			nsteps = i;
			truncated = true;
			break;
		}
	}
	if (truncated)
	{
		if (nsteps == 0 && src.base.empty())
			return false;		/* existence of the document itself: no narrowing */
		name = "exists";
	}
	if (values.size() > kMaxValues)
		name = "exists";
	if ((name == "num_range" || name == "jsonb_range") && !truncated)
		return RangeCondition(src, name == "num_range" ? flags : "j", values, out);
	if (name == "exists" && nsteps == 0 && src.base.empty())
		return false;

	std::vector<std::string> paths = Alternatives(src, nsteps);
	std::vector<std::string> per_path;

	for (const std::string &p : paths)
	{
		std::vector<std::string> alts;

		if (name == "exists")
		{
			per_path.push_back("exists(" + p + ")");
			continue;
		}
		if (name == "text_false")
		{
			/* boolin's false: the boolean false, the number 0, or some string */
			per_path.push_back(Or({Filter(p, "@ == false"), Filter(p, "@ == 0"),
								   TypeIs(p, "string")}));
			continue;
		}
		if (name == "text_true")
		{
			/*
			 * boolin accepts true, 1, and strings (yes, on, t, ' TRUE '):
			 * the boolean, the number 1, or some string
			 */
			per_path.push_back(Or({Filter(p, "@ == true"), Filter(p, "@ == 1"),
								   TypeIs(p, "string")}));
			continue;
		}
		if (values.empty())
			return false;
		for (const std::string &v : values)
		{
			if (name == "text_eq")
				alts.push_back(TextEq(p, v));
			else if (name == "text_prefix")
				alts.push_back(TextPrefix(p, v));
			else if (name == "text_like")
				alts.push_back(TextPrefix(p, LikePrefix(v)));
			else if (StartsWith(name, "text_"))
			{
				Op			op;

				if (!ParseOp(name.substr(5), &op))
					return false;
				alts.push_back(TextRange(p, op, v));
			}
			else if (StartsWith(name, "num_"))
			{
				Op			op;
				NumFlags	f;
				std::string cond;

				if (!ParseOp(name.substr(4), &op) || !ParseNumFlags(flags, &f))
					return false;
				/* a comparison that no number or string can satisfy adds nothing */
				if (NumberCondition(p, op, v, f, &cond))
					alts.push_back(cond);
			}
			else if (name == "jsonb_key" || name == "jsonb_any_key" || name == "jsonb_all_keys")
				alts.push_back(HasKey(p, v));
			else if (StartsWith(name, "jsonb_"))
			{
				Json		c;
				JsonReader	reader(v);

				if (!reader.Read(&c))
					return false;
				bool		scalar = c.type != Json::Type::kObject && c.type != Json::Type::kArray;

				if (name == "jsonb_eq" || name == "jsonb_contains")
				{
					std::vector<std::string> conds;

					Structure(p, c, &conds);
					if (conds.empty())
						alts.push_back("exists(" + p + ")");
					else
						alts.push_back(And(conds));
					/* an array contains a scalar it has as an element */
					if (name == "jsonb_contains" && scalar)
						alts.push_back(Filter(p + "[*]", "@ == " + ScalarLiteral(c)));
				}
				else
				{
					Op			op;

					if (!ParseOp(name.substr(6), &op) || op == Op::kEq)
						return false;
					if (!scalar)
						alts.push_back("exists(" + p + ")");
					else
						alts.push_back(JsonbCompare(p, op, c, flags == "c"));
				}
			}
			else
				return false;
		}
		if (alts.empty())
			continue;			/* nothing at this reading of the path can match */
		per_path.push_back(name == "jsonb_all_keys" ? And(alts) : Or(alts));
	}
	if (per_path.empty())
	{
		/*
		 * No value anywhere can satisfy the test (a number cast compared
		 * with NaN, say).  Saying "no row" would be right, but rare enough
		 * not to need its own index search: require existence.
		 */
		if (nsteps == 0 && src.base.empty())
			return false;
		per_path.clear();
		for (const std::string &p : paths)
			per_path.push_back("exists(" + p + ")");
	}
	*out = Or(per_path);
	return true;
}

}							/* namespace pathx */

