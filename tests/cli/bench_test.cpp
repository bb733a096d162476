/*
 * bench_test.cpp
 *	  Tests of `pathx bench`: the query-file parser, the data-file reader,
 *	  the table and SVG writers (pure, no server), and runs of the built
 *	  binary against the harness cluster.
 *
 * The writers are fed hand-made reports so that the tests say exactly
 * which cell or bar must appear.  The SVG checks are structural (balanced
 * tags, escaped text, one bar per measured (query, strategy), a monotonic
 * log scale) rather than a pixel comparison, which would break on every
 * layout tweak.  The integration runs read the JSON report back through
 * the server's jsonb functions, so the test needs no JSON parser.
 */
#include "cli_test_util.h"
#include "bench/bench.h"
#include "bench/svg_chart.h"
#include "ui.h"

#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <cmath>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace
{

std::vector<pathx::bench::BenchQuery>
Parse(const std::string &text)
{
	std::istringstream in(text);

	return pathx::bench::ParseQueries(in, "q.txt");
}

/* The message of the BenchError that parsing `text` throws ("" if none). */
std::string
ParseError(const std::string &text)
{
	try
	{
		Parse(text);
	}
	catch (const pathx::bench::BenchError &e)
	{
		return e.what();
	}
	return "";
}

std::string
ReadAll(const std::string &path)
{
	std::ifstream f(path);
	std::stringstream ss;

	ss << f.rdbuf();
	return ss.str();
}

void
WriteText(const std::string &path, const std::string &text)
{
	std::ofstream f(path);

	f << text;
}

size_t
Occurrences(const std::string &hay, const std::string &needle)
{
	size_t		n = 0;

	for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1))
		n++;
	return n;
}

/*
 * Checks that every element is closed in order and that every & starts an
 * entity: enough of XML well-formedness to catch a writer that forgets to
 * close or escape.  Returns "" or what is wrong.
 */
std::string
XmlProblem(const std::string &xml)
{
	std::vector<std::string> stack;
	static const std::regex entity("^&(lt|gt|amp|quot|apos|#[0-9]+);");

	for (size_t i = 0; i < xml.size(); i++)
	{
		if (xml[i] == '&')
		{
			if (!std::regex_search(xml.substr(i, 8), entity))
				return "bare & at " + std::to_string(i);
			continue;
		}
		if (xml[i] != '<')
			continue;
		size_t		end = xml.find('>', i);

		if (end == std::string::npos)
			return "unclosed < at " + std::to_string(i);
		std::string tag = xml.substr(i + 1, end - i - 1);

		if (tag.find('<') != std::string::npos)
			return "< inside a tag at " + std::to_string(i);
		i = end;
		if (tag[0] == '?' || tag[0] == '!')
			continue;
		if (tag.back() == '/')
			continue;
		if (tag[0] == '/')
		{
			if (stack.empty() || stack.back() != tag.substr(1))
				return "unexpected </" + tag.substr(1) + ">";
			stack.pop_back();
			continue;
		}
		stack.push_back(tag.substr(0, tag.find_first_of(" \t\n")));
	}
	return stack.empty() ? "" : "unclosed <" + stack.back() + ">";
}

