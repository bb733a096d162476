/*
 * cmd_explain.cpp
 *	  pathx explain: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupExplain(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("explain", "plan and index keys (not built yet)");

	cmd->callback([]() { throw CliError("pathx explain is not built yet"); });
}

}							/* namespace pathx */
