/*
 * main.cpp
 *	  pathx: the jsonb_pathx contributor CLI.
 *
 * One CLI11 app with a subcommand per job; each subcommand is set up in
 * its own cmd_<name>.cpp (commands.h).  This file only wires them up and
 * turns every failure into a message and an exit status:
 *
 *   0  success
 *   1  the command failed (CliError, a database error, anything else;
 *      `pathx bench` when strategies counted different rows)
 *   2  bad command line (CLI11's parse errors, CliError with code 2)
 *   3  `pathx status`: the dev cluster is not running
 *
 * The same list is the top-level --help's footer and is in the README.
 * --version names the extension version of the checkout pathx was built
 * from (PATHX_VERSION, set by tools/pathx/Makefile from the control file).
 *
 * Database errors print their SQLSTATE and the statement, since that is
 * what a contributor needs to reproduce them in psql.
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <iostream>

#ifndef PATHX_VERSION
#define PATHX_VERSION "unknown"
#endif

int
main(int argc, char **argv)
{
	CLI::App	app{"pathx: build jsonb_pathx, run a dev cluster, test and benchmark it"};
	pathx::GlobalOptions globals;

	app.set_help_all_flag("--help-all", "Help for every command");
	app.set_version_flag("--version", std::string("pathx (jsonb_pathx ") + PATHX_VERSION + ")",
						 "Print the version and exit");
	app.footer("Exit status: 0 success; 1 the command failed (pathx bench: strategies counted different\n"
			   "rows); 2 bad command line; 3 pathx status: the dev cluster is not running.");
	app.require_subcommand(1);
	app.fallthrough();
	pathx::SetupGlobalOptions(app, globals);

	pathx::SetupDoctor(app, globals);
	pathx::SetupClusterCommands(app, globals);
	pathx::SetupRegress(app, globals);
	pathx::SetupDemo(app, globals);
	pathx::SetupGen(app, globals);
	pathx::SetupLoad(app, globals);
	pathx::SetupBench(app, globals);
	pathx::SetupPaths(app, globals);
	pathx::SetupExplain(app, globals);

	try
	{
		app.parse(argc, argv);
	}
	catch (const CLI::RuntimeError &e)
	{
		/* a command's own non-zero status, already explained on its output */
		return e.get_exit_code();
	}
	catch (const CLI::ParseError &e)
	{
		/* CLI11 prints help or the parse error; any parse error is status 2 */
		return app.exit(e) == 0 ? 0 : 2;
	}
	catch (const pathx::CliError &e)
	{
		std::cerr << "error: " << e.what() << std::endl;
		if (!e.Fix().empty())
			std::cerr << "  fix: " << e.Fix() << std::endl;
		return e.ExitCode();
	}
	catch (const pqxx::broken_connection &e)
	{
		std::cerr << "error: lost the connection to the dev cluster: " << e.what() << std::endl;
		std::cerr << "  fix: pathx status; pathx logs" << std::endl;
		return 1;
	}
	catch (const pqxx::sql_error &e)
	{
		std::cerr << "error: " << e.what();
		if (!e.sqlstate().empty())
			std::cerr << "SQLSTATE: " << e.sqlstate() << std::endl;
		if (!e.query().empty())
			std::cerr << "statement: " << e.query().substr(0, 500) << std::endl;
		return 1;
	}
	catch (const std::exception &e)
	{
		std::cerr << "error: " << e.what() << std::endl;
		return 1;
	}
	return 0;
}
