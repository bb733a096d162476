/*-------------------------------------------------------------------------
 *
 * form_conditions.cpp
 *	  The jsonpath text of one test on the value at one path: what
 *	  DeriveFormCondition (sql_forms.cpp) writes for each reading of the
 *	  source's path.
 *
 * Every condition is written so that it is true whenever the SQL test is,
 * which core/sql_forms.h argues trap by trap; here is how each is spelled.
 *
 * The building blocks.  A test of the value is a filter, exists(P ? (c)),
 * never a bare comparison: lax filters unwrap arrays, which can only add
 * matches.  A test of the type is P.type() == "t", which does not unwrap
 * (a filter would look inside an array instead of at it).  Alternatives
 * are parenthesised and joined with || (Or), conjuncts with && (And); a
 * single part stands as it is.  Member names are always quoted (Key).
 *
 * Text.  The text of a jsonb value (->>, #>>) is also the text of a
 * number, a boolean or a container: TextEq, TextPrefix and TextRange add
 * the other types whose texts can satisfy the test.  Numbers print as
 * [-0-9][0-9.]*, containers begin with { or [, booleans are the words
 * true and false; HoldsBytes and RangeMeets decide, in byte order, whether
 * a word or a range of first bytes can meet the comparison.
 *
 * Numbers.  A cast of V compared with a constant becomes a filter on the
 * numbers at P, with the bounds widened (Widen) by what the cast's
 * rounding can move a value: 0.5 for a cast to an integer or a scale,
 * relatively for float4 / float8; a cast of text also converts strings
 * (' 5000', 'NaN'), so any string at P stays a candidate.  NaN and the infinities have no
 * jsonb counterpart and are decided by which side of every number they
 * sort on.
 *
 * jsonb.  = and @> require the constant's structure and scalars
 * (Structure), each at its path, arrays one [*] deeper.  <, <=, > and >=
 * follow jsonb's cross-type order (null < strings < numbers < booleans <
 * containers, an empty array below every scalar): every type above or
 * below the constant's rank, and within its own type a filter
 * (JsonbCompare); strings compare bytewise only in the C collation, else
 * any string stays a candidate.
 *
 * extension/src/core/form_conditions.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/sql_forms_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace pathx
{

namespace forms_internal
{

namespace
{

/* Does 'a <op> b' hold, for byte strings? */
bool
HoldsBytes(const std::string &a, Op op, const std::string &b)
{
	int			c = a.compare(b);

	switch (op)
	{
		case Op::kEq:
			return c == 0;
		case Op::kLt:
			return c < 0;
		case Op::kLe:
			return c <= 0;
		case Op::kGt:
			return c > 0;
		case Op::kGe:
			return c >= 0;
	}
	return true;
}

/*
 * Could some text t in [lo, hi) (every text starting at lo and sorting
 * before hi) satisfy 't <op> x'?  Used for the texts of numbers, objects
 * and arrays, whose first byte is known.
 */
bool
RangeMeets(const std::string &lo, const std::string &hi, Op op, const std::string &x)
{
	switch (op)
	{
		case Op::kEq:
			return x >= lo && x < hi;
		case Op::kLt:
			return lo < x;
		case Op::kLe:
			return lo <= x;
		case Op::kGt:
		case Op::kGe:
			return x < hi;
	}
	return true;
}

/* Could x be the beginning of a number's text ("-", "1", "12.", "-0.5")? */
bool
CouldStartNumberText(const std::string &x)
{
	for (char c : x)
		if (!((c >= '0' && c <= '9') || c == '-' || c == '.'))
			return false;
	return true;
}

/* jsonb's cross-type order: null < string < number < boolean < containers. */
int
JsonbRank(Json::Type t)
{
	switch (t)
	{
		case Json::Type::kNull:
			return 0;
		case Json::Type::kString:
			return 1;
		case Json::Type::kNumber:
			return 2;
		case Json::Type::kBool:
			return 3;
		default:
			return 4;
	}
}

