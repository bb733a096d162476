/*
 * bench_internal.h
 *	  What the benchmark engine's files share among themselves and show
 *	  no caller (bench.h is the engine's face).
 *
 * Output.  The engine writes only to the stream RunBench() was given;
 * RunOutput carries that stream and whether it is a terminal, so that a
 * status line, a warning or a redrawn progress line goes there and
 * nowhere else.
 *
 * Naming.  Every object a run creates has a name derived here (TableOf,
 * IndexOf, PlannedIndexes), so that BenchObjects can claim all of them
 * before the run creates the first, and the SQL each strategy runs for a
 * query is built in one place (QuerySql), quoted with libpqxx.
 */
#ifndef PATHX_BENCH_BENCH_INTERNAL_H
#define PATHX_BENCH_BENCH_INTERNAL_H

#include "bench/bench.h"

#include <pqxx/pqxx>

#include <chrono>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace pathx::bench
{

using Clock = std::chrono::steady_clock;

double		SecondsSince(Clock::time_point t0);

/* The median of the values (not empty). */
double		Median(std::vector<double> v);

/* A ratio, with 2 significant decimals below 10 and fewer above; "-" when not finite. */
std::string Ratio(double v);

/* One statement outside any transaction block (autocommit). */
pqxx::result Exec(pqxx::connection &c, const std::string &sql);

/* The stream the engine reports progress on, and whether it is a terminal. */
struct RunOutput
{
	std::ostream &stream;
	bool		tty;

	void		Step(const std::string &verb, const std::string &text) const;
	void		Warn(const std::string &text) const;
};

/*
 * jsquery lives in its own schema, off the search path: its jsonb @@ jsquery
 * operator would otherwise make every `doc @@ '...'` of the jsonpath queries
 * ambiguous (an unknown-typed literal fits both).
 */
constexpr const char *kJsquerySchema = "pxb_jsquery";

/* pxb_<strategy>, and its GIN index pxb_<strategy>_doc. */
std::string TableOf(const Strategy &s);
std::string IndexOf(const Strategy &s);

/* The SQL a strategy runs for a query, or "" when it cannot express it. */
std::string QuerySql(pqxx::connection &c, const Strategy &s, const BenchQuery &q);

/* The statement that marks a table as this benchmark's (kBenchMark). */
std::string MarkTable(pqxx::connection &c, const std::string &table);

/* (name, element) of each index a strategy builds: one GIN index, or a B-tree per distinct expression. */
std::vector<std::pair<std::string, std::string>> PlannedIndexes(const Strategy &s,
																const std::vector<BenchQuery> &queries);

/*
 * What a run makes in the target database and the rules that keep that
 * database as it was; see bench_objects.cpp.
 */
class BenchObjects
{
public:
	BenchObjects(pqxx::connection &c, const RunOutput &out);

	/*
	 * Refuses (BenchError) when a name the run needs is taken by an object
	 * it did not make; then drops its own leftovers of those names.
	 */
	void		Claim(const std::vector<Strategy> &strategies, const std::vector<BenchQuery> &queries);

	/* Creates (when absent) the extension a strategy needs; false, with why, when it cannot be had. */
	bool		EnsureExtension(const std::string &ext, std::string &why);

	/* The end of a run: drops what the run made (what --keep-tables keeps aside); never throws. */
	void		Cleanup(bool keep_tables);

private:
	enum class SchemaState
	{
		kUnused,				/* no jsquery strategy, or jsquery not available */
		kAbsent,				/* to be created, marked */
		kOurs,					/* marked: made by pathx bench */
		kUsers,					/* unmarked, jsquery installed in it: used, left alone */
	};

	std::string Qualified(const std::string &name) const;
	bool		IsOurs(const std::string &table);
	bool		Installed(const std::string &ext);
	bool		InstalledIn(const std::string &ext, const std::string &schema);
	void		Try(const std::string &sql, const std::string &what);
	SchemaState JsquerySchemaState(pqxx::nontransaction &n, std::vector<std::string> &taken);
	bool		EnsureJsquery(std::string &why);

	pqxx::connection &c_;
	const RunOutput &out_;
	std::string schema_;		/* where the tables go: current_schema() */
	std::vector<std::string> tables_;	/* pxb_base and the strategies' tables */
	std::vector<std::string> created_;	/* extensions this run created, in order */
	SchemaState jsquery_schema_ = SchemaState::kUnused;
};

/* Loads pxb_base with the generated documents or those of --data (data_files.cpp). */
void		LoadBase(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, const RunOutput &out);

/* True when the plan of `sql` scans one of `indexes` (measure.cpp). */
bool		UsesIndex(pqxx::connection &c, const std::string &sql, const std::vector<std::string> &indexes);

/* The timed parts of a run (measure.cpp). */
void		RunQueries(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, const RunOutput &out);
void		MeasurePlanning(pqxx::connection &c, const BenchOptions &opts, BenchReport &report,
							const RunOutput &out);
void		MeasureInserts(pqxx::connection &c, const BenchOptions &opts, BenchReport &report,
						   const RunOutput &out);

}							/* namespace pathx::bench */

#endif							/* PATHX_BENCH_BENCH_INTERNAL_H */