/* A small report as RunBench would fill it: 3 strategies, 3 queries. */
pathx::bench::BenchReport
SampleReport()
{
	pathx::bench::BenchReport r;

	r.documents = 1000;
	r.options.runs = 3;
	r.data_source = "sample";
	r.server_version = "15.20";
	r.queries = Parse("eq | equality | doc @> '{\"a\": 1}'\n"
					  "lt | range | doc @? '$.n ? (@ < 5 && @ > \"<&>\")' | btree: (doc->>'n')::numeric < 5 "
					  "| btree-index: (((doc->>'n')::numeric))\n"
					  "wild | wildcard | doc @@ '$.** == 1'\n");

	const char *names[] = {"seq", "jsonb_pathx_ops", "btree"};
	pathx::bench::StrategyKind kinds[] = {pathx::bench::StrategyKind::kSeqScan, pathx::bench::StrategyKind::kGin,
		pathx::bench::StrategyKind::kBtree};

	for (int s = 0; s < 3; s++)
	{
		pathx::bench::StrategyResult res;

		res.strategy = {names[s], kinds[s], s == 1 ? "jsonb_pathx_ops" : "", "", false};
		res.size_bytes = s * 1048576L;
		res.build_s = s;
		res.insert_rows_per_s = 1000.0 / (s + 1);
		for (const pathx::bench::BenchQuery &q : r.queries)
		{
			pathx::bench::QueryResult qr;

			/* btree cannot express eq and wild */
			qr.ran = !(s == 2 && q.btree_where.empty());
			qr.median_ms = qr.ran ? 0.5 * (s + 1) * (q.name == "wild" ? 100 : 1) : 0;
			qr.min_ms = qr.median_ms;
			qr.count = 7;
			qr.index_used = s > 0 && q.name != "wild";
			res.queries[q.name] = qr;
		}
		r.results.push_back(res);
	}
	return r;
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(bench)

BOOST_AUTO_TEST_CASE(query_file_good)
{
	auto		qs = Parse("# comment\n"
						   "\n"
						   "   # indented comment\n"
						   "a_1 | equality | doc @> '{\"s\": \"x|y\"}' | s = \"x|y\"\n"
						   "b | key exists | doc ? 'k'\n"
						   "c | or | doc @@ '$.a == 1 || $.b == 2' | jsquery: a = 1 OR b = 2 | "
						   "btree: doc->>'a' = '1' | btree-index: (doc->>'a')\n"
						   "d | other | doc->>'x' || 'y' = 'zy'\r\n");

	BOOST_REQUIRE_EQUAL(qs.size(), 4u);
	BOOST_TEST(qs[0].name == "a_1");
	BOOST_TEST((qs[0].kind == pathx::bench::QueryKind::kEquality));
	BOOST_TEST(qs[0].where == "doc @> '{\"s\": \"x|y\"}'");
	BOOST_TEST(qs[0].jsquery == "s = \"x|y\"");	/* untagged 4th field */
	BOOST_TEST((qs[1].kind == pathx::bench::QueryKind::kKeyExists));
	BOOST_TEST(qs[1].jsquery.empty());
	BOOST_TEST(qs[2].where == "doc @@ '$.a == 1 || $.b == 2'");
	BOOST_TEST(qs[2].jsquery == "a = 1 OR b = 2");
	BOOST_TEST(qs[2].btree_where == "doc->>'a' = '1'");
	BOOST_TEST(qs[2].btree_index == "(doc->>'a')");
	BOOST_TEST(qs[3].where == "doc->>'x' || 'y' = 'zy'");	/* SQL's || outside quotes */
	BOOST_TEST((qs[3].kind == pathx::bench::QueryKind::kOther));
}

BOOST_AUTO_TEST_CASE(query_file_errors_name_the_line)
{
	const std::string ok = "# header\nok | range | doc ? 'a'\n";
	struct
	{
		std::string line;
		std::string says;
	}			cases[] = {
		{"x | equality", "expected at least 3 fields"},
		{"x | sideways | doc ? 'a'", "unknown kind 'sideways'"},
		{"bad-name | range | doc ? 'a'", "may hold only letters, digits and _"},
		{" | range | doc ? 'a'", "has no name"},
		{"ok | range | doc ? 'b'", "already used on line 2"},
		{"x | range | doc ? 'a", "unterminated ' quote"},
		{"x | range |  ", "empty SQL condition"},
		{"x | range | doc ? 'a' | btree: doc->>'a' = '1'", "needs both btree:"},
		{"x | range | doc ? 'a' | btree-index: (doc->>'a')", "needs both btree:"},
		{"x | range | doc ? 'a' | jsquery: a = *| jsquery: b = *", "jsquery given twice"},
		{"x | range | doc ? 'a' | a = * | stray", "field 5 'stray' is not tagged"},
		{"x | range | doc ? 'a' | jsquery:", "jsquery: is empty"},
	};

	for (const auto &c : cases)
	{
		std::string msg = ParseError(ok + "\n" + c.line + "\n");

		BOOST_TEST_INFO("line: " << c.line << " -> " << msg);
		BOOST_TEST(msg.find("q.txt:4: ") == 0);
		BOOST_TEST(msg.find(c.says) != std::string::npos);
	}
	BOOST_TEST(ParseError("# nothing\n\n").find("no queries") != std::string::npos);
	BOOST_TEST(ParseError(ok).empty());
}

BOOST_AUTO_TEST_CASE(default_queries_match_the_example_file_and_cover_every_kind)
{
	const char *root = std::getenv("PATHX_ROOT");

	BOOST_REQUIRE_MESSAGE(root != nullptr, "PATHX_ROOT is not set: run through make -C tools/pathx test");
	BOOST_TEST(ReadAll(std::string(root) + "/tools/bench/queries.example") == pathx::bench::DefaultQueryText());

	std::set<pathx::bench::QueryKind> kinds;
	int			btree = 0;
	int			jsquery = 0;

	for (const pathx::bench::BenchQuery &q : pathx::bench::DefaultQueries())
	{
		kinds.insert(q.kind);
		btree += !q.btree_where.empty();
		jsquery += !q.jsquery.empty();
	}
	for (pathx::bench::QueryKind k : {pathx::bench::QueryKind::kEquality, pathx::bench::QueryKind::kContainment,
			 pathx::bench::QueryKind::kKeyExists, pathx::bench::QueryKind::kRange, pathx::bench::QueryKind::kPrefix,
			 pathx::bench::QueryKind::kPathExists, pathx::bench::QueryKind::kEqAndRange, pathx::bench::QueryKind::kOr,
			 pathx::bench::QueryKind::kNonSelective, pathx::bench::QueryKind::kWildcard, pathx::bench::QueryKind::kOrm,
			 pathx::bench::QueryKind::kOrmNonSelective})
		BOOST_TEST(kinds.count(k) == 1u, "kind " << pathx::bench::QueryKindName(k));
	BOOST_TEST(btree >= 8);
	BOOST_TEST(jsquery >= 10);

	/* the application forms: at least 10 selective ones, most with a B-tree twin, 2 non-selective */
	int			orm = 0;
	int			orm_btree = 0;
	int			orm_nonselective = 0;

	for (const pathx::bench::BenchQuery &q : pathx::bench::DefaultQueries())
	{
		orm += q.kind == pathx::bench::QueryKind::kOrm;
		orm_btree += q.kind == pathx::bench::QueryKind::kOrm && !q.btree_where.empty();
		orm_nonselective += q.kind == pathx::bench::QueryKind::kOrmNonSelective;
		BOOST_TEST(pathx::bench::IsOrmKind(q.kind) == (q.name.rfind("orm_", 0) == 0), q.name);
	}
	BOOST_TEST(orm >= 10);
	BOOST_TEST(orm_btree >= 10);
	BOOST_TEST(orm_nonselective == 2);
}

BOOST_AUTO_TEST_CASE(orm_kinds_parse)
{
	auto		qs = Parse("a | orm | doc->>'status' = 'x' | btree: doc->>'status' = 'x' | btree-index: (doc->>'status')\n"
						   "b | orm-non-selective | doc->>'status' <> 'x'\n"
						   "c | orm non-selective | (doc->>'n')::numeric > 1\n");

	BOOST_REQUIRE_EQUAL(qs.size(), 3u);
	BOOST_TEST((qs[0].kind == pathx::bench::QueryKind::kOrm));
	BOOST_TEST(qs[0].btree_index == "(doc->>'status')");
	BOOST_TEST((qs[1].kind == pathx::bench::QueryKind::kOrmNonSelective));
	BOOST_TEST((qs[2].kind == pathx::bench::QueryKind::kOrmNonSelective));
	BOOST_TEST(pathx::bench::QueryKindToken(pathx::bench::QueryKind::kOrmNonSelective) == "orm-non-selective");
	BOOST_TEST(pathx::bench::IsOrmKind(pathx::bench::QueryKind::kOrm));
	BOOST_TEST(!pathx::bench::IsOrmKind(pathx::bench::QueryKind::kNonSelective));
}

/*
 * The application-form targets on a hand-made report: 50x a seq scan and
 * 2x a B-tree for selective forms, 1.1x a seq scan for non-selective ones,
 * 1.2x planning with application_forms off; the planning table in every
 * writer.
 */
BOOST_AUTO_TEST_CASE(orm_targets_and_planning_table)
{
	pathx::bench::BenchReport r;

	r.documents = 200000;
	r.options.runs = 3;
	r.options.plan_runs = 7;
	r.data_source = "sample";
	r.server_version = "15.20";
	r.queries = Parse("fast | orm | doc->>'s' = 'x' | btree: doc->>'s' = 'x' | btree-index: (doc->>'s')\n"
					  "slow | orm | (doc->>'n')::numeric > 1 | btree: (doc->>'n')::numeric > 1 "
					  "| btree-index: ((doc->>'n')::numeric)\n"
					  "wide | orm | doc->>'w' = 'y'\n"
					  "many | orm-non-selective | doc->>'s' = 'z'\n");

	/* ms per (query, strategy): seq, jsonb_pathx_ops, btree; -1: cannot express */
	const std::map<std::string, std::vector<double>> ms = {
		{"fast", {100, 1, 0.8}}, {"slow", {100, 4, 1}}, {"wide", {100, 1, -1}}, {"many", {100, 120, 90}}};
	const std::map<std::string, long> count = {{"fast", 100}, {"slow", 100}, {"wide", 5000}, {"many", 150000}};
	const char *names[] = {"seq", "jsonb_pathx_ops", "btree"};
	pathx::bench::StrategyKind kinds[] = {pathx::bench::StrategyKind::kSeqScan, pathx::bench::StrategyKind::kGin,
		pathx::bench::StrategyKind::kBtree};

	for (int s = 0; s < 3; s++)
	{
		pathx::bench::StrategyResult res;

		res.strategy = {names[s], kinds[s], s == 1 ? "jsonb_pathx_ops" : "", "", false};
		res.size_bytes = 1048576L;
		res.build_s = 1;
		res.insert_rows_per_s = 1000;
		for (const pathx::bench::BenchQuery &q : r.queries)
		{
			pathx::bench::QueryResult qr;

			qr.ran = ms.at(q.name)[s] >= 0;
			qr.median_ms = qr.min_ms = qr.ran ? ms.at(q.name)[s] : 0;
			qr.count = count.at(q.name);
			qr.index_used = s > 0 && q.name != "many";
			res.queries[q.name] = qr;
		}
		r.results.push_back(res);
	}
	r.planning["fast"] = {true, 0.110, 0.100, 0.050, true, false};
	r.planning["slow"] = {true, 0.300, 0.100, -1, true, false};

	std::vector<pathx::bench::TargetResult> targets = pathx::bench::CheckTargets(r);
	std::map<std::string, std::string> status;

	for (const pathx::bench::TargetResult &t : targets)
		status[t.what] = (t.status == pathx::bench::TargetResult::kPass ? "PASS " :
						  t.status == pathx::bench::TargetResult::kMiss ? "MISS " : "SKIP ") + t.measured;

	auto		says = [&](const std::string &what, const std::string &prefix) {
		BOOST_TEST_INFO(what << " -> " << (status.count(what) ? status[what] : "(absent)"));
		BOOST_TEST(status[what].rfind(prefix, 0) == 0);
	};

	says("fast (orm), 0.05% of rows, >= 50x faster than seq scan", "PASS 100x faster");
	says("fast (orm) <= 2x btree", "PASS 1.25x btree");
	says("slow (orm), 0.05% of rows, >= 50x faster than seq scan", "MISS 25.0x faster");
	says("slow (orm) <= 2x btree", "MISS 4.00x btree");
	says("wide (orm), 2.50% of rows, >= 50x faster than seq scan, <= 2x btree", "SKIP");
	BOOST_TEST(status.count("wide (orm) <= 2x btree") == 0u);
	says("many (orm non-selective) <= 1.1x seq scan", "MISS 1.20x seq scan (plan: seq scan)");
	says("fast planning time <= 1.2x with application_forms off", "PASS 1.10x (0.110 ms on, 0.100 ms off)");
	says("slow planning time <= 1.2x with application_forms off", "MISS 3.00x");

	std::ostringstream term;

	pathx::bench::WriteTerminal(r, targets, term);
	BOOST_TEST_INFO(term.str());
	BOOST_TEST(term.str().find("median \"Planning Time\" of 7 EXPLAIN (SUMMARY)") != std::string::npos);
	BOOST_TEST(std::regex_search(term.str(), std::regex("\nfast +0\\.110 idx +0\\.100 seq +1\\.10x +0\\.050\n")));
	BOOST_TEST(std::regex_search(term.str(), std::regex("\nslow +0\\.300 idx +0\\.100 seq +3\\.00x +-\n")));

	std::ostringstream md;

	pathx::bench::WriteMarkdown(r, targets, md);
	BOOST_TEST(md.str().find("| `doc->>'s' = 'x'` | 0.110 idx | 0.100 seq | 1.10x | 0.050 |") != std::string::npos);

	/* the JSON holds the planning figures and the btree forms (read back by the tests above) */
	std::ostringstream js;

	pathx::bench::WriteJson(r, targets, js);
	nlohmann::json j = nlohmann::json::parse(js.str());

	BOOST_TEST(j["plan_runs"] == 7);
	BOOST_TEST(j["planning"]["fast"] == nlohmann::json::parse(
				   "{\"on_ms\": 0.110, \"off_ms\": 0.100, \"ratio\": 1.100, \"btree_ms\": 0.050, "
				   "\"index_used_on\": true, \"index_used_off\": false}"));
	BOOST_TEST(j["planning"]["slow"]["btree_ms"].is_null());
	BOOST_TEST(j["planning"].size() == 2u);	/* no entry for queries not measured */
	BOOST_TEST(j["queries"][1]["btree_index"] == "((doc->>'n')::numeric)");
	BOOST_TEST(j["queries"][2]["btree"].is_null());
	BOOST_TEST(j["queries"][3]["kind"] == "orm non-selective");
}

/*
 * The JSON report: the structure compare_runs.py and the tests read, with
 * numbers rounded as in the tables, and valid JSON whatever the strings
 * hold (quotes, control characters, bytes that are not UTF-8).
 */
BOOST_AUTO_TEST_CASE(json_report_structure_and_awkward_strings)
{
	pathx::bench::BenchReport r = SampleReport();

	r.data_source = "tab\there \"quoted\" \x01 back\\slash";
	r.queries[0].where = "doc @> '{\"s\": \"caf\xe9\"}'";	/* Latin-1 from a query file */
	r.settings["work_mem"] = "64MB";
	r.avg_doc_bytes = 812.349;
	r.working_set_bytes = 2.2e9 + 0.4;
	r.load_s = std::nan("");
	r.skipped.push_back("jsquery: extension not available");
	r.mismatches.push_back({"lt", "SELECT count(*) FROM pxb_btree WHERE x", "btree", 6, 7});

	std::vector<pathx::bench::TargetResult> targets = pathx::bench::CheckTargets(r);
	std::ostringstream out;

	pathx::bench::WriteJson(r, targets, out);
	nlohmann::json j;

	BOOST_REQUIRE_NO_THROW(j = nlohmann::json::parse(out.str()));
	BOOST_TEST(j["data"] == r.data_source);
	BOOST_TEST(j["queries"][0]["sql"] == "doc @> '{\"s\": \"caf\xef\xbf\xbd\"}'");	/* U+FFFD */
	BOOST_TEST(j["rows"] == 1000);
	BOOST_TEST(j["runs"] == 3);
	BOOST_TEST(j["avg_doc_bytes"] == 812.3);
	BOOST_TEST(j["working_set_bytes"].is_number_integer());
	BOOST_TEST(j["working_set_bytes"] == 2200000000LL);
	BOOST_TEST(j["load_s"].is_null());	/* not finite */
	BOOST_TEST(j["server_version"] == "15.20");
	BOOST_TEST(j["settings"]["work_mem"] == "64MB");
	BOOST_TEST(j["skipped"] == nlohmann::json::array({"jsquery: extension not available"}));
	BOOST_TEST(j["warnings"].is_array());
	BOOST_TEST(j["warnings"].empty());
	BOOST_TEST(j["count_mismatches"][0] == nlohmann::json::parse(
				   "{\"query\": \"lt\", \"sql\": \"SELECT count(*) FROM pxb_btree WHERE x\", "
				   "\"strategy\": \"btree\", \"count\": 6, \"expected\": 7}"));
	BOOST_TEST(j["targets"].size() == targets.size());
	BOOST_TEST(j["targets"][0].contains("target"));
	BOOST_TEST(j["targets"][0]["status"].is_string());
	BOOST_TEST(j["planning"].is_object());

	/* strategies: in order, a query a strategy cannot express is null */
	BOOST_REQUIRE_EQUAL(j["strategies"].size(), 3u);
	BOOST_TEST(j["strategies"][0]["name"] == "seq");
	BOOST_TEST(j["strategies"][0]["opclass"].is_null());
	BOOST_TEST(j["strategies"][1]["opclass"] == "jsonb_pathx_ops");
	BOOST_TEST(j["strategies"][2]["size_bytes"] == 2097152);
	BOOST_TEST(j["strategies"][2]["insert_rows_per_s"] == 333.3);
	BOOST_TEST(j["strategies"][2]["queries"]["eq"].is_null());
	BOOST_TEST(j["strategies"][1]["queries"]["lt"] == nlohmann::json::parse(
				   "{\"median_ms\": 1.0, \"min_ms\": 1.0, \"count\": 7, \"index_used\": true}"));

	/* the keys in the order written, so that the file reads like the tables */
	nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(out.str());
	std::vector<std::string> keys;

	for (const auto &kv : ordered.items())
		keys.push_back(kv.key());
	BOOST_TEST(keys == (std::vector<std::string>{"rows", "data", "runs", "seed", "avg_doc_bytes",
		"avg_text_bytes", "load_s", "working_set_bytes", "server_version", "settings", "queries",
		"strategies", "plan_runs", "planning", "targets", "count_mismatches", "skipped", "warnings"}),
			   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(data_files_ndjson_and_json_array)
{
	pathx_test::TempDir dir("pxb-data");
	std::string nd = dir.Path() + "/d.ndjson";
	std::string arr = dir.Path() + "/d.json";
	std::string bad = dir.Path() + "/bad.json";
	std::string doc;
	pathx::DocumentPosition pos;

	WriteText(nd, "{\"a\": 1}\n\n  \n{\"b\": \"x\\n]\"}\n");
	auto		s = pathx::bench::OpenDataFile(nd);

	BOOST_TEST(s->Next(doc, pos));
	BOOST_TEST(doc == "{\"a\": 1}");
	BOOST_TEST(s->Next(doc, pos));
	BOOST_TEST(doc == "{\"b\": \"x\\n]\"}");
	BOOST_TEST(!s->Next(doc, pos));

	WriteText(arr, "  [ {\"a\": [1, 2], \"s\": \"],\\\"[\"},\n  {\"b\": {}} , 3 ]\n");
	s = pathx::bench::OpenDataFile(arr);
	std::vector<std::string> docs;
	std::vector<long> elements;

	while (s->Next(doc, pos))
	{
		docs.push_back(doc);
		elements.push_back(pos.element);
	}
	BOOST_REQUIRE_EQUAL(docs.size(), 3u);
	/* the loader's splitter hands on each element without the white space around it */
	BOOST_TEST(docs[0] == "{\"a\": [1, 2], \"s\": \"],\\\"[\"}");
	BOOST_TEST(docs[2] == "3");
	BOOST_TEST(elements == (std::vector<long>{1, 2, 3}), boost::test_tools::per_element());

	WriteText(bad, "[{\"a\": 1}, {\"b\": 2}");
	s = pathx::bench::OpenDataFile(bad);
	BOOST_TEST(s->Next(doc, pos));
	BOOST_CHECK_EXCEPTION(s->Next(doc, pos), pathx::bench::BenchError, [&](const pathx::bench::BenchError &e) {
		return std::string(e.what()).find(bad + ": the input ends inside array element 2") == 0 &&
			e.GetKind() == pathx::bench::BenchError::kFailure;
	});
	BOOST_CHECK_EXCEPTION(pathx::bench::OpenDataFile(dir.Path() + "/missing"), pathx::bench::BenchError,
						  [](const pathx::bench::BenchError &e) {
		return e.GetKind() == pathx::bench::BenchError::kUsage;
	});
}

BOOST_AUTO_TEST_CASE(log_scale_is_monotonic)
{
	pathx::bench::LogScale s = pathx::bench::LogScale::ForValues(0.37, 256, 100, 900);

	BOOST_TEST(s.Lo() == 0.1);
	BOOST_TEST(s.Hi() == 1000);
	BOOST_TEST(s.Map(0.1) == 100);
	BOOST_TEST(s.Map(1000) == 900);
	BOOST_TEST(s.Map(1) == 300, boost::test_tools::tolerance(1e-9));
	double		prev = s.Map(0.1);

	for (double v = 0.11; v <= 1000; v *= 1.1)
	{
		BOOST_TEST(s.Map(v) > prev);
		prev = s.Map(v);
	}
	BOOST_TEST(s.Decades() == (std::vector<double>{0.1, 1, 10, 100, 1000}),
			   boost::test_tools::per_element() );
}

BOOST_AUTO_TEST_CASE(svg_is_well_formed_with_one_bar_per_measurement)
{
	pathx::bench::LatencyChart c;

	c.title = "t <&> \"q\"";
	c.series = {"seq", "a&b"};
	c.groups = {"q1", "q<2>"};
	c.group_tooltips = {"doc @> '{\"a\": 1}'", "x < 5 && y > 'z'"};
	c.bars = {{pathx::bench::ChartBar{1.5, false, "x"}, std::nullopt},
			  {pathx::bench::ChartBar{300, false, "<tip>"}, pathx::bench::ChartBar{0.2, true, ""}}};
	c.sizes_title = "Index size";
	c.sizes_unit = "MB";
	c.sizes = {{"a&b", 3.5}};

	std::ostringstream out;

	pathx::bench::RenderLatencyChart(c, out);
	std::string svg = out.str();

	BOOST_TEST(XmlProblem(svg) == "");
	BOOST_TEST(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
	BOOST_TEST(Occurrences(svg, "class=\"bar\"") == 3u);
	BOOST_TEST(Occurrences(svg, "class=\"size\"") == 1u);
	BOOST_TEST(svg.find("q&lt;2&gt;") != std::string::npos);
	BOOST_TEST(svg.find("x &lt; 5 &amp;&amp; y &gt; &apos;z&apos;") != std::string::npos);
	BOOST_TEST(svg.find("t &lt;&amp;&gt; &quot;q&quot;") != std::string::npos);
	BOOST_TEST(svg.find("fill-opacity=\"0.3\"") != std::string::npos);	/* the pale bar */

	/* a longer latency draws a longer bar */
	std::smatch m;
	std::regex	bar("class=\"bar\" x=\"[0-9.]+\" y=\"[0-9.]+\" width=\"([0-9.]+)\"");
	std::vector<double> widths;

	for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it)
		widths.push_back(std::stod((*it)[1]));
	BOOST_REQUIRE_EQUAL(widths.size(), 3u);
	BOOST_TEST(widths[2] < widths[0]);	/* 0.2 ms < 1.5 ms */
	BOOST_TEST(widths[0] < widths[1]);	/* 1.5 ms < 300 ms */
}

BOOST_AUTO_TEST_CASE(svg_from_a_report_has_a_bar_per_query_and_strategy_that_ran)
{
	pathx::bench::BenchReport r = SampleReport();
	std::ostringstream out;

	pathx::bench::WriteSvg(r, out);
	std::string svg = out.str();

	BOOST_TEST(XmlProblem(svg) == "");
	/* 3 queries x 3 strategies, minus the 2 the btree could not express */
	BOOST_TEST(Occurrences(svg, "class=\"bar\"") == 7u);
	BOOST_TEST(Occurrences(svg, "class=\"size\"") == 2u);	/* no size bar for the seq scan */
	BOOST_TEST(svg.find("@ &gt; &quot;&lt;&amp;&gt;&quot;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(table_writer)
{
	std::ostringstream a;

	pathx::bench::PrintAligned(a, {"", "x", "longer"}, {{"row one", "1", "22"}, {"r2", "333", "4"}});
	BOOST_TEST(a.str() == "           x  longer\n"
			   "row one    1      22\n"
			   "r2       333       4\n");

	pathx::bench::BenchReport r = SampleReport();

	r.mismatches.push_back({"lt", "SELECT count(*) FROM pxb_btree WHERE ...", "btree", 6, 7});

	std::ostringstream out;

	pathx::bench::WriteTerminal(r, pathx::bench::CheckTargets(r), out);
	std::string t = out.str();
	std::istringstream lines(t);
	std::string line;
	std::map<std::string, std::string> row;

	while (std::getline(lines, line))
		row.emplace(line.substr(0, line.find(' ')), line);	/* the first: the latency table */
	BOOST_TEST_INFO(t);
	BOOST_TEST(row.count(""));
	BOOST_TEST(std::regex_search(row["eq"], std::regex("^eq \\(7\\) +0\\.50 +1\\.00 idx +-$")));
	BOOST_TEST(std::regex_search(row["lt"], std::regex("^lt \\(7\\) +0\\.50 +1\\.00 idx +1\\.50 idx$")));
	BOOST_TEST(std::regex_search(row["wild"], std::regex("100\\.00 seq +-$")));
	BOOST_TEST(t.find("ERROR: btree counted 6 rows, the seq scan 7, for lt") != std::string::npos);

	std::ostringstream md;

	pathx::bench::WriteMarkdown(r, pathx::bench::CheckTargets(r), md);
	BOOST_TEST(md.str().find("| seq scan | jsonb_pathx_ops | btree |") != std::string::npos);
	BOOST_TEST(md.str().find("**ERROR**") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_query_file_is_a_usage_error_naming_the_line)
{
	pathx_test::TempDir dir("pxb-q");
	std::string q = dir.Path() + "/bad.queries";

	WriteText(q, "# two good lines, then a bad one\na | range | doc ? 'a'\nb | range | doc ? 'b'\n"
			  "c | rnage | doc ? 'c'\n");

	pathx_test::CliRun run = pathx_test::RunPathx({"bench", "--queries", q, "--conninfo", "dbname=unused"});

	BOOST_TEST_INFO(run.output);
	BOOST_TEST(run.exit_code == 2);
	BOOST_TEST(run.Says(q + ":4: unknown kind 'rnage'"));
	BOOST_TEST(run.Says("fix:"));
}

/* ---- against the harness cluster ---- */

BOOST_AUTO_TEST_CASE(smoke_run_all_strategies_agree)
{
	BOOST_REQUIRE_MESSAGE(!pathx_test::HarnessConninfo().empty(),
						  "PXTEST_CONNINFO is not set: run the CLI tests through tools/with-cluster.sh "
						  "or tests/run-all.sh");
	pathx_test::TestDatabase db("pxb_cli");
	pathx_test::TempDir dir("pxb-smoke");
	std::string json = dir.Path() + "/r.json";
	std::string svg = dir.Path() + "/r.svg";
	std::string md = dir.Path() + "/r.md";

	pathx_test::CliRun run = pathx_test::RunPathx({"bench", "--conninfo", db.Conninfo(), "--rows", "2000",
		"--runs", "1", "--svg", svg, "--json", json, "--markdown", md});

	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(XmlProblem(ReadAll(svg)) == "");
	BOOST_TEST(ReadAll(md).find("| seq scan |") != std::string::npos);

	pqxx::nontransaction n(db.conn());
	std::string report = ReadAll(json);

	/* every strategy that ran a query counted what every other did */
	pqxx::result disagree = n.exec_params(
		"SELECT q.key FROM jsonb_array_elements($1::jsonb->'strategies') s, jsonb_each(s->'queries') q "
		"WHERE jsonb_typeof(q.value) = 'object' GROUP BY q.key "
		"HAVING count(DISTINCT q.value->'count') > 1", report);

	BOOST_TEST(disagree.empty());
	BOOST_TEST(n.exec_params("SELECT jsonb_array_length($1::jsonb->'count_mismatches')", report)[0][0]
			   .as<int>() == 0);

	std::set<std::string> names;

	for (const pqxx::row &row : n.exec_params(
			 "SELECT s->>'name' FROM jsonb_array_elements($1::jsonb->'strategies') s", report))
		names.insert(row[0].c_str());
	for (const char *s : {"seq", "jsonb_ops", "jsonb_path_ops", "jsonb_pathx_ops", "btree"})
		BOOST_TEST(names.count(s) == 1u, "strategy " << s);
	/* the B-tree strategy used its index on a selective single-path query */
	BOOST_TEST(n.exec_params("SELECT ($1::jsonb #> '{strategies}') @? "
							 "'$[*] ? (@.name == \"btree\").queries.range_total.index_used ? (@ == true)'",
							 report)[0][0].as<bool>());
	/* the tables are gone */
	BOOST_TEST(n.exec("SELECT count(*) FROM pg_class WHERE relname LIKE 'pxb\\_%'")[0][0].as<int>() == 0);
}

BOOST_AUTO_TEST_CASE(data_file_and_a_wrong_btree_form_fail_the_run)
{
	BOOST_REQUIRE_MESSAGE(!pathx_test::HarnessConninfo().empty(),
						  "PXTEST_CONNINFO is not set: run the CLI tests through tools/with-cluster.sh "
						  "or tests/run-all.sh");
	pathx_test::TestDatabase db("pxb_cli");
	pathx_test::TempDir dir("pxb-data");
	std::string data = dir.Path() + "/d.json";
	std::string good = dir.Path() + "/good.queries";
	std::string wrong = dir.Path() + "/wrong.queries";
	std::string docs = "[";

	for (int i = 0; i < 300; i++)
		docs += std::string(i ? ",\n" : "") + "{\"k\": " + std::to_string(i) + ", \"s\": \"" +
			(i % 3 ? "a" : "b") + "\"}";
	WriteText(data, docs + "]");
	WriteText(good, "k_small | range | doc @? '$.k ? (@ < 10)' | btree: (doc->>'k')::int < 10 "
			  "| btree-index: (((doc->>'k')::int))\n");
	/* the btree form asks something else: the run must say so and fail */
	WriteText(wrong, "s_b | equality | doc @> '{\"s\": \"b\"}' | btree: doc->>'s' = 'a' "
			  "| btree-index: ((doc->>'s'))\n");

	std::vector<std::string> common{"bench", "--conninfo", db.Conninfo(), "--data", data, "--runs", "1",
		"--no-option-studies", "--only", "jsonb_pathx_ops,btree"};
	std::vector<std::string> args = common;

	args.insert(args.end(), {"--queries", good});
	pathx_test::CliRun ok = pathx_test::RunPathx(args);

	BOOST_TEST_INFO(ok.output);
	BOOST_TEST(ok.exit_code == 0);
	BOOST_TEST(ok.Says("300 documents"));
	BOOST_TEST(ok.Says("k_small (10)"));

	args = common;
	args.insert(args.end(), {"--queries", wrong});
	pathx_test::CliRun bad = pathx_test::RunPathx(args);

	BOOST_TEST_INFO(bad.output);
	BOOST_TEST(bad.exit_code == 1);
	BOOST_TEST(bad.Says("ERROR: btree counted 200 rows, the seq scan 100"));
	BOOST_TEST(bad.Says("count mismatch"));
}

/*
 * A query file naming application SQL forms: jsonb_pathx_ops serves them
 * (its planner hook derives the index condition), jsonb_path_ops cannot,
 * and the planning comparison shows the index only with the setting on.
 */
BOOST_AUTO_TEST_CASE(orm_forms_use_the_jsonb_pathx_ops_index)
{
	BOOST_REQUIRE_MESSAGE(!pathx_test::HarnessConninfo().empty(),
						  "PXTEST_CONNINFO is not set: run the CLI tests through tools/with-cluster.sh "
						  "or tests/run-all.sh");
	pathx_test::TestDatabase db("pxb_cli");
	pathx_test::TempDir dir("pxb-orm");
	std::string queries = dir.Path() + "/orm.queries";
	std::string json = dir.Path() + "/r.json";

	WriteText(queries,
			  "# generated orders: IS is 0.5% of customers, totals above 4990 0.2%\n"
			  "orm_country | orm | doc->'user'->>'country' = 'IS' | btree: doc->'user'->>'country' = 'IS' "
			  "| btree-index: (doc->'user'->>'country')\n"
			  "orm_total | orm | (doc->>'total')::numeric > 4990 | btree: (doc->>'total')::numeric > 4990 "
			  "| btree-index: ((doc->>'total')::numeric)\n");

	pathx_test::CliRun run = pathx_test::RunPathx({"bench", "--conninfo", db.Conninfo(), "--rows", "3000",
		"--runs", "1", "--plan-runs", "3", "--insert-rows", "100", "--no-option-studies", "--only",
		"jsonb_path_ops,jsonb_pathx_ops,btree", "--queries", queries, "--json", json});

	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(run.Says("Planning time on the jsonb_pathx_ops table"));
	BOOST_TEST(run.Says("orm_total planning time <= 1.2x with application_forms off"));

	pqxx::nontransaction n(db.conn());
	std::string report = ReadAll(json);
	auto		used = [&](const std::string &strategy, const std::string &query) {
		return n.exec_params("SELECT s #>> '{queries," + query + ",index_used}' FROM "
							 "jsonb_array_elements($1::jsonb->'strategies') s WHERE s->>'name' = $2",
							 report, strategy)[0][0].as<std::string>("absent");
	};

	for (const char *q : {"orm_country", "orm_total"})
	{
		BOOST_TEST_INFO("query " << q);
		BOOST_TEST(used("jsonb_pathx_ops", q) == "true");
		BOOST_TEST(used("jsonb_path_ops", q) == "false");	/* no operator: no index for jsonb_path_ops */
		BOOST_TEST(used("btree", q) == "true");

		pqxx::row	p = n.exec_params("SELECT $1::jsonb #>> ARRAY['planning', $2, 'index_used_on'], "
									  "$1::jsonb #>> ARRAY['planning', $2, 'index_used_off'], "
									  "($1::jsonb #>> ARRAY['planning', $2, 'on_ms'])::float8 > 0",
									  report, std::string(q))[0];

		BOOST_TEST(p[0].as<std::string>("absent") == "true");
		BOOST_TEST(p[1].as<std::string>("absent") == "false");	/* application_forms = off */
		BOOST_TEST(p[2].as<bool>(false));
	}
	BOOST_TEST(n.exec_params("SELECT jsonb_array_length($1::jsonb->'count_mismatches')", report)[0][0]
			   .as<int>() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
