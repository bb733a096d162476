/*
 * cmd_load.cpp
 *	  pathx load FILE --table T: NDJSON or a JSON array into a jsonb column.
 *
 * The work is in loader.cpp (COPY in savepointed batches, one transaction)
 * and json_stream.cpp (the streaming splitter); this file parses the
 * command line, opens the input and decides its format before connecting
 * (a typo in the path or an input that needs --format should not wait for
 * a server), and reports.  --rejects implies --skip-invalid: the file is
 * renamed into place only once the load has committed.
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
	std::string format = "auto";
	std::string rejects;
	LoadOptions load;
};

void
RunLoad(const GlobalOptions &globals, const LoadCommandOptions &o)
{
	Context		ctx(globals);
	FormatChoice format = FormatChoice::Auto;
	LoadOptions load = o.load;

	ParseFormatChoice(o.format, &format);	/* CLI11 checked the name */
	FileSource	source(o.file, format);

	source.Start();

	std::unique_ptr<RejectsFile> rejects;

	if (!o.rejects.empty())
	{
		rejects = std::make_unique<RejectsFile>(o.rejects);
		load.rejects = rejects.get();
		load.skip_invalid = true;
	}
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
	Step("Loading", source.Name() + " (" + StreamFormatName(source.Format()) + ") into " + o.load.table + "(" +
		 o.load.column + ")");

	LoadResult	result = LoadDocuments(*conn, source, load);

	if (rejects)
		rejects->Commit();
	std::string reason = source.Format() == StreamFormat::Array ? "an empty JSON array"
		: source.Total() == 0 && o.file != "-" ? "the file is empty" : "only white space";

	ReportLoad(result, load, source.Name(), reason);
}

}							/* namespace */

void
SetupLoad(CLI::App &app, const GlobalOptions &globals)
{
	auto		o = std::make_shared<LoadCommandOptions>();
	CLI::App   *cmd = app.add_subcommand("load", "Load NDJSON or a JSON array into a jsonb column with COPY");

	cmd->description(
		"Load NDJSON (one document per line) or one JSON array of documents into TABLE(COLUMN)\n"
		"with COPY, streamed (any file size, little memory), in one transaction.  A document the\n"
		"server rejects stops the load with its position (document number, line, byte offset)\n"
		"and the server's message, nothing loaded, unless --skip-invalid or --rejects; a row a\n"
		"constraint or trigger refuses always stops it, named the same way.  Validity is decided\n"
		"by the server's jsonb parser.  --format auto reads NDJSON unless the input starts with\n"
		"'['; then an array still open at the end of its first line is a JSON array, one followed\n"
		"by more text is NDJSON, and a file that is one line holding one array ([1,2]: one row or\n"
		"two?) is refused until --format says which.  Targets the dev cluster unless --conninfo.");
	cmd->add_option("file", o->file, "File to load; - reads standard input")->required();
	cmd->add_option("--table,-t", o->load.table,
					"Target table (schema.table allowed; double quotes keep upper case)")->required();
	cmd->add_option("--column,-c", o->load.column, "Target jsonb column")->capture_default_str();
	cmd->add_option("--format,-f", o->format,
					"auto, ndjson (every line one document, arrays too) or array (one JSON array "
					"whose elements are the documents)")
		->capture_default_str()->check(CLI::IsMember({"auto", "ndjson", "array"}));
	cmd->add_flag("--skip-invalid", o->load.skip_invalid,
				  "Skip documents the column's type rejects (invalid JSON or encoding, too deep or "
				  "large: SQLSTATE classes 22 and 54), list the first 10 and count the rest; "
				  "constraint and trigger errors still stop the load");
	cmd->add_option("--rejects", o->rejects,
					"Implies --skip-invalid: write every skipped document to FILE, one JSON record a line "
					"(document, element, line, byte_offset, sqlstate, message, text; text_hex when "
					"the text is not UTF-8).  Written to a new file (mode 0600) next to FILE and renamed "
					"over FILE once the load has committed: an existing FILE, or a link by that name, is "
					"replaced, never written through; a failed load leaves FILE as it was")
		->type_name("FILE");
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
		"  pathx load dirty.ndjson --table orders --rejects rejects.ndjson\n"
		"  pathx load one-line-export.json --table orders --format array\n"
		"  zcat dump.ndjson.gz | pathx load - --table orders\n");
	cmd->callback([&globals, o]() { RunLoad(globals, *o); });
}

}							/* namespace pathx */
