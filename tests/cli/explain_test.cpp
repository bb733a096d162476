/*
 * explain_test.cpp
 *	  Tests of `pathx explain`: the condition-text reader
 *	  (plan_conditions.h) on strings as EXPLAIN prints them, and the
 *	  command against the harness cluster: an indexed range query shows
 *	  its Bitmap Index Scan and RANGE keys, an unindexable one FULL SCAN,
 *	  and statements that write are refused and leave the data alone.
 */
#include "cli_test_util.h"
#include "plan_conditions.h"

#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>

BOOST_AUTO_TEST_SUITE(explain)

BOOST_AUTO_TEST_CASE(conditions_of_a_recheck)
{
	std::vector<pathx::JsonbCondition> c = pathx::FindJsonbConditions(
		"((t.doc @? '$.\"total\"?(@ > 990)'::jsonpath) AND (t.doc ?| '{a,\"b c\"}'::text[]) AND "
		"(t.doc @> '{\"a\": \"it''s\"}'::jsonb) AND (t.doc ? 'x'::text))");

	BOOST_REQUIRE_EQUAL(c.size(), 4u);
	BOOST_TEST(c[0].op == "@?");
	BOOST_TEST(c[0].left == "t.doc");
	BOOST_TEST(c[0].parsed);
	BOOST_TEST(c[0].value == "$.\"total\"?(@ > 990)");
	BOOST_TEST(c[0].text == "t.doc @? '$.\"total\"?(@ > 990)'::jsonpath");
	BOOST_TEST(c[1].op == "?|");
	BOOST_TEST(c[1].keys == (std::vector<std::string>{"a", "b c"}));
	BOOST_TEST(c[2].op == "@>");
	BOOST_TEST(c[2].value == "{\"a\": \"it's\"}");
	BOOST_TEST(c[3].op == "?");
	BOOST_TEST(c[3].value == "x");
}

BOOST_AUTO_TEST_CASE(array_forms_and_escapes)
{
	std::vector<pathx::JsonbCondition> c = pathx::FindJsonbConditions(
		"(doc ?& ARRAY['a'::text, 'it''s'::text, NULL::text]) OR (doc @@ E'$.a == \"x\\\\y\"'::jsonpath)");

	BOOST_REQUIRE_EQUAL(c.size(), 2u);
	BOOST_TEST(c[0].op == "?&");
	BOOST_TEST(c[0].parsed);
	BOOST_TEST(c[0].keys == (std::vector<std::string>{"a", "it's"}));
	BOOST_TEST(c[1].op == "@@");
	BOOST_TEST(c[1].value == "$.a == \"x\\y\"");

	std::vector<std::string> items;

	BOOST_TEST(pathx::ParseTextArray("{a,\"b,c\",\"d\\\"e\",NULL,\"NULL\"}", &items));
	BOOST_TEST(items == (std::vector<std::string>{"a", "b,c", "d\"e", "NULL"}));
	BOOST_TEST(pathx::ParseTextArray("{}", &items));
	BOOST_TEST(items.empty());
	BOOST_TEST(!pathx::ParseTextArray("{{a},{b}}", &items));
	BOOST_TEST(!pathx::ParseTextArray("a,b", &items));
}

BOOST_AUTO_TEST_CASE(operators_inside_literals_and_other_types)
{
	/* operator characters inside the literal are not operators */
	std::vector<pathx::JsonbCondition> c = pathx::FindJsonbConditions(
		"(doc @? '$.a ? (@ == \"x?|y @> z\")'::jsonpath)");

	BOOST_REQUIRE_EQUAL(c.size(), 1u);
	BOOST_TEST(c[0].value == "$.a ? (@ == \"x?|y @> z\")");

	/* the same operator names on other types, and <@, are not jsonb conditions */
	BOOST_TEST(pathx::FindJsonbConditions("(arr @> '{1,2}'::integer[])").empty());
	BOOST_TEST(pathx::FindJsonbConditions("(tsv @@ '''cat'''::tsquery)").empty());
	BOOST_TEST(pathx::FindJsonbConditions("(doc <@ '{\"a\": 1}'::jsonb)").empty());
	BOOST_TEST(pathx::FindJsonbConditions("(\"a @> b\" = 1)").empty());
}

