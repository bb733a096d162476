/*
 * random_orm_forms.cpp
 *	  Random documents and ORM-form conditions for orm_forms_test.cpp.
 *
 * Documents
 * ---------
 * Top-level members come from a fixed set of names, each with its own kind
 * of value, so that a condition on "status" or "items[0].sku" finds rows:
 *
 *	 a		 nested objects (members b, c, "0", "1") and arrays, trap scalars
 *	 b, 0, 1 trap scalars: every JSON type; top-level "0" and "1" are the
 *			 member names doc->'0' finds and doc->0 does not
 *	 n		 numbers and numeric-looking strings: ->> gives the same text for
 *			 1 and "1", casts round 4.5, fail on "4.5" or " x", succeed on
 *			 " 5000", "1e4", "Infinity", "NaN"; 1e400 and -1e-400 are exact
 *			 in jsonb and out of range for float8
 *	 s		 strings with quotes, backslashes, newlines, unicode, LIKE
 *			 wildcards (a%b, a_b), text that looks like JSON ("true",
 *			 "{\"x\": 1}"), long strings past the index's string prefix
 *	 status	 a small enumeration (paid, PAID, "paid "), so = and IN hit
 *	 items	 an array of {sku, qty, price}, sometimes an object with members
 *			 "0" and "1" (#>'{items,0,sku}' names a key there and indexes an
 *			 array elsewhere), sometimes a nested array or a scalar
 *	 tags	 arrays of strings, numbers and nested arrays, a bare string, an
 *			 object: ?, ?| and @> on a sub-document differ on each
 *	 user	 an object with name, age (numberish), email, "0"; or JSON null
 *	 qty	 always an integer number (never a string, never null)
 *	 price	 always a number within int4 range
 *	 ns		 numbers and numeric strings that numeric, float8 and real all
 *			 read as text (" 5000", "1e4", "Infinity", "NaN", "5.", "+5"):
 *			 the only place where a text cast succeeding on strings is
 *			 counted rather than drowned by some other string's error
 *	 flag	 booleans and the strings boolean reads ("yes", "on", " true ",
 *			 "1", "t"), the numbers 1 and 0, null
 *	 q"k, b\k, "" member names a derivation must escape in jsonpath
 * Numbers include 1e400, -1e-400, 1e-320, 16777217 and 9007199254740993
 * (which real and float8 round to a neighbour) and 0.1000000001.
 *
 * qty and price (at the top level and in items), ns and flag are the only
 * values that the casts chosen for them read without an error (price not
 * as text to an integer, "4.5" is no int; ns only as text, and not to
 * integers; flag only as text to boolean), which lets casts appear inside
 * AND and OR: there the order of evaluation decides whether an error is
 * raised, and SQL leaves that order open, so an error-capable clause in a
 * compound would make both answers right.  Error-capable clauses
 * therefore only stand alone, where a derived condition that drops a row
 * the seq scan fails on is a bug (the count must then fail with the same
 * SQLSTATE).
 *
 * About one document in twenty is a top-level scalar and one in twelve a
 * top-level array of such objects (doc->0->>'status', and lax jsonpath
 * unwrapping it where -> does not); the loader adds SQL NULL rows.  JSON
 * null appears everywhere (->> gives SQL NULL for it, -> does not), as do
 * empty arrays (the empty top-level array sorts below null in jsonb's
 * order) and objects.
 *
 * Conditions
 * ----------
 * Leaves, each with its paths drawn from the same vocabulary:
 *	 text	  (->> chains, #>>, jsonb_extract_path_text) with =, <>, <, >, <=,
 *			  >=, BETWEEN, IN (with NULLs), = ANY(ARRAY[...]) or = ANY($n),
 *			  LIKE 'lit%' (escaped wildcards, '_%', '%', no wildcard),
 *			  starts_with, ^@, IS NOT NULL; COLLATE "C" and "POSIX" (byte
 *			  order, served) and ICU collations (px_icu, and the case-
 *			  insensitive nondeterministic px_ci where 'paid' = 'PAID',
 *			  which no exact jsonpath equality may serve); varchar
 *			  constants as JDBC binds them; LIKE ESCAPE '#' and ESCAPE ''
 *			  (where a backslash is an ordinary character), the ~~ spelling
 *	 jsonb	  (-> chains, #>, subscripts, jsonb_extract_path,
 *			  jsonb_path_query_first[_tz]) with = < <= > >= against every
 *			  JSON type, @>, ?, ?|, ?& (including the empty array)
 *	 cast	  text or jsonb results, and jsonb_path_query_first, to numeric,
 *			  int, bigint, float8, real (each spelling: decimal, integer,
 *			  int4, int8, double precision, float4, CAST(... AS ...)) with
 *			  = < <= > >= BETWEEN IN, also against numeric constants
 *			  (int = 4.5 compares as numeric); boolean casts bare, = true,
 *			  = false, IS TRUE, NOT
 *	 function jsonb_path_exists / _match [_tz] with vars and silent,
 *			  jsonb_exists, _any, _all, jsonb_contains
 *	 native	  @>, ?, @?, @@ on doc (indexable without the hook)
 *	 unserved forms a derivation must leave alone, because they are true
 *			  where the path is missing or the text differs: IS NULL, NOT,
 *			  coalesce, IS DISTINCT FROM, NOT IN, <> ALL, LIKE '%x', ILIKE,
 *			  lower(), IS NOT TRUE, OR IS NULL, length(), jsonb <>,
 *			  = 'x '::char(n) (compares without the trailing space), and
 *			  functions that are not strict: concat, concat_ws, format,
 *			  greatest, least, nullif, array_to_string, jsonb_build_array,
 *			  jsonb_build_object, num_nulls, CASE; jsonb_array_length,
 *			  which raises on scalars
 * Constants are sometimes NULL (also whole arrays), jsonpath variables
 * sometimes arrays (which lax comparisons unwrap).
 * Array steps are array indexes (->0, -> -1, [0], #>'{items,0}') or member
 * names that look like numbers (->'0'); path keys are parameters too
 * sometimes (doc -> $1, doc #>> $2), as Django writes them.  About 40% of
 * the conditions are AND / OR of two or three safe leaves, nested once;
 * some are pairs of comparisons of one value (x > 1 AND x <= 5, inverted
 * and empty ranges, x = 'a' OR x < 'b'), through the same or another
 * syntax for the path, which the planner may merge into one range.
 */
#include "random_orm_forms.h"

#include "random_json.h"

