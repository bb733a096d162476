/*
 * side_effects_test.cpp
 *	  What `pathx demo` and `pathx bench` do to a database that is not
 *	  theirs (issue #12, point 4): run with --conninfo on a database of
 *	  the harness cluster standing in for a user's, they must refuse to
 *	  drop an object of one of their names that they did not create,
 *	  leave it and its rows as they were, run no instance-wide CHECKPOINT
 *	  or pg_prewarm unless asked, and take away what they made (bench:
 *	  its tables, its schema, the extensions it created; demo keeps its
 *	  table by design, and drops or reloads only that one).
 *
 * Each case gets a database of its own (TestDatabase) and runs tiny
 * workloads (a few hundred rows, one query, one run), so the suite takes
 * seconds.  What the database holds afterwards is read back over libpqxx;
 * the output is only checked for the refusal naming the object.  The
 * checkpoint count is pg_stat_bgwriter.checkpoints_req, which nothing else
 * in this sequential suite moves while a case runs; a run with
 * --checkpoint shows that the count would catch one.
 */
#include "cli_test_util.h"
#include "bench/bench.h"

#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>

#include <fstream>
#include <string>
#include <vector>

namespace
{

/* One value from the database, in a transaction of its own. */
std::string
Value(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);
	pqxx::row	r = n.exec1(sql);

	return r[0].is_null() ? "(null)" : r[0].c_str();
}

void
Exec(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);

	n.exec(sql);
}

long
CheckpointsRequested(pqxx::connection &c)
{
	return std::stol(Value(c, "SELECT checkpoints_req FROM pg_stat_bgwriter"));
}

/* The relations named pxb_* of the database, as "schema.name" lines, sorted. */
std::string
BenchRelations(pqxx::connection &c)
{
	return Value(c, "SELECT coalesce(string_agg(n.nspname || '.' || c.relname, E'\\n' ORDER BY 1), '') "
				 "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
				 "WHERE c.relname LIKE 'pxb\\_%'");
}

bool
HasExtension(pqxx::connection &c, const std::string &ext)
{
	return Value(c, "SELECT count(*) FROM pg_extension WHERE extname = " + c.quote(ext)) == "1";
}

bool
HasSchema(pqxx::connection &c, const std::string &schema)
{
	return Value(c, "SELECT count(*) FROM pg_namespace WHERE nspname = " + c.quote(schema)) == "1";
}

/*
 * A bench run as small as it gets: 200 documents, one query, one timed
 * run, with the jsquery strategy asked for (it needs schema pxb_jsquery
 * whether or not jsquery can be installed) and the B-tree one.
 */
std::vector<std::string>
TinyBench(const std::string &conninfo, const std::string &queries)
{
	return {"bench", "--conninfo", conninfo, "--rows", "200", "--runs", "1", "--plan-runs", "1",
		"--insert-rows", "20", "--no-option-studies", "--queries", queries,
		"--only", "jsonb_pathx_ops,jsonb_path_value_ops,btree"};
}

