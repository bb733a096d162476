/*
 * cluster_test.cpp
 *	  Tests of the dev cluster verbs: up, status, psql, regress, down,
 *	  destroy, doctor, and the pieces under them (argument quoting, port
 *	  and home resolution, pg_regress output parsing).
 *
 * The integration cases start real dev clusters, each in a temporary home
 * whose path holds a space and a quote (paths must survive untouched, since
 * no command goes through a shell), on a port found free at the start.
 * They need the extension installed (tests/run-all.sh does it) and, as
 * root, the postgres OS user.
 */
#include "cli_test_util.h"
#include "cluster.h"
#include "context.h"
#include "process.h"
#include "regress_output.h"
#include "ui.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

using pathx_test::CliRun;
using pathx_test::EnvVar;
using pathx_test::RunPathx;
using pathx_test::TempDir;

namespace
{

int
Mode(const std::string &path)
{
	struct stat st;

	BOOST_REQUIRE_MESSAGE(stat(path.c_str(), &st) == 0, "missing " + path);
	return st.st_mode & 07777;
}

/* A dev home in a fresh temporary directory, with a space and a quote. */
struct DevHome
{
	TempDir		dir{"pathx-cli"};
	std::string home = dir.Path() + "/dev 'home";
	std::string port = std::to_string(pathx_test::FreePort(29100 + (getpid() % 500)));

	CliRun		Pathx(std::vector<std::string> args)
	{
		std::vector<std::string> full{"--home", home, "--port", port};

		full.insert(full.end(), args.begin(), args.end());
		return RunPathx(full);
	}

	~DevHome()
	{
		/* never leave a server behind, whatever the test did */
		RunPathx({"--home", home, "down"});
	}
};

}							/* namespace */

BOOST_AUTO_TEST_SUITE(cli_units)

BOOST_AUTO_TEST_CASE(format_command_quotes_only_when_needed)
{
	BOOST_TEST(pathx::FormatCommand({"pg_ctl", "-D", "/a/b", "start"}) == "pg_ctl -D /a/b start");
	BOOST_TEST(pathx::FormatCommand({"ls", "dev 'home"}) == "ls 'dev '\\''home'");
	BOOST_TEST(pathx::FormatCommand({"echo", ""}) == "echo ''");
	BOOST_TEST(pathx::FormatCommand({"echo", "$(rm -rf /)"}) == "echo '$(rm -rf /)'");
}

BOOST_AUTO_TEST_CASE(run_passes_arguments_verbatim)
{
	pathx::RunOptions o;

	o.echo = false;
	o.capture = true;
	/* would run `touch` if anything interpreted it as shell syntax */
	pathx::RunResult r = pathx::Run({"printf", "%s|%s", "a b", "$(touch /tmp/pathx-pwned); 'q'"}, o);

	BOOST_TEST(r.exit_code == 0);
	BOOST_TEST(r.output == "a b|$(touch /tmp/pathx-pwned); 'q'");
	BOOST_TEST(access("/tmp/pathx-pwned", F_OK) != 0);
	BOOST_TEST(pathx::Run({"/nonexistent/binary"}, o).exit_code == 127);
}

/*
 * Long commands (the build, pg_regress) must show their output as it
 * happens: the first line reaches on_line while the child still sleeps,
 * not with the rest when it exits.  A partial last line is delivered too.
 */
BOOST_AUTO_TEST_CASE(run_streams_output_lines_as_they_come)
{
	using Clock = std::chrono::steady_clock;
	pathx::RunOptions o;
	std::vector<std::pair<std::string, Clock::time_point>> seen;

	o.echo = false;
	o.capture = true;
	o.on_line = [&seen](const std::string &line) { seen.emplace_back(line, Clock::now()); };
	pathx::RunResult r = pathx::Run({"sh", "-c", "echo one; sleep 1; echo two; printf three"}, o);

	BOOST_TEST(r.exit_code == 0);
	BOOST_TEST(r.output == "one\ntwo\nthree");
	BOOST_REQUIRE(seen.size() == 3u);
	BOOST_TEST(seen[0].first == "one");
	BOOST_TEST(seen[1].first == "two");
	BOOST_TEST(seen[2].first == "three");
	BOOST_TEST(std::chrono::duration<double>(seen[1].second - seen[0].second).count() > 0.5);
}

