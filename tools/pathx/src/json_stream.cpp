/*
 * json_stream.cpp
 *	  Splitting NDJSON and JSON arrays into documents, chunk by chunk (see
 *	  json_stream.h for the rules).
 *
 * The scanners work on the bytes already in the buffer and copy whole runs
 * into the document at once (memchr for NDJSON lines, a byte loop for array
 * elements), refilling when a run reaches the end of the buffer; a refill
 * discards everything consumed, so the buffer never grows beyond one chunk
 * and the only unbounded thing is the document itself.
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

std::string
DescribePosition(const DocumentPosition &pos)
{
	std::string s = "line " + std::to_string(pos.line);

	if (pos.element > 0)
		s += " (array element " + std::to_string(pos.element) + ")";
	return s;
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

void
TrimRight(std::string &s)
{
	while (!s.empty() && IsJsonSpace(s.back()))
		s.pop_back();
}

}							/* namespace */

JsonDocumentSplitter::JsonDocumentSplitter(ReadFunction read, std::size_t chunk_size)
	: read_(std::move(read)), buf_(std::max<std::size_t>(chunk_size, 16))
{
}

/* Replaces the consumed part of the buffer with new input; false at EOF. */
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
	if (buf_[pos_] == '[')
	{
		format_ = StreamFormat::Array;
		array_line_ = line_;
		pos_++;
	}
	else
		format_ = StreamFormat::Ndjson;
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
			return true;
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
							  DocumentPosition{line_, elements_ + 1});
	if (elements_ == 0 && buf_[pos_] == ']')
	{
		pos_++;
		array_closed_ = true;
		CheckTrailing();
		return false;
	}
	pos.line = line_;
	pos.element = elements_ + 1;
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
							  DocumentPosition{line_, 0});
}

}							/* namespace pathx */
