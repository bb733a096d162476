/*
 * cmd_explain.cpp
 *	  pathx explain 'SQL': the plan of a query, and for every jsonb
 *	  condition in it the keys jsonb_pathx_ops searches.
 *
 * Safety first: only statements that read (SELECT, WITH, VALUES, TABLE)
 * are accepted, and EXPLAIN ANALYZE, which executes the statement, runs in
 * a READ ONLY transaction that is rolled back, so a data-modifying CTE
 * fails instead of writing.  The statement goes through the extended query
 * protocol (exec_params), which refuses several statements in one string.
 *
 * The conditions come from EXPLAIN (VERBOSE, FORMAT JSON), planned but not
 * run.  Rather than carrying a JSON parser, the plan is handed back to the
 * server, which walks it with jsonb_path_query and returns every Filter,
 * Index Cond and Recheck Cond with the relation it applies to (for a
 * Bitmap Index Scan, the table of its index).  The strings are read by
 * FindJsonbConditions (plan_conditions.h); each jsonb condition is then
 * explained with jsonb_pathx_explain: by default options, and under each
 * jsonb_pathx_ops index on that table's column (jsonb_pathx_explain(...,
 * index), 0.2), the index the plan uses marked.  ?, ?| and ?& have no
 * explain function of their own: they are explained through the jsonpath
 * that searches the same keys (KeyOperatorAsJsonPath).  The session's
 * client encoding is UTF-8, so the keys arrive as the UTF-8 that the
 * jsonpath literals are written in.
 */
#include "commands.h"
#include "context.h"
#include "plan_conditions.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <iostream>
#include <map>
#include <set>

namespace pathx
{

namespace
{

struct ExplainOptions
{
	std::string sql;
	bool		no_analyze = false;
};

/* One jsonb condition found in the plan, with where it was found. */
struct FoundCondition
{
	JsonbCondition cond;
	std::string relation;		/* regclass text, "" when unknown */
	std::vector<std::string> places;	/* "Bitmap Index Scan using t_idx: Index Cond" */
	std::set<std::string> plan_indexes;	/* indexes of the plan that evaluate it */
};

/* Every condition string of the plan with its node; see the file header. */
const char *const kPlanConditionsSql =
	"SELECT n->>'Node Type', "
	"       coalesce(CASE WHEN n ? 'Relation Name' AND n ? 'Schema' "
	"                     THEN to_regclass(format('%I.%I', n->>'Schema', n->>'Relation Name'))::text END, "
	"                (SELECT i.indrelid::regclass::text FROM pg_index i "
	"                 JOIN pg_class c ON c.oid = i.indexrelid "
	"                 WHERE c.relname = n->>'Index Name' "
	"                 ORDER BY pg_table_is_visible(c.oid) DESC LIMIT 1), ''), "
	"       coalesce(n->>'Index Name', ''), c.key, c.value "
	"FROM jsonb_path_query($1::jsonb, 'strict $.**') AS n, "
	"     jsonb_each_text(CASE WHEN jsonb_typeof(n) = 'object' THEN n END) AS c "
	"WHERE n ? 'Node Type' "
	"  AND c.key IN ('Filter', 'Index Cond', 'Recheck Cond', 'Join Filter')";

std::string
StripSemicolon(std::string sql)
{
	while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';'))
		sql.pop_back();
	return sql;
}

std::vector<FoundCondition>
CollectConditions(pqxx::work &tx, const std::string &sql)
{
	std::string plan_json = tx.exec_params("EXPLAIN (VERBOSE, FORMAT JSON) " + sql)[0][0].as<std::string>();
	std::vector<FoundCondition> found;
	std::map<std::string, size_t> seen;	/* relation + text -> index in found */

	for (const auto &row : tx.exec_params(kPlanConditionsSql, plan_json))
	{
		std::string node = row[0].as<std::string>();
		std::string relation = row[1].as<std::string>();
		std::string index = row[2].as<std::string>();
		std::string where = node + (index.empty() ? "" : " using " + index) + ": " +
			row[3].as<std::string>();

		for (const JsonbCondition &c : FindJsonbConditions(row[4].as<std::string>()))
		{
			std::string id = relation + "\n" + c.text;
			auto		it = seen.find(id);

			if (it == seen.end())
			{
				seen[id] = found.size();
				found.push_back(FoundCondition{c, relation, {}, {}});
				it = seen.find(id);
			}
			FoundCondition &f = found[it->second];

			f.places.push_back(where);
			if (!index.empty())
				f.plan_indexes.insert(index);
		}
	}
	return found;
}

