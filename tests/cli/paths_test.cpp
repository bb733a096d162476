/*
 * paths_test.cpp
 *	  Tests of `pathx paths`: the pure rules of path_profile.h on made-up
 *	  profiles, and the command against the harness cluster.
 *
 * The integration cases build a table whose documents are known exactly
 * (nested objects, arrays of objects, a mixed-type member, a long-text
 * member, one dynamic key per document, an optional member in a quarter of
 * the rows), so every share and type the profile prints can be checked.
 * The --json output is parsed by the server (::jsonb), which needs no JSON
 * library here.  A last case loads the orders generator's documents and
 * checks that the profile sees every path the generator writes and
 * invents none.
 */
#include "cli_test_util.h"
#include "orders_gen.h"
#include "path_profile.h"
#include "sql_text.h"
#include "ui.h"

#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace
{

pathx::PathStat
Stat(const std::string &path, uint64_t rows, int type, uint64_t distinct)
{
	pathx::PathStat p;

	p.path = path;
	p.rows = rows;
	p.occurrences = rows;
	p.type_count[type] = rows;
	if (type != pathx::kObject && type != pathx::kArray)
	{
		p.scalar_occurrences = rows;
		p.scalar_distinct = distinct;
		p.distinct_estimate = double(distinct);
	}
	if (type == pathx::kString)
		p.avg_string_bytes = 8;
	return p;
}

pathx::Profile
BaseProfile(uint64_t rows)
{
	pathx::Profile p;

	p.table = "public.t";
	p.column = "doc";
	p.sampled_rows = rows;
	p.total_rows = double(rows);
	p.paths.push_back(Stat("$", rows, pathx::kObject, 0));
	return p;
}

const pathx::Suggestion *
Find(const std::vector<pathx::Suggestion> &s, const std::string &kind)
{
	for (const pathx::Suggestion &x : s)
		if (x.kind == kind)
			return &x;
	return nullptr;
}

/* The paths a human-readable profile lists (first word of each "$" line). */
std::vector<std::string>
ListedPaths(const std::string &output)
{
	std::vector<std::string> paths;
	std::istringstream in(output);
	std::string line;

	while (std::getline(in, line))
		if (!line.empty() && line[0] == '$')
			paths.push_back(line.substr(0, line.find(' ')));
	return paths;
}

/* The line of one path in a human-readable profile. */
std::string
LineOf(const std::string &output, const std::string &path)
{
	std::istringstream in(output);
	std::string line;

	while (std::getline(in, line))
		if (line.compare(0, path.size() + 1, path + " ") == 0)
			return line;
	return "";
}

std::string
Conn(const pathx_test::TestDatabase &db)
{
	return db.Conninfo();
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(paths)

BOOST_AUTO_TEST_CASE(split_qualified_name)
{
	using V = std::vector<std::string>;

	BOOST_TEST(pathx::ParseQualifiedName("Orders", "TABLE") == (V{"orders"}));
	BOOST_TEST(pathx::ParseQualifiedName("s.t.doc", "TABLE") == (V{"s", "t", "doc"}));
	BOOST_TEST(pathx::ParseQualifiedName("\"My T\".\"Doc\"", "TABLE") == (V{"My T", "Doc"}));
	BOOST_TEST(pathx::ParseQualifiedName("\"a\"\"b.c\"", "TABLE") == (V{"a\"b.c"}));
	BOOST_CHECK_THROW(pathx::ParseQualifiedName("a..b", "TABLE"), pathx::CliError);
	BOOST_CHECK_THROW(pathx::ParseQualifiedName("\"open", "TABLE"), pathx::CliError);
	BOOST_CHECK_THROW(pathx::ParseQualifiedName("", "TABLE"), pathx::CliError);
}

BOOST_AUTO_TEST_CASE(distinct_estimate)
{
	/* not sampled: the count itself */
	BOOST_TEST(pathx::EstimateDistinct(100, 40, 10, 100) == 40.0);
	/* every value unique in the sample: unique in the table */
	BOOST_TEST(pathx::EstimateDistinct(1000, 1000, 1000, 100000) == 100000.0);
	/* few values, each seen often: stays near what was seen */
	BOOST_TEST(pathx::EstimateDistinct(1000, 3, 0, 100000) == 3.0);
	/* in between: more than seen, fewer than the table */
	double		e = pathx::EstimateDistinct(1000, 600, 400, 100000);

	BOOST_TEST(e > 600.0);
	BOOST_TEST(e < 100000.0);
	BOOST_TEST(pathx::EstimateDistinct(0, 0, 0, 100) == 0.0);
}

BOOST_AUTO_TEST_CASE(path_members_and_literals)
{
	std::vector<std::string> m;
	bool		arr = false;

	BOOST_TEST(pathx::PathMembers("$.a[*].\"b c\".d", &m, &arr));
	BOOST_TEST(m == (std::vector<std::string>{"a", "b c", "d"}));
	BOOST_TEST(arr);
	BOOST_TEST(pathx::PathMembers("$.user.email", &m, &arr));
	BOOST_TEST(!arr);
	BOOST_TEST(!pathx::PathMembers("a.b", &m, &arr));
	BOOST_TEST(pathx::TextArrayLiteral({"user", "it's \"x\""}) == "'{\"user\",\"it''s \\\"x\\\"\"}'");
	BOOST_TEST(pathx::SqlLiteral("$.a, $.b's") == "'$.a, $.b''s'");
}

BOOST_AUTO_TEST_CASE(suggest_paths_when_few_dominate)
{
	pathx::Profile p = BaseProfile(1000);

	p.paths.push_back(Stat("$.status", 1000, pathx::kString, 3));
	p.paths.push_back(Stat("$.total", 900, pathx::kNumber, 50));
	for (int i = 0; i < 10; i++)
		p.paths.push_back(Stat("$.opt" + std::to_string(i), 20, pathx::kString, 5));
	std::vector<pathx::Suggestion> s = pathx::Suggest(p);

	BOOST_REQUIRE(Find(s, "default") != nullptr);
	const pathx::Suggestion *paths = Find(s, "paths");

	BOOST_REQUIRE(paths != nullptr);
	BOOST_TEST(paths->statement ==
			   "CREATE INDEX ON public.t USING gin (doc jsonb_pathx_ops (paths = '$.status, $.total'));");
	BOOST_TEST(paths->reason.find("2 of 12 value paths") != std::string::npos);

	/* every path frequent: nothing to leave out */
	pathx::Profile all = BaseProfile(1000);

	for (int i = 0; i < 10; i++)
		all.paths.push_back(Stat("$.f" + std::to_string(i), 1000, pathx::kNumber, 5));
	BOOST_TEST(Find(pathx::Suggest(all), "paths") == nullptr);
}

BOOST_AUTO_TEST_CASE(suggest_anypath_for_dynamic_keys)
{
	pathx::Profile p = BaseProfile(1000);

	p.paths.push_back(Stat("$.attrs", 1000, pathx::kObject, 0));
	for (int i = 0; i < 40; i++)
		p.paths.push_back(Stat("$.attrs.k" + std::to_string(i), 3, pathx::kNumber, 1));
	std::vector<pathx::Suggestion> s = pathx::Suggest(p);
	const pathx::Suggestion *any = Find(s, "anypath");

	BOOST_REQUIRE(any != nullptr);
	BOOST_TEST(any->statement.find("anypath = true") != std::string::npos);
	BOOST_TEST(any->reason.find("$.attrs has 40 member names, 40 of them") != std::string::npos);

	/* forty members that every document has: a wide but fixed schema */
	pathx::Profile fixed = BaseProfile(1000);

	fixed.paths.push_back(Stat("$.attrs", 1000, pathx::kObject, 0));
	for (int i = 0; i < 40; i++)
		fixed.paths.push_back(Stat("$.attrs.k" + std::to_string(i), 900, pathx::kNumber, 10));
	BOOST_TEST(Find(pathx::Suggest(fixed), "anypath") == nullptr);
}

BOOST_AUTO_TEST_CASE(suggest_exclude_and_prefix_for_long_strings)
{
	pathx::Profile p = BaseProfile(1000);
	pathx::PathStat notes = Stat("$.notes", 1000, pathx::kString, 995);
	pathx::PathStat url = Stat("$.url", 1000, pathx::kString, 400);

	notes.avg_string_bytes = 420;
	url.avg_string_bytes = 57;
	p.paths.push_back(notes);
	p.paths.push_back(url);
	std::vector<pathx::Suggestion> s = pathx::Suggest(p);
	const pathx::Suggestion *ex = Find(s, "exclude_paths");
	const pathx::Suggestion *pre = Find(s, "string_prefix");

	BOOST_REQUIRE(ex != nullptr);
	BOOST_TEST(ex->statement.find("exclude_paths = '$.notes'") != std::string::npos);
	BOOST_TEST(ex->reason.find("average 420 bytes") != std::string::npos);
	BOOST_REQUIRE(pre != nullptr);
	BOOST_TEST(pre->statement.find("string_prefix = 64") != std::string::npos);
	BOOST_TEST(pre->reason.find("$.url average 57 bytes") != std::string::npos);

	/* short strings: neither */
	pathx::Profile shorts = BaseProfile(1000);

	shorts.paths.push_back(Stat("$.s", 1000, pathx::kString, 995));
	BOOST_TEST(Find(pathx::Suggest(shorts), "exclude_paths") == nullptr);
	BOOST_TEST(Find(pathx::Suggest(shorts), "string_prefix") == nullptr);
}

BOOST_AUTO_TEST_CASE(suggest_btree_for_hot_unique_scalar)
{
	pathx::Profile p = BaseProfile(1000);

	p.paths.push_back(Stat("$.id", 1000, pathx::kNumber, 1000));
	p.paths.push_back(Stat("$.status", 1000, pathx::kString, 3));
	p.paths.push_back(Stat("$.items", 1000, pathx::kArray, 0));
	p.paths.push_back(Stat("$.items[*].sku", 1000, pathx::kString, 1000));
	std::vector<pathx::Suggestion> s = pathx::Suggest(p);
	const pathx::Suggestion *b = Find(s, "btree");

	BOOST_REQUIRE(b != nullptr);
	BOOST_TEST(b->statement == "CREATE INDEX ON public.t (((doc #>> '{\"id\"}')::numeric));");
	BOOST_TEST(b->reason.find("$.id is in 100% of rows with 1,000 distinct number values") != std::string::npos);

	/* low cardinality only: no B-tree */
	pathx::Profile low = BaseProfile(1000);

	low.paths.push_back(Stat("$.status", 1000, pathx::kString, 3));
	BOOST_TEST(Find(pathx::Suggest(low), "btree") == nullptr);
}

BOOST_AUTO_TEST_CASE(format_sorted_and_limited)
{
	pathx::Profile p = BaseProfile(10);

	p.paths.push_back(Stat("$.b", 10, pathx::kNumber, 10));
	p.paths.push_back(Stat("$.a[*]", 5, pathx::kString, 2));
	p.paths.push_back(Stat("$.a", 5, pathx::kArray, 0));
	std::string out = pathx::FormatProfile(p, pathx::Suggest(p), 0);

	BOOST_TEST(ListedPaths(out) == (std::vector<std::string>{"$", "$.a", "$.a[*]", "$.b"}));
	BOOST_TEST(LineOf(out, "$.a[*]").find("50.0%") != std::string::npos);
	/* --limit keeps the most frequent, still sorted by path */
	std::string two = pathx::FormatProfile(p, {}, 2);

	BOOST_TEST(ListedPaths(two) == (std::vector<std::string>{"$", "$.b"}));
	BOOST_TEST(two.find("2 of 4 paths shown") != std::string::npos);
	std::string json = pathx::ProfileJson(p, {}, 0);

	nlohmann::json parsed = nlohmann::json::parse(json);
	bool		found = false;

	for (const nlohmann::json &e : parsed.at("paths"))
		if (e.at("path") == "$.a[*]")
		{
			found = true;
			BOOST_TEST(e.at("rows").get<long long>() == 5);
			BOOST_TEST(e.at("row_share").get<double>() == 0.5);
		}
	BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(profile_of_known_documents)
{
	pathx_test::TestDatabase db("pathx_paths");
	{
		pqxx::work	w(db.conn());

		/* 200 rows; see the file header for what each member tests */
		w.exec("CREATE TABLE \"Docs\" (id int, doc jsonb, other text)");
		w.exec("INSERT INTO \"Docs\" SELECT g, jsonb_build_object("
			   " 'id', g,"
			   " 'user', jsonb_build_object('name', 'u' || (g % 10), 'tags', jsonb_build_array('a', 'b')),"
			   " 'items', jsonb_build_array(jsonb_build_object('sku', 'S' || (g % 5), 'qty', g % 3),"
			   "                            jsonb_build_object('sku', 'T', 'qty', 1)),"
			   " 'mixed', CASE WHEN g % 2 = 0 THEN to_jsonb(g) ELSE to_jsonb('s' || g) END,"
			   " 'notes', repeat('free text number ' || g || ' ', 20),"
			   " 'attrs', jsonb_build_object('k' || g, true))"
			   " || CASE WHEN g % 4 = 0 THEN '{\"opt\": null}'::jsonb ELSE '{}' END "
			   "FROM generate_series(1, 200) g");
		w.commit();
	}
	pathx_test::CliRun r = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "\"Docs\"", "--limit", "0"});

	BOOST_TEST_MESSAGE(r.output);
	BOOST_REQUIRE_EQUAL(r.exit_code, 0);
	std::vector<std::string> listed = ListedPaths(r.output);
	std::set<std::string> set(listed.begin(), listed.end());

	for (const char *p : {"$", "$.id", "$.user", "$.user.name", "$.user.tags", "$.user.tags[*]",
						  "$.items", "$.items[*]", "$.items[*].sku", "$.items[*].qty", "$.mixed",
						  "$.notes", "$.attrs", "$.attrs.k1", "$.attrs.k200", "$.opt"})
		BOOST_TEST(set.count(p) == 1, "path " << p << " listed");
	/* 11 fixed paths + the root + 200 dynamic keys + $.opt */
	BOOST_TEST(listed.size() == 16u - 2u + 200u);
	BOOST_TEST(std::is_sorted(listed.begin(), listed.end()));
	BOOST_TEST(r.Says("all 200 rows"));
	BOOST_TEST(LineOf(r.output, "$.mixed").find("string 50.0% number 50.0%") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.opt").find("25.0%") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.opt").find("null") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.attrs.k7").find("0.5%") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.items").find("array") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.items[*].sku").find(" 6 ") != std::string::npos);	/* S0..S4, T */
	BOOST_TEST(LineOf(r.output, "$.user.name").find("100%") != std::string::npos);
	BOOST_TEST(r.Says("[anypath] $.attrs has 200 member names"));
	BOOST_TEST(r.Says("exclude_paths = '$.notes'"));
	BOOST_TEST(r.Says("CREATE INDEX ON public.\"Docs\" USING gin (doc jsonb_pathx_ops);"));

	/* --json: the server parses it and it agrees with the table */
	pathx_test::CliRun j = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "\"Docs\".doc", "--json",
												  "--limit", "0"});

	BOOST_REQUIRE_EQUAL(j.exit_code, 0);
	std::string json = j.output.substr(j.output.find("{\n"));
	pqxx::work	w(db.conn());
	pqxx::row	row = w.exec_params1(
		"SELECT jsonb_array_length(j->'paths'), j->>'sampled', "
		"  (SELECT p->>'row_share' FROM jsonb_array_elements(j->'paths') p WHERE p->>'path' = '$.opt'), "
		"  (SELECT p->'types'->>'string' FROM jsonb_array_elements(j->'paths') p WHERE p->>'path' = '$.mixed'), "
		"  (SELECT p->>'max_array_length' FROM jsonb_array_elements(j->'paths') p WHERE p->>'path' = '$.items'), "
		"  (SELECT count(*) FROM jsonb_array_elements(j->'suggestions') s WHERE s->>'kind' = 'anypath') "
		"FROM (SELECT $1::jsonb AS j) x", json);

	BOOST_TEST(row[0].as<size_t>() == listed.size());
	BOOST_TEST(row[1].as<std::string>() == "false");
	BOOST_TEST(row[2].as<double>() == 0.25);
	BOOST_TEST(row[3].as<double>() == 0.5);
	BOOST_TEST(row[4].as<int>() == 2);
	BOOST_TEST(row[5].as<int>() == 1);
}

