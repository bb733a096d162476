/*
 * bench.h
 *	  The side-by-side benchmark of jsonb_pathx_ops as an engine; `pathx
 *	  bench` (tools/pathx/src/cmd_bench.cpp) is the command line over it.
 *
 * Layers.  The engine sits between the pieces every command uses and the
 * commands: it includes the document reader (loader.h, json_stream.h),
 * the orders generator and the status lines (status_lines.h), and never a
 * command's file, CLI11 or ui.h.  It takes a plain BenchOptions, throws
 * BenchError for what the user can act on (pqxx and std exceptions for
 * the rest), and writes only to the stream it is given: the command maps
 * BenchError to its own error and exit status, and chooses the stream.
 *
 * The flow is RunBench(options) -> BenchReport, then CheckTargets(report)
 * and the writers (terminal, Markdown, JSON here, SVG in svg_chart.h),
 * which only read the report.  The engine's files, one concern each:
 *
 *   query_file.cpp      query kinds, the query-file parser, the built-in set
 *   data_files.cpp      the documents: --data files and generated orders
 *   strategies.cpp      what is compared, and the SQL each strategy runs
 *   bench_objects.cpp   what a run creates in the target database and drops
 *   runner.cpp          RunBench: load, build, warm, then measure.cpp
 *   measure.cpp         query latency, planning time, insert rate
 *   targets.cpp         the project's PASS/MISS lines
 *   report_writers.cpp  terminal, Markdown and JSON
 *   svg_chart.cpp       the chart
 *
 * Queries come from a query file (ParseQueries, format below) or the
 * built-in set, which is itself kept in that format (DefaultQueryText) and
 * copied to tools/bench/queries.example for users to start from.
 *
 * The target may be a user's own database (--conninfo), so a run touches
 * only what it made: its tables carry the comment kBenchMark, a name it
 * needs that is taken by anything else makes it refuse before it creates
 * or drops anything, extensions and schema pxb_jsquery are created only
 * when absent and dropped at the end only when it made them, and the
 * instance-wide CHECKPOINT and pg_prewarm run only when asked for
 * (BenchOptions::checkpoint, prewarm).  Details in bench_objects.cpp.
 */
#ifndef PATHX_BENCH_BENCH_H
#define PATHX_BENCH_BENCH_H

#include "loader.h"

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace pathx::bench
{

/*
 * A failure the user can act on: the problem and how to fix it.  kUsage
 * marks what the user gave wrong (a query file, a data file, a strategy
 * name), which the CLI reports as a usage error (exit status 2).
 */
class BenchError : public std::runtime_error
{
public:
	enum Kind
	{
		kFailure,
		kUsage
	};

	BenchError(const std::string &problem, const std::string &fix = "", Kind kind = kFailure)
		: std::runtime_error(problem), fix_(fix), kind_(kind) {}

	const std::string &Fix() const { return fix_; }
	Kind		GetKind() const { return kind_; }

private:
	std::string fix_;
	Kind		kind_;
};

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
	kOrm,						/* an application (ORM) SQL form, selective: doc->>'k' = 'x' */
	kOrmNonSelective,			/* an application SQL form selecting many rows */
	kOther,						/* user queries outside the kinds above: no target */
};

/* The application-form kinds (orm, orm-non-selective): planning time targets apply. */
bool		IsOrmKind(QueryKind kind);

/* "key exists": for reports, JSON and target labels. */
const char *QueryKindName(QueryKind kind);

/* "key-exists": the spelling in query files. */
std::string QueryKindToken(QueryKind kind);

/* Parses a query file kind ("key-exists" or "key exists"); false if unknown. */
bool		ParseQueryKind(const std::string &text, QueryKind &kind);

struct BenchQuery
{
	std::string name;			/* short stable id, used in JSON and targets */
	QueryKind	kind;
	std::string where;			/* SQL condition on `doc` (jsonb operators) */
	std::string jsquery;		/* the same in jsquery's language, or empty */
	std::string btree_where;	/* the same for a B-tree expression index, or empty */
	std::string btree_index;	/* that index's element, e.g. "((doc->>'total')::numeric)" */
};

/*
 * Query files.  One query per line:
 *
 *   name | kind | SQL condition on doc [| jsquery] [| jsquery: Q] [| btree: C | btree-index: E]
 *
 *   name         letters, digits and _ (a stable id: JSON keys, chart labels)
 *   kind         equality, containment, key-exists, range, prefix,
 *                path-exists, equality-and-range, or, non-selective, negation,
 *                wildcard, orm, orm-non-selective, other (the kind selects
 *                the project target checked; orm: an application SQL form
 *                such as doc->>'k' = 'x', served through the planner hook)
 *   condition    what follows WHERE in SELECT count(*) FROM t WHERE ...,
 *                on the jsonb column `doc`
 *   jsquery: Q   the same question in jsquery's language (an untagged 4th
 *                field means the same); without it jsquery shows "-"
 *   btree: C     the same question written for a B-tree expression index
 *                on the one path it names, with
 *   btree-index: E   that index's element as in CREATE INDEX ON t (E),
 *                e.g. ((doc->>'total')::numeric); both or neither
 *
 * Fields are separated by a `|` outside '...' and "..." quotes that is not
 * part of `||`, so jsonpath's and SQL's `||` need no escaping.  Blank lines
 * and lines starting with # are ignored.  Errors throw BenchError naming
 * `source:line`.
 */
