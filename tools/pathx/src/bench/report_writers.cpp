/*
 * report_writers.cpp
 *	  A benchmark report as the terminal table, Markdown tables for the
 *	  README, and JSON.
 *
 * The writers only read the report.  The terminal and Markdown tables
 * share their rows (TableRows, RatioRows, PlanningRows) and differ in the
 * labels: the terminal uses each query's short name and prints the SQL in
 * a legend, Markdown puts the SQL in the label, where README readers need
 * it.  Latency cells say "idx" or "seq": whether the strategy's index was
 * used, which matters as much as the figure.  JSON keeps its structure
 * for tools/bench/compare_runs.py and the CLI tests.
 */
#include "bench/bench_internal.h"

#include "status_lines.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace pathx::bench
{

namespace
{

/* A latency cell: "12.34 idx", "65.10 seq", "65.10" for the seq scan, "-". */
std::string
Cell(const StrategyResult &r, const std::string &q)
{
	auto		it = r.queries.find(q);

	if (it == r.queries.end() || !it->second.ran)
		return "-";
	std::string v = Fixed(it->second.median_ms, 2);

	if (r.strategy.kind == StrategyKind::kSeqScan)
		return v;
	return v + (it->second.index_used ? " idx" : " seq");
}

double
Speedup(const StrategyResult *base, const StrategyResult *px, const std::string &q)
{
	if (!base || !px || !base->queries.at(q).ran || !px->queries.at(q).ran)
		return NAN;
	return base->queries.at(q).median_ms / px->queries.at(q).median_ms;
}

std::vector<const StrategyResult *>
Columns(const BenchReport &report, bool studies)
{
	std::vector<const StrategyResult *> cols;

	for (const StrategyResult &r : report.results)
		if (r.strategy.kind == StrategyKind::kSeqScan || r.strategy.optional_study == studies ||
			(studies && r.strategy.name == "jsonb_pathx_ops"))
			cols.push_back(&r);
	return cols;
}

/*
 * The rows both table writers share: label, then one cell per column.
 * `md` puts the SQL in the label (README readers need it); the terminal
 * uses the short name and prints the SQL in a legend.
 */
std::vector<std::vector<std::string>>
TableRows(const BenchReport &report, const std::vector<const StrategyResult *> &cols, bool md)
{
	std::vector<std::vector<std::string>> rows;
	const StrategyResult *seq = report.Find("seq");
	auto		row = [&](const std::string &label, auto cell) {
		std::vector<std::string> r{label};

		for (const StrategyResult *c : cols)
			r.push_back(c->strategy.kind == StrategyKind::kSeqScan && label != "insert (rows/s)" ? ""
						: cell(*c));
		rows.push_back(r);
	};

	row("build (s)", [](const StrategyResult &r) { return Fixed(r.build_s, 1); });
	row("size (MB)", [](const StrategyResult &r) { return Fixed(r.size_bytes / 1048576.0, 1); });
	row("insert (rows/s)", [](const StrategyResult &r) { return Fixed(r.insert_rows_per_s, 0); });
	for (const BenchQuery &q : report.queries)
	{
		std::string count = seq ? std::to_string(seq->queries.at(q.name).count) : "?";
		std::string label = md ? "`" + q.where + "` (" + count + ")" : q.name + " (" + count + ")";
		std::vector<std::string> r{label};

		for (const StrategyResult *c : cols)
			r.push_back(Cell(*c, q.name));
		rows.push_back(r);
	}
	return rows;
}

/* pathx against each baseline: size/build/insert ratios, query speedups. */
std::vector<std::vector<std::string>>
RatioRows(const BenchReport &report, bool md)
{
	const StrategyResult *px = report.Find("jsonb_pathx_ops");
	const char *const bases[] = {"jsonb_path_ops", "jsonb_ops", "btree", "seq"};
	std::vector<std::vector<std::string>> rows;

	if (!px)
		return rows;

	auto		per_base = [&](const std::string &label, auto f) {
		std::vector<std::string> r{label};

		for (const char *b : bases)
		{
			const StrategyResult *base = report.Find(b);

			r.push_back(base ? f(*base) : "-");
		}
		rows.push_back(r);
	};

	per_base("size, pathx / other", [&](const StrategyResult &b) {
		return b.size_bytes ? Ratio(static_cast<double>(px->size_bytes) / b.size_bytes) : "-";
	});
	per_base("build time, pathx / other", [&](const StrategyResult &b) {
		return b.build_s > 0 ? Ratio(px->build_s / b.build_s) : "-";
	});
	per_base("insert rate, pathx / other", [&](const StrategyResult &b) {
		return Ratio(px->insert_rows_per_s / b.insert_rows_per_s);
	});
	for (const BenchQuery &q : report.queries)
		per_base(md ? "`" + q.where + "`" : q.name, [&](const StrategyResult &b) {
			return Ratio(Speedup(&b, px, q.name));
		});
	return rows;
}

/*
 * Planning time per query on the jsonb_pathx_ops table, with the derivation
 * on and off, and of the btree: form; "idx"/"seq": whether that plan uses
 * the jsonb_pathx_ops index.
 */
std::vector<std::vector<std::string>>
PlanningRows(const BenchReport &report, bool md)
{
	std::vector<std::vector<std::string>> rows;

	for (const BenchQuery &q : report.queries)
	{
		auto		it = report.planning.find(q.name);

		if (it == report.planning.end() || !it->second.ran)
			continue;
		const PlanningResult &p = it->second;

		rows.push_back({md ? "`" + q.where + "`" : q.name,
						Fixed(p.on_ms, 3) + (p.index_used_on ? " idx" : " seq"),
						Fixed(p.off_ms, 3) + (p.index_used_off ? " idx" : " seq"),
						Ratio(p.on_ms / p.off_ms),
						p.btree_ms >= 0 ? Fixed(p.btree_ms, 3) : "-"});
	}
	return rows;
}

const std::vector<std::string> kPlanningHeader = {"", "forms on (ms)", "forms off (ms)", "on / off",
	"btree (ms)"};

std::string
PlanningTitle(const BenchReport &report)
{
	return "Planning time on the jsonb_pathx_ops table, with jsonb_pathx.application_forms on "
		"(the default) and off, and of the btree: form on the B-tree table: median \"Planning Time\" "
		"of " + std::to_string(report.options.plan_runs) + " EXPLAIN (SUMMARY), ms; idx/seq: whether "
		"the plan uses the jsonb_pathx_ops index";
}

}							/* namespace */

void
PrintAligned(std::ostream &out, const std::vector<std::string> &header,
			 const std::vector<std::vector<std::string>> &rows)
{
	std::vector<size_t> w(header.size(), 0);

	for (size_t i = 0; i < header.size(); i++)
		w[i] = header[i].size();
	for (const auto &r : rows)
		for (size_t i = 0; i < r.size() && i < w.size(); i++)
			w[i] = std::max(w[i], r[i].size());
	auto		line = [&](const std::vector<std::string> &r) {
		for (size_t i = 0; i < r.size(); i++)
		{
			if (i == 0)
				out << std::left << std::setw(static_cast<int>(w[i])) << r[i];
			else
				out << "  " << std::right << std::setw(static_cast<int>(w[i])) << r[i];
		}
		out << "\n";
	};

	line(header);
	for (const auto &r : rows)
		line(r);
}

namespace
{

void
PrintMarkdown(std::ostream &out, const std::vector<std::string> &header,
			  const std::vector<std::vector<std::string>> &rows)
{
	auto		line = [&](const std::vector<std::string> &r) {
		out << "|";
		for (const std::string &c : r)
			out << " " << c << " |";
		out << "\n";
	};

	line(header);
	out << "|---|";
	for (size_t i = 1; i < header.size(); i++)
		out << "---:|";
	out << "\n";
	for (const auto &r : rows)
		line(r);
}

std::vector<std::string>
Header(const std::vector<const StrategyResult *> &cols)
{
	std::vector<std::string> h{""};

	for (const StrategyResult *c : cols)
		h.push_back(c->strategy.kind == StrategyKind::kSeqScan ? "seq scan" : c->strategy.name);
	return h;
}

std::string
TargetLine(const TargetResult &t)
{
	const char *status = t.status == TargetResult::kPass ? "PASS" :
		t.status == TargetResult::kMiss ? "MISS" : "SKIP";

	return std::string(status) + " " + t.what + ": " + t.measured;
}

/* The targets are stated for 200,000 documents; say so on smaller runs. */
std::string
TargetsNote(const BenchReport &report)
{
	if (report.documents >= 200000)
		return "";
	return " (stated for 200,000 documents; at " + std::to_string(report.documents) +
		" documents, fixed per-query costs dominate and speedups are smaller)";
}

std::string
Summary(const BenchReport &report)
{
	std::ostringstream s;

	s << report.documents << " documents (" << report.data_source << "), " << Fixed(report.avg_doc_bytes, 0)
		<< " bytes on average as stored (" << Fixed(report.avg_text_bytes, 0)
		<< " as JSON text); PostgreSQL " << report.server_version;
	for (const auto &kv : report.settings)
		s << ", " << kv.first << "=" << kv.second;
	s << "; all tables and indexes: " << Fixed(report.working_set_bytes / 1073741824.0, 2) << " GB";
	s << ". Median latency in ms of " << report.options.runs
		<< " runs after a warm-up, interleaved across strategies; idx/seq: whether the "
		"strategy's index was used (planner's choice). Row counts in parentheses.";
	return s.str();
}

using Json = nlohmann::ordered_json;

/*
 * A JSON number rounded to the decimals the tables show (0: an integer),
 * or null when not finite (a ratio over a zero time).
 */
Json
JsonNumber(double v, int digits = 3)
{
	if (!std::isfinite(v))
		return nullptr;
	if (digits == 0)
		return static_cast<std::int64_t>(std::llround(v));

	double		scale = std::pow(10.0, digits);

	return std::fabs(v) < 1e15 ? std::round(v * scale) / scale : v;
}

/* A string, or null when empty (a query without that form). */
Json
JsonOrNull(const std::string &s)
{
	return s.empty() ? Json(nullptr) : Json(s);
}

}							/* namespace */

void
WriteTerminal(const BenchReport &report, const std::vector<TargetResult> &targets, std::ostream &out)
{
	std::vector<const StrategyResult *> cols = Columns(report, false);
	std::vector<const StrategyResult *> study = Columns(report, true);

	out << "\n" << Summary(report) << "\n\n";
	PrintAligned(out, Header(cols), TableRows(report, cols, false));
	if (study.size() > 2)
	{
		out << "\nOperator class options (same run):\n\n";
		PrintAligned(out, Header(study), TableRows(report, study, false));
	}
	out << "\nQueries:\n";
	for (const BenchQuery &q : report.queries)
		out << "  " << std::left << std::setw(22) << q.name << " " << q.where
			<< (q.jsquery.empty() ? "" : "   [jsquery: " + q.jsquery + "]") << "\n";

	std::vector<std::vector<std::string>> ratios = RatioRows(report, false);

	if (!ratios.empty())
	{
		out << "\njsonb_pathx_ops against each baseline (queries: speedup, other ms / pathx ms):\n\n";
		PrintAligned(out, {"", "vs jsonb_path_ops", "vs jsonb_ops", "vs btree", "vs seq scan"}, ratios);
	}
	std::vector<std::vector<std::string>> planning = PlanningRows(report, false);

	if (!planning.empty())
	{
		out << "\n" << PlanningTitle(report) << ":\n\n";
		PrintAligned(out, kPlanningHeader, planning);
	}
	out << "\nTargets:" << TargetsNote(report) << "\n";
	for (const TargetResult &t : targets)
		out << "  " << TargetLine(t) << "\n";
	for (const std::string &s : report.skipped)
		out << "Skipped: " << s << "\n";
	for (const std::string &w : report.warnings)
		out << "Warning: " << w << "\n";
	for (const CountMismatch &m : report.mismatches)
		out << "ERROR: " << m.strategy << " counted " << m.count << " rows, the seq scan "
			<< m.expected << ", for " << m.query << ": " << m.sql << "\n";
	out << std::flush;
}

void
WriteMarkdown(const BenchReport &report, const std::vector<TargetResult> &targets, std::ostream &out)
{
	std::vector<const StrategyResult *> cols = Columns(report, false);
	std::vector<const StrategyResult *> study = Columns(report, true);

	out << Summary(report) << "\n\n";
	PrintMarkdown(out, Header(cols), TableRows(report, cols, true));

	std::vector<std::vector<std::string>> ratios = RatioRows(report, true);

	if (!ratios.empty())
	{
		out << "\njsonb_pathx_ops against each baseline (sizes and times: pathx / other; "
			"queries: speedup, other ms / pathx ms):\n\n";
		PrintMarkdown(out, {"", "vs jsonb_path_ops", "vs jsonb_ops", "vs btree", "vs seq scan"}, ratios);
	}
	std::vector<std::vector<std::string>> planning = PlanningRows(report, true);

	if (!planning.empty())
	{
		out << "\n" << PlanningTitle(report) << ":\n\n";
		PrintMarkdown(out, kPlanningHeader, planning);
	}
	if (study.size() > 2)
	{
		out << "\nOperator class options, same run:\n\n";
		PrintMarkdown(out, Header(study), TableRows(report, study, true));
	}
	out << "\nTargets:" << TargetsNote(report) << "\n\n```\n";
	for (const TargetResult &t : targets)
		out << TargetLine(t) << "\n";
	out << "```\n";
	for (const CountMismatch &m : report.mismatches)
		out << "\n**ERROR**: " << m.strategy << " counted " << m.count << " rows, the seq scan "
			<< m.expected << ": `" << m.sql << "`\n";
}

/*
 * The report as one JSON object, written with nlohmann::json (keys in
 * insertion order, so the file reads like the tables).  The structure is
 * read by tools/bench/compare_runs.py and the CLI tests: keep it.  Bytes
 * that are not UTF-8 (a query file in Latin-1) become U+FFFD rather than
 * making the file invalid JSON.
 */
void
WriteJson(const BenchReport &report, const std::vector<TargetResult> &targets, std::ostream &out)
{
	Json		j;

	j["rows"] = report.documents;
	j["data"] = report.data_source;
	j["runs"] = report.options.runs;
	j["seed"] = report.options.seed;
	j["avg_doc_bytes"] = JsonNumber(report.avg_doc_bytes, 1);
	j["avg_text_bytes"] = JsonNumber(report.avg_text_bytes, 1);
	j["load_s"] = JsonNumber(report.load_s);
	j["working_set_bytes"] = JsonNumber(report.working_set_bytes, 0);
	j["server_version"] = report.server_version;
	j["settings"] = Json::object();
	for (const auto &kv : report.settings)
		j["settings"][kv.first] = kv.second;

	j["queries"] = Json::array();
	for (const BenchQuery &q : report.queries)
		j["queries"].push_back({{"name", q.name},
								{"kind", QueryKindName(q.kind)},
								{"sql", q.where},
								{"jsquery", JsonOrNull(q.jsquery)},
								{"btree", JsonOrNull(q.btree_where)},
								{"btree_index", JsonOrNull(q.btree_index)}});

	j["strategies"] = Json::array();
	for (const StrategyResult &r : report.results)
	{
		Json		s = {{"name", r.strategy.name},
						 {"opclass", JsonOrNull(r.strategy.opclass)},
						 {"build_s", JsonNumber(r.build_s)},
						 {"size_bytes", r.size_bytes},
						 {"insert_rows_per_s", JsonNumber(r.insert_rows_per_s, 1)},
						 {"queries", Json::object()}};

		for (const BenchQuery &q : report.queries)
		{
			const QueryResult &x = r.queries.at(q.name);

			if (!x.ran)
				s["queries"][q.name] = nullptr;
			else
				s["queries"][q.name] = {{"median_ms", JsonNumber(x.median_ms)},
										{"min_ms", JsonNumber(x.min_ms)},
										{"count", x.count},
										{"index_used", x.index_used}};
		}
		j["strategies"].push_back(std::move(s));
	}

	j["plan_runs"] = report.options.plan_runs;
	j["planning"] = Json::object();
	for (const BenchQuery &q : report.queries)
	{
		auto		it = report.planning.find(q.name);

		if (it == report.planning.end() || !it->second.ran)
			continue;
		const PlanningResult &p = it->second;

		j["planning"][q.name] = {{"on_ms", JsonNumber(p.on_ms)},
								 {"off_ms", JsonNumber(p.off_ms)},
								 {"ratio", JsonNumber(p.on_ms / p.off_ms)},
								 {"btree_ms", p.btree_ms >= 0 ? JsonNumber(p.btree_ms) : Json(nullptr)},
								 {"index_used_on", p.index_used_on},
								 {"index_used_off", p.index_used_off}};
	}

	j["targets"] = Json::array();
	for (const TargetResult &t : targets)
		j["targets"].push_back({{"target", t.what},
								{"status", t.status == TargetResult::kPass ? "pass" :
								 t.status == TargetResult::kMiss ? "miss" : "skip"},
								{"measured", t.measured}});

	j["count_mismatches"] = Json::array();
	for (const CountMismatch &m : report.mismatches)
		j["count_mismatches"].push_back({{"query", m.query},
										 {"sql", m.sql},
										 {"strategy", m.strategy},
										 {"count", m.count},
										 {"expected", m.expected}});
	j["skipped"] = report.skipped;
	j["warnings"] = report.warnings;
	out << j.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

}							/* namespace pathx::bench */
