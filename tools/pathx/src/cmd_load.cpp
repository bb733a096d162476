/*
 * cmd_load.cpp
 *	  pathx load FILE --table T: NDJSON or a JSON array into a jsonb column.
 *
 * The work is in loader.cpp (COPY in savepointed batches, one transaction)
 * and json_stream.cpp (the streaming splitter); this file parses the
 * command line, opens the input before connecting (a typo in the path
 * should not wait for a server), and reports.
 */
#include "commands.h"
#include "context.h"
#include "loader.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <memory>

namespace pathx
{

namespace
{

struct LoadCommandOptions
{
	std::string file;
	LoadOptions load;
};

void
RunLoad(const GlobalOptions &globals, const LoadCommandOptions &o)
{
	Context		ctx(globals);
	FileSource	source(o.file);
	std::string conninfo = TargetConninfo(ctx);
	std::unique_ptr<pqxx::connection> conn;

	try
	{
		conn = std::make_unique<pqxx::connection>(conninfo);
	}
	catch (const pqxx::broken_connection &e)
	{
		throw CliError(std::string("cannot connect to the database: ") + e.what(),
					   "check --conninfo / PATHX_CONNINFO, or run `pathx up` for the dev cluster");
	}
	Step("Loading", source.Name() + " into " + o.load.table + "(" + o.load.column + ")");

	LoadResult	result = LoadDocuments(*conn, source, o.load);
	std::string reason = source.Format() == StreamFormat::Array ? "an empty JSON array"
		: source.Total() == 0 && o.file != "-" ? "the file is empty" : "only white space";

	ReportLoad(result, o.load, source.Name(), reason);
}

}							/* namespace */

void
SetupLoad(CLI::App &app, const GlobalOptions &globals)
{
	auto		o = std::make_shared<LoadCommandOptions>();
	CLI::App   *cmd = app.add_subcommand("load", "Load NDJSON or a JSON array into a jsonb column with COPY");

	cmd->description(
		"Load NDJSON (one document per line) or one JSON array of documents into TABLE(COLUMN)\n"
		"with COPY, streamed (any file size, little memory), in one transaction: an invalid\n"
		"document stops the load with its line number and nothing loaded, unless --skip-invalid.\n"
		"Validity is decided by the server's jsonb parser.  The format is detected from the\n"
		"first non-blank byte ('[' means an array).  Targets the dev cluster unless --conninfo.");
	cmd->add_option("file", o->file, "File to load; - reads standard input")->required();
	cmd->add_option("--table,-t", o->load.table,
					"Target table (schema.table allowed; double quotes keep upper case)")->required();
	cmd->add_option("--column,-c", o->load.column, "Target jsonb column")->capture_default_str();
	cmd->add_flag("--skip-invalid", o->load.skip_invalid,
				  "Skip documents the server rejects, list the first 10 and count the rest");
	/* A fresh dev database has no tables: creating one is the common case. */
	o->load.create = true;
	cmd->add_flag("--create,!--no-create", o->load.create,
				  "Create the table as TABLE (id bigserial primary key, COLUMN jsonb) if it does not exist "
				  "(the default; --no-create makes a missing table an error)");
	cmd->add_option("--batch-rows", o->load.batch_rows, "Documents per COPY batch (savepoint)")->capture_default_str()
		->check(CLI::Range(1, 1000000))->group("");
	cmd->footer(
		"\nExamples:\n"
		"  pathx gen orders --rows 100000 --out orders.ndjson\n"
		"  pathx load orders.ndjson --table orders\n"
		"  pathx load export.json --table staging.events --column payload --skip-invalid\n"
		"  zcat dump.ndjson.gz | pathx load - --table orders\n");
	cmd->callback([&globals, o]() { RunLoad(globals, *o); });
}

}							/* namespace pathx */
