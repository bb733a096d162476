/* placeholder, replaced by the cluster commands */
#include "commands.h"
#include "context.h"
#include "ui.h"

#include <CLI/CLI.hpp>

namespace pathx
{
void
SetupClusterCommands(CLI::App &app, const GlobalOptions &)
{
	app.add_subcommand("up", "start the dev cluster (not built yet)")->callback([]() { throw CliError("not built yet"); });
}
void
EnsureUp(const Context &)
{
	throw CliError("pathx up is not built yet");
}
bool
ClusterRunning(const Context &)
{
	return false;
}
}
