/*
 * pathx_bench.cpp
 *	  Side-by-side benchmark of jsonb_pathx_ops against a seq scan,
 *	  jsonb_ops, jsonb_path_ops and (when installable) jsquery's
 *	  jsonb_path_value_ops, on the same data in one run.
 *
 * Design
 *
 * Data.  Order-like documents from GenerateOrder() (orders_gen.h, shared
 * with `pathx gen`): document i depends only on (seed, i, rows), never on the
 * order of generation, so the base load and the extra rows of the insert
 * test come from one definition and any run with the same --seed and --rows
 * sees the same bytes.  The rows are loaded with COPY in chunks, with a
 * progress bar.  Values are skewed the way real orders are (most orders
 * paid, few refunded; a few hot SKUs; rare coupons) so that each query
 * selects a known share of rows.  --data loads a user's file instead.
 *
 * One table per strategy.  Every strategy, the seq scan included, gets a
 * CREATE TABLE AS copy of the loaded base table, so all
 * strategies read identical heaps in identical physical order, and all
 * indexes exist at once, which lets the timed runs be interleaved: run k of
 * a query goes through every strategy before run k+1 starts (in rotating
 * order).  Noise on a shared 2-core machine then hits all strategies alike
 * instead of whichever was running when a neighbour woke up.
 *
 * Queries.  Plain `SELECT count(*) ... WHERE doc <op> ...` with the planner's
 * natural choice after ANALYZE: the question is what a user gets without
 * hints, so nothing is forced.  Whether the strategy's index was used is
 * read from EXPLAIN (FORMAT JSON): a "Bitmap Index Scan" node naming that
 * index.  The plan JSON is searched by the server with a jsonpath, which
 * spares us a JSON parser.  jsquery has its own language; queries it cannot
 * express (string ranges, prefixes) are left out for it, never approximated.
 * The same goes for the B-tree strategy: one table with a B-tree expression
 * index per distinct path expression the queries name (`btree-index:` in
 * the query file), each query rewritten for it (`btree:`); a query naming
 * several paths, an array element or a wildcard has no B-tree form and shows
 * "-".  Its size and build time are the sums over its indexes.
 *
 * Queries come from a query file (ParseQueries) or the built-in set, which
 * is kept as query-file text so that users can copy it.  Documents come
 * from the generator or from --data (NDJSON or a JSON array).
 *
 * Correctness.  Every strategy must count what the seq scan counts; any
 * difference is a wrong answer from an index (or a wrong jsquery
 * translation) and is reported as an ERROR, making the exit status non-zero.
 *
 * Insert rate.  Extra documents are inserted in committed batches into each
 * indexed copy, batches interleaved across strategies for the same reason
 * as the queries, then deleted and vacuumed away.  GIN's pending list
 * (fastupdate) is left at its default, since that is what users run.
 *
 * Application forms.  The orm kinds are the SQL that ORMs write
 * (doc->>'k' = 'x', (doc->>'n')::numeric > 10, jsonb_path_exists(doc, p,
 * vars), ...), which jsonb_pathx_ops serves through its planner hook: the
 * queries are the same for every strategy, and only jsonb_pathx_ops (and
 * the B-tree on the named path) can use an index for them.  What the hook
 * costs at planning is measured separately (MeasurePlanning): the median
 * "Planning Time" of EXPLAIN (SUMMARY) on the jsonb_pathx_ops table with
 * jsonb_pathx.application_forms on and off, for every query.
 *
 * Targets.  CheckTargets() turns the report into the issue's PASS/MISS
 * lines; a target whose strategy did not run is SKIP, not PASS.
 *
 * Side effects.  The target may be a user's own database, so the run
 * creates, drops and refuses by a mark (BenchObjects below: tables
 * commented kBenchMark, extensions and schema pxb_jsquery dropped only
 * when the run made them), and CHECKPOINT and pg_prewarm, which act on
 * the whole instance, run only when BenchOptions asks (the CLI's default
 * on the dev cluster, --checkpoint / --prewarm elsewhere).  When they do
 * not run, the report's warnings say so, since both steady the figures.
 */
#include "pathx_bench.h"

#include "orders_gen.h"
#include "ui.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cctype>
#include <condition_variable>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <stdexcept>
#include <sstream>
#include <thread>
#include <tuple>

