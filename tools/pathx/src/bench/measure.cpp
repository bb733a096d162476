/*
 * measure.cpp
 *	  The timed part of a benchmark run: query latency and index use,
 *	  planning time with and without the planner hook, insert rate.
 *
 * Queries.  Plain `SELECT count(*) ... WHERE doc <op> ...` with the
 * planner's natural choice after ANALYZE: the question is what a user gets
 * without hints, so nothing is forced.  Whether the strategy's index was
 * used is read from EXPLAIN (FORMAT JSON): a plan node whose "Index Name"
 * is one of the strategy's indexes.  The plan JSON is searched by the
 * server with a jsonpath, which spares us a JSON parser.  Timed runs are
 * interleaved: run k of a query goes through every strategy before run
 * k+1 starts, in rotating order.
 *
 * Application forms.  The orm kinds are the SQL that ORMs write
 * (doc->>'k' = 'x', (doc->>'n')::numeric > 10, jsonb_path_exists(doc, p,
 * vars), ...), which jsonb_pathx_ops serves through its planner hook: the
 * queries are the same for every strategy, and only jsonb_pathx_ops (and
 * the B-tree on the named path) can use an index for them.  What the hook
 * costs at planning is measured separately (MeasurePlanning).
 *
 * Insert rate.  Extra documents are inserted in committed batches into each
 * indexed copy, batches interleaved across strategies for the same reason
 * as the queries, then deleted and vacuumed away.  GIN's pending list
 * (fastupdate) is left at its default, since that is what users run.
 */
#include "bench/bench_internal.h"

#include "orders_gen.h"

#include <algorithm>
#include <cstring>
#include <locale>
#include <sstream>

