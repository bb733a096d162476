/*
 * bench_objects.cpp
 *	  What a benchmark run creates in the target database, and how it
 *	  leaves that database as it found it.
 *
 * The target may be a user's own database (--conninfo), so these are the
 * rules:
 *
 * Tables.  Every table is created together with its kBenchMark comment in
 * one statement (one implicit transaction), so no crash leaves an unmarked
 * pxb_* table that the next run would have to refuse.  Before creating
 * anything, Claim() looks up every relation name the run will create (the
 * tables, their primary keys, the indexes) in the schema they go to
 * (current_schema()), and refuses, naming them, when one is taken by
 * anything but a marked table or an index on one; the marked ones (left by
 * --keep-tables or a crashed run) are dropped and made again.  Drops name
 * the schema, so a pxb_* table elsewhere on the search path is never the
 * one dropped.  At the end the marked tables of the run's names are
 * dropped, unless --keep-tables.
 *
 * Extensions are created only when absent, and at the end the run drops
 * those it created (with --keep-tables only pg_prewarm: the kept indexes
 * need jsonb_pathx and jsquery).
 *
 * Schema pxb_jsquery, jsquery's home off the search path: created with
 * the mark when absent and dropped at the end (with jsquery, when it is in
 * there) when marked.  An unmarked one is used only when jsquery is
 * already installed in it (what the error about jsquery's schema asks a
 * user to do), and otherwise refused.
 *
 * Nothing is dropped with CASCADE: an object of the user's that depends on
 * one of ours makes that drop fail, with a warning, instead of vanishing.
 */

#include "bench/bench_internal.h"

#include <map>

