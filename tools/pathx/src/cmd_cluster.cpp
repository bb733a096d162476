/*
 * cmd_cluster.cpp
 *	  pathx up, down, status, psql, logs, destroy: the dev cluster verbs.
 *
 * `up` is the one a contributor runs after every edit: it rebuilds and
 * reinstalls only when something changed (make -q and a byte compare of
 * the installed files), creates the cluster on first use, starts it when
 * stopped, and makes sure the dev database has the current extension
 * version.  Each step prints one line; running it twice is safe and quick.
 *
 * `status` exits 0 when the cluster runs and 3 when it does not (as
 * pg_ctl status does), so scripts can test it; --json gives scripts the
 * same facts without parsing the text.
 */
#include "cluster.h"
#include "commands.h"
#include "context.h"
#include "process.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <iostream>

namespace pathx
{

namespace
{

void
PrintConnectInfo(const Context &ctx)
{
	std::cout << "Dev cluster ready: PostgreSQL " << ctx.MajorVersion() << " on port " << ctx.Port()
		<< ", database " << kDevDatabase << " with jsonb_pathx\n"
		<< "  pathx psql                       (psql on the Unix socket)\n"
		<< "  psql \"" << ctx.Conninfo() << "\"\n"
		<< "  PGPASSFILE=" << ctx.Home() << "/pgpass psql " << ctx.Url() << "\n";
}

struct UpOptions
{
	bool		rebuild = false;
	bool		no_build = false;
	bool		no_database = false;
	bool		any_port = false;
	bool		socket_only = false;
	std::vector<std::string> settings;	/* NAME=VALUE */
	std::string standby_of;		/* a running pathx home to stream from */
};

/*
 * --set NAME=VALUE: the name as postgresql.conf spells one (letters,
 * digits, '_' and the '.' of extension settings); the value is quoted
 * when pathx.conf is written, so it is never configuration syntax.
 */
StartOptions
ParseStartOptions(const UpOptions &opts)
{
	StartOptions so;

	so.socket_only = opts.socket_only;
	for (const std::string &s : opts.settings)
	{
		size_t		eq = s.find('=');
		std::string name = s.substr(0, eq);
		bool		ok = eq != std::string::npos && eq > 0 &&
			(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_');

		for (char c : name)
			ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.');
		/* a value is one quoted string on one line of pathx.conf */
		ok = ok && s.find_first_of("\n\r", eq) == std::string::npos;
		if (!ok)
			throw CliError("--set wants NAME=VALUE with a server setting's name, not '" + s + "'",
						   "for example: pathx up --set shared_buffers=128MB", 2);
		so.settings.emplace_back(name, s.substr(eq + 1));
	}
	return so;
}

void
Up(const Context &ctx, const UpOptions &opts, bool quiet_when_running)
{
	auto		t0 = std::chrono::steady_clock::now();
	StartOptions start = ParseStartOptions(opts);

	if (!opts.no_build)
		BuildAndInstall(ctx, opts.rebuild);
	PrepareHome(ctx);

	long		pid = PostmasterPid(ctx);

	if (pid != 0)
	{
		int			configured = ctx.ConfiguredPort();

		if (ctx.PortFromUser() && configured != 0 && configured != ctx.Port())
			throw CliError("the dev cluster is already running on port " + std::to_string(configured) +
						   ", not " + std::to_string(ctx.Port()),
						   "pathx down, then pathx up --port " + std::to_string(ctx.Port()));
		if (!quiet_when_running)
			Step("Running", "dev cluster already up (pid " + std::to_string(pid) + ", port " +
				 std::to_string(ctx.Port()) + ", " + ctx.DataDir() + ")");
	}
	else
	{
		/*
		 * The first free port from the one asked for (or the default) up;
		 * a cluster started before keeps its port unless --port says.
		 */
		if (opts.any_port && (ctx.PortFromUser() || ctx.ConfiguredPort() == 0))
			ctx.ChoosePort(FirstFreePort(ctx.Port()));
		if (!ClusterInitialized(ctx) && !opts.standby_of.empty())
		{
			GlobalOptions pg;

			pg.home = opts.standby_of;
			Context		primary(pg);

			Step("Cloning", "the cluster in " + primary.Home() + " into " + ctx.DataDir() + " (standby)");
			CloneCluster(ctx, primary);
		}
		else if (!ClusterInitialized(ctx))
		{
			Step("Creating", "dev cluster in " + ctx.DataDir());
			InitCluster(ctx);
		}
		Step("Starting", "dev cluster on " +
			 (start.socket_only ? std::string("") : "127.0.0.1:" + std::to_string(ctx.Port()) + " and ") +
			 "socket " + ctx.SocketDir() + (start.socket_only ? " (port " + std::to_string(ctx.Port()) + ") only" : ""));
		StartCluster(ctx, start);
	}
	/* a standby is read-only: its databases are the primary's */
	if (!opts.no_database && opts.standby_of.empty())
		EnsureDatabase(ctx);
	if (!quiet_when_running || pid == 0)
		Step("Ready", "in " + Fixed(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 1) + " s");
}

void
RequireRunning(const Context &ctx)
{
	if (!ClusterInitialized(ctx))
		throw CliError("there is no dev cluster in " + ctx.Home(), "pathx up");
	if (PostmasterPid(ctx) == 0)
		throw CliError("the dev cluster in " + ctx.Home() + " is not running", "pathx up");
}

void
Down(const Context &ctx, bool immediate)
{
	if (!ClusterInitialized(ctx) || PostmasterPid(ctx) == 0)
	{
		Step("Stopped", "dev cluster is not running (" + ctx.Home() + ")");
		return;
	}
	Step("Stopping", "dev cluster (" + ctx.DataDir() + ")" + (immediate ? ", immediately" : ""));
	StopCluster(ctx, immediate);
	Step("Stopped", "dev cluster");
}

/* What `pathx status` reports, gathered once for both of its outputs. */
struct StatusReport
{
	bool		created = false;
	long		pid = 0;
	std::string built;			/* extension version of the checkout; "" unknown */
	std::string installed;		/* in the dev database; "" not created */
	std::string db_error;		/* why the dev database could not be asked */
	bool		build_fresh = false;
};

StatusReport
GatherStatus(const Context &ctx)
{
	StatusReport st;

	st.created = ClusterInitialized(ctx);
	st.pid = st.created ? PostmasterPid(ctx) : 0;
	st.built = BuiltExtensionVersion(ctx);
	if (st.pid != 0)
	{
		try
		{
			pqxx::connection c(ctx.Conninfo());
			pqxx::work	w(c);
			pqxx::result r = w.exec("SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx'");

			if (!r.empty())
				st.installed = r[0][0].c_str();
		}
		catch (const std::exception &e)
		{
			st.db_error = e.what();
		}
	}
	st.build_fresh = BuildIsFresh(ctx);
	return st;
}

int
Status(const Context &ctx, bool json)
{
	StatusReport st = GatherStatus(ctx);
	const char *state = !st.created ? "not created" : st.pid ? "running" : "stopped";

	if (json)
	{
		nlohmann::json j{
			{"cluster", state},
			{"pid", st.pid != 0 ? nlohmann::json(st.pid) : nlohmann::json()},
			{"home", ctx.Home()},
			{"data", ctx.DataDir()},
			{"port", ctx.Port()},
			{"server_major", ctx.MajorVersion()},
			{"bindir", ctx.BinDir()},
			{"extension_built", st.built.empty() ? nlohmann::json() : nlohmann::json(st.built)},
			{"extension_installed", st.installed.empty() ? nlohmann::json() : nlohmann::json(st.installed)},
			{"build_current", st.build_fresh},
			{"conninfo", st.pid != 0 ? nlohmann::json(ctx.Conninfo()) : nlohmann::json()},
		};

		if (!st.db_error.empty())
			j["database_error"] = st.db_error;
		std::cout << j.dump(2) << std::endl;
		return st.pid != 0 ? 0 : 3;
	}
	std::cout << "cluster:    " << (!st.created ? "not created (pathx up creates it)" :
								   st.pid ? "running (pid " + std::to_string(st.pid) + ")" : "stopped") << "\n"
		<< "home:       " << ctx.Home() << "\n"
		<< "data:       " << ctx.DataDir() << "\n"
		<< "port:       " << ctx.Port() << " (127.0.0.1 and the socket in the home)\n"
		<< "server:     PostgreSQL " << ctx.MajorVersion() << " (" << ctx.BinDir() << ")\n"
		<< "extension:  built " << (st.built.empty() ? "?" : st.built);
	if (st.pid != 0)
	{
		if (st.db_error.empty())
			std::cout << ", in database " << kDevDatabase << " "
				<< (st.installed.empty() ? std::string("not created") : st.installed);
		else
			std::cout << ", database " << kDevDatabase << " unreachable (" << st.db_error << ")";
	}
	std::cout << "\n"
		<< "build:      " << (st.build_fresh ? "current and installed" : "changed since the last install (pathx up rebuilds)")
		<< "\n";
	if (st.pid != 0)
		std::cout << "connect:    pathx psql, or psql \"" << ctx.Conninfo() << "\"\n";
	std::cout.flush();
	return st.pid != 0 ? 0 : 3;
}

void
Destroy(const Context &ctx, bool yes)
{
	struct stat st;

	if (lstat(ctx.Home().c_str(), &st) != 0)
	{
		/* a link to a relocated home that is gone (/var/tmp cleaned) is ours to remove */
		if (!ctx.HomeLink().empty() && unlink(ctx.HomeLink().c_str()) == 0)
			Step("Removed", "the link " + ctx.HomeLink() + " (" + ctx.Home() + " was gone)");
		else
			Step("Absent", "no dev cluster in " + ctx.Home());
		return;
	}
	/* before asking: a y/N must never be the only thing between a typo and rm -rf of $HOME */
	if (!IsPathxHome(ctx.Home()))
		RemoveHome(ctx);		/* refuses, saying why */
	if (!yes)
	{
		if (!isatty(0))
			throw CliError("pathx destroy deletes " + ctx.Home() + " and every database in it; "
						   "refusing without confirmation", "pathx destroy --yes", 2);
		std::cerr << "Delete the dev cluster in " << ctx.Home() << " and all its databases? [y/N] " << std::flush;
		std::string answer;

		std::getline(std::cin, answer);
		if (answer != "y" && answer != "Y" && answer != "yes")
		{
			Step("Kept", ctx.Home());
			return;
		}
	}
	if (ClusterInitialized(ctx) && PostmasterPid(ctx) != 0)
	{
		Step("Stopping", "dev cluster");
		StopCluster(ctx);
	}
	RemoveHome(ctx);
	Step("Removed", ctx.Home());
}

}							/* namespace */

void
EnsureUp(const Context &ctx)
{
	UpOptions	opts;

	Up(ctx, opts, true);
}

bool
ClusterRunning(const Context &ctx)
{
	return ClusterInitialized(ctx) && PostmasterPid(ctx) != 0;
}

void
SetupClusterCommands(CLI::App &app, const GlobalOptions &globals)
{
	static UpOptions up_opts;
	CLI::App   *up = app.add_subcommand("up", "Build and install jsonb_pathx, create and start the dev cluster, "
										"create the dev database with the extension");

	up->add_flag("--rebuild", up_opts.rebuild, "Rebuild and reinstall even when nothing changed");
	up->add_flag("--no-build", up_opts.no_build, "Do not build or install; only start the cluster");
	up->add_flag("--no-database", up_opts.no_database,
				 "Do not create the dev database and the extension (a bare cluster, as test harnesses want)");
	up->add_flag("--any-port", up_opts.any_port,
				 "If the port (--port, else the one of an earlier start, else the default) is taken, "
				 "the next free one");
	up->add_flag("--socket-only", up_opts.socket_only,
				 "No TCP at all (listen_addresses = ''): only the Unix socket in the home, mode 0700, for this start");
	up->add_option("--set", up_opts.settings,
				   "A server setting for this start, written to data/pathx.conf (repeatable)")
		->type_name("NAME=VALUE");
	up->add_option("--standby-of", up_opts.standby_of,
				   "Create the cluster as a streaming standby of the running cluster in that pathx home "
				   "(pg_basebackup -R over its socket) instead of with initdb")
		->type_name("HOME");
	up->footer("Examples:\n  pathx up\n  pathx up --port 30015\n  PATHX_HOME=/tmp/px pathx up --no-build\n"
			   "  pathx up --home /tmp/t/home --no-build --no-database --port 54320 --any-port --socket-only --set fsync=off\n"
			   "  pathx up --home /tmp/t/standby --no-build --any-port --standby-of /tmp/t/home\n\n"
			   "The cluster listens on 127.0.0.1 and a Unix socket in the home (.pathx/ by default); "
			   "TCP needs the password in .pathx/password. Running it again is safe. "
			   "The test suites start their throwaway clusters this way (tools/lib/cluster.sh).");
	up->callback([&globals]() {
		Context		ctx(globals);

		Up(ctx, up_opts, false);
		if (!up_opts.socket_only)
			PrintConnectInfo(ctx);
		else
			std::cout << "Cluster ready on its socket only: psql \"" << ctx.Conninfo(up_opts.no_database || !up_opts.standby_of.empty() ? "postgres" : kDevDatabase) << "\"\n";
	});

	CLI::App   *down = app.add_subcommand("down", "Stop the dev cluster (its data is kept)");
	static bool down_immediate = false;

	down->add_flag("--immediate", down_immediate,
				   "pg_ctl stop -m immediate: no shutdown checkpoint, the next start replays WAL as after a crash");
	down->callback([&globals]() { Down(Context(globals), down_immediate); });

	CLI::App   *status = app.add_subcommand("status", "Show whether the dev cluster runs, its port, data "
											"directory, and the extension version installed vs built");

	static bool status_json = false;

	status->add_flag("--json", status_json, "Print the same facts as one JSON object (null where unknown)");
	status->footer("Exit status: 0 when the cluster runs, 3 when it does not (also with --json).");
	status->callback([&globals]() {
		int			rc = Status(Context(globals), status_json);

		if (rc != 0)
			throw CLI::RuntimeError(rc);
	});

	CLI::App   *psql = app.add_subcommand("psql", "Run psql connected to the dev database; "
										  "arguments after `psql` go to psql");

	psql->prefix_command();
	/* psql's own options (-c, -f) must reach psql, not the top-level app */
	psql->fallthrough(false);
	psql->footer("Examples:\n  pathx psql\n  pathx psql -c 'SELECT count(*) FROM orders'\n  pathx psql -f script.sql");
	psql->callback([&globals, psql]() {
		Context		ctx(globals);

		RequireRunning(ctx);
		std::vector<std::string> argv{ctx.Bin("psql"), "-X", "-h", ctx.SocketDir(), "-p",
			std::to_string(ctx.Port()), "-U", kDevRole, "-d", kDevDatabase};

		for (const std::string &a : psql->remaining())
			argv.push_back(a);
		ExecReplace(argv, {});
	});

	static int	lines = 50;
	static bool follow = false;
	CLI::App   *logs = app.add_subcommand("logs", "Show the end of the dev cluster's server log");

	logs->add_option("-n,--lines", lines, "How many lines (default 50)")->check(CLI::PositiveNumber);
	logs->add_flag("-f,--follow", follow, "Keep printing new lines (Ctrl-C stops)");
	logs->callback([&globals]() {
		Context		ctx(globals);

		if (access(ctx.ServerLog().c_str(), R_OK) != 0)
			throw CliError("no server log at " + ctx.ServerLog(), "pathx up");
		if (follow)
			ExecReplace({"tail", "-n", std::to_string(lines), "-F", ctx.ServerLog()}, {});
		std::cout << TailFile(ctx.ServerLog(), lines) << std::flush;
	});

	static bool yes = false;
	CLI::App   *destroy = app.add_subcommand("destroy", "Stop the dev cluster and delete its home "
											 "with every database in it");

	destroy->footer("Deletes only a home that pathx up made (it holds a " + std::string(kHomeMarker) +
					" file); any other directory named by --home or PATHX_HOME is refused and left alone.");

	destroy->add_flag("-y,--yes", yes, "Do not ask for confirmation");
	destroy->callback([&globals]() { Destroy(Context(globals), yes); });
}

}							/* namespace pathx */