std::vector<BenchQuery> ParseQueries(std::istream &in, const std::string &source);

/* The built-in query set in query-file format (= tools/bench/queries.example). */
const char *DefaultQueryText();

/* The built-in query set: every kind the project's targets speak of. */
const std::vector<BenchQuery> &DefaultQueries();

/*
 * Documents for --data: an NDJSON file or a file holding one JSON array
 * (decided by its first character that is not white space), split by the
 * loader's JsonDocumentSplitter and read through the loader's
 * DocumentSource, so the benchmark and `pathx load` cut documents alike.
 * Throws BenchError when the file cannot be read or split.
 */
std::unique_ptr<DocumentSource> OpenDataFile(const std::string &path);

enum class StrategyKind
{
	kSeqScan,					/* the base table, no index */
	kGin,						/* a GIN index queried with the jsonb operators */
	kJsquery,					/* a jsquery GIN index queried with @@ jsquery */
	kBtree,						/* B-tree expression indexes, one per path the queries name */
};

struct Strategy
{
	std::string name;			/* column title and table suffix */
	StrategyKind kind;
	std::string opclass;		/* with options, e.g. "jsonb_pathx_ops (anypath = true)" */
	std::string extension;		/* needed extension, "" for core; skipped if absent */
	bool		optional_study = false; /* reported in the options table only */
};

/* seq, jsonb_ops, jsonb_path_ops, jsonb_pathx_ops, jsquery, btree, option studies. */
std::vector<Strategy> DefaultStrategies();

struct BenchOptions
{
	long		rows = 200000;
	int			runs = 5;
	long		insert_rows = 0;	/* 0: min(10000, rows) */
	int			insert_batch = 500;
	std::uint64_t seed = 42;
	std::string conninfo;		/* "" means the PG* environment */
	std::vector<BenchQuery> queries;	/* empty: DefaultQueries() */
	std::string data_file;		/* NDJSON / JSON array instead of generated documents */
	std::vector<std::string> only;	/* strategy names to run; empty: all */
	bool		option_studies = true;
	int			plan_runs = 30;	/* EXPLAIN (SUMMARY) repeats per setting; 0: none */
	bool		keep_tables = false;
	bool		checkpoint = false;	/* CHECKPOINT before each index build (instance-wide) */
	bool		prewarm = false;	/* pg_prewarm everything before the timed runs (instance-wide) */
	std::string json_file;		/* also write the report as JSON */
	std::string markdown_file;	/* also write the README tables */
	std::string svg_file;		/* also write the chart */
};

/*
 * The comment on every table (and on schema pxb_jsquery) a run creates: the
 * mark that lets a later run drop it, and whose absence makes a run refuse
 * to touch an object of the same name.
 */
constexpr const char *kBenchMark = "created by pathx bench";

struct QueryResult
{
	bool		ran = false;	/* false when the strategy cannot express it */
	double		median_ms = 0;
	double		min_ms = 0;
	long		count = 0;
	bool		index_used = false;
};

/*
 * Planning time of one query on the jsonb_pathx_ops table: median
 * "Planning Time" of EXPLAIN (SUMMARY) with jsonb_pathx.application_forms
 * on (the default) and off (no derived index conditions: what planning
 * costs without the extension's planner hook), and of the query's btree:
 * form on the B-tree table, for scale.  The index use with the setting off
 * shows what the derivation changes.
 */
struct PlanningResult
{
	bool		ran = false;
	double		on_ms = 0;
	double		off_ms = 0;
	double		btree_ms = -1;	/* < 0: no btree: form or no B-tree strategy */
	bool		index_used_on = false;
	bool		index_used_off = false;
};

struct StrategyResult
{
	Strategy	strategy;
	double		build_s = 0;
	long		size_bytes = 0;
	std::vector<std::string> indexes;	/* the strategy's index names (B-tree: several) */
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
	std::vector<BenchQuery> queries;	/* what ran, in order */
	std::string data_source;	/* "generated (seed 42)" or the --data file */
	long		documents = 0;	/* rows in every table */
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
	std::map<std::string, PlanningResult> planning;	/* by query name; empty: not measured */

	const StrategyResult *Find(const std::string &name) const;
};

/*
 * Runs everything, writing progress to `progress` (redrawn in place only
 * when `progress_is_tty`); throws BenchError, and pqxx / std exceptions
 * for the rest.
 */
BenchReport RunBench(const BenchOptions &opts, std::ostream &progress, bool progress_is_tty);

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

/* Aligned columns, the first left-aligned, the others right-aligned. */
void		PrintAligned(std::ostream &out, const std::vector<std::string> &header,
						 const std::vector<std::vector<std::string>> &rows);

}							/* namespace pathx::bench */

#endif							/* PATHX_BENCH_BENCH_H */
