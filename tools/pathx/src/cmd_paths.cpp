/*
 * cmd_paths.cpp
 *	  pathx paths: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupPaths(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("paths", "path profile (not built yet)");

	cmd->callback([]() { throw CliError("pathx paths is not built yet"); });
}

}							/* namespace pathx */