namespace pathx
{

namespace
{

using Clock = std::chrono::steady_clock;

double
SecondsSince(Clock::time_point t0)
{
	return std::chrono::duration<double>(Clock::now() - t0).count();
}

/* A ratio, with 2 significant decimals below 10 and fewer above. */
std::string
Ratio(double v)
{
	if (!std::isfinite(v))
		return "-";
	return Fixed(v, v >= 100 ? 0 : v >= 10 ? 1 : 2) + "x";
}

bool
IsTty(std::ostream &os)
{
	return (&os == &std::cerr && isatty(2)) || (&os == &std::cout && isatty(1));
}

/* One statement outside any transaction block (autocommit). */
pqxx::result
Exec(pqxx::connection &c, const std::string &sql)
{
	pqxx::nontransaction n(c);

	return n.exec(sql);
}

}							/* namespace */

const char *
QueryKindName(QueryKind kind)
{
	switch (kind)
	{
		case QueryKind::kEquality:
			return "equality";
		case QueryKind::kContainment:
			return "containment";
		case QueryKind::kKeyExists:
			return "key exists";
		case QueryKind::kRange:
			return "range";
		case QueryKind::kPrefix:
			return "prefix";
		case QueryKind::kPathExists:
			return "path exists";
		case QueryKind::kEqAndRange:
			return "equality and range";
		case QueryKind::kOr:
			return "or";
		case QueryKind::kNonSelective:
			return "non-selective";
		case QueryKind::kNegation:
			return "negation";
		case QueryKind::kWildcard:
			return "wildcard";
		case QueryKind::kOrm:
			return "orm";
		case QueryKind::kOrmNonSelective:
			return "orm non-selective";
		case QueryKind::kOther:
			return "other";
	}
	return "?";
}

bool
IsOrmKind(QueryKind kind)
{
	return kind == QueryKind::kOrm || kind == QueryKind::kOrmNonSelective;
}

std::string
QueryKindToken(QueryKind kind)
{
	std::string t = QueryKindName(kind);

	std::replace(t.begin(), t.end(), ' ', '-');
	return t;
}

bool
ParseQueryKind(const std::string &text, QueryKind &kind)
{
	std::string t = text;

	std::replace(t.begin(), t.end(), ' ', '-');
	for (int k = static_cast<int>(QueryKind::kEquality); k <= static_cast<int>(QueryKind::kOther); k++)
		if (QueryKindToken(static_cast<QueryKind>(k)) == t)
		{
			kind = static_cast<QueryKind>(k);
			return true;
		}
	return false;
}

namespace
{

std::string
Trim(const std::string &s)
{
	size_t		b = s.find_first_not_of(" \t\r");
	size_t		e = s.find_last_not_of(" \t\r");

	return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

/*
 * Splits a query line at the `|` that are outside quotes and not part of
 * `||`.  Inside '...' a " is plain text and the other way round, which
 * covers SQL literals holding jsonpath and jsquery's "..." strings.
 */
std::vector<std::string>
SplitFields(const std::string &line, std::string &error)
{
	std::vector<std::string> fields;
	std::string cur;
	char		quote = 0;

	for (size_t i = 0; i < line.size(); i++)
	{
		char		ch = line[i];

		if (quote)
		{
			if (ch == quote)
				quote = 0;
		}
		else if (ch == '\'' || ch == '"')
			quote = ch;
		else if (ch == '|')
		{
			bool		doubled = (i + 1 < line.size() && line[i + 1] == '|') ||
				(i > 0 && line[i - 1] == '|');

			if (!doubled)
			{
				fields.push_back(Trim(cur));
				cur.clear();
				continue;
			}
		}
		cur.push_back(ch);
	}
	if (quote)
		error = std::string("unterminated ") + quote + " quote";
	fields.push_back(Trim(cur));
	return fields;
}

bool
StartsWith(const std::string &s, const std::string &prefix)
{
	return s.compare(0, prefix.size(), prefix) == 0;
}

}							/* namespace */

std::vector<BenchQuery>
ParseQueries(std::istream &in, const std::string &source)
{
	std::vector<BenchQuery> out;
	std::string line;
	int			lineno = 0;
	std::map<std::string, int> seen;
	const std::string usage = "write one query per line as  name | kind | SQL condition on doc "
		"[| jsquery: Q] [| btree: C | btree-index: E]  (see tools/bench/queries.example)";

	while (std::getline(in, line))
	{
		lineno++;

		std::string t = Trim(line);

		if (t.empty() || t[0] == '#')
			continue;

		std::string where = source + ":" + std::to_string(lineno) + ": ";
		auto		fail = [&](const std::string &problem) {
			throw CliError(where + problem, usage, 2);
		};
		std::string error;
		std::vector<std::string> f = SplitFields(t, error);

		if (!error.empty())
			fail(error);
		if (f.size() < 3)
			fail("expected at least 3 fields separated by |, found " + std::to_string(f.size()));

		BenchQuery	q;

		q.name = f[0];
		if (q.name.empty())
			fail("the query has no name");
		for (char ch : q.name)
			if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_')
				fail("query name '" + q.name + "' may hold only letters, digits and _");
		if (seen.count(q.name))
			fail("query name '" + q.name + "' is already used on line " + std::to_string(seen[q.name]));
		seen[q.name] = lineno;
		if (!ParseQueryKind(f[1], q.kind))
		{
			std::string kinds;

			for (int k = static_cast<int>(QueryKind::kEquality); k <= static_cast<int>(QueryKind::kOther); k++)
				kinds += (kinds.empty() ? "" : ", ") + QueryKindToken(static_cast<QueryKind>(k));
			fail("unknown kind '" + f[1] + "' (known: " + kinds + ")");
		}
		q.where = f[2];
		if (q.where.empty())
			fail("query '" + q.name + "' has an empty SQL condition");
		for (size_t i = 3; i < f.size(); i++)
		{
			const std::string &v = f[i];
			auto		tagged = [&](const std::string &tag, std::string &dest) {
				if (!StartsWith(v, tag + ":"))
					return false;
				if (!dest.empty())
					fail("field " + std::to_string(i + 1) + ": " + tag + " given twice");
				dest = Trim(v.substr(tag.size() + 1));
				if (dest.empty())
					fail("field " + std::to_string(i + 1) + ": " + tag + ": is empty");
				return true;
			};

			if (tagged("jsquery", q.jsquery) || tagged("btree-index", q.btree_index) ||
				tagged("btree", q.btree_where))
				continue;
			if (i == 3 && !v.empty())
				q.jsquery = v;	/* name | kind | condition | jsquery */
			else
				fail("field " + std::to_string(i + 1) + " '" + v +
					 "' is not tagged jsquery:, btree: or btree-index:");
		}
		if (q.btree_where.empty() != q.btree_index.empty())
			fail("query '" + q.name + "' needs both btree: (the condition) and btree-index: "
				 "(the indexed expression), or neither");
		out.push_back(q);
	}
	if (in.bad())
		throw CliError("could not read " + source);
	if (out.empty())
		throw CliError(source + ": no queries (only blank lines and comments)", usage, 2);
	return out;
}

/* Kept identical to tools/bench/queries.example (a test compares them). */
const char *
DefaultQueryText()
{
	return R"QUERIES(# queries.example: the built-in query set of `pathx bench`, in the query-file
# format, to copy and edit:  pathx bench --queries my.queries
#
# One query per line; blank lines and lines starting with # are ignored:
#
#   name | kind | SQL condition on doc [| jsquery: Q] [| btree: C | btree-index: E]
#
# name        letters, digits and _; a stable id (JSON keys, chart labels)
# kind        equality, containment, key-exists, range, prefix, path-exists,
#             equality-and-range, or, non-selective, negation, wildcard, orm,
#             orm-non-selective, other (the kind selects which project target
#             the query is checked against; orm: an application SQL form such
#             as doc->>'k' = 'x' rather than a jsonb operator)
# condition   what follows WHERE in `SELECT count(*) FROM t WHERE ...`, on
#             the jsonb column doc; it runs on seq scan, jsonb_ops,
#             jsonb_path_ops and jsonb_pathx_ops alike
# jsquery: Q  the same question in jsquery's language, for jsquery's
#             jsonb_path_value_ops (an untagged 4th field means the same);
#             without it that column shows "-"
# btree: C    the same question written for a B-tree expression index on
#             the single path it names, and
# btree-index: E  that index, as in CREATE INDEX ON t (E); both or neither.
#             Without them the btree column shows "-": a query naming
#             several paths, an array or a wildcard is not approximated.
#
# Fields are separated by `|` outside '...' and "..." quotes and not part
# of `||`.  Every strategy must count the rows the seq scan counts; a
# difference is reported as an error (so write C to be exact on your data:
# jsonpath compares strings by code point, hence COLLATE "C").
#
# Shares below are those of the generated orders (`pathx bench --rows N`).

# equality: 1% and 0.5% of rows
eq_status_refunded | equality | doc @> '{"status": "refunded"}' | jsquery: status = "refunded" | btree: doc->>'status' = 'refunded' | btree-index: (doc->>'status')
eq_country_rare | equality | doc @? '$.user.country ? (@ == "IS")' | jsquery: user.country = "IS" | btree: doc->'user'->>'country' = 'IS' | btree-index: (doc->'user'->>'country')
# containment inside an array (0.3%): no single scalar path for a B-tree
contains_sku | containment | doc @> '{"items": [{"sku": "SKU-00042"}]}' | jsquery: items.#.sku = "SKU-00042"
# top-level key existence (0.9%)
exists_coupon_key | key-exists | doc ? 'coupon' | jsquery: coupon = * | btree: doc->'coupon' IS NOT NULL | btree-index: (doc->'coupon')
# numeric range (0.8%), string ranges (0.05%, 0.8%)
range_total | range | doc @? '$.total ? (@ > 4960)' | jsquery: total > 4960 | btree: (doc->>'total')::numeric > 4960 | btree-index: ((doc->>'total')::numeric)
range_email | range | doc @? '$.user.email ? (@ >= "ffe")' | btree: (doc->'user'->>'email') COLLATE "C" >= 'ffe' | btree-index: (doc->'user'->>'email') COLLATE "C"
range_created | range | doc @? '$.created_at ? (@ >= "2024-12-29")' | btree: (doc->>'created_at') COLLATE "C" >= '2024-12-29' | btree-index: (doc->>'created_at') COLLATE "C"
# prefixes (0.02%): starts with, and like_regex anchored at the start
prefix_email | prefix | doc @? '$.user.email ? (@ starts with "abc")' | btree: (doc->'user'->>'email') COLLATE "C" LIKE 'abc%' | btree-index: (doc->'user'->>'email') COLLATE "C"
regex_prefix_email | prefix | doc @? '$.user.email ? (@ like_regex "^abc")' | btree: (doc->'user'->>'email') COLLATE "C" ~ '^abc' | btree-index: (doc->'user'->>'email') COLLATE "C"
# nested path existence (0.9%)
nested_exists_coupon | path-exists | doc @? '$.coupon.code' | jsquery: coupon.code = * | btree: doc->'coupon'->'code' IS NOT NULL | btree-index: (doc->'coupon'->'code')
# AND of an equality and a range (0.1%), OR of two paths (1.2%)
paid_and_range | equality-and-range | doc @@ '$.status == "paid" && $.total > 4990' | jsquery: status = "paid" AND total > 4990
or_refunded_or_small | or | doc @@ '$.status == "refunded" || $.total < 5' | jsquery: status = "refunded" OR total < 5
# non-selective (60%) and negation (40%): an index should not be used
nonselective_paid | non-selective | doc @@ '$.status == "paid"' | jsquery: status = "paid" | btree: doc->>'status' = 'paid' | btree-index: (doc->>'status')
negation_not_paid | negation | doc @@ '!($.status == "paid")' | jsquery: NOT (status = "paid") | btree: doc->>'status' <> 'paid' | btree-index: (doc->>'status')
# wildcards: any depth, any member, any member's array elements
wild_any_sku | wildcard | doc @@ '$.** == "SKU-00042"' | jsquery: * = "SKU-00042"
wild_member_zip | wildcard | doc @@ '$.*.zip == "04242"' | jsquery: %.zip = "04242"
wild_star_price | wildcard | doc @@ '$.*[*].price > 499.9' | jsquery: %.#.price > 499.9

# Application SQL forms, as ORMs and hand-written SQL spell them (orm:
# selective, under 1% of rows unless noted; orm-non-selective: most rows).
# jsonb_pathx_ops serves them through its planner hook, with a derived lossy
# index condition doc @@ '<jsonpath>' and the clause itself as the recheck;
# jsonb_ops and jsonb_path_ops cannot use their index for them (a seq scan).
# The btree: forms are the same SQL on B-tree expression indexes on the path,
# what a DBA builds for such queries today.
# text equality: ActiveRecord, Django KeyTextTransform, SQLAlchemy (1%: above the 1% line)
orm_status_eq | orm | doc->>'status' = 'refunded' | btree: doc->>'status' = 'refunded' | btree-index: (doc->>'status')
# nested text equality (0.5%), Hibernate's function spelling; IN over #>>
# (Sequelize's nested path, 0.004%)
orm_country_eq | orm | doc->'user'->>'country' = 'IS' | btree: doc->'user'->>'country' = 'IS' | btree-index: (doc->'user'->>'country')
orm_country_fn | orm | jsonb_extract_path_text(doc, 'user', 'country') = 'IS' | btree: jsonb_extract_path_text(doc, 'user', 'country') = 'IS' | btree-index: (jsonb_extract_path_text(doc, 'user', 'country'))
orm_user_in | orm | doc#>>'{user,id}' IN ('42', '4242', '42424') | btree: doc#>>'{user,id}' IN ('42', '4242', '42424') | btree-index: (doc#>>'{user,id}')
# jsonb equality (Django's exact lookup on a key, 0.5%)
orm_country_jsonb | orm | doc->'user'->'country' = '"IS"'::jsonb | btree: doc->'user'->'country' = '"IS"'::jsonb | btree-index: (doc->'user'->'country')
# numeric ranges (0.2%): a numeric cast (SQLAlchemy, hand-written), Sequelize's
# CAST(#>> AS DOUBLE PRECISION), Django's jsonb comparison; a jsonb value cast
# to int, BETWEEN (one day of created_epoch, 0.27%)
orm_total_numeric | orm | (doc->>'total')::numeric > 4990 | btree: (doc->>'total')::numeric > 4990 | btree-index: ((doc->>'total')::numeric)
orm_total_double | orm | CAST((doc#>>'{total}') AS DOUBLE PRECISION) > 4990 | btree: CAST((doc#>>'{total}') AS DOUBLE PRECISION) > 4990 | btree-index: (CAST((doc#>>'{total}') AS DOUBLE PRECISION))
orm_total_jsonb | orm | (doc -> 'total') > '4990'::jsonb | btree: (doc -> 'total') > '4990'::jsonb | btree-index: ((doc -> 'total'))
orm_epoch_between | orm | (doc->'created_epoch')::int BETWEEN 1735516800 AND 1735603199 | btree: (doc->'created_epoch')::int BETWEEN 1735516800 AND 1735603199 | btree-index: (((doc->'created_epoch')::int))
# LIKE with a literal prefix (0.02%); a B-tree serves LIKE only with
# text_pattern_ops (or COLLATE "C") unless the database collation is C
orm_email_like | orm | doc#>>'{user,email}' LIKE 'abc%' | btree: doc#>>'{user,email}' LIKE 'abc%' | btree-index: (doc#>>'{user,email}') text_pattern_ops
# IS NOT NULL on a sparse path (0.3%), jsonb_exists (the ? operator without
# a ? that JDBC takes for a placeholder, 0.9%)
orm_fraud_not_null | orm | doc->>'fraud_review' IS NOT NULL | btree: doc->>'fraud_review' IS NOT NULL | btree-index: (doc->>'fraud_review')
orm_coupon_exists_fn | orm | jsonb_exists(doc, 'coupon') | btree: doc->'coupon' IS NOT NULL | btree-index: (doc->'coupon')
# jsonpath functions: a variable (0.2%), the first match cast to int (0.2%)
orm_path_exists_vars | orm | jsonb_path_exists(doc, '$.total ? (@ > $x)', '{"x": 4990}') | btree: (doc->>'total')::numeric > 4990 | btree-index: ((doc->>'total')::numeric)
orm_query_first_int | orm | jsonb_path_query_first(doc, '$.total')::int > 4990 | btree: jsonb_path_query_first(doc, '$.total')::int > 4990 | btree-index: ((jsonb_path_query_first(doc, '$.total')::int))
# containment in a sub-document's array (0.3%); AND (0.1%) and OR (0.6%) of
# forms on two paths: no single B-tree expression index serves them
orm_items_contains | orm | doc->'items' @> '[{"sku": "SKU-00042"}]'
orm_and | orm | doc->>'status' = 'paid' AND (doc->>'total')::numeric > 4990
orm_or | orm | doc->'user'->>'country' = 'IS' OR (doc->>'total')::numeric < 5
# non-selective forms (60%, 80%): the index should not make them slower
orm_nonselective_paid | orm-non-selective | doc->>'status' = 'paid' | btree: doc->>'status' = 'paid' | btree-index: (doc->>'status')
orm_nonselective_total | orm-non-selective | (doc->>'total')::numeric > 1000 | btree: (doc->>'total')::numeric > 1000 | btree-index: ((doc->>'total')::numeric)
)QUERIES";
}

const std::vector<BenchQuery> &
DefaultQueries()
{
	static const std::vector<BenchQuery> queries = [] {
		std::istringstream in(DefaultQueryText());

		return ParseQueries(in, "built-in queries");
	}();

	return queries;
}

/* ---------------------------------------------------------------------
 * Data files
 * ---------------------------------------------------------------------
 */

namespace
{

/* NDJSON: one document per line; blank lines are skipped. */
class NdjsonSource : public DocumentSource
{
public:
	explicit NdjsonSource(std::unique_ptr<std::ifstream> in) : in_(std::move(in)) {}

	bool		Next(std::string &doc) override
	{
		std::string line;

		while (std::getline(*in_, line))
		{
			if (line.find_first_not_of(" \t\r") != std::string::npos)
			{
				doc = line;
				return true;
			}
		}
		return false;
	}

private:
	std::unique_ptr<std::ifstream> in_;
};

/*
 * One JSON array of documents: cuts the text at the commas between
 * top-level elements, tracking only nesting and strings; the server parses
 * each element (and reports what is wrong with it).
 */
class JsonArraySource : public DocumentSource
{
public:
	JsonArraySource(std::unique_ptr<std::ifstream> in, std::string path)
		: in_(std::move(in)), path_(std::move(path))
	{
		char		ch;

		while (in_->get(ch) && std::isspace(static_cast<unsigned char>(ch)))
			;					/* up to the opening '[' (checked by the caller) */
	}

	bool		Next(std::string &doc) override
	{
		int			depth = 0;
		bool		in_string = false;
		bool		escaped = false;
		char		ch;

		doc.clear();
		if (done_)
			return false;
		while (in_->get(ch))
		{
			if (in_string)
			{
				if (escaped)
					escaped = false;
				else if (ch == '\\')
					escaped = true;
				else if (ch == '"')
					in_string = false;
			}
			else if (ch == '"')
				in_string = true;
			else if (ch == '{' || ch == '[')
				depth++;
			else if ((ch == '}' || ch == ']') && depth > 0)
				depth--;
			else if (depth == 0 && (ch == ',' || ch == ']'))
			{
				done_ = ch == ']';
				if (doc.find_first_not_of(" \t\r\n") == std::string::npos)
				{
					if (done_ && count_ == 0)
						return false;	/* [] */
					throw CliError(path_ + ": empty element after document " + std::to_string(count_) +
								   " of the JSON array", "remove the stray comma");
				}
				count_++;
				return true;
			}
			doc.push_back(ch);
		}
		throw CliError(path_ + ": the JSON array is not closed (file ends inside document " +
					   std::to_string(count_ + 1) + ")", "check that the file is complete");
	}

private:
	std::unique_ptr<std::ifstream> in_;
	std::string path_;
	bool		done_ = false;
	long		count_ = 0;
};

}							/* namespace */

std::unique_ptr<DocumentSource>
OpenDocumentFile(const std::string &path)
{
	auto		in = std::make_unique<std::ifstream>(path, std::ios::binary);

	if (!*in)
		throw CliError("cannot read the data file " + path + ": " + std::strerror(errno),
					   "give an NDJSON file (one document per line) or a JSON array file", 2);

	int			first;

	while ((first = in->peek()) != EOF && std::isspace(first))
		in->get();
	if (first == '[')
		return std::make_unique<JsonArraySource>(std::move(in), path);
	return std::make_unique<NdjsonSource>(std::move(in));
}

/*
 * Paths covering about a quarter of the ~22 leaf paths the generator
 * writes, for the `paths` option study.
 */
static const char kQuarterPaths[] = "$.status, $.total, $.user.country, $.items[*].sku, $.coupon";

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

void
SetupBenchOptions(CLI::App &app, BenchOptions &opts)
{
	app.add_option("--rows", opts.rows, "documents to generate (default 200000)")
		->check(CLI::Range(1L, 100000000L));
	app.add_option("--runs", opts.runs, "timed runs per query after one warm-up (default 5)")
		->check(CLI::Range(1, 1000));
	app.add_option("--insert-rows", opts.insert_rows,
				   "extra rows inserted to measure the insert rate (default min(10000, rows))")
		->check(CLI::Range(0L, 10000000L));
	app.add_option("--insert-batch", opts.insert_batch, "rows per INSERT statement (default 500)")
		->check(CLI::Range(1, 100000));
	app.add_option("--seed", opts.seed, "data generator seed (default 42)");
	app.add_option("--only", opts.only,
				   "strategies to run (seq always runs): jsonb_ops, jsonb_path_ops, jsonb_pathx_ops, "
				   "jsonb_path_value_ops, btree, pathx_anypath, pathx_quarter_paths")
		->delimiter(',');
	app.add_flag("!--no-option-studies", opts.option_studies,
				 "skip the operator class option studies (anypath, paths)");
	app.add_option("--plan-runs", opts.plan_runs,
				   "EXPLAIN (SUMMARY) repeats per query for the planning time with "
				   "jsonb_pathx.application_forms on and off (default 30; 0: skip)")
		->check(CLI::Range(0, 10000));
	app.add_flag("--keep-tables", opts.keep_tables,
				 "leave the pxb_* tables behind for inspection (and the extensions their indexes need)");
	app.add_flag("--checkpoint", opts.checkpoint,
				 "run CHECKPOINT before each index build, so each starts with a clean buffer pool "
				 "(instance-wide; the default on the dev cluster, off with --conninfo)");
	app.add_flag("--prewarm", opts.prewarm,
				 "load every table and index into shared buffers with pg_prewarm before the timed "
				 "runs, creating the extension if absent and dropping it after (instance-wide; the "
				 "default on the dev cluster, off with --conninfo)");
	app.add_option("--json", opts.json_file, "also write the report as JSON to this file");
	app.add_option("--markdown", opts.markdown_file, "also write the Markdown tables to this file");
	app.add_option("--svg", opts.svg_file,
				   "also write a chart (latency per query and strategy, index sizes) to this SVG file");
}

const StrategyResult *
BenchReport::Find(const std::string &name) const
{
	for (const StrategyResult &r : results)
		if (r.strategy.name == name)
			return &r;
	return nullptr;
}

namespace
{

/*
 * jsquery lives in its own schema, off the search path: its jsonb @@ jsquery
 * operator would otherwise make every `doc @@ '...'` of the jsonpath queries
 * ambiguous (an unknown-typed literal fits both).
 */
const char kJsquerySchema[] = "pxb_jsquery";

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

/* 'text' as an SQL literal (standard_conforming_strings, on since 9.1). */
std::string
SqlLiteral(const std::string &text)
{
	std::string out = "'";

	for (char ch : text)
		out += ch == '\'' ? std::string("''") : std::string(1, ch);
	return out + "'";
}

/* The SQL a strategy runs for a query, or "" when it cannot express it. */
std::string
QuerySql(const Strategy &s, const BenchQuery &q)
{
	if (s.kind == StrategyKind::kJsquery)
	{
		if (q.jsquery.empty())
			return "";
		return "SELECT count(*) FROM " + TableOf(s) + " WHERE doc OPERATOR(" + kJsquerySchema +
			".@@) " + SqlLiteral(q.jsquery) + "::" + kJsquerySchema + ".jsquery";
	}
	if (s.kind == StrategyKind::kBtree)
		return q.btree_where.empty() ? "" : "SELECT count(*) FROM " + TableOf(s) + " WHERE " + q.btree_where;
	return "SELECT count(*) FROM " + TableOf(s) + " WHERE " + q.where;
}

/* The statement that marks a table as this benchmark's (kBenchMark). */
std::string
MarkTable(const std::string &table)
{
	return "COMMENT ON TABLE " + table + " IS " + SqlLiteral(kBenchMark);
}

/* (name, element) of each index a strategy builds: one GIN index, or a B-tree per distinct expression. */
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

/*
 * What a run makes in the target database, which may be a user's own
 * (--conninfo), and the rules that keep that database as it was:
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
class BenchObjects
{
public:
	explicit BenchObjects(pqxx::connection &c) : c_(c)
	{
		pqxx::row	r = Exec(c_, "SELECT current_schema()")[0];

		if (r[0].is_null())
			throw CliError("no schema on the search_path exists to create the benchmark tables in "
						   "(current_schema() is null)",
						   "create one, or set the role's search_path: ALTER ROLE ... SET search_path = ...");
		schema_ = r[0].c_str();
	}

	/*
	 * Refuses (CliError, exit 1) when a name the run needs is taken by an
	 * object it did not make; then drops its own leftovers of those names.
	 */
	void		Claim(const std::vector<Strategy> &strategies, const std::vector<BenchQuery> &queries)
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
			throw CliError("refusing to run: pathx bench creates, drops and recreates objects of these names, "
						   "and did not create the ones that exist in schema " + schema_ + ": " + what +
						   " (its own carry the comment '" + kBenchMark + "'); nothing was changed",
						   "run it in another database (--conninfo), or rename or drop those objects "
						   "yourself if they are leftovers you do not need");
		}
		for (const std::string &t : leftovers)
		{
			Step("Dropping", schema_ + "." + t + " (left by an earlier pathx bench)");
			n.exec("DROP TABLE " + Qualified(t));
		}
	}

