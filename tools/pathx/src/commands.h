/*
 * commands.h
 *	  One setup function per subcommand, each in its own cmd_<name>.cpp.
 *
 * Setup<Name>(app, globals) adds the subcommand, its options and a
 * callback to the top-level CLI11 app; the callback builds a Context from
 * the global options, does the work, and reports failure by throwing
 * CliError (or a pqxx / std exception), which main() prints.  A callback
 * that wants a non-zero exit without an error message throws
 * CLI::RuntimeError(code).
 */
#ifndef PATHX_CLI_COMMANDS_H
#define PATHX_CLI_COMMANDS_H

namespace CLI
{
class App;
}

namespace pathx
{

struct GlobalOptions;

void		SetupDoctor(CLI::App &app, const GlobalOptions &globals);
void		SetupClusterCommands(CLI::App &app, const GlobalOptions &globals); /* up down status psql logs destroy */
void		SetupRegress(CLI::App &app, const GlobalOptions &globals);
void		SetupDemo(CLI::App &app, const GlobalOptions &globals);
void		SetupGen(CLI::App &app, const GlobalOptions &globals);
void		SetupLoad(CLI::App &app, const GlobalOptions &globals);
void		SetupBench(CLI::App &app, const GlobalOptions &globals);
void		SetupPaths(CLI::App &app, const GlobalOptions &globals);
void		SetupExplain(CLI::App &app, const GlobalOptions &globals);

}							/* namespace pathx */

#endif							/* PATHX_CLI_COMMANDS_H */
