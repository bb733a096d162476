/*
 * cmd_doctor.cpp
 *	  pathx doctor: placeholder until the command lands (fails loudly).
 */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{

void
SetupDoctor(CLI::App &app, const GlobalOptions &)
{
	CLI::App   *cmd = app.add_subcommand("doctor", "check the toolchain (not built yet)");

	cmd->callback([]() { throw CliError("pathx doctor is not built yet"); });
}

}							/* namespace pathx */
