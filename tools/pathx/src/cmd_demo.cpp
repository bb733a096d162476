/*
 * cmd_demo.cpp
 *	  pathx demo: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupDemo(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("demo", "demo (not built yet)");

	cmd->callback([]() { throw CliError("pathx demo is not built yet"); });
}

}							/* namespace pathx */
