/*
 * sql_forms_tests.cpp
 *	  Unit tests of the derivation of application SQL forms (core/sql_forms.h):
 *	  the jsonpath conditions it writes for each form and trap, source
 *	  decoding, LIKE prefixes, cast widening and variable substitution.
 *
 * The conditions are compared as text: they are what EXPLAIN shows and
 * what the jsonpath builder decomposes, so a change in them is a change a
 * user sees.  Whether each condition is necessary is checked against real
 * documents by the pg_regress test app_forms and the randomized
 * differential tests; here the point is that each trap adds its
 * alternative.
 */
#include <boost/test/unit_test.hpp>

#include "core/sql_forms.h"

#include <string>
#include <vector>

namespace
{

pathx::FormSource
Src(std::vector<std::string> elems)
{
	pathx::FormSource src;

	BOOST_REQUIRE(pathx::DecodeFormSource(elems, &src));
	return src;
}

std::string
Derive(std::vector<std::string> elems, const std::string &form, std::vector<std::string> values)
{
	std::string out;

	if (!pathx::DeriveFormCondition(Src(std::move(elems)), form, values, &out))
		return "NONE";
	return out;
}

bool
Contains(const std::string &s, const std::string &part)
{
	return s.find(part) != std::string::npos;
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(sql_forms)

BOOST_AUTO_TEST_CASE(source_encoding_round_trips)
{
	pathx::FormSource src = Src({"p$.a", "kname", "i0", "a1"});

	BOOST_TEST(src.base == "$.a");
	BOOST_REQUIRE_EQUAL(src.steps.size(), 3u);
	BOOST_TEST((src.steps[0].kind == pathx::FormStepKind::kKey));
	BOOST_TEST((src.steps[1].kind == pathx::FormStepKind::kIndex));
	BOOST_TEST((src.steps[2].kind == pathx::FormStepKind::kKeyOrIndex));
	BOOST_TEST((pathx::EncodeFormSource(src) == std::vector<std::string>{"p$.a", "kname", "i0", "a1"}));

	pathx::FormSource bad;

	BOOST_TEST(!pathx::DecodeFormSource({"xfoo"}, &bad));
	BOOST_TEST(!pathx::DecodeFormSource({""}, &bad));
	BOOST_TEST(!pathx::DecodeFormSource({"kA", "p$"}, &bad)); /* base only first */
}

BOOST_AUTO_TEST_CASE(text_equality_covers_every_type_with_that_text)
{
	BOOST_TEST(Derive({"kstatus"}, "text_eq", {"paid"}) == "exists($.\"status\" ? (@ == \"paid\"))");

	/* '1' is the string "1" or the number 1; '1e0' is no number's text */
	std::string one = Derive({"kn"}, "text_eq", {"1"});

	BOOST_TEST(Contains(one, "@ == \"1\""));
	BOOST_TEST(Contains(one, "@ == 1)"));
	BOOST_TEST(!Contains(Derive({"kn"}, "text_eq", {"1e0"}), "@ == 1e0"));
	BOOST_TEST(Contains(Derive({"kn"}, "text_eq", {"-0.50"}), "@ == -0.50"));

	BOOST_TEST(Contains(Derive({"kn"}, "text_eq", {"true"}), "@ == true"));
	BOOST_TEST(Contains(Derive({"kn"}, "text_eq", {"{\"x\": 1}"}), ".type() == \"object\""));
	BOOST_TEST(Contains(Derive({"kn"}, "text_eq", {"[1]"}), ".type() == \"array\""));
	/* JSON null gives SQL NULL: the text 'null' is only ever a string */
	BOOST_TEST(Derive({"kn"}, "text_eq", {"null"}) == "exists($.\"n\" ? (@ == \"null\"))");

	/* IN: one alternative per value */
	BOOST_TEST(Derive({"ks"}, "text_eq", {"a", "b"}) ==
			   "(exists($.\"s\" ? (@ == \"a\"))) || (exists($.\"s\" ? (@ == \"b\")))");
}

BOOST_AUTO_TEST_CASE(strings_are_quoted_for_jsonpath)
{
	BOOST_TEST(pathx::JsonPathStringLiteral("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\u000a\\u0001\"");
	BOOST_TEST(Derive({"kit's \"k\""}, "exists", {}) == "exists($.\"it's \\\"k\\\"\")");
}

BOOST_AUTO_TEST_CASE(text_cast_to_boolean)
{
	std::string t = Derive({"kflag"}, "text_true", {});

	BOOST_TEST(Contains(t, "@ == true"));
	BOOST_TEST(Contains(t, "@ == 1"));	/* '1'::boolean */
	BOOST_TEST(Contains(t, "\"string\""));	/* 'yes', 'on', ' TRUE ' */

	std::string f = Derive({"kflag"}, "text_false", {});

	BOOST_TEST(Contains(f, "@ == false"));
	BOOST_TEST(Contains(f, "@ == 0"));
	BOOST_TEST(!Contains(f, "@ == true"));
}

BOOST_AUTO_TEST_CASE(like_and_prefix)
{
	BOOST_TEST(Contains(Derive({"ke"}, "text_like", {"abc%"}), "@ starts with \"abc\""));
	BOOST_TEST(Contains(Derive({"ke"}, "text_like", {"ab_c%"}), "@ starts with \"ab\""));
	BOOST_TEST(Contains(Derive({"ke"}, "text_like", {"a\\%b%"}), "@ starts with \"a%b\""));
	/* no literal prefix: existence only */
	BOOST_TEST(Derive({"ke"}, "text_like", {"%abc"}) == "exists($.\"e\")");

	/* LIKE '1%' also matches the number 12, LIKE 'tr%' the boolean true */
	BOOST_TEST(Contains(Derive({"kn"}, "text_like", {"1%"}), ".type() == \"number\""));
	BOOST_TEST(Contains(Derive({"kn"}, "text_like", {"tr%"}), "@ == true"));
	BOOST_TEST(!Contains(Derive({"kn"}, "text_like", {"tr%"}), "@ == false"));
	BOOST_TEST(Contains(Derive({"kn"}, "text_like", {"{%"}), ".type() == \"object\""));
	BOOST_TEST(!Contains(Derive({"kn"}, "text_like", {"ab%"}), "number"));
}

BOOST_AUTO_TEST_CASE(text_ranges_include_other_types_whose_text_can_fall_in)
{
	std::string lt = Derive({"kn"}, "text_lt", {"2"});

	BOOST_TEST(Contains(lt, "@ < \"2\""));
	BOOST_TEST(Contains(lt, "number"));
	BOOST_TEST(!Contains(lt, "@ == true"));

	std::string ge = Derive({"kn"}, "text_ge", {"t"});

	BOOST_TEST(Contains(ge, "@ == true"));
	BOOST_TEST(!Contains(ge, "@ == false"));
	BOOST_TEST(Contains(ge, "\"object\""));	/* '{' sorts after 't' */
	BOOST_TEST(!Contains(ge, "number"));
}

BOOST_AUTO_TEST_CASE(casts_widen_by_their_rounding)
{
	/* jsonb::int rounds half away from zero: >= 5 holds for 4.5 */
	BOOST_TEST(Derive({"km"}, "num_ge:jr", {"5"}) == "exists($.\"m\" ? (@ >= 4.5))");
	BOOST_TEST(Derive({"km"}, "num_eq:jr", {"5"}) == "exists($.\"m\" ? (@ >= 4.5 && @ <= 5.5))");
	/* exact casts keep the operator and the constant's text */
	BOOST_TEST(Derive({"km"}, "num_gt:jx", {"4990.5"}) == "exists($.\"m\" ? (@ > 4990.5))");
	/* text casts also accept strings (' 5000', 'Infinity') */
	BOOST_TEST(Contains(Derive({"km"}, "num_gt:t", {"4990"}), "$.\"m\".type() == \"string\""));
	BOOST_TEST(!Contains(Derive({"km"}, "num_gt:j", {"4990"}), "string"));

	/* float rounding: a relative margin, both sides */
	std::string f = Derive({"km"}, "num_eq:j8", {"4990"});

	BOOST_TEST(Contains(f, "@ >= 4989.9999"));
	BOOST_TEST(Contains(f, "@ <= 4990.0000"));

	/* NaN is above every number; no jsonb number is infinite */
	BOOST_TEST(Contains(Derive({"km"}, "num_lt:j", {"NaN"}), "number"));
	BOOST_TEST(Derive({"km"}, "num_gt:j", {"NaN"}) == "exists($.\"m\")");
	BOOST_TEST(Contains(Derive({"km"}, "num_gt:t8", {"Infinity"}), "string"));
	BOOST_TEST(!Contains(Derive({"km"}, "num_gt:t8", {"Infinity"}), "number"));
	BOOST_TEST(Contains(Derive({"km"}, "num_lt:j8", {"Infinity"}), "number"));

	BOOST_TEST(Derive({"km"}, "num_gt:q", {"1"}) == "NONE");	/* unknown flag */
	/* a constant no number matches leaves existence, still necessary */
	BOOST_TEST(Derive({"km"}, "num_gt:j", {"1e5x"}) == "exists($.\"m\")");
}

BOOST_AUTO_TEST_CASE(jsonb_order_across_types)
{
	std::string gt = Derive({"kn"}, "jsonb_gt", {"5"});

	/* above a number: greater numbers, every boolean, containers */
	BOOST_TEST(Contains(gt, "@ > 5"));
	BOOST_TEST(Contains(gt, "\"boolean\""));
	BOOST_TEST(Contains(gt, "\"object\""));
	BOOST_TEST(!Contains(gt, "\"string\""));

	std::string lt = Derive({"kn"}, "jsonb_lt", {"5"});

	/* below: smaller numbers, strings, null, and the empty array */
	BOOST_TEST(Contains(lt, "@ < 5"));
	BOOST_TEST(Contains(lt, "\"string\""));
	BOOST_TEST(Contains(lt, "@ == null"));
	BOOST_TEST(Contains(lt, "\"array\""));
	BOOST_TEST(!Contains(lt, "\"boolean\""));

	/* strings: a range only when jsonb's string order is byte order */
	BOOST_TEST(Contains(Derive({"kn"}, "jsonb_gt:c", {"\"m\""}), "@ > \"m\""));
	BOOST_TEST(!Contains(Derive({"kn"}, "jsonb_gt", {"\"m\""}), "@ > \"m\""));

	std::string f = Derive({"kn"}, "jsonb_ge", {"false"});

	BOOST_TEST(Contains(f, "@ == true"));
	BOOST_TEST(Contains(f, "@ == false"));
	BOOST_TEST(!Contains(Derive({"kn"}, "jsonb_gt", {"true"}), "@ == true"));
}

BOOST_AUTO_TEST_CASE(jsonb_equality_and_containment_follow_structure)
{
	BOOST_TEST(Derive({"kitems"}, "jsonb_contains", {"[{\"sku\": \"x\"}]"}) ==
			   "exists($.\"items\"[*].\"sku\" ? (@ == \"x\"))");
	BOOST_TEST(Derive({"kn"}, "jsonb_eq", {"{\"a\": [1, [2]], \"b\": {}}"}) ==
			   "(exists($.\"n\".\"a\"[*] ? (@ == 1))) && (exists($.\"n\".\"a\"[*][*] ? (@ == 2))) && "
			   "($.\"n\".\"b\".type() == \"object\")");
	BOOST_TEST(Derive({"ke"}, "jsonb_eq", {"[]"}) == "$.\"e\".type() == \"array\"");
	/* an array contains a scalar it holds as an element */
	BOOST_TEST(Contains(Derive({"kt"}, "jsonb_contains", {"\"red\""}), "$.\"t\"[*] ? (@ == \"red\")"));
	BOOST_TEST(Derive({"kt"}, "jsonb_eq", {"\"red\""}) == "exists($.\"t\" ? (@ == \"red\"))");
	BOOST_TEST(Derive({"kt"}, "jsonb_eq", {"{bad"}) == "NONE");
	/* the document itself */
	BOOST_TEST(Derive({}, "jsonb_eq", {"4990"}) == "exists($ ? (@ == 4990))");
}

BOOST_AUTO_TEST_CASE(key_existence_on_sub_documents)
{
	BOOST_TEST(Derive({"kt"}, "jsonb_key", {"k"}) ==
			   "(exists($.\"t\".\"k\")) || (exists($.\"t\" ? (@ == \"k\")))");
	BOOST_TEST(Contains(Derive({"kt"}, "jsonb_all_keys", {"a", "b"}), ") && ("));
	BOOST_TEST(Contains(Derive({"kt"}, "jsonb_any_key", {"a", "b"}), ") || ("));
	BOOST_TEST(Derive({"kt"}, "jsonb_any_key", {}) == "NONE");
}

BOOST_AUTO_TEST_CASE(ambiguous_steps_search_both_readings)
{
	/* '{items,0,sku}': member "0" or element 0 */
	std::string two = Derive({"kitems", "a0", "ksku"}, "text_eq", {"x"});

	BOOST_TEST(Contains(two, "$.\"items\".\"0\".\"sku\""));
	BOOST_TEST(Contains(two, "$.\"items\"[*].\"sku\""));
	BOOST_TEST(Derive({"ka", "i0"}, "exists", {}) == "exists($.\"a\"[*])");

	/* past 16 readings: existence of the prefix that fits */
	std::vector<std::string> many = {"kroot"};

	for (int i = 0; i < 6; i++)
		many.push_back("a" + std::to_string(i));
	std::string capped = Derive(many, "text_eq", {"x"});

	BOOST_TEST(!Contains(capped, "@ =="));
	BOOST_TEST(Contains(capped, "exists($.\"root\""));
	/* the first ambiguous step alone would already be too many readings: none */
	std::vector<std::string> wide;

	for (int i = 0; i < 5; i++)
		wide.push_back("a" + std::to_string(i));
	BOOST_TEST(!Contains(Derive(wide, "text_eq", {"x"}), "@ =="));
}

BOOST_AUTO_TEST_CASE(base_path_of_query_first)
{
	BOOST_TEST(Derive({"pstrict $.\"a\"[*]", "kb"}, "text_eq", {"x"}) ==
			   "exists(($.\"a\"[*]).\"b\" ? (@ == \"x\"))");
	BOOST_TEST(Derive({"p$.\"total\""}, "exists", {}) == "exists(($.\"total\"))");
	/* existence of the whole document narrows nothing */
	BOOST_TEST(Derive({}, "exists", {}) == "NONE");
}

BOOST_AUTO_TEST_CASE(variables_are_substituted_outside_strings)
{
	std::string out;

	BOOST_REQUIRE(pathx::SubstituteJsonPathVariables(
		"$.\"a\"?(@ == $\"x\" && @ != \"$\\\"x\\\"\" && @ starts with $\"p q\")",
		{{"x", "-1.5"}, {"p q", "\"ab\\\"c\""}}, &out));
	BOOST_TEST(out == "$.\"a\"?(@ == -1.5 && @ != \"$\\\"x\\\"\" && @ starts with \"ab\\\"c\")");

	BOOST_REQUIRE(pathx::SubstituteJsonPathVariables("$\"x\".type() == \"string\"",
													 {{"x", "\"s\""}}, &out));
	BOOST_TEST(out == "(\"s\").type() == \"string\"");

	BOOST_TEST(!pathx::SubstituteJsonPathVariables("$.a ? (@ == $\"x\")", {}, &out));
	BOOST_TEST(!pathx::SubstituteJsonPathVariables("$.a ? (@ == $\"x\")", {{"x", "[1]"}}, &out));
	BOOST_TEST(!pathx::SubstituteJsonPathVariables("$.a ? (@ == \"unterminated)", {}, &out));
	BOOST_REQUIRE(pathx::SubstituteJsonPathVariables("$.a ? (@ == $\"x\")", {{"x", "null"}}, &out));
	BOOST_TEST(out == "$.a ? (@ == null)");

	BOOST_TEST(pathx::SplitJsonPathMode("strict $.a").first);
	BOOST_TEST(pathx::SplitJsonPathMode("strict $.a").second == "$.a");
	BOOST_TEST(!pathx::SplitJsonPathMode("lax $.a").first);
}

BOOST_AUTO_TEST_CASE(long_value_lists_fall_back_to_existence)
{
	std::vector<std::string> values(1001, "v");

	BOOST_TEST(Derive({"ks"}, "text_eq", values) == "exists($.\"s\")");
}

BOOST_AUTO_TEST_SUITE_END()
