/*-------------------------------------------------------------------------
 *
 * json_text.cpp
 *	  JSON text in, jsonpath text out: the small JSON reader for the
 *	  constants of application SQL forms, jsonpath literals, and the
 *	  substitution of jsonpath variables.
 *
 * The glue hands the core every constant as text: jsonb as jsonb_out
 * prints it, the values of jsonpath variables as JSON text.  JsonReader
 * reads that text into a Json tree, strictly (one value, nothing after
 * it) and with a depth limit: beyond kMaxJsonDepth levels the contents
 * are read but not kept (too_deep), since a condition may always leave a
 * conjunct out.  Numbers are kept as their text, which must be a JSON number
 * (IsNumberText) and so is also a valid jsonpath numeric literal; strings
 * are decoded to UTF-8, surrogate pairs included.
 *
 * The way back: ScalarLiteral writes a scalar as a jsonpath literal, and
 * JsonPathStringLiteral a string, escaping only " \ and control
 * characters (other bytes, also of other server encodings, pass as they
 * are).  SplitJsonPathMode separates a path's strict / lax prefix, which
 * only the start of a whole path may carry.
 *
 * SubstituteJsonPathVariables turns jsonb_path_exists(doc, path, vars)
 * into a path the index can search: each $"name" outside string literals
 * becomes the literal of vars' member "name".  Only scalars substitute: a
 * container variable has lax unwrapping semantics that no literal
 * reproduces, so the substitution fails and nothing is derived.  A literal
 * followed by an accessor is parenthesised ($x.type()), as jsonpath's
 * grammar wants; elsewhere it stands bare, since `starts with` takes a
 * bare literal only.
 *
 * extension/src/core/json_text.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/sql_forms_internal.h"

#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace pathx
{

using forms_internal::Json;
using forms_internal::JsonReader;
using forms_internal::ScalarLiteral;

namespace forms_internal
{

namespace
{

/* Constants nested deeper than this contribute nothing below that level. */
constexpr int kMaxJsonDepth = 64;

}							/* namespace */

