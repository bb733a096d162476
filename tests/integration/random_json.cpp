/*
 * random_json.cpp
 *	  Random documents and queries for the differential tests (see header).
 */
#include "random_json.h"

#include <cstdio>

namespace pathx_test
{

namespace
{

const char *const kKeys[] = {"a", "b", "c", "id", "name", "x y", "é", "items", "tags", "n",
	"s", "deep", "0", "", "k", "price"};
const char *const kStrings[] = {"", "a", "ab", "abc", "b", "z", "é", "ä", "Z", "😀", "k", "paid",
	"SKU-1", "SKU-10", "a\"b", "line\nbreak", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé"};
const char *const kNumbers[] = {"0", "-0", "1", "1.0", "-1", "2.5", "1e300", "-1e300", "100",
	"99.99", "0.00001", "123456789012345678", "3", "1e400", "-1e-400", "1.000",
	"0.1000000000000000001", "-7.25"};
const char *const kRegexes[] = {"^a", "^ab", "^SKU", "^é", "^a+", "^ab?c", "^a|b", "^", "b",
	"^aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};

template<typename T, size_t N>
constexpr size_t
Count(const T (&)[N])
{
	return N;
}

}							/* namespace */

std::string
SqlQuote(const std::string &s)
{
	std::string out = "'";

	for (char c : s)
	{
		if (c == '\'')
			out += "''";
		else
			out.push_back(c);
	}
	return out + "'";
}

std::string
JsonQuote(const std::string &s)
{
	std::string out = "\"";

	for (char c : s)
	{
		if (c == '"' || c == '\\')
		{
			out.push_back('\\');
			out.push_back(c);
		}
		else if (c == '\n')
			out += "\\n";
		else
			out.push_back(c);
	}
	return out + "\"";
}

std::string
JsonNode::Text() const
{
	std::string out;

	switch (kind)
	{
		case Kind::kScalar:
			return scalar;
		case Kind::kObject:
			out = "{";
			for (size_t i = 0; i < members.size(); i++)
				out += (i ? ", " : "") + JsonQuote(members[i].first) + ": " + members[i].second.Text();
			return out + "}";
		case Kind::kArray:
			out = "[";
			for (size_t i = 0; i < elements.size(); i++)
				out += (i ? ", " : "") + elements[i].Text();
			return out + "]";
	}
	return out;
}

std::string
RandomJson::Key()
{
	return kKeys[Below(Count(kKeys))];
}

std::string
RandomJson::Scalar()
{
	double		r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);

	if (r < 0.38)
		return JsonQuote(kStrings[Below(Count(kStrings))]);
	if (r < 0.75)
		return kNumbers[Below(Count(kNumbers))];
	if (r < 0.85)
		return Chance(0.5) ? "true" : "false";
	if (r < 0.87)
	{
		/* a long string, past any string prefix */
		return JsonQuote(std::string(3000 + Below(7000), 'q') + std::to_string(Below(5)));
	}
	return "null";
}

JsonNode
RandomJson::Value(int depth)
{
	JsonNode	n;
	double		r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);

