/*
 * cmd_paths.cpp
 *	  pathx paths TABLE[.COLUMN]: the path profile of a jsonb column and the
 *	  jsonb_pathx_ops options it suggests.
 *
 * The work is one SQL statement, run on the server so that no document
 * travels to the client: a sample of the column (all of it when small,
 * else TABLESAMPLE to about --sample rows) is walked with a recursive CTE
 * over jsonb_each / jsonb_array_elements, one row per value with its path
 * written as jsonb_pathx writes paths (array steps as [*]); the rows are
 * then grouped by path, and by (path, value) for the distinct counts the
 * estimator needs.  A last row of the same result carries the sample's
 * size, so every figure comes from one consistent sample.
 *
 * Sampling: the table's size comes from pg_class.reltuples (a count(*)
 * when the table was never analysed).  Above --sample rows we read
 * TABLESAMPLE BERNOULLI, row by row; above 100 times that, SYSTEM, which
 * reads whole pages and so stays fast on very large tables.  REPEATABLE
 * makes runs reproducible.  Views cannot be sampled: the first rows are used.
 *
 * Name resolution follows PostgreSQL: unquoted names fold to lower case,
 * "A.B" is a schema-qualified table if one exists, else TABLE.COLUMN; the
 * column may be left out when the table has one jsonb column.  Every
 * identifier goes into SQL quoted (format('%I') / quote_ident).
 *
 * The figures are turned into advice by the pure functions of
 * path_profile.h, where the rules are documented and tested, and where
 * --json is written (nlohmann::json: exact integers, always valid JSON).
 * The session talks UTF-8, the encoding JSON requires.
 */
#include "commands.h"
#include "context.h"
#include "path_profile.h"
#include "sql_text.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <cmath>
#include <iostream>

