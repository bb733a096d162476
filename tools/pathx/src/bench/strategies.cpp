/*
 * strategies.cpp
 *	  What the benchmark compares, and the SQL each strategy runs.
 *
 * A strategy is a way to answer the same queries on the same data: the
 * seq scan, a GIN operator class (core's two, ours, and ours with options
 * for the option studies), jsquery's class, or B-tree expression indexes.
 * Each gets a table of its own, pxb_<name>, a copy of the same base table,
 * and the names of everything a strategy builds are derived here, so that
 * BenchObjects can check all of them before the run creates the first.
 *
 * Queries are the same text for every strategy except two, which speak
 * another language: jsquery (`jsquery:` in the query file, through
 * operator pxb_jsquery.@@, since jsquery lives off the search path) and
 * the B-tree (`btree:`).  A query without that form is not run by that
 * strategy (QuerySql returns ""), never approximated.
 */
#include "bench/bench_internal.h"

namespace pathx::bench
{

namespace
{

/*
 * Paths covering about a quarter of the ~22 leaf paths the generator
 * writes, for the `paths` option study.
 */
const char kQuarterPaths[] = "$.status, $.total, $.user.country, $.items[*].sku, $.coupon";

}							/* namespace */

std::vector<Strategy>
DefaultStrategies()
{
	return {
		{"seq", StrategyKind::kSeqScan, "", "", false},
		{"jsonb_ops", StrategyKind::kGin, "jsonb_ops", "", false},
		{"jsonb_path_ops", StrategyKind::kGin, "jsonb_path_ops", "", false},
		{"jsonb_pathx_ops", StrategyKind::kGin, "jsonb_pathx_ops", "jsonb_pathx", false},
		{"jsonb_path_value_ops", StrategyKind::kJsquery, "pxb_jsquery.jsonb_path_value_ops", "jsquery",
		false},
		{"btree", StrategyKind::kBtree, "", "", false},
		{"pathx_anypath", StrategyKind::kGin, "jsonb_pathx_ops (anypath = true)", "jsonb_pathx", true},
		{"pathx_quarter_paths", StrategyKind::kGin,
			std::string("jsonb_pathx_ops (paths = '") + kQuarterPaths + "')", "jsonb_pathx", true},
	};
}

const StrategyResult *
BenchReport::Find(const std::string &name) const
{
	for (const StrategyResult &r : results)
		if (r.strategy.name == name)
			return &r;
	return nullptr;
}

std::string
TableOf(const Strategy &s)
{
	return "pxb_" + s.name;
}

std::string
IndexOf(const Strategy &s)
{
	return TableOf(s) + "_doc";
}

/* jsquery's text goes in as a literal quoted by libpqxx (the server's rules). */
std::string
QuerySql(pqxx::connection &c, const Strategy &s, const BenchQuery &q)
{
	if (s.kind == StrategyKind::kJsquery)
	{
		if (q.jsquery.empty())
			return "";
		return "SELECT count(*) FROM " + TableOf(s) + " WHERE doc OPERATOR(" + kJsquerySchema +
			".@@) " + c.quote(q.jsquery) + "::" + kJsquerySchema + ".jsquery";
	}
	if (s.kind == StrategyKind::kBtree)
		return q.btree_where.empty() ? "" : "SELECT count(*) FROM " + TableOf(s) + " WHERE " + q.btree_where;
	return "SELECT count(*) FROM " + TableOf(s) + " WHERE " + q.where;
}

/* Sent with the CREATE TABLE in one statement: no crash leaves an unmarked table. */
std::string
MarkTable(pqxx::connection &c, const std::string &table)
{
	return "COMMENT ON TABLE " + table + " IS " + c.quote(std::string(kBenchMark));
}

/* B-tree indexes are numbered in query order, one per distinct btree-index: expression. */
std::vector<std::pair<std::string, std::string>>
PlannedIndexes(const Strategy &s, const std::vector<BenchQuery> &queries)
{
	std::vector<std::pair<std::string, std::string>> indexes;

	if (s.kind == StrategyKind::kSeqScan)
		return indexes;
	if (s.kind != StrategyKind::kBtree)
	{
		indexes.emplace_back(IndexOf(s), "doc " + s.opclass);
		return indexes;
	}
	for (const BenchQuery &q : queries)
	{
		bool		dup = false;

		for (const auto &ix : indexes)
			dup = dup || ix.second == q.btree_index;
		if (!q.btree_index.empty() && !dup)
			indexes.emplace_back(TableOf(s) + "_" + std::to_string(indexes.size() + 1), q.btree_index);
	}
	return indexes;
}

}							/* namespace pathx::bench */
