/*
 * query_file.cpp
 *	  What the benchmark asks: query kinds, the query-file parser and the
 *	  built-in query set.
 *
 * A query file is text a user writes by hand, so the parser is strict and
 * says where: every problem names `source:line` and what to write instead,
 * as a usage error (BenchError::kUsage), before anything connects.  The
 * format is described in bench.h; its one subtlety is the field
 * separator, a `|` outside quotes and not part of `||`, so that jsonpath's
 * and SQL's `||` need no escaping.
 *
 * The built-in set is kept as query-file text (DefaultQueryText) and
 * parsed like any other, so that the set users copy from
 * tools/bench/queries.example is the set the benchmark runs; a CLI test
 * compares the two.  Each query's comment gives the share of generated
 * orders it selects, which the targets (targets.cpp) depend on.
 */
#include "bench/bench.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace pathx::bench
{

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
			throw BenchError(where + problem, usage, BenchError::kUsage);
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
		throw BenchError("could not read " + source);
	if (out.empty())
		throw BenchError(source + ": no queries (only blank lines and comments)", usage, BenchError::kUsage);
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

}							/* namespace pathx::bench */
