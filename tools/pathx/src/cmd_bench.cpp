/*
 * cmd_bench.cpp
 *	  pathx bench: the side-by-side benchmark, the command line over the
 *	  benchmark engine (bench/bench.h, bench/svg_chart.h).
 *
 * The engine does the work and only fills a BenchReport; this file holds
 * the options (CLI11 stays out of the engine), picks the database
 * (TargetConninfo: --conninfo, else the dev cluster), reads the query file
 * (the built-in set includes the application SQL forms, kinds orm and
 * orm-non-selective), prints the table, writes the JSON, Markdown and SVG
 * files, and turns a count mismatch into an error.  Missed performance
 * targets do not fail the run: this is a measurement, not a timed test;
 * a wrong answer from an index does.
 *
 * CHECKPOINT and pg_prewarm are instance-wide, so they are on by default
 * only on the dev cluster, which pathx manages; against --conninfo they
 * need --checkpoint / --prewarm.  What else the run creates and removes in
 * the target database, and what it refuses to touch, is the engine's
 * (BenchObjects in bench/bench_objects.cpp) and is spelled out in --help.
 *
 * The engine throws its own bench::BenchError and writes only to the
 * stream it is given (stderr here, redrawn in place when stderr is a
 * terminal); this file turns a BenchError into a CliError, a usage error
 * (exit status 2) when the user gave something wrong, so `pathx bench`
 * reports and exits like every other command.
 *
 * `make bench` runs this on a throwaway cluster tuned for it
 * (tools/bench/run.sh), which passes --checkpoint --prewarm.
 */
#include "commands.h"
#include "context.h"
#include "bench/bench.h"
#include "bench/svg_chart.h"
#include "ui.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