	/* Creates (when absent) the extension a strategy needs; false, with why, when it cannot be had. */
	bool		EnsureExtension(const std::string &ext, std::string &why)
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
	void		Cleanup(bool keep_tables)
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
			Warn("could not remove the benchmark's objects: " + Trimmed(e.what()));
		}
	}

private:
	enum class SchemaState
	{
		kUnused,				/* no jsquery strategy, or jsquery not available */
		kAbsent,				/* to be created, marked */
		kOurs,					/* marked: made by pathx bench */
		kUsers,					/* unmarked, jsquery installed in it: used, left alone */
	};

	static std::string KindOf(const std::string &relkind)
	{
		static const std::map<std::string, std::string> kinds{
			{"r", "a table"}, {"p", "a partitioned table"}, {"v", "a view"}, {"m", "a materialized view"},
			{"i", "an index"}, {"I", "a partitioned index"}, {"S", "a sequence"}, {"f", "a foreign table"},
			{"c", "a composite type"}, {"t", "a TOAST table"}};
		auto		k = kinds.find(relkind);

		return k == kinds.end() ? "a relation" : k->second;
	}

	static std::string Trimmed(std::string why)
	{
		while (!why.empty() && (why.back() == '\n' || why.back() == ' '))
			why.pop_back();
		return why;
	}

	std::string Qualified(const std::string &name) const
	{
		return c_.quote_name(schema_) + "." + c_.quote_name(name);
	}

	/* True when `table` is a table of ours (marked) in the schema. */
	bool		IsOurs(const std::string &table)
	{
		return !Exec(c_, "SELECT FROM pg_class c WHERE c.relkind = 'r' AND c.relname = " + c_.quote(table) +
					 " AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = " +
					 c_.quote(schema_) + ") AND obj_description(c.oid, 'pg_class') = " +
					 c_.quote(std::string(kBenchMark))).empty();
	}

	bool		Installed(const std::string &ext)
	{
		return !Exec(c_, "SELECT FROM pg_extension WHERE extname = " + c_.quote(ext)).empty();
	}

	bool		InstalledIn(const std::string &ext, const std::string &schema)
	{
		return !Exec(c_, "SELECT FROM pg_extension e JOIN pg_namespace s ON s.oid = e.extnamespace "
					 "WHERE e.extname = " + c_.quote(ext) + " AND s.nspname = " + c_.quote(schema)).empty();
	}

	/* Drops one object of ours; a failure is a warning, since the run's result stands. */
	void		Try(const std::string &sql, const std::string &what)
	{
		try
		{
			Exec(c_, sql);
		}
		catch (const std::exception &e)
		{
			Warn("left " + what + " in place: " + Trimmed(e.what()));
		}
	}

	/* Where jsquery would live; an unmarked schema without jsquery goes on the `taken` list. */
	SchemaState JsquerySchemaState(pqxx::nontransaction &n, std::vector<std::string> &taken)
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

	bool		EnsureJsquery(std::string &why)
	{
		pqxx::result r = Exec(c_, "SELECT extnamespace::regnamespace::text FROM pg_extension "
							  "WHERE extname = 'jsquery'");

		if (!r.empty())
		{
			std::string schema = r[0][0].c_str();

			if (schema == kJsquerySchema)
				return true;
			/* fatal, not a skip: the ambiguity breaks the other strategies' queries too */
			throw CliError("jsquery is installed in schema " + schema + ", where its "
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
					 kJsquerySchema + " IS " + SqlLiteral(kBenchMark));
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

	pqxx::connection &c_;
	std::string schema_;		/* where the tables go: current_schema() */
	std::vector<std::string> tables_;	/* pxb_base and the strategies' tables */
	std::vector<std::string> created_;	/* extensions this run created, in order */
	SchemaState jsquery_schema_ = SchemaState::kUnused;
};

/*
 * Prints phase and table-scan progress of a running CREATE INDEX from a
 * second connection, so a 50-second build does not look like a hang.  Only
 * on a terminal: in a log, the start and end lines are enough.
 */
class BuildProgress
{
public:
	BuildProgress(const std::string &conninfo, int backend_pid, const std::string &label,
				  std::ostream &out)
		: out_(out)
	{
		if (!IsTty(out))
			return;
		thread_ = std::thread([this, conninfo, backend_pid, label] { Poll(conninfo, backend_pid, label); });
	}

	~BuildProgress()
	{
		{
			std::lock_guard<std::mutex> lock(mutex_);
			stop_ = true;
		}
		cv_.notify_all();
		if (thread_.joinable())
			thread_.join();
	}

private:
	void		Poll(const std::string &conninfo, int pid, const std::string &label)
	{
		try
		{
			pqxx::connection c(conninfo);
			std::unique_lock<std::mutex> lock(mutex_);

			while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; }))
			{
				pqxx::nontransaction n(c);
				pqxx::result r = n.exec_params(
					"SELECT phase, blocks_done, blocks_total FROM pg_stat_progress_create_index "
					"WHERE pid = $1", pid);

				if (r.empty())
					continue;
				std::string line = "    " + label + ": " + r[0][0].c_str();
				long		total = r[0][2].as<long>(0);

				if (total > 0 && r[0][1].as<long>(0) < total)
					line += ", table " + Fixed(100.0 * r[0][1].as<long>(0) / total, 0) + "% scanned";
				else if (total > 0)
					line += ", table scanned, writing the index";
				out_ << "\r" << std::left << std::setw(78) << line << std::flush;
			}
			out_ << "\r" << std::string(78, ' ') << "\r" << std::flush;
		}
		catch (const std::exception &)
		{
			/* progress is a courtesy: never fail the benchmark over it */
		}
	}

	std::ostream &out_;
	std::mutex	mutex_;
	std::condition_variable cv_;
	bool		stop_ = false;
	std::thread thread_;
};

