/*
 * data_files.cpp
 *	  The documents a benchmark run loads: generated orders, or a user's
 *	  file (--data).
 *
 * Both come through the loader's DocumentSource, so the benchmark reads
 * what `pathx load` reads: GeneratorSource for orders (document i depends
 * only on seed, i and rows, so the extra rows of the insert test come from
 * the same definition), and for a file the loader's JsonDocumentSplitter,
 * which tracks strings, escapes and bracket nesting and refuses a broken
 * array (truncated, mismatched brackets, text after the closing ']')
 * instead of guessing where the next document starts.
 *
 * A file's format is decided by its first character that is not white
 * space, '[' for an array and anything else for NDJSON, rather than by the
 * splitter's auto mode: `pathx bench --data` has no --format to settle a
 * one-line array that auto would find ambiguous.
 *
 * Whether a document is valid JSON is the server's call: COPY rejects it,
 * and the message names the document by its number in the file, taken
 * from COPY's error context and the chunk it was in.
 */
#include "bench/bench_internal.h"

#include "json_stream.h"
#include "status_lines.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <tuple>

namespace pathx::bench
{

namespace
{

/* A data file through the loader's splitter; its errors become BenchError naming the file. */
class DataFileSource : public DocumentSource
{
public:
	DataFileSource(std::unique_ptr<std::ifstream> in, const std::string &path, FormatChoice format,
				   std::uint64_t size)
		: in_(std::move(in)), path_(path), size_(size),
		  splitter_([this](char *buf, std::size_t cap) { return Read(buf, cap); }, 1 << 20, format)
	{
	}

	bool		Next(std::string &doc, DocumentPosition &pos) override
	{
		try
		{
			return splitter_.Next(doc, pos);
		}
		catch (const JsonStreamError &e)
		{
			throw BenchError(path_ + ": " + e.what(),
							 "repair the file: a JSON array must be complete, with nothing after its "
							 "closing ']'; NDJSON holds one document per line");
		}
	}
	std::uint64_t Done() const override { return splitter_.BytesConsumed(); }
	std::uint64_t Total() const override { return size_; }
	std::string Unit() const override { return "bytes"; }
	std::string Name() const override { return path_; }

private:
	std::size_t Read(char *buf, std::size_t cap)
	{
		in_->read(buf, static_cast<std::streamsize>(cap));
		if (in_->bad())
			throw BenchError("could not read the data file " + path_ + ": " + std::strerror(errno));
		return static_cast<std::size_t>(in_->gcount());
	}

	std::unique_ptr<std::ifstream> in_;
	std::string path_;
	std::uint64_t size_;
	JsonDocumentSplitter splitter_;
};

}							/* namespace */

std::unique_ptr<DocumentSource>
OpenDataFile(const std::string &path)
{
	auto		in = std::make_unique<std::ifstream>(path, std::ios::binary | std::ios::ate);

	if (!*in)
		throw BenchError("cannot read the data file " + path + ": " + std::strerror(errno),
						 "give an NDJSON file (one document per line) or a JSON array file",
						 BenchError::kUsage);

	std::uint64_t size = static_cast<std::uint64_t>(std::max<std::streamoff>(0, in->tellg()));
	int			first;

	in->seekg(0);
	while ((first = in->peek()) != EOF && std::isspace(first))
		in->get();
	/* from the start again: the splitter counts lines and bytes from there */
	in->clear();
	in->seekg(0);
	return std::make_unique<DataFileSource>(std::move(in), path,
											first == '[' ? FormatChoice::Array : FormatChoice::Ndjson, size);
}

/*
 * Loads the base table with COPY, in chunks of 10,000 documents, each
 * chunk a transaction, with a progress bar.  The server
 * parses the JSON, so a bad document in a data file is reported with its
 * number, taken from COPY's error context.
 */
void
LoadBase(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, const RunOutput &out)
{
	const long	chunk = 10000;
	auto		t0 = Clock::now();
	double		text_bytes = 0;
	bool		file = !opts.data_file.empty();
	std::unique_ptr<DocumentSource> source;
	DocumentPosition pos;
	bool		more = true;
	long		id = 0;

	if (file)
		source = OpenDataFile(opts.data_file);
	else
		source = std::make_unique<GeneratorSource>(opts.seed, opts.rows);
	/* BenchObjects::Claim() dropped a leftover of ours; the mark comes in the same transaction */
	Exec(c, "CREATE TABLE pxb_base (id bigint PRIMARY KEY, doc jsonb NOT NULL); " + MarkTable(c, "pxb_base"));

	Progress	bar(file ? "Loading" : "Generating", file ? 0 : static_cast<std::uint64_t>(opts.rows),
					"documents", out.stream, out.tty);

	while (more)
	{
		long		first = id + 1;
		pqxx::work	w(c);
		pqxx::stream_to s(w, "pxb_base", std::vector<std::string>{"id", "doc"});

		try
		{
			for (long n = 0; n < chunk; n++)
			{
				std::string doc;

				more = source->Next(doc, pos);
				if (!more)
					break;
				id++;
				text_bytes += static_cast<double>(doc.size());
				s << std::make_tuple(id, doc);
			}
			s.complete();
			w.commit();
		}
		catch (const pqxx::data_exception &e)
		{
			std::string msg = e.what();
			size_t		at = msg.find("COPY pxb_base, line ");
			long		line = at == std::string::npos ? 0 : std::atol(msg.c_str() + at + 20);
			std::string first_line = msg.substr(0, msg.find('\n'));

			if (!file)
				throw;
			throw BenchError(opts.data_file + ": document " +
							 (line > 0 ? std::to_string(first + line - 1) : "in " + std::to_string(first) + "-" +
							  std::to_string(id)) + " is not valid JSON: " + first_line,
							 "fix or drop that document; each must be one JSON value (NDJSON: one per line)");
		}
		bar.Update(static_cast<std::uint64_t>(id));
	}
	bar.Finish();
	if (id == 0)
		throw BenchError(opts.data_file + " holds no documents", "give a file with one JSON document per line, "
						 "or one JSON array of documents", BenchError::kUsage);
	report.documents = id;
	Exec(c, "VACUUM ANALYZE pxb_base");
	report.load_s = SecondsSince(t0);
	report.avg_text_bytes = text_bytes / static_cast<double>(id);
	report.avg_doc_bytes = Exec(c, "SELECT avg(pg_column_size(doc)) FROM pxb_base")[0][0].as<double>();
	out.Step("Loaded", Thousands(static_cast<std::uint64_t>(id)) + " documents in " + Fixed(report.load_s, 1) +
			 " s, average " + Fixed(report.avg_doc_bytes, 0) + " bytes stored (" +
			 Fixed(report.avg_text_bytes, 0) + " as JSON text)");
}

}							/* namespace pathx::bench */
