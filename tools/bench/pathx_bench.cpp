/*
 * pathx_bench.cpp
 *	  Side-by-side benchmark of jsonb_pathx_ops against jsonb_ops,
 *	  jsonb_path_ops and a seq scan, on the same data in one run.
 *
 * Design: the data set is generated inside the server (setseed + SQL), so
 * it is deterministic and loads fast.  Each strategy gets its own copy of
 * the same rows with its index: build time, size, the median and minimum
 * latency of every query over several runs after a warm-up (the planner
 * left to choose, as in production; runs interleaved across strategies so
 * machine noise hits all alike), whether the index was used, and the insert
 * rate with the index present (inside a transaction that is rolled back).  Every query must return the
 * same count under every strategy; a difference is printed as an error and
 * makes the exit status non-zero.  Ratios against the baselines are checked
 * against the project's targets and printed as PASS or MISS.
 *
 * Output: a table on the terminal, and optionally JSON and Markdown.
 */
#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace pathx
{

namespace
{

struct Query
{
	std::string name;
	std::string kind;			/* equality, containment, exists, range, ... */
	std::string where;
};

/* The query set: each kind the targets speak of, selective and not. */
const std::vector<Query> kQueries = {
	{"eq_status_refunded", "equality", R"(doc @> '{"status": "refunded"}')"},
	{"eq_country_path", "equality", R"(doc @@ '$.user.country == "IS"')"},
	{"contains_sku", "containment", R"(doc @> '{"items": [{"sku": "SKU-00042"}]}')"},
	{"exists_coupon_key", "key exists", R"(doc ? 'coupon')"},
	{"range_total", "range", R"(doc @? '$.total ? (@ > 4990)')"},
	{"range_email", "range", R"(doc @@ '$.user.email >= "ffe"')"},
	{"range_created", "range", R"(doc @@ '$.created_at >= "2024-05-18"')"},
	{"prefix_email", "prefix", R"(doc @@ '$.user.email starts with "abc"')"},
	{"regex_prefix_email", "prefix", R"(doc @? '$.user.email ? (@ like_regex "^abc")')"},
	{"nested_exists_coupon", "path exists", R"(doc @? '$.coupon.code')"},
	{"paid_and_range", "eq+range", R"(doc @@ '$.status == "paid" && $.total > 4990')"},
	{"or_refunded_or_small", "or", R"(doc @@ '$.status == "refunded" || $.total < 5')"},
	{"nonselective_paid", "non-selective", R"(doc @@ '$.status == "paid"')"},
	{"negation_not_paid", "negation", R"(doc @@ '!($.status == "paid")')"},
	{"wild_any_sku", "wildcard", R"(doc @@ '$.** == "SKU-00042"')"},
	{"wild_member_zip", "wildcard", R"(doc @@ '$.*.zip == "04242"')"},
	{"wild_star_price", "wildcard", R"(doc @@ '$.*[*].price > 499.9')"},
};

/*
 * Paths covering about a quarter of the ~22 leaf paths the generator
 * writes, for the paths option study.
 */
const char kQuarterPaths[] = "$.status, $.total, $.user.country, $.items[*].sku, $.coupon";

struct Strategy
{
	std::string name;			/* seq, jsonb_ops, ... (also the index name suffix) */
	std::string opclass;		/* empty for seq; may carry options */
};

struct QueryResult
{
	double		median_ms = 0;
	double		min_ms = 0;
	long		count = 0;
	bool		index_used = false;
};

struct StrategyResult
{
	std::string name;
	double		build_s = 0;
	long		size_bytes = 0;
	double		insert_rows_per_s = 0;
	std::map<std::string, QueryResult> queries;
};

/*
 * Order-like documents, about 700 bytes: a nested user, 1-8 line items with
 * skewed SKUs, tags, sparse flags, a rare coupon, timestamps as ISO text
 * and as epoch numbers.  %1$s is the row-number expression.
 */
std::string
DocumentSql(const std::string &i)
{
	std::string s = R"SQL(jsonb_build_object(
 'id', I,
 'status', (ARRAY['paid','paid','paid','paid','paid','paid','shipped','shipped','pending','refunded'])[1 + floor(random() * 10)::int],
 'total', round((random() * 5000)::numeric, 2),
 'currency', (ARRAY['EUR','USD','GBP'])[1 + floor(random() * 3)::int],
 'created_at', to_char(timestamp '2024-01-01' + (I || ' minutes')::interval, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
 'created_epoch', 1704067200::bigint + I * 60,
 'user', jsonb_build_object('id', floor(random() * 50000)::int,
     'name', 'User ' || substr(md5(I::text), 1, 10),
     'email', md5((I * 7)::text) || '@example.com',
     'country', (ARRAY['US','DE','FR','IS','BR','JP','IN','GB'])[1 + floor(random() * 8)::int],
     'tier', (ARRAY['gold','silver','bronze'])[1 + floor(random() * 3)::int]),
 'items', (SELECT jsonb_agg(jsonb_build_object(
     'sku', 'SKU-' || lpad(floor(power(random(), 3) * 50000)::int::text, 5, '0'),
     'qty', 1 + floor(random() * 4)::int,
     'price', round((random() * 500)::numeric, 2)))
   FROM generate_series(1, 1 + (I % 8)) g WHERE g > 0 * I),
 'tags', (SELECT jsonb_agg(t) FROM (SELECT (ARRAY['new','sale','gift','vip','promo','bulk','eco','fast'])[1 + floor(power(random(), 2) * 8)::int] t
   FROM generate_series(1, 1 + I % 3) g WHERE g > 0 * I) x),
 'shipping', jsonb_build_object('city', 'City ' || (I % 1000), 'zip', lpad((I % 99999)::text, 5, '0'))
) || CASE WHEN random() < 0.05 THEN jsonb_build_object('flags', jsonb_build_object('gift', true, 'express', random() < 0.5)) ELSE '{}' END
  || CASE WHEN random() < 0.01 THEN jsonb_build_object('coupon', jsonb_build_object('code', 'C' || I, 'pct', 5 + floor(random() * 20)::int)) ELSE '{}' END)SQL";
	std::string out;

	for (size_t p = 0; p < s.size(); p++)
	{
		if (s[p] == 'I' && (p + 1 == s.size() || !isalnum(static_cast<unsigned char>(s[p + 1]))) &&
			(p == 0 || !isalnum(static_cast<unsigned char>(s[p - 1]))))
			out += i;
		else
			out.push_back(s[p]);
	}
	return out;
}

double
Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b)
{
	return std::chrono::duration<double>(b - a).count();
}

