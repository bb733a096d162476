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
 * Format.  The caller chooses NDJSON, a JSON array, or auto.  A forced
 * format is taken as given: with NDJSON every line is a document, whatever
 * it holds (lines that are arrays included); with an array the first byte
 * that is not white space (after an optional UTF-8 byte order mark) must be
 * '['.  Auto reads NDJSON when that byte is anything but '['.  When it is
 * '[', the text could be a JSON array or NDJSON whose first line is an
 * array, and auto looks ahead, without consuming anything:
 *   - the array is still open at the end of its first line: a JSON array
 *     (an NDJSON line cannot continue on the next one);
 *   - it closes on its first line and something other than white space
 *     follows, on that line or a later one: NDJSON (an array file holds
 *     nothing after its closing ']');
 *   - it closes on its first line and only white space follows: both
 *     readings are valid ("[1,2]" is one row or two), so auto refuses
 *     with JsonStreamError::kAmbiguous and the caller names the choice.
 * The look-ahead keeps what it read in the buffer, which may grow to
 * probe_limit for that; a first line longer than that is refused as
 * ambiguous too (the caller can always force a format).
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
 * Positions.  Each document carries its number in the input (1-based, every
 * document handed on counts, an empty array element too), the line where
 * it starts (1-based), the byte offset of its first byte in the input
 * (0-based, a byte order mark counted), and in an array its element number
 * (the same as its document number), so every message can say where to
 * look in a file of any size.  Nothing here depends on PostgreSQL.
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

/* The format the caller asks for (see the top of this file). */
enum class FormatChoice
{
	Auto,
	Ndjson,
	Array
};

/* "auto", "ndjson", "array" (the --format spelling) and back; false when unknown. */
const char *FormatChoiceName(FormatChoice c);
bool		ParseFormatChoice(const std::string &name, FormatChoice *c);

/* Where a document starts; 0 (offset -1) when not known. */
struct DocumentPosition
{
	long		document = 0;	/* 1-based number in the input */
	long		line = 0;		/* 1-based */
	long		element = 0;	/* 1-based in an array, 0 outside one */
	std::int64_t offset = -1;	/* byte offset of its first byte, 0-based */
};

/*
 * "document 12 (line 12, byte offset 3456)", or for an array
 * "array element 5 (line 3, byte offset 120)"; parts not known left out.
 */
std::string DescribePosition(const DocumentPosition &pos);

/* The input cannot be split; the message says where and how. */
class JsonStreamError : public std::runtime_error
{
public:
	enum Kind
	{
		kStructure,				/* a broken array: truncated, mismatched, trailing text */
		kNotAnArray,			/* FormatChoice::Array, but no '[' */
		kAmbiguous				/* auto cannot tell NDJSON from an array */
	};

	JsonStreamError(const std::string &what, const DocumentPosition &pos, Kind kind = kStructure)
		: std::runtime_error(what), pos_(pos), kind_(kind) {}

	const DocumentPosition &Position() const { return pos_; }
	Kind		GetKind() const { return kind_; }

private:
	DocumentPosition pos_;
	Kind		kind_;
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

/* How far auto may look ahead for the end of a first line that starts with '['. */
constexpr std::size_t kDefaultProbeLimit = 16 << 20;

class JsonDocumentSplitter
{
public:
	explicit JsonDocumentSplitter(ReadFunction read, std::size_t chunk_size = 1 << 20,
								  FormatChoice choice = FormatChoice::Auto,
								  std::size_t probe_limit = kDefaultProbeLimit);

	/*
	 * The next document's text and position; false at the end of the input.
	 * Throws JsonStreamError when the input cannot be split (see above).
	 */
	bool		Next(std::string &doc, DocumentPosition &pos);

	/* Decides the format now rather than in the first Next(); throws as Next() does. */
	StreamFormat Start();

	/* Known after Start() or the first Next(). */
	StreamFormat Format() const { return format_; }

	/* Input bytes consumed so far (for progress against a file size). */
	std::uint64_t BytesConsumed() const { return buffer_offset_ + pos_; }

private:
	bool		Fill();
	bool		SkipWhitespace();
	void		DetectFormat();
	StreamFormat ProbeFirstLine();
	bool		NextLine(std::string &doc, DocumentPosition &pos);
	bool		NextElement(std::string &doc, DocumentPosition &pos);
	void		CheckTrailing();

	ReadFunction read_;
	FormatChoice choice_;
	std::size_t probe_limit_;
	std::vector<char> buf_;
	std::size_t pos_ = 0;		/* next unread byte in buf_ */
	std::size_t end_ = 0;		/* bytes valid in buf_ */
	std::uint64_t buffer_offset_ = 0;	/* input offset of buf_[0] */
	bool		eof_ = false;
	long		line_ = 1;		/* line of buf_[pos_] */
	StreamFormat format_ = StreamFormat::Unknown;
	long		array_line_ = 0;	/* where the array's '[' is */
	long		elements_ = 0;	/* array elements returned so far */
	long		documents_ = 0;	/* documents returned so far */
	bool		array_closed_ = false;
};

}							/* namespace pathx */

#endif							/* PATHX_CLI_JSON_STREAM_H */
