/*
 * loader.h
 *	  Loading JSON documents into a jsonb column with COPY, all or nothing.
 *
 * LoadDocuments() pulls documents from a DocumentSource (a file through the
 * streaming splitter, or the order generator) and COPYs them into
 * table(column) inside one transaction, so a failed load leaves nothing
 * behind, not even a table it created.
 *
 * Validity is the server's call.  Documents go to the server in batches
 * (a few thousand rows or a few MB), each batch a COPY inside its own
 * SAVEPOINT.  A batch the server accepts costs one round trip.  A batch it
 * rejects with a data error (class 22: invalid JSON, bad encoding, NUL
 * bytes; class 54: too deep or too large) is rolled back to its savepoint
 * and split in halves, recursively, until the offending documents stand
 * alone; so k bad documents in a batch of n cost about 2 k log2(n) small
 * COPYs, and the good ones still go in through COPY.  Without
 * skip_invalid the first bad document (in input order) ends the load with
 * its position and the server's message; with it, bad documents are
 * counted and skipped, and with a RejectsFile each one is written there
 * (text, position, message) as it is found, so none is lost.
 *
 * Errors that one row causes although its document is fine for the column
 * (a CHECK or NOT NULL constraint, a unique key, a trigger's RAISE:
 * classes 23, 44 and P0) are found the same way, by bisection, and end the
 * load even with skip_invalid (the table may be what is wrong), naming the
 * document's position in the input, the server's message and its SQLSTATE.
 * The server's CONTEXT is dropped: its "COPY t, line 2321" counts rows of
 * one COPY, not of the input, and is worded in the server's language.
 * Errors that are about no row (a missing privilege, a full disk, a lost
 * connection) would fail a COPY of one document as well, so they are not
 * bisected: they end the load naming the range of documents the COPY held.
 * A deferred constraint fails at COMMIT, where no document can be named.
 *
 * Memory is one batch of document text plus the source's buffer (which
 * auto's look-ahead may grow to kDefaultProbeLimit), whatever the size of
 * the input.
 */
#ifndef PATHX_CLI_LOADER_H
#define PATHX_CLI_LOADER_H

#include "json_stream.h"

