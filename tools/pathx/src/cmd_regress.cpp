/*
 * cmd_regress.cpp
 *	  pathx regress [TEST...] [--accept]: pg_regress against the dev cluster.
 *
 * The tests are sql/NAME.sql with expected/NAME.out in the checkout, as
 * `make installcheck` runs them; here they run against the dev cluster
 * (started if needed, extension rebuilt and reinstalled if changed) in a
 * database of their own, contrib_regression, so the dev database is never
 * touched.  pg_regress writes into <home>/regress/, not the checkout.
 *
 * On failure the diff of each failed test is shown, cut to a screenful;
 * the whole diff stays in <home>/regress/regression.diffs.  --accept shows
 * the diff and then copies the new output over expected/NAME.out: the
 * contributor reads what changed before it becomes the new truth.
 */
#include "cluster.h"
#include "commands.h"
#include "context.h"
#include "regress_output.h"
#include "process.h"
#include "ui.h"

#include <CLI/CLI.hpp>

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace pathx
{

namespace
{

struct RegressOptions
{
	std::vector<std::string> tests;
	bool		accept = false;
	int			diff_lines = 40;
};

std::vector<std::string>
AvailableTests(const Context &ctx)
{
	std::vector<std::string> names;
	DIR		   *d = opendir((ctx.Root() + "/sql").c_str());

	if (d == nullptr)
		throw CliError("no sql/ directory in " + ctx.Root());
	while (struct dirent *e = readdir(d))
	{
		std::string n = e->d_name;

		if (n.size() > 4 && n.compare(n.size() - 4, 4, ".sql") == 0)
			names.push_back(n.substr(0, n.size() - 4));
	}
	closedir(d);
	std::sort(names.begin(), names.end());
	return names;
}

}							/* namespace */

/*
 * Splits pg_regress's regression.diffs into one diff per test: each starts
 * with a "diff ..." line naming expected/NAME.out.
 */
std::map<std::string, std::string>
SplitRegressionDiffs(const std::string &diffs)
{
	std::map<std::string, std::string> out;
	std::istringstream in(diffs);
	std::string line,
				current;

	while (std::getline(in, line))
	{
		if (line.rfind("diff ", 0) == 0)
		{
			size_t		slash = line.find("/expected/");

			if (slash != std::string::npos)
			{
				size_t		start = slash + 10;
				size_t		end = line.find(".out", start);

				current = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
			}
		}
		if (!current.empty())
			out[current] += line + "\n";
	}
	return out;
}

/* The names pg_regress reported as failed in its summary output. */
std::vector<std::string>
FailedRegressTests(const std::string &output)
{
	std::vector<std::string> failed;
	std::istringstream in(output);
	std::string line;

	while (std::getline(in, line))
	{
		if (line.find("FAILED") == std::string::npos && line.find("failed (ignored)") == std::string::npos)
			continue;
		/* "test operators                 ... FAILED" or "not ok 1 - operators" */
		std::istringstream words(line);
		std::string w,
					name;

		while (words >> w)
		{
			if (w == "test" || w == "ok" || w == "not" || w == "-" || w == "..." || w == "+" ||
				std::all_of(w.begin(), w.end(), ::isdigit))
				continue;
			name = w;
			break;
		}
		if (!name.empty())
			failed.push_back(name);
	}
	return failed;
}

namespace
{

void
Regress(const Context &ctx, const RegressOptions &opts)
{
	std::vector<std::string> all = AvailableTests(ctx);
	std::vector<std::string> tests = opts.tests.empty() ? all : opts.tests;

	for (const std::string &t : tests)
		if (std::find(all.begin(), all.end(), t) == all.end())
		{
			std::string names;

			for (const std::string &a : all)
				names += (names.empty() ? "" : ", ") + a;
			throw CliError("no regression test '" + t + "' (no sql/" + t + ".sql); the tests are: " + names,
						   "", 2);
		}

	EnsureUp(ctx);

	std::string outdir = ctx.Home() + "/regress";

	mkdir(outdir.c_str(), 0700);
	std::remove((outdir + "/regression.diffs").c_str());

	std::vector<std::string> argv{
		ctx.PkgLibDir() + "/pgxs/src/test/regress/pg_regress",
		"--inputdir=" + ctx.Root(),
		"--outputdir=" + outdir,
		"--bindir=" + ctx.BinDir(),
		"--host=" + ctx.SocketDir(),
		"--port=" + std::to_string(ctx.Port()),
		"--user=" + std::string(kDevRole),
		"--dbname=contrib_regression",
		"--load-extension=jsonb_pathx",
	};
	argv.insert(argv.end(), tests.begin(), tests.end());

	RunOptions	o;

	o.capture = true;
	RunResult	r = Run(argv, o);

	/* pg_regress's own per-test lines are the progress a contributor expects */
	std::istringstream lines(r.output);
	std::string line;

	while (std::getline(lines, line))
		if (line.find("... ") != std::string::npos || line.rfind("ok ", 0) == 0 ||
			line.rfind("not ok", 0) == 0 || line.find("tests passed") != std::string::npos ||
			line.find("failed") != std::string::npos)
			std::cout << line << "\n";
	std::cout.flush();

	if (r.exit_code == 0)
	{
		Step("Passed", std::to_string(tests.size()) + " regression test(s)");
		return;
	}

	std::ifstream df(outdir + "/regression.diffs");
	std::stringstream ss;

	ss << df.rdbuf();
	std::map<std::string, std::string> diffs = SplitRegressionDiffs(ss.str());
	std::vector<std::string> failed = FailedRegressTests(r.output);

	if (failed.empty() && diffs.empty())
		throw CliError("pg_regress failed (exit status " + std::to_string(r.exit_code) + "):\n" + r.output,
					   "pathx logs shows the server's side");
	for (const auto &[name, diff] : diffs)
	{
		std::istringstream dl(diff);
		int			n = 0;

		std::cout << "\n--- " << name << ": expected/" << name << ".out vs " << outdir << "/results/"
			<< name << ".out\n";
		while (std::getline(dl, line))
		{
			if (++n > opts.diff_lines && !opts.accept)
			{
				std::cout << "... (" << outdir << "/regression.diffs has the rest)\n";
				break;
			}
			std::cout << line << "\n";
		}
	}
	std::cout.flush();
	if (opts.accept)
	{
		for (const auto &[name, diff] : diffs)
		{
			RunOptions	q;

			q.echo = false;
			RunChecked({"cp", outdir + "/results/" + name + ".out", ctx.Root() + "/expected/" + name + ".out"}, q);
			Step("Accepted", "expected/" + name + ".out (review it with git diff before committing)");
		}
		return;
	}
	throw CliError(std::to_string(std::max(failed.size(), diffs.size())) + " regression test(s) failed",
				   "read the diff above; if the new output is right: pathx regress --accept " +
				   (failed.empty() ? std::string("TEST") : failed.front()));
}

}							/* namespace */

void
SetupRegress(CLI::App &app, const GlobalOptions &globals)
{
	static RegressOptions opts;
	CLI::App   *cmd = app.add_subcommand("regress", "Run the pg_regress suite (sql/, expected/) against the "
										 "dev cluster; on failure, a short diff per failed test");

	cmd->add_option("TEST", opts.tests, "Tests to run (default: every sql/*.sql)");
	cmd->add_flag("--accept", opts.accept, "After showing the diff, copy the new output to expected/");
	cmd->add_option("--diff-lines", opts.diff_lines, "Lines of diff shown per failed test (default 40)")
		->check(CLI::PositiveNumber);
	cmd->footer("Examples:\n  pathx regress\n  pathx regress operators options\n  pathx regress --accept operators");
	cmd->callback([&globals]() { Regress(Context(globals), opts); });
}

}							/* namespace pathx */