/* Runs one explain call under a savepoint, so that an error does not end the transaction. */
std::string
ExplainCall(pqxx::work &tx, const std::string &sql, const std::vector<std::string> &args)
{
	pqxx::subtransaction sub(tx, "explain_keys");

	try
	{
		pqxx::result r;

		if (args.size() == 1)
			r = sub.exec_params(sql, args[0]);
		else if (args.size() == 2)
			r = sub.exec_params(sql, args[0], args[1]);
		else
			r = sub.exec_params(sql, args[0], args[1], args[2]);
		sub.commit();
		return r[0][0].is_null() ? "(null)" : r[0][0].as<std::string>();
	}
	catch (const pqxx::sql_error &e)
	{
		std::string msg = e.what();

		while (!msg.empty() && msg.back() == '\n')
			msg.pop_back();
		return "error: " + msg;
	}
}

/* The keys a condition searches, by default options or under an index ("" for none). */
std::string
ExplainKeys(pqxx::work &tx, const JsonbCondition &c, const std::string &index)
{
	bool		with_index = !index.empty();

	if (c.op == "@>")
		return with_index
			? ExplainCall(tx, "SELECT jsonb_pathx_explain($1::jsonb, $2::regclass)", {c.value, index})
			: ExplainCall(tx, "SELECT jsonb_pathx_explain($1::jsonb)", {c.value});

	std::string path = c.value;
	std::string op = c.op;

	if (op == "?" || op == "?|" || op == "?&")
	{
		std::vector<std::string> keys = op == "?" ? std::vector<std::string>{c.value} : c.keys;

		if (keys.empty())
			return "no keys: the condition matches no row";
		path = KeyOperatorAsJsonPath(op, keys);
		op = "@@";
	}
	return with_index
		? ExplainCall(tx, "SELECT jsonb_pathx_explain($1::jsonpath, $2, $3::regclass)", {path, op, index})
		: ExplainCall(tx, "SELECT jsonb_pathx_explain($1::jsonpath, $2)", {path, op});
}

/* jsonb_pathx_ops indexes on relation.column with their options (0.2+). */
std::vector<std::pair<std::string, std::string>>
PathxIndexes(pqxx::work &tx, const std::string &relation, const std::string &column)
{
	std::vector<std::pair<std::string, std::string>> out;

	if (relation.empty() || column.empty())
		return out;
	if (tx.exec("SELECT to_regprocedure('jsonb_pathx_indexes()') IS NOT NULL")[0][0].as<bool>() == false)
		return out;
	for (const auto &row : tx.exec_params(
			 "SELECT index_name::text, coalesce(array_to_string(options, ', '), '') "
			 "FROM jsonb_pathx_indexes() WHERE table_name = $1::regclass AND column_name = $2 "
			 "ORDER BY 1", relation, column))
		out.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
	return out;
}

std::string
Report(pqxx::work &tx, std::vector<FoundCondition> &found, bool have_extension)
{
	std::string out;

	if (found.empty())
		return "No jsonb conditions (@>, ?, ?|, ?&, @?, @@ with a constant) in this plan.\n";
	out += "jsonb conditions:\n";
	for (size_t i = 0; i < found.size(); i++)
	{
		const FoundCondition &f = found[i];
		const JsonbCondition &c = f.cond;

		out += "  " + std::to_string(i + 1) + ". " + c.text + "\n";
		out += "     on " + (f.relation.empty() ? std::string("(unknown relation)") : f.relation) +
			", in ";
		for (size_t p = 0; p < f.places.size(); p++)
			out += (p ? "; " : "") + f.places[p];
		out += "\n";
		if (!c.parsed)
		{
			out += "     not analysed: " + c.problem + "\n";
			continue;
		}
		if (!have_extension)
		{
			out += "     not analysed: jsonb_pathx is not installed in this database\n";
			continue;
		}
		if (c.op == "?" || c.op == "?|" || c.op == "?&")
			out += "     (searched like the jsonpath " +
				KeyOperatorAsJsonPath(c.op, c.op == "?" ? std::vector<std::string>{c.value} : c.keys) +
				")\n";
		out += "     keys, default options:  " + ExplainKeys(tx, c, "") + "\n";

		std::vector<std::pair<std::string, std::string>> indexes =
			PathxIndexes(tx, f.relation, ColumnOfOperand(c.left));

		for (const auto &ix : indexes)
		{
			/* the plan names indexes without schema */
			std::string bare = ix.first.substr(ix.first.find_last_of('.') == std::string::npos
											   ? 0 : ix.first.find_last_of('.') + 1);
			bool		used = f.plan_indexes.count(bare) > 0 || f.plan_indexes.count(ix.first) > 0;

			std::string keys = ExplainKeys(tx, c, ix.first);

			out += "     under " + ix.first + (ix.second.empty() ? "" : " (" + ix.second + ")") +
				(used ? ", used by this plan" : "") + ":  " + keys + "\n";
			/* the planner does not know what an index's options leave out */
			if (used && keys == "FULL SCAN")
				out += "     note: the plan scans " + ix.first +
					", which cannot narrow this condition: every row it returns is rechecked\n";
		}
		if (indexes.empty() && !f.relation.empty())
			out += "     (no jsonb_pathx_ops index on " + f.relation + "." +
				(ColumnOfOperand(c.left).empty() ? c.left : ColumnOfOperand(c.left)) + ")\n";
	}
	return out;
}

}							/* namespace */