BOOST_AUTO_TEST_CASE(sampling_on_a_larger_table)
{
	pathx_test::TestDatabase db("pathx_paths_sample");
	{
		pqxx::work	w(db.conn());

		w.exec("CREATE TABLE big (doc jsonb)");
		w.exec("INSERT INTO big SELECT jsonb_build_object('id', g, 'k', g % 7) FROM generate_series(1, 30000) g");
		w.exec("ANALYZE big");
		w.commit();
	}
	pathx_test::CliRun r = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "big", "--sample", "1000"});

	BOOST_TEST_MESSAGE(r.output);
	BOOST_REQUIRE_EQUAL(r.exit_code, 0);
	BOOST_TEST(r.Says("of ~30,000 rows (TABLESAMPLE BERNOULLI"));
	BOOST_TEST(r.Says("distinct counts are estimates"));
	BOOST_TEST(LineOf(r.output, "$.k").find("~7") != std::string::npos);
	BOOST_TEST(LineOf(r.output, "$.id").find("~30,000") != std::string::npos);

	pathx_test::CliRun j = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "big", "--sample", "1000",
												  "--json"});

	BOOST_REQUIRE_EQUAL(j.exit_code, 0);
	pqxx::work	w(db.conn());
	pqxx::row	row = w.exec_params1("SELECT j->>'sampled', (j->>'rows_sampled')::int FROM "
									 "(SELECT $1::jsonb AS j) x", j.output.substr(j.output.find("{\n")));

	BOOST_TEST(row[0].as<std::string>() == "true");
	BOOST_TEST(row[1].as<int>() > 500);
	BOOST_TEST(row[1].as<int>() <= 1000);
}