void
Progress(const std::string &what)
{
	std::cerr << "  " << what << std::endl;
}

std::string
TableOf(const Strategy &s)
{
	return s.opclass.empty() ? "bench" : "bench_" + s.name;
}

/* Build the strategy's index on its own copy of the data. */
void
BuildStrategy(pqxx::connection &c, const Strategy &s, StrategyResult &res)
{
	res.name = s.name;
	if (s.opclass.empty())
		return;
	pqxx::nontransaction n(c);
	std::string table = TableOf(s);

	Progress("building " + s.opclass + " index");
	n.exec("DROP TABLE IF EXISTS " + table);
	n.exec("CREATE TABLE " + table + " AS SELECT * FROM bench");
	n.exec("VACUUM ANALYZE " + table);

	auto		t0 = std::chrono::steady_clock::now();

	n.exec("CREATE INDEX " + table + "_doc ON " + table + " USING gin (doc " + s.opclass + ")");
	res.build_s = Seconds(t0, std::chrono::steady_clock::now());
	res.size_bytes = n.exec("SELECT pg_relation_size('" + table + "_doc')")[0][0].as<long>();
	n.exec("ANALYZE " + table);
}

/*
 * Time every query on every strategy's table.  Runs are interleaved across
 * strategies (query 1 on each, then again, ...) so that noise on a shared
 * machine hits all strategies alike instead of whichever ran during it.
 */