std::string
QueryFile(const pathx_test::TempDir &dir)
{
	std::string path = dir.Path() + "/one.queries";
	std::ofstream f(path);

	f << "total_high | range | doc @? '$.total ? (@ > 4000)' | jsquery: total > 4000 "
		"| btree: (doc->>'total')::numeric > 4000 | btree-index: ((doc->>'total')::numeric)\n";
	return path;
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(side_effects)

BOOST_AUTO_TEST_CASE(help_says_what_demo_and_bench_create_change_and_remove)
{
	pathx_test::CliRun demo = pathx_test::RunPathx({"demo", "--help"});
	pathx_test::CliRun bench = pathx_test::RunPathx({"bench", "--help"});

	BOOST_TEST_INFO(demo.output);
	BOOST_TEST(demo.exit_code == 0);
	for (const char *s : {"Creates table demo_orders", "Changes:", "Removes:", "never drops what it did not create"})
		BOOST_TEST(demo.Says(s), "demo --help says " << s);
	BOOST_TEST_INFO(bench.output);
	BOOST_TEST(bench.exit_code == 0);
	for (const char *s : {"Creates", "Changes:", "Removes at the end what it created", "refuses (exit 1)",
						  pathx::bench::kBenchMark, "--checkpoint", "--prewarm", "pxb_jsquery"})
		BOOST_TEST(bench.Says(s), "bench --help says " << s);
}

/* The acceptance case of the issue: today's demo drops the user's table. */
BOOST_AUTO_TEST_CASE(demo_refuses_a_users_own_demo_orders)
{
	pathx_test::TestDatabase db("pxs_demo_user");

	Exec(db.conn(), "CREATE TABLE demo_orders (order_no int PRIMARY KEY, customer text); "
		 "INSERT INTO demo_orders VALUES (1, 'Ada'), (2, 'Grace'), (3, 'Edsger'); "
		 "COMMENT ON TABLE demo_orders IS 'our real orders'");

	pathx_test::CliRun run = pathx_test::RunPathx({"demo", "--conninfo", db.Conninfo(), "--rows", "200",
		"--runs", "1"});

	BOOST_TEST_INFO(run.output);
	BOOST_TEST(run.exit_code == 1);
	BOOST_TEST(run.Says("refusing to touch demo_orders (a table)"));
	BOOST_TEST(run.Says("fix:"));
	BOOST_TEST(Value(db.conn(), "SELECT string_agg(customer, ',' ORDER BY order_no) FROM demo_orders") ==
			   "Ada,Grace,Edsger");
	BOOST_TEST(Value(db.conn(), "SELECT obj_description('demo_orders'::regclass, 'pg_class')") ==
			   "our real orders");
	BOOST_TEST(Value(db.conn(), "SELECT count(*) FROM pg_indexes WHERE tablename = 'demo_orders'") == "1");

	/* nor an index of demo's name on a table of the user's */
	pathx_test::TestDatabase other("pxs_demo_index");

	Exec(other.conn(), "CREATE TABLE mine (doc jsonb); INSERT INTO mine VALUES ('{\"a\": 1}'); "
		 "CREATE INDEX demo_orders_doc_pathx ON mine USING gin (doc jsonb_pathx_ops)");
	run = pathx_test::RunPathx({"demo", "--conninfo", other.Conninfo(), "--rows", "200", "--runs", "1"});
	BOOST_TEST_INFO(run.output);
	BOOST_TEST(run.exit_code == 1);
	BOOST_TEST(run.Says("refusing to touch demo_orders_doc_pathx (an index)"));
	BOOST_TEST(Value(other.conn(), "SELECT to_regclass('demo_orders') IS NULL") == "t");	/* nothing made */
	BOOST_TEST(Value(other.conn(), "SELECT indrelid::regclass::text FROM pg_index "
					 "WHERE indexrelid = 'demo_orders_doc_pathx'::regclass") == "mine");
}

/* Over its own table, demo reuses it, and reloads it when the data differ. */
BOOST_AUTO_TEST_CASE(demo_reruns_over_its_own_table)
{
	pathx_test::TestDatabase db("pxs_demo_own");
	std::vector<std::string> args{"demo", "--conninfo", db.Conninfo(), "--runs", "1", "--rows"};

	for (const char *rows : {"300", "300", "400"})
	{
		std::vector<std::string> a = args;

		a.push_back(rows);
		pathx_test::CliRun run = pathx_test::RunPathx(a);

		BOOST_TEST_INFO("--rows " << rows << "\n" << run.output);
		BOOST_REQUIRE_EQUAL(run.exit_code, 0);
		BOOST_TEST(run.Says("Same rows with and without the index: yes"));
		BOOST_TEST(Value(db.conn(), "SELECT count(*) FROM demo_orders") == rows);
		BOOST_TEST(Value(db.conn(), "SELECT obj_description('demo_orders'::regclass, 'pg_class')") ==
				   std::string("pathx demo: ") + rows + " generated orders, seed 42");
		BOOST_TEST(Value(db.conn(), "SELECT indrelid::regclass::text FROM pg_index "
						 "WHERE indexrelid = 'demo_orders_doc_pathx'::regclass") == "demo_orders");
	}
}

BOOST_AUTO_TEST_CASE(bench_refuses_names_it_did_not_create)
{
	pathx_test::TempDir dir("pxs-bench");
	std::string queries = QueryFile(dir);

	/* a table of the user's called pxb_base */
	{
		pathx_test::TestDatabase db("pxs_bench_table");

		Exec(db.conn(), "CREATE TABLE pxb_base (id int PRIMARY KEY, what text); "
			 "INSERT INTO pxb_base VALUES (1, 'keep me'), (2, 'me too')");
		long		checkpoints = CheckpointsRequested(db.conn());
		pathx_test::CliRun run = pathx_test::RunPathx(TinyBench(db.Conninfo(), queries));

		BOOST_TEST_INFO(run.output);
		BOOST_TEST(run.exit_code == 1);
		BOOST_TEST(run.Says("refusing to run"));
		BOOST_TEST(run.Says("pxb_base (a table)"));
		BOOST_TEST(run.Says("pxb_base_pkey (an index)"));
		BOOST_TEST(Value(db.conn(), "SELECT string_agg(what, ',' ORDER BY id) FROM pxb_base") == "keep me,me too");
		/* refused before anything was made */
		BOOST_TEST(BenchRelations(db.conn()) == "public.pxb_base\npublic.pxb_base_pkey");
		BOOST_TEST(!HasSchema(db.conn(), "pxb_jsquery"));
		BOOST_TEST(CheckpointsRequested(db.conn()) == checkpoints);
	}
	/* an index of the user's named like one of bench's, on a table of theirs */
	{
		pathx_test::TestDatabase db("pxs_bench_index");

		Exec(db.conn(), "CREATE TABLE mine (doc jsonb); "
			 "CREATE INDEX pxb_jsonb_pathx_ops_doc ON mine USING gin (doc jsonb_pathx_ops)");
		pathx_test::CliRun run = pathx_test::RunPathx(TinyBench(db.Conninfo(), queries));

		BOOST_TEST_INFO(run.output);
		BOOST_TEST(run.exit_code == 1);
		BOOST_TEST(run.Says("pxb_jsonb_pathx_ops_doc (an index)"));
		BOOST_TEST(BenchRelations(db.conn()) == "public.pxb_jsonb_pathx_ops_doc");
	}
	/* a schema pxb_jsquery of the user's, when jsquery could be installed in it */
	{
		pathx_test::TestDatabase db("pxs_bench_schema");

		Exec(db.conn(), "CREATE SCHEMA pxb_jsquery; CREATE TABLE pxb_jsquery.notes (t text)");
		pathx_test::CliRun run = pathx_test::RunPathx(TinyBench(db.Conninfo(), queries));
		bool		available = Value(db.conn(), "SELECT count(*) FROM pg_available_extensions "
									  "WHERE name = 'jsquery'") == "1";

		BOOST_TEST_INFO(run.output);
		BOOST_TEST(run.exit_code == (available ? 1 : 0));
		if (available)
			BOOST_TEST(run.Says("pxb_jsquery (a schema"));
		else
			BOOST_TEST(run.Says("extension \"jsquery\" is not available"));
		BOOST_TEST(Value(db.conn(), "SELECT to_regclass('pxb_jsquery.notes') IS NOT NULL") == "t");
		BOOST_TEST(BenchRelations(db.conn()) == "");
	}
}

/*
 * Against --conninfo: no CHECKPOINT, no pg_prewarm, and nothing left
 * behind, the extension jsonb_pathx included when the run had to create
 * it; a pxb_base elsewhere on the search_path is not the one dropped.
 * With --checkpoint --prewarm (what make bench passes) the checkpoint
 * happens and pg_prewarm still goes away.
 */
BOOST_AUTO_TEST_CASE(bench_leaves_a_users_database_as_it_found_it)
{
	pathx_test::TempDir dir("pxs-bench");
	std::string queries = QueryFile(dir);
	pathx_test::TestDatabase db("pxs_bench_clean");

	Exec(db.conn(), "DROP EXTENSION jsonb_pathx; CREATE SCHEMA other; "
		 "CREATE TABLE other.pxb_base (id int); INSERT INTO other.pxb_base VALUES (7)");
	std::string conninfo = db.Conninfo() + " options='-c search_path=public,other'";
	long		checkpoints = CheckpointsRequested(db.conn());
	pathx_test::CliRun run = pathx_test::RunPathx(TinyBench(conninfo, queries));

	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(run.Says("total_high"));
	BOOST_TEST(CheckpointsRequested(db.conn()) == checkpoints);
	BOOST_TEST(!HasExtension(db.conn(), "pg_prewarm"));
	BOOST_TEST(!HasExtension(db.conn(), "jsonb_pathx"));	/* created for the run, dropped after */
	BOOST_TEST(!HasSchema(db.conn(), "pxb_jsquery"));
	BOOST_TEST(BenchRelations(db.conn()) == "other.pxb_base");
	BOOST_TEST(Value(db.conn(), "SELECT id FROM other.pxb_base") == "7");

	std::vector<std::string> asked = TinyBench(conninfo, queries);

	asked.insert(asked.end(), {"--checkpoint", "--prewarm"});
	run = pathx_test::RunPathx(asked);
	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(CheckpointsRequested(db.conn()) > checkpoints);
	BOOST_TEST(!HasExtension(db.conn(), "pg_prewarm"));
	BOOST_TEST(BenchRelations(db.conn()) == "other.pxb_base");
}

/* --keep-tables leaves marked tables, which the next run drops and makes again. */
BOOST_AUTO_TEST_CASE(bench_reruns_over_its_own_kept_tables)
{
	pathx_test::TempDir dir("pxs-bench");
	std::string queries = QueryFile(dir);
	pathx_test::TestDatabase db("pxs_bench_keep");
	std::vector<std::string> keep = TinyBench(db.Conninfo(), queries);

	keep.push_back("--keep-tables");
	pathx_test::CliRun run = pathx_test::RunPathx(keep);

	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(Value(db.conn(), "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'pxb\\_%' "
					 "AND obj_description(oid, 'pg_class') = " + db.conn().quote(std::string(pathx::bench::kBenchMark))) ==
			   "3");				/* pxb_seq, pxb_jsonb_pathx_ops, pxb_btree */
	BOOST_TEST(HasExtension(db.conn(), "jsonb_pathx"));

	run = pathx_test::RunPathx(TinyBench(db.Conninfo(), queries));
	BOOST_TEST_INFO(run.output);
	BOOST_REQUIRE_EQUAL(run.exit_code, 0);
	BOOST_TEST(run.Says("left by an earlier pathx bench"));
	BOOST_TEST(BenchRelations(db.conn()) == "");
	BOOST_TEST(HasExtension(db.conn(), "jsonb_pathx"));	/* the database had it before: kept */
}

BOOST_AUTO_TEST_SUITE_END()