BOOST_AUTO_TEST_CASE(errors_name_the_problem)
{
	pathx_test::TestDatabase db("pathx_paths_err");
	{
		pqxx::work	w(db.conn());

		w.exec("CREATE TABLE two (a jsonb, b jsonb, n int)");
		w.commit();
	}
	pathx_test::CliRun missing = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "nosuch"});

	BOOST_TEST(missing.exit_code == 1);
	BOOST_TEST(missing.Says("table \"nosuch\" does not exist"));

	pathx_test::CliRun col = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "two.c"});

	BOOST_TEST(col.exit_code == 1);
	BOOST_TEST(col.Says("column \"c\" does not exist in public.two"));
	BOOST_TEST(col.Says("its jsonb columns: a, b"));

	pathx_test::CliRun notjson = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "two.n"});

	BOOST_TEST(notjson.exit_code == 1);
	BOOST_TEST(notjson.Says("is integer, not jsonb"));

	pathx_test::CliRun several = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "public.two"});

	BOOST_TEST(several.exit_code == 2);
	BOOST_TEST(several.Says("several jsonb columns: a, b"));

	pathx_test::CliRun empty = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "two.a"});

	BOOST_TEST(empty.exit_code == 0);
	BOOST_TEST(empty.Says("all 0 rows"));
}