/* "any value of rank r" at path */
std::string
AnyOfRank(const std::string &path, int r)
{
	switch (r)
	{
		case 0:
			return Filter(path, "@ == null");
		case 1:
			return TypeIs(path, "string");
		case 2:
			return TypeIs(path, "number");
		case 3:
			return TypeIs(path, "boolean");
		default:
			return Or({TypeIs(path, "object"), TypeIs(path, "array")});
	}
}

}							/* namespace */

bool
ParseOp(const std::string &s, Op *op)
{
	if (s == "eq")
		*op = Op::kEq;
	else if (s == "lt")
		*op = Op::kLt;
	else if (s == "le")
		*op = Op::kLe;
	else if (s == "gt")
		*op = Op::kGt;
	else if (s == "ge")
		*op = Op::kGe;
	else
		return false;
	return true;
}

const char *
OpText(Op op)
{
	switch (op)
	{
		case Op::kEq:
			return "==";
		case Op::kLt:
			return "<";
		case Op::kLe:
			return "<=";
		case Op::kGt:
			return ">";
		case Op::kGe:
			return ">=";
	}
	return "==";
}

bool
StartsWith(const std::string &s, const std::string &prefix)
{
	return s.compare(0, prefix.size(), prefix) == 0 && s.size() >= prefix.size();
}

std::string
Or(const std::vector<std::string> &parts)
{
	if (parts.size() == 1)
		return parts[0];
	std::string out;

	for (const std::string &p : parts)
	{
		if (!out.empty())
			out += " || ";
		out += "(" + p + ")";
	}
	return out;
}

std::string
And(const std::vector<std::string> &parts)
{
	if (parts.size() == 1)
		return parts[0];
	std::string out;

	for (const std::string &p : parts)
	{
		if (!out.empty())
			out += " && ";
		out += "(" + p + ")";
	}
	return out;
}

std::string
Filter(const std::string &path, const std::string &cond)
{
	return "exists(" + path + " ? (" + cond + "))";
}

std::string
TypeIs(const std::string &path, const char *type)
{
	return path + ".type() == \"" + type + "\"";
}

std::string
Key(const std::string &path, const std::string &name)
{
	return path + "." + JsonPathStringLiteral(name);
}

/*
 * V (at 'path') has c's structure and scalars: necessary for V = c and for
 * V @> c.  Objects: every member, at its key; arrays: every element, one
 * [*] deeper; empty containers: the type.  Leaves beyond the depth limit
 * are left out (an AND may always drop a condition).
 */
void
Structure(const std::string &path, const Json &c, std::vector<std::string> *conds)
{
	switch (c.type)
	{
		case Json::Type::kObject:
			if (c.members.empty() && !c.too_deep)
				conds->push_back(TypeIs(path, "object"));
			for (const auto &m : c.members)
				Structure(Key(path, m.first), m.second, conds);
			break;
		case Json::Type::kArray:
			if (c.elems.empty() && !c.too_deep)
				conds->push_back(TypeIs(path, "array"));
			for (const Json &e : c.elems)
				Structure(path + "[*]", e, conds);
			break;
		default:
			conds->push_back(Filter(path, "@ == " + ScalarLiteral(c)));
			break;
	}
}

bool
ParseNumFlags(const std::string &s, NumFlags *f)
{
	bool		src = false;

	for (char c : s)
	{
		switch (c)
		{
			case 't':
				f->from_text = true;
				src = true;
				break;
			case 'j':
				src = true;
				break;
			case 'r':
				f->rounds_int = true;
				break;
			case '4':
				f->rel = std::max(f->rel, 1e-5);
				break;
			case '8':
				f->rel = std::max(f->rel, 1e-13);
				break;
			case 'x':
				break;
			default:
				return false;
		}
	}
	return src;
}

/*
 * A bound moved outwards by the cast's rounding.  Computed in double with
 * an extra relative margin that covers the conversion of the constant
 * itself, and an absolute margin for float casts of tiny values (which
 * may round to zero).  Returns false when the bound runs off to infinity
 * (the side is then unbounded).
 */