/*
 * Loads the base table with COPY, in chunks of 10,000 documents, with a
 * progress bar: generated documents, or those of --data.  The server
 * parses the JSON, so a bad document in a data file is reported with its
 * number, taken from COPY's error context.
 */
void
LoadBase(pqxx::connection &c, const BenchOptions &opts, BenchReport &report)
{
	const long	chunk = 10000;
	auto		t0 = Clock::now();
	double		text_bytes = 0;
	std::unique_ptr<DocumentSource> file;
	bool		more = true;
	long		id = 0;

	if (!opts.data_file.empty())
		file = OpenDocumentFile(opts.data_file);
	/* BenchObjects::Claim() dropped a leftover of ours; the mark comes in the same transaction */
	Exec(c, "CREATE TABLE pxb_base (id bigint PRIMARY KEY, doc jsonb NOT NULL); " + MarkTable("pxb_base"));

	Progress	bar(file ? "Loading" : "Generating", file ? 0 : static_cast<std::uint64_t>(opts.rows),
					"documents");

	while (more)
	{
		long		first = id + 1;
		pqxx::work	w(c);
		pqxx::stream_to s(w, "pxb_base", std::vector<std::string>{"id", "doc"});

		try
		{
			for (long n = 0; n < chunk; n++)
			{
				std::string doc;

				if (file)
					more = file->Next(doc);
				else
				{
					more = id < opts.rows;
					if (more)
						doc = GenerateOrder(opts.seed, id + 1, opts.rows);
				}
				if (!more)
					break;
				id++;
				text_bytes += static_cast<double>(doc.size());
				s << std::make_tuple(id, doc);
			}
			s.complete();
			w.commit();
		}
		catch (const pqxx::data_exception &e)
		{
			std::string msg = e.what();
			size_t		at = msg.find("COPY pxb_base, line ");
			long		line = at == std::string::npos ? 0 : std::atol(msg.c_str() + at + 20);
			std::string first_line = msg.substr(0, msg.find('\n'));

			if (!file)
				throw;
			throw CliError(opts.data_file + ": document " +
						   (line > 0 ? std::to_string(first + line - 1) : "in " + std::to_string(first) + "-" +
							std::to_string(id)) + " is not valid JSON: " + first_line,
						   "fix or drop that document; each must be one JSON value (NDJSON: one per line)");
		}
		bar.Update(static_cast<std::uint64_t>(id));
	}
	bar.Finish();
	if (id == 0)
		throw CliError(opts.data_file + " holds no documents", "give a file with one JSON document per line, "
					   "or one JSON array of documents", 2);
	report.documents = id;
	Exec(c, "VACUUM ANALYZE pxb_base");
	report.load_s = SecondsSince(t0);
	report.avg_text_bytes = text_bytes / static_cast<double>(id);
	report.avg_doc_bytes = Exec(c, "SELECT avg(pg_column_size(doc)) FROM pxb_base")[0][0].as<double>();
	Step("Loaded", Thousands(static_cast<std::uint64_t>(id)) + " documents in " + Fixed(report.load_s, 1) +
		 " s, average " + Fixed(report.avg_doc_bytes, 0) + " bytes stored (" +
		 Fixed(report.avg_text_bytes, 0) + " as JSON text)");
}

