/*
 * pathx_bench_main.cpp
 *	  pathx-bench: the command-line front end of the benchmark library
 *	  (pathx_bench.h).  Parses options, runs, prints the table and the
 *	  targets, writes the optional JSON and Markdown files.
 *
 * Exit status: 0 when every strategy counted the same rows for every query,
 * 1 on a count mismatch (an index returned a wrong answer), 2 when the
 * benchmark could not run.  Missed performance targets do not fail the run:
 * this is a measurement, not a timed test.
 */
#include "pathx_bench.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <fstream>
#include <iostream>

namespace
{

/* Writes one output file; false (with a message) when it cannot. */
template<typename Writer>
bool
WriteFile(const std::string &path, Writer write)
{
	if (path.empty())
		return true;
	std::ofstream f(path);

	if (f)
		write(f);
	if (!f)
	{
		std::cerr << "error: could not write " << path << std::endl;
		return false;
	}
	return true;
}

}							/* namespace */

int
main(int argc, char **argv)
{
	CLI::App	app{"pathx-bench: jsonb_pathx_ops side by side with a seq scan, jsonb_ops, "
		"jsonb_path_ops and jsquery's jsonb_path_value_ops, on the same generated orders"};
	pathx::BenchOptions opts;

	pathx::SetupBenchOptions(app, opts);
	CLI11_PARSE(app, argc, argv);

	pathx::BenchReport report;

	try
	{
		report = pathx::RunBench(opts, std::cerr);
	}
	catch (const pqxx::sql_error &e)
	{
		std::cerr << "error: " << e.what() << "SQLSTATE: " << e.sqlstate() << "\nquery: "
			<< e.query().substr(0, 500) << std::endl;
		return 2;
	}
	catch (const std::exception &e)
	{
		std::cerr << "error: " << e.what() << std::endl;
		return 2;
	}

	std::vector<pathx::TargetResult> targets = pathx::CheckTargets(report);

	pathx::WriteTerminal(report, targets, std::cout);
	bool		ok = WriteFile(opts.json_file, [&](std::ostream &f) { pathx::WriteJson(report, targets, f); });

	ok = WriteFile(opts.markdown_file, [&](std::ostream &f) { pathx::WriteMarkdown(report, targets, f); }) && ok;
	if (!report.mismatches.empty())
	{
		std::cerr << "ERROR: " << report.mismatches.size()
			<< " count mismatch(es) between strategies: an index returned a wrong answer" << std::endl;
		return 1;
	}
	return ok ? 0 : 2;
}