bool
Widen(const std::string &text, const NumFlags &f, bool down, std::string *out)
{
	if (!f.rounds_int && f.rel == 0)
	{
		*out = text;
		return true;
	}

	double		v = std::strtod(text.c_str(), nullptr);

	/*
	 * Rounding to an integer (or a scale) moves a value by at most 0.5; for
	 * constants below 2^52, v +- 0.5 is exact in double.  Beyond that, and
	 * for float casts, a relative margin also covers the conversion of the
	 * constant itself.
	 */
	double		rel = f.rel + (f.rel > 0 || std::fabs(v) >= 4503599627370496.0 ? 1e-15 : 0.0);
	double		slack = std::fabs(v) * rel + (f.rounds_int ? 0.5 : 0.0) +
		(f.rel > 0 ? 1e-30 : 0.0);
	double		w = down ? v - slack : v + slack;
	char		buf[64];

	if (!std::isfinite(w))
		return false;
	std::snprintf(buf, sizeof(buf), "%.17g", w);
	*out = buf;
	return IsNumberText(*out);
}

/* Number conditions at one path for 'cast(V) <op> c'. */
bool
NumberCondition(const std::string &path, Op op, const std::string &c, const NumFlags &f,
				std::string *out)
{
	std::vector<std::string> alts;
	const bool	exact = !f.rounds_int && f.rel == 0;

	/* strings convert too, to anything (' 5000', 'NaN', 'Infinity') */
	if (f.from_text)
		alts.push_back(TypeIs(path, "string"));

	if (c == "NaN")
	{
		/* NaN sorts above every number: only < and <= reach numbers */
		if (op == Op::kLt || op == Op::kLe)
			alts.push_back(TypeIs(path, "number"));
	}
	else if (c == "Infinity" || c == "-Infinity")
	{
		/* jsonb holds no infinities: one side reaches every number */
		bool		pos = c[0] != '-';

		if ((pos && (op == Op::kLt || op == Op::kLe)) ||
			(!pos && (op == Op::kGt || op == Op::kGe)))
			alts.push_back(TypeIs(path, "number"));
	}
	else
	{
		if (!IsNumberText(c))
			return false;
		if (exact)
			alts.push_back(Filter(path, std::string("@ ") + OpText(op) + " " + c));
		else
		{
			std::string lo,
						hi;
			bool		has_lo = op == Op::kEq || op == Op::kGt || op == Op::kGe;
			bool		has_hi = op == Op::kEq || op == Op::kLt || op == Op::kLe;
			std::vector<std::string> cmp;

			if (has_lo && Widen(c, f, true, &lo))
				cmp.push_back("@ >= " + lo);
			if (has_hi && Widen(c, f, false, &hi))
				cmp.push_back("@ <= " + hi);
			if (cmp.empty())
				alts.push_back(TypeIs(path, "number"));
			else
				alts.push_back(Filter(path, cmp.size() == 1 ? cmp[0] : cmp[0] + " && " + cmp[1]));
		}
	}
	if (alts.empty())
		return false;
	*out = Or(alts);
	return true;
}

/*
 * The literal text every match of a LIKE pattern starts with: up to the
 * first unescaped % or _, with \ escaping the next character (the default
 * escape; LIKE ... ESCAPE arrives rewritten to it by like_escape()).
 */
std::string
LikePrefix(const std::string &pattern)
{
	std::string prefix;

	for (size_t i = 0; i < pattern.size(); i++)
	{
		char		c = pattern[i];

		if (c == '%' || c == '_')
			break;
		if (c == '\\')
		{
			if (++i >= pattern.size())
				break;
			c = pattern[i];
		}
		prefix += c;
	}
	return prefix;
}