/* A JSON number as numeric_out (or float8out) prints it, also valid jsonpath. */
bool
IsNumberText(const std::string &s)
{
	size_t		i = 0,
				n = s.size();

	if (i < n && s[i] == '-')
		i++;
	if (i >= n)
		return false;
	if (s[i] == '0')
		i++;
	else if (s[i] >= '1' && s[i] <= '9')
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	else
		return false;
	if (i < n && s[i] == '.')
	{
		size_t		start = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t		start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == n;
}

std::string
ScalarLiteral(const Json &v)
{
	switch (v.type)
	{
		case Json::Type::kNull:
			return "null";
		case Json::Type::kBool:
			return v.b ? "true" : "false";
		case Json::Type::kNumber:
			return v.text;
		case Json::Type::kString:
			return JsonPathStringLiteral(v.text);
		default:
			break;
	}
	return "null";
}

bool
JsonReader::Read(Json *out)
{
	if (!Value(out, 0))
		return false;
	Space();
	return pos_ == s_.size();
}

void
JsonReader::Space()
{
	while (pos_ < s_.size() &&
		   (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
		pos_++;
}

bool
JsonReader::Literal(const char *word)
{
	size_t		n = std::char_traits<char>::length(word);

	if (s_.compare(pos_, n, word) != 0)
		return false;
	pos_ += n;
	return true;
}

void
JsonReader::AppendUtf8(std::string &out, uint32_t cp)
{
	if (cp < 0x80)
		out += static_cast<char>(cp);
	else if (cp < 0x800)
	{
		out += static_cast<char>(0xC0 | (cp >> 6));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
	else if (cp < 0x10000)
	{
		out += static_cast<char>(0xE0 | (cp >> 12));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
	else
	{
		out += static_cast<char>(0xF0 | (cp >> 18));
		out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
}

bool
JsonReader::Hex4(uint32_t *v)
{
	if (pos_ + 4 > s_.size())
		return false;
	*v = 0;
	for (int i = 0; i < 4; i++)
	{
		char		c = s_[pos_++];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= static_cast<uint32_t>(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= static_cast<uint32_t>(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= static_cast<uint32_t>(c - 'A' + 10);
		else
			return false;
	}
	return true;
}

bool
JsonReader::String(std::string *out)
{
	if (pos_ >= s_.size() || s_[pos_] != '"')
		return false;
	pos_++;
	while (pos_ < s_.size())
	{
		char		c = s_[pos_++];

		if (c == '"')
			return true;
		if (c != '\\')
		{
			*out += c;
			continue;
		}
		if (pos_ >= s_.size())
			return false;
		c = s_[pos_++];
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				*out += c;
				break;
			case 'b':
				*out += '\b';
				break;
			case 'f':
				*out += '\f';
				break;
			case 'n':
				*out += '\n';
				break;
			case 'r':
				*out += '\r';
				break;
			case 't':
				*out += '\t';
				break;
			case 'u':
				{
					uint32_t	cp,
								lo;

					if (!Hex4(&cp))
						return false;
					if (cp >= 0xD800 && cp <= 0xDBFF && s_.compare(pos_, 2, "\\u") == 0)
					{
						pos_ += 2;
						if (!Hex4(&lo) || lo < 0xDC00 || lo > 0xDFFF)
							return false;
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					}
					AppendUtf8(*out, cp);
					break;
				}
			default:
				return false;
		}
	}
	return false;
}

bool
JsonReader::Value(Json *out, int depth)
{
	Space();
	if (pos_ >= s_.size())
		return false;
	char		c = s_[pos_];

	if (c == '{' || c == '[')
	{
		bool		obj = c == '{';
		char		close = obj ? '}' : ']';

		out->type = obj ? Json::Type::kObject : Json::Type::kArray;
		pos_++;
		Space();
		if (pos_ < s_.size() && s_[pos_] == close)
		{
			pos_++;
			return true;
		}
		for (;;)
		{
			std::string key;
			Json		child;

			Space();
			if (obj)
			{
				if (!String(&key))
					return false;
				Space();
				if (pos_ >= s_.size() || s_[pos_++] != ':')
					return false;
			}
			if (!Value(&child, depth + 1))
				return false;
			if (depth + 1 >= kMaxJsonDepth)
				out->too_deep = true;	/* read, but not kept */
			else if (obj)
				out->members.emplace_back(std::move(key), std::move(child));
			else
				out->elems.push_back(std::move(child));
			Space();
			if (pos_ >= s_.size())
				return false;
			if (s_[pos_] == ',')
			{
				pos_++;
				continue;
			}
			if (s_[pos_] == close)
			{
				pos_++;
				return true;
			}
			return false;
		}
	}
	if (c == '"')
	{
		out->type = Json::Type::kString;
		return String(&out->text);
	}
	if (Literal("true"))
	{
		out->type = Json::Type::kBool;
		out->b = true;
		return true;
	}
	if (Literal("false"))
	{
		out->type = Json::Type::kBool;
		return true;
	}
	if (Literal("null"))
		return true;

	size_t		start = pos_;

	while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) ||
								s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == '.' ||
								s_[pos_] == 'e' || s_[pos_] == 'E'))
		pos_++;
	out->type = Json::Type::kNumber;
	out->text = s_.substr(start, pos_ - start);
	return IsNumberText(out->text);
}

}							/* namespace forms_internal */

std::string
JsonPathStringLiteral(const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	std::string out = "\"";

	for (unsigned char c : s)
	{
		if (c == '"' || c == '\\')
		{
			out += '\\';
			out += static_cast<char>(c);
		}
		else if (c < 0x20)
		{
			out += "\\u00";
			out += hex[c >> 4];
			out += hex[c & 0xF];
		}
		else
			out += static_cast<char>(c);
	}
	out += '"';
	return out;
}

std::pair<bool, std::string>
SplitJsonPathMode(const std::string &path)
{
	size_t		i = path.find_first_not_of(" \t\n\r");

	if (i == std::string::npos)
		return {false, path};
	if (path.compare(i, 7, "strict ") == 0)
		return {true, path.substr(i + 7)};
	if (path.compare(i, 4, "lax ") == 0)
		return {false, path.substr(i + 4)};
	return {false, path.substr(i)};
}

bool
SubstituteJsonPathVariables(const std::string &path,
							const std::vector<std::pair<std::string, std::string>> &vars,
							std::string *out)
{
	std::string result;
	size_t		i = 0,
				n = path.size();

	/* copy a "..." literal starting at path[i], escapes included */
	auto		skip_string = [&](size_t start, size_t *end) -> bool {
		size_t		j = start + 1;

		while (j < n)
		{
			if (path[j] == '\\')
				j += 2;
			else if (path[j] == '"')
			{
				*end = j + 1;
				return true;
			}
			else
				j++;
		}
		return false;
	};

	while (i < n)
	{
		char		c = path[i];

		if (c == '"')
		{
			size_t		end;

			if (!skip_string(i, &end))
				return false;
			result.append(path, i, end - i);
			i = end;
			continue;
		}
		if (c == '$' && i + 1 < n && path[i + 1] == '"')
		{
			size_t		end;

			if (!skip_string(i + 1, &end))
				return false;

			Json		name;
			JsonReader	reader(path.substr(i + 1, end - i - 1));

			if (!reader.Read(&name) || name.type != Json::Type::kString)
				return false;

			const std::string *value = nullptr;

			for (const auto &v : vars)
				if (v.first == name.text)
					value = &v.second;
			if (!value)
				return false;

			Json		lit;
			JsonReader	vreader(*value);

			if (!vreader.Read(&lit) || lit.type == Json::Type::kObject ||
				lit.type == Json::Type::kArray)
				return false;
			/*
			 * Parenthesised only when an accessor follows ($x.type()), since
			 * `starts with` takes a bare literal and no expression.
			 */
			size_t		next = path.find_first_not_of(" \t\n\r", end);
			bool		accessor = next != std::string::npos && (path[next] == '.' || path[next] == '[');

			result += accessor ? "(" + ScalarLiteral(lit) + ")" : ScalarLiteral(lit);
			i = end;
			continue;
		}
		result += c;
		i++;
	}
	*out = std::move(result);
	return true;
}

}							/* namespace pathx */

