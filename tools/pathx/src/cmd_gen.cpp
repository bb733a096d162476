/*
 * cmd_gen.cpp
 *	  pathx gen: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupGen(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("gen", "generate a deterministic data set (not built yet)");

	cmd->callback([]() { throw CliError("pathx gen is not built yet"); });
}

}							/* namespace pathx */