namespace pathx::bench
{

namespace
{

/* "Planning Time" of EXPLAIN (SUMMARY) in ms (planning only, the query does not run); -1 if absent. */
double
PlanningMs(pqxx::connection &c, const std::string &sql)
{
	static const char kLabel[] = "Planning Time: ";

	for (const pqxx::row &row : Exec(c, "EXPLAIN (SUMMARY) " + sql))
	{
		const char *at = std::strstr(row[0].c_str(), kLabel);

		if (at)
		{
			std::istringstream in(at + sizeof(kLabel) - 1);
			double		ms = -1;

			in.imbue(std::locale::classic());
			in >> ms;
			return in ? ms : -1;
		}
	}
	return -1;
}

const char kFormsSetting[] = "jsonb_pathx.application_forms";

}							/* namespace */

/*
 * True when the EXPLAIN (FORMAT JSON) plan scans one of `indexes` (a
 * Bitmap Index Scan, or for a B-tree also an Index [Only] Scan: the plan
 * nodes that carry an "Index Name").
 */
bool
UsesIndex(pqxx::connection &c, const std::string &sql, const std::vector<std::string> &indexes)
{
	pqxx::nontransaction n(c);
	std::string plan = n.exec("EXPLAIN (FORMAT JSON) " + sql)[0][0].c_str();

	for (const pqxx::row &row : n.exec_params(
			 "SELECT jsonb_path_query($1::jsonb, '$.**.\"Index Name\"') #>> '{}'", plan))
		if (std::find(indexes.begin(), indexes.end(), row[0].c_str()) != indexes.end())
			return true;
	return false;
}

/*
 * Times every query on every strategy.  Per query: EXPLAIN and a warm-up
 * run (the count) per strategy, then `runs` rounds, each visiting every
 * strategy, starting at a different one each round.
 */
void
RunQueries(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, const RunOutput &out)
{
	std::vector<StrategyResult> &results = report.results;

	for (const BenchQuery &q : report.queries)
	{
		std::vector<std::string> sql(results.size());
		std::vector<std::vector<double>> times(results.size());

		out.stream << "    query " << q.name << std::flush;
		for (size_t i = 0; i < results.size(); i++)
		{
			const Strategy &s = results[i].strategy;
			QueryResult &r = results[i].queries[q.name];

			sql[i] = QuerySql(c, s, q);
			if (sql[i].empty())
				continue;
			r.ran = true;
			r.index_used = s.kind != StrategyKind::kSeqScan && UsesIndex(c, sql[i], results[i].indexes);
			r.count = Exec(c, sql[i])[0][0].as<long>();
		}
		for (int run = 0; run < opts.runs; run++)
			for (size_t k = 0; k < results.size(); k++)
			{
				size_t		i = (k + static_cast<size_t>(run)) % results.size();

				if (sql[i].empty())
					continue;

				auto		t0 = Clock::now();

				Exec(c, sql[i]);
				times[i].push_back(SecondsSince(t0) * 1000.0);
			}
		for (size_t i = 0; i < results.size(); i++)
		{
			QueryResult &r = results[i].queries[q.name];

			if (!r.ran)
				continue;
			r.median_ms = Median(times[i]);
			r.min_ms = *std::min_element(times[i].begin(), times[i].end());
			if (i > 0 && r.count != results[0].queries[q.name].count)
				report.mismatches.push_back({q.name, sql[i], results[i].strategy.name, r.count,
											 results[0].queries[q.name].count});
		}
		out.stream << ", " << results[0].queries[q.name].count << " rows" << std::endl;
	}
}

/*
 * Planning time per query on the jsonb_pathx_ops table with the planner
 * hook's derivation on and off (jsonb_pathx.application_forms), and of the
 * btree: form on the B-tree table.  Planning takes tenths of a millisecond,
 * so it is timed by the server (EXPLAIN's own clock around the planner
 * alone, without parse, network or execution) and summarised by the median
 * of plan_runs repeats.  Each round plans on, off and btree in turn, so
 * that a noisy neighbour hits all three alike; an untimed round first
 * fills the caches (catalog, statistics) that a query's first plan in a
 * session pays for.
 */
void
MeasurePlanning(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, const RunOutput &out)
{
	const StrategyResult *px = report.Find("jsonb_pathx_ops");
	const StrategyResult *bt = report.Find("btree");
	const std::string set = std::string("SET ") + kFormsSetting + " = ";

	if (!px || opts.plan_runs <= 0)
		return;
	/* NULL when the loaded jsonb_pathx predates the planner hook (0.2 and older) */
	if (Exec(c, "SELECT current_setting(" + c.quote(std::string(kFormsSetting)) + ", true)")[0][0].is_null())
	{
		report.skipped.push_back(std::string("planning time: the installed jsonb_pathx has no ") +
								 kFormsSetting + " setting (no planner hook to compare)");
		return;
	}
	out.Step("Planning", "each query on the jsonb_pathx_ops table with " + std::string(kFormsSetting) +
			 " on and off" + (bt ? " and its btree: form" : "") + ", median of " +
			 std::to_string(opts.plan_runs) + " EXPLAIN (SUMMARY)");
	try
	{
		for (const BenchQuery &q : report.queries)
		{
			PlanningResult &p = report.planning[q.name];
			std::string sql = QuerySql(c, px->strategy, q);
			std::string bsql = bt ? QuerySql(c, bt->strategy, q) : "";
			std::vector<double> on, off, btree;

			Exec(c, set + "off");
			p.index_used_off = UsesIndex(c, sql, px->indexes);
			Exec(c, set + "on");
			p.index_used_on = UsesIndex(c, sql, px->indexes);
			for (int run = -1; run < opts.plan_runs; run++)
			{
				double		a = PlanningMs(c, sql);

				Exec(c, set + "off");

				double		b = PlanningMs(c, sql);

				Exec(c, set + "on");

				double		d = bsql.empty() ? -1 : PlanningMs(c, bsql);

				if (run < 0 || a < 0 || b < 0)
					continue;
				on.push_back(a);
				off.push_back(b);
				if (d >= 0)
					btree.push_back(d);
			}
			if (on.empty())
				continue;
			p.ran = true;
			p.on_ms = Median(on);
			p.off_ms = Median(off);
			p.btree_ms = btree.empty() ? -1 : Median(btree);
		}
	}
	catch (...)
	{
		Exec(c, std::string("RESET ") + kFormsSetting);
		throw;
	}
	Exec(c, std::string("RESET ") + kFormsSetting);
}

/*
 * Insert rate with each index present: the same extra documents, in
 * committed batches, batches interleaved across strategies; then removed.
 */
void
MeasureInserts(pqxx::connection &c, const BenchOptions &opts, BenchReport &report,
			   const RunOutput &out)
{
	long		total = opts.insert_rows > 0 ? opts.insert_rows : std::min(10000L, report.documents);
	std::vector<double> seconds(report.results.size(), 0.0);
	const long	first_id = report.documents + 1;
	int			round = 0;
	std::vector<std::string> from_file;

	/* a data file has no generator for more documents: insert its first ones again */
	if (!opts.data_file.empty())
	{
		total = std::min(total, report.documents);
		for (const pqxx::row &row : Exec(c, "SELECT doc::text FROM " + TableOf(report.results[0].strategy) +
										 " ORDER BY id LIMIT " + std::to_string(total)))
			from_file.push_back(row[0].c_str());
	}

	out.stream << "    inserting " << total << " documents into each table, " << opts.insert_batch
		<< " per statement" << std::endl;
	for (long first = first_id; first < first_id + total; first += opts.insert_batch, round++)
	{
		long		last = std::min(first_id + total - 1, first + opts.insert_batch - 1);
		std::string values;

		for (long id = first; id <= last; id++)
			values += std::string(id == first ? "" : ",") + "(" + std::to_string(id) + "," +
				c.quote(from_file.empty() ? GenerateOrder(opts.seed, id, opts.rows)
						: from_file[static_cast<size_t>(id - first_id)]) + ")";
		for (size_t k = 0; k < report.results.size(); k++)
		{
			size_t		i = (k + static_cast<size_t>(round)) % report.results.size();
			std::string sql = "INSERT INTO " + TableOf(report.results[i].strategy) +
				" (id, doc) VALUES " + values;
			auto		t0 = Clock::now();

			Exec(c, sql);
			seconds[i] += SecondsSince(t0);
		}
	}
	for (size_t i = 0; i < report.results.size(); i++)
	{
		StrategyResult &r = report.results[i];

		r.insert_rows_per_s = static_cast<double>(total) / seconds[i];
		Exec(c, "DELETE FROM " + TableOf(r.strategy) + " WHERE id >= " + std::to_string(first_id));
		Exec(c, "VACUUM " + TableOf(r.strategy));
	}
}

}							/* namespace pathx::bench */