/*
 * Copies the base table and builds the strategy's index on the copy.  The
 * seq scan strategy gets a copy too, made the same way, so that every
 * strategy scans a heap of the same size.
 */
void
BuildStrategy(pqxx::connection &c, const BenchOptions &opts, const std::vector<BenchQuery> &queries,
			  StrategyResult &res, std::ostream &progress)
{
	const Strategy &s = res.strategy;
	std::string table = TableOf(s);

	Exec(c, "CREATE TABLE " + table + " AS SELECT * FROM pxb_base ORDER BY id; " + MarkTable(table));
	Exec(c, "ALTER TABLE " + table + " ADD PRIMARY KEY (id)");
	/* set hint bits and the visibility map now, not during the timed scans */
	Exec(c, "VACUUM ANALYZE " + table);
	if (s.kind == StrategyKind::kSeqScan)
		return;
	if (opts.checkpoint)
	{
		try
		{
			/* start each build with a clean buffer pool, not the last one's dirt */
			Exec(c, "CHECKPOINT");
		}
		catch (const pqxx::sql_error &)
		{
			/* not a superuser: the build is timed anyway */
		}
	}
	for (const auto &ix : PlannedIndexes(s, queries))
	{
		std::string using_ = s.kind == StrategyKind::kBtree ? "btree" : "gin";
		std::string label = using_ + " (" + ix.second + ")";

		progress << "    building " << label << std::flush;
		if (!IsTty(progress))
			progress << std::endl;

		auto		t0 = Clock::now();

		{
			BuildProgress watch(opts.conninfo, c.backendpid(), "building " + label, progress);

			Exec(c, "CREATE INDEX " + ix.first + " ON " + table + " USING " + using_ + " (" + ix.second + ")");
		}

		double		secs = SecondsSince(t0);
		long		bytes = Exec(c, "SELECT pg_relation_size('" + ix.first + "')")[0][0].as<long>();

		res.build_s += secs;
		res.size_bytes += bytes;
		res.indexes.push_back(ix.first);
		/* on a terminal, replace the "building" line (\033[K clears its tail) */
		progress << (IsTty(progress) ? "\r\033[K" : "") << "    built " << label << " in "
			<< Fixed(secs, 1) << " s, " << Fixed(bytes / 1048576.0, 1) << " MB" << std::endl;
	}
	Exec(c, "ANALYZE " + table);
}

