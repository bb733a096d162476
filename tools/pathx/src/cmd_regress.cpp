/*
 * cmd_regress.cpp
 *	  pathx regress: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupRegress(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("regress", "pg_regress (not built yet)");

	cmd->callback([]() { throw CliError("pathx regress is not built yet"); });
}

}							/* namespace pathx */
