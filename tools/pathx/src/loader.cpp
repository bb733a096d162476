/*
 * loader.cpp
 *	  COPY documents into a jsonb column in one transaction, finding the
 *	  invalid ones by bisection over savepoints (see loader.h).
 */
#include "loader.h"

#include "orders_gen.h"
#include "ui.h"

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

FileSource::FileSource(const std::string &path)
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
	splitter_ = std::make_unique<JsonDocumentSplitter>(FdReader(fd_));
}

FileSource::~FileSource()
{
	if (own_fd_)
		close(fd_);
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
		throw CliError(name_ + ": " + e.what() + "; nothing was loaded (the load is one transaction)",
					   "repair the file (a JSON array must be complete; NDJSON holds one document per line)");
	}
	catch (const std::runtime_error &e)
	{
		if (dynamic_cast<const CliError *>(&e) != nullptr)
			throw;
		throw CliError(name_ + ": " + e.what() + "; nothing was loaded", "check the file");
	}
}

bool
GeneratorSource::Next(std::string &doc, DocumentPosition &pos)
{
	if (next_id_ > rows_)
		return false;
	doc = GenerateOrder(seed_, next_id_, rows_);
	pos.line = next_id_;
	pos.element = 0;
	next_id_++;
	return true;
}

std::vector<std::string>
ParseQualifiedName(const std::string &name)
{
	std::vector<std::string> parts;
	std::string part;
	bool		quoted = false;

	/*
	 * SQL's rules, as psql's \d and pg_dump -t apply them: a part in double
	 * quotes is taken as is ("" is a quote), anything else is folded to
	 * lower case, so --table Orders means the table `orders`.
	 */
	for (size_t i = 0; i < name.size(); i++)
	{
		char		c = name[i];

		if (quoted)
		{
			if (c == '"' && i + 1 < name.size() && name[i + 1] == '"')
			{
				part += '"';
				i++;
			}
			else if (c == '"')
				quoted = false;
			else
				part += c;
		}
		else if (c == '"')
			quoted = true;
		else if (c == '.')
		{
			parts.push_back(part);
			part.clear();
		}
		else
			part += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	}
	parts.push_back(part);
	if (quoted)
		throw CliError("the name '" + name + "' has an unclosed double quote",
					   "write table or schema.table (double quotes keep upper case: '\"Orders\"')", 2);
	for (const std::string &p : parts)
		if (p.empty())
			throw CliError("the name '" + name + "' has an empty part", "write table or schema.table", 2);
	return parts;
}

std::string
QuoteQualifiedName(pqxx::connection &conn, const std::string &name)
{
	std::vector<std::string> parts = ParseQualifiedName(name);
	std::string out;

	if (parts.size() > 2)
		throw CliError("cannot read the table name '" + name + "'", "write table or schema.table", 2);
	for (const std::string &p : parts)
		out += (out.empty() ? "" : ".") + conn.quote_name(p);
	return out;
}

namespace
{

/*
 * Errors that belong to one document rather than to the load: data
 * exceptions (class 22: invalid JSON, an invalid byte sequence, NUL) and
 * program limits (class 54: nesting too deep, a document too large).
 */
bool
PerDocumentError(const std::string &sqlstate)
{
	return sqlstate.compare(0, 2, "22") == 0 || sqlstate.compare(0, 2, "54") == 0;
}

/*
 * The server's message and detail without its CONTEXT: the COPY line
 * number there counts within a batch and would only mislead.
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

class BatchCopier
{
public:
	BatchCopier(pqxx::work &work, DocumentSource &source, const LoadOptions &opts,
				std::string table, std::string column, LoadResult &result)
		: work_(work), source_(source), opts_(opts), table_(std::move(table)),
		  column_(std::move(column)), result_(result) {}

	std::vector<std::string> docs;
	std::vector<DocumentPosition> positions;

	/* COPYs the batch, finding and handling invalid documents; empties it. */
	void		Flush()
	{
		if (!docs.empty())
			CopyRange(0, docs.size());
		docs.clear();
		positions.clear();
	}

private:
	/* One COPY of docs[lo, hi) in a savepoint; false (rolled back) on a data error. */
	bool		TryCopy(std::size_t lo, std::size_t hi, std::string &error)
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
			if (!PerDocumentError(e.sqlstate()))
				throw;
			error = ServerMessage(e.what());
			sub.abort();
			return false;
		}
		sub.commit();
		return true;
	}

	void		CopyRange(std::size_t lo, std::size_t hi)
	{
		std::string error;

		if (TryCopy(lo, hi, error))
		{
			result_.rows += static_cast<long>(hi - lo);
			return;
		}
		if (hi - lo == 1)
		{
			Invalid(lo, error);
			return;
		}
		/* Halves in input order, so the first bad document is found first. */
		std::size_t mid = lo + (hi - lo) / 2;

		CopyRange(lo, mid);
		CopyRange(mid, hi);
	}

	void		Invalid(std::size_t i, const std::string &error)
	{
		if (!opts_.skip_invalid)
			throw CliError(source_.Name() + ", " + DescribePosition(positions[i]) +
						   ": the server rejected the document: " + error +
						   "; nothing was loaded (the load is one transaction)",
						   "fix that document, or pass --skip-invalid to load the others");
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
	std::vector<std::string> column_parts = ParseQualifiedName(opts.column);

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
	work.commit();
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
			std::fprintf(stderr, "  ... and %s more\n",
						 Thousands(static_cast<std::uint64_t>(result.invalid) - result.first_invalid.size()).c_str());
	}
	double		rate = result.seconds > 0 ? result.rows / result.seconds : 0;

	Step("Loaded", Thousands(static_cast<std::uint64_t>(result.rows)) + " rows into " + target +
		 ": " + Thousands(result.bytes) + " bytes of JSON in " + Fixed(result.seconds, 2) + " s, " +
		 Thousands(static_cast<std::uint64_t>(rate)) + " rows/s");
}

}							/* namespace pathx */
