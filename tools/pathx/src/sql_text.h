/*
 * sql_text.h
 *	  SQL names and literals as the CLI reads and writes them.
 *
 * Names come from the command line (--table, pathx paths TABLE.COLUMN)
 * and are read by SQL's rules, as psql's \d and pg_dump -t read them: a
 * part in double quotes is taken as is ("" stands for a quote), anything
 * else is folded to lower case.  Statements the CLI runs quote names and
 * values with libpqxx (connection::quote_name, quote), which asks the
 * server's own rules.  Only the statements the CLI prints for the user to
 * run (pathx paths' suggested indexes) are quoted here without a
 * connection: a standard string literal, quotes doubled, which every
 * server with standard_conforming_strings on (the default since 9.1)
 * reads back as written.
 */
#ifndef PATHX_CLI_SQL_TEXT_H
#define PATHX_CLI_SQL_TEXT_H

#include <pqxx/connection>

#include <string>
#include <vector>

namespace pathx
{

/*
 * Splits "a.b", "s.t.c", "\"My Table\".doc" into its parts (quotes
 * removed, unquoted parts folded to lower case).  Throws CliError (exit
 * status 2) on an unclosed quote or an empty part; `forms` names what may
 * be written, for the hint ("table or schema.table").
 */
std::vector<std::string> ParseQualifiedName(const std::string &name, const std::string &forms);

/* "schema.name" -> "\"schema\".\"name\"" (at most two parts, each quoted by the server's rules). */
std::string QuoteQualifiedName(pqxx::connection &conn, const std::string &name);

/* A standard SQL string literal for printed statements: 'it''s'. */
std::string SqlLiteral(const std::string &s);

/* A text[] literal for #>>, SQL-quoted: '{"a","b c"}'. */
std::string TextArrayLiteral(const std::vector<std::string> &items);

}							/* namespace pathx */

#endif							/* PATHX_CLI_SQL_TEXT_H */