namespace pathx::bench
{

namespace
{

/* "a view", for the message naming what holds a name the run needs. */
std::string
KindOf(const std::string &relkind)
{
	static const std::map<std::string, std::string> kinds{
		{"r", "a table"}, {"p", "a partitioned table"}, {"v", "a view"}, {"m", "a materialized view"},
		{"i", "an index"}, {"I", "a partitioned index"}, {"S", "a sequence"}, {"f", "a foreign table"},
		{"c", "a composite type"}, {"t", "a TOAST table"}};
	auto		k = kinds.find(relkind);

	return k == kinds.end() ? "a relation" : k->second;
}

/* An error message without its trailing newline. */
std::string
Trimmed(std::string why)
{
	while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
		why.pop_back();
	return why;
}

}							/* namespace */

BenchObjects::BenchObjects(pqxx::connection &c, const RunOutput &out) : c_(c), out_(out)
{
	pqxx::row	r = Exec(c_, "SELECT current_schema()")[0];

	if (r[0].is_null())
		throw BenchError("no schema on the search_path exists to create the benchmark tables in "
					     "(current_schema() is null)",
					     "create one, or set the role's search_path: ALTER ROLE ... SET search_path = ...");
	schema_ = r[0].c_str();
}

/*
 * One catalog query for all the names, so the refusal lists every name
 * taken at once and comes before anything is dropped.
 */
void
BenchObjects::Claim(const std::vector<Strategy> &strategies, const std::vector<BenchQuery> &queries)
{
	std::vector<std::string> names{"pxb_base", "pxb_base_pkey"};
	bool		jsquery = false;

	tables_ = {"pxb_base"};
	for (const Strategy &s : strategies)
	{
		tables_.push_back(TableOf(s));
		names.push_back(TableOf(s));
		names.push_back(TableOf(s) + "_pkey");
		for (const auto &ix : PlannedIndexes(s, queries))
			names.push_back(ix.first);
		jsquery = jsquery || s.extension == "jsquery";
	}

	std::string list;

	for (const std::string &n : names)
		list += (list.empty() ? "" : ", ") + c_.quote(n);

	pqxx::nontransaction n(c_);
	std::vector<std::string> taken;
	std::vector<std::string> leftovers;

	for (const pqxx::row &row : n.exec_params(
			 "SELECT c.relname, c.relkind, "
			 "       c.relkind = 'r' AND obj_description(c.oid, 'pg_class') IS NOT DISTINCT FROM $2, "
			 "       EXISTS (SELECT FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid "
			 "               WHERE x.indexrelid = c.oid AND t.relkind = 'r' "
			 "               AND obj_description(t.oid, 'pg_class') IS NOT DISTINCT FROM $2) "
			 "FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $1) "
			 "AND c.relname IN (" + list + ") ORDER BY c.relname",
			 schema_, std::string(kBenchMark)))
	{
		if (row[2].as<bool>())
			leftovers.push_back(row[0].c_str());
		else if (!row[3].as<bool>())
			taken.push_back(std::string(row[0].c_str()) + " (" + KindOf(row[1].c_str()) + ")");
	}
	if (jsquery)
		jsquery_schema_ = JsquerySchemaState(n, taken);
	if (!taken.empty())
	{
		std::string what;

		for (const std::string &t : taken)
			what += (what.empty() ? "" : ", ") + t;
		throw BenchError("refusing to run: pathx bench creates, drops and recreates objects of these names, "
					     "and did not create the ones that exist in schema " + schema_ + ": " + what +
					     " (its own carry the comment '" + kBenchMark + "'); nothing was changed",
					     "run it in another database (--conninfo), or rename or drop those objects "
					     "yourself if they are leftovers you do not need");
	}
	for (const std::string &t : leftovers)
	{
		out_.Step("Dropping", schema_ + "." + t + " (left by an earlier pathx bench)");
		n.exec("DROP TABLE " + Qualified(t));
	}
}

/* Creates (when absent) the extension a strategy needs; false, with why, when it cannot be had. */
bool
BenchObjects::EnsureExtension(const std::string &ext, std::string &why)
{
	if (ext.empty())
		return true;
	if (ext == "jsquery")
		return EnsureJsquery(why);
	if (Installed(ext))
		return true;
	try
	{
		Exec(c_, "CREATE EXTENSION " + c_.quote_name(ext));
		created_.push_back(ext);
		return true;
	}
	catch (const pqxx::sql_error &e)
	{
		why = Trimmed(e.what());
		return false;
	}
}

/* The end of a run: drops what the run made (what --keep-tables keeps aside); never throws. */
void
BenchObjects::Cleanup(bool keep_tables)
{
	try
	{
		if (!c_.is_open())
			return;
		if (!keep_tables)
			for (const std::string &t : tables_)
				if (IsOurs(t))
					Try("DROP TABLE " + Qualified(t), "table " + t);
		for (auto ext = created_.rbegin(); ext != created_.rend(); ++ext)
			if (!keep_tables || *ext == "pg_prewarm")
				Try("DROP EXTENSION " + c_.quote_name(*ext), "extension " + *ext);
		if (jsquery_schema_ == SchemaState::kOurs && !keep_tables)
		{
			if (InstalledIn("jsquery", kJsquerySchema))
				Try("DROP EXTENSION jsquery", "extension jsquery");
			Try(std::string("DROP SCHEMA ") + kJsquerySchema, std::string("schema ") + kJsquerySchema);
		}
	}
	catch (const std::exception &e)
	{
		/* a lost connection: what is left is ours (marked), and the next run drops it */
		out_.Warn("could not remove the benchmark's objects: " + Trimmed(e.what()));
	}
}

std::string
BenchObjects::Qualified(const std::string &name) const
{
	return c_.quote_name(schema_) + "." + c_.quote_name(name);
}

/* True when `table` is a table of ours (marked) in the schema. */
bool
BenchObjects::IsOurs(const std::string &table)
{
	return !Exec(c_, "SELECT FROM pg_class c WHERE c.relkind = 'r' AND c.relname = " + c_.quote(table) +
				 " AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = " +
				 c_.quote(schema_) + ") AND obj_description(c.oid, 'pg_class') = " +
				 c_.quote(std::string(kBenchMark))).empty();
}

bool
BenchObjects::Installed(const std::string &ext)
{
	return !Exec(c_, "SELECT FROM pg_extension WHERE extname = " + c_.quote(ext)).empty();
}

bool
BenchObjects::InstalledIn(const std::string &ext, const std::string &schema)
{
	return !Exec(c_, "SELECT FROM pg_extension e JOIN pg_namespace s ON s.oid = e.extnamespace "
				 "WHERE e.extname = " + c_.quote(ext) + " AND s.nspname = " + c_.quote(schema)).empty();
}

/* Drops one object of ours; a failure is a warning, since the run's result stands. */
void
BenchObjects::Try(const std::string &sql, const std::string &what)
{
	try
	{
		Exec(c_, sql);
	}
	catch (const std::exception &e)
	{
		out_.Warn("left " + what + " in place: " + Trimmed(e.what()));
	}
}

/* Where jsquery would live; an unmarked schema without jsquery goes on the `taken` list. */
BenchObjects::SchemaState
BenchObjects::JsquerySchemaState(pqxx::nontransaction &n, std::vector<std::string> &taken)
{
	bool		available = !n.exec("SELECT FROM pg_available_extensions WHERE name = 'jsquery'").empty();
	pqxx::result r = n.exec_params("SELECT obj_description(oid, 'pg_namespace') IS NOT DISTINCT FROM $2 "
								   "FROM pg_namespace WHERE nspname = $1",
								   std::string(kJsquerySchema), std::string(kBenchMark));

	if (r.empty())
		return available ? SchemaState::kAbsent : SchemaState::kUnused;
	if (r[0][0].as<bool>())
		return SchemaState::kOurs;
	if (!n.exec_params("SELECT FROM pg_extension e JOIN pg_namespace s ON s.oid = e.extnamespace "
					   "WHERE e.extname = 'jsquery' AND s.nspname = $1", std::string(kJsquerySchema)).empty())
		return SchemaState::kUsers;
	if (available)
		taken.push_back(std::string(kJsquerySchema) + " (a schema, for jsquery; leave out "
						"jsonb_path_value_ops with --only to do without it)");
	return SchemaState::kUnused;
}

bool
BenchObjects::EnsureJsquery(std::string &why)
{
	pqxx::result r = Exec(c_, "SELECT extnamespace::regnamespace::text FROM pg_extension "
						  "WHERE extname = 'jsquery'");

	if (!r.empty())
	{
		std::string schema = r[0][0].c_str();

		if (schema == kJsquerySchema)
			return true;
		/* fatal, not a skip: the ambiguity breaks the other strategies' queries too */
		throw BenchError("jsquery is installed in schema " + schema + ", where its "
					     "jsonb @@ jsquery operator makes `doc @@ '...'` ambiguous",
					     "run the benchmark in a database without jsquery, or move it with "
					     "ALTER EXTENSION jsquery SET SCHEMA " + std::string(kJsquerySchema) +
					     " (after CREATE SCHEMA " + kJsquerySchema + ")");
	}
	if (jsquery_schema_ == SchemaState::kUnused)
	{
		why = "extension \"jsquery\" is not available on the server";
		return false;
	}
	try
	{
		if (jsquery_schema_ == SchemaState::kAbsent)
		{
			Exec(c_, std::string("CREATE SCHEMA ") + kJsquerySchema + "; COMMENT ON SCHEMA " +
				 kJsquerySchema + " IS " + c_.quote(std::string(kBenchMark)));
			jsquery_schema_ = SchemaState::kOurs;
		}
		/* not on created_: it goes with our schema (Cleanup) */
		Exec(c_, std::string("CREATE EXTENSION jsquery SCHEMA ") + kJsquerySchema);
		return true;
	}
	catch (const pqxx::sql_error &e)
	{
		why = Trimmed(e.what());
		return false;
	}
}

}							/* namespace pathx::bench */
