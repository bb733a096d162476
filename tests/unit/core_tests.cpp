/*
 * core_tests.cpp
 *	  Boost.Test unit tests of the pure C++ core: key encoding order, equal
 *	  numerics, key size bound, partial-match scans and query expressions.
 *
 * The central property is checked by simulating what GIN does with a
 * partial-match entry: sort every key, start at the entry's start key, call
 * ComparePartial on each following key until it says stop, and collect the
 * matches.  Every value that satisfies the predicate must have its key in
 * that set (the index never loses a row).  Values are random; the seed is
 * fixed so a failure reproduces, and PXTEST_SEED overrides it.
 *
 * This file owns the test module's main (header-only Boost.Test), so the
 * unit test binary needs no Boost library to link.
 */
#define BOOST_TEST_MODULE jsonb_pathx_core
#include <boost/test/included/unit_test.hpp>

#include "core/key_encoding.h"
#include "core/query_expr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace
{

using Bytes = std::vector<uint8_t>;

uint64_t
Seed()
{
	const char *s = std::getenv("PXTEST_SEED");

	return s ? std::strtoull(s, nullptr, 10) : 20261123u;
}

Bytes
NumberText(const char *text)
{
	uint8_t		buf[pathx::kMaxValueBytes];

	return Bytes(buf, buf + pathx::EncodeNumber(text, std::strlen(text), buf));
}

/* A double as numeric text (exact: %.17g round-trips), +-inf as 1e400. */
Bytes
NumberValue(double d)
{
	char		text[64];

	if (std::isinf(d))
		return NumberText(d > 0 ? "1e400" : "-1e400");
	std::snprintf(text, sizeof(text), "%.17g", d);
	return NumberText(text);
}

/* Path hashes with distinct upper 28 bits (the low 4 hold the tag). */
constexpr uint32_t
P(uint32_t n)
{
	return n << 4;
}

Bytes
NumberKey(uint32_t path, double d)
{
	Bytes		v = NumberValue(d);
	uint8_t		key[pathx::kMaxKeyBytes];

	return Bytes(key, key + pathx::MakeKey(path, pathx::KeyTag::kNumber, v.data(), v.size(), key));
}

Bytes
StringKey(uint32_t path, const std::string &s, size_t prefix = pathx::kDefaultStringPrefix)
{
	uint8_t		v[pathx::kMaxValueBytes];
	uint8_t		key[pathx::kMaxKeyBytes];
	size_t		vlen = pathx::EncodeString(s.data(), s.size(), prefix, v);

	return Bytes(key, key + pathx::MakeKey(path, pathx::KeyTag::kString, v, vlen, key));
}

int
Cmp(const Bytes &a, const Bytes &b)
{
	return pathx::CompareBytes(a.data(), a.size(), b.data(), b.size());
}

int
Sign(double x)
{
	return (x > 0) - (x < 0);
}

/* Append code point cp as UTF-8. */
void
AppendUtf8(std::string &s, char32_t cp)
{
	if (cp < 0x80)
		s.push_back(static_cast<char>(cp));
	else if (cp < 0x800)
	{
		s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
		s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
		s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
		s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
	else
	{
		s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
		s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
		s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
		s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
}

/*
 * Random strings with long shared prefixes (so truncation and its edge cases
 * at P bytes are hit often) and a mix of 1- to 4-byte characters.
 */
std::string
RandomString(std::mt19937_64 &rng)
{
	static const char32_t kAlphabet[] = {U'a', U'b', U'z', U'A', U' ', U'é', U'ä', U'ß',
		U'中', U'😀', U'\u07FF', U'\u0800', U'\uFFFD', U'\U00010000'};
	std::string s;
	std::uniform_int_distribution<int> shape(0, 9);
	int			kind = shape(rng);
	size_t		len = kind < 4 ? rng() % 8 : kind < 8 ? 28 + rng() % 10 : rng() % 120;

	if (kind >= 4 && kind < 8)
		s.assign(26 + rng() % 6, 'a');	/* near the default 32-byte cut */
	for (size_t i = 0; i < len; i++)
		AppendUtf8(s, kAlphabet[rng() % (sizeof(kAlphabet) / sizeof(kAlphabet[0]))]);
	return s;
}

double
RandomDouble(std::mt19937_64 &rng)
{
	static const double kSpecial[] = {0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, 1e300, -1e300,
		std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
		std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(), HUGE_VAL,
		-HUGE_VAL, 4900.0, 4900.5, 0.1, 0.2};

	switch (rng() % 4)
	{
		case 0:
			return kSpecial[rng() % (sizeof(kSpecial) / sizeof(kSpecial[0]))];
		case 1:
			return static_cast<double>(static_cast<int64_t>(rng() % 20001) - 10000);
		case 2:
			return (static_cast<double>(rng() % 2000001) - 1000000.0) / 100.0;
		default:
			{
				uint64_t	bits = rng();
				double		d;

				std::memcpy(&d, &bits, sizeof(d));
				return std::isnan(d) ? 1.5 : d;
			}
	}
}

/* What GIN returns for a partial-match entry over a sorted key set. */
std::set<Bytes>
SimulatePartialScan(const std::set<Bytes> &keys, const pathx::MatchSpec &spec)
{
	uint8_t		start[pathx::kMaxKeyBytes];
	Bytes		start_key(start, start + pathx::PartialStartKey(spec, start));
	std::set<Bytes> found;

	for (auto it = keys.lower_bound(start_key); it != keys.end(); ++it)
	{
		int			r = pathx::ComparePartial(spec, it->data(), it->size());

		if (r > 0)
			break;
		if (r == 0)
			found.insert(*it);
	}
	return found;
}

void
SetPath(pathx::MatchSpec &spec, uint32_t path)
{
	pathx::SetKeyHeader(path, 0, spec.path);
}

/* A string range spec built as the query builder builds it. */
pathx::MatchSpec
StringRange(uint32_t path, const std::string *lo, bool lo_inc, const std::string *hi, bool hi_inc)
{
	pathx::MatchSpec spec{};
	size_t		cap = pathx::kDefaultStringPrefix + 1;

	spec.kind = pathx::MatchKind::kRange;
	spec.tag = pathx::KeyTag::kString;
	spec.string_prefix = pathx::kDefaultStringPrefix;
	SetPath(spec, path);
	if (lo)
	{
		spec.has_lo = true;
		spec.lo_inclusive = lo_inc;
		spec.lo_len = static_cast<uint16_t>(std::min(lo->size(), cap));
		std::memcpy(spec.lo, lo->data(), spec.lo_len);
	}
	if (hi)
	{
		spec.has_hi = true;
		spec.hi_inclusive = hi_inc;
		spec.hi_len = static_cast<uint16_t>(std::min(hi->size(), cap));
		std::memcpy(spec.hi, hi->data(), spec.hi_len);
	}
	return spec;
}

/* Builders of AST nodes for query-expression tests. */
struct Ast
{
	std::vector<pathx::AstNode> nodes;
	std::deque<std::string> strings; /* stable addresses for AstNode::str */
	pathx::IndexOptions options;

	int			Add(pathx::AstKind kind, const std::string &str = std::string())
	{
		pathx::AstNode n{};

		n.kind = kind;
		n.next = n.arg0 = n.arg1 = -1;
		strings.push_back(str);
		n.str = strings.back().c_str();
		n.len = static_cast<uint32_t>(str.size());
		nodes.push_back(n);
		return static_cast<int>(nodes.size()) - 1;
	}
	/* $.a.b... as a chain; returns the head */
	int			Path(std::initializer_list<const char *> keys, bool current = false)
	{
		int			head = Add(current ? pathx::AstKind::kCurrent : pathx::AstKind::kRoot);
		int			prev = head;

		for (const char *k : keys)
		{
			int			n = Add(pathx::AstKind::kKey, k);

			nodes[prev].next = n;
			prev = n;
		}
		return head;
	}
	int			Binary(pathx::AstKind kind, int l, int r, pathx::CompareOp op = pathx::CompareOp::kEq)
	{
		int			n = Add(kind);

		nodes[n].arg0 = l;
		nodes[n].arg1 = r;
		nodes[n].cmp = op;
		return n;
	}
	std::string Explain(int root, pathx::JsonPathMode mode = pathx::JsonPathMode::kMatch,
						bool strict = false)
	{
		return pathx::BuildJsonPathQuery(nodes.data(), nodes.size(), root, mode, options,
										 strict).explain;
	}
};

}							/* namespace */

BOOST_AUTO_TEST_SUITE(encoding)

BOOST_AUTO_TEST_CASE(number_order_matches_numeric_order)
{
	std::mt19937_64 rng(Seed());

	for (int i = 0; i < 200000; i++)
	{
		double		a = RandomDouble(rng);
		double		b = RandomDouble(rng);
		int			expected = Sign(a - b);

		if (std::isinf(a) && std::isinf(b))
			expected = a == b ? 0 : (a < b ? -1 : 1);
		BOOST_TEST_REQUIRE(Sign(Cmp(NumberValue(a), NumberValue(b))) == expected,
						   "a=" << a << " b=" << b);
	}
}

BOOST_AUTO_TEST_CASE(equal_numerics_encode_equally)
{
	const char *ones[] = {"1", "1.0", "1e0", "1.000", "10e-1", "0.1e1", "1E+0", "+1", "001"};

	for (const char *t : ones)
		BOOST_TEST((NumberText(t) == NumberText("1")), t);

	const char *zeros[] = {"0", "-0", "0.0", "-0.0e5", "000"};

	for (const char *t : zeros)
		BOOST_TEST((NumberText(t) == NumberText("0")), t);

	/* exact: no rounding to double */
	BOOST_TEST((NumberText("0.1") != NumberText("0.1000000000000000001")));
	BOOST_TEST(Cmp(NumberText("0.1"), NumberText("0.1000000000000000001")) < 0);
	BOOST_TEST(Cmp(NumberText("-0.1000000000000000001"), NumberText("-0.1")) < 0);
}

BOOST_AUTO_TEST_CASE(out_of_range_numbers_stay_ordered)
{
	std::string huge = "1" + std::string(400, '0');

	BOOST_TEST(Cmp(NumberText("1e300"), NumberText("1e400")) < 0);
	BOOST_TEST(Cmp(NumberText(huge.c_str()), NumberText("1e400")) == 0);
	BOOST_TEST(Cmp(NumberText("-1e400"), NumberText("-1e300")) < 0);
	BOOST_TEST(Cmp(NumberText("-1e400"), NumberText("1e400")) < 0);
	BOOST_TEST(Cmp(NumberText("-1e-400"), NumberText("1e-300")) < 0);
	BOOST_TEST(Cmp(NumberText("-1e-300"), NumberText("-1e-400")) < 0);
	BOOST_TEST(Cmp(NumberText("-1e-400"), NumberText("0")) < 0);
	BOOST_TEST(Cmp(NumberText("0"), NumberText("1e-400")) < 0);
	/* beyond the encodable exponent: saturated, still ordered */
	BOOST_TEST(Cmp(NumberText("1e60000"), NumberText("1e70000")) < 0);
	BOOST_TEST(Cmp(NumberText("1e70000"), NumberText("1e80000")) == 0);
	BOOST_TEST(Cmp(NumberText("-1e80000"), NumberText("-1e60000")) < 0);
	Bytes		v = NumberText("1e400");

	BOOST_TEST(pathx::NumberText(v.data(), v.size()) == "1e400");
}

BOOST_AUTO_TEST_CASE(number_encoding_round_trips_through_text)
{
	std::mt19937_64 rng(Seed() + 1);

	for (int i = 0; i < 20000; i++)
	{
		Bytes		v = NumberValue(RandomDouble(rng));
		std::string text = pathx::NumberText(v.data(), v.size());

		if (text == "+inf" || text == "-inf")
			continue;
		BOOST_TEST_REQUIRE((NumberText(text.c_str()) == v), text);
		BOOST_TEST_REQUIRE(v.size() <= pathx::kMaxNumberBytes);
	}
	BOOST_TEST(NumberText("1").size() <= 3u);	/* small integers stay short */
	BOOST_TEST(NumberText("1234.56").size() == 5u);
	BOOST_TEST(pathx::NumberText(NumberText("1234.56").data(), 5) == "1234.56");
	BOOST_TEST(pathx::NumberText(NumberText("-0.05").data(), NumberText("-0.05").size()) == "-0.05");
}

BOOST_AUTO_TEST_CASE(untruncated_string_order_is_code_point_order)
{
	std::mt19937_64 rng(Seed() + 2);

	for (int i = 0; i < 50000; i++)
	{
		std::string a = RandomString(rng);
		std::string b = RandomString(rng);

		if (a.size() > pathx::kDefaultStringPrefix || b.size() > pathx::kDefaultStringPrefix)
			continue;

		/* decode to code points and compare those */
		auto		cps = [](const std::string &s) {
			std::u32string out;

			for (size_t k = 0; k < s.size();)
			{
				unsigned char c = static_cast<unsigned char>(s[k]);
				size_t		n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
				char32_t	cp = n == 1 ? c : c & (0xFF >> (n + 1));

				for (size_t j = 1; j < n; j++)
					cp = (cp << 6) | (static_cast<unsigned char>(s[k + j]) & 0x3F);
				out.push_back(cp);
				k += n;
			}
			return out;
		};
		int			expected = cps(a) < cps(b) ? -1 : cps(a) == cps(b) ? 0 : 1;

		BOOST_TEST_REQUIRE(Sign(Cmp(StringKey(P(7), a), StringKey(P(7), b))) == expected);
	}
}

BOOST_AUTO_TEST_CASE(key_size_is_bounded)
{
	std::mt19937_64 rng(Seed() + 3);
	std::string big(1 << 20, 'x');

	BOOST_TEST(StringKey(P(1), big).size() <= pathx::kMaxKeyBytes);
	BOOST_TEST(StringKey(P(1), big).size() ==
			   pathx::kKeyHeaderBytes + pathx::kDefaultStringPrefix + 1 + pathx::kStringHashBytes);
	for (int i = 0; i < 1000; i++)
	{
		std::string s = RandomString(rng);

		s += std::string(rng() % 5000, 'q');
		BOOST_TEST_REQUIRE(StringKey(P(1), s, pathx::kMaxStringPrefix).size() <= pathx::kMaxKeyBytes);
	}
	/* different long strings with one prefix still get different keys */
	BOOST_TEST(Cmp(StringKey(P(1), big + "a"), StringKey(P(1), big + "b")) != 0);
	BOOST_TEST(Cmp(NumberKey(P(1), 5.0), StringKey(P(1), "5")) != 0);
}

/* Is s well-formed UTF-8 (no truncated or overlong-length sequences)? */
bool
IsValidUtf8(const std::string &s)
{
	size_t		i = 0;

	while (i < s.size())
	{
		unsigned char c = static_cast<unsigned char>(s[i]);
		size_t		n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
			(c & 0xF8) == 0xF0 ? 4 : 0;

		if (n == 0 || i + n > s.size())
			return false;
		for (size_t k = 1; k < n; k++)
			if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

/*
 * A cut string key is shown up to its last whole character: cuts landing
 * inside 2-, 3- and 4-byte characters, at every offset and several
 * string_prefix values, give valid UTF-8 that is a prefix of the original.
 */
BOOST_AUTO_TEST_CASE(cut_strings_display_whole_characters)
{
	const char *chars[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};	/* é € 😀 */

	for (const char *ch : chars)
		for (size_t lead = 0; lead < 4; lead++)
			for (size_t prefix : {pathx::kMinStringPrefix, size_t{5}, size_t{6}, size_t{7},
								  pathx::kDefaultStringPrefix, size_t{33}, pathx::kMaxStringPrefix})
			{
				std::string s(lead, 'x');

				while (s.size() < prefix + 8)
					s += ch;

				Bytes		key = StringKey(P(1), s, prefix);
				std::string d = pathx::DescribeKeyValue(key.data(), key.size());

				BOOST_TEST_CONTEXT("char " << std::strlen(ch) << " bytes, lead " << lead << ", prefix " << prefix)
				{
					BOOST_TEST_REQUIRE(d.find("(truncated") != std::string::npos);
					BOOST_TEST(IsValidUtf8(d));

					size_t		q1 = d.find('"');
					size_t		q2 = d.find('"', q1 + 1);
					std::string shown = d.substr(q1 + 1, q2 - q1 - 1);

					/* a prefix of the string, at most one character short of the cut */
					BOOST_TEST(s.compare(0, shown.size(), shown) == 0);
					BOOST_TEST(shown.size() <= prefix);
					BOOST_TEST(shown.size() + std::strlen(ch) > prefix);
				}
			}
}

BOOST_AUTO_TEST_CASE(path_hash_separates_steps)
{
	uint32_t	root = pathx::RootPathHash();
	uint32_t	ab = pathx::PathStepHash(pathx::PathStepHash(root, "a", 1), "b", 1);
	uint32_t	a_dot_b = pathx::PathStepHash(root, "a.b", 3);
	uint32_t	ba = pathx::PathStepHash(pathx::PathStepHash(root, "b", 1), "a", 1);

	BOOST_TEST(ab != a_dot_b);
	BOOST_TEST(ab != ba);
	BOOST_TEST(pathx::PathStepHash(root, "", 0) != root);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(partial_match)

BOOST_AUTO_TEST_CASE(number_ranges_never_lose_a_value)
{
	std::mt19937_64 rng(Seed() + 4);
	std::vector<double> values;
	std::set<Bytes> keys;

	for (int i = 0; i < 3000; i++)
	{
		double		d = RandomDouble(rng);

		values.push_back(d);
		keys.insert(NumberKey(P(42), d));
	}
	/* neighbours under other paths and types must not leak or stop scans */
	keys.insert(StringKey(P(42), "x"));
	keys.insert(NumberKey(P(41), 1.0));
	keys.insert(NumberKey(P(43), 1.0));

	for (int q = 0; q < 400; q++)
	{
		double		bound = values[rng() % values.size()];
		bool		lower = rng() % 2;
		pathx::MatchSpec spec{};

		spec.kind = pathx::MatchKind::kRange;
		spec.tag = pathx::KeyTag::kNumber;
		SetPath(spec, P(42));
		Bytes		b = NumberValue(bound);

		if (lower)
		{
			spec.has_lo = true;
			spec.lo_len = static_cast<uint16_t>(b.size());
			std::memcpy(spec.lo, b.data(), b.size());
		}
		else
		{
			spec.has_hi = true;
			spec.hi_len = static_cast<uint16_t>(b.size());
			std::memcpy(spec.hi, b.data(), b.size());
		}
		std::set<Bytes> found = SimulatePartialScan(keys, spec);

		for (double v : values)
		{
			bool		satisfies = lower ? v > bound : v < bound;

			if (satisfies)
				BOOST_TEST_REQUIRE(found.count(NumberKey(P(42), v)) == 1u,
								   "lost " << v << (lower ? " > " : " < ") << bound);
		}
		for (const Bytes &k : found)
			BOOST_TEST_REQUIRE(pathx::KeyPathBits(k.data(), k.size()) == 42u);
	}
}

BOOST_AUTO_TEST_CASE(string_ranges_and_prefixes_never_lose_a_value)
{
	std::mt19937_64 rng(Seed() + 5);
	std::vector<std::string> values;
	std::set<Bytes> keys;

	for (int i = 0; i < 3000; i++)
	{
		std::string s = RandomString(rng);

		values.push_back(s);
		keys.insert(StringKey(P(9), s));
	}
	keys.insert(NumberKey(P(9), 3.0));
	keys.insert(StringKey(P(10), ""));
	keys.insert(StringKey(P(8), "zzz"));

	for (int q = 0; q < 600; q++)
	{
		std::string a = rng() % 2 ? values[rng() % values.size()] : RandomString(rng);
		std::string b = rng() % 2 ? values[rng() % values.size()] : RandomString(rng);
		int			shape = static_cast<int>(rng() % 4);
		bool		inc = rng() % 2;
		pathx::MatchSpec spec;

		if (shape == 0)
			spec = StringRange(P(9), &a, inc, nullptr, false);
		else if (shape == 1)
			spec = StringRange(P(9), nullptr, false, &a, inc);
		else if (shape == 2)
		{
			const std::string &lo = std::min(a, b);
			const std::string &hi = std::max(a, b);

			spec = StringRange(P(9), &lo, inc, &hi, !inc);
		}
		else
		{
			/* prefix: a random prefix of a random value */
			std::string p = a.substr(0, rng() % (a.size() + 1));

			spec = pathx::MatchSpec{};
			spec.kind = pathx::MatchKind::kStringPrefix;
			spec.tag = pathx::KeyTag::kString;
			SetPath(spec, P(9));
			spec.has_lo = true;
			spec.lo_len = static_cast<uint16_t>(std::min(p.size(), pathx::kDefaultStringPrefix + 1));
			std::memcpy(spec.lo, p.data(), spec.lo_len);
			a = p;
		}
		std::set<Bytes> found = SimulatePartialScan(keys, spec);

		for (const std::string &v : values)
		{
			bool		ok;

			if (shape == 0)
				ok = inc ? v >= a : v > a;
			else if (shape == 1)
				ok = inc ? v <= a : v < a;
			else if (shape == 2)
				ok = (inc ? v >= std::min(a, b) : v > std::min(a, b)) &&
					(!inc ? v <= std::max(a, b) : v < std::max(a, b));
			else
				ok = v.compare(0, a.size(), a) == 0;
			if (ok)
				BOOST_TEST_REQUIRE(found.count(StringKey(P(9), v)) == 1u,
								   "lost \"" << v << "\" shape " << shape << " bound \"" << a << "\"");
		}
	}
}

BOOST_AUTO_TEST_CASE(path_any_finds_every_type_and_only_its_path)
{
	std::set<Bytes> keys = {NumberKey(P(5), 1.0), StringKey(P(5), "x"), NumberKey(P(6), 1.0),
	StringKey(P(4), "y")};
	uint8_t		k[pathx::kMaxKeyBytes];

	keys.insert(Bytes(k, k + pathx::MakeKey(P(5), pathx::KeyTag::kContainer, nullptr, 0, k)));
	pathx::MatchSpec spec{};

	spec.kind = pathx::MatchKind::kPathAny;
	SetPath(spec, P(5));
	BOOST_TEST(SimulatePartialScan(keys, spec).size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(query_expressions)

BOOST_AUTO_TEST_CASE(and_or_and_unindexable_parts)
{
	Ast			a;
	int			eq = a.Binary(pathx::AstKind::kCompare, a.Path({"status"}), a.Add(pathx::AstKind::kString, "paid"));
	int			gt = a.Binary(pathx::AstKind::kCompare, a.Path({"total"}), a.Add(pathx::AstKind::kNumber, "4900"),
							  pathx::CompareOp::kGt);
	int			both = a.Binary(pathx::AstKind::kAnd, eq, gt);
	int			neg = a.Add(pathx::AstKind::kNot);
	int			and_neg = a.Binary(pathx::AstKind::kAnd, eq, neg);
	int			or_neg = a.Binary(pathx::AstKind::kOr, eq, neg);
	int			ne = a.Binary(pathx::AstKind::kCompare, a.Path({"x"}), a.Add(pathx::AstKind::kNumber, "1"),
							  pathx::CompareOp::kNe);

	BOOST_TEST(a.Explain(both) == "AND(EQ($.status \"paid\"), RANGE($.total number (4900,+inf)))");
	BOOST_TEST(a.Explain(and_neg) == "EQ($.status \"paid\")");
	BOOST_TEST(a.Explain(or_neg) == "FULL SCAN");
	BOOST_TEST(a.Explain(ne) == "EXISTS($.x)");	/* != needs the path to exist */
	/* a predicate used as an @? path returns one boolean item: not narrowing */
	BOOST_TEST(a.Explain(eq, pathx::JsonPathMode::kExists) == "FULL SCAN");
}

BOOST_AUTO_TEST_CASE(literal_on_the_left_is_mirrored)
{
	Ast			a;
	int			lt = a.Binary(pathx::AstKind::kCompare, a.Add(pathx::AstKind::kNumber, "10"), a.Path({"n"}),
							  pathx::CompareOp::kLt);

	BOOST_TEST(a.Explain(lt) == "RANGE($.n number (10,+inf))");
}

BOOST_AUTO_TEST_CASE(filters_and_existence)
{
	Ast			a;
	int			cond = a.Binary(pathx::AstKind::kCompare, a.Path({"b"}, true), a.Add(pathx::AstKind::kNumber, "1"));
	int			chain = a.Path({"a"});
	int			filter = a.Add(pathx::AstKind::kFilter);
	int			c = a.Add(pathx::AstKind::kKey, "c");

	a.nodes[filter].arg0 = cond;
	a.nodes[a.nodes[chain].next].next = filter;
	a.nodes[filter].next = c;
	BOOST_TEST(a.Explain(chain, pathx::JsonPathMode::kExists) == "AND(EQ($.a.b 1), EXISTS($.a.c))");

	/* without the trailing .c, the filter implies $.a exists: no EXISTS */
	a.nodes[filter].next = -1;
	BOOST_TEST(a.Explain(chain, pathx::JsonPathMode::kExists) == "EQ($.a.b 1)");

	/* a wildcard after the filter keeps the filter's condition */
	int			any = a.Add(pathx::AstKind::kAnyKey);

	a.nodes[filter].next = any;
	BOOST_TEST(a.Explain(chain, pathx::JsonPathMode::kExists) == "EQ($.a.b 1)");
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_bounded)
{
	Ast			a;
	int			leaf = a.Binary(pathx::AstKind::kCompare, a.Path({"n"}), a.Add(pathx::AstKind::kNumber, "1"));
	int			top = leaf;

	for (int i = 0; i < 10000; i++)
		top = a.Binary(pathx::AstKind::kOr, top, leaf);
	BOOST_TEST(a.Explain(top) == "FULL SCAN");	/* too deep to decompose: correct, not narrow */

	top = leaf;
	for (int i = 0; i < 10000; i++)
		top = a.Binary(pathx::AstKind::kAnd, leaf, top);
	BOOST_TEST(a.Explain(top) == "EQ($.n 1)");

	/* a path of 300 member steps is longer than any the builder follows */
	Ast			longpath;
	int			head = longpath.Add(pathx::AstKind::kRoot);
	int			prev = head;

	for (int i = 0; i < 300; i++)
	{
		int			k = longpath.Add(pathx::AstKind::kKey, "k");

		longpath.nodes[prev].next = k;
		prev = k;
	}
	int			cmp = longpath.Binary(pathx::AstKind::kCompare, head,
									  longpath.Add(pathx::AstKind::kNumber, "1"));

	BOOST_TEST(longpath.Explain(cmp) == "FULL SCAN");
	longpath.nodes[longpath.nodes[head].next].next = -1;	/* now $.k */
	BOOST_TEST(longpath.Explain(cmp) == "EQ($.k 1)");
}

BOOST_AUTO_TEST_CASE(strict_between_is_one_range)
{
	/* $.a ? (@ >= 5 && @ <= 10), and with the literal first: 10 >= @ */
	Ast			a;
	int			path = a.Path({"a"});
	int			lo = a.Binary(pathx::AstKind::kCompare, a.Path({}, true),
							  a.Add(pathx::AstKind::kNumber, "5"), pathx::CompareOp::kGe);
	int			hi = a.Binary(pathx::AstKind::kCompare, a.Add(pathx::AstKind::kNumber, "10"),
							  a.Path({}, true), pathx::CompareOp::kGe);
	int			filter = a.Add(pathx::AstKind::kFilter);

	a.nodes[filter].arg0 = a.Binary(pathx::AstKind::kAnd, lo, hi);
	a.nodes[a.nodes[path].next].next = filter;

	/* strict: one item, both bounds on it, one scan */
	BOOST_TEST(a.Explain(path, pathx::JsonPathMode::kExists, true) == "RANGE($.a number [5,10])");
	/* lax: @ = [1, 100] meets both bounds with no value between: two scans */
	BOOST_TEST(a.Explain(path, pathx::JsonPathMode::kExists, false) ==
			   "AND(RANGE($.a number [5,+inf)), RANGE($.a number (-inf,10]))");
}

BOOST_AUTO_TEST_CASE(program_evaluation_is_three_valued)
{
	Ast			a;
	int			x = a.Binary(pathx::AstKind::kCompare, a.Path({"x"}), a.Add(pathx::AstKind::kNumber, "1"));
	int			y = a.Binary(pathx::AstKind::kCompare, a.Path({"y"}), a.Add(pathx::AstKind::kNumber, "2"));
	int			z = a.Binary(pathx::AstKind::kCompare, a.Path({"z"}), a.Add(pathx::AstKind::kNumber, "3"));
	int			root = a.Binary(pathx::AstKind::kAnd, x, a.Binary(pathx::AstKind::kOr, y, z));
	pathx::BuiltQuery q = pathx::BuildJsonPathQuery(a.nodes.data(), a.nodes.size(), root,
													pathx::JsonPathMode::kMatch, pathx::IndexOptions{});

	/* the image must be 8-byte aligned, as palloc'd memory is */
	std::vector<uint64_t> aligned((q.image.size() + 7) / 8);

	std::memcpy(aligned.data(), q.image.data(), q.image.size());
	const void *img = aligned.data();

	BOOST_TEST_REQUIRE(pathx::ProgramGetHeader(img)->nentries == 3u);
	for (int mask = 0; mask < 27; mask++)
	{
		char		check[3];
		int			m = mask;

		for (char &c : check)
		{
			c = static_cast<char>(m % 3);
			m /= 3;
		}
		auto		And = [](char p, char r) {
			return (p == 0 || r == 0) ? 0 : (p == 1 && r == 1) ? 1 : 2;
		};
		auto		Or = [](char p, char r) {
			return (p == 1 || r == 1) ? 1 : (p == 0 && r == 0) ? 0 : 2;
		};
		char		expected = static_cast<char>(And(check[0], Or(check[1], check[2])));

		BOOST_TEST_REQUIRE(pathx::EvaluateProgram(img, check, true) == expected);
	}
}

BOOST_AUTO_TEST_CASE(cnf_queries)
{
	uint8_t		k1[pathx::kMaxKeyBytes];
	size_t		l1 = pathx::MakeKey(pathx::RootPathHash(), pathx::KeyTag::kNull, nullptr, 0, k1);
	pathx::LeafRequest leaves[2] = {};

	leaves[0].kind = pathx::LeafKind::kPathAny;
	leaves[0].group = 0;
	leaves[0].path_hash = pathx::PathStepHash(pathx::RootPathHash(), "k", 1);
	leaves[0].path_text = "$.k";
	leaves[0].path_text_len = 3;
	leaves[0].covered = true;
	leaves[1].kind = pathx::LeafKind::kExact;
	leaves[1].group = 0;
	leaves[1].key = k1;
	leaves[1].key_len = static_cast<uint32_t>(l1);
	leaves[1].path_text = "$";
	leaves[1].path_text_len = 1;
	leaves[1].covered = true;
	BOOST_TEST(pathx::BuildCnfQuery(leaves, 2, 1, false).explain == "OR(EXISTS($.k), EQ($ null))");
	BOOST_TEST(pathx::BuildCnfQuery(leaves, 0, 0, false).explain == "NOTHING");
	BOOST_TEST(pathx::BuildCnfQuery(leaves, 0, 0, true).explain == "FULL SCAN");
	/* a leaf the index does not cover makes its group unindexable */
	leaves[1].covered = false;
	BOOST_TEST(pathx::BuildCnfQuery(leaves, 2, 1, false).explain == "FULL SCAN");
}

BOOST_AUTO_TEST_CASE(path_lists_parse_and_cover)
{
	std::vector<uint32_t> hashes;
	std::string error;
	uint32_t	root = pathx::RootPathHash();
	uint32_t	user = pathx::PathStepHash(root, "user", 4);
	uint32_t	odd = pathx::PathStepHash(root, "odd key", 7);
	uint32_t	sku = pathx::PathStepHash(pathx::PathStepHash(root, "items", 5), "sku", 3);

	BOOST_TEST_REQUIRE(pathx::ParsePathList("$.user, $.items[*].sku ,$.\"odd key\"", 35, &hashes, &error));
	BOOST_TEST((hashes == std::vector<uint32_t>{user, sku, odd}));

	const char *bad[] = {"", "user", "$.a,", "$.*", "$.a.**", "$.\"open", "$[0", "$.a $.b", "$."};

	for (const char *b : bad)
	{
		BOOST_TEST(!pathx::ParsePathList(b, std::strlen(b), &hashes, &error), b);
		BOOST_TEST(!error.empty());
	}

	/* include $.user, exclude $.user.notes */
	uint32_t	notes = pathx::PathStepHash(user, "notes", 5);
	uint32_t	inc[] = {user};
	uint32_t	exc[] = {notes};
	pathx::IndexOptions o;

	o.include = inc;
	o.ninclude = 1;
	o.exclude = exc;
	o.nexclude = 1;
	pathx::Coverage r = pathx::RootCoverage(o);
	pathx::Coverage u = pathx::StepCoverage(o, r, user);
	pathx::Coverage n = pathx::StepCoverage(o, u, notes);
	pathx::Coverage name = pathx::StepCoverage(o, u, pathx::PathStepHash(user, "name", 4));
	pathx::Coverage deep = pathx::StepCoverage(o, n, pathx::PathStepHash(notes, "x", 1));

	BOOST_TEST(!pathx::IsCovered(o, r));
	BOOST_TEST(pathx::IsCovered(o, u));
	BOOST_TEST(pathx::IsCovered(o, name));
	BOOST_TEST(!pathx::IsCovered(o, n));
	BOOST_TEST(!pathx::IsCovered(o, deep));
	BOOST_TEST(pathx::IsCovered(pathx::IndexOptions{}, pathx::RootCoverage(pathx::IndexOptions{})));
}

BOOST_AUTO_TEST_CASE(options_shape_query_expressions)
{
	Ast			a;
	int			country = a.Binary(pathx::AstKind::kCompare, a.Path({"user", "country"}),
								   a.Add(pathx::AstKind::kString, "IS"));
	int			total = a.Binary(pathx::AstKind::kCompare, a.Path({"total"}), a.Add(pathx::AstKind::kNumber, "7"));
	int			both = a.Binary(pathx::AstKind::kAnd, country, total);
	int			either = a.Binary(pathx::AstKind::kOr, country, total);
	uint32_t	inc[] = {pathx::PathStepHash(pathx::RootPathHash(), "user", 4)};

	a.options.include = inc;
	a.options.ninclude = 1;
	BOOST_TEST(a.Explain(both) == "EQ($.user.country \"IS\")");
	BOOST_TEST(a.Explain(either) == "FULL SCAN");
	BOOST_TEST(a.Explain(total) == "FULL SCAN");

	/* wildcards: only with anypath, searched by last member name or ANY */
	Ast			w;
	int			head = w.Add(pathx::AstKind::kRoot);
	int			star = w.Add(pathx::AstKind::kAny);
	int			code = w.Add(pathx::AstKind::kKey, "code");

	w.nodes[head].next = star;
	w.nodes[star].next = code;
	int			cmp = w.Binary(pathx::AstKind::kCompare, head, w.Add(pathx::AstKind::kString, "c70"));

	BOOST_TEST(w.Explain(cmp) == "FULL SCAN");
	w.options.anypath = true;
	BOOST_TEST(w.Explain(cmp) == "EQ($.**.code \"c70\")");
	w.nodes[star].next = -1;
	BOOST_TEST(w.Explain(cmp) == "EQ($.** \"c70\")");
	BOOST_TEST(w.Explain(head, pathx::JsonPathMode::kExists) == "FULL SCAN");
}

BOOST_AUTO_TEST_CASE(regex_literal_prefix)
{
	struct
	{
		const char *pattern;
		uint32_t	flags;
		const char *prefix;		/* nullptr: no usable prefix */
	}			cases[] = {
		{"^abc", 0, "abc"},
		{"^abc.*", 0, "abc"},
		{"^ab?c", 0, "a"},
		{"^ab*", 0, "a"},
		{"^ab+c", 0, "ab"},
		{"^ab{2}", 0, "a"},
		{"^a(b|c)", 0, "a"},
		{"^ab|cd", 0, nullptr},
		{"abc", 0, nullptr},
		{"^abc", pathx::kRegexICase, nullptr},
		{"^abc", pathx::kRegexMultiLine, nullptr},
		{"^abc", pathx::kRegexQuote, nullptr},
		{"^abc", pathx::kRegexDotAll, "abc"},
		{"^\\.x", 0, nullptr},
		{"^[|]x", 0, nullptr},
		{"^é?x", 0, nullptr},
		{"^xé?", 0, "x"},
		{"^x[]|]", 0, "x"},
	};

	for (const auto &c : cases)
	{
		std::string prefix;
		bool		ok = pathx::RegexLiteralPrefix(c.pattern, std::strlen(c.pattern), c.flags, &prefix);

		BOOST_TEST(ok == (c.prefix != nullptr), c.pattern);
		if (ok && c.prefix)
			BOOST_TEST(prefix == c.prefix, c.pattern);
	}
}

BOOST_AUTO_TEST_SUITE_END()