/* Text of V = x, starts with x, or compares with x (byte order). */
std::string
TextEq(const std::string &path, const std::string &x)
{
	std::vector<std::string> alts;

	alts.push_back(Filter(path, "@ == " + JsonPathStringLiteral(x)));
	if (IsNumberText(x) && x.find_first_of("eE") == std::string::npos)
		alts.push_back(Filter(path, "@ == " + x));
	if (x == "true" || x == "false")
		alts.push_back(Filter(path, "@ == " + x));
	if (!x.empty() && x[0] == '{')
		alts.push_back(TypeIs(path, "object"));
	if (!x.empty() && x[0] == '[')
		alts.push_back(TypeIs(path, "array"));
	return Or(alts);
}

std::string
TextPrefix(const std::string &path, const std::string &x)
{
	std::vector<std::string> alts;

	if (x.empty())
		return "exists(" + path + ")";
	alts.push_back(Filter(path, "@ starts with " + JsonPathStringLiteral(x)));
	if (CouldStartNumberText(x))
		alts.push_back(TypeIs(path, "number"));
	if (StartsWith("true", x))
		alts.push_back(Filter(path, "@ == true"));
	if (StartsWith("false", x))
		alts.push_back(Filter(path, "@ == false"));
	if (x[0] == '{')
		alts.push_back(TypeIs(path, "object"));
	if (x[0] == '[')
		alts.push_back(TypeIs(path, "array"));
	return Or(alts);
}

std::string
TextRange(const std::string &path, Op op, const std::string &x)
{
	std::vector<std::string> alts;

	alts.push_back(Filter(path, std::string("@ ") + OpText(op) + " " + JsonPathStringLiteral(x)));
	/* numbers print as [-0-9][0-9.]*: texts in ["-", ":") */
	if (RangeMeets("-", ":", op, x))
		alts.push_back(TypeIs(path, "number"));
	if (HoldsBytes("true", op, x))
		alts.push_back(Filter(path, "@ == true"));
	if (HoldsBytes("false", op, x))
		alts.push_back(Filter(path, "@ == false"));
	if (RangeMeets("{", "|", op, x))
		alts.push_back(TypeIs(path, "object"));
	if (RangeMeets("[", "\\", op, x))
		alts.push_back(TypeIs(path, "array"));
	return Or(alts);
}

/* V <op> c in jsonb's order, c a scalar. */
std::string
JsonbCompare(const std::string &path, Op op, const Json &c, bool bytewise_strings)
{
	int			r = JsonbRank(c.type);
	std::vector<std::string> alts;
	bool		up = op == Op::kGt || op == Op::kGe;

	for (int t = 0; t <= 4; t++)
	{
		if ((up && t > r) || (!up && t < r))
			alts.push_back(AnyOfRank(path, t));
	}
	/* an empty array sorts below every scalar */
	if (!up)
		alts.push_back(TypeIs(path, "array"));

	/* the same type */
	switch (c.type)
	{
		case Json::Type::kNull:
			if (op == Op::kLe || op == Op::kGe)
				alts.push_back(Filter(path, "@ == null"));
			break;
		case Json::Type::kBool:
			{
				/* false < true */
				bool		want_true = (op == Op::kGt && !c.b) || (op == Op::kGe) ||
					(op == Op::kLe && c.b);
				bool		want_false = (op == Op::kLt && c.b) || (op == Op::kLe) ||
					(op == Op::kGe && !c.b);

				if (want_true)
					alts.push_back(Filter(path, "@ == true"));
				if (want_false)
					alts.push_back(Filter(path, "@ == false"));
				break;
			}
		case Json::Type::kNumber:
			alts.push_back(Filter(path, std::string("@ ") + OpText(op) + " " + c.text));
			break;
		case Json::Type::kString:
			if (bytewise_strings)
				alts.push_back(Filter(path, std::string("@ ") + OpText(op) + " " +
									  JsonPathStringLiteral(c.text)));
			else
				alts.push_back(TypeIs(path, "string"));
			break;
		default:
			break;
	}
	return Or(alts);
}

std::string
HasKey(const std::string &path, const std::string &k)
{
	return Or({"exists(" + Key(path, k) + ")", Filter(path, "@ == " + JsonPathStringLiteral(k))});
}

}							/* namespace forms_internal */

}							/* namespace pathx */

