/*
 * cmd_demo.cpp
 *	  pathx demo: why the extension exists, in one screen.
 *
 * Loads generated orders into demo_orders (with a progress bar), runs a
 * few queries PostgreSQL's own GIN classes cannot help (a numeric range, a
 * string prefix, equality AND range, nested path existence, and one in the
 * form an ORM sends, Sequelize's CAST(doc #>> '{total}' AS DOUBLE
 * PRECISION)) without an index, builds `USING gin (doc jsonb_pathx_ops)`, runs them again, and
 * prints both side by side: the scan the planner chose, the median time,
 * the rows found (the same, or the demo fails), and the keys the index
 * searched (jsonb_pathx_explain; for the ORM form, of the index condition
 * the planner derived, read from the plan).
 *
 * Times are medians of --runs executions after one warm-up run, measured
 * at the client around `SELECT count(*)`, so they include what a user
 * waits for.  The planner is left alone: nothing is forced.  The table is
 * reused when it already holds the same generated data (a comment records
 * rows and seed), so a second demo skips the load.
 *
 * The target may be a user's own database (--conninfo), where demo_orders
 * could be a table of theirs.  That comment, which always begins with
 * kDemoMark, is also what makes the table demo's: it is set in the
 * statement that creates the table (as "loading" until the load is
 * committed), and demo drops, reloads or reindexes only a demo_orders
 * with it, and an index demo_orders_doc_pathx only on that table.  Any
 * other object of either name makes demo refuse before it changes
 * anything.  The table and its index stay after the demo, by design:
 * they are there to be queried.
 */
