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
 * Who touches what.  As root, the home belongs to the server's OS user
 * (see cluster.h), who could replace anything in it by a link at any
 * moment, so root neither writes nor reads there.  Everything in
 * <home>/regress is done as that user: the directories are made, the
 * tests and expected outputs copied in (<home>/regress/input, read by us
 * from the checkout, which that user may not be able to enter), pg_regress
 * run, and its results read back, each by a child running as the server
 * user.  A planted link then reaches only what that user could reach
 * anyway.  --accept writes expected/NAME.out in the checkout from output
 * read that way, never by copying through a path in the home.
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

#include <cerrno>
#include <cstring>

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

/*
 * The contents of a file in the home, read as the server user (see above);
 * "" for a file that cannot be read when missing_ok.
 */
std::string
ReadAsServerUser(const std::string &path, bool missing_ok)
{
	RunOptions	o;

	o.echo = false;
	o.as_server_user = true;
	o.capture = true;			/* RunChecked would echo it otherwise */
	if (!missing_ok)
		return RunChecked({"cat", "--", path}, o);
	RunResult	r = Run({"cat", "--", path}, o);

	return r.exit_code == 0 ? r.output : "";
}

/*
 * Copies the checkout's sql/NAME.sql and expected/NAME.out files into
 * <inputdir>/sql and <inputdir>/expected, written as the server user.
 */
void
CopyInputs(const Context &ctx, const std::string &inputdir)
{
	RunOptions	o;

	o.echo = false;
	o.as_server_user = true;
	o.capture = true;
	RunChecked({"mkdir", "-p", "-m", "700", "--", inputdir + "/sql", inputdir + "/expected"}, o,
			   "the server user must be able to create " + inputdir + "; pathx destroy and pathx up make a "
			   "fresh home");
	for (const char *sub : {"sql", "expected"})
	{
		std::string dir = ctx.Root() + "/" + sub;
		std::string suffix = std::string(sub) == "sql" ? ".sql" : ".out";
		DIR		   *d = opendir(dir.c_str());

		if (d == nullptr)
			throw CliError("cannot read " + dir + ": " + std::strerror(errno));
		std::vector<std::string> names;

		while (struct dirent *e = readdir(d))
		{
			std::string n = e->d_name;

			if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
				names.push_back(n);
		}
		closedir(d);
		for (const std::string &n : names)
		{
			std::ifstream in(dir + "/" + n, std::ios::binary);
			std::ostringstream text;

			if (!(text << in.rdbuf()) && in.peek() != std::ifstream::traits_type::eof())
				throw CliError("cannot read " + dir + "/" + n);
			WriteFileNoFollow(inputdir + "/" + sub + "/" + n, text.str(), false, true);
		}
	}
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
	std::string inputdir = outdir + "/input";

	CopyInputs(ctx, inputdir);

	/* pg_regress empties regression.diffs itself when it starts */
	std::vector<std::string> argv{
		ctx.PkgLibDir() + "/pgxs/src/test/regress/pg_regress",
		"--inputdir=" + inputdir,
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
	o.as_server_user = true;
	o.cwd = outdir;
	/* pg_regress's own per-test lines are the progress a contributor expects, as each test ends */
	o.on_line = [](const std::string &line) {
		if (line.find("... ") != std::string::npos || line.rfind("ok ", 0) == 0 ||
			line.rfind("not ok", 0) == 0 || line.find("tests passed") != std::string::npos ||
			line.find("failed") != std::string::npos)
			std::cout << line << std::endl;
	};
	RunResult	r = Run(argv, o);
	std::string line;

	if (r.exit_code == 0)
	{
		Step("Passed", std::to_string(tests.size()) + " regression test(s)");
		return;
	}

	std::map<std::string, std::string> diffs = SplitRegressionDiffs(ReadAsServerUser(outdir + "/regression.diffs", true));
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
			std::string text = ReadAsServerUser(outdir + "/results/" + name + ".out", false);
			std::string target = ctx.Root() + "/expected/" + name + ".out";
			std::ofstream out(target, std::ios::binary | std::ios::trunc);

			if (!(out << text) || !out.flush())
				throw CliError("cannot write " + target);
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