	if (depth > 3 || r < 0.3)
	{
		n.scalar = Scalar();
		return n;
	}
	if (r < 0.65)
	{
		n.kind = JsonNode::Kind::kObject;
		for (uint64_t i = Below(5); i > 0; i--)
			n.members.emplace_back(Key(), Value(depth + 1));
		return n;
	}
	n.kind = JsonNode::Kind::kArray;
	for (uint64_t i = Below(5); i > 0; i--)
		n.elements.push_back(Value(depth + 1));
	return n;
}

std::string
RandomJson::Document()
{
	JsonNode	doc;

	if (Chance(0.8))
	{
		doc.kind = JsonNode::Kind::kObject;
		for (uint64_t i = Below(7); i > 0; i--)
			doc.members.emplace_back(Key(), Value(1));
	}
	else
		doc = Value(0);
	docs_.push_back(doc);
	return doc.Text();
}

JsonNode
RandomJson::Sub(const JsonNode &n)
{
	JsonNode	out = n;

	out.members.clear();
	out.elements.clear();
	for (const auto &m : n.members)
		if (Chance(0.5))
			out.members.emplace_back(m.first, Sub(m.second));
	for (const auto &e : n.elements)
		if (Chance(0.5))
			out.elements.push_back(Sub(e));
	return out;
}

std::string
RandomJson::PathSteps(const std::string &start, int depth)
{
	std::string p = start;

	for (uint64_t i = Below(4); i > 0; i--)
	{
		double		r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);

		if (r < 0.6)
			p += "." + JsonQuote(Key());
		else if (r < 0.75)
			p += "[*]";
		else if (r < 0.82)
			p += "[0]";
		else if (r < 0.86)
			p += ".*";
		else if (r < 0.88)
			p += ".**";
		else if (depth < 2)
			p += " ? (" + Predicate("@", depth + 1) + ")";
		else
			p += Chance(0.5) ? ".type()" : ".size()";
	}
	return p;
}

std::string
RandomJson::Predicate(const std::string &cur, int depth)
{
	double		r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);

	if (depth < 2 && r < 0.15)
		return "(" + Predicate(cur, depth + 1) + " && " + Predicate(cur, depth + 1) + ")";
	if (depth < 2 && r < 0.27)
		return "(" + Predicate(cur, depth + 1) + " || " + Predicate(cur, depth + 1) + ")";
	if (r < 0.32)
		return "!(" + Predicate(cur, depth + 1) + ")";
	if (r < 0.37)
		return "exists(" + PathSteps(cur, depth) + ")";
	if (r < 0.42)
		return PathSteps(cur, depth) + " starts with " + JsonQuote(kStrings[Below(Count(kStrings))]);
	if (r < 0.47)
	{
		static const char *const kFlags[] = {"", " flag \"i\"", " flag \"s\"", " flag \"m\"",
		" flag \"q\""};

		return PathSteps(cur, depth) + " like_regex " + JsonQuote(kRegexes[Below(Count(kRegexes))]) +
			kFlags[Below(Count(kFlags))];
	}
	if (r < 0.50)
		return "(" + Predicate(cur, depth + 1) + ") is unknown";
	if (r < 0.54)
	{
		static const char *const kTypes[] = {"number", "string", "object", "array", "null",
		"boolean"};

		return PathSteps(cur, depth) + ".type() == " + JsonQuote(kTypes[Below(Count(kTypes))]);
	}

	static const char *const kOps[] = {"==", "==", "!=", "<", "<=", ">", ">="};
	std::string op = kOps[Below(Count(kOps))];
	std::string lit = Scalar();

	if (lit.size() > 200)
		lit = JsonQuote("q");
	if (Chance(0.15))
		return lit + " " + op + " " + PathSteps(cur, depth);
	return PathSteps(cur, depth) + " " + op + " " + lit;
}

std::string
RandomJson::Query()
{
	double		r = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
	static const char *const kModes[] = {"", "lax ", "strict "};

	if (r < 0.2 && !docs_.empty())
		return "doc @> " + SqlQuote(Sub(docs_[Below(docs_.size())]).Text());
	if (r < 0.27)
		return "doc ? " + SqlQuote(Chance(0.5) ? Key() : kStrings[Below(Count(kStrings))]);
	if (r < 0.37)
	{
		std::string arr;

		for (uint64_t i = Below(4); i > 0; i--)
			arr += (arr.empty() ? "" : ", ") + SqlQuote(Key());
		return std::string("doc ") + (r < 0.32 ? "?|" : "?&") + " array[" + arr + "]::text[]";
	}
	if (r < 0.65)
		return "doc @? " + SqlQuote(kModes[Below(3)] + PathSteps("$", 0));
	return "doc @@ " + SqlQuote(kModes[Below(3)] + Predicate("$", 0));
}

}							/* namespace pathx_test */
