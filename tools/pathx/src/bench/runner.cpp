/*
 * runner.cpp
 *	  RunBench: one benchmark run from connecting to cleaning up, and the
 *	  helpers the engine's files share.
 *
 * Design
 *
 * Data.  Order-like documents from GenerateOrder() (orders_gen.h, shared
 * with `pathx gen`), or a user's file (--data); see data_files.cpp.  Values
 * are skewed the way real orders are (most orders paid, few refunded; a
 * few hot SKUs; rare coupons) so that each query selects a known share of
 * rows.
 *
 * One table per strategy.  Every strategy, the seq scan included, gets a
 * CREATE TABLE AS copy of the loaded base table, so all strategies read
 * identical heaps in identical physical order, and all indexes exist at
 * once, which lets the timed runs be interleaved (measure.cpp): noise on a
 * shared 2-core machine then hits all strategies alike instead of
 * whichever was running when a neighbour woke up.  The B-tree strategy
 * builds one index per distinct path expression the queries name; its
 * size and build time are the sums over its indexes.
 *
 * Correctness.  Every strategy must count what the seq scan counts; any
 * difference is a wrong answer from an index (or a wrong jsquery or btree:
 * translation) and goes into the report's mismatches, which the command
 * turns into a non-zero exit status.
 *
 * Side effects.  The target may be a user's own database, so the run
 * creates, drops and refuses by a mark (bench_objects.cpp), and
 * CHECKPOINT and pg_prewarm, which act on the whole instance, run only
 * when BenchOptions asks (the CLI's default on the dev cluster,
 * --checkpoint / --prewarm elsewhere).  When they do not run, the
 * report's warnings say so, since both steady the figures.
 *
 * Output.  Progress goes to the one stream RunBench() is given, with
 * in-place redraws (the index build's phase, the load's bar) only when the
 * caller says it is a terminal.
 */
#include "bench/bench_internal.h"

#include "status_lines.h"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <iomanip>
#include <mutex>
#include <thread>

namespace pathx::bench
{

double
SecondsSince(Clock::time_point t0)
{
	return std::chrono::duration<double>(Clock::now() - t0).count();
}

double
Median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t		n = v.size();

	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string
Ratio(double v)
{
	if (!std::isfinite(v))
		return "-";
	return Fixed(v, v >= 100 ? 0 : v >= 10 ? 1 : 2) + "x";
}

pqxx::result
Exec(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);

	return n.exec(sql);
}

void
RunOutput::Step(const std::string &verb, const std::string &text) const
{
	StatusLine(stream, verb, text);
}

void
RunOutput::Warn(const std::string &text) const
{
	WarningLine(stream, text);
}

namespace
{

/*
 * Prints phase and table-scan progress of a running CREATE INDEX from a
 * second connection, so a 50-second build does not look like a hang.  Only
 * on a terminal: in a log, the start and end lines are enough.
 */
class BuildProgress
{
public:
	BuildProgress(const std::string &conninfo, int backend_pid, const std::string &label,
				  const RunOutput &out)
		: out_(out.stream)
	{
		if (!out.tty)
			return;
		thread_ = std::thread([this, conninfo, backend_pid, label] { Poll(conninfo, backend_pid, label); });
	}

	~BuildProgress()
	{
		{
			std::lock_guard<std::mutex> lock(mutex_);
			stop_ = true;
		}
		cv_.notify_all();
		if (thread_.joinable())
			thread_.join();
	}

private:
	void		Poll(const std::string &conninfo, int pid, const std::string &label)
	{
		try
		{
			pqxx::connection c(conninfo);
			std::unique_lock<std::mutex> lock(mutex_);

			while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; }))
			{
				pqxx::nontransaction n(c);
				pqxx::result r = n.exec_params(
					"SELECT phase, blocks_done, blocks_total FROM pg_stat_progress_create_index "
					"WHERE pid = $1", pid);

				if (r.empty())
					continue;
				std::string line = "    " + label + ": " + r[0][0].c_str();
				long		total = r[0][2].as<long>(0);

				if (total > 0 && r[0][1].as<long>(0) < total)
					line += ", table " + Fixed(100.0 * r[0][1].as<long>(0) / total, 0) + "% scanned";
				else if (total > 0)
					line += ", table scanned, writing the index";
				out_ << "\r" << std::left << std::setw(78) << line << std::flush;
			}
			out_ << "\r" << std::string(78, ' ') << "\r" << std::flush;
		}
		catch (const std::exception &)
		{
			/* progress is a courtesy: never fail the benchmark over it */
		}
	}

	std::ostream &out_;
	std::mutex	mutex_;
	std::condition_variable cv_;
	bool		stop_ = false;
	std::thread thread_;
};