/*
 * Loads every table and index into shared buffers before the timed part,
 * so the first query is not the one that pays for the cold cache, and warns
 * when they do not fit: then the strategies evict each other between
 * interleaved runs, and seq scans measured up to 35% slower on a copy that
 * had just been evicted (read back from the OS cache) than on one that had
 * not.  The loading (pg_prewarm) happens only with opts.prewarm, since it
 * fills the buffers every database of the instance shares; the warning
 * always.
 */
void
WarmCache(pqxx::connection &c, const BenchOptions &opts, BenchObjects &objects, BenchReport &report)
{
	std::string list;

	for (const StrategyResult &r : report.results)
		list += std::string(list.empty() ? "" : ", ") + "'" + TableOf(r.strategy) + "'";

	double		need = Exec(c, "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(ARRAY[" +
							list + "]) t")[0][0].as<double>();
	double		have = Exec(c, "SELECT setting::float8 * current_setting('block_size')::float8 "
							"FROM pg_settings WHERE name = 'shared_buffers'")[0][0].as<double>();

	report.working_set_bytes = need;
	if (need > 0.9 * have)
	{
		std::string msg = "tables and indexes take " + Fixed(need / 1073741824.0, 2) +
			" GB, shared_buffers is " + Fixed(have / 1073741824.0, 2) +
			" GB: strategies evict each other and latencies include reads from the OS cache";

		Warn(msg + " (start the server with a larger shared_buffers, e.g. `make bench` does)");
		report.warnings.push_back(msg);
	}
	/* instance-wide (it fills shared buffers for everyone): only when asked for */
	std::string why;

	if (!opts.prewarm || !objects.EnsureExtension("pg_prewarm", why))
		return;					/* the per-query warm-up runs still warm what they touch */
	try
	{
		for (const StrategyResult &r : report.results)
		{
			Exec(c, "SELECT pg_prewarm(" + c.quote(TableOf(r.strategy)) + ")");
			for (const std::string &ix : r.indexes)
				Exec(c, "SELECT pg_prewarm(" + c.quote(ix) + ")");
		}
	}
	catch (const pqxx::sql_error &)
	{
		/* not allowed to read a relation: the warm-up runs remain */
	}
}

/*
 * True when the EXPLAIN (FORMAT JSON) plan scans one of `indexes` (a
 * Bitmap Index Scan, or for a B-tree also an Index [Only] Scan: the plan
 * nodes that carry an "Index Name").
 */
bool
UsesIndex(pqxx::connection &c, const std::string &sql, const std::vector<std::string> &indexes)
{
	pqxx::nontransaction n(c);
	std::string plan = n.exec("EXPLAIN (FORMAT JSON) " + sql)[0][0].c_str();

	for (const pqxx::row &row : n.exec_params(
			 "SELECT jsonb_path_query($1::jsonb, '$.**.\"Index Name\"') #>> '{}'", plan))
		if (std::find(indexes.begin(), indexes.end(), row[0].c_str()) != indexes.end())
			return true;
	return false;
}