BOOST_AUTO_TEST_CASE(generated_orders_show_every_path)
{
	const long	rows = 10000;
	pathx_test::TestDatabase db("pathx_paths_orders");
	{
		pqxx::work	w(db.conn());

		w.exec("CREATE TABLE orders (doc jsonb)");
		pqxx::stream_to s(w, "orders", std::vector<std::string>{"doc"});

		for (long id = 1; id <= rows; id++)
			s << std::make_tuple(pathx::GenerateOrder(1, id, rows));
		s.complete();
		w.commit();
	}
	pathx_test::CliRun r = pathx_test::RunPathx({"--conninfo", Conn(db), "paths", "orders", "--limit", "0",
												  "--sample", std::to_string(rows)});

	BOOST_REQUIRE_EQUAL(r.exit_code, 0);
	std::vector<std::string> listed = ListedPaths(r.output);
	std::set<std::string> set(listed.begin(), listed.end());
	bool		attr_seen = false;

	for (const std::string &p : listed)
	{
		BOOST_TEST((p == "$" || pathx::IsOrderPath(p)), "listed path " << p << " is one the generator writes");
		if (p.compare(0, 7, "$.attr_") == 0)
			attr_seen = true;
	}
	for (const std::string &p : pathx::OrderPaths())
	{
		if (p.find('<') != std::string::npos)
			BOOST_TEST(attr_seen, "a path of the family " << p << " is listed");
		else
			BOOST_TEST(set.count(p) == 1, "generator path " << p << " is listed");
	}
}

BOOST_AUTO_TEST_SUITE_END()