#include "commands.h"
#include "context.h"
#include "loader.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace pathx
{

namespace
{

struct DemoOptions
{
	long		rows = 100000;
	std::uint64_t seed = 42;
	int			runs = 3;
	bool		reload = false;
};

struct DemoQuery
{
	const char *what;
	const char *where;
};

/* Kinds of query the built-in classes cannot index; shares from orders_gen.h. */
const DemoQuery kQueries[] = {
	{"numeric range", "doc @? '$.total ? (@ > 4990)'"},
	{"string prefix", "doc @@ '$.user.email starts with \"abc\"'"},
	{"equality and range", "doc @@ '$.status == \"paid\" && $.total > 4990'"},
	{"nested path exists", "doc @? '$.coupon.code'"},
	{"ORM (Sequelize)", "CAST(doc #>> '{total}' AS DOUBLE PRECISION) > 4990"},
};

/*
 * The keys searched for 'where': of its own jsonpath for the operators; of
 * the condition the planner derived (the plan's Index Cond) for the rest.
 */
std::string
SearchedKeys(pqxx::connection &c, const std::string &where)
{
	pqxx::nontransaction n(c);
	std::string jsonpath;
	std::string op = "@@";

	if (where.compare(0, 4, "doc ") == 0)
	{
		op = where.substr(4, 2);
		jsonpath = where.substr(where.find('\'') + 1);
		jsonpath = jsonpath.substr(0, jsonpath.rfind('\''));
	}
	else
	{
		std::string plan = n.exec1("EXPLAIN (FORMAT JSON) SELECT count(*) FROM demo_orders WHERE " +
								   where)[0].c_str();
		pqxx::result conds = n.exec_params("SELECT c #>> '{}' FROM jsonb_path_query($1::jsonb, "
										   "'strict $.**.\"Index Cond\"') AS c", plan);
		const std::string open = "@@ '";
		const std::string close = "'::jsonpath";

		for (const auto &row : conds)
		{
			std::string cond = row[0].c_str();
			size_t		b = cond.find(open);
			size_t		e = cond.rfind(close);

			if (b == std::string::npos || e == std::string::npos || e < b + open.size())
				continue;
			for (size_t i = b + open.size(); i < e; i++)
			{
				jsonpath += cond[i];
				if (cond[i] == '\'' && i + 1 < e && cond[i + 1] == '\'')
					i++;		/* '' in a deparsed literal */
			}
			break;
		}
		if (jsonpath.empty())
			return "(the planner derived no jsonb_pathx_ops condition)";
	}
	return n.exec_params("SELECT jsonb_pathx_explain($1::jsonpath, $2)", jsonpath, op)[0][0].c_str();
}

struct Measured
{
	std::string scan;
	double		ms = 0;
	long		count = 0;
};

std::string
ScanOf(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);
	std::string scan = "?";

	for (const auto &row : n.exec("EXPLAIN (COSTS OFF) " + sql))
	{
		std::string line = row[0].c_str();

		for (const char *kind : {"Bitmap Index Scan", "Index Only Scan", "Index Scan", "Parallel Seq Scan", "Seq Scan"})
			if (line.find(kind) != std::string::npos)
				return kind;
	}
	return scan;
}

Measured
Measure(pqxx::connection &c, const std::string &where, int runs)
{
	std::string sql = "SELECT count(*) FROM demo_orders WHERE " + where;
	Measured	m;
	std::vector<double> times;

	m.scan = ScanOf(c, sql);
	for (int i = 0; i <= runs; i++)
	{
		pqxx::nontransaction n(c);
		auto		t0 = std::chrono::steady_clock::now();
		long		count = n.exec1(sql)[0].as<long>();
		double		ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

		if (i > 0)				/* the first run warms the cache */
			times.push_back(ms);
		m.count = count;
	}
	std::sort(times.begin(), times.end());
	m.ms = times[times.size() / 2];
	return m;
}

/* The start of the comment on every demo_orders that demo made. */
const char kDemoMark[] = "pathx demo: ";

/* What demo found under its names, once it has made sure they are its own. */
struct DemoObjects
{
	std::string table;			/* demo_orders as regclass text, "" when absent */
	std::string comment;		/* its comment (begins with kDemoMark) */
	std::string index;			/* demo_orders_doc_pathx as regclass text, "" when absent */
};

std::string
KindOf(const std::string &relkind)
{
	if (relkind == "r")
		return "a table";
	if (relkind == "p")
		return "a partitioned table";
	if (relkind == "v")
		return "a view";
	if (relkind == "m")
		return "a materialized view";
	if (relkind == "i" || relkind == "I")
		return "an index";
	if (relkind == "f")
		return "a foreign table";
	if (relkind == "S")
		return "a sequence";
	return "a relation";
}

/*
 * Looks up demo_orders and demo_orders_doc_pathx the way the statements
 * that follow will (the search_path), and throws CliError, before anything
 * is changed, when either belongs to someone else: the table must carry
 * kDemoMark, the index must be an index on that table.
 */
DemoObjects
ClaimDemoObjects(pqxx::connection &c)
{
	pqxx::nontransaction n(c);
	DemoObjects found;
	std::string fix = "run pathx demo in another database (--conninfo, PATHX_CONNINFO), or rename "
		"yours (ALTER ... RENAME TO ...): demo drops, reloads and reindexes its table, so it never "
		"touches one it did not create";
	pqxx::result t = n.exec("SELECT c.oid::regclass::text, c.relkind, obj_description(c.oid, 'pg_class') "
							"FROM pg_class c WHERE c.oid = to_regclass('demo_orders')");

	if (!t.empty())
	{
		std::string comment = t[0][2].is_null() ? "" : t[0][2].c_str();

		if (std::string(t[0][1].c_str()) != "r" || comment.compare(0, std::strlen(kDemoMark), kDemoMark) != 0)
			throw CliError("refusing to touch " + std::string(t[0][0].c_str()) + " (" +
						   KindOf(t[0][1].c_str()) + "): pathx demo did not create it (its tables carry "
						   "a comment beginning '" + kDemoMark + "'); nothing was changed", fix);
		found.table = t[0][0].c_str();
		found.comment = comment;
	}

	pqxx::result i = n.exec("SELECT c.oid::regclass::text, c.relkind, "
							"EXISTS (SELECT FROM pg_index x WHERE x.indexrelid = c.oid "
							"        AND x.indrelid = to_regclass('demo_orders')) "
							"FROM pg_class c WHERE c.oid = to_regclass('demo_orders_doc_pathx')");

	if (!i.empty())
	{
		if (found.table.empty() || !i[0][2].as<bool>())
			throw CliError("refusing to touch " + std::string(i[0][0].c_str()) + " (" +
						   KindOf(i[0][1].c_str()) + "): demo builds an index of that name on its own "
						   "demo_orders, and this one is not on it; nothing was changed", fix);
		found.index = i[0][0].c_str();
	}
	return found;
}

void
Demo(const Context &ctx, const DemoOptions &opts)
{
	pqxx::connection c(TargetConninfo(ctx));
	std::string tag = "pathx demo: " + std::to_string(opts.rows) + " generated orders, seed " +
		std::to_string(opts.seed);

	{
		pqxx::nontransaction n(c);

		n.exec("SET client_min_messages = warning");
	}

	DemoObjects own = ClaimDemoObjects(c);

	if (!opts.reload && own.comment == tag)
	{
		Step("Reusing", "demo_orders (" + Thousands(static_cast<std::uint64_t>(opts.rows)) +
			 " generated orders; --reload loads them again)");
		pqxx::nontransaction n(c);

		if (!own.index.empty())
			n.exec("DROP INDEX " + own.index);
	}
	else
	{
		{
			pqxx::nontransaction n(c);

			if (!own.table.empty())
				n.exec("DROP TABLE " + own.table);
			/* marked from the start, so that a failed load leaves a table the next demo may drop */
			n.exec("CREATE TABLE demo_orders (id bigserial PRIMARY KEY, doc jsonb); "
				   "COMMENT ON TABLE demo_orders IS " + n.quote(std::string(kDemoMark) + "loading"));
		}
		Step("Loading", Thousands(static_cast<std::uint64_t>(opts.rows)) + " generated orders into demo_orders");
		GeneratorSource source(opts.seed, opts.rows);
		LoadOptions lo;

		lo.table = "demo_orders";
		LoadDocuments(c, source, lo);
		pqxx::nontransaction n(c);

		n.exec("COMMENT ON TABLE demo_orders IS " + n.quote(tag));
	}
	{
		pqxx::nontransaction n(c);

		n.exec("VACUUM ANALYZE demo_orders");
	}

	std::vector<Measured> before;

	Step("Timing", "each query without an index (median of " + std::to_string(opts.runs) + " runs)");
	for (const DemoQuery &q : kQueries)
		before.push_back(Measure(c, q.where, opts.runs));

	Step("Indexing", "CREATE INDEX demo_orders_doc_pathx ON demo_orders USING gin (doc jsonb_pathx_ops)");
	auto		t0 = std::chrono::steady_clock::now();
	std::string size;

	{
		pqxx::nontransaction n(c);

		n.exec("CREATE INDEX demo_orders_doc_pathx ON demo_orders USING gin (doc jsonb_pathx_ops)");
		n.exec("ANALYZE demo_orders");
		size = n.exec1("SELECT pg_size_pretty(pg_relation_size('demo_orders_doc_pathx'))")[0].c_str();
	}
	Step("Built", "in " + Fixed(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 1) +
		 " s, " + size);

	std::printf("\n%-20s %-44s %7s   %-18s %9s   %-18s %9s %8s\n", "query", "condition", "rows",
				"without index", "ms", "with jsonb_pathx", "ms", "speedup");
	bool		same = true;

	for (size_t i = 0; i < std::size(kQueries); i++)
	{
		const DemoQuery &q = kQueries[i];
		Measured	after = Measure(c, q.where, opts.runs);
		std::string keys = SearchedKeys(c, q.where);

		same = same && after.count == before[i].count;
		std::printf("%-20s %-44s %7ld   %-18s %9.2f   %-18s %9.2f %7.0fx\n", q.what, q.where, after.count,
					before[i].scan.c_str(), before[i].ms, after.scan.c_str(), after.ms,
					after.ms > 0 ? before[i].ms / after.ms : 0.0);
		std::printf("%-20s index keys: %s\n", "", keys.c_str());
	}
	std::printf("\nSame rows with and without the index: %s. The dev cluster keeps running: pathx psql, "
				"then e.g.\n  EXPLAIN ANALYZE SELECT count(*) FROM demo_orders WHERE %s;\n",
				same ? "yes" : "NO", kQueries[0].where);
	std::fflush(stdout);
	if (!same)
		throw CliError("a query counted different rows with the index than without: this is a bug in "
					   "jsonb_pathx, please report it with the output above");
}

}							/* namespace */