namespace pathx
{

namespace
{

struct PathsOptions
{
	std::string target;
	uint64_t	sample = 10000;
	bool		json = false;
	size_t		limit = 200;
};

/* Deepest nesting walked: deeper values are left out of the profile. */
constexpr int kMaxDepth = 100;

struct Relation
{
	std::string oid;
	std::string name;			/* schema-qualified, quoted */
	double		reltuples = -1;
	char		relkind = 'r';
};

/* The relation named by schema (may be empty) and table, or none. */
bool
FindRelation(pqxx::work &tx, const std::string &schema, const std::string &table, Relation *rel)
{
	pqxx::result r = tx.exec_params(
		"SELECT c.oid::text, format('%I.%I', n.nspname, c.relname), c.reltuples::float8, c.relkind "
		"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
		"WHERE c.oid = to_regclass(CASE WHEN $1 = '' THEN quote_ident($2) "
		"                          ELSE quote_ident($1) || '.' || quote_ident($2) END) "
		"  AND c.relkind IN ('r', 'p', 'm', 'v', 'f')",
		schema, table);

	if (r.empty())
		return false;
	rel->oid = r[0][0].as<std::string>();
	rel->name = r[0][1].as<std::string>();
	rel->reltuples = r[0][2].as<double>();
	rel->relkind = r[0][3].as<std::string>()[0];
	return true;
}

std::vector<std::string>
JsonbColumns(pqxx::work &tx, const std::string &oid)
{
	std::vector<std::string> cols;

	for (const auto &row : tx.exec_params(
			 "SELECT attname FROM pg_attribute WHERE attrelid = $1::oid AND attnum > 0 "
			 "AND NOT attisdropped AND atttypid = 'jsonb'::regtype ORDER BY attnum", oid))
		cols.push_back(row[0].as<std::string>());
	return cols;
}

std::string
JoinNames(const std::vector<std::string> &names)
{
	std::string out;

	for (const std::string &n : names)
		out += (out.empty() ? "" : ", ") + n;
	return out;
}

/* Resolves TABLE[.COLUMN] into a relation and one of its jsonb columns. */
void
Resolve(pqxx::work &tx, const std::string &target, Relation *rel, std::string *column)
{
	std::vector<std::string> parts = ParseQualifiedName(target, "TABLE, SCHEMA.TABLE, TABLE.COLUMN or SCHEMA.TABLE.COLUMN");
	std::string schema, table;

	column->clear();
	if (parts.size() == 1)
		table = parts[0];
	else if (parts.size() == 2)
	{
		/* schema.table when there is one, else table.column */
		if (FindRelation(tx, parts[0], parts[1], rel))
		{
			schema = parts[0];
			table = parts[1];
		}
		else
		{
			table = parts[0];
			*column = parts[1];
		}
	}
	else if (parts.size() == 3)
	{
		schema = parts[0];
		table = parts[1];
		*column = parts[2];
	}
	else
		throw CliError("\"" + target + "\" has too many parts",
					   "write TABLE, SCHEMA.TABLE, TABLE.COLUMN or SCHEMA.TABLE.COLUMN", 2);

	if (!FindRelation(tx, schema, table, rel))
		throw CliError("table \"" + (schema.empty() ? "" : schema + ".") + table +
					   "\" does not exist in this database",
					   "check the name (unquoted names fold to lower case; quote \"MixedCase\"), "
					   "and the database: pathx psql -c '\\dt *.*'");

	std::vector<std::string> jsonb = JsonbColumns(tx, rel->oid);

	if (column->empty())
	{
		if (jsonb.size() == 1)
			*column = jsonb[0];
		else if (jsonb.empty())
			throw CliError(rel->name + " has no jsonb column",
						   "name a table with a jsonb column: pathx paths TABLE.COLUMN");
		else
			throw CliError(rel->name + " has several jsonb columns: " + JoinNames(jsonb),
						   "name one: pathx paths " + rel->name + "." + jsonb[0], 2);
		return;
	}
	for (const std::string &c : jsonb)
		if (c == *column)
			return;

	pqxx::result any = tx.exec_params(
		"SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
		"WHERE attrelid = $1::oid AND attname = $2 AND attnum > 0 AND NOT attisdropped",
		rel->oid, *column);

	if (any.empty())
		throw CliError("column \"" + *column + "\" does not exist in " + rel->name,
					   jsonb.empty() ? "this table has no jsonb column"
					   : "its jsonb columns: " + JoinNames(jsonb));
	throw CliError("column \"" + *column + "\" of " + rel->name + " is " +
				   any[0][0].as<std::string>() + ", not jsonb",
				   jsonb.empty() ? "this table has no jsonb column"
				   : "its jsonb columns: " + JoinNames(jsonb));
}

/* The statement that walks the sample; see the file header. */
std::string
ProfileSql(const std::string &table, const std::string &column, const std::string &sample_clause,
		   uint64_t limit)
{
	const std::string is_scalar = "jsonb_typeof(val) NOT IN ('object', 'array')";
	const std::string str_len = "CASE WHEN jsonb_typeof(val) = 'string' THEN octet_length(val #>> '{}') END";

	return
		"WITH RECURSIVE s AS MATERIALIZED ("
		"  SELECT row_number() OVER () AS rid, d.doc"
		"  FROM (SELECT " + column + " AS doc FROM " + table + " " + sample_clause +
		"        LIMIT " + std::to_string(limit) + ") d"
		"), w(rid, path, val, depth) AS ("
		"  SELECT rid, '$'::text, doc, 0 FROM s WHERE doc IS NOT NULL"
		"  UNION ALL"
		"  SELECT w.rid, w.path || e.step, e.val, w.depth + 1"
		"  FROM w CROSS JOIN LATERAL ("
		"    SELECT CASE WHEN k.key ~ '^[A-Za-z_][A-Za-z0-9_]*$' THEN '.' || k.key"
		"                ELSE '.' || to_json(k.key)::text END, k.value"
		"    FROM jsonb_each(CASE WHEN jsonb_typeof(w.val) = 'object' THEN w.val END) k"
		"    UNION ALL"
		"    SELECT '[*]', a.value"
		"    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(w.val) = 'array' THEN w.val END) a"
		"  ) e(step, val)"
		"  WHERE w.depth < " + std::to_string(kMaxDepth) +
		"), per_path AS ("
		"  SELECT path, count(DISTINCT rid) AS nrows, count(*) AS occ,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'object') AS n_object,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'array') AS n_array,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'string') AS n_string,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'number') AS n_number,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'boolean') AS n_boolean,"
		"    count(*) FILTER (WHERE jsonb_typeof(val) = 'null') AS n_null,"
		"    avg(" + str_len + ")::float8 AS avg_str,"
		"    max(" + str_len + ") AS max_str,"
		"    max(CASE WHEN jsonb_typeof(val) = 'array' THEN jsonb_array_length(val) END) AS max_arr"
		"  FROM w GROUP BY path"
		"), per_value AS ("
		"  SELECT path, count(*) AS c FROM w WHERE " + is_scalar + " GROUP BY path, val"
		"), values_of AS ("
		"  SELECT path, count(*) AS d, count(*) FILTER (WHERE c = 1) AS f1, sum(c) AS n"
		"  FROM per_value GROUP BY path"
		") "
		"SELECT p.path, p.nrows, p.occ, p.n_object, p.n_array, p.n_string, p.n_number,"
		"       p.n_boolean, p.n_null, coalesce(v.n, 0)::bigint, coalesce(v.d, 0), coalesce(v.f1, 0),"
		"       coalesce(p.avg_str, 0), coalesce(p.max_str, 0), coalesce(p.max_arr, -1)"
		"FROM per_path p LEFT JOIN values_of v USING (path) "
		"UNION ALL "
		"SELECT NULL, count(*) FILTER (WHERE doc IS NOT NULL), count(*) FILTER (WHERE doc IS NULL),"
		"       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1 FROM s";
}

Profile
Measure(pqxx::work &tx, const PathsOptions &o)
{
	Relation	rel;
	std::string column;
	Profile		profile;

	Resolve(tx, o.target, &rel, &column);
	profile.table = rel.name;
	/* quote_ident: quotes only when needed, as psql users write it */
	profile.column = tx.exec_params("SELECT quote_ident($1)", column)[0][0].as<std::string>();

	double		total = rel.reltuples;

	if (total < 0 || rel.relkind == 'v' || rel.relkind == 'f')
	{
		/* never analysed (or a view): count, so that sampling is decided on a fact */
		Step("Counting", "rows of " + rel.name + " (no statistics; ANALYZE would avoid this)");
		total = tx.exec("SELECT count(*) FROM " + rel.name)[0][0].as<double>();
	}

	std::string sample_clause;

	if (total > double(o.sample) && rel.relkind != 'v' && rel.relkind != 'f')
	{
		/* a little more than needed, then LIMIT: BERNOULLI's count varies */
		double		pct = std::min(100.0, 100.0 * double(o.sample) / total * 1.2);
		std::string method = total >= 100.0 * double(o.sample) ? "SYSTEM" : "BERNOULLI";
		char		buf[32];

		snprintf(buf, sizeof(buf), "%.6f", pct);
		sample_clause = "TABLESAMPLE " + method + " (" + buf + ") REPEATABLE (0)";
		profile.sampled = true;
		profile.sample_method = "TABLESAMPLE " + method + " " + Fixed(pct, pct < 1 ? 3 : 1) + "%";
	}
	else if (total > double(o.sample))
	{
		profile.sampled = true;
		profile.sample_method = "the first " + Thousands(o.sample) + " rows of a view";
	}

	Step("Profiling", profile.table + "." + profile.column +
		 (profile.sampled ? " (sample of ~" + Thousands(o.sample) + " rows)" : ""));
	auto		start = std::chrono::steady_clock::now();
	pqxx::result r = tx.exec(ProfileSql(profile.table, profile.column, sample_clause, o.sample));

	for (const auto &row : r)
	{
		if (row[0].is_null())
		{
			profile.sampled_rows = row[1].as<uint64_t>();
			profile.null_rows = row[2].as<uint64_t>();
			continue;
		}
		PathStat	p;

		p.path = row[0].as<std::string>();
		p.rows = row[1].as<uint64_t>();
		p.occurrences = row[2].as<uint64_t>();
		for (int t = 0; t < kJsonTypeCount; t++)
			p.type_count[t] = row[3 + t].as<uint64_t>();
		p.scalar_occurrences = row[9].as<uint64_t>();
		p.scalar_distinct = row[10].as<uint64_t>();
		p.scalar_singletons = row[11].as<uint64_t>();
		p.avg_string_bytes = row[12].as<double>();
		p.max_string_bytes = row[13].as<uint64_t>();
		p.max_array_length = row[14].as<int64_t>();
		profile.paths.push_back(p);
	}
	double		seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

	/* an estimate of the table's rows: the count, or reltuples when sampled */
	uint64_t	seen = profile.sampled_rows + profile.null_rows;

	profile.total_rows = profile.sampled ? std::max(total, double(seen)) : double(seen);

	/* distinct values: scale with the values the whole table would hold */
	double		scale = profile.sampled && seen > 0 ? profile.total_rows / double(seen) : 1.0;

	for (PathStat &p : profile.paths)
		p.distinct_estimate = EstimateDistinct(p.scalar_occurrences, p.scalar_distinct,
											   p.scalar_singletons,
											   double(p.scalar_occurrences) * scale);
	Step("Finished", Thousands(profile.paths.size()) + " paths in " + Thousands(profile.sampled_rows) +
		 " documents, " + Fixed(seconds, 2) + " s");
	return profile;
}

}							/* namespace */

void
SetupPaths(CLI::App &app, const GlobalOptions &globals)
{
	auto		o = std::make_shared<PathsOptions>();
	CLI::App   *cmd = app.add_subcommand(
		"paths", "Path profile of a jsonb column (types, share of rows, distinct values) and the "
		"jsonb_pathx_ops index options it suggests");

	cmd->add_option("target", o->target,
					"TABLE[.COLUMN], optionally schema-qualified; the column may be left out "
					"when the table has one jsonb column")
		->required();
	cmd->add_option("--sample", o->sample,
					"rows to look at; larger tables are sampled with TABLESAMPLE (default 10000)")
		->check(CLI::Range(uint64_t(1), uint64_t(100000000)));
	cmd->add_flag("--json", o->json, "print the profile and suggestions as one JSON document");
	cmd->add_option("--limit", o->limit,
					"show at most K paths, the most frequent ones (default 200; 0: all)");
	cmd->footer("Examples:\n"
				"  pathx paths orders                  profile the only jsonb column of orders\n"
				"  pathx paths sales.orders.doc --sample 50000\n"
				"  pathx paths orders --json > profile.json\n"
				"Every path is written as jsonb_pathx writes it ($.items[*].sku); ROWS is the share of\n"
				"documents holding the path, DISTINCT the distinct scalar values (~ when estimated\n"
				"from a sample).");

	cmd->callback([o, &globals]() {
		Context		ctx(globals);
		pqxx::connection conn(TargetConninfo(ctx));

		/* JSON is UTF-8 (RFC 8259), whatever the database's encoding */
		conn.set_client_encoding("UTF8");
		pqxx::work	tx(conn);

		/* a profile only reads */
		tx.exec("SET TRANSACTION READ ONLY");
		Profile		profile = Measure(tx, *o);
		std::vector<Suggestion> suggestions = Suggest(profile);

		tx.abort();
		if (o->json)
			std::cout << ProfileJson(profile, suggestions, o->limit);
		else
			std::cout << FormatProfile(profile, suggestions, o->limit);
	});
}

}							/* namespace pathx */
