/*
 * pathx_bench.h
 *	  The side-by-side benchmark of jsonb_pathx_ops as a library: the
 *	  pathx-bench program (pathx_bench_main.cpp) is a thin CLI over it, and a
 *	  later `pathx bench` subcommand can call the same functions.
 *
 * The flow is RunBench(options) -> BenchReport, then CheckTargets(report)
 * and the writers (terminal, Markdown, JSON), which only read the report.
 * Nothing here prints except progress on the stream the caller passes, so
 * a caller can silence it or redirect it.
 */
#ifndef PATHX_BENCH_H
#define PATHX_BENCH_H

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace CLI
{
class App;
}

namespace pathx
{

/* What a query measures; the targets are attached to kinds, not names. */
enum class QueryKind
{
	kEquality,
	kContainment,
	kKeyExists,
	kRange,
	kPrefix,
	kPathExists,
	kEqAndRange,
	kOr,
	kNonSelective,
	kNegation,
	kWildcard,
};

const char *QueryKindName(QueryKind kind);

struct BenchQuery
{
	std::string name;			/* short stable id, used in JSON and targets */
	QueryKind	kind;
	std::string where;			/* SQL condition on `doc` (jsonb operators) */
	std::string jsquery;		/* the same in jsquery's language, or empty */
};

/* The query set: every kind the targets speak of. */
const std::vector<BenchQuery> &DefaultQueries();

enum class StrategyKind
{
	kSeqScan,					/* the base table, no index */
	kGin,						/* a GIN index queried with the jsonb operators */
	kJsquery,					/* a jsquery GIN index queried with @@ jsquery */
};

struct Strategy
{
	std::string name;			/* column title and table suffix */
	StrategyKind kind;
	std::string opclass;		/* with options, e.g. "jsonb_pathx_ops (anypath = true)" */
	std::string extension;		/* needed extension, "" for core; skipped if absent */
	bool		optional_study = false; /* reported in the options table only */
};

/* seq, jsonb_ops, jsonb_path_ops, jsonb_pathx_ops, jsquery, option studies. */
std::vector<Strategy> DefaultStrategies();

struct BenchOptions
{
	long		rows = 200000;
	int			runs = 5;
	long		insert_rows = 0;	/* 0: min(10000, rows) */
	int			insert_batch = 500;
	std::uint64_t seed = 42;
	std::string conninfo;		/* "" means the PG* environment */
	std::vector<std::string> only;	/* strategy names to run; empty: all */
	bool		option_studies = true;
	bool		keep_tables = false;
	std::string json_file;		/* also write the report as JSON */
	std::string markdown_file;	/* also write the README tables */
};

/* Adds the benchmark's options to a CLI11 app or subcommand. */
void		SetupBenchOptions(CLI::App &app, BenchOptions &opts);

struct QueryResult
{
	bool		ran = false;	/* false when the strategy cannot express it */
	double		median_ms = 0;
	double		min_ms = 0;
	long		count = 0;
	bool		index_used = false;
};

struct StrategyResult
{
	Strategy	strategy;
	double		build_s = 0;
	long		size_bytes = 0;
	double		insert_rows_per_s = 0;
	std::map<std::string, QueryResult> queries;
};

struct CountMismatch
{
	std::string query;
	std::string sql;
	std::string strategy;
	long		count;
	long		expected;		/* the seq scan's count */
};

struct BenchReport
{
	BenchOptions options;
	double		avg_doc_bytes = 0;	/* pg_column_size, i.e. as stored */
	double		avg_text_bytes = 0; /* as JSON text */
	double		load_s = 0;
	std::string server_version;
	std::map<std::string, std::string> settings;	/* the ones that matter */
	double		working_set_bytes = 0;	/* all benchmark tables and indexes */
	std::vector<std::string> skipped;	/* "jsquery: extension not available" */
	std::vector<std::string> warnings;	/* conditions that make figures less reliable */
	std::vector<StrategyResult> results;	/* the seq scan first */
	std::vector<CountMismatch> mismatches;

	const StrategyResult *Find(const std::string &name) const;
};

/* Runs everything; throws pqxx / std exceptions on failure. */
BenchReport RunBench(const BenchOptions &opts, std::ostream &progress);

struct TargetResult
{
	std::string what;			/* "index size <= jsonb_ops" */
	enum
	{
		kPass, kMiss, kSkip
	}			status;
	std::string measured;		/* "1.08x jsonb_ops", or why skipped */
};

std::vector<TargetResult> CheckTargets(const BenchReport &report);

void		WriteTerminal(const BenchReport &report, const std::vector<TargetResult> &targets,
						  std::ostream &out);
void		WriteMarkdown(const BenchReport &report, const std::vector<TargetResult> &targets,
						  std::ostream &out);
void		WriteJson(const BenchReport &report, const std::vector<TargetResult> &targets,
					  std::ostream &out);

/* One order document as JSON text; depends only on (seed, id, rows). */
std::string GenerateDocument(std::uint64_t seed, long id, long rows);

}							/* namespace pathx */

#endif							/* PATHX_BENCH_H */