void
SetupExplain(CLI::App &app, const GlobalOptions &globals)
{
	auto		o = std::make_shared<ExplainOptions>();
	CLI::App   *cmd = app.add_subcommand(
		"explain", "Plan of a query (EXPLAIN ANALYZE, BUFFERS) and the index keys each jsonb "
		"condition searches");

	cmd->add_option("sql", o->sql, "one SELECT (or WITH / VALUES / TABLE) statement")->required();
	cmd->add_flag("--no-analyze", o->no_analyze,
				  "plan only: do not run the statement (plain EXPLAIN)");
	cmd->footer("Examples:\n"
				"  pathx explain \"SELECT count(*) FROM orders WHERE doc @? '\\$.total ? (@ > 4900)'\"\n"
				"  pathx explain --no-analyze \"SELECT * FROM orders WHERE doc @> '{\\\"status\\\": \\\"paid\\\"}'\"\n"
				"The statement runs in a read-only transaction that is rolled back.  For each jsonb\n"
				"condition the keys are shown as jsonb_pathx_explain prints them (EQ, RANGE, PREFIX,\n"
				"EXISTS, AND/OR) or FULL SCAN when the index cannot narrow it.");

	cmd->callback([o, &globals]() {
		std::string sql = StripSemicolon(o->sql);

		if (sql.empty())
			throw CliError("the statement is empty", "pathx explain \"SELECT ... FROM ... WHERE ...\"", 2);
		if (!IsQueryStatement(sql))
			throw CliError("pathx explain only runs queries (SELECT, WITH, VALUES, TABLE); this statement "
						   "starts with \"" + FirstKeyword(sql) + "\"",
						   "explain a data-modifying statement in psql inside BEGIN ... ROLLBACK", 2);

		Context		ctx(globals);
		pqxx::connection conn(TargetConninfo(ctx));

		/*
		 * UTF-8 both ways, whatever the database's encoding: the keys read
		 * from the plan go back as jsonpath literals (JsonPathString, which
		 * writes UTF-8), and the terminal the statement came from is UTF-8.
		 */
		conn.set_client_encoding("UTF8");
		pqxx::work	tx(conn);

		/* nothing the statement does may stick */
		tx.exec("SET TRANSACTION READ ONLY");
		bool		have_extension =
			tx.exec("SELECT to_regprocedure('jsonb_pathx_explain(jsonb)') IS NOT NULL")[0][0].as<bool>();
		std::vector<FoundCondition> found = CollectConditions(tx, sql);
		std::string report = Report(tx, found, have_extension);
		pqxx::result plan;

		try
		{
			plan = tx.exec_params(std::string(o->no_analyze ? "EXPLAIN " : "EXPLAIN (ANALYZE, BUFFERS) ") + sql);
		}
		catch (const pqxx::sql_error &e)
		{
			std::string msg = e.what();

			while (!msg.empty() && msg.back() == '\n')
				msg.pop_back();
			if (e.sqlstate() == "25006")
				throw CliError("the statement writes, which the read-only transaction refused (" +
							   msg + ")",
							   "pathx explain only runs queries; use --no-analyze to see the plan "
							   "without running it", 1);
			throw;
		}
		tx.abort();

		std::cout << (o->no_analyze ? "Plan (EXPLAIN, not run):\n"
					  : "Plan (EXPLAIN ANALYZE, BUFFERS; run in a read-only transaction, rolled back):\n");
		for (const auto &row : plan)
			std::cout << "  " << row[0].as<std::string>() << "\n";
		std::cout << "\n" << report;
	});
}

}							/* namespace pathx */
