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
 * extension/src/core/sql_forms.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/sql_forms.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace pathx
{

namespace
{

/* More path alternatives than this (from #> elements like '0') are not spelled out. */
constexpr size_t kMaxAlternatives = 16;

/* IN lists longer than this are narrowed to existence only. */
constexpr size_t kMaxValues = 1000;

/* Constants nested deeper than this contribute nothing below that level. */
constexpr int kMaxJsonDepth = 64;

enum class Op
{
	kEq,
	kLt,
	kLe,
	kGt,
	kGe,
};

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

/* A JSON number as numeric_out (or float8out) prints it, also valid jsonpath. */
bool
IsNumberText(const std::string &s)
{
	size_t		i = 0,
				n = s.size();

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return false;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.')
	{
		size_t		start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t		start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == n;
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

bool
StartsWith(const std::string &s, const std::string &prefix)
{
	return s.compare(0, prefix.size(), prefix) == 0 && s.size() >= prefix.size();
}

/* ---------- a small JSON reader for jsonb constants (jsonb_out text) ---------- */

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

	bool Read(Json *out)
	{
		if (!Value(out, 0))
			return false;
		Space();
		return pos_ == s_.size();
	}

private:
	void Space()
	{
		while (pos_ < s_.size() &&
			   (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
			pos_++;
	}

	bool Literal(const char *word)
	{
		size_t		n = std::char_traits<char>::length(word);

		if (s_.compare(pos_, n, word) != 0)
			return false;
		pos_ += n;
		return true;
	}

	static void AppendUtf8(std::string &out, uint32_t cp)
	{
		if (cp < 0x80)
			out += static_cast<char>(cp);
		else if (cp < 0x800)
		{
			out += static_cast<char>(0xC0 | (cp >> 6));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
		else if (cp < 0x10000)
		{
			out += static_cast<char>(0xE0 | (cp >> 12));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
		else
		{
			out += static_cast<char>(0xF0 | (cp >> 18));
			out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
	}

	bool Hex4(uint32_t *v)
	{
		if (pos_ + 4 > s_.size())
			return false;
		*v = 0;
		for (int i = 0; i < 4; i++)
		{
			char		c = s_[pos_++];

			*v <<= 4;
			if (c >= '0' && c <= '9')
				*v |= static_cast<uint32_t>(c - '0');
			else if (c >= 'a' && c <= 'f')
				*v |= static_cast<uint32_t>(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				*v |= static_cast<uint32_t>(c - 'A' + 10);
			else
				return false;
		}
		return true;
	}

	bool String(std::string *out)
	{
		if (pos_ >= s_.size() || s_[pos_] != '"')
			return false;
		pos_++;
		while (pos_ < s_.size())
		{
			char		c = s_[pos_++];

			if (c == '"')
				return true;
			if (c != '\\')
			{
				*out += c;
				continue;
			}
			if (pos_ >= s_.size())
				return false;
			c = s_[pos_++];
			switch (c)
			{
				case '"':
				case '\\':
				case '/':
					*out += c;
					break;
				case 'b':
					*out += '\b';
					break;
				case 'f':
					*out += '\f';
					break;
				case 'n':
					*out += '\n';
					break;
				case 'r':
					*out += '\r';
					break;
				case 't':
					*out += '\t';
					break;
				case 'u':
					{
						uint32_t	cp,
									lo;

						if (!Hex4(&cp))
							return false;
						if (cp >= 0xD800 && cp <= 0xDBFF && s_.compare(pos_, 2, "\\u") == 0)
						{
							pos_ += 2;
							if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF)
								return false;
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						}
						AppendUtf8(*out, cp);
						break;
					}
				default:
					return false;
			}
		}
		return false;
	}

	bool Value(Json *out, int depth)
	{
		Space();
		if (pos_ >= s_.size())
			return false;
		char		c = s_[pos_];

		if (c == '{' || c == '[')
		{
			bool		obj = c == '{';
			char		close = obj ? '}' : ']';

			out->type = obj ? Json::Type::kObject : Json::Type::kArray;
			pos_++;
			Space();
			if (pos_ < s_.size() && s_[pos_] == close)
			{
				pos_++;
				return true;
			}
			for (;;)
			{
				std::string key;
				Json		child;

				Space();
				if (obj)
				{
					if (!String(&key))
						return false;
					Space();
					if (pos_ >= s_.size() || s_[pos_++] != ':')
						return false;
				}
				if (!Value(&child, depth + 1))
					return false;
				if (depth + 1 >= kMaxJsonDepth)
					out->too_deep = true;	/* read, but not kept */
				else if (obj)
					out->members.emplace_back(std::move(key), std::move(child));
				else
					out->elems.push_back(std::move(child));
				Space();
				if (pos_ >= s_.size())
					return false;
				if (s_[pos_] == ',')
				{
					pos_++;
					continue;
				}
				if (s_[pos_] == close)
				{
					pos_++;
					return true;
				}
				return false;
			}
		}
		if (c == '"')
		{
			out->type = Json::Type::kString;
			return String(&out->text);
		}
		if (Literal("true"))
		{
			out->type = Json::Type::kBool;
			out->b = true;
			return true;
		}
		if (Literal("false"))
		{
			out->type = Json::Type::kBool;
			return true;
		}
		if (Literal("null"))
			return true;

		size_t		start = pos_;

		while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) ||
									s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == '.' ||
									s_[pos_] == 'e' || s_[pos_] == 'E'))
			pos_++;
		out->type = Json::Type::kNumber;
		out->text = s_.substr(start, pos_ - start);
		return IsNumberText(out->text);
	}

	const std::string s_;
	size_t		pos_ = 0;
};

/* ---------- building the condition text ---------- */

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
ScalarLiteral(const Json &v)
{
	switch (v.type)
	{
		case Json::Type::kNull:
			return "null";
		case Json::Type::kBool:
			return v.b ? "true" : "false";
		case Json::Type::kNumber:
			return v.text;
		case Json::Type::kString:
			return JsonPathStringLiteral(v.text);
		default:
			break;
	}
	return "null";
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

/* Numeric bounds, widened for casts that round. */
struct NumFlags
{
	bool		from_text = false;
	bool		rounds_int = false;
	double		rel = 0;			/* relative rounding of float casts */
};

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

std::string
JsonPathStringLiteral(const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	std::string out = "\"";

	for (unsigned char c : s)
	{
		if (c == '"' || c == '\\')
		{
			out += '\\';
			out += static_cast<char>(c);
		}
		else if (c < 0x20)
		{
			out += "\\u00";
			out += hex[c >> 4];
			out += hex[c & 0xF];
		}
		else
			out += static_cast<char>(c);
	}
	out += '"';
	return out;
}

std::pair<bool, std::string>
SplitJsonPathMode(const std::string &path)
{
	size_t		i = path.find_first_not_of(" \t\n\r");

	if (i == std::string::npos)
		return {false, path};
	if (path.compare(i, 7, "strict ") == 0)
		return {true, path.substr(i + 7)};
	if (path.compare(i, 4, "lax ") == 0)
		return {false, path.substr(i + 4)};
	return {false, path.substr(i)};
}

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

bool
SubstituteJsonPathVariables(const std::string &path,
							const std::vector<std::pair<std::string, std::string>> &vars,
							std::string *out)
{
	std::string result;
	size_t		i = 0,
				n = path.size();

	/* copy a "..." literal starting at path[i], escapes included */
	auto		skip_string = [&](size_t start, size_t *end) -> bool {
		size_t		j = start + 1;

		while (j < n)
		{
			if (path[j] == '\\')
				j += 2;
			else if (path[j] == '"')
			{
				*end = j + 1;
				return true;
			}
			else
				j++;
		}
		return false;
	};

	while (i < n)
	{
		char		c = path[i];

		if (c == '"')
		{
			size_t		end;

			if (!skip_string(i, &end))
				return false;
			result.append(path, i, end - i);
			i = end;
			continue;
		}
		if (c == '$' && i + 1 < n && path[i + 1] == '"')
		{
			size_t		end;

			if (!skip_string(i + 1, &end))
				return false;

			Json		name;
			JsonReader	reader(path.substr(i + 1, end - i - 1));

			if (!reader.Read(&name) || name.type != Json::Type::kString)
				return false;

			const std::string *value = nullptr;

			for (const auto &v : vars)
				if (v.first == name.text)
					value = &v.second;
			if (!value)
				return false;

			Json		lit;
			JsonReader	vreader(*value);

			if (!vreader.Read(&lit) || lit.type == Json::Type::kObject ||
				lit.type == Json::Type::kArray)
				return false;
			/*
			 * Parenthesised only when an accessor follows ($x.type()), since
			 * `starts with` takes a bare literal and no expression.
			 */
			size_t		next = path.find_first_not_of(" \t\n\r", end);
			bool		accessor = next != std::string::npos && (path[next] == '.' || path[next] == '[');

			result += accessor ? "(" + ScalarLiteral(lit) + ")" : ScalarLiteral(lit);
			i = end;
			continue;
		}
		result += c;
		i++;
	}
	*out = std::move(result);
	return true;
}

}							/* namespace pathx */
