/*
 * loader.cpp
 *	  COPY documents into a jsonb column in one transaction, finding the
 *	  invalid ones by bisection over savepoints (see loader.h).
 */
#include "loader.h"

#include "orders_gen.h"
#include "sql_text.h"
#include "ui.h"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <tuple>

namespace pathx
{

FileSource::FileSource(const std::string &path, FormatChoice format)
{
	struct stat st;

	if (path == "-")
	{
		fd_ = 0;
		name_ = "standard input";
	}
	else
	{
		fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd_ < 0)
			throw CliError("cannot open " + path + ": " + std::strerror(errno),
						   "check the path (use - to read standard input)");
		own_fd_ = true;
		name_ = path;
	}
	if (fstat(fd_, &st) == 0)
	{
		if (S_ISDIR(st.st_mode))
		{
			close(fd_);
			throw CliError(path + " is a directory, not a file of JSON documents",
						   "name an NDJSON or JSON-array file");
		}
		/* A pipe or a terminal has no size: the bar then shows counts only. */
		if (S_ISREG(st.st_mode))
			size_ = static_cast<std::uint64_t>(st.st_size);
	}
	splitter_ = std::make_unique<JsonDocumentSplitter>(FdReader(fd_), 1 << 20, format);
}

FileSource::~FileSource()
{
	if (own_fd_)
		close(fd_);
}

StreamFormat
FileSource::Start()
{
	try
	{
		return splitter_->Start();
	}
	catch (const JsonStreamError &e)
	{
		Refuse(e);
	}
}

bool
FileSource::Next(std::string &doc, DocumentPosition &pos)
{
	try
	{
		return splitter_->Next(doc, pos);
	}
	catch (const JsonStreamError &e)
	{
		Refuse(e);
	}
	catch (const std::runtime_error &e)
	{
		if (dynamic_cast<const CliError *>(&e) != nullptr)
			throw;
		throw CliError(name_ + ": " + e.what() + "; nothing was loaded", "check the file");
	}
}

/* A JsonStreamError as the user should read it: which choice to make, or what to repair. */
void
FileSource::Refuse(const JsonStreamError &e) const
{
	switch (e.GetKind())
	{
		case JsonStreamError::kAmbiguous:
			throw CliError(name_ + ": " + e.what() + "; nothing was loaded",
						   "say which: --format array loads the array's elements as documents, "
						   "--format ndjson loads each line as one document");
		case JsonStreamError::kNotAnArray:
			throw CliError(name_ + ": " + e.what() + "; nothing was loaded",
						   "for one document per line, pass --format ndjson (or --format auto)");
		case JsonStreamError::kStructure:
			break;
	}
	throw CliError(name_ + ": " + e.what() + "; nothing was loaded (the load is one transaction)",
				   "repair the file (a JSON array must be complete; NDJSON holds one document per line)");
}

bool
GeneratorSource::Next(std::string &doc, DocumentPosition &pos)
{
	if (next_id_ > rows_)
		return false;
	doc = GenerateOrder(seed_, next_id_, rows_);
	pos = DocumentPosition{};
	pos.document = next_id_;
	next_id_++;
	return true;
}

namespace
{

/* Each byte as two hex digits: the exact text of a document that is not UTF-8. */
std::string
HexBytes(const std::string &s)
{
	static const char digits[] = "0123456789abcdef";
	std::string out;

	out.reserve(s.size() * 2);
	for (unsigned char c : s)
	{
		out += digits[c >> 4];
		out += digits[c & 0xF];
	}
	return out;
}

/* nlohmann::json refuses to write a string that is not UTF-8: the test. */
bool
IsUtf8(const std::string &s)
{
	try
	{
		(void) nlohmann::json(s).dump();
	}
	catch (const nlohmann::json::type_error &)
	{
		return false;
	}
	return true;
}

}							/* namespace */

