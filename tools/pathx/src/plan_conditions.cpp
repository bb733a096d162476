/*
 * plan_conditions.cpp
 *	  A small scanner over deparsed condition text (see plan_conditions.h).
 *
 * It knows just enough SQL lexing to be safe: quoted literals and quoted
 * identifiers are skipped whole, operators are maximal runs of operator
 * characters (as PostgreSQL's lexer reads them, so "<@" is never taken
 * for "@"), and an operand's extent ends at its enclosing parenthesis or
 * at AND / OR.  Whatever does not fit the expected shapes is reported,
 * not guessed.
 */
#include "plan_conditions.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace pathx
{

namespace
{

bool
IsOpChar(char c)
{
	switch (c)
	{
		case '+': case '-': case '*': case '/': case '<': case '>': case '=':
		case '~': case '!': case '@': case '#': case '%': case '^': case '&':
		case '|': case '`': case '?':
			return true;
		default:
			return false;
	}
}

bool
IsIdentChar(char c)
{
	return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

/* Index after a quoted run starting at s[i] (quote char q, doubled to escape). */
size_t
SkipQuoted(const std::string &s, size_t i, char q, bool backslash)
{
	size_t		j = i + 1;

	while (j < s.size())
	{
		if (backslash && s[j] == '\\' && j + 1 < s.size())
		{
			j += 2;
			continue;
		}
		if (s[j] == q)
		{
			if (j + 1 < s.size() && s[j + 1] == q)
			{
				j += 2;
				continue;
			}
			return j + 1;
		}
		j++;
	}
	return std::string::npos;
}

/* Is s[i..] the keyword kw (case-insensitive) standing alone? */
bool
KeywordAt(const std::string &s, size_t i, const char *kw)
{
	size_t		n = 0;

	while (kw[n] != '\0')
	{
		if (i + n >= s.size() ||
			std::toupper(static_cast<unsigned char>(s[i + n])) != kw[n])
			return false;
		n++;
	}
	if (i > 0 && IsIdentChar(s[i - 1]))
		return false;
	return i + n >= s.size() || !IsIdentChar(s[i + n]);
}

size_t
SkipSpace(const std::string &s, size_t i)
{
	while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
		i++;
	return i;
}

std::string
Trim(const std::string &s)
{
	size_t		b = 0, e = s.size();

	while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
		b++;
	while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
		e--;
	return s.substr(b, e - b);
}

/*
 * Reads a literal at s[i] ('...' or E'...'); sets *value and returns the
 * index after it, npos when there is none.
 */
size_t
ReadLiteral(const std::string &s, size_t i, std::string *value)
{
	bool		escape = false;

	if (i < s.size() && (s[i] == 'E' || s[i] == 'e') && i + 1 < s.size() && s[i + 1] == '\'')
	{
		escape = true;
		i++;
	}
	if (i >= s.size() || s[i] != '\'')
		return std::string::npos;
	size_t		end = SkipQuoted(s, i, '\'', escape);

	if (end == std::string::npos)
		return std::string::npos;
	value->clear();
	for (size_t j = i + 1; j + 1 < end; j++)
	{
		if (s[j] == '\'' && s[j + 1] == '\'')
		{
			*value += '\'';
			j++;
		}
		else if (escape && s[j] == '\\' && j + 2 < end)
		{
			j++;
			switch (s[j])
			{
				case 'n': *value += '\n'; break;
				case 't': *value += '\t'; break;
				case 'r': *value += '\r'; break;
				case 'b': *value += '\b'; break;
				case 'f': *value += '\f'; break;
				default: *value += s[j]; break;
			}
		}
		else
			*value += s[j];
	}
	return end;
}

/* Reads "::type" at s[i] (type may be "character varying", may end in []). */
size_t
ReadCast(const std::string &s, size_t i, std::string *type)
{
	type->clear();
	if (s.compare(i, 2, "::") != 0)
		return i;
	size_t		j = i + 2;

	if (j < s.size() && s[j] == '"')
	{
		size_t		end = SkipQuoted(s, j, '"', false);

		if (end == std::string::npos)
			return i;
		*type = s.substr(j + 1, end - j - 2);
		j = end;
	}
	else
	{
		while (j < s.size() && (IsIdentChar(s[j]) || s[j] == '.'))
			*type += s[j++];
		if (*type == "character" && s.compare(j, 8, " varying") == 0)
		{
			*type += " varying";
			j += 8;
		}
	}
	while (s.compare(j, 2, "[]") == 0)
	{
		*type += "[]";
		j += 2;
	}
	return j;
}

/* The type a jsonb operator's right operand must have. */
const char *
ExpectedType(const std::string &op)
{
	if (op == "@>")
		return "jsonb";
	if (op == "@?" || op == "@@")
		return "jsonpath";
	if (op == "?")
		return "text";
	return "text[]";			/* ?| ?& */
}

bool
TypeMatches(const std::string &op, const std::string &type)
{
	std::string want = ExpectedType(op);

	if (type == want)
		return true;
	/* key operands may be written as varchar too */
	if (op == "?")
		return type == "character varying" || type == "varchar";
	if (op == "?|" || op == "?&")
		return type == "character varying[]" || type == "varchar[]";
	return false;
}

/* Does the operand end here (closing parenthesis, AND/OR, end)? */
bool
OperandEnds(const std::string &s, size_t i)
{
	i = SkipSpace(s, i);
	return i >= s.size() || s[i] == ')' || KeywordAt(s, i, "AND") || KeywordAt(s, i, "OR");
}

/*
 * Parses the right operand at s[i] into c; returns the index after it.
 * On a shape it does not know, c->parsed stays false with a reason, and
 * the scan continues after the next operand boundary.
 */
size_t
ParseRight(const std::string &s, size_t i, JsonbCondition *c, bool *is_jsonb)
{
	std::string value, type;
	size_t		j = SkipSpace(s, i);

	*is_jsonb = true;
	if (KeywordAt(s, j, "ARRAY") && s.compare(SkipSpace(s, j + 5), 1, "[") == 0)
	{
		size_t		k = SkipSpace(s, j + 5) + 1;
		std::vector<std::string> items;

		for (;;)
		{
			k = SkipSpace(s, k);
			if (k < s.size() && s[k] == ']' && items.empty())
			{
				k++;
				break;
			}
			if (KeywordAt(s, k, "NULL"))
			{
				/* NULL keys never match: left out, as the operator class does */
				k = ReadCast(s, k + 4, &type);
			}
			else
			{
				size_t		e = ReadLiteral(s, k, &value);

				if (e == std::string::npos)
				{
					c->problem = "an ARRAY element is not a constant";
					return k;
				}
				k = ReadCast(s, e, &type);
				if (!type.empty() && type != "text" && type != "character varying")
				{
					c->problem = "an ARRAY element is cast to " + type;
					return k;
				}
				items.push_back(value);
			}
			k = SkipSpace(s, k);
			if (k < s.size() && s[k] == ',')
			{
				k++;
				continue;
			}
			if (k < s.size() && s[k] == ']')
			{
				k++;
				break;
			}
			c->problem = "cannot read the ARRAY[...] operand";
			return k;
		}
		k = ReadCast(s, k, &type);
		if (c->op != "?|" && c->op != "?&")
		{
			*is_jsonb = false;
			return k;
		}
		if (!type.empty() && !TypeMatches(c->op, type))
		{
			*is_jsonb = false;
			return k;
		}
		if (!OperandEnds(s, k))
		{
			c->problem = "the right operand is an expression, not a constant";
			return k;
		}
		c->keys = items;
		c->parsed = true;
		return k;
	}

	size_t		e = ReadLiteral(s, j, &value);

	if (e == std::string::npos)
	{
		c->problem = "the right operand is not a constant (a parameter, a column or an expression)";
		return j;
	}
	size_t		k = ReadCast(s, e, &type);

	if (type.empty())
	{
		c->problem = "the constant has no type cast; cannot tell the operator's type";
		return k;
	}
	if (!TypeMatches(c->op, type))
	{
		/* the same operator on other types: not a jsonb condition */
		*is_jsonb = false;
		return k;
	}
	if (!OperandEnds(s, k))
	{
		c->problem = "the right operand is an expression, not a constant";
		return k;
	}
	if (c->op == "?|" || c->op == "?&")
	{
		if (!ParseTextArray(value, &c->keys))
		{
			c->problem = "cannot read the array constant " + value;
			return k;
		}
	}
	else
		c->value = value;
	c->parsed = true;
	return k;
}

}							/* namespace */

bool
ParseTextArray(const std::string &literal, std::vector<std::string> *items)
{
	std::string s = Trim(literal);

	items->clear();
	if (s.size() < 2 || s.front() != '{' || s.back() != '}')
		return false;
	size_t		i = 1;
	size_t		end = s.size() - 1;

	if (SkipSpace(s, i) == end)
		return true;
	for (;;)
	{
		i = SkipSpace(s, i);
		std::string item;
		bool		quoted = false;

		if (i < end && s[i] == '"')
		{
			quoted = true;
			i++;
			while (i < end && s[i] != '"')
			{
				if (s[i] == '\\' && i + 1 < end)
					i++;
				item += s[i++];
			}
			if (i >= end)
				return false;
			i++;
		}
		else
		{
			while (i < end && s[i] != ',')
			{
				if (s[i] == '{' || s[i] == '"')
					return false;	/* nested arrays are not key lists */
				if (s[i] == '\\' && i + 1 < end)
					i++;
				item += s[i++];
			}
			item = Trim(item);
			if (item.empty())
				return false;
		}
		if (quoted || item != "NULL")
			items->push_back(item);
		i = SkipSpace(s, i);
		if (i == end)
			return true;
		if (s[i] != ',')
			return false;
		i++;
	}
}

std::vector<JsonbCondition>
FindJsonbConditions(const std::string &s)
{
	std::vector<JsonbCondition> out;
	std::vector<size_t> operand_start{0};	/* per parenthesis depth */
	size_t		i = 0;

	while (i < s.size())
	{
		char		ch = s[i];

		if (ch == '\'' || ((ch == 'E' || ch == 'e') && i + 1 < s.size() && s[i + 1] == '\'' &&
						   (i == 0 || !IsIdentChar(s[i - 1]))))
		{
			bool		esc = ch != '\'';
			size_t		end = SkipQuoted(s, esc ? i + 1 : i, '\'', esc);

			if (end == std::string::npos)
				break;
			i = end;
			continue;
		}
		if (ch == '"')
		{
			size_t		end = SkipQuoted(s, i, '"', false);

			if (end == std::string::npos)
				break;
			i = end;
			continue;
		}
		if (ch == '(')
		{
			operand_start.push_back(i + 1);
			i++;
			continue;
		}
		if (ch == ')')
		{
			if (operand_start.size() > 1)
				operand_start.pop_back();
			i++;
			continue;
		}
		if (KeywordAt(s, i, "AND") || KeywordAt(s, i, "NOT"))
		{
			operand_start.back() = i + 3;
			i += 3;
			continue;
		}
		if (KeywordAt(s, i, "OR"))
		{
			operand_start.back() = i + 2;
			i += 2;
			continue;
		}
		if (!IsOpChar(ch))
		{
			/* skip whole words so that keywords are only seen at word starts */
			if (IsIdentChar(ch))
				while (i < s.size() && IsIdentChar(s[i]))
					i++;
			else
				i++;
			continue;
		}

		size_t		op_start = i;

		while (i < s.size() && IsOpChar(s[i]))
			i++;
		std::string op = s.substr(op_start, i - op_start);

		if (op != "@>" && op != "?" && op != "?|" && op != "?&" && op != "@?" && op != "@@")
			continue;

		JsonbCondition c;
		bool		is_jsonb = true;

		c.op = op;
		c.left = Trim(s.substr(operand_start.back(), op_start - operand_start.back()));
		size_t		end = ParseRight(s, i, &c, &is_jsonb);

		if (!c.parsed && c.problem.empty() && is_jsonb)
			c.problem = "cannot read the right operand";
		if (!c.parsed)
		{
			/* the operand's text runs to the next boundary */
			size_t		k = end;

			while (k < s.size() && s[k] != ')' && !KeywordAt(s, k, "AND") && !KeywordAt(s, k, "OR"))
			{
				if (s[k] == '\'' || s[k] == '"')
				{
					size_t		q = SkipQuoted(s, k, s[k], false);

					k = q == std::string::npos ? s.size() : q;
				}
				else
					k++;
			}
			end = k;
		}
		c.text = Trim(s.substr(operand_start.back(), end - operand_start.back()));
		if (is_jsonb)
			out.push_back(c);
		i = std::max(i, end);
	}
	return out;
}

std::string
ColumnOfOperand(const std::string &left)
{
	std::string last;
	size_t		i = 0;

	if (left.empty())
		return "";
	while (i < left.size())
	{
		if (left[i] == '"')
		{
			size_t		end = SkipQuoted(left, i, '"', false);

			if (end == std::string::npos)
				return "";
			last.clear();
			for (size_t j = i + 1; j + 1 < end; j++)
			{
				last += left[j];
				if (left[j] == '"')
					j++;
			}
			i = end;
		}
		else if (IsIdentChar(left[i]))
		{
			last.clear();
			while (i < left.size() && IsIdentChar(left[i]))
				last += left[i++];
		}
		else
			return "";			/* an expression, not a column reference */
		if (i < left.size())
		{
			if (left[i] != '.')
				return "";
			i++;
		}
	}
	return last;
}

/*
 * jsonpath string literals take JSON's escapes, so JSON's writer serves.
 * The text is UTF-8 (cmd_explain talks UTF-8 to the server); a byte that
 * is not, which only a SQL_ASCII database can hold, becomes U+FFFD rather
 * than an exception.
 */
std::string
JsonPathString(const std::string &s)
{
	return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string
KeyOperatorAsJsonPath(const std::string &op, const std::vector<std::string> &keys)
{
	std::string out;
	const char *join = op == "?&" ? " && " : " || ";

	for (const std::string &k : keys)
	{
		std::string one = "exists($." + JsonPathString(k) + ") || $ == " + JsonPathString(k);

		if (!out.empty())
			out += join;
		out += keys.size() > 1 ? "(" + one + ")" : one;
	}
	return out;
}

std::string
FirstKeyword(const std::string &sql)
{
	size_t		i = 0;

	for (;;)
	{
		i = SkipSpace(sql, i);
		if (sql.compare(i, 2, "--") == 0)
		{
			while (i < sql.size() && sql[i] != '\n')
				i++;
		}
		else if (sql.compare(i, 2, "/*") == 0)
		{
			int			depth = 0;

			/* comments nest in PostgreSQL */
			while (i < sql.size())
			{
				if (sql.compare(i, 2, "/*") == 0)
				{
					depth++;
					i += 2;
				}
				else if (sql.compare(i, 2, "*/") == 0)
				{
					i += 2;
					if (--depth == 0)
						break;
				}
				else
					i++;
			}
		}
		else if (i < sql.size() && sql[i] == '(')
			i++;
		else
			break;
	}
	std::string word;

	while (i < sql.size() && IsIdentChar(sql[i]))
		word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i++])));
	return word;
}

bool
IsQueryStatement(const std::string &sql)
{
	std::string k = FirstKeyword(sql);

	return k == "select" || k == "with" || k == "values" || k == "table";
}

}							/* namespace pathx */