void
RunQueries(pqxx::connection &c, const std::vector<Strategy> &strategies,
		   std::vector<StrategyResult> &results, int runs)
{
	pqxx::nontransaction n(c);

	for (const Query &q : kQueries)
	{
		Progress("query " + q.name);
		std::vector<std::vector<double>> times(strategies.size());

		for (size_t i = 0; i < strategies.size(); i++)
		{
			std::string sql = "SELECT count(*) FROM " + TableOf(strategies[i]) + " WHERE " + q.where;
			QueryResult &r = results[i].queries[q.name];
			std::string plan = n.exec("EXPLAIN (FORMAT JSON) " + sql)[0][0].c_str();

			r.count = n.exec(sql)[0][0].as<long>();	/* warm-up */
			r.index_used = !strategies[i].opclass.empty() &&
				plan.find("\"Index Name\": \"" + TableOf(strategies[i]) + "_doc\"") != std::string::npos;
		}
		for (int run = 0; run < runs; run++)
			for (size_t i = 0; i < strategies.size(); i++)
			{
				std::string sql = "SELECT count(*) FROM " + TableOf(strategies[i]) + " WHERE " + q.where;
				auto		t0 = std::chrono::steady_clock::now();

				n.exec(sql);
				times[i].push_back(Seconds(t0, std::chrono::steady_clock::now()) * 1000.0);
			}
		for (size_t i = 0; i < strategies.size(); i++)
		{
			QueryResult &r = results[i].queries[q.name];

			std::sort(times[i].begin(), times[i].end());
			r.median_ms = times[i][times[i].size() / 2];
			r.min_ms = times[i].front();
		}
	}
}

/* Insert rate with the index present, rolled back so the data stays put. */
void
MeasureInserts(pqxx::connection &c, const Strategy &s, StrategyResult &res, int insert_rows)
{
	Progress("inserting " + std::to_string(insert_rows) + " rows with " + s.name);
	pqxx::work	w(c);
	auto		t0 = std::chrono::steady_clock::now();

	w.exec("INSERT INTO " + TableOf(s) + " SELECT 10000000 + i, " + DocumentSql("(10000000 + i)") +
		   " FROM generate_series(1, " + std::to_string(insert_rows) + ") i");
	res.insert_rows_per_s = insert_rows / Seconds(t0, std::chrono::steady_clock::now());
	w.abort();
}

std::string
Fixed(double v, int digits)
{
	char		buf[64];

	std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
	return buf;
}

}							/* namespace */

}							/* namespace pathx */