#include <pqxx/connection>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace pathx
{

/* Where documents come from. */
class DocumentSource
{
public:
	virtual ~DocumentSource() = default;

	/* The next document and where it is; false at the end.  May throw. */
	virtual bool Next(std::string &doc, DocumentPosition &pos) = 0;

	/* Progress: how much is done of Total() (0 when unknown), in Unit(). */
	virtual std::uint64_t Done() const = 0;
	virtual std::uint64_t Total() const = 0;
	virtual std::string Unit() const = 0;

	/* What the documents are, for messages: "orders.ndjson", "standard input". */
	virtual std::string Name() const = 0;
};

/*
 * A file (or standard input for "-") through JsonDocumentSplitter, in the
 * format asked for.  Total() is the file size when it is a regular file.
 * Throws CliError when the file cannot be opened, and for an input the
 * splitter refuses (the hint says which --format to pass or what to repair).
 */
class FileSource : public DocumentSource
{
public:
	explicit FileSource(const std::string &path, FormatChoice format = FormatChoice::Auto);
	~FileSource() override;

	/*
	 * Reads far enough to know the format (auto's look-ahead included), so
	 * that an input that must be refused is refused before connecting.
	 */
	StreamFormat Start();

	bool		Next(std::string &doc, DocumentPosition &pos) override;
	std::uint64_t Done() const override { return splitter_->BytesConsumed(); }
	std::uint64_t Total() const override { return size_; }
	std::string Unit() const override { return "bytes"; }
	std::string Name() const override { return name_; }

	StreamFormat Format() const { return splitter_->Format(); }

private:
	[[noreturn]] void Refuse(const JsonStreamError &e) const;

	int			fd_ = -1;
	bool		own_fd_ = false;
	std::uint64_t size_ = 0;
	std::string name_;
	std::unique_ptr<JsonDocumentSplitter> splitter_;
};

/* Orders from GenerateOrder(seed, id, rows) for id = 1..rows; position document = id. */
class GeneratorSource : public DocumentSource
{
public:
	GeneratorSource(std::uint64_t seed, long rows) : seed_(seed), rows_(rows) {}

	bool		Next(std::string &doc, DocumentPosition &pos) override;
	std::uint64_t Done() const override { return static_cast<std::uint64_t>(next_id_ - 1); }
	std::uint64_t Total() const override { return static_cast<std::uint64_t>(rows_); }
	std::string Unit() const override { return "docs"; }
	std::string Name() const override { return "generated orders"; }

private:
	std::uint64_t seed_;
	long		rows_;
	long		next_id_ = 1;
};

/*
 * Rejected documents as NDJSON, one record per document in input order:
 *   {"document": 7, "line": 7, "byte_offset": 812, "sqlstate": "22P02",
 *    "message": "invalid input syntax for type json (...)", "text": "..."}
 * with "element" added for arrays.  "text" is the document as found; when
 * it is not valid UTF-8 (one reason the server rejects documents), "text"
 * has U+FFFD in place of the bad bytes and "text_hex" holds them exactly.
 * The records go to a new file next to `path` (mkstemp: created, never an
 * existing file or link), renamed over `path` by Commit(); a load that
 * fails leaves `path` as it was and removes the new file.
 */
class RejectsFile
{
public:
	explicit RejectsFile(const std::string &path);
	~RejectsFile();
	RejectsFile(const RejectsFile &) = delete;
	RejectsFile &operator=(const RejectsFile &) = delete;

	void		Write(const DocumentPosition &pos, const std::string &text, const std::string &sqlstate,
					  const std::string &message);
	void		Commit();
	long		Count() const { return count_; }
	const std::string &Path() const { return path_; }

private:
	std::string path_;
	std::string tmp_;
	std::FILE  *file_ = nullptr;
	long		count_ = 0;
};

/* One record of a rejects file (without its newline); see RejectsFile. */
std::string RejectRecord(const DocumentPosition &pos, const std::string &text, const std::string &sqlstate,
						 const std::string &message);

struct LoadOptions
{
	std::string table;			/* "name" or "schema.name", unquoted */
	std::string column = "doc";
	bool		skip_invalid = false;
	bool		create = false;	/* create table(id bigserial primary key, column jsonb) if absent */
	std::size_t batch_rows = 5000;
	std::size_t batch_bytes = 8 << 20;
	bool		progress = true;	/* a progress bar on stderr */
	RejectsFile *rejects = nullptr;	/* with skip_invalid: where skipped documents go */
};

struct InvalidDocument
{
	DocumentPosition pos;
	std::string message;		/* the server's */
};

struct LoadResult
{
	long		rows = 0;		/* loaded */
	long		invalid = 0;	/* skipped (skip_invalid) */
	std::uint64_t bytes = 0;	/* document text loaded or skipped */
	double		seconds = 0;
	bool		created_table = false;
	std::vector<InvalidDocument> first_invalid;	/* the first kMaxListedInvalid */
};

constexpr std::size_t kMaxListedInvalid = 10;

/*
 * Loads everything from `source` (see the top of this file).  Throws
 * CliError for bad input (an invalid document without skip_invalid, a
 * broken file structure, a missing table without create), pqxx errors for
 * the rest; in every case the transaction is rolled back.
 */
LoadResult	LoadDocuments(pqxx::connection &conn, DocumentSource &source, const LoadOptions &opts);

/*
 * Prints the outcome on stderr: rows, bytes, seconds and rows/s; the first
 * invalid documents skipped and how many, and the rejects file holding them
 * all; for an input with no documents, a line saying so.  `empty_reason` says why nothing was there ("the file
 * is empty").
 */
void		ReportLoad(const LoadResult &result, const LoadOptions &opts, const std::string &source_name,
					   const std::string &empty_reason);

}							/* namespace pathx */

#endif							/* PATHX_CLI_LOADER_H */
