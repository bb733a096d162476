/*
 * cmd_bench.cpp
 *	  pathx bench: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupBench(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("bench", "benchmark (not built yet)");

	cmd->callback([]() { throw CliError("pathx bench is not built yet"); });
}

}							/* namespace pathx */