/*
 * Copies the base table and builds the strategy's index on the copy.  The
 * seq scan strategy gets a copy too, made the same way, so that every
 * strategy scans a heap of the same size.
 */
void
BuildStrategy(pqxx::connection &c, const BenchOptions &opts, const std::vector<BenchQuery> &queries,
			  StrategyResult &res, const RunOutput &out)
{
	const Strategy &s = res.strategy;
	std::string table = TableOf(s);

	Exec(c, "CREATE TABLE " + table + " AS SELECT * FROM pxb_base ORDER BY id; " + MarkTable(c, table));
	Exec(c, "ALTER TABLE " + table + " ADD PRIMARY KEY (id)");
	/* set hint bits and the visibility map now, not during the timed scans */
	Exec(c, "VACUUM ANALYZE " + table);
	if (s.kind == StrategyKind::kSeqScan)
		return;
	if (opts.checkpoint)
	{
		try
		{
			/* start each build with a clean buffer pool, not the last one's dirt */
			Exec(c, "CHECKPOINT");
		}
		catch (const pqxx::sql_error &)
		{
			/* not a superuser: the build is timed anyway */
		}
	}
	for (const auto &ix : PlannedIndexes(s, queries))
	{
		std::string using_ = s.kind == StrategyKind::kBtree ? "btree" : "gin";
		std::string label = using_ + " (" + ix.second + ")";

		out.stream << "    building " << label << std::flush;
		if (!out.tty)
			out.stream << std::endl;

		auto		t0 = Clock::now();

		{
			BuildProgress watch(opts.conninfo, c.backendpid(), "building " + label, out);

			Exec(c, "CREATE INDEX " + ix.first + " ON " + table + " USING " + using_ + " (" + ix.second + ")");
		}

		double		secs = SecondsSince(t0);
		long		bytes = Exec(c, "SELECT pg_relation_size(" + c.quote(ix.first) + ")")[0][0].as<long>();

		res.build_s += secs;
		res.size_bytes += bytes;
		res.indexes.push_back(ix.first);
		/* on a terminal, replace the "building" line (\033[K clears its tail) */
		out.stream << (out.tty ? "\r\033[K" : "") << "    built " << label << " in "
			<< Fixed(secs, 1) << " s, " << Fixed(bytes / 1048576.0, 1) << " MB" << std::endl;
	}
	Exec(c, "ANALYZE " + table);
}

/*
 * Loads every table and index into shared buffers before the timed part,
 * so the first query is not the one that pays for the cold cache, and warns
 * when they do not fit: then the strategies evict each other between
 * interleaved runs, and seq scans measured up to 35% slower on a copy that
 * had just been evicted (read back from the OS cache) than on one that had
 * not.  The loading (pg_prewarm) happens only with opts.prewarm, since it
 * fills the buffers every database of the instance shares; the warning
 * always.
 */
void
WarmCache(pqxx::connection &c, const BenchOptions &opts, BenchObjects &objects, BenchReport &report,
		  const RunOutput &out)
{
	std::string list;

	for (const StrategyResult &r : report.results)
		list += std::string(list.empty() ? "" : ", ") + c.quote(TableOf(r.strategy));

	double		need = Exec(c, "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(ARRAY[" +
							list + "]) t")[0][0].as<double>();
	double		have = Exec(c, "SELECT setting::float8 * current_setting('block_size')::float8 "
							"FROM pg_settings WHERE name = 'shared_buffers'")[0][0].as<double>();

	report.working_set_bytes = need;
	if (need > 0.9 * have)
	{
		std::string msg = "tables and indexes take " + Fixed(need / 1073741824.0, 2) +
			" GB, shared_buffers is " + Fixed(have / 1073741824.0, 2) +
			" GB: strategies evict each other and latencies include reads from the OS cache";

		out.Warn(msg + " (start the server with a larger shared_buffers, e.g. `make bench` does)");
		report.warnings.push_back(msg);
	}
	/* instance-wide (it fills shared buffers for everyone): only when asked for */
	std::string why;

	if (!opts.prewarm || !objects.EnsureExtension("pg_prewarm", why))
		return;					/* the per-query warm-up runs still warm what they touch */
	try
	{
		for (const StrategyResult &r : report.results)
		{
			Exec(c, "SELECT pg_prewarm(" + c.quote(TableOf(r.strategy)) + ")");
			for (const std::string &ix : r.indexes)
				Exec(c, "SELECT pg_prewarm(" + c.quote(ix) + ")");
		}
	}
	catch (const pqxx::sql_error &)
	{
		/* not allowed to read a relation: the warm-up runs remain */
	}
}

}							/* namespace */

