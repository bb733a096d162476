/*
 * sql_text.cpp
 *	  SQL names and literals as the CLI reads and writes them (see
 *	  sql_text.h for which quoting serves which statements).
 */
#include "sql_text.h"

#include "ui.h"

#include <cctype>

namespace pathx
{

std::vector<std::string>
ParseQualifiedName(const std::string &name, const std::string &forms)
{
	std::vector<std::string> parts;
	std::string part;
	bool		quoted = false;

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
					   "write " + forms + " (double quotes keep upper case: '\"Orders\"', \"\" is a quote)", 2);
	for (const std::string &p : parts)
		if (p.empty())
			throw CliError("the name '" + name + "' has an empty part", "write " + forms, 2);
	return parts;
}

std::string
QuoteQualifiedName(pqxx::connection &conn, const std::string &name)
{
	std::vector<std::string> parts = ParseQualifiedName(name, "table or schema.table");
	std::string out;

	if (parts.size() > 2)
		throw CliError("cannot read the table name '" + name + "'", "write table or schema.table", 2);
	for (const std::string &p : parts)
		out += (out.empty() ? "" : ".") + conn.quote_name(p);
	return out;
}

std::string
SqlLiteral(const std::string &s)
{
	std::string out = "'";

	for (char c : s)
	{
		if (c == '\'')
			out += '\'';
		out += c;
	}
	return out + "'";
}

std::string
TextArrayLiteral(const std::vector<std::string> &items)
{
	std::string body = "{";

	for (size_t i = 0; i < items.size(); i++)
	{
		if (i > 0)
			body += ",";
		body += '"';
		for (char c : items[i])
		{
			/* array syntax: a quoted element escapes " and \ with \ */
			if (c == '"' || c == '\\')
				body += '\\';
			body += c;
		}
		body += '"';
	}
	return SqlLiteral(body + "}");
}

}							/* namespace pathx */