BOOST_AUTO_TEST_CASE(port_resolution)
{
	TempDir		d;
	pathx::GlobalOptions g;

	g.home = d.Path();
	{
		EnvVar		e("PATHX_PORT", nullptr);
		pathx::Context ctx(g);

		/* fixed per major version, out of the way of 5432 */
		BOOST_TEST(ctx.Port() == pathx::kPortBase + ctx.MajorVersion());
	}
	{
		EnvVar		e("PATHX_PORT", "30123");
		pathx::Context ctx(g);

		BOOST_TEST(ctx.Port() == 30123);
		g.port = 30124;
		BOOST_TEST(pathx::Context(g).Port() == 30124);	/* the option wins */
		g.port = 0;
	}
	{
		EnvVar		e("PATHX_PORT", "80x");

		BOOST_CHECK_THROW(pathx::Context{g}, pathx::CliError);
	}
}

BOOST_AUTO_TEST_CASE(conninfo_quotes_paths)
{
	TempDir		d;
	pathx::GlobalOptions g;

	g.home = d.Path() + "/a b'c";
	g.port = 30001;
	pathx::Context ctx(g);

	BOOST_TEST(ctx.Conninfo().find("host='" + d.Path() + "/a b\\'c'") != std::string::npos);
	BOOST_TEST(ctx.Conninfo().find("port=30001") != std::string::npos);
	g.home = "/tmp/" + std::string(120, 'x');
	BOOST_CHECK_THROW(pathx::Context{g}, pathx::CliError);	/* socket path too long */
}