void
SetupDemo(CLI::App &app, const GlobalOptions &globals)
{
	static DemoOptions opts;
	CLI::App   *cmd = app.add_subcommand("demo", "Load generated orders and show queries side by side "
										 "without and with a jsonb_pathx_ops index");

	cmd->add_option("--rows", opts.rows, "Documents to generate (default 100000)")->check(CLI::Range(1L, 100000000L));
	cmd->add_option("--seed", opts.seed, "Generator seed (default 42)");
	cmd->add_option("--runs", opts.runs, "Timed runs per query, after a warm-up (default 3)")->check(CLI::Range(1, 100));
	cmd->add_flag("--reload", opts.reload, "Load the data again even if demo_orders already holds it");
	cmd->footer("Runs on the dev database (started if needed) or --conninfo (your database).\n"
				"Creates table demo_orders (id, doc jsonb), commented 'pathx demo: ROWS generated\n"
				"orders, seed SEED', and its index demo_orders_doc_pathx, and leaves both there to\n"
				"be queried.  Changes: VACUUM ANALYZE of that table.  Removes: on a later run, its\n"
				"own index (rebuilt), or its own table when it holds other data or with --reload.\n"
				"It never drops what it did not create: a demo_orders without that comment, or a\n"
				"demo_orders_doc_pathx not on its table, makes it refuse (exit 1) and change nothing.\n"
				"Examples:\n  pathx demo\n  pathx demo --rows 20000 --runs 5\n"
				"  pathx demo --conninfo 'dbname=scratch'   # a database with jsonb_pathx");
	cmd->callback([&globals]() { Demo(Context(globals), opts); });
}

}							/* namespace pathx */
