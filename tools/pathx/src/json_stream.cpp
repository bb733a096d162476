/*
 * json_stream.cpp
 *	  Splitting NDJSON and JSON arrays into documents, chunk by chunk (see
 *	  json_stream.h for the rules).
 *
 * The scanners work on the bytes already in the buffer and copy whole runs
 * into the document at once (memchr for NDJSON lines, a byte loop for array
 * elements), refilling when a run reaches the end of the buffer; a refill
 * discards everything consumed, so the buffer never grows beyond one chunk
 * and the only unbounded thing is the document itself.  The one exception
 * is auto's look-ahead (ProbeFirstLine), which scans without consuming and
 * so grows the buffer, up to probe_limit, while it reads the first line.
 */
#include "json_stream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace pathx
{

const char *
StreamFormatName(StreamFormat f)
{
	switch (f)
	{
		case StreamFormat::Unknown:
			return "unknown";
		case StreamFormat::Empty:
			return "empty";
		case StreamFormat::Ndjson:
			return "NDJSON";
		case StreamFormat::Array:
			return "JSON array";
	}
	return "unknown";
}

const char *
FormatChoiceName(FormatChoice c)
{
	switch (c)
	{
		case FormatChoice::Auto:
			return "auto";
		case FormatChoice::Ndjson:
			return "ndjson";
		case FormatChoice::Array:
			return "array";
	}
	return "auto";
}

bool
ParseFormatChoice(const std::string &name, FormatChoice *c)
{
	for (FormatChoice f : {FormatChoice::Auto, FormatChoice::Ndjson, FormatChoice::Array})
		if (name == FormatChoiceName(f))
		{
			*c = f;
			return true;
		}
	return false;
}

std::string
DescribePosition(const DocumentPosition &pos)
{
	std::string what;
	std::string where;

	if (pos.element > 0)
		what = "array element " + std::to_string(pos.element);
	else if (pos.document > 0)
		what = "document " + std::to_string(pos.document);
	if (pos.line > 0)
		where = "line " + std::to_string(pos.line);
	if (pos.offset >= 0)
		where += (where.empty() ? "" : ", ") + std::string("byte offset ") + std::to_string(pos.offset);
	if (what.empty())
		return where.empty() ? std::string("an unknown position") : where;
	return where.empty() ? what : what + " (" + where + ")";
}

ReadFunction
FdReader(int fd)
{
	return [fd](char *buf, std::size_t cap) -> std::size_t {
		for (;;)
		{
			ssize_t		n = read(fd, buf, cap);

			if (n >= 0)
				return static_cast<std::size_t>(n);
			if (errno != EINTR)
				throw std::runtime_error(std::string("cannot read the input: ") + std::strerror(errno));
		}
	};
}

ReadFunction
StringReader(std::string text, std::size_t max_read)
{
	auto		state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);

	return [state, max_read](char *buf, std::size_t cap) -> std::size_t {
		std::size_t n = std::min({cap, max_read, state->first.size() - state->second});

		std::memcpy(buf, state->first.data() + state->second, n);
		state->second += n;
		return n;
	};
}

namespace
{

bool
IsJsonSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool
OnlyWhitespace(const std::string &s)
{
	return std::all_of(s.begin(), s.end(), IsJsonSpace);
}

/* "16 MB", "64 bytes": a limit as the user would write it. */
std::string
DescribeSize(std::size_t n)
{
	if (n >= (1 << 20) && n % (1 << 20) == 0)
		return std::to_string(n >> 20) + " MB";
	return std::to_string(n) + " bytes";
}

void
TrimRight(std::string &s)
{
	while (!s.empty() && IsJsonSpace(s.back()))
		s.pop_back();
}

}							/* namespace */

JsonDocumentSplitter::JsonDocumentSplitter(ReadFunction read, std::size_t chunk_size,
										   FormatChoice choice, std::size_t probe_limit)
	: read_(std::move(read)), choice_(choice), probe_limit_(std::max<std::size_t>(probe_limit, 16)),
	  buf_(std::max<std::size_t>(chunk_size, 16))
{
}

/*
 * Replaces the consumed part of the buffer with new input; false at EOF.
 * The unconsumed bytes move to the front (pos_ becomes 0).  A buffer full
 * of unconsumed bytes, which only the look-ahead leaves, is doubled.
 */
bool
JsonDocumentSplitter::Fill()
{
	if (eof_)
		return false;
	if (pos_ > 0)
	{
		std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
		buffer_offset_ += pos_;
		end_ -= pos_;
		pos_ = 0;
	}
	if (end_ == buf_.size())
		buf_.resize(buf_.size() * 2);
	std::size_t n = read_(buf_.data() + end_, buf_.size() - end_);

	if (n == 0)
	{
		eof_ = true;
		return false;
	}
	end_ += n;
	return true;
}