BOOST_AUTO_TEST_CASE(unreadable_operands_are_reported)
{
	std::vector<pathx::JsonbCondition> c = pathx::FindJsonbConditions(
		"((doc @> $1) AND (a.doc @> b.doc) AND (doc @? ('$.a'::text || x)::jsonpath) AND "
		"(doc ? ('k'::text || 'x'::text)))");

	BOOST_REQUIRE_EQUAL(c.size(), 4u);
	for (const pathx::JsonbCondition &x : c)
	{
		BOOST_TEST(!x.parsed);
		BOOST_TEST(!x.problem.empty());
	}
	BOOST_TEST(c[0].text == "doc @> $1");
	BOOST_TEST(c[1].text == "a.doc @> b.doc");
}

BOOST_AUTO_TEST_CASE(helpers)
{
	BOOST_TEST(pathx::ColumnOfOperand("t.doc") == "doc");
	BOOST_TEST(pathx::ColumnOfOperand("doc") == "doc");
	BOOST_TEST(pathx::ColumnOfOperand("s.\"My \"\"Doc\"\"\"") == "My \"Doc\"");
	BOOST_TEST(pathx::ColumnOfOperand("(doc -> 'a'::text)") == "");
	BOOST_TEST(pathx::JsonPathString("a\"b\\") == "\"a\\\"b\\\\\"");
	BOOST_TEST(pathx::KeyOperatorAsJsonPath("?", {"k"}) == "exists($.\"k\") || $ == \"k\"");
	BOOST_TEST(pathx::KeyOperatorAsJsonPath("?&", {"a", "b"}) ==
			   "(exists($.\"a\") || $ == \"a\") && (exists($.\"b\") || $ == \"b\")");
	BOOST_TEST(pathx::KeyOperatorAsJsonPath("?|", {}) == "");
}

BOOST_AUTO_TEST_CASE(statement_kinds)
{
	BOOST_TEST(pathx::IsQueryStatement("select 1"));
	BOOST_TEST(pathx::IsQueryStatement("  /* a /* nested */ comment */ -- line\n (SELECT 1)"));
	BOOST_TEST(pathx::IsQueryStatement("WITH x AS (SELECT 1) SELECT * FROM x"));
	BOOST_TEST(pathx::IsQueryStatement("VALUES (1)"));
	BOOST_TEST(pathx::IsQueryStatement("TABLE t"));
	BOOST_TEST(!pathx::IsQueryStatement("DELETE FROM t"));
	BOOST_TEST(!pathx::IsQueryStatement("EXPLAIN SELECT 1"));
	BOOST_TEST(!pathx::IsQueryStatement("selected"));
	BOOST_TEST(pathx::FirstKeyword("  Update t") == "update");
}