BenchReport
RunBench(const BenchOptions &opts, std::ostream &progress, bool progress_is_tty)
{
	const RunOutput out{progress, progress_is_tty};
	BenchReport report;
	std::map<std::string, bool> have_ext;

	report.options = opts;
	report.queries = opts.queries.empty() ? DefaultQueries() : opts.queries;
	report.data_source = opts.data_file.empty() ? "generated orders (seed " + std::to_string(opts.seed) + ")"
		: opts.data_file;
	for (const std::string &name : opts.only)
	{
		std::string known;
		bool		found = false;

		for (const Strategy &s : DefaultStrategies())
		{
			found = found || s.name == name;
			known += (known.empty() ? "" : ", ") + s.name;
		}
		if (!found)
			throw BenchError("unknown strategy in --only: " + name, "choose from: " + known, BenchError::kUsage);
	}

	pqxx::connection c(opts.conninfo);

	report.server_version = Exec(c, "SHOW server_version")[0][0].c_str();
	for (const pqxx::row &row : Exec(c,
			"SELECT name, current_setting(name) FROM unnest(ARRAY['shared_buffers', 'work_mem', "
			"'maintenance_work_mem', 'max_parallel_workers_per_gather', 'jit', 'fsync', "
			"'random_page_cost', 'effective_cache_size']) name"))
		report.settings[row[0].c_str()] = row[1].c_str();

	std::vector<Strategy> strategies;

	for (const Strategy &s : DefaultStrategies())
	{
		if (s.kind != StrategyKind::kSeqScan && !opts.only.empty() &&
			std::find(opts.only.begin(), opts.only.end(), s.name) == opts.only.end())
			continue;
		if (s.optional_study && !opts.option_studies)
			continue;
		if (s.kind == StrategyKind::kBtree &&
			std::none_of(report.queries.begin(), report.queries.end(),
						 [](const BenchQuery &q) { return !q.btree_index.empty(); }))
		{
			report.skipped.push_back("btree: no query has a btree: form");
			continue;
		}
		strategies.push_back(s);
	}

	/* refuses before anything is created or dropped */
	BenchObjects objects(c, out);

	objects.Claim(strategies, report.queries);
	if (!opts.checkpoint)
		report.warnings.push_back("no CHECKPOINT before the index builds (instance-wide: --checkpoint), "
								  "so a build may also pay for writing out earlier dirty buffers");
	if (!opts.prewarm)
		report.warnings.push_back("tables and indexes not prewarmed (pg_prewarm fills the instance's "
								  "shared buffers: --prewarm); each query's warm-up run reads what it needs");

	try
	{
		for (const Strategy &s : strategies)
		{
			if (!have_ext.count(s.extension))
			{
				std::string why;

				have_ext[s.extension] = objects.EnsureExtension(s.extension, why);
				if (!have_ext[s.extension])
				{
					progress << "    skipping strategies that need extension " << s.extension << ": "
						<< why << std::endl;
					report.skipped.push_back(s.extension + ": " + why);
				}
			}
			if (!have_ext[s.extension])
				continue;
			StrategyResult r;

			r.strategy = s;
			report.results.push_back(r);
		}
		out.Step("Loading", report.data_source);
		LoadBase(c, opts, report, out);
		out.Step("Building", "a copy of the table and its indexes per strategy");
		for (StrategyResult &r : report.results)
			BuildStrategy(c, opts, report.queries, r, out);
		/* the seq scan also reads a copy: COPY packed the base table 2.4% denser than CTAS does */
		Exec(c, "DROP TABLE pxb_base");
		WarmCache(c, opts, objects, report, out);
		out.Step("Querying", std::to_string(report.queries.size()) + " queries, a warm-up and " +
			 std::to_string(opts.runs) + " timed runs each");
		RunQueries(c, opts, report, out);
		MeasurePlanning(c, opts, report, out);
		out.Step("Inserting", "to measure the insert rate with each index present");
		MeasureInserts(c, opts, report, out);
	}
	catch (...)
	{
		/* leave no half-built benchmark behind, unless asked to; the original error matters more */
		objects.Cleanup(opts.keep_tables);
		throw;
	}
	objects.Cleanup(opts.keep_tables);
	return report;
}

}							/* namespace pathx::bench */