/* Skips white space, counting lines; false when the input ends first. */
bool
JsonDocumentSplitter::SkipWhitespace()
{
	for (;;)
	{
		while (pos_ < end_ && IsJsonSpace(buf_[pos_]))
		{
			if (buf_[pos_] == '\n')
				line_++;
			pos_++;
		}
		if (pos_ < end_)
			return true;
		if (!Fill())
			return false;
	}
}

void
JsonDocumentSplitter::DetectFormat()
{
	/* A UTF-8 byte order mark, written by some Windows tools, is not data. */
	while (end_ < 3 && Fill())
		;
	if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0)
		pos_ = 3;
	if (!SkipWhitespace())
	{
		format_ = StreamFormat::Empty;
		return;
	}
	switch (choice_)
	{
		case FormatChoice::Ndjson:
			format_ = StreamFormat::Ndjson;
			break;
		case FormatChoice::Array:
			if (buf_[pos_] != '[')
				throw JsonStreamError(std::string("the input is not a JSON array: its first character, at line ") +
									  std::to_string(line_) + ", is '" + buf_[pos_] + "', not '['",
									  DocumentPosition{0, line_, 0, static_cast<std::int64_t>(BytesConsumed())},
									  JsonStreamError::kNotAnArray);
			format_ = StreamFormat::Array;
			break;
		case FormatChoice::Auto:
			format_ = buf_[pos_] == '[' ? ProbeFirstLine() : StreamFormat::Ndjson;
			break;
	}
	if (format_ == StreamFormat::Array)
	{
		array_line_ = line_;
		pos_++;
	}
}

/*
 * Auto, and the input starts with '[': is it an array, or NDJSON whose
 * first line is one (see the top of json_stream.h)?  Scans from the '['
 * at pos_ without consuming anything: nesting depth is counted over both
 * kinds of brackets outside strings (a mismatch is for the server or
 * NextElement to report; here only the end of the first value matters),
 * and top-level commas, for the element count in the refusal.
 */
StreamFormat
JsonDocumentSplitter::ProbeFirstLine()
{
	std::size_t scan = pos_ + 1;
	long		depth = 1;
	bool		in_string = false;
	bool		escaped = false;
	bool		closed = false;
	bool		body = false;	/* anything but white space inside the array */
	long		commas = 0;
	DocumentPosition here{0, line_, 0, static_cast<std::int64_t>(BytesConsumed())};

	for (;;)
	{
		if (scan == end_)
		{
			std::size_t before = pos_;

			if (end_ - pos_ >= probe_limit_)
				throw JsonStreamError("the input starts with '[' at line " + std::to_string(line_) +
									  (closed ? " and the array closed on that line is followed by more than "
									   : " and its first line runs past ") + DescribeSize(probe_limit_) +
									  (closed ? " of white space" : "") + ", too far to look ahead: "
									  "it may be one JSON array or NDJSON whose lines are arrays",
									  here, JsonStreamError::kAmbiguous);
			if (!Fill())
				break;
			scan -= before - pos_;
			continue;
		}
		char		c = buf_[scan++];

		if (closed)
		{
			if (!IsJsonSpace(c))
				return StreamFormat::Ndjson;
			continue;
		}
		if (c == '\n')
			return StreamFormat::Array;
		if (in_string)
		{
			if (escaped)
				escaped = false;
			else if (c == '\\')
				escaped = true;
			else if (c == '"')
				in_string = false;
			continue;
		}
		switch (c)
		{
			case '"':
				in_string = true;
				body = true;
				break;
			case '[':
			case '{':
				depth++;
				body = true;
				break;
			case ']':
			case '}':
				if (--depth == 0)
					closed = true;
				else
					body = true;
				break;
			case ',':
				if (depth == 1)
					commas++;
				body = true;
				break;
			default:
				if (!IsJsonSpace(c))
					body = true;
				break;
		}
	}
	/* an array the input ends inside: NextElement says it is truncated */
	if (!closed)
		return StreamFormat::Array;

	long		elements = body ? commas + 1 : 0;

	throw JsonStreamError("the input is one line holding one JSON array (at line " + std::to_string(line_) +
						  "), which reads both as one NDJSON document (1 row) and as a JSON array of " +
						  std::to_string(elements) + " element" + (elements == 1 ? "" : "s") + " (" +
						  std::to_string(elements) + " row" + (elements == 1 ? "" : "s") + ")",
						  here, JsonStreamError::kAmbiguous);
}

StreamFormat
JsonDocumentSplitter::Start()
{
	if (format_ == StreamFormat::Unknown)
		DetectFormat();
	return format_;
}