namespace
{

/* The first line of `output` containing `s`, "" when none. */
std::string
LineWith(const std::string &output, const std::string &s)
{
	size_t		at = output.find(s);

	if (at == std::string::npos)
		return "";
	size_t		begin = output.rfind('\n', at);
	size_t		end = output.find('\n', at);

	begin = begin == std::string::npos ? 0 : begin + 1;
	return output.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

void
MakeOrders(pathx_test::TestDatabase &db)
{
	pqxx::work	w(db.conn());

	w.exec("CREATE TABLE orders (id int, doc jsonb)");
	w.exec("INSERT INTO orders SELECT g, jsonb_build_object('total', g, 'status', "
		   "(ARRAY['paid', 'open'])[g % 2 + 1], 'k' || (g % 10), 1) FROM generate_series(1, 20000) g");
	w.exec("CREATE INDEX orders_pathx ON orders USING gin (doc jsonb_pathx_ops)");
	w.exec("ANALYZE orders");
	w.commit();
}

}							/* namespace */

BOOST_AUTO_TEST_CASE(indexed_range_query)
{
	pathx_test::TestDatabase db("pathx_explain");

	MakeOrders(db);
	pathx_test::CliRun r = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain",
		 "SELECT count(*) FROM orders WHERE doc @? '$.total ? (@ > 19990)' AND doc ? 'k3';"});

	BOOST_TEST_MESSAGE(r.output);
	BOOST_REQUIRE_EQUAL(r.exit_code, 0);
	BOOST_TEST(r.Says("EXPLAIN ANALYZE, BUFFERS"));
	BOOST_TEST(r.Says("actual time="));
	BOOST_TEST(r.Says("Bitmap Index Scan on orders_pathx"));
	BOOST_TEST(r.Says("keys, default options:  RANGE($.total number (19990,+inf))"));
	BOOST_TEST(r.Says("under orders_pathx, used by this plan:  RANGE($.total number (19990,+inf))"));
	BOOST_TEST(r.Says("OR(EXISTS($.k3), EQ($ \"k3\"))"));

	/* an index that only covers $.status cannot narrow the range */
	{
		pqxx::work	w(db.conn());

		w.exec("CREATE INDEX orders_pathx_status ON orders USING gin (doc jsonb_pathx_ops (paths = '$.status'))");
		w.commit();
	}
	pathx_test::CliRun two = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain", "--no-analyze",
		 "SELECT count(*) FROM orders WHERE doc @? '$.total ? (@ > 19990)'"});

	BOOST_TEST_MESSAGE(two.output);
	BOOST_REQUIRE_EQUAL(two.exit_code, 0);
	BOOST_TEST(LineWith(two.output, "under orders_pathx_status (paths=$.status)").find("FULL SCAN") !=
			   std::string::npos);
	BOOST_TEST(LineWith(two.output, "under orders_pathx,").find("RANGE($.total") != std::string::npos);

	pathx_test::CliRun plan = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain", "--no-analyze",
		 "SELECT count(*) FROM orders WHERE doc @> '{\"status\": \"paid\"}'"});

	BOOST_REQUIRE_EQUAL(plan.exit_code, 0);
	BOOST_TEST(plan.Says("not run"));
	BOOST_TEST(!plan.Says("actual time="));
	BOOST_TEST(plan.Says("EQ($.status \"paid\")"));
}

BOOST_AUTO_TEST_CASE(unindexable_and_unanalysed)
{
	pathx_test::TestDatabase db("pathx_explain_full");

	MakeOrders(db);
	pathx_test::CliRun r = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain",
		 "SELECT count(*) FROM orders WHERE doc @@ '!($.total == 1)' AND doc @> jsonb_build_object('id', id)"});

	BOOST_TEST_MESSAGE(r.output);
	BOOST_REQUIRE_EQUAL(r.exit_code, 0);
	BOOST_TEST(r.Says("Seq Scan on orders"));
	BOOST_TEST(r.Says("keys, default options:  FULL SCAN"));
	BOOST_TEST(r.Says("not analysed: the right operand is not a constant"));

	pathx_test::CliRun none = pathx_test::RunPathx({"--conninfo", db.Conninfo(), "explain", "SELECT 1"});

	BOOST_TEST(none.exit_code == 0);
	BOOST_TEST(none.Says("No jsonb conditions"));
}

BOOST_AUTO_TEST_CASE(writes_are_refused)
{
	pathx_test::TestDatabase db("pathx_explain_write");

	MakeOrders(db);
	pathx_test::CliRun del = pathx_test::RunPathx({"--conninfo", db.Conninfo(), "explain", "DELETE FROM orders"});

	BOOST_TEST(del.exit_code == 2);
	BOOST_TEST(del.Says("only runs queries"));

	pathx_test::CliRun cte = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain", "WITH d AS (DELETE FROM orders RETURNING 1) SELECT count(*) FROM d"});

	BOOST_TEST(cte.exit_code == 1);
	BOOST_TEST(cte.Says("read-only transaction"));

	pathx_test::CliRun two = pathx_test::RunPathx(
		{"--conninfo", db.Conninfo(), "explain", "SELECT 1; DELETE FROM orders"});

	BOOST_TEST(two.exit_code != 0);

	pqxx::work	w(db.conn());

	BOOST_TEST(w.exec1("SELECT count(*) FROM orders")[0].as<int>() == 20000);
}

BOOST_AUTO_TEST_SUITE_END()
