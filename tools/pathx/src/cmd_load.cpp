/*
 * cmd_load.cpp
 *	  pathx load: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupLoad(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("load", "load NDJSON or a JSON array (not built yet)");

	cmd->callback([]() { throw CliError("pathx load is not built yet"); });
}

}							/* namespace pathx */