std::string
RejectRecord(const DocumentPosition &pos, const std::string &text, const std::string &sqlstate,
			 const std::string &message)
{
	nlohmann::ordered_json r;

	r["document"] = pos.document;
	if (pos.element > 0)
		r["element"] = pos.element;
	if (pos.line > 0)
		r["line"] = pos.line;
	if (pos.offset >= 0)
		r["byte_offset"] = pos.offset;
	r["sqlstate"] = sqlstate;
	r["message"] = message;
	r["text"] = text;
	if (!IsUtf8(text))
		r["text_hex"] = HexBytes(text);

	/*
	 * replace: bad bytes become U+FFFD, so a record is always valid JSON
	 * (the server's message quotes the bad text too); text_hex is exact.
	 */
	return r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

RejectsFile::RejectsFile(const std::string &path)
	: path_(path)
{
	struct stat st;

	if (path.empty() || path == "-")
		throw CliError("--rejects needs a file name", "pass --rejects FILE, e.g. --rejects rejects.ndjson", 2);
	/* found out now rather than after the load has committed */
	if (lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
		throw CliError("--rejects " + path + " is a directory", "name a file, e.g. " + path + "/rejects.ndjson",
					   2);

	/*
	 * A new file of our own (mkostemp: O_CREAT | O_EXCL, mode 0600, so no
	 * existing file or link is opened, even in a shared directory), renamed
	 * over `path` when the load is done; rename replaces a link at `path`
	 * instead of following it.
	 */
	std::string templ = path + ".XXXXXX";
	std::vector<char> buf(templ.begin(), templ.end());

	buf.push_back('\0');
	int			fd = mkostemp(buf.data(), O_CLOEXEC);

	if (fd < 0)
		throw CliError("cannot create a file next to " + path + " for the rejected documents: " +
					   std::strerror(errno), "check that the directory exists and is writable");
	tmp_ = buf.data();
	file_ = fdopen(fd, "w");
	if (file_ == nullptr)
	{
		int			err = errno;

		close(fd);
		unlink(tmp_.c_str());
		throw CliError("cannot write " + tmp_ + ": " + std::strerror(err));
	}
}

RejectsFile::~RejectsFile()
{
	if (file_ != nullptr)
	{
		std::fclose(file_);
		unlink(tmp_.c_str());
	}
}

void
RejectsFile::Write(const DocumentPosition &pos, const std::string &text, const std::string &sqlstate,
				   const std::string &message)
{
	std::string line = RejectRecord(pos, text, sqlstate, message) + "\n";

	if (std::fwrite(line.data(), 1, line.size(), file_) != line.size())
		throw CliError("cannot write the rejected documents to " + tmp_ + ": " + std::strerror(errno) +
					   "; nothing was loaded (the load is one transaction)",
					   "check the free space, or leave out --rejects");
	count_++;
}

void
RejectsFile::Commit()
{
	std::FILE  *f = file_;

	file_ = nullptr;
	if (std::fflush(f) != 0 || fsync(fileno(f)) != 0)
	{
		int			err = errno;

		std::fclose(f);
		throw CliError("cannot write the rejected documents to " + tmp_ + ": " + std::strerror(err) +
					   " (the load itself was committed)", "check the free space");
	}
	if (std::fclose(f) != 0)
		throw CliError("cannot write the rejected documents to " + tmp_ + ": " + std::strerror(errno) +
					   " (the load itself was committed)", "check the free space");
	if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
		throw CliError("cannot rename " + tmp_ + " to " + path_ + ": " + std::strerror(errno) +
					   " (the load itself was committed; the rejected documents are in " + tmp_ + ")");
}

namespace
{

/*
 * Errors that belong to one document rather than to the load: data
 * exceptions (class 22: invalid JSON, an invalid byte sequence, NUL) and
 * program limits (class 54: nesting too deep, a document too large).
 * These are what --skip-invalid skips.
 */
bool
PerDocumentError(const std::string &sqlstate)
{
	return sqlstate.compare(0, 2, "22") == 0 || sqlstate.compare(0, 2, "54") == 0;
}

/*
 * Errors that one row causes although the document itself is fine for
 * the column: integrity constraints (class 23: CHECK, NOT NULL, unique,
 * foreign keys), a view's WITH CHECK OPTION (44), and what a trigger
 * raises (P0).  They are not skipped, since the table, not the input, may
 * be what is wrong; but they are pinned to a document, like class 22.
 * Anything else (a missing privilege, a full disk, a lost connection, a
 * cancel) fails a COPY of one row as surely as one of thousands, so
 * bisecting it would only blame whichever document came first.
 */
bool
RowError(const std::string &sqlstate)
{
	return PerDocumentError(sqlstate) || sqlstate.compare(0, 2, "23") == 0 ||
		sqlstate.compare(0, 2, "44") == 0 || sqlstate.compare(0, 2, "P0") == 0;
}

/*
 * The server's message and detail without its CONTEXT: the COPY line
 * number there counts within a batch (or a piece of one) and would only
 * mislead; the document's position in the input replaces it.
 */
std::string
ServerMessage(const std::string &what)
{
	std::istringstream in(what);
	std::string line;
	std::string out;

	while (std::getline(in, line))
	{
		if (line.compare(0, 8, "ERROR:  ") == 0)
			out += line.substr(8);
		else if (line.compare(0, 9, "DETAIL:  ") == 0)
			out += (out.empty() ? "" : " (") + line.substr(9) + (out.empty() ? "" : ")");
	}
	if (out.empty())
		out = what.substr(0, what.find('\n'));
	return out;
}

std::string
SqlstateNote(const std::string &sqlstate)
{
	return sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")";
}

class BatchCopier
{
public:
	BatchCopier(pqxx::work &work, DocumentSource &source, const LoadOptions &opts,
				std::string table, std::string column, LoadResult &result)
		: work_(work), source_(source), opts_(opts), table_(std::move(table)),
		  column_(std::move(column)), result_(result) {}

	std::vector<std::string> docs;
	std::vector<DocumentPosition> positions;

	/* COPYs the batch, finding and handling failing documents; empties it. */
	void		Flush()
	{
		if (!docs.empty())
			CopyRange(0, docs.size());
		docs.clear();
		positions.clear();
	}

private:
	/*
	 * One COPY of docs[lo, hi) in a savepoint.  False (rolled back) when a
	 * row failed (RowError), with the server's message and SQLSTATE; any
	 * other error ends the load here, naming the documents the COPY held.
	 */
	bool		TryCopy(std::size_t lo, std::size_t hi, std::string &error, std::string &sqlstate)
	{
		pqxx::subtransaction sub(work_, "pathx_load");

		try
		{
			pqxx::stream_to s(sub, table_, std::vector<std::string>{column_});

			for (std::size_t i = lo; i < hi; i++)
				s << std::make_tuple(docs[i]);
			s.complete();
		}
		catch (const pqxx::sql_error &e)
		{
			if (!RowError(e.sqlstate()))
				throw CliError(source_.Name() + ": the server refused the COPY of the documents from " +
							   DescribePosition(positions[lo]) + " to " + DescribePosition(positions[hi - 1]) +
							   ": " + ServerMessage(e.what()) + SqlstateNote(e.sqlstate()) +
							   "; nothing was loaded (the load is one transaction)",
							   "this is not about one document: check the privileges on the table and "
							   "the server's log");
			error = ServerMessage(e.what());
			sqlstate = e.sqlstate();
			sub.abort();
			return false;
		}
		sub.commit();
		return true;
	}

	void		CopyRange(std::size_t lo, std::size_t hi)
	{
		std::string error;
		std::string sqlstate;

		if (TryCopy(lo, hi, error, sqlstate))
		{
			result_.rows += static_cast<long>(hi - lo);
			return;
		}
		if (hi - lo == 1)
		{
			Failed(lo, error, sqlstate);
			return;
		}

		/*
		 * Halves in input order, so the first failing document is found
		 * first; a half that goes in stays in (its savepoint is released),
		 * so a unique key two documents share blames the second one.
		 */
		std::size_t mid = lo + (hi - lo) / 2;

		CopyRange(lo, mid);
		CopyRange(mid, hi);
	}

	/* docs[i] failed alone: skip it (and keep it in the rejects file) or end the load. */
	void		Failed(std::size_t i, const std::string &error, const std::string &sqlstate)
	{
		std::string where = source_.Name() + ", " + DescribePosition(positions[i]);

		if (!PerDocumentError(sqlstate))
			throw CliError(where + ": the server refused the document: " + error + SqlstateNote(sqlstate) +
						   "; nothing was loaded (the load is one transaction)",
						   "fix that document, or the table's constraints or triggers that refuse it "
						   "(--skip-invalid skips only documents the column's type rejects)");
		if (!opts_.skip_invalid)
			throw CliError(where + ": the server rejected the document: " + error + SqlstateNote(sqlstate) +
						   "; nothing was loaded (the load is one transaction)",
						   "fix that document, or pass --skip-invalid (and --rejects FILE) to load the others");
		if (opts_.rejects != nullptr)
			opts_.rejects->Write(positions[i], docs[i], sqlstate, error);
		result_.invalid++;
		if (result_.first_invalid.size() < kMaxListedInvalid)
			result_.first_invalid.push_back(InvalidDocument{positions[i], error});
	}

	pqxx::work &work_;
	DocumentSource &source_;
	const LoadOptions &opts_;
	std::string table_;
	std::string column_;
	LoadResult &result_;
};

}							/* namespace */

LoadResult
LoadDocuments(pqxx::connection &conn, DocumentSource &source, const LoadOptions &opts)
{
	auto		t0 = std::chrono::steady_clock::now();
	LoadResult	result;
	std::string table = QuoteQualifiedName(conn, opts.table);
	std::vector<std::string> column_parts = ParseQualifiedName(opts.column, "a column name");

	if (column_parts.size() != 1)
		throw CliError("cannot read the column name '" + opts.column + "'",
					   "pass --column NAME (default: doc)", 2);
	std::string column = conn.quote_name(column_parts[0]);
	pqxx::work	work(conn, "pathx_load");
	if (!work.exec_params1("SELECT to_regclass($1) IS NOT NULL", table)[0].as<bool>())
	{
		if (!opts.create)
			throw CliError("table " + opts.table + " does not exist",
						   "create it, or leave out --no-create to make " + opts.table +
						   " (id bigserial primary key, " + opts.column + " jsonb)");
		work.exec0("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, " + column + " jsonb)");
		result.created_table = true;
		Step("Creating", "table " + opts.table + " (id bigserial primary key, " + opts.column + " jsonb)");
	}
	else
	{
		pqxx::result col = work.exec_params(
			"SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
			"WHERE attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped",
			table, column_parts[0]);

		if (col.empty())
		{
			pqxx::result cols = work.exec_params(
				"SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute "
				"WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", table);

			throw CliError("table " + opts.table + " has no column " + opts.column,
						   "pass --column with one of: " + cols[0][0].as<std::string>(""));
		}
		std::string type = col[0][0].as<std::string>();

		if (type != "jsonb" && type != "json")
			Warn("column " + opts.column + " is " + type + ", not jsonb: documents are checked by " +
				 type + "'s input function, not by the jsonb parser");
	}

	Progress	progress("Loading", source.Total(), source.Unit());
	BatchCopier copier(work, source, opts, table, column, result);
	std::string doc;
	DocumentPosition pos;
	std::size_t batch_bytes = 0;
	bool		shown = false;

	for (;;)
	{
		bool		more = source.Next(doc, pos);

		if (more)
		{
			result.bytes += doc.size();
			batch_bytes += doc.size();
			copier.docs.push_back(std::move(doc));
			copier.positions.push_back(pos);
			doc.clear();
		}
		if (!more || copier.docs.size() >= opts.batch_rows || batch_bytes >= opts.batch_bytes)
		{
			copier.Flush();
			batch_bytes = 0;
			/* A load that is over within a second needs no bar, only the summary. */
			if (opts.progress && (shown || progress.Seconds() >= 1.0))
			{
				double		secs = progress.Seconds();

				shown = true;

				progress.SetNote(Thousands(static_cast<std::uint64_t>(result.rows)) + " rows, " +
								 Thousands(static_cast<std::uint64_t>(secs > 0 ? result.rows / secs : 0)) +
								 " rows/s");
				progress.Update(source.Done());
			}
		}
		if (!more)
			break;
	}
	try
	{
		work.commit();
	}
	catch (const pqxx::sql_error &e)
	{
		/* A deferred constraint or trigger: checked for all rows at once. */
		throw CliError(source.Name() + ": the server refused to commit the load: " + ServerMessage(e.what()) +
					   SqlstateNote(e.sqlstate()) + "; nothing was loaded (the load is one transaction)",
					   "a deferred constraint names no document: look for the value in the message");
	}
	if (shown)
		progress.Finish();
	result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	return result;
}

void
ReportLoad(const LoadResult &result, const LoadOptions &opts, const std::string &source_name,
		   const std::string &empty_reason)
{
	std::string target = opts.table + "(" + opts.column + ")";

	if (result.rows + result.invalid == 0)
	{
		Step("Loaded", "0 rows into " + target + ": " + source_name + " holds no documents (" +
			 empty_reason + ")");
		return;
	}
	if (result.invalid > 0)
	{
		Warn("skipped " + Thousands(static_cast<std::uint64_t>(result.invalid)) +
			 " invalid document" + (result.invalid == 1 ? "" : "s") + " of " + source_name + ":");
		for (const InvalidDocument &d : result.first_invalid)
			std::fprintf(stderr, "  %s: %s\n", DescribePosition(d.pos).c_str(), d.message.c_str());
		if (result.invalid > static_cast<long>(result.first_invalid.size()))
			std::fprintf(stderr, "  ... and %s more%s\n",
						 Thousands(static_cast<std::uint64_t>(result.invalid) - result.first_invalid.size()).c_str(),
						 opts.rejects != nullptr ? "" : " (--rejects FILE keeps them all)");
	}
	if (opts.rejects != nullptr)
		Step("Wrote", Thousands(static_cast<std::uint64_t>(opts.rejects->Count())) + " rejected document" +
			 (opts.rejects->Count() == 1 ? "" : "s") + " with positions and messages to " +
			 opts.rejects->Path());
	double		rate = result.seconds > 0 ? result.rows / result.seconds : 0;

	Step("Loaded", Thousands(static_cast<std::uint64_t>(result.rows)) + " rows into " + target +
		 ": " + Thousands(result.bytes) + " bytes of JSON in " + Fixed(result.seconds, 2) + " s, " +
		 Thousands(static_cast<std::uint64_t>(rate)) + " rows/s");
}

}							/* namespace pathx */