double
Median(std::vector<double> v)
{
	std::sort(v.begin(), v.end());
	size_t		n = v.size();

	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * Times every query on every strategy.  Per query: EXPLAIN and a warm-up
 * run (the count) per strategy, then `runs` rounds, each visiting every
 * strategy, starting at a different one each round.
 */
void
RunQueries(pqxx::connection &c, const BenchOptions &opts, BenchReport &report, std::ostream &progress)
{
	std::vector<StrategyResult> &results = report.results;

	for (const BenchQuery &q : report.queries)
	{
		std::vector<std::string> sql(results.size());
		std::vector<std::vector<double>> times(results.size());

		progress << "    query " << q.name << std::flush;
		for (size_t i = 0; i < results.size(); i++)
		{
			const Strategy &s = results[i].strategy;
			QueryResult &r = results[i].queries[q.name];

			sql[i] = QuerySql(s, q);
			if (sql[i].empty())
				continue;
			r.ran = true;
			r.index_used = s.kind != StrategyKind::kSeqScan && UsesIndex(c, sql[i], results[i].indexes);
			r.count = Exec(c, sql[i])[0][0].as<long>();
		}
		for (int run = 0; run < opts.runs; run++)
			for (size_t k = 0; k < results.size(); k++)
			{
				size_t		i = (k + static_cast<size_t>(run)) % results.size();

				if (sql[i].empty())
					continue;

				auto		t0 = Clock::now();

				Exec(c, sql[i]);
				times[i].push_back(SecondsSince(t0) * 1000.0);
			}
		for (size_t i = 0; i < results.size(); i++)
		{
			QueryResult &r = results[i].queries[q.name];

			if (!r.ran)
				continue;
			r.median_ms = Median(times[i]);
			r.min_ms = *std::min_element(times[i].begin(), times[i].end());
			if (i > 0 && r.count != results[0].queries[q.name].count)
				report.mismatches.push_back({q.name, sql[i], results[i].strategy.name, r.count,
											 results[0].queries[q.name].count});
		}
		progress << ", " << results[0].queries[q.name].count << " rows" << std::endl;
	}
}

/* "Planning Time" of EXPLAIN (SUMMARY) in ms (planning only, the query does not run); -1 if absent. */
double
PlanningMs(pqxx::connection &c, const std::string &sql)
{
	static const char kLabel[] = "Planning Time: ";

	for (const pqxx::row &row : Exec(c, "EXPLAIN (SUMMARY) " + sql))
	{
		const char *at = std::strstr(row[0].c_str(), kLabel);

		if (at)
		{
			std::istringstream in(at + sizeof(kLabel) - 1);
			double		ms = -1;

			in.imbue(std::locale::classic());
			in >> ms;
			return in ? ms : -1;
		}
	}
	return -1;
}

const char kFormsSetting[] = "jsonb_pathx.application_forms";

/*
 * Planning time per query on the jsonb_pathx_ops table with the planner
 * hook's derivation on and off (jsonb_pathx.application_forms), and of the
 * btree: form on the B-tree table.  Planning takes tenths of a millisecond,
 * so it is timed by the server (EXPLAIN's own clock around the planner
 * alone, without parse, network or execution) and summarised by the median
 * of plan_runs repeats.  Each round plans on, off and btree in turn, so
 * that a noisy neighbour hits all three alike; an untimed round first
 * fills the caches (catalog, statistics) that a query's first plan in a
 * session pays for.
 */
void
MeasurePlanning(pqxx::connection &c, const BenchOptions &opts, BenchReport &report)
{
	const StrategyResult *px = report.Find("jsonb_pathx_ops");
	const StrategyResult *bt = report.Find("btree");
	const std::string set = std::string("SET ") + kFormsSetting + " = ";

	if (!px || opts.plan_runs <= 0)
		return;
	/* NULL when the loaded jsonb_pathx predates the planner hook (0.2 and older) */
	if (Exec(c, std::string("SELECT current_setting('") + kFormsSetting + "', true)")[0][0].is_null())
	{
		report.skipped.push_back(std::string("planning time: the installed jsonb_pathx has no ") +
								 kFormsSetting + " setting (no planner hook to compare)");
		return;
	}
	Step("Planning", "each query on the jsonb_pathx_ops table with " + std::string(kFormsSetting) +
		 " on and off" + (bt ? " and its btree: form" : "") + ", median of " +
		 std::to_string(opts.plan_runs) + " EXPLAIN (SUMMARY)");
	try
	{
		for (const BenchQuery &q : report.queries)
		{
			PlanningResult &p = report.planning[q.name];
			std::string sql = QuerySql(px->strategy, q);
			std::string bsql = bt ? QuerySql(bt->strategy, q) : "";
			std::vector<double> on, off, btree;

			Exec(c, set + "off");
			p.index_used_off = UsesIndex(c, sql, px->indexes);
			Exec(c, set + "on");
			p.index_used_on = UsesIndex(c, sql, px->indexes);
			for (int run = -1; run < opts.plan_runs; run++)
			{
				double		a = PlanningMs(c, sql);

				Exec(c, set + "off");

				double		b = PlanningMs(c, sql);

				Exec(c, set + "on");

				double		d = bsql.empty() ? -1 : PlanningMs(c, bsql);

				if (run < 0 || a < 0 || b < 0)
					continue;
				on.push_back(a);
				off.push_back(b);
				if (d >= 0)
					btree.push_back(d);
			}
			if (on.empty())
				continue;
			p.ran = true;
			p.on_ms = Median(on);
			p.off_ms = Median(off);
			p.btree_ms = btree.empty() ? -1 : Median(btree);
		}
	}
	catch (...)
	{
		Exec(c, std::string("RESET ") + kFormsSetting);
		throw;
	}
	Exec(c, std::string("RESET ") + kFormsSetting);
}

/*
 * Insert rate with each index present: the same extra documents, in
 * committed batches, batches interleaved across strategies; then removed.
 */
void
MeasureInserts(pqxx::connection &c, const BenchOptions &opts, BenchReport &report,
			   std::ostream &progress)
{
	long		total = opts.insert_rows > 0 ? opts.insert_rows : std::min(10000L, report.documents);
	std::vector<double> seconds(report.results.size(), 0.0);
	const long	first_id = report.documents + 1;
	int			round = 0;
	std::vector<std::string> from_file;

	/* a data file has no generator for more documents: insert its first ones again */
	if (!opts.data_file.empty())
	{
		total = std::min(total, report.documents);
		for (const pqxx::row &row : Exec(c, "SELECT doc::text FROM " + TableOf(report.results[0].strategy) +
										 " ORDER BY id LIMIT " + std::to_string(total)))
			from_file.push_back(row[0].c_str());
	}

	progress << "    inserting " << total << " documents into each table, " << opts.insert_batch
		<< " per statement" << std::endl;
	for (long first = first_id; first < first_id + total; first += opts.insert_batch, round++)
	{
		long		last = std::min(first_id + total - 1, first + opts.insert_batch - 1);
		std::string values;

		for (long id = first; id <= last; id++)
			values += std::string(id == first ? "" : ",") + "(" + std::to_string(id) + "," +
				c.quote(from_file.empty() ? GenerateOrder(opts.seed, id, opts.rows)
						: from_file[static_cast<size_t>(id - first_id)]) + ")";
		for (size_t k = 0; k < report.results.size(); k++)
		{
			size_t		i = (k + static_cast<size_t>(round)) % report.results.size();
			std::string sql = "INSERT INTO " + TableOf(report.results[i].strategy) +
				" (id, doc) VALUES " + values;
			auto		t0 = Clock::now();

			Exec(c, sql);
			seconds[i] += SecondsSince(t0);
		}
	}
	for (size_t i = 0; i < report.results.size(); i++)
	{
		StrategyResult &r = report.results[i];

		r.insert_rows_per_s = static_cast<double>(total) / seconds[i];
		Exec(c, "DELETE FROM " + TableOf(r.strategy) + " WHERE id >= " + std::to_string(first_id));
		Exec(c, "VACUUM " + TableOf(r.strategy));
	}
}

}							/* namespace */

BenchReport
RunBench(const BenchOptions &opts, std::ostream &progress)
{
	BenchReport report;
	std::map<std::string, bool> have_ext;

	report.options = opts;
	report.queries = opts.queries.empty() ? DefaultQueries() : opts.queries;
	report.data_source = opts.data_file.empty() ? "generated orders (seed " + std::to_string(opts.seed) + ")"
		: opts.data_file;
	for (const std::string &name : opts.only)
	{
		std::string known;
		bool		found = false;

		for (const Strategy &s : DefaultStrategies())
		{
			found = found || s.name == name;
			known += (known.empty() ? "" : ", ") + s.name;
		}
		if (!found)
			throw CliError("unknown strategy in --only: " + name, "choose from: " + known, 2);
	}

	pqxx::connection c(opts.conninfo);

	report.server_version = Exec(c, "SHOW server_version")[0][0].c_str();
	for (const pqxx::row &row : Exec(c,
			"SELECT name, current_setting(name) FROM unnest(ARRAY['shared_buffers', 'work_mem', "
			"'maintenance_work_mem', 'max_parallel_workers_per_gather', 'jit', 'fsync', "
			"'random_page_cost', 'effective_cache_size']) name"))
		report.settings[row[0].c_str()] = row[1].c_str();

	std::vector<Strategy> strategies;

	for (const Strategy &s : DefaultStrategies())
	{
		if (s.kind != StrategyKind::kSeqScan && !opts.only.empty() &&
			std::find(opts.only.begin(), opts.only.end(), s.name) == opts.only.end())
			continue;
		if (s.optional_study && !opts.option_studies)
			continue;
		if (s.kind == StrategyKind::kBtree &&
			std::none_of(report.queries.begin(), report.queries.end(),
						 [](const BenchQuery &q) { return !q.btree_index.empty(); }))
		{
			report.skipped.push_back("btree: no query has a btree: form");
			continue;
		}
		strategies.push_back(s);
	}

	/* refuses before anything is created or dropped */
	BenchObjects objects(c);

	objects.Claim(strategies, report.queries);
	if (!opts.checkpoint)
		report.warnings.push_back("no CHECKPOINT before the index builds (instance-wide: --checkpoint), "
								  "so a build may also pay for writing out earlier dirty buffers");
	if (!opts.prewarm)
		report.warnings.push_back("tables and indexes not prewarmed (pg_prewarm fills the instance's "
								  "shared buffers: --prewarm); each query's warm-up run reads what it needs");

	try
	{
		for (const Strategy &s : strategies)
		{
			if (!have_ext.count(s.extension))
			{
				std::string why;

				have_ext[s.extension] = objects.EnsureExtension(s.extension, why);
				if (!have_ext[s.extension])
				{
					progress << "    skipping strategies that need extension " << s.extension << ": "
						<< why << std::endl;
					report.skipped.push_back(s.extension + ": " + why);
				}
			}
			if (!have_ext[s.extension])
				continue;
			StrategyResult r;

			r.strategy = s;
			report.results.push_back(r);
		}
		Step("Loading", report.data_source);
		LoadBase(c, opts, report);
		Step("Building", "a copy of the table and its indexes per strategy");
		for (StrategyResult &r : report.results)
			BuildStrategy(c, opts, report.queries, r, progress);
		/* the seq scan also reads a copy: COPY packed the base table 2.4% denser than CTAS does */
		Exec(c, "DROP TABLE pxb_base");
		WarmCache(c, opts, objects, report);
		Step("Querying", std::to_string(report.queries.size()) + " queries, a warm-up and " +
			 std::to_string(opts.runs) + " timed runs each");
		RunQueries(c, opts, report, progress);
		MeasurePlanning(c, opts, report);
		Step("Inserting", "to measure the insert rate with each index present");
		MeasureInserts(c, opts, report, progress);
	}
	catch (...)
	{
		/* leave no half-built benchmark behind, unless asked to; the original error matters more */
		objects.Cleanup(opts.keep_tables);
		throw;
	}
	objects.Cleanup(opts.keep_tables);
	return report;
}