BOOST_AUTO_TEST_CASE(regress_output_parsing)
{
	std::string out = "test edge_cases                   ... ok           52 ms\n"
		"test operators                    ... FAILED      381 ms\n"
		"test options                      ... ok          282 ms\n"
		" 1 of 3 tests failed. \n";
	std::vector<std::string> failed = pathx::FailedRegressTests(out);

	BOOST_TEST(failed.size() == 1u);
	BOOST_TEST(failed.at(0) == "operators");

	std::string diffs = "diff -U3 /r/expected/operators.out /h/results/operators.out\n"
		"--- /r/expected/operators.out\n+++ /h/results/operators.out\n@@ -1 +1 @@\n-a\n+b\n"
		"diff -U3 /r/expected/options.out /h/results/options.out\n@@ -2 +2 @@\n-c\n+d\n";
	auto		split = pathx::SplitRegressionDiffs(diffs);

	BOOST_TEST(split.size() == 2u);
	BOOST_TEST(split["operators"].find("+b") != std::string::npos);
	BOOST_TEST(split["operators"].find("+d") == std::string::npos);
	BOOST_TEST(split["options"].find("+d") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(thousands_and_progress)
{
	BOOST_TEST(pathx::Thousands(0) == "0");
	BOOST_TEST(pathx::Thousands(999) == "999");
	BOOST_TEST(pathx::Thousands(1234567) == "1,234,567");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_cluster)

BOOST_AUTO_TEST_CASE(version_and_exit_codes_in_help)
{
	std::ifstream control(std::string(std::getenv("PATHX_ROOT")) + "/extension/jsonb_pathx.control");
	std::string line,
				version;

	while (std::getline(control, line))
		if (line.rfind("default_version", 0) == 0)
			version = line.substr(line.find('\'') + 1, line.rfind('\'') - line.find('\'') - 1);
	BOOST_REQUIRE(!version.empty());
	CliRun		v = pathx_test::RunPathx({"--version"});

	BOOST_TEST(v.exit_code == 0);
	BOOST_TEST(v.output == "pathx (jsonb_pathx " + version + ")\n");

	CliRun		help = pathx_test::RunPathx({"--help"});

	BOOST_TEST(help.exit_code == 0);
	for (const char *code : {"0 success", "1 the command failed", "2 bad command line", "3 pathx status"})
		BOOST_TEST(help.Says(code), code);
	CliRun		bad = pathx_test::RunPathx({"--no-such-option"});

	BOOST_TEST(bad.exit_code == 2);
}

/*
 * pathx up --set writes NAME = 'VALUE' into pathx.conf: a name that is
 * not a setting's spelling (spaces, '=', a newline that would add a line
 * of configuration) is refused before anything is created.
 */
BOOST_AUTO_TEST_CASE(up_set_refuses_what_is_not_a_setting_name)
{
	TempDir		d;

	for (const char *bad : {"no_equals", "=1", "bad name=1", "a\nport=1=2", "1st=x", "work_mem=1\nport=1"})
	{
		CliRun		r = RunPathx({"up", "--home", d.Path() + "/home", "--no-build", "--set", bad});

		BOOST_TEST(r.exit_code == 2, bad);
		BOOST_TEST(r.Says("--set wants NAME=VALUE"), r.output);
		BOOST_TEST(access((d.Path() + "/home").c_str(), F_OK) != 0, bad);
	}
}

BOOST_AUTO_TEST_CASE(help_on_every_command)
{
	for (const char *cmd : {"doctor", "up", "down", "status", "psql", "logs", "destroy", "regress", "demo",
		 "gen", "load", "bench", "paths", "explain"})
	{
		CliRun		r = RunPathx({cmd, "--help"});

		BOOST_TEST_CONTEXT(cmd)
		{
			/* psql passes --help to psql itself, which needs no server for it */
			BOOST_TEST(r.exit_code == 0);
			BOOST_TEST((r.Says("Usage") || r.Says("usage")));
		}
	}
	BOOST_TEST(RunPathx({}).exit_code != 0);
	BOOST_TEST(RunPathx({"no-such-command"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(doctor_passes_here_and_names_fixes)
{
	/* its own home and a free port: a dev cluster of the user's may hold the default one */
	DevHome		h;
	CliRun		ok = h.Pathx({"doctor"});

	BOOST_TEST(ok.exit_code == 0, ok.output);
	BOOST_TEST(ok.Says("pg_regress"));

	CliRun		bad = RunPathx({"--pg-config", "/nonexistent/pg_config", "doctor"});

	BOOST_TEST(bad.exit_code == 1);
	BOOST_TEST(bad.Says("FAIL  pg_config"));
	BOOST_TEST(bad.Says("apt-get install -y postgresql-15 postgresql-server-dev-15"));
}

BOOST_AUTO_TEST_CASE(missing_pg_config_is_a_clear_error)
{
	DevHome		h;
	CliRun		r = h.Pathx({"--pg-config", "/nonexistent/pg_config", "up"});

	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("pg_config not found"), r.output);
	BOOST_TEST(r.Says("fix:"));
	BOOST_TEST(access(h.home.c_str(), F_OK) != 0);	/* nothing was created */
}

BOOST_AUTO_TEST_CASE(up_status_psql_regress_down_destroy)
{
	DevHome		h;

	auto		t0 = std::chrono::steady_clock::now();
	CliRun		up = h.Pathx({"up", "--no-build"});
	double		first_up = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

	BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output);
	BOOST_TEST(up.Says("Ready"));
	BOOST_TEST_MESSAGE("pathx up on a built tree with no cluster: " << first_up << " s");

	/* private home and data directory, owned by whoever runs the server */
	BOOST_TEST(Mode(h.home) == 0700);
	BOOST_TEST(Mode(h.home + "/data") == 0700);
	BOOST_TEST(Mode(h.home + "/password") == 0600);

	CliRun		st = h.Pathx({"status"});

	BOOST_TEST(st.exit_code == 0, st.output);
	BOOST_TEST(st.Says("running"));
	BOOST_TEST(st.Says("port:       " + h.port));
	BOOST_TEST(st.Says("in database pathx 0."));

	/* the same facts for scripts */
	CliRun		sj = h.Pathx({"status", "--json"});

	BOOST_TEST(sj.exit_code == 0, sj.output);
	nlohmann::json j = nlohmann::json::parse(sj.output);

	BOOST_TEST(j.at("cluster").get<std::string>() == "running");
	BOOST_TEST(std::to_string(j.at("port").get<int>()) == h.port);
	BOOST_TEST(j.at("pid").get<long>() > 0);
	BOOST_TEST(j.at("extension_installed").get<std::string>() == j.at("extension_built").get<std::string>());
	BOOST_TEST(j.at("home").get<std::string>() == h.home);

	/* up again: safe, says so, builds nothing */
	CliRun		again = h.Pathx({"up"});

	BOOST_TEST(again.exit_code == 0, again.output);
	BOOST_TEST(again.Says("already up"));
	/* no rebuild unless the installed files differ from this checkout's build */
	BOOST_TEST((again.Says("nothing changed") || again.Says("Installed jsonb_pathx")));
	BOOST_TEST(!again.Says("initdb"));

	CliRun		q = h.Pathx({"psql", "-At", "-c", "SELECT 40 + 2, current_setting('listen_addresses')"});

	BOOST_TEST(q.exit_code == 0, q.output);
	BOOST_TEST(q.Says("42|127.0.0.1"));
	CliRun		ext = h.Pathx({"psql", "-At", "-c", "SELECT count(*) FROM pg_extension WHERE extname = 'jsonb_pathx'"});

	BOOST_TEST(ext.Says("1"));
	BOOST_TEST(h.Pathx({"psql", "-c", "SELECT no_such_column"}).exit_code != 0);

	/* TCP needs the password; with it, scram works */
	std::ifstream pw(h.home + "/password");
	std::string password;

	std::getline(pw, password);
	BOOST_CHECK_THROW(pqxx::connection("host=127.0.0.1 port=" + h.port + " user=postgres password=wrong dbname=pathx"),
					  pqxx::broken_connection);
	pqxx::connection tcp("host=127.0.0.1 port=" + h.port + " user=postgres dbname=pathx password=" + password);
	pqxx::work	w(tcp);

	BOOST_TEST(w.exec1("SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND auth_method <> 'scram-sha-256'")[0].as<int>() == 0);
	w.abort();

	/* loopback only, even when someone widens it with ALTER SYSTEM */
	BOOST_TEST(h.Pathx({"psql", "-c", "ALTER SYSTEM SET listen_addresses = '*'"}).exit_code == 0);
	BOOST_TEST(h.Pathx({"down"}).exit_code == 0);
	CliRun		restarted = h.Pathx({"up", "--no-build"});

	BOOST_TEST(restarted.exit_code == 0, restarted.output);
	BOOST_TEST(h.Pathx({"psql", "-At", "-c", "SHOW listen_addresses"}).output == "127.0.0.1\n");

	CliRun		logs = h.Pathx({"logs", "-n", "5"});

	BOOST_TEST(logs.exit_code == 0);
	BOOST_TEST(logs.Says("UTC"));

	CliRun		reg = h.Pathx({"regress", "edge_cases"});

	BOOST_TEST(reg.exit_code == 0, reg.output);
	BOOST_TEST(reg.Says("edge_cases"));
	BOOST_TEST(reg.Says("Passed 1"));
	CliRun		unknown = h.Pathx({"regress", "no_such_test"});

	BOOST_TEST(unknown.exit_code == 2);
	BOOST_TEST(unknown.Says("edge_cases, "));

	CliRun		down = h.Pathx({"down"});

	BOOST_TEST(down.exit_code == 0, down.output);
	CliRun		st2 = h.Pathx({"status"});

	BOOST_TEST(st2.exit_code == 3);
	BOOST_TEST(st2.Says("stopped"));
	CliRun		sj2 = h.Pathx({"status", "--json"});

	BOOST_TEST(sj2.exit_code == 3);
	BOOST_TEST(nlohmann::json::parse(sj2.output).at("cluster").get<std::string>() == "stopped");
	BOOST_TEST(nlohmann::json::parse(sj2.output).at("pid").is_null());
	BOOST_TEST(h.Pathx({"psql", "-c", "SELECT 1"}).exit_code == 1);
	BOOST_TEST(h.Pathx({"down"}).Says("not running"));

	/* destroy refuses without a terminal or --yes */
	CliRun		refuse = h.Pathx({"destroy"});

	BOOST_TEST(refuse.exit_code == 2);
	BOOST_TEST(access(h.home.c_str(), F_OK) == 0);
	CliRun		gone = h.Pathx({"destroy", "--yes"});

	BOOST_TEST(gone.exit_code == 0, gone.output);
	BOOST_TEST(access(h.home.c_str(), F_OK) != 0);
}

/*
 * The harness options of pathx up: the socket only, a bare cluster, and a
 * --set value with a quote and a backslash reaching the server as given
 * (pathx.conf reads a backslash as an escape); then a crash-like stop.
 */
BOOST_AUTO_TEST_CASE(up_socket_only_bare_with_settings)
{
	DevHome		h;
	CliRun		up = h.Pathx({"up", "--no-build", "--no-database", "--socket-only",
		"--set", "cluster_name=it's a\\b", "--set", "work_mem=5MB"});

	BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output);
	CliRun		q = h.Pathx({"psql", "-d", "postgres", "-At", "-c",
		"SELECT current_setting('cluster_name') || '|' || current_setting('work_mem') || '|' || "
		"current_setting('listen_addresses') || '|' || (SELECT count(*) FROM pg_database WHERE datname = 'pathx')"});

	BOOST_TEST(q.exit_code == 0, q.output);
	BOOST_TEST(q.Says("it's a\\b|5MB||0"), q.output);
	CliRun		down = h.Pathx({"down", "--immediate"});

	BOOST_TEST(down.exit_code == 0, down.output);
	BOOST_TEST(down.Says("immediately"), down.output);
}

BOOST_AUTO_TEST_CASE(taken_port_names_its_holder)
{
	DevHome		h;
	/* CLOEXEC: the holder is this process, not also the pathx it starts */
	int			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in addr{};

	addr.sin_family = AF_INET;
	addr.sin_port = htons(static_cast<uint16_t>(std::stoi(h.port)));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	BOOST_REQUIRE(bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0);
	BOOST_REQUIRE(listen(fd, 1) == 0);

	CliRun		r = h.Pathx({"up", "--no-build"});

	close(fd);
	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("port " + h.port + " on 127.0.0.1 is already in use"), r.output);
	BOOST_TEST(r.Says("pid " + std::to_string(getpid())), r.output);
	BOOST_TEST(r.Says("pathx up --port"));
	BOOST_TEST(pathx::PortHolder(std::stoi(h.port)).empty());
}

BOOST_AUTO_TEST_SUITE_END()
