/*
 * cmd_gen.cpp
 *	  pathx gen orders|events: the deterministic data sets as NDJSON or a
 *	  JSON array.
 *
 * Documents come from GenerateOrder() (orders_gen.cpp: small orders, the
 * benchmark's default) or GenerateEvent() (events_gen.cpp: webhook
 * payloads of about 10 KB, stored TOASTed), pure functions of (seed, id,
 * rows), so the same options always give the same bytes.  To a
 * file, the output is written under a temporary name and renamed at the
 * end: an interrupted run never leaves a file that looks complete.  To
 * standard output nothing but the data is written (it is usually piped).
 */
#include "commands.h"
#include "context.h"
#include "events_gen.h"
#include "orders_gen.h"
#include "ui.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace pathx
{

namespace
{

struct GenOptions
{
	std::string dataset;
	long		rows = -1;		/* not given: the data set's default */
	std::uint64_t seed = 42;
	std::string out;
	std::string format = "ndjson";
};

void
WriteAll(std::FILE *f, const std::string &s, const std::string &name)
{
	if (std::fwrite(s.data(), 1, s.size(), f) != s.size())
		throw CliError("cannot write " + name + ": " + std::strerror(errno),
					   "check the free space and the permissions");
}

/*
 * What a data set is: its generator, its noun and the default row count.
 * Events are 15 times larger than orders, so their default file is about
 * 200 MB rather than 2 GB.
 */
struct DataSet
{
	std::string (*generate) (std::uint64_t seed, long id, long rows);
	const char *noun;
	long		default_rows;
};

DataSet
FindDataSet(const std::string &name)
{
	if (name == "events")
		return DataSet{GenerateEvent, "events", 20000};
	return DataSet{GenerateOrder, "orders", 200000};
}

void
RunGen(GenOptions o)
{
	DataSet		set = FindDataSet(o.dataset);

	if (o.rows < 0)
		o.rows = set.default_rows;

	bool		to_file = !o.out.empty() && o.out != "-";
	std::string tmp = o.out + ".tmp";
	std::string name = to_file ? o.out : "standard output";
	std::FILE  *f = stdout;
	bool		array = o.format == "array";
	std::uint64_t bytes = 0;

	if (to_file)
	{
		f = std::fopen(tmp.c_str(), "wb");
		if (f == nullptr)
			throw CliError("cannot create " + tmp + ": " + std::strerror(errno),
						   "check that the directory exists and is writable");
	}
	std::unique_ptr<Progress> progress;

	if (to_file)
		progress = std::make_unique<Progress>("Generating", static_cast<std::uint64_t>(o.rows), "docs");
	try
	{
		std::string chunk;

		chunk.reserve(1 << 20);
		if (array)
			chunk += o.rows > 0 ? "[\n" : "[]\n";
		for (long id = 1; id <= o.rows; id++)
		{
			chunk += set.generate(o.seed, id, o.rows);
			if (array)
				chunk += id < o.rows ? ",\n" : "\n]\n";
			else
				chunk += '\n';
			if (chunk.size() >= (1 << 20) || id == o.rows)
			{
				WriteAll(f, chunk, name);
				bytes += chunk.size();
				chunk.clear();
				if (progress)
					progress->Update(static_cast<std::uint64_t>(id));
			}
		}
		if (!chunk.empty())
		{
			WriteAll(f, chunk, name);
			bytes += chunk.size();
		}
		if (std::fflush(f) != 0)
			throw CliError("cannot write " + name + ": " + std::strerror(errno),
						   "check the free space and the permissions");
	}
	catch (...)
	{
		if (to_file)
		{
			std::fclose(f);
			std::remove(tmp.c_str());
		}
		throw;
	}
	if (to_file)
	{
		if (std::fclose(f) != 0)
		{
			std::remove(tmp.c_str());
			throw CliError("cannot write " + o.out + ": " + std::strerror(errno),
						   "check the free space and the permissions");
		}
		if (std::rename(tmp.c_str(), o.out.c_str()) != 0)
			throw CliError("cannot rename " + tmp + " to " + o.out + ": " + std::strerror(errno));
		progress->Finish();
		Step("Wrote", o.out + ": " + Thousands(static_cast<std::uint64_t>(o.rows)) + " " + set.noun + " (" +
			 (array ? "JSON array" : "NDJSON") + ", seed " + std::to_string(o.seed) + "), " +
			 Thousands(bytes) + " bytes");
	}
}

}							/* namespace */

void
SetupGen(CLI::App &app, const GlobalOptions &)
{
	auto		o = std::make_shared<GenOptions>();
	CLI::App   *cmd = app.add_subcommand("gen", "Generate a deterministic data set, orders or events (NDJSON or a JSON array)");

	cmd->description(
		"Generate realistic documents, deterministic: the same --seed and --rows always give\n"
		"the same bytes, and document i does not depend on the others.  Writes to standard\n"
		"output unless --out.\n"
		"  orders  the benchmark's default data set, ~650 bytes each: status, total,\n"
		"          created_at, user, items, tags, coupon, shipping with documented shares,\n"
		"          plus rarer fields: geo, sparse flags, long-tail attr_<k> keys, long notes\n"
		"          and deeply nested meta objects\n"
		"  events  GitHub-like webhook payloads of 6-14 KB (about 10 KB, stored TOASTed):\n"
		"          action, repository with owner, sender, pull_request or issue with labels,\n"
		"          assignees, head/base refs, milestone and a long markdown body; the\n"
		"          queries for it are in tools/bench/events.queries");
	cmd->add_option("dataset", o->dataset, "Data set to generate: orders or events")
		->required()->check(CLI::IsMember({"orders", "events"}));
	cmd->add_option("--rows,-n", o->rows, "Number of documents (default: 200000 orders, 20000 events)")
		->check(CLI::Range(0L, 2000000000L));
	cmd->add_option("--seed,-s", o->seed, "Seed; every seed is a different data set")->capture_default_str();
	cmd->add_option("--out,-o", o->out, "Output file (written under FILE.tmp, renamed when complete); shows progress");
	cmd->add_option("--format,-f", o->format, "ndjson (one document per line) or array (one JSON array)")->capture_default_str()
		->check(CLI::IsMember({"ndjson", "array"}));
	cmd->footer(
		"\nExamples:\n"
		"  pathx gen orders --rows 100000 --out orders.ndjson\n"
		"  pathx gen orders --rows 1000 --seed 7 --format array > orders.json\n"
		"  pathx gen orders --rows 50000 | pathx load - --table orders --create\n"
		"  pathx gen events --rows 20000 --out events.ndjson\n"
		"  pathx bench --data events.ndjson --queries tools/bench/events.queries\n");
	cmd->callback([o]() { RunGen(*o); });
}

}							/* namespace pathx */