/* ---------------------------------------------------------------------
 * Targets
 * ---------------------------------------------------------------------
 */

std::vector<TargetResult>
CheckTargets(const BenchReport &report)
{
	std::vector<TargetResult> out;
	const StrategyResult *seq = report.Find("seq");
	const StrategyResult *ops = report.Find("jsonb_ops");
	const StrategyResult *path = report.Find("jsonb_path_ops");
	const StrategyResult *px = report.Find("jsonb_pathx_ops");
	const StrategyResult *any = report.Find("pathx_anypath");
	const StrategyResult *quarter = report.Find("pathx_quarter_paths");
	const StrategyResult *btree = report.Find("btree");
	auto		add = [&](const std::string &what, bool ok, const std::string &measured) {
		out.push_back({what, ok ? TargetResult::kPass : TargetResult::kMiss, measured});
	};
	auto		skip = [&](const std::string &what, const std::string &missing) {
		out.push_back({what, TargetResult::kSkip, missing + " did not run"});
	};
	auto		ms = [](const StrategyResult *r, const std::string &q) {
		return r->queries.at(q).median_ms;
	};
	auto		share = [&](const std::string &q) {
		return 100.0 * static_cast<double>(seq->queries.at(q).count) /
			static_cast<double>(std::max(1L, report.documents));
	};

	/* an application form that did not get the index says so next to its ratio */
	auto		plan_note = [&](const std::string &q) {
		return px->queries.at(q).index_used ? std::string() : std::string(" (plan: seq scan)");
	};

	if (!px)
	{
		skip("all jsonb_pathx_ops targets", "jsonb_pathx_ops");
		return out;
	}
	if (ops)
	{
		double		v = static_cast<double>(px->size_bytes) / static_cast<double>(ops->size_bytes);

		add("index size <= jsonb_ops", v <= 1.0, Ratio(v) + " jsonb_ops");
	}
	else
		skip("index size <= jsonb_ops", "jsonb_ops");
	if (path)
	{
		double		b = px->build_s / path->build_s;
		double		i = px->insert_rows_per_s / path->insert_rows_per_s;

		add("build time <= 1.5x jsonb_path_ops", b <= 1.5, Ratio(b) + " jsonb_path_ops");
		add("insert rate >= 0.7x jsonb_path_ops", i >= 0.7, Ratio(i) + " jsonb_path_ops");
	}
	else
	{
		skip("build time <= 1.5x jsonb_path_ops", "jsonb_path_ops");
		skip("insert rate >= 0.7x jsonb_path_ops", "jsonb_path_ops");
	}

	for (const BenchQuery &q : report.queries)
	{
		std::string label = q.name + " (" + QueryKindName(q.kind) + ")";

		switch (q.kind)
		{
			case QueryKind::kEquality:
			case QueryKind::kContainment:
				if (!path)
					skip(label + " <= 1.1x jsonb_path_ops", "jsonb_path_ops");
				else
					add(label + " <= 1.1x jsonb_path_ops", ms(px, q.name) <= 1.1 * ms(path, q.name),
						Ratio(ms(px, q.name) / ms(path, q.name)) + " jsonb_path_ops");
				break;
			case QueryKind::kKeyExists:
				if (!ops)
					skip(label + " <= jsonb_ops", "jsonb_ops");
				else
					add(label + " <= jsonb_ops", ms(px, q.name) <= ms(ops, q.name),
						Ratio(ms(px, q.name) / ms(ops, q.name)) + " jsonb_ops");
				break;
			case QueryKind::kRange:
			case QueryKind::kPrefix:
			case QueryKind::kPathExists:
				{
					double		s = share(q.name);
					std::string what = label + ", " + Fixed(s, 2) + "% of rows, >= 50x faster than seq scan";

					if (s >= 1.0)
						out.push_back({what, TargetResult::kSkip, "selects 1% or more: not a target query"});
					else
						add(what, ms(seq, q.name) >= 50 * ms(px, q.name),
							Ratio(ms(seq, q.name) / ms(px, q.name)) + " faster");
					break;
				}
			case QueryKind::kEqAndRange:
				if (!path)
					skip(label + " >= 20x faster than jsonb_path_ops", "jsonb_path_ops");
				else
					add(label + " >= 20x faster than jsonb_path_ops",
						ms(path, q.name) >= 20 * ms(px, q.name),
						Ratio(ms(path, q.name) / ms(px, q.name)) + " faster");
				break;
			case QueryKind::kNonSelective:
			case QueryKind::kNegation:
			case QueryKind::kOrmNonSelective:
				add(label + " <= 1.1x seq scan", ms(px, q.name) <= 1.1 * ms(seq, q.name),
					Ratio(ms(px, q.name) / ms(seq, q.name)) + " seq scan" + plan_note(q.name));
				break;
			case QueryKind::kOrm:
				{
					/* issue 7: selective application forms against a seq scan and a B-tree */
					double		s = share(q.name);
					std::string what = label + ", " + Fixed(s, 2) + "% of rows";

					if (s >= 1.0)
					{
						out.push_back({what + ", >= 50x faster than seq scan, <= 2x btree", TargetResult::kSkip,
									   "selects 1% or more: not a target query"});
						break;
					}
					add(what + ", >= 50x faster than seq scan", ms(seq, q.name) >= 50 * ms(px, q.name),
						Ratio(ms(seq, q.name) / ms(px, q.name)) + " faster" + plan_note(q.name));
					if (!q.btree_where.empty() && btree && btree->queries.at(q.name).ran)
						add(label + " <= 2x btree", ms(px, q.name) <= 2 * ms(btree, q.name),
							Ratio(ms(px, q.name) / ms(btree, q.name)) + " btree" +
							(btree->queries.at(q.name).index_used ? "" : " (btree plan: seq scan)"));
					else if (!q.btree_where.empty())
						skip(label + " <= 2x btree", "btree");
					break;
				}
			case QueryKind::kWildcard:
				/* the option study of issue 5: wildcards need anypath keys */
				if (any)
					add(label + " with anypath, " + Fixed(share(q.name), 2) +
						"% of rows, >= 20x faster than seq scan",
						ms(seq, q.name) >= 20 * ms(any, q.name),
						Ratio(ms(seq, q.name) / ms(any, q.name)) + " faster");
				break;
			case QueryKind::kOr:
			case QueryKind::kOther:
				break;
		}
	}
	/* planning with the derivation against planning without it (issue 7) */
	for (const BenchQuery &q : report.queries)
	{
		auto		it = report.planning.find(q.name);

		if (!IsOrmKind(q.kind) || it == report.planning.end() || !it->second.ran)
			continue;
		const PlanningResult &p = it->second;

		add(q.name + " planning time <= 1.2x with application_forms off", p.on_ms <= 1.2 * p.off_ms,
			Ratio(p.on_ms / p.off_ms) + " (" + Fixed(p.on_ms, 3) + " ms on, " + Fixed(p.off_ms, 3) + " ms off)");
	}
	if (quarter)
	{
		double		v = static_cast<double>(quarter->size_bytes) / static_cast<double>(px->size_bytes);

		add("paths option covering a quarter of the paths: size <= 40% of the full index", v <= 0.4,
			Fixed(100 * v, 0) + "%");
	}
	return out;
}

/* ---------------------------------------------------------------------
 * Writers
 * ---------------------------------------------------------------------
 */

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

}							/* namespace pathx */