namespace pathx_test
{

namespace
{

const char *const kTrapNumbers[] = {"0", "-0", "1", "1.0", "1e2", "12", "4.5", "5", "5.0", "-1",
	"100", "0.1", "1e-7", "1e400", "-1e400", "-1e-400", "2147483648", "9223372036854775808",
	"3.5e38", "123456789012345678901234567890", "0.30000000000000004", "4.49999999999999999999",
"-4.5", "16777217", "9007199254740993", "0.1000000001", "1e-320"};

const char *const kTrapStrings[] = {"", "1", "1.0", "12", "4.5", "5", " 5000", "5000 ", "1e4",
	"Infinity", "-Infinity", "NaN", "inf", "+5", ".5", "0x1A", "true", "false", "null",
	"{\"x\": 1}", "[1, 2]", "[]", "x", "ab", "abc", "abd", "a%b", "a_b", "it's", "say \"hi\"",
	"back\\slash", "é", "日本", "😀", "line\nbreak", "SKU-1", "SKU-10", "paid", "PAID",
	"prefix-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-1",
"prefix-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-2"};

/* ->> text of some trap numbers and containers, as the comparisons see it */
const char *const kTexts[] = {"0", "100", "-1", "0.1", "0.0000001", "5.0", "1.0", "12", "4.5",
	"1", "5", "true", "false", "{\"x\": 1}", "[]", "{}", "[1, 2]", "[[1, 2], [3]]", "2147483648",
"-4.5", "{\"x\": \"a\"}", "[\"x\"]"};

const char *const kContainers[] = {"{\"x\": 1}", "{}", "[]", "[1, 2]", "[\"x\"]",
	"[[1, 2], [3]]", "{\"x\": \"a\"}", "[null]", "[\"1\", 1]", "{\"b\": 1}",
"[{\"sku\": \"SKU-1\"}]", "[[]]"};

const char *const kStatuses[] = {"paid", "open", "refunded", "PAID", "paid ", "Paid"};
const char *const kTagWords[] = {"x", "y", "red", "blue", "1", "true", "x y", "é"};
const char *const kNames[] = {"ann", "anna", "bob", "it's", "O'Brien", "Zoë", "日本", "",
"back\\slash", "a%b"};
const char *const kEmails[] = {"ann@example.com", "bob@example.org", "zed@x.io"};
const char *const kSafeQty[] = {"0", "1", "2", "5", "12", "100", "1e2", "-0", "-3",
"2147483647", "7"};
const char *const kSafePrice[] = {"0", "4.5", "9.99", "10", "10.0", "0.1", "100", "1e2",
"12.345", "2.5", "-1.5", "1e-7", "123456789.123", "5", "4.49"};
const char *const kKeys[] = {"a", "b", "n", "s", "status", "items", "tags", "user", "qty",
"price", "0", "1", "x y", "é", "sku", "name", "x", "c", "ns", "flag", "q\"k", "b\\k", ""};

/* Values of "ns": every one a valid numeric, float8 and real when read as text. */
const char *const kNsNumbers[] = {"0", "1", "4.5", "12", "-1", "100", "0.1", "1e-7", "5000",
"10000", "1e2", "16777217", "0.30000000000000004"};
const char *const kNsStrings[] = {" 5000", "1e4", "Infinity", "-Infinity", "NaN", "+5", ".5",
"5.", " 12 ", "4.5", "1e-7", "0.30000000000000004", "-0", "1E4", "16777217", "nan"};

/* Values of "flag": every one a valid boolean when read as text. */
const char *const kFlags[] = {"true", "false", "\"yes\"", "\"no\"", "\"on\"", "\"off\"",
"\"1\"", "\"0\"", "\"t\"", "\"f\"", "\" true \"", "\"TRUE\"", "1", "0", "null"};

/*
 * Extraction paths: "#0" is the array index 0, "0" the member named "0".
 * Top-level members, nested members, array elements of items and tags,
 * and elements of top-level arrays.
 */
const char *const kPaths[][4] = {
	{"a"}, {"b"}, {"n"}, {"s"}, {"status"}, {"0"}, {"1"}, {"x y"}, {"é"}, {"qty"}, {"price"},
	{"tags"}, {"items"}, {"user"},
	{"a", "b"}, {"a", "c"}, {"a", "0"}, {"a", "#0"}, {"a", "#1"}, {"a", "b", "c"},
	{"a", "#0", "b"}, {"a", "1"},
	{"items", "#0"}, {"items", "#0", "sku"}, {"items", "#0", "qty"}, {"items", "#0", "price"},
	{"items", "#-1", "sku"}, {"items", "#1", "sku"}, {"items", "0", "sku"}, {"items", "#0", "#0"},
	{"tags", "#0"}, {"tags", "#-1"}, {"tags", "#0", "#0"}, {"tags", "x"},
	{"user", "name"}, {"user", "age"}, {"user", "email"}, {"user", "0"},
	{"#0", "a"}, {"#0", "n"}, {"#0"}, {"#1", "status"}, {"#0", "status"},
	{"ns"}, {"flag"}, {"q\"k"}, {"b\\k"}, {""}, {"#0", "ns"},
};

/* Paths whose values every cast reads (qty), or every cast but text to integers (price). */
const char *const kQtyPaths[][4] = {
	{"qty"}, {"items", "#0", "qty"}, {"items", "0", "qty"}, {"items", "#-1", "qty"}, {"#0", "qty"},
};
const char *const kPricePaths[][4] = {
	{"price"}, {"items", "#0", "price"}, {"items", "1", "price"}, {"#0", "price"},
};
const char *const kNsPaths[][4] = {{"ns"}, {"#0", "ns"}};
const char *const kFlagPaths[][4] = {{"flag"}, {"#0", "flag"}};

OrmPath
ToPath(const char *const (&p)[4])
{
	OrmPath		out;

	for (const char *s : p)
	{
		if (s == nullptr)
			break;
		if (s[0] == '#')
			out.push_back({s + 1, true});
		else
			out.push_back({s, false});
	}
	return out;
}

std::string
LastKey(const OrmPath &p)
{
	for (auto it = p.rbegin(); it != p.rend(); ++it)
		if (!it->index)
			return it->key;
	return "";
}

bool
Contains(const OrmPath &p, const char *key)
{
	for (const OrmStep &s : p)
		if (!s.index && s.key == key)
			return true;
	return false;
}

/* A plain SQL numeric literal (digits, point, exponent), usable unquoted. */
bool
PlainNumber(const std::string &v)
{
	size_t		i = 0;
	bool		digits = false;

	if (i < v.size() && v[i] == '-')
		i++;
	for (; i < v.size() && (isdigit((unsigned char) v[i]) || v[i] == '.'); i++)
		digits = digits || isdigit((unsigned char) v[i]);
	if (i < v.size() && (v[i] == 'e' || v[i] == 'E'))
	{
		i++;
		if (i < v.size() && (v[i] == '-' || v[i] == '+'))
			i++;
		for (; i < v.size() && isdigit((unsigned char) v[i]); i++)
			;
	}
	return digits && i == v.size();
}

/* Cut a UTF-8 string to at most n bytes without splitting a character. */
std::string
Utf8Prefix(const std::string &s, size_t n)
{
	if (n >= s.size())
		return s;
	while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
		n--;
	return s.substr(0, n);
}

/* Escape LIKE's wildcards with esc ('\\' by default; '\0': ESCAPE '', nothing escapes). */
std::string
LikeEscape(const std::string &s, char esc = '\\')
{
	std::string out;

	for (char c : s)
	{
		if (esc != '\0' && (c == '%' || c == '_' || c == esc))
			out.push_back(esc);
		out.push_back(c);
	}
	return out;
}

}							/* namespace */

RandomOrmForms::Sql
operator+(RandomOrmForms::Sql a, const RandomOrmForms::Sql &b)
{
	a.lit += b.lit;
	a.prep += b.prep;
	return a;
}

namespace
{

RandomOrmForms::Sql
S(const std::string &s)
{
	return {s, s};
}

RandomOrmForms::Sql
Paren(const RandomOrmForms::Sql &s)
{
	return S("(") + s + S(")");
}

/*
 * Concatenation in order: the elements of a braced list are evaluated left
 * to right, the operands of + are not, and most parts draw random numbers
 * (and parameter numbers), so the seed alone must decide the output.
 */
RandomOrmForms::Sql
Cat(std::initializer_list<RandomOrmForms::Sql> parts)
{
	RandomOrmForms::Sql out;

	for (const RandomOrmForms::Sql &p : parts)
		out = out + p;
	return out;
}

}							/* namespace */

std::string
TextArrayLiteral(const std::vector<std::optional<std::string>> &values)
{
	std::string out = "{";

	for (size_t i = 0; i < values.size(); i++)
	{
		if (i)
			out += ",";
		if (!values[i])
		{
			out += "NULL";
			continue;
		}
		out += "\"";
		for (char c : *values[i])
		{
			if (c == '"' || c == '\\')
				out.push_back('\\');
			out.push_back(c);
		}
		out += "\"";
	}
	return out + "}";
}

std::string
OrmCondition::PrepareTypes() const
{
	std::string out;

	for (const OrmParam &p : params)
		out += (out.empty() ? "(" : ", ") + p.type;
	return out.empty() ? out : out + ")";
}

std::string
OrmCondition::ExecuteArguments() const
{
	std::string out;

	for (const OrmParam &p : params)
		out += (out.empty() ? "(" : ", ") + p.argument;
	return out.empty() ? out : out + ")";
}

/* ---------- documents ---------- */

std::string
RandomOrmForms::TrapNumber()
{
	return Pick(kTrapNumbers);
}

std::string
RandomOrmForms::TrapString()
{
	return JsonQuote(Pick(kTrapStrings));
}

std::string
RandomOrmForms::SmallContainer()
{
	return Pick(kContainers);
}

std::string
RandomOrmForms::TrapScalar()
{
	uint64_t	r = Below(100);

	if (r < 33)
		return TrapNumber();
	if (r < 68)
		return TrapString();
	if (r < 76)
		return Chance(0.5) ? "true" : "false";
	if (r < 84)
		return "null";
	return SmallContainer();
}

std::string
RandomOrmForms::Numberish()
{
	uint64_t	r = Below(100);

	if (r < 55)
		return TrapNumber();
	if (r < 85)
	{
		static const char *const kNumericText[] = {"1", "1.0", "12", "4.5", "5", " 5000", "1e4",
		"Infinity", "NaN", "-Infinity", "+5", ".5", "100", "-1", "2147483648", "x"};

		return JsonQuote(Pick(kNumericText));
	}
	if (r < 90)
		return Chance(0.5) ? "true" : "false";
	if (r < 95)
		return "null";
	return SmallContainer();
}

std::string
RandomOrmForms::Stringish()
{
	uint64_t	r = Below(100);

	if (r < 60)
		return TrapString();
	if (r < 75)
		return JsonQuote(Pick(kNames));
	if (r < 85)
		return TrapNumber();
	if (r < 90)
		return "null";
	return Chance(0.5) ? SmallContainer() : (Chance(0.5) ? "true" : "false");
}

std::string
RandomOrmForms::ValueA(int depth)
{
	uint64_t	r = Below(100);

	if (depth < 3 && r < 35)
	{
		static const char *const kMembers[] = {"b", "c", "0", "1"};
		std::string out = "{";
		bool		first = true;

		for (const char *k : kMembers)
			if (Chance(0.5))
			{
				out += (first ? "" : ", ") + JsonQuote(k) + ": " + ValueA(depth + 1);
				first = false;
			}
		return out + "}";
	}
	if (depth < 3 && r < 60)
	{
		std::string out = "[";

		for (uint64_t i = 0, n = Below(4); i < n; i++)
			out += (i ? ", " : "") + ValueA(depth + 1);
		return out + "]";
	}
	return TrapScalar();
}

std::string
RandomOrmForms::SafeQty()
{
	return Pick(kSafeQty);
}

std::string
RandomOrmForms::SafePrice()
{
	return Pick(kSafePrice);
}

std::string
RandomOrmForms::Item()
{
	std::string out = "{";
	bool		first = true;

	if (Chance(0.85))
	{
		std::string sku = Chance(0.9) ? JsonQuote("SKU-" + std::to_string(1 + Below(12)))
			: TrapScalar();

		out += "\"sku\": " + sku;
		first = false;
	}
	if (Chance(0.7))
	{
		out += std::string(first ? "" : ", ") + "\"qty\": " + SafeQty();
		first = false;
	}
	if (Chance(0.7))
		out += std::string(first ? "" : ", ") + "\"price\": " + SafePrice();
	return out + "}";
}

std::string
RandomOrmForms::Items()
{
	uint64_t	r = Below(100);

	if (r < 70)
	{
		std::string out = "[";

		for (uint64_t i = 0, n = Below(4); i < n; i++)
			out += (i ? ", " : "") + (Chance(0.85) ? Item() : TrapScalar());
		return out + "]";
	}
	if (r < 82)
	{
		std::string out = "{\"0\": " + Item();

		if (Chance(0.5))
			out += ", \"1\": " + Item();
		return out + "}";
	}
	if (r < 90)
	{
		std::string out = "[[" + Item() + "], ";

		return out + Item() + "]";
	}
	return TrapScalar();
}

std::string
RandomOrmForms::Tags()
{
	uint64_t	r = Below(100);

	if (r < 60)
	{
		std::string out = "[";

		for (uint64_t i = 0, n = Below(5); i < n; i++)
		{
			uint64_t	k = Below(100);
			std::string e;

			if (k < 70)
				e = JsonQuote(Pick(kTagWords));
			else if (k < 80)
				e = TrapNumber();
			else if (k < 85)
				e = "true";
			else if (k < 95)
				e = "[" + JsonQuote(Pick(kTagWords)) + "]";
			else
				e = "null";
			out += (i ? ", " : "") + e;
		}
		return out + "]";
	}
	if (r < 75)
		return JsonQuote(Pick(kTagWords));
	if (r < 85)
		return "{\"x\": true, \"red\": 1}";
	return TrapScalar();
}

std::string
RandomOrmForms::User()
{
	uint64_t	r = Below(100);

	if (r < 80)
	{
		std::string out = "{";
		bool		first = true;
		auto		add = [&](const char *k, const std::string &v) {
			out += (first ? "" : ", ") + JsonQuote(k) + ": " + v;
			first = false;
		};

		if (Chance(0.8))
			add("name", Chance(0.7) ? JsonQuote(Pick(kNames)) : Stringish());
		if (Chance(0.6))
			add("age", Numberish());
		if (Chance(0.5))
			add("email", JsonQuote(Pick(kEmails)));
		if (Chance(0.15))
			add("0", TrapScalar());
		return out + "}";
	}
	if (r < 90)
		return "null";
	return TrapScalar();
}

std::string
RandomOrmForms::Object(int)
{
	std::string out = "{";
	bool		first = true;

	/*
	 * Each member is present with its own probability; the value is made
	 * only when it is, so the random stream stays short.
	 */
	struct Member
	{
		const char *key;
		double		p;
		int			kind;
	};
	static const Member kMembers[] = {
		{"a", 0.45, 0}, {"b", 0.35, 1}, {"n", 0.55, 2}, {"s", 0.45, 3}, {"status", 0.4, 4},
		{"items", 0.4, 5}, {"tags", 0.35, 6}, {"user", 0.3, 7}, {"qty", 0.35, 8},
		{"price", 0.35, 9}, {"0", 0.15, 1}, {"1", 0.1, 1}, {"x y", 0.1, 3}, {"é", 0.1, 3},
		{"ns", 0.4, 10}, {"flag", 0.35, 11}, {"q\"k", 0.08, 1}, {"b\\k", 0.08, 1}, {"", 0.08, 1},
	};

	for (const Member &m : kMembers)
	{
		if (!Chance(m.p))
			continue;

		std::string v;

		switch (m.kind)
		{
			case 0:
				v = ValueA(1);
				break;
			case 1:
				v = TrapScalar();
				break;
			case 2:
				v = Numberish();
				break;
			case 3:
				v = Stringish();
				break;
			case 4:
				v = Chance(0.9) ? JsonQuote(Pick(kStatuses)) : TrapScalar();
				break;
			case 5:
				v = Items();
				break;
			case 6:
				v = Tags();
				break;
			case 7:
				v = User();
				break;
			case 8:
				v = SafeQty();
				break;
			case 9:
				v = SafePrice();
				break;
			case 10:
				v = Chance(0.1) ? "null" : Chance(0.5) ? Pick(kNsNumbers) : JsonQuote(Pick(kNsStrings));
				break;
			default:
				v = Pick(kFlags);
				break;
		}
		out += (first ? "" : ", ") + JsonQuote(m.key) + ": " + v;
		first = false;
	}
	return out + "}";
}

std::string
RandomOrmForms::Document()
{
	uint64_t	r = Below(100);

	if (r < 5)
		return TrapScalar();
	if (r < 13)
	{
		std::string out = "[" + Object(0) + ", ";

		out += Chance(0.5) ? TrapScalar() : Object(0);
		out += ", " + Object(0);
		return out + "]";
	}
	return Object(0);
}

/* ---------- constants ---------- */

RandomOrmForms::Sql
RandomOrmForms::Const(const std::string &type, const std::optional<std::string> &value,
					  const std::string &literal)
{
	params_.push_back({type, value ? SqlQuote(*value) : "NULL"});
	return {literal, "$" + std::to_string(params_.size())};
}

/* A constant that names a path (doc -> $1): generic plans cannot see it. */
RandomOrmForms::Sql
RandomOrmForms::PathConst(const std::string &type, const std::string &value,
						  const std::string &literal)
{
	path_param_ = true;
	return Const(type, value, literal);
}

/*
 * Constants are now and then NULL: the clause is then never true, and a
 * generic plan must compute some condition (or none) from a NULL parameter.
 */
RandomOrmForms::Sql
RandomOrmForms::TextConst(const std::string &value)
{
	if (Chance(0.02))
		return Const("text", std::nullopt, "NULL");
	return Const("text", value, SqlQuote(value));
}

RandomOrmForms::Sql
RandomOrmForms::JsonbConst(const std::string &json)
{
	if (Chance(0.02))
		return Const("jsonb", std::nullopt, "NULL");
	return Const("jsonb", json, SqlQuote(json) + (Chance(0.3) ? "::jsonb" : ""));
}

/*
 * type is the canonical name (numeric, int, bigint, float8, real).  An
 * untyped literal takes the type of the other operand, so when that is
 * not 'type' (explicit), the literal is written with its type.
 */
RandomOrmForms::Sql
RandomOrmForms::NumberConst(const std::string &type, const std::string &value, bool explicit_type)
{
	std::string lit;
	uint64_t	r = Below(100);

	if (Chance(0.02))
		return Const(type, std::nullopt, "NULL");
	if (PlainNumber(value) && r < 50)
		lit = value;
	else if (r < 70 && !explicit_type)
		lit = SqlQuote(value);
	else if (r < 90)
		lit = SqlQuote(value) + "::" + type;
	else
		lit = "CAST(" + SqlQuote(value) + " AS " + type + ")";
	return Const(type, value, lit);
}

/*
 * An array of text: ARRAY['x', NULL] or '{x,NULL}' inline; as parameters
 * one text[] parameter, or (as_array_ctor) an ARRAY of text parameters.
 */
RandomOrmForms::Sql
RandomOrmForms::TextArray(const std::vector<std::optional<std::string>> &values, bool as_array_ctor)
{
	if (as_array_ctor)
	{
		Sql			out = S("ARRAY[");

		for (size_t i = 0; i < values.size(); i++)
		{
			if (i)
				out = out + S(", ");
			out = out + (values[i] ? TextConst(*values[i]) : Const("text", std::nullopt, "NULL"));
		}
		return out + S(values.empty() ? "]::text[]" : "]");
	}

	std::string body = TextArrayLiteral(values);

	return Const("text[]", body, SqlQuote(body) + (Chance(0.5) ? "::text[]" : ""));
}

std::string
RandomOrmForms::TextConstant(const OrmPath &path)
{
	std::string key = LastKey(path);

	if (Chance(0.3))
		return Chance(0.5) ? Pick(kTrapStrings) : Pick(kTexts);
	if (key == "status")
		return Pick(kStatuses);
	if (key == "sku")
		return "SKU-" + std::to_string(1 + Below(12));
	if (Contains(path, "tags"))
		return Pick(kTagWords);
	if (key == "name")
		return Pick(kNames);
	if (key == "email")
		return Pick(kEmails);
	if (key == "qty")
		return Pick(kSafeQty);
	if (key == "price")
		return Pick(kSafePrice);
	if (key == "n" || key == "age")
		return Chance(0.5) ? Pick(kTexts) : Pick(kTrapStrings);
	return Chance(0.5) ? Pick(kTrapStrings) : Pick(kTexts);
}

std::string
RandomOrmForms::JsonConstant(const OrmPath &path)
{
	std::string key = LastKey(path);

	if (Chance(0.3))
		return TrapScalar();
	if (key == "status")
		return JsonQuote(Pick(kStatuses));
	if (key == "sku")
		return JsonQuote("SKU-" + std::to_string(1 + Below(12)));
	if (Contains(path, "tags"))
		return Chance(0.7) ? JsonQuote(Pick(kTagWords)) : "[" + JsonQuote(Pick(kTagWords)) + "]";
	if (key == "name")
		return JsonQuote(Pick(kNames));
	if (key == "qty")
		return Pick(kSafeQty);
	if (key == "price")
		return Pick(kSafePrice);
	if (key == "n" || key == "age")
		return Numberish();
	return TrapScalar();
}

std::string
RandomOrmForms::LikePattern(const OrmPath &path, char esc)
{
	static const char *const kPrefixes[] = {"1", "t", "{", "[", "SKU-1", "a", "p", "prefix-xx", "-",
	"a%", "a_", "#", "b\\"};
	std::string base = Chance(0.2) ? Pick(kPrefixes) : TextConstant(path);
	std::string prefix = LikeEscape(Utf8Prefix(base, Below(base.size() + 1)), esc);
	uint64_t	r = Below(100);

	if (r < 65)
		return prefix + "%";
	if (r < 75)
		return LikeEscape(base, esc);	/* no wildcard: equality */
	if (r < 85)
		return prefix + "_%";
	if (r < 90)
		return "%";
	return prefix + "%" + LikeEscape(Utf8Prefix(TextConstant(path), 2), esc);
}

/* A prefix of s of min to max bytes (fewer when s is shorter), whole characters. */
std::string
RandomOrmForms::Prefix(const std::string &s, size_t min, size_t max)
{
	return Utf8Prefix(s, min + Below(max - min + 1));
}

/* ---------- paths and extractions ---------- */

OrmPath
RandomOrmForms::AnyPath(bool allow_empty)
{
	if (allow_empty && Chance(0.02))
		return {};
	return ToPath(Pick(kPaths));
}

/* 0: qty (every cast), 1: price (not text to integers), 2: ns (only text to numeric, float8, real) */
OrmPath
RandomOrmForms::SafeCastPath(int *kind)
{
	*kind = static_cast<int>(Below(3));
	if (*kind == 0)
		return ToPath(Pick(kQtyPaths));
	return *kind == 1 ? ToPath(Pick(kPricePaths)) : ToPath(Pick(kNsPaths));
}

/* One step of an -> chain or a subscript: 'k', 0, or a parameter. */
RandomOrmForms::Sql
RandomOrmForms::PathKey(const OrmStep &s, bool allow_index)
{
	bool		param = Chance(0.2);

	if (s.index && allow_index)
		return param ? PathConst("int", s.key, s.key) : S(s.key);
	return param ? PathConst("text", s.key, SqlQuote(s.key)) : S(SqlQuote(s.key));
}

std::string
RandomOrmForms::JsonPathSteps(const OrmPath &path)
{
	std::string out = "$";

	for (const OrmStep &s : path)
	{
		if (s.index)
			out += "[" + (s.key == "-1" ? std::string("last") : s.key) + "]";
		else
			out += "." + JsonQuote(s.key);
	}
	return out;
}

RandomOrmForms::Extraction
RandomOrmForms::Extract(const OrmPath &path, bool text)
{
	Extraction	e;
	uint64_t	r = Below(100);

	if (path.empty())
		r = 50;					/* only #> and #>> take the empty path */
	else if (text && r >= 80)
		r = Below(80);			/* no subscripts or jsonb_path_query_first for text */

	if (r < 40)
	{
		/* doc->'a'->0->>'b' */
		e.syntax = text ? "->>" : "->";
		e.sql = S("doc");
		for (size_t i = 0; i < path.size(); i++)
		{
			bool		last = i + 1 == path.size();
			std::string op = last && text ? "->>" : "->";

			if (path[i].index && path[i].key[0] == '-')
				op += " ";		/* ->-1 would lex as the operator ->- */
			e.sql = e.sql + S(op) + PathKey(path[i], true);
		}
	}
	else if (r < 65)
	{
		/* doc #>> '{items,0,sku}' */
		bool		quote_all = Chance(0.4);
		std::string body = "{";

		e.syntax = text ? "#>>" : "#>";
		for (size_t i = 0; i < path.size(); i++)
		{
			/* plain elements mostly unquoted, as people write them */
			bool		plain = !quote_all && !path[i].key.empty();

			for (char c : path[i].key)
				plain = plain && (isalnum((unsigned char) c) || c == '-' || c == '_');
			if (i)
				body += ",";
			if (plain)
				body += path[i].key;
			else
			{
				std::string one = TextArrayLiteral({path[i].key});

				body += one.substr(1, one.size() - 2);
			}
		}
		body += "}";
		e.sql = S("doc " + e.syntax + " ") +
			(Chance(0.25) ? PathConst("text[]", body, SqlQuote(body)) : S(SqlQuote(body)));
	}
	else if (r < 80)
	{
		/* jsonb_extract_path(doc, 'items', '0', 'sku') */
		e.syntax = text ? "extract_path_text" : "extract_path";
		e.sql = S(text ? "jsonb_extract_path_text(doc" : "jsonb_extract_path(doc");
		for (const OrmStep &s : path)
			e.sql = e.sql + S(", ") + PathKey(s, false);
		e.sql = e.sql + S(")");
	}
	else if (r < 92)
	{
		/* doc['items'][0]['sku'] */
		e.syntax = "[]";
		e.sql = S("doc");
		for (const OrmStep &s : path)
			e.sql = e.sql + S("[") + PathKey(s, true) + S("]");
	}
	else
	{
		bool		tz = Chance(0.2);
		std::string p = JsonPathSteps(path);

		e.syntax = tz ? "path_query_first_tz" : "path_query_first";
		e.sql = S(tz ? "jsonb_path_query_first_tz(doc, " : "jsonb_path_query_first(doc, ") +
			(Chance(0.5) ? PathConst("jsonpath", p, SqlQuote(p)) : S(SqlQuote(p))) + S(")");
	}
	if (Chance(0.2))
		e.sql = Paren(e.sql);
	return e;
}

/* ---------- jsonpath ---------- */

std::string
RandomOrmForms::JsonPathLiteral()
{
	uint64_t	r = Below(100);

	if (r < 35)
		return TrapNumber();
	if (r < 55)
		return JsonQuote(Pick(kTrapStrings));
	if (r < 65)
		return JsonQuote(Pick(kStatuses));
	if (r < 75)
		return JsonQuote("SKU-" + std::to_string(1 + Below(12)));
	if (r < 85)
		return JsonQuote(Pick(kTagWords));
	if (r < 93)
		return Chance(0.5) ? "true" : "false";
	return "null";
}

std::string
RandomOrmForms::JsonPathPredicate(int depth, bool *uses_var)
{
	uint64_t	r = Below(100);
	std::string steps = JsonPathSteps(AnyPath(false));
	static const char *const kOps[] = {"==", "==", "<", "<=", ">", ">=", "!="};

	if (depth < 1 && r < 20)
	{
		std::string left = JsonPathPredicate(depth + 1, uses_var);
		std::string right = JsonPathPredicate(depth + 1, uses_var);

		return r < 12 ? left + " && " + right : "(" + left + " || " + right + ")";
	}
	if (r < 30)
		return "exists(" + steps + ")";
	if (r < 40)
		return steps + " starts with " + JsonQuote(Prefix(TextConstant({}), 1, 3));
	if (r < 50)
	{
		*uses_var = true;
		return steps + " " + Pick(kOps) + " $x";
	}

	std::string op = Pick(kOps);

	return steps + " " + op + " " + JsonPathLiteral();
}

/*
 * A jsonpath for jsonb_path_exists, @? or jsonb_path_query_first: a path,
 * maybe ending in a filter.  *served is false for constructs the operator
 * class cannot narrow (wildcards, like_regex with a flag, negation).
 */
std::string
RandomOrmForms::JsonPath(bool *served, bool *uses_var)
{
	OrmPath		path = AnyPath(false);
	std::string p = JsonPathSteps(path);
	uint64_t	r = Below(100);

	*served = true;
	if (r < 30)
	{
		std::string op = PickOf({"==", "==", "<", ">", ">=", "<="});

		p += " ? (@ " + op + " " + JsonPathLiteral() + ")";
	}
	else if (r < 38)
		p += " ? (@ starts with " + JsonQuote(Prefix(TextConstant(path), 1, 3)) + ")";
	else if (r < 44)
	{
		/* literal prefixes without regex metacharacters */
		p += " ? (@ like_regex " + JsonQuote(PickOf({"^SKU-1", "^ab", "^p", "^1", "^t", "^é", "^x"})) +
			")";
	}
	else if (r < 52)
	{
		*uses_var = true;
		p += " ? (@ " + PickOf({"==", "<", ">"}) + " $x)";
	}
	else if (r < 58)
	{
		std::string key = JsonQuote(Pick(kKeys));

		p = "$ ? (@." + key + " == " + JsonPathLiteral() + ")";
	}
	else if (r < 62)
	{
		*served = false;
		p += PickOf({".*", ".**", " ? (!(@ == 1))", " ? (@ like_regex \"a\" flag \"i\")"});
	}
	return p;
}

/* ---------- leaves ---------- */

RandomOrmForms::Leaf
RandomOrmForms::TextLeaf()
{
	Leaf		l;
	OrmPath		path = AnyPath(true);
	Extraction	e = Extract(path, true);
	uint64_t	r = Below(100);
	std::string collation;
	std::string op;

	/*
	 * C and POSIX order bytes; px_icu (ICU, deterministic) orders otherwise
	 * and px_ci (ICU, case-insensitive, nondeterministic) makes 'paid'
	 * equal 'PAID': a derivation may only narrow the first two.  LIKE and
	 * prefix tests refuse nondeterministic collations.
	 */
	if (Chance(0.3))
	{
		collation = PickOf({"C", "C", "C", "POSIX", "px_icu", "px_ci", "px_ci"});
		if (collation == "px_ci" && r >= 64)
			collation = "px_icu";
		l.served = collation == "C" || collation == "POSIX";
	}

	Sql			x = collation.empty() ? e.sql
		: Paren(e.sql) + S(" COLLATE \"" + collation + "\"");

	if (r < 22)
	{
		std::string v = TextConstant(path);

		op = "=";
		if (Chance(0.15))
		{
			/* JDBC and Hibernate bind strings as varchar */
			op = "= varchar";
			l.sql = x + S(" = ") + Const("varchar", v, SqlQuote(v) + "::varchar");
		}
		else
			l.sql = x + S(" = ") + TextConst(v);
	}
	else if (r < 28)
	{
		op = "<>";
		l.sql = Cat({x, S(Chance(0.5) ? " <> " : " != "), TextConst(TextConstant(path))});
	}
	else if (r < 40)
	{
		op = PickOf({"<", ">", "<=", ">="});
		l.sql = x + S(" " + op + " ") + TextConst(TextConstant(path));
	}
	else if (r < 46)
	{
		op = "BETWEEN";
		l.sql = Cat({x, S(" BETWEEN "), TextConst(TextConstant(path)), S(" AND "),
					 TextConst(TextConstant(path))});
	}
	else if (r < 56)
	{
		op = "IN";
		l.sql = x + S(" IN (");
		for (uint64_t i = 0, n = 1 + Below(4); i < n; i++)
		{
			if (i)
				l.sql = l.sql + S(", ");
			l.sql = l.sql + (Chance(0.15) ? Const("text", std::nullopt, "NULL")
							 : TextConst(TextConstant(path)));
		}
		l.sql = l.sql + S(")");
	}
	else if (r < 64)
	{
		std::vector<std::optional<std::string>> v;

		op = "= ANY";
		for (uint64_t i = 0, n = 1 + Below(4); i < n; i++)
			v.push_back(Chance(0.15) ? std::nullopt : std::optional<std::string>(TextConstant(path)));
		if (Chance(0.05))
			l.sql = x + S(" = ANY(") + Const("text[]", std::nullopt, "NULL::text[]") + S(")");
		else
			l.sql = x + S(" = ANY(") + TextArray(v, Chance(0.5)) + S(")");
	}
	else if (r < 78)
	{
		uint64_t	k = Below(100);

		op = "LIKE";
		if (k < 80)
			l.sql = x + S(Chance(0.2) ? " ~~ " : " LIKE ") + TextConst(LikePattern(path, '\\'));
		else
		{
			/* another escape character, or none: '\\' is then an ordinary character */
			char		esc = k < 90 ? '#' : '\0';

			op = esc ? "LIKE ESCAPE #" : "LIKE ESCAPE ''";
			l.sql = Cat({x, S(" LIKE "), TextConst(LikePattern(path, esc)),
						 S(esc ? " ESCAPE '#'" : " ESCAPE ''")});
		}
	}
	else if (r < 84)
	{
		op = "starts_with";
		l.sql = Cat({S("starts_with("), x, S(", "), TextConst(Prefix(TextConstant(path), 0, 3)),
					 S(")")});
	}
	else if (r < 90)
	{
		op = "^@";
		l.sql = x + S(" ^@ ") + TextConst(Prefix(TextConstant(path), 0, 3));
	}
	else
	{
		op = "IS NOT NULL";
		l.sql = e.sql + S(" IS NOT NULL");
	}
	l.form = "text " + e.syntax + " " + op + (collation.empty() ? "" : " " + collation);
	l.served = l.served && !path.empty();
	return l;
}

RandomOrmForms::Leaf
RandomOrmForms::JsonbLeaf()
{
	Leaf		l;
	OrmPath		path = AnyPath(false);
	Extraction	e = Extract(path, false);
	uint64_t	r = Below(100);
	std::string key = LastKey(path);
	std::string op;

	if (r < 25)
	{
		op = "=";
		l.sql = e.sql + S(" = ") + JsonbConst(JsonConstant(path));
	}
	else if (r < 50)
	{
		op = PickOf({"<", ">", "<=", ">="});
		l.sql = e.sql + S(" " + op + " ") + JsonbConst(JsonConstant(path));
	}
	else if (r < 70)
	{
		std::string c;

		op = "@>";
		if (key == "items")
			c = PickOf({"[{\"sku\": \"SKU-1\"}]", "[{\"sku\": \"SKU-2\"}]", "[{\"qty\": 1}]", "[]",
					  "{\"0\": {\"sku\": \"SKU-1\"}}", "[[{\"sku\": \"SKU-3\"}]]", "{}"});
		else if (key == "tags")
			c = PickOf({"[\"x\"]", "\"x\"", "[[\"x\"]]", "{\"x\": true}", "[\"red\", \"blue\"]",
					  "[1]", "[]"});
		else if (key == "user")
			c = PickOf({"{\"name\": \"ann\"}", "{}", "{\"age\": 5}", "{\"name\": \"O'Brien\"}"});
		else if (key == "a")
			c = PickOf({"{\"b\": 1}", "[1]", "{\"b\": {\"c\": \"x\"}}", "{\"0\": null}", "[[1, 2]]"});
		else
			c = Chance(0.3) ? SmallContainer() : JsonConstant(path);
		l.sql = e.sql + S(" @> ") + JsonbConst(c);
	}
	else if (r < 92)
	{
		std::vector<std::optional<std::string>> v;
		auto		k = [&]() -> std::string {
			if (key == "items")
				return PickOf({"sku", "0", "1", "qty"});
			if (key == "tags")
				return Pick(kTagWords);
			if (key == "user")
				return PickOf({"name", "age", "0", "email"});
			return Chance(0.5) ? Pick(kKeys) : TextConstant(path);
		};

		if (r < 80)
		{
			op = "?";
			l.sql = e.sql + S(" ? ") + TextConst(k());
		}
		else
		{
			op = r < 86 ? "?|" : "?&";
			for (uint64_t i = 0, n = Below(4); i < n; i++)
				v.push_back(k());
			l.sql = e.sql + S(" " + op + " ") + TextArray(v, Chance(0.5));
		}
	}
	else if (r < 96)
	{
		op = "<>";
		l.sql = e.sql + S(" <> ") + JsonbConst(JsonConstant(path));
		l.served = false;
	}
	else
	{
		op = "IS NOT NULL";
		l.sql = e.sql + S(" IS NOT NULL");
		l.served = false;
	}
	l.form = "jsonb " + e.syntax + " " + op;
	return l;
}

RandomOrmForms::Leaf
RandomOrmForms::CastLeaf(bool allow_raise)
{
	Leaf		l;
	OrmPath		path;
	int			kind = 0;
	bool		trap = allow_raise && Chance(0.5);
	static const char *const kTypes[] = {"numeric", "int", "bigint", "float8", "real"};
	std::string type = Pick(kTypes);
	bool		text;
	Extraction	e;

	if (Chance(0.15))
		return BoolCastLeaf(allow_raise);
	if (trap)
	{
		path = AnyPath(false);
		text = Chance(0.5);
		l.may_raise = true;
	}
	else
	{
		bool		integer = type == "int" || type == "bigint";

		path = SafeCastPath(&kind);
		if (kind == 2)
		{
			/* numeric strings: text only, and "4.5" is no integer */
			text = true;
			if (integer)
				type = PickOf({"numeric", "float8", "real"});
		}
		else
		{
			/* "4.5" is no integer: price only as jsonb to the integer types */
			text = (kind == 1 && integer) ? false : Chance(0.5);
		}
	}
	if (!text && Chance(0.15))
	{
		std::string p = trap ? JsonPathSteps(path)
			: (kind == 1 ? "$.items[*].price" : "$.items[*].qty");

		e.syntax = "path_query_first";
		e.sql = S("jsonb_path_query_first(doc, ") +
			(Chance(0.5) ? PathConst("jsonpath", p, SqlQuote(p)) : S(SqlQuote(p))) + S(")");
	}
	else
		e = Extract(path, text);

	std::string spelled = type;

	if (type == "numeric")
		spelled = PickOf({"numeric", "numeric", "decimal"});
	else if (type == "int")
		spelled = PickOf({"int", "integer", "int4"});
	else if (type == "bigint")
		spelled = PickOf({"bigint", "int8"});
	else if (type == "float8")
		spelled = PickOf({"float8", "double precision", "DOUBLE PRECISION"});
	else
		spelled = PickOf({"real", "float4"});

	Sql			x = Chance(0.25) ? S("CAST(") + e.sql + S(" AS " + spelled + ")")
		: Paren(e.sql) + S("::" + spelled);

	auto		value = [&]() { return CastValue(type); };
	uint64_t	r = Below(100);
	std::string op;

	std::string cast_type = type;

	/* integer casts compared with numeric constants: the comparison is numeric */
	if ((type == "int" || type == "bigint") && Chance(0.15))
		type = "numeric";
	if (r < 25)
	{
		op = "=";
		l.sql = x + S(" = ") + NumberConst(type, value(), type != cast_type);
	}
	else if (r < 60)
	{
		op = PickOf({"<", ">", "<=", ">="});
		l.sql = x + S(" " + op + " ") + NumberConst(type, value(), type != cast_type);
	}
	else if (r < 77)
	{
		op = "BETWEEN";
		l.sql = Cat({x, S(" BETWEEN "), NumberConst(type, value(), type != cast_type), S(" AND "),
					 NumberConst(type, value(), type != cast_type)});
	}
	else if (r < 95)
	{
		op = "IN";
		l.sql = x + S(" IN (");
		for (uint64_t i = 0, n = 1 + Below(4); i < n; i++)
		{
			if (i)
				l.sql = l.sql + S(", ");
			l.sql = l.sql + (Chance(0.1) ? Const(type, std::nullopt, "NULL")
							 : NumberConst(type, value(), type != cast_type));
		}
		l.sql = l.sql + S(")");
	}
	else
	{
		op = "<>";
		l.sql = x + S(" <> ") + NumberConst(type, value(), type != cast_type);
		l.served = false;
	}
	l.form = "cast " + std::string(text ? "text " : "jsonb ") + e.syntax + " " + cast_type +
		(cast_type != type ? " vs " + type : "") + " " + op;
	return l;
}

RandomOrmForms::Leaf
RandomOrmForms::FunctionLeaf(bool allow_raise)
{
	Leaf		l;
	uint64_t	r = Below(100);

	if (r < 60)
	{
		bool		match = r >= 35;
		bool		tz = Chance(0.2);
		bool		uses_var = false;
		bool		served = true;
		std::string p = match ? JsonPathPredicate(0, &uses_var) : JsonPath(&served, &uses_var);
		bool		strict = Chance(0.15);
		bool		lax = !strict && Chance(0.1);
		uint64_t	nargs = uses_var ? 1 + Below(2) : Below(3);	/* vars, then silent */
		bool		silent = nargs == 2 && Chance(0.5);

		if (strict)
			p = "strict " + p;
		else if (lax)
			p = "lax " + p;
		if (strict && !silent)
		{
			/* strict mode raises errors on missing members unless silent */
			if (!allow_raise)
			{
				nargs = 2;
				silent = true;
			}
			else
			{
				l.may_raise = true;
				served = false;
			}
		}
		l.sql = S(std::string("jsonb_path_") + (match ? "match" : "exists") + (tz ? "_tz" : "") +
				  "(doc, ") + (Chance(0.7) ? Const("jsonpath", p, SqlQuote(p)) : S(SqlQuote(p)));
		if (nargs >= 1)
		{
			std::string vars = uses_var ? "{\"x\": " + JsonPathLiteral() + "}" : "{}";

			if (uses_var && Chance(0.1))
			{
				/* an array variable: lax comparisons unwrap it, no literal does */
				vars = "{\"x\": [" + JsonPathLiteral() + ", \"x\"]}";
				l.served = false;
			}

			l.sql = l.sql + S(", ") + JsonbConst(vars);
		}
		if (nargs >= 2)
			l.sql = l.sql + S(silent ? ", true" : ", false");
		l.sql = l.sql + S(")");
		l.served = l.served && served;
		l.form = std::string("function path_") + (match ? "match" : "exists") +
			(strict ? " strict" : "");
	}
	else if (r < 72)
	{
		l.sql = S("jsonb_exists(doc, ") + TextConst(Pick(kKeys)) + S(")");
		l.form = "function jsonb_exists";
	}
	else if (r < 86)
	{
		std::vector<std::optional<std::string>> v;
		bool		all = r >= 79;

		for (uint64_t i = 0, n = Below(4); i < n; i++)
			v.push_back(std::string(Pick(kKeys)));
		l.sql = S(all ? "jsonb_exists_all(doc, " : "jsonb_exists_any(doc, ") +
			TextArray(v, Chance(0.5)) + S(")");
		l.form = all ? "function jsonb_exists_all" : "function jsonb_exists_any";
	}
	else
	{
		OrmPath		path = AnyPath(false);
		std::string c;

		if (path[0].index)
			c = "[{\"status\": " + JsonQuote(Pick(kStatuses)) + "}]";
		else if (path[0].key == "items")
			c = "{\"items\": [{\"sku\": " + JsonQuote("SKU-" + std::to_string(1 + Below(12))) + "}]}";
		else
			c = "{" + JsonQuote(path[0].key) + ": " + JsonConstant({path[0]}) + "}";
		l.sql = S("jsonb_contains(doc, ") + JsonbConst(c) + S(")");
		l.form = "function jsonb_contains";
	}
	return l;
}

RandomOrmForms::Leaf
RandomOrmForms::NativeLeaf()
{
	Leaf		l;
	uint64_t	r = Below(100);

	l.native = true;
	if (r < 30)
	{
		OrmPath		path = AnyPath(false);
		std::string c = path[0].index ? "[" + JsonConstant({}) + "]"
			: "{" + JsonQuote(path[0].key) + ": " + JsonConstant({path[0]}) + "}";

		l.sql = S("doc @> ") + JsonbConst(c);
		l.form = "native @>";
	}
	else if (r < 50)
	{
		l.sql = S("doc ? ") + TextConst(Pick(kKeys));
		l.form = "native ?";
	}
	else if (r < 75)
	{
		bool		uses_var = false;
		bool		served = true;
		std::string p;

		do
		{
			uses_var = false;
			p = JsonPath(&served, &uses_var);
		} while (uses_var);
		l.sql = S("doc @? ") + (Chance(0.5) ? Const("jsonpath", p, SqlQuote(p)) : S(SqlQuote(p)));
		l.native = served;
		l.served = served;
		l.form = "native @?";
	}
	else
	{
		bool		uses_var = false;
		std::string p;

		do
		{
			uses_var = false;
			p = JsonPathPredicate(0, &uses_var);
		} while (uses_var);
		l.sql = S("doc @@ ") + (Chance(0.5) ? Const("jsonpath", p, SqlQuote(p)) : S(SqlQuote(p)));
		l.form = "native @@";
	}
	return l;
}

/*
 * Forms that are true where the path is missing, or that compare something
 * else than the extracted value: a derivation must not narrow them.
 */
RandomOrmForms::Leaf
RandomOrmForms::UnservedLeaf(bool allow_raise)
{
	Leaf		l;
	OrmPath		path = AnyPath(false);
	bool		text = Chance(0.7);
	Extraction	e = Extract(path, text);
	uint64_t	r = Below(100);

	if (r < 30)
		return NonStrictLeaf(path, e, text);
	r = Below(100);
	if (allow_raise && r < 4)
	{
		/* strict, but raises on scalars and objects: the error must survive */
		l.sql = S("jsonb_array_length(") + Extract(path, false).sql + S(") > ") +
			Const("int", "1", "1");
		l.form = "unserved jsonb_array_length";
		l.served = false;
		l.may_raise = true;
		return l;
	}
	if (text && r < 10)
	{
		/* char(n) drops trailing spaces: 'paid '::char(5) compares as 'paid' */
		std::string v = TextConstant(path);

		l.sql = e.sql + S(" = ") + Const("char(" + std::to_string(v.size() + 1) + ")", v,
										 SqlQuote(v) + "::char(" + std::to_string(v.size() + 1) + ")");
		l.form = "unserved text = char(n)";
		l.served = false;
		return l;
	}

	l.served = false;
	if (!text)
	{
		if (r < 30)
		{
			l.sql = e.sql + S(" IS NULL");
			l.form = "unserved jsonb IS NULL";
		}
		else if (r < 55)
		{
			l.sql = S("NOT (") + e.sql + S(" @> ") + JsonbConst(JsonConstant(path)) + S(")");
			l.form = "unserved NOT jsonb @>";
		}
		else if (r < 80)
		{
			l.sql = S("coalesce(") + e.sql + S(", 'null') = ") + JsonbConst(JsonConstant(path));
			l.form = "unserved coalesce jsonb";
		}
		else
		{
			l.sql = e.sql + S(" IS DISTINCT FROM ") + JsonbConst(JsonConstant(path));
			l.form = "unserved jsonb IS DISTINCT FROM";
		}
		return l;
	}

	auto		c = [&]() { return TextConst(TextConstant(path)); };

	if (r < 10)
	{
		l.sql = e.sql + S(" IS NULL");
		l.form = "unserved text IS NULL";
	}
	else if (r < 20)
	{
		l.sql = S("NOT (") + e.sql + S(" = ") + c() + S(")");
		l.form = "unserved NOT text =";
	}
	else if (r < 30)
	{
		l.sql = Cat({S("coalesce("), e.sql, S(", "), c(), S(") = "), c()});
		l.form = "unserved coalesce text";
	}
	else if (r < 38)
	{
		l.sql = Cat({e.sql, S(Chance(0.5) ? " IS DISTINCT FROM " : " IS NOT DISTINCT FROM "), c()});
		l.form = "unserved text IS [NOT] DISTINCT FROM";
	}
	else if (r < 46)
	{
		l.sql = Cat({e.sql, S(" NOT IN ("), c(), S(", "), c(), S(")")});
		l.form = "unserved text NOT IN";
	}
	else if (r < 52)
	{
		std::vector<std::optional<std::string>> v;

		v.push_back(TextConstant(path));
		v.push_back(TextConstant(path));
		l.sql = e.sql + S(" <> ALL(") + TextArray(v, Chance(0.5)) + S(")");
		l.form = "unserved text <> ALL";
	}
	else if (r < 62)
	{
		static const char *const kLike[] = {" LIKE ", " ILIKE ", " NOT LIKE "};
		const char *like = Pick(kLike);
		std::string pat = like[1] == 'L' ? "%" + LikeEscape(Utf8Prefix(TextConstant(path), 2))
			: LikePattern(path, '\\');

		l.sql = e.sql + S(like) + TextConst(pat);
		l.form = std::string("unserved text") + like + "pattern";
	}
	else if (r < 70)
	{
		l.sql = S("lower(") + e.sql + S(") = ") + c();
		l.form = "unserved lower()";
	}
	else if (r < 78)
	{
		l.sql = S("(") + e.sql + S(" = ") + c() + S(") IS NOT TRUE");
		l.form = "unserved IS NOT TRUE";
	}
	else if (r < 86)
	{
		l.sql = Cat({S("("), e.sql, S(" = "), c(), S(" OR "), Extract(path, true).sql, S(" IS NULL)")});
		l.form = "unserved = OR IS NULL";
	}
	else if (r < 92)
	{
		l.sql = S("length(") + e.sql + S(") > ") + Const("int", "2", "2");
		l.form = "unserved length()";
	}
	else if (r < 96 || !allow_raise)
	{
		l.sql = e.sql + S(" = ") + Extract(AnyPath(false), true).sql;
		l.form = "unserved two extractions";
	}
	else
	{
		/* a cast that may fail, negated: the error must survive too */
		l.sql = S("NOT (") + Paren(e.sql) + S("::numeric > ") + NumberConst("numeric", "4.5") + S(")");
		l.form = "unserved NOT cast";
		l.may_raise = true;
	}
	return l;
}

/* A constant for a comparison with a cast to 'type'. */
std::string
RandomOrmForms::CastValue(const std::string &type)
{
	if (type == "int")
		return PickOf({"0", "1", "4", "5", "12", "100", "-1", "2147483647", "-2147483648", "7"});
	if (type == "bigint")
		return PickOf({"0", "1", "5", "12", "100", "-1", "2147483648", "9223372036854775807", "7"});
	if (type == "numeric")
		return PickOf({"0", "1", "4.5", "5", "12", "100", "-1", "0.1", "1e-7", "1e400", "NaN",
					   "Infinity", "-Infinity", "2147483648", "0.30000000000000004", "4.50",
					   "10", "9.99", "16777217"});
	if (type == "float8")
		return PickOf({"0", "1", "4.5", "5", "12", "100", "-1", "0.1", "1e-7", "Infinity",
					   "-Infinity", "NaN", "1e308", "0.30000000000000004", "5000", "10000",
					   "10", "9.99", "9007199254740992"});
	return PickOf({"0", "1", "4.5", "5", "12", "100", "0.1", "Infinity", "NaN", "3.4e38", "1e-7",
				   "10", "9.99", "16777216"});
}

/*
 * Two comparisons of one value, joined by AND (a range: x > 1 AND x < 5,
 * which the planner may merge into one scan, also empty or inverted) or by
 * OR: text, jsonb, or a safe cast, through the same or another extraction
 * syntax of the same path.
 */
RandomOrmForms::Leaf
RandomOrmForms::PairLeaf()
{
	Leaf		l;
	uint64_t	kind = Below(3);
	bool		is_and = Chance(0.75);
	OrmPath		path;
	std::string type;
	std::string collation;
	bool		text_cast = false;
	Extraction	first;

	if (kind == 2)
	{
		int			safe;

		path = SafeCastPath(&safe);
		if (safe == 2)
		{
			type = PickOf({"numeric", "float8", "real"});
			text_cast = true;
		}
		else
		{
			static const char *const kTypes[] = {"numeric", "int", "bigint", "float8", "real"};

			type = Pick(kTypes);
			text_cast = (safe == 1 && (type == "int" || type == "bigint")) ? false : Chance(0.5);
		}
	}
	else
		path = AnyPath(false);
	if (kind == 0 && Chance(0.3))
		collation = PickOf({"C", "C", "px_icu"});
	l.served = collation != "px_icu";
	for (int i = 0; i < 2; i++)
	{
		Extraction	e = (i == 1 && Chance(0.5)) ? first : Extract(path, kind == 0 || text_cast);
		Sql			x = e.sql;
		std::string op = PickOf({"<", "<=", ">", ">=", "=", "BETWEEN", "<", ">"});
		auto		c = [&]() -> Sql {
			if (kind == 0)
				return TextConst(TextConstant(path));
			if (kind == 1)
				return JsonbConst(JsonConstant(path));
			return NumberConst(type, CastValue(type));
		};

		if (i == 0)
			first = e;
		if (kind == 2)
			x = Paren(x) + S("::" + type);
		else if (!collation.empty())
			x = Paren(x) + S(" COLLATE \"" + collation + "\"");
		if (i)
			l.sql = l.sql + S(is_and ? " AND " : " OR ");
		if (op == "BETWEEN")
			l.sql = l.sql + Paren(Cat({x, S(" BETWEEN "), c(), S(" AND "), c()}));
		else
			l.sql = l.sql + Paren(Cat({x, S(" " + op + " "), c()}));
	}
	l.form = std::string("pair ") + (kind == 0 ? "text" : kind == 1 ? "jsonb" : "cast") +
		(is_and ? " AND" : " OR");
	return l;
}

/*
 * Functions and expressions that are not strict: true where the path is
 * missing (concat(NULL, 'x') = 'x', greatest(NULL, 'm') = 'm', nullif).
 * "Some value exists at P" is necessary only for strict tests.
 */
RandomOrmForms::Leaf
RandomOrmForms::NonStrictLeaf(const OrmPath &path, const Extraction &e, bool text)
{
	Leaf		l;
	uint64_t	r = Below(100);
	auto		c = [&]() { return TextConst(TextConstant(path)); };

	l.served = false;
	if (!text)
	{
		if (r < 30)
		{
			l.sql = S("jsonb_build_object('k', ") + e.sql + S(") = ") +
				JsonbConst("{\"k\": " + JsonConstant(path) + "}");
			l.form = "non-strict jsonb_build_object";
		}
		else if (r < 55)
		{
			l.sql = S("greatest(") + e.sql + S(", '1') = '1'");
			l.form = "non-strict greatest(jsonb)";
		}
		else if (r < 80)
		{
			l.sql = S("num_nulls(") + e.sql + S(") = 1");
			l.form = "non-strict num_nulls(jsonb)";
		}
		else
		{
			l.sql = S("jsonb_build_array(") + e.sql + S(") @> '[null]'");
			l.form = "non-strict jsonb_build_array";
		}
		return l;
	}
	if (r < 15)
	{
		l.sql = Cat({S("concat("), e.sql, S(", "), c(), S(") = "), c()});
		l.form = "non-strict concat";
	}
	else if (r < 25)
	{
		l.sql = Cat({S("concat_ws('-', "), e.sql, S(", "), c(), S(") = "), c()});
		l.form = "non-strict concat_ws";
	}
	else if (r < 35)
	{
		l.sql = S("format('%s', ") + e.sql + S(") = ''");
		l.form = "non-strict format";
	}
	else if (r < 50)
	{
		std::string v = TextConstant(path);

		l.sql = Cat({S(Chance(0.5) ? "greatest(" : "least("), e.sql, S(", "), TextConst(v), S(") = "),
					 TextConst(v)});
		l.form = "non-strict greatest/least";
	}
	else if (r < 62)
	{
		l.sql = S("nullif(") + e.sql + S(", ") + c() + S(") IS NULL");
		l.form = "non-strict nullif";
	}
	else if (r < 72)
	{
		l.sql = S("array_to_string(ARRAY[") + e.sql + S("], ',', '*') = '*'");
		l.form = "non-strict array_to_string";
	}
	else if (r < 82)
	{
		l.sql = S("(") + e.sql + S(" IS NULL) = true");
		l.form = "non-strict (IS NULL) = true";
	}
	else if (r < 90)
	{
		l.sql = S("CASE WHEN ") + e.sql + S(" = ") + c() + S(" THEN false ELSE true END");
		l.form = "non-strict CASE";
	}
	else
	{
		l.sql = S("jsonb_build_array(") + e.sql + S(") = '[null]'");
		l.form = "non-strict jsonb_build_array(text)";
	}
	return l;
}

/*
 * A boolean cast: "flag" holds only values every text cast to boolean
 * reads ("yes", "on", " true ", 1); elsewhere (and for jsonb, which fails
 * on strings and null) the cast may raise.
 */
RandomOrmForms::Leaf
RandomOrmForms::BoolCastLeaf(bool allow_raise)
{
	Leaf		l;
	bool		trap = allow_raise && Chance(0.4);
	OrmPath		path = trap ? AnyPath(false) : ToPath(Pick(kFlagPaths));
	bool		text = trap ? Chance(0.5) : true;
	Extraction	e = Extract(path, text);
	std::string spelled = PickOf({"boolean", "bool"});
	Sql			x = Chance(0.25) ? S("CAST(") + e.sql + S(" AS " + spelled + ")")
		: Paren(e.sql) + S("::" + spelled);
	uint64_t	r = Below(100);
	std::string op;

	l.may_raise = trap;
	if (r < 35)
	{
		op = "bare";
		l.sql = x;
	}
	else if (r < 75)
	{
		std::string v = Chance(0.5) ? "true" : "false";

		op = "=";
		l.sql = x + S(" = ") + Const("boolean", v, Chance(0.5) ? v : SqlQuote(v.substr(0, 1)));
	}
	else if (r < 88)
	{
		op = "IS TRUE";
		l.sql = Paren(x) + S(" IS TRUE");
		l.served = false;
	}
	else
	{
		op = "NOT";
		l.sql = S("NOT ") + Paren(x);
		l.served = false;
	}
	l.form = "cast " + std::string(text ? "text " : "jsonb ") + e.syntax + " boolean " + op;
	return l;
}

RandomOrmForms::Leaf
RandomOrmForms::AnyLeaf(bool allow_raise)
{
	uint64_t	r = Below(100);

	if (r < 32)
		return TextLeaf();
	if (r < 52)
		return JsonbLeaf();
	if (r < 72)
		return CastLeaf(allow_raise);
	if (r < 86)
		return FunctionLeaf(allow_raise);
	if (r < 90)
		return NativeLeaf();
	return UnservedLeaf(allow_raise);
}

RandomOrmForms::Leaf
RandomOrmForms::Compound(int depth, bool *served, bool *native)
{
	Leaf		out;
	bool		is_and = Chance(0.55);
	uint64_t	n = 2 + Below(2);

	*served = !is_and;
	*native = !is_and;
	for (uint64_t i = 0; i < n; i++)
	{
		Leaf		child;
		bool		s;
		bool		nat;
		uint64_t	r = Below(100);

		if (depth < 1 && r < 20)
		{
			child = Compound(depth + 1, &s, &nat);
			child.served = s;
			child.native = nat;
		}
		else if (r < 42)
			child = NativeLeaf();
		else if (r < 50)
			child = UnservedLeaf(false);
		else if (r < 60)
			child = PairLeaf();
		else
			child = AnyLeaf(false);
		if (i)
			out.sql = out.sql + S(is_and ? " AND " : " OR ");
		out.sql = out.sql + Paren(child.sql);
		if (is_and)
		{
			*served = *served || child.served;
			*native = *native || child.native;
		}
		else
		{
			*served = *served && child.served;
			*native = *native && child.native;
		}
	}
	out.form = is_and ? "AND" : "OR";
	return out;
}

OrmCondition
RandomOrmForms::Condition()
{
	OrmCondition c;
	Leaf		l;

	params_.clear();
	path_param_ = false;
	if (Chance(0.08))
		l = PairLeaf();
	else if (Chance(0.4))
	{
		bool		served;
		bool		native;

		l = Compound(0, &served, &native);
		l.served = served;
		l.native = native;
	}
	else
		l = AnyLeaf(true);
	c.literal = l.sql.lit;
	c.prepared = l.sql.prep;
	c.params = params_;
	c.form = l.form;
	c.served = l.served;
	c.native = l.native;
	c.may_raise = l.may_raise;
	c.path_param = path_param_;
	return c;
}

}							/* namespace pathx_test */
