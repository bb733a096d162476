/*
 * cmd_gen.cpp
 *	  pathx gen orders: the deterministic order data set as NDJSON or a
 *	  JSON array.
 *
 * Documents come from GenerateOrder() (orders_gen.cpp), a pure function of
 * (seed, id, rows), so the same options always give the same bytes.  To a
 * file, the output is written under a temporary name and renamed at the
 * end: an interrupted run never leaves a file that looks complete.  To
 * standard output nothing but the data is written (it is usually piped).
 */
#include "commands.h"
#include "context.h"
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
	long		rows = 200000;
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

void
RunGen(const GenOptions &o)
{
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
			chunk += GenerateOrder(o.seed, id, o.rows);
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
		Step("Wrote", o.out + ": " + Thousands(static_cast<std::uint64_t>(o.rows)) + " orders (" +
			 (array ? "JSON array" : "NDJSON") + ", seed " + std::to_string(o.seed) + "), " +
			 Thousands(bytes) + " bytes");
	}
}

}							/* namespace */

void
SetupGen(CLI::App &app, const GlobalOptions &)
{
	auto		o = std::make_shared<GenOptions>();
	CLI::App   *cmd = app.add_subcommand("gen", "Generate the deterministic orders data set (NDJSON or a JSON array)");

	cmd->description(
		"Generate realistic order documents, deterministic: the same --seed and --rows always\n"
		"give the same bytes, and document i does not depend on the others.  The data set is\n"
		"the benchmark's (status, total, created_at, user, items, tags, coupon, shipping with\n"
		"documented shares), plus rarer fields: geo, sparse flags, long-tail attr_<k> keys,\n"
		"long notes and deeply nested meta objects.  Writes to standard output unless --out.");
	cmd->add_option("dataset", o->dataset, "Data set to generate (orders)")
		->required()->check(CLI::IsMember({"orders"}));
	cmd->add_option("--rows,-n", o->rows, "Number of documents")->capture_default_str()->check(CLI::Range(0L, 2000000000L));
	cmd->add_option("--seed,-s", o->seed, "Seed; every seed is a different data set")->capture_default_str();
	cmd->add_option("--out,-o", o->out, "Output file (written under FILE.tmp, renamed when complete); shows progress");
	cmd->add_option("--format,-f", o->format, "ndjson (one document per line) or array (one JSON array)")->capture_default_str()
		->check(CLI::IsMember({"ndjson", "array"}));
	cmd->footer(
		"\nExamples:\n"
		"  pathx gen orders --rows 100000 --out orders.ndjson\n"
		"  pathx gen orders --rows 1000 --seed 7 --format array > orders.json\n"
		"  pathx gen orders --rows 50000 | pathx load - --table orders --create\n");
	cmd->callback([o]() { RunGen(*o); });
}

}							/* namespace pathx */