int
main(int argc, char **argv)
{
	CLI::App	app{"pathx-bench: jsonb_pathx_ops against jsonb_ops, jsonb_path_ops and a seq scan"};
	long		rows = 200000;
	int			runs = 5;
	int			insert_rows = 10000;
	std::string conninfo;
	std::string json_file;
	std::string markdown_file;

	app.add_option("--rows", rows, "documents to generate")->check(CLI::Range(1L, 100000000L));
	app.add_option("--runs", runs, "timed runs per query, after one warm-up")->check(CLI::Range(1, 1000));
	app.add_option("--insert-rows", insert_rows, "rows inserted to measure the insert rate")
		->check(CLI::Range(1, 10000000));
	app.add_option("--conninfo", conninfo, "libpq connection string (default: PG* environment)");
	app.add_option("--json", json_file, "also write the results as JSON");
	app.add_option("--markdown", markdown_file, "also write the results as a Markdown table");
	CLI11_PARSE(app, argc, argv);

	using pathx::kQueries;
	const std::vector<pathx::Strategy> strategies = {
		{"seq", ""},
		{"jsonb_ops", "jsonb_ops"},
		{"jsonb_path_ops", "jsonb_path_ops"},
		{"jsonb_pathx_ops", "jsonb_pathx_ops"},
		{"pathx_anypath", "jsonb_pathx_ops (anypath = true)"},
		{"pathx_quarter_paths", std::string("jsonb_pathx_ops (paths = '") + pathx::kQuarterPaths + "')"},
	};
	std::vector<pathx::StrategyResult> results;
	int			errors = 0;
	double		avg_bytes = 0;

	try
	{
		pqxx::connection c(conninfo);

		{
			pqxx::nontransaction n(c);

			n.exec("CREATE EXTENSION IF NOT EXISTS jsonb_pathx");
			n.exec("SET maintenance_work_mem = '512MB'");
			n.exec("DROP TABLE IF EXISTS bench");
			pathx::Progress("generating " + std::to_string(rows) + " documents");
			n.exec("SELECT setseed(0.4242)");
			n.exec("CREATE TABLE bench AS SELECT i AS id, " + pathx::DocumentSql("i") +
				   " AS doc FROM generate_series(1, " + std::to_string(rows) + ") i");
			n.exec("VACUUM ANALYZE bench");
			avg_bytes = n.exec("SELECT avg(pg_column_size(doc)) FROM bench")[0][0].as<double>();
			pathx::Progress("average document: " + pathx::Fixed(avg_bytes, 0) + " bytes");
		}
		results.resize(strategies.size());
		for (size_t i = 0; i < strategies.size(); i++)
			pathx::BuildStrategy(c, strategies[i], results[i]);
		pathx::RunQueries(c, strategies, results, runs);
		for (size_t i = 0; i < strategies.size(); i++)
			pathx::MeasureInserts(c, strategies[i], results[i], insert_rows);
		{
			pqxx::nontransaction n(c);

			for (const pathx::Strategy &s : strategies)
				n.exec("DROP TABLE IF EXISTS " + pathx::TableOf(s));
		}
	}
	catch (const pqxx::sql_error &e)
	{
		std::cerr << "error: " << e.what() << "SQLSTATE " << e.sqlstate() << "\nquery: "
			<< e.query().substr(0, 300) << std::endl;
		return 2;
	}
	catch (const std::exception &e)
	{
		std::cerr << "error: " << e.what() << std::endl;
		return 2;
	}

	/* every strategy must return the same counts */
	for (const pathx::Query &q : kQueries)
		for (const auto &r : results)
			if (r.queries.at(q.name).count != results[0].queries.at(q.name).count)
			{
				std::cerr << "ERROR: " << q.name << " returned " << r.queries.at(q.name).count
					<< " rows with " << r.name << " but " << results[0].queries.at(q.name).count
					<< " with " << results[0].name << std::endl;
				errors++;
			}

	const pathx::StrategyResult &seq = results[0];
	const pathx::StrategyResult &ops = results[1];
	const pathx::StrategyResult &path = results[2];
	const pathx::StrategyResult &px = results[3];
	std::ostringstream md;

	md << "| | seq scan | jsonb_ops | jsonb_path_ops | jsonb_pathx_ops | pathx vs path_ops | pathx vs seq |\n";
	md << "|---|---:|---:|---:|---:|---:|---:|\n";
	md << "| build (s) | | " << pathx::Fixed(ops.build_s, 1) << " | " << pathx::Fixed(path.build_s, 1)
		<< " | " << pathx::Fixed(px.build_s, 1) << " | " << pathx::Fixed(px.build_s / path.build_s, 2)
		<< "x | |\n";
	md << "| size (MB) | | " << pathx::Fixed(ops.size_bytes / 1048576.0, 1) << " | "
		<< pathx::Fixed(path.size_bytes / 1048576.0, 1) << " | " << pathx::Fixed(px.size_bytes / 1048576.0, 1)
		<< " | " << pathx::Fixed(static_cast<double>(px.size_bytes) / path.size_bytes, 2) << "x | |\n";
	md << "| insert (rows/s) | " << pathx::Fixed(seq.insert_rows_per_s, 0) << " | "
		<< pathx::Fixed(ops.insert_rows_per_s, 0) << " | " << pathx::Fixed(path.insert_rows_per_s, 0) << " | "
		<< pathx::Fixed(px.insert_rows_per_s, 0) << " | "
		<< pathx::Fixed(px.insert_rows_per_s / path.insert_rows_per_s, 2) << "x | |\n";
	for (const pathx::Query &q : kQueries)
	{
		auto		cell = [&](const pathx::StrategyResult &r) {
			const pathx::QueryResult &x = r.queries.at(q.name);

			return pathx::Fixed(x.median_ms, 2) + (r.name == "seq" ? "" : (x.index_used ? " idx" : " seq"));
		};
		double		vs_path = px.queries.at(q.name).median_ms / path.queries.at(q.name).median_ms;
		double		vs_seq = seq.queries.at(q.name).median_ms / px.queries.at(q.name).median_ms;

		md << "| `" << q.where << "` (" << seq.queries.at(q.name).count << " rows) | " << cell(seq) << " | "
			<< cell(ops) << " | " << cell(path) << " | " << cell(px) << " | "
			<< pathx::Fixed(vs_path, 2) << "x | " << pathx::Fixed(vs_seq, 1) << "x faster |\n";
	}

	/* operator class options: anypath and a narrow paths list */
	const pathx::StrategyResult &any = results[4];
	const pathx::StrategyResult &quarter = results[5];
	std::ostringstream opt_md;

	opt_md << "| | seq scan | jsonb_pathx_ops | anypath = true | paths (a quarter) |\n";
	opt_md << "|---|---:|---:|---:|---:|\n";
	opt_md << "| build (s) | | " << pathx::Fixed(px.build_s, 1) << " | " << pathx::Fixed(any.build_s, 1)
		<< " | " << pathx::Fixed(quarter.build_s, 1) << " |\n";
	opt_md << "| size (MB) | | " << pathx::Fixed(px.size_bytes / 1048576.0, 1) << " | "
		<< pathx::Fixed(any.size_bytes / 1048576.0, 1) << " (" << pathx::Fixed(static_cast<double>(any.size_bytes) / px.size_bytes, 2)
		<< "x) | " << pathx::Fixed(quarter.size_bytes / 1048576.0, 1) << " ("
		<< pathx::Fixed(static_cast<double>(quarter.size_bytes) / px.size_bytes, 2) << "x) |\n";
	for (const pathx::Query &q : kQueries)
	{
		auto		cell = [&](const pathx::StrategyResult &r) {
			const pathx::QueryResult &x = r.queries.at(q.name);

			return pathx::Fixed(x.median_ms, 2) + (r.name == "seq" ? "" : (x.index_used ? " idx" : " seq"));
		};

		if (q.kind != "wildcard" && q.name != "range_total" && q.name != "eq_country_path" &&
			q.name != "range_email")
			continue;
		opt_md << "| `" << q.where << "` (" << seq.queries.at(q.name).count << " rows) | " << cell(seq)
			<< " | " << cell(px) << " | " << cell(any) << " | " << cell(quarter) << " |\n";
	}

	/* the targets, as ratios from this run */
	std::ostringstream targets;
	auto		target = [&](const std::string &what, bool ok, const std::string &ratio) {
		targets << (ok ? "PASS " : "MISS ") << what << ": " << ratio << "\n";
	};
	auto		ms = [&](const pathx::StrategyResult &r, const char *name) {
		return r.queries.at(name).median_ms;
	};
	double		size_ratio = static_cast<double>(px.size_bytes) / ops.size_bytes;

	target("index size <= jsonb_ops", size_ratio <= 1.0, pathx::Fixed(size_ratio, 2) + "x jsonb_ops");
	target("build time <= 1.5x jsonb_path_ops", px.build_s <= 1.5 * path.build_s,
		   pathx::Fixed(px.build_s / path.build_s, 2) + "x jsonb_path_ops");
	target("insert rate >= 0.7x jsonb_path_ops", px.insert_rows_per_s >= 0.7 * path.insert_rows_per_s,
		   pathx::Fixed(px.insert_rows_per_s / path.insert_rows_per_s, 2) + "x jsonb_path_ops");
	for (const char *q : {"eq_status_refunded", "eq_country_path", "contains_sku"})
		target(std::string(q) + " <= 1.1x jsonb_path_ops", ms(px, q) <= 1.1 * ms(path, q),
			   pathx::Fixed(ms(px, q) / ms(path, q), 2) + "x");
	target("exists_coupon_key (?) <= jsonb_ops", ms(px, "exists_coupon_key") <= ms(ops, "exists_coupon_key"),
		   pathx::Fixed(ms(px, "exists_coupon_key") / ms(ops, "exists_coupon_key"), 2) + "x");
	for (const char *q : {"range_total", "range_email", "prefix_email", "regex_prefix_email",
		"nested_exists_coupon"})
	{
		double		speedup = ms(seq, q) / ms(px, q);
		double		share = 100.0 * seq.queries.at(q).count / std::max(1L, rows);

		target(std::string(q) + " (" + pathx::Fixed(share, 2) + "% of rows) >= 50x faster than seq scan",
			   speedup >= 50.0, pathx::Fixed(speedup, 1) + "x");
	}
	target("paid_and_range >= 20x faster than jsonb_path_ops",
		   ms(path, "paid_and_range") >= 20 * ms(px, "paid_and_range"),
		   pathx::Fixed(ms(path, "paid_and_range") / ms(px, "paid_and_range"), 1) + "x");
	for (const char *q : {"nonselective_paid", "negation_not_paid"})
		target(std::string(q) + " <= 1.1x seq scan", ms(px, q) <= 1.1 * ms(seq, q),
			   pathx::Fixed(ms(px, q) / ms(seq, q), 2) + "x seq scan");
	for (const char *q : {"wild_any_sku", "wild_member_zip", "wild_star_price"})
	{
		double		speedup = ms(seq, q) / ms(any, q);
		double		share = 100.0 * seq.queries.at(q).count / std::max(1L, rows);

		target(std::string(q) + " with anypath (" + pathx::Fixed(share, 2) +
			   "% of rows) >= 20x faster than seq scan", speedup >= 20.0, pathx::Fixed(speedup, 1) + "x");
	}
	target("paths covering a quarter of the paths <= 40% of the full index",
		   quarter.size_bytes <= 0.4 * px.size_bytes,
		   pathx::Fixed(100.0 * quarter.size_bytes / px.size_bytes, 0) + "%");

	std::cout << "\n" << rows << " documents, average " << pathx::Fixed(avg_bytes, 0)
		<< " bytes; median latency in ms over " << runs << " runs after a warm-up"
		<< " (idx: the strategy's index was used)\n\n"
		<< md.str() << "\nOperator class options (same run):\n\n" << opt_md.str() << "\n" << targets.str();

	if (!markdown_file.empty())
	{
		std::ofstream f(markdown_file);

		f << md.str() << "\nOperator class options (same run):\n\n" << opt_md.str() << "\n```\n"
			<< targets.str() << "```\n";
	}
	if (!json_file.empty())
	{
		std::ofstream f(json_file);

		f << "{\"rows\": " << rows << ", \"avg_doc_bytes\": " << pathx::Fixed(avg_bytes, 0)
			<< ", \"strategies\": [";
		for (size_t i = 0; i < results.size(); i++)
		{
			const auto &r = results[i];

			f << (i ? ", " : "") << "{\"name\": \"" << r.name << "\", \"build_s\": " << r.build_s
				<< ", \"size_bytes\": " << r.size_bytes << ", \"insert_rows_per_s\": "
				<< r.insert_rows_per_s << ", \"queries\": {";
			size_t		k = 0;

			for (const pathx::Query &q : kQueries)
			{
				const auto &x = r.queries.at(q.name);

				f << (k++ ? ", " : "") << "\"" << q.name << "\": {\"median_ms\": " << x.median_ms
					<< ", \"min_ms\": " << x.min_ms << ", \"count\": " << x.count
					<< ", \"index_used\": " << (x.index_used ? "true" : "false") << "}";
			}
			f << "}}";
		}
		f << "]}\n";
	}
	if (errors)
	{
		std::cerr << errors << " count mismatches between strategies" << std::endl;
		return 1;
	}
	return 0;
}