bool
JsonDocumentSplitter::Next(std::string &doc, DocumentPosition &pos)
{
	if (format_ == StreamFormat::Unknown)
		DetectFormat();
	switch (format_)
	{
		case StreamFormat::Ndjson:
			return NextLine(doc, pos);
		case StreamFormat::Array:
			return NextElement(doc, pos);
		default:
			return false;
	}
}

bool
JsonDocumentSplitter::NextLine(std::string &doc, DocumentPosition &pos)
{
	for (;;)
	{
		bool		have_newline = false;

		doc.clear();
		pos.line = line_;
		pos.element = 0;
		pos.offset = static_cast<std::int64_t>(BytesConsumed());
		for (;;)
		{
			const char *start = buf_.data() + pos_;
			const char *nl = static_cast<const char *>(std::memchr(start, '\n', end_ - pos_));

			if (nl != nullptr)
			{
				doc.append(start, nl);
				pos_ += static_cast<std::size_t>(nl - start) + 1;
				line_++;
				have_newline = true;
				break;
			}
			doc.append(start, end_ - pos_);
			pos_ = end_;
			if (!Fill())
				break;
		}
		if (!doc.empty() && doc.back() == '\r')
			doc.pop_back();
		if (!OnlyWhitespace(doc))
		{
			pos.document = ++documents_;
			return true;
		}
		if (!have_newline)
			return false;		/* the end of the input */
	}
}

bool
JsonDocumentSplitter::NextElement(std::string &doc, DocumentPosition &pos)
{
	std::vector<char> open;		/* brackets not yet closed, innermost last */
	bool		in_string = false;
	bool		escaped = false;

	doc.clear();
	if (array_closed_)
	{
		CheckTrailing();
		return false;
	}
	if (!SkipWhitespace())
		throw JsonStreamError("the input ends before the JSON array opened at line " +
							  std::to_string(array_line_) + " is closed (after " +
							  std::to_string(elements_) + " elements): the file is truncated",
							  DocumentPosition{elements_ + 1, line_, elements_ + 1,
											   static_cast<std::int64_t>(BytesConsumed())});
	if (elements_ == 0 && buf_[pos_] == ']')
	{
		pos_++;
		array_closed_ = true;
		CheckTrailing();
		return false;
	}
	pos.line = line_;
	pos.element = elements_ + 1;
	pos.document = elements_ + 1;
	pos.offset = static_cast<std::int64_t>(BytesConsumed());
	for (;;)
	{
		std::size_t run = pos_;	/* start of the bytes not yet copied into doc */
		bool		done = false;

		while (pos_ < end_ && !done)
		{
			char		c = buf_[pos_];

			if (c == '\n')
				line_++;
			if (in_string)
			{
				if (escaped)
					escaped = false;
				else if (c == '\\')
					escaped = true;
				else if (c == '"')
					in_string = false;
				pos_++;
				continue;
			}
			switch (c)
			{
				case '"':
					in_string = true;
					break;
				case '{':
				case '[':
					open.push_back(c);
					break;
				case '}':
				case ']':
					if (open.empty())
					{
						if (c == '}')
							throw JsonStreamError("'}' at line " + std::to_string(line_) +
												  " closes nothing in array element " +
												  std::to_string(pos.element) + " (starting at line " +
												  std::to_string(pos.line) + ")", pos);
						array_closed_ = true;
						done = true;
						continue;	/* the ']' is consumed below */
					}
					if ((c == '}') != (open.back() == '{'))
						throw JsonStreamError(std::string("'") + c + "' at line " + std::to_string(line_) +
											  " closes a '" + open.back() + "' in array element " +
											  std::to_string(pos.element) + " (starting at line " +
											  std::to_string(pos.line) + ")", pos);
					open.pop_back();
					break;
				case ',':
					if (open.empty())
					{
						done = true;
						continue;
					}
					break;
				default:
					break;
			}
			pos_++;
		}
		doc.append(buf_.data() + run, pos_ - run);
		if (done)
		{
			pos_++;				/* the ',' or ']' */
			break;
		}
		if (!Fill())
			throw JsonStreamError("the input ends inside array element " + std::to_string(pos.element) +
								  " (starting at line " + std::to_string(pos.line) + ")" +
								  (in_string ? ", inside a string" : "") +
								  ": the file is truncated", pos);
	}
	TrimRight(doc);
	elements_++;
	documents_++;

	/*
	 * "[1, 2, ]" and "[1,,2]" leave an empty element: handed on like any
	 * other, for the server to reject with its own words.
	 */
	return true;
}

/* After the closing ']' only white space may follow. */
void
JsonDocumentSplitter::CheckTrailing()
{
	if (SkipWhitespace())
		throw JsonStreamError("unexpected text after the end of the JSON array, at line " +
							  std::to_string(line_) + ": a file holds one array, or one document per line",
							  DocumentPosition{0, line_, 0, static_cast<std::int64_t>(BytesConsumed())});
}

}							/* namespace pathx */