namespace pathx
{

namespace
{

struct BenchCommand
{
	bench::BenchOptions opts;
	std::string queries_file;
};

/* Writes one output file through `write`; throws CliError when it cannot. */
template<typename Writer>
void
WriteOutput(const std::string &path, const std::string &what, Writer write)
{
	if (path.empty())
		return;
	std::ofstream f(path);

	if (f)
		write(f);
	f.close();
	if (!f)
		throw CliError("could not write the " + what + " to " + path + ": " + std::strerror(errno),
					   "check that the directory exists and is writable");
	Step("Wrote", what + " to " + path);
}

/* The benchmark's options (not --conninfo, --data, --queries: those are the command's). */
void
SetupBenchOptions(CLI::App &app, bench::BenchOptions &opts)
{
	app.add_option("--rows", opts.rows, "documents to generate (default 200000)")
		->check(CLI::Range(1L, 100000000L));
	app.add_option("--runs", opts.runs, "timed runs per query after one warm-up (default 5)")
		->check(CLI::Range(1, 1000));
	app.add_option("--insert-rows", opts.insert_rows,
				   "extra rows inserted to measure the insert rate (default min(10000, rows))")
		->check(CLI::Range(0L, 10000000L));
	app.add_option("--insert-batch", opts.insert_batch, "rows per INSERT statement (default 500)")
		->check(CLI::Range(1, 100000));
	app.add_option("--seed", opts.seed, "data generator seed (default 42)");
	app.add_option("--only", opts.only,
				   "strategies to run (seq always runs): jsonb_ops, jsonb_path_ops, jsonb_pathx_ops, "
				   "jsonb_path_value_ops, btree, pathx_anypath, pathx_quarter_paths")
		->delimiter(',');
	app.add_flag("!--no-option-studies", opts.option_studies,
				 "skip the operator class option studies (anypath, paths)");
	app.add_option("--plan-runs", opts.plan_runs,
				   "EXPLAIN (SUMMARY) repeats per query for the planning time with "
				   "jsonb_pathx.application_forms on and off (default 30; 0: skip)")
		->check(CLI::Range(0, 10000));
	app.add_flag("--keep-tables", opts.keep_tables,
				 "leave the pxb_* tables behind for inspection (and the extensions their indexes need)");
	app.add_flag("--checkpoint", opts.checkpoint,
				 "run CHECKPOINT before each index build, so each starts with a clean buffer pool "
				 "(instance-wide; the default on the dev cluster, off with --conninfo)");
	app.add_flag("--prewarm", opts.prewarm,
				 "load every table and index into shared buffers with pg_prewarm before the timed "
				 "runs, creating the extension if absent and dropping it after (instance-wide; the "
				 "default on the dev cluster, off with --conninfo)");
	app.add_option("--json", opts.json_file, "also write the report as JSON to this file");
	app.add_option("--markdown", opts.markdown_file, "also write the Markdown tables to this file");
	app.add_option("--svg", opts.svg_file,
				   "also write a chart (latency per query and strategy, index sizes) to this SVG file");
}

/* The engine's error as the CLI's: same message and fix, status 2 for what the user gave wrong. */
CliError
AsCliError(const bench::BenchError &e)
{
	return CliError(e.what(), e.Fix(), e.GetKind() == bench::BenchError::kUsage ? 2 : 1);
}

void
RunBenchCommand(const GlobalOptions &globals, BenchCommand &cmd)
{
	if (!cmd.queries_file.empty())
	{
		std::ifstream in(cmd.queries_file);

		if (!in)
			throw CliError("cannot read the query file " + cmd.queries_file + ": " + std::strerror(errno),
						   "start from tools/bench/queries.example", 2);
		try
		{
			cmd.opts.queries = bench::ParseQueries(in, cmd.queries_file);
		}
		catch (const bench::BenchError &e)
		{
			throw AsCliError(e);
		}
	}

	Context		ctx(globals);

	/*
	 * CHECKPOINT and pg_prewarm reach past the database, to every session of
	 * the instance: on the dev cluster pathx manages that is ours to do; on
	 * a user's server (--conninfo) only when asked for.
	 */
	if (ctx.UserConninfo().empty())
		cmd.opts.checkpoint = cmd.opts.prewarm = true;
	cmd.opts.conninfo = TargetConninfo(ctx);

	bench::BenchReport report;

	try
	{
		report = bench::RunBench(cmd.opts, std::cerr, StderrIsTty());
	}
	catch (const bench::BenchError &e)
	{
		throw AsCliError(e);
	}

	std::vector<bench::TargetResult> targets = bench::CheckTargets(report);

	bench::WriteTerminal(report, targets, std::cout);
	WriteOutput(cmd.opts.json_file, "JSON report",
				[&](std::ostream &f) { bench::WriteJson(report, targets, f); });
	WriteOutput(cmd.opts.markdown_file, "Markdown tables",
				[&](std::ostream &f) { bench::WriteMarkdown(report, targets, f); });
	WriteOutput(cmd.opts.svg_file, "chart", [&](std::ostream &f) { bench::WriteSvg(report, f); });
	if (!report.mismatches.empty())
		throw CliError(std::to_string(report.mismatches.size()) +
					   " count mismatch(es) between strategies (the ERROR lines above): an index, "
					   "or a query's jsquery:/btree: form, returned a wrong answer",
					   "rerun the query from the ERROR line with SET enable_bitmapscan = off to compare, "
					   "and check the query file's jsquery:/btree: forms against the SQL condition");
}

}							/* namespace */

void
SetupBench(CLI::App &app, const GlobalOptions &globals)
{
	auto		cmd = std::make_shared<BenchCommand>();
	CLI::App   *sub = app.add_subcommand(
		"bench",
		"Benchmark jsonb_pathx_ops side by side with a seq scan, jsonb_ops, jsonb_path_ops, "
		"B-tree expression indexes and (when installed) jsquery's jsonb_path_value_ops: build time, "
		"size, insert rate, per-query latency, index use, planning time with and without the "
		"derivation of application SQL forms; counts must agree");

	SetupBenchOptions(*sub, cmd->opts);
	sub->add_option("--data", cmd->opts.data_file,
					"benchmark the documents of this NDJSON or JSON-array file instead of generated "
					"orders (--rows and --seed are then ignored)")
		->type_name("FILE")
		->check(CLI::ExistingFile);
	sub->add_option("--queries", cmd->queries_file,
					"queries to run, one per line: name | kind | SQL condition on doc "
					"[| jsquery: Q] [| btree: C | btree-index: E] (default: the built-in set, "
					"see tools/bench/queries.example)")
		->type_name("FILE")
		->check(CLI::ExistingFile);
	sub->footer(
		"Runs against the dev cluster (started if needed) or --conninfo (your database).\n"
		"Creates, in the first schema of the search_path: tables pxb_base and pxb_<strategy>\n"
		"with their indexes, each commented '" + std::string(bench::kBenchMark) + "'; the extensions\n"
		"jsonb_pathx, pg_prewarm (with --prewarm) and jsquery (in its own schema pxb_jsquery),\n"
		"each only when absent.\n"
		"Changes: CHECKPOINT before each index build and pg_prewarm before the timed runs, both\n"
		"instance-wide, hence on by default only on the dev cluster (--checkpoint, --prewarm).\n"
		"Removes at the end what it created (--keep-tables keeps the tables and the extensions\n"
		"their indexes need), and drops only tables with its comment: when a name it needs\n"
		"(pxb_*, schema pxb_jsquery) is taken by anything else, it refuses (exit 1) and changes\n"
		"nothing.  Exit status 1 also when strategies counted different rows.  Examples:\n"
		"  pathx bench --rows 2000 --runs 1                     # smoke run, seconds\n"
		"  pathx bench --svg bench.svg --json bench.json        # 200,000 documents\n"
		"  pathx bench --data orders.ndjson --queries my.queries\n"
		"  pathx bench --only jsonb_path_ops,jsonb_pathx_ops --no-option-studies\n"
		"  grep '^orm_' tools/bench/queries.example > orm.queries    # the application SQL forms\n"
		"  pathx bench --queries orm.queries --only jsonb_path_ops,jsonb_pathx_ops,btree\n"
		"  make bench BENCH_ARGS=\"--rows 1000000\"               # on a tuned throwaway cluster");
	sub->callback([&globals, cmd]() { RunBenchCommand(globals, *cmd); });
}

}							/* namespace pathx */
