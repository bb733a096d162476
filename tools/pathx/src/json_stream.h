/*
 * json_stream.h
 *	  Splits a stream of JSON documents (NDJSON, or one JSON array) into
 *	  documents without holding more than one document in memory.
 *
 * The loader must handle files far larger than memory, so the input is
 * read in fixed-size chunks and only the document being assembled is kept.
 * The splitter decides where documents begin and end, nothing more: whether
 * a document is valid JSON is the server's decision (its jsonb parser is the
 * one that matters), so a document is handed on as the exact text found.
 *
 * Format.  The first byte that is not white space (after an optional UTF-8
 * byte order mark) decides: '[' means one JSON array whose elements are the
 * documents; anything else means NDJSON, one document per line.  An NDJSON
 * file of top-level arrays is therefore read as an array; JSON Lines files
 * in practice hold objects, and a single array is the other common export.
 *
 * NDJSON.  A line ends at '\n'; a trailing '\r' is dropped (CRLF files) and
 * lines of only white space are skipped.  Raw newlines cannot occur inside a
 * valid JSON string, so an invalid line never swallows the next one.
 *
 * Arrays.  Elements end at a ',' or the closing ']' found at nesting depth
 * zero outside any string; strings are tracked with their backslash escapes
 * so that "a,]}\"" inside a string moves nothing, and opening brackets are
 * kept on a stack so that a '}' closing a '[' is caught where it happens.
 * Such structural damage (a mismatched bracket, an array that is never
 * closed, text after the closing ']') leaves no way to tell where the next
 * document starts, so it throws JsonStreamError instead of guessing; an
 * element whose brackets balance but whose content is wrong ({"a": tru},
 * an empty element in [1,,2]) is handed on for the server to reject.
 *
 * Positions.  Each document carries the line where it starts (1-based) and,
 * in an array, its element number (1-based), so every message can say
 * where to look.  Nothing here depends on PostgreSQL.
 */
#ifndef PATHX_CLI_JSON_STREAM_H
#define PATHX_CLI_JSON_STREAM_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pathx
{

enum class StreamFormat
{
	Unknown,					/* nothing read yet */
	Empty,						/* only white space */
	Ndjson,
	Array
};

const char *StreamFormatName(StreamFormat f);

/* Where a document starts: line (1-based), and element (1-based) in arrays. */
struct DocumentPosition
{
	long		line = 0;
	long		element = 0;	/* 0 outside an array */
};

/* "line 12" or "line 12 (array element 5)" */
std::string DescribePosition(const DocumentPosition &pos);

/* The input's structure is broken; the message says where and how. */
class JsonStreamError : public std::runtime_error
{
public:
	JsonStreamError(const std::string &what, const DocumentPosition &pos)
		: std::runtime_error(what), pos_(pos) {}

	const DocumentPosition &Position() const { return pos_; }

private:
	DocumentPosition pos_;
};

/*
 * Reads up to `cap` bytes into `buf`; returns 0 at the end of the input.
 * Throws on a read error.
 */
using ReadFunction = std::function<std::size_t(char *buf, std::size_t cap)>;

/* Reads a file descriptor (retries EINTR; throws std::runtime_error on errors). */
ReadFunction FdReader(int fd);

/* Reads a string, at most `max_read` bytes per call (tests use small
 * values to put chunk boundaries everywhere). */
ReadFunction StringReader(std::string text, std::size_t max_read = 1 << 20);

class JsonDocumentSplitter
{
public:
	explicit JsonDocumentSplitter(ReadFunction read, std::size_t chunk_size = 1 << 20);

	/*
	 * The next document's text and position; false at the end of the input.
	 * Throws JsonStreamError when the structure is broken (see above).
	 */
	bool		Next(std::string &doc, DocumentPosition &pos);

	/* Known after the first Next(). */
	StreamFormat Format() const { return format_; }

	/* Input bytes consumed so far (for progress against a file size). */
	std::uint64_t BytesConsumed() const { return buffer_offset_ + pos_; }

private:
	bool		Fill();
	bool		SkipWhitespace();
	void		DetectFormat();
	bool		NextLine(std::string &doc, DocumentPosition &pos);
	bool		NextElement(std::string &doc, DocumentPosition &pos);
	void		CheckTrailing();

	ReadFunction read_;
	std::vector<char> buf_;
	std::size_t pos_ = 0;		/* next unread byte in buf_ */
	std::size_t end_ = 0;		/* bytes valid in buf_ */
	std::uint64_t buffer_offset_ = 0;	/* input offset of buf_[0] */
	bool		eof_ = false;
	long		line_ = 1;		/* line of buf_[pos_] */
	StreamFormat format_ = StreamFormat::Unknown;
	long		array_line_ = 0;	/* where the array's '[' is */
	long		elements_ = 0;	/* array elements returned so far */
	bool		array_closed_ = false;
};

}							/* namespace pathx */

#endif							/* PATHX_CLI_JSON_STREAM_H */
