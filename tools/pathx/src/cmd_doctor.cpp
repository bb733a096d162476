/*
 * cmd_doctor.cpp
 *	  pathx doctor: is this machine ready to build, run and test jsonb_pathx?
 *
 * Each check prints "ok" or "FAIL" with what was found, and every failure
 * is followed by the exact command that fixes it (Debian 12 package
 * names; `sudo` added when not root).  The exit status is 1 when anything
 * failed, so scripts and CI can gate on it.  Checks never change the
 * machine: doctor only looks.
 */
#include "cluster.h"
#include "commands.h"
#include "context.h"
#include "process.h"
#include "ui.h"

#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

namespace pathx
{

namespace
{

bool
FileExists(const std::string &path)
{
	struct stat st;

	return stat(path.c_str(), &st) == 0;
}

class Checker
{
public:
	void		Check(bool ok, const std::string &what, const std::string &found, const std::string &fix)
	{
		std::cout << (ok ? "  ok    " : "  FAIL  ") << what;
		if (!found.empty())
			std::cout << ": " << found;
		std::cout << "\n";
		if (!ok)
		{
			failures_++;
			if (!fix.empty())
				std::cout << "        fix: " << fix << "\n";
		}
	}

	int			Failures() const { return failures_; }

private:
	int			failures_ = 0;
};

std::string
AptInstall(const std::string &packages)
{
	return std::string(RunningAsRoot() ? "" : "sudo ") + "apt-get update && " +
		(RunningAsRoot() ? "" : "sudo ") + "apt-get install -y " + packages;
}

std::string
FirstLine(const std::string &s)
{
	return s.substr(0, s.find('\n'));
}

void
Doctor(const GlobalOptions &globals)
{
	Checker		c;
	RunOptions	quiet;

	quiet.echo = false;
	quiet.capture = true;

	std::cout << "Toolchain\n";
	for (const char *tool : {"make", "g++", "pkg-config"})
	{
		std::string path = FindInPath(tool);

		c.Check(!path.empty(), tool, path.empty() ? "not found" : path,
				AptInstall(std::string(tool) == "g++" ? "g++" : tool));
	}
	const struct
	{
		const char *what;
		const char *header;
		const char *package;
	}			headers[] = {
		{"libpqxx headers", "/usr/include/pqxx/pqxx", "libpqxx-dev"},
		{"CLI11 headers", "/usr/include/CLI/CLI.hpp", "libcli11-dev"},
		{"Boost.Test headers", "/usr/include/boost/test/included/unit_test.hpp", "libboost-test-dev"},
	};

	for (const auto &h : headers)
		c.Check(FileExists(h.header), h.what, FileExists(h.header) ? h.header : "missing", AptInstall(h.package));

	std::cout << "PostgreSQL\n";
	Context		ctx(globals);
	bool		have_pg = false;

	try
	{
		ctx.BinDir();
		have_pg = true;
		c.Check(true, "pg_config", ctx.PgConfig() + " (PostgreSQL " + std::to_string(ctx.MajorVersion()) + ")", "");
	}
	catch (const CliError &e)
	{
		c.Check(false, "pg_config", e.what(), AptInstall("postgresql-15 postgresql-server-dev-15"));
	}
	if (have_pg)
	{
		RunResult	inc = Run({ctx.PgConfig(), "--includedir-server", "--pgxs"}, quiet);
		std::string incdir = FirstLine(inc.output);
		std::string pgxs = FirstLine(inc.output.substr(inc.output.find('\n') + 1));
		std::string dev = "postgresql-server-dev-" + std::to_string(ctx.MajorVersion());

		c.Check(FileExists(incdir + "/postgres.h"), "server headers", incdir + "/postgres.h", AptInstall(dev));
		c.Check(FileExists(pgxs), "PGXS", pgxs, AptInstall(dev));
		for (const char *bin : {"initdb", "pg_ctl", "postgres", "psql"})
			c.Check(FileExists(ctx.Bin(bin)), bin, ctx.Bin(bin),
					AptInstall("postgresql-" + std::to_string(ctx.MajorVersion())));
		std::string regress = ctx.PkgLibDir() + "/pgxs/src/test/regress/pg_regress";

		c.Check(FileExists(regress), "pg_regress", regress, AptInstall(dev));
	}

	std::cout << "Dev cluster\n";
	unsigned	uid,
				gid;

	if (RunningAsRoot())
		c.Check(ServerUserIds(uid, gid), "running as root: server runs as the postgres OS user",
				ServerUserIds(uid, gid) ? "user exists" : "no postgres user",
				AptInstall("postgresql-15") + " (creates it), or run pathx as a normal user");
	else
		c.Check(true, "running as", "uid " + std::to_string(getuid()) + " (the server runs as you)", "");

	std::string parent = ctx.Home().substr(0, ctx.Home().find_last_of('/'));
	bool		home_exists = FileExists(ctx.Home());
	std::string where = home_exists ? ctx.Home() : parent;

	c.Check(access(where.c_str(), W_OK | X_OK) == 0, "write access", where,
			"choose a writable home: pathx --home DIR up (or PATHX_HOME=DIR)");
	if (have_pg)
	{
		int			port = ctx.Port();
		bool		ours = ClusterRunning(ctx);
		bool		free_port = ours || PortIsFree(port);
		std::string holder = free_port ? "" : PortHolder(port);

		c.Check(free_port, "port " + std::to_string(port),
				ours ? "used by the dev cluster" : free_port ? "free" :
				"in use" + (holder.empty() ? std::string() : " by " + holder),
				"pathx up --port " + std::to_string(port + 100) + " (or PATHX_PORT=...)");
		c.Check(true, "dev cluster", ClusterInitialized(ctx) ? (ours ? "running in " : "stopped, in ") + ctx.Home() :
				"not created yet (pathx up creates it in " + ctx.Home() + ")", "");
	}
	std::cout << (c.Failures() == 0 ? "Everything needed is here.\n" :
				  std::to_string(c.Failures()) + " problem(s); run the fix commands above "
				  "(or tools/install-deps.sh, which installs every package).\n");
	std::cout.flush();
	if (c.Failures() != 0)
		throw CLI::RuntimeError(1);
}

}							/* namespace */

void
SetupDoctor(CLI::App &app, const GlobalOptions &globals)
{
	CLI::App   *cmd = app.add_subcommand("doctor", "Check the toolchain, PostgreSQL headers and binaries, "
										 "the port and permissions; print the fix for each problem");

	cmd->footer("Exit status: 0 when everything is in place, 1 otherwise.\n"
				"Example:\n  pathx doctor\n  pathx --pg-config /usr/lib/postgresql/16/bin/pg_config doctor");
	cmd->callback([&globals]() { Doctor(globals); });
}

}							/* namespace pathx */
