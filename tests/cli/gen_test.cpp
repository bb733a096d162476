/*
 * gen_test.cpp
 *	  Tests of the generators (orders_gen.h, events_gen.h) and `pathx gen`.
 *
 * The generator is the benchmark's ground truth, so the tests pin what
 * the benchmark relies on: determinism (same seed, same bytes; a golden
 * hash of the first documents, so no change of the data set goes
 * unnoticed), well-formed JSON, and the documented shares within a few
 * standard deviations over 20,000 documents.  A small JSON reader below
 * checks well-formedness and collects every path a document has, in
 * OrderPaths() notation, to check the path list both ways: every listed
 * path occurs in the sample, and every path that occurs is listed.
 *
 * The events (the large-document data set) are pinned the same way, parsed
 * with nlohmann::json, their sizes and shares checked against the header
 * of events_gen.cpp over 2,000 documents; one case loads them into the
 * harness cluster (PXTEST_CONNINFO) with `pathx load` to show that they are
 * stored compressed and out of line and that every condition of
 * tools/bench/events.queries, and its btree: form, counts the same rows
 * without an index and with a jsonb_pathx_ops index.
 */
#include "cli_test_util.h"
#include "events_gen.h"
#include "json_stream.h"
#include "orders_gen.h"
#include "bench/bench.h"
#include "../integration/test_database.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

/*
 * A strict reader of one JSON value (RFC 8259 grammar), recording each
 * path it meets and the values the share checks need.  Throws on
 * malformed input.
 */
class JsonWalker
{
public:
	explicit JsonWalker(const std::string &text) : s_(text) {}

	std::set<std::string> paths;
	std::map<std::string, std::vector<std::string>> scalars;	/* path -> scalar texts */
	int			max_depth = 0;

	void		Walk()
	{
		Ws();
		Value("$", 0);
		Ws();
		if (i_ != s_.size())
			Fail("text after the value");
	}

private:
	[[noreturn]] void Fail(const std::string &why)
	{
		throw std::runtime_error(why + " at byte " + std::to_string(i_));
	}
	void		Ws()
	{
		while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
			i_++;
	}
	char		Peek() { return i_ < s_.size() ? s_[i_] : '\0'; }
	void		Expect(char c)
	{
		if (Peek() != c)
			Fail(std::string("expected '") + c + "'");
		i_++;
	}
	std::string String()
	{
		std::string out;

		Expect('"');
		for (;;)
		{
			if (i_ >= s_.size())
				Fail("unterminated string");
			char		c = s_[i_++];

			if (c == '"')
				return out;
			if (static_cast<unsigned char>(c) < 0x20)
				Fail("control character in a string");
			if (c == '\\')
			{
				char		e = Peek();

				i_++;
				if (e == 'u')
				{
					for (int k = 0; k < 4; k++)
						if (!std::isxdigit(static_cast<unsigned char>(Peek())))
							Fail("bad \\u escape");
						else
							i_++;
				}
				else if (std::string("\"\\/bfnrt").find(e) == std::string::npos)
					Fail("bad escape");
				out += '?';
			}
			else
				out += c;
		}
	}
	void		Number()
	{
		size_t		start = i_;

		if (Peek() == '-')
			i_++;
		if (!std::isdigit(static_cast<unsigned char>(Peek())))
			Fail("bad number");
		if (Peek() == '0')
			i_++;
		else
			while (std::isdigit(static_cast<unsigned char>(Peek())))
				i_++;
		if (Peek() == '.')
		{
			i_++;
			if (!std::isdigit(static_cast<unsigned char>(Peek())))
				Fail("bad fraction");
			while (std::isdigit(static_cast<unsigned char>(Peek())))
				i_++;
		}
		if (Peek() == 'e' || Peek() == 'E')
		{
			i_++;
			if (Peek() == '+' || Peek() == '-')
				i_++;
			if (!std::isdigit(static_cast<unsigned char>(Peek())))
				Fail("bad exponent");
			while (std::isdigit(static_cast<unsigned char>(Peek())))
				i_++;
		}
		last_scalar_ = s_.substr(start, i_ - start);
	}
	void		Value(const std::string &path, int depth)
	{
		if (path != "$")
			paths.insert(path);
		max_depth = std::max(max_depth, depth);
		char		c = Peek();

		if (c == '{')
		{
			i_++;
			Ws();
			if (Peek() == '}')
			{
				i_++;
				return;
			}
			for (;;)
			{
				Ws();
				std::string key = String();

				Ws();
				Expect(':');
				Ws();
				Value(path + "." + key, depth + 1);
				Ws();
				if (Peek() == ',')
				{
					i_++;
					continue;
				}
				Expect('}');
				return;
			}
		}
		if (c == '[')
		{
			i_++;
			Ws();
			if (Peek() == ']')
			{
				i_++;
				return;
			}
			for (;;)
			{
				Ws();
				Value(path + "[*]", depth + 1);
				Ws();
				if (Peek() == ',')
				{
					i_++;
					continue;
				}
				Expect(']');
				return;
			}
		}
		if (c == '"')
			last_scalar_ = String();
		else if (s_.compare(i_, 4, "true") == 0 || s_.compare(i_, 4, "null") == 0)
		{
			last_scalar_ = s_.substr(i_, 4);
			i_ += 4;
		}
		else if (s_.compare(i_, 5, "false") == 0)
		{
			last_scalar_ = "false";
			i_ += 5;
		}
		else
			Number();
		scalars[path].push_back(last_scalar_);
	}

	const std::string &s_;
	size_t		i_ = 0;
	std::string last_scalar_;
};

/* FNV-1a over a string, for the golden hash. */
std::uint64_t
Fnv(std::uint64_t h, const std::string &s)
{
	for (unsigned char c : s)
	{
		h ^= c;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Share of docs in [lo, hi] percent, with the measured share in the message. */
void
CheckShare(const std::string &what, long count, long n, double lo, double hi)
{
	double		pct = 100.0 * static_cast<double>(count) / static_cast<double>(n);

	BOOST_TEST_INFO(what << ": " << pct << "% of " << n);
	BOOST_TEST((pct >= lo && pct <= hi));
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(gen)

BOOST_AUTO_TEST_CASE(same_seed_same_bytes_other_seed_other_bytes)
{
	for (long id : {1L, 2L, 999L, 200000L})
	{
		BOOST_TEST(pathx::GenerateOrder(42, id, 200000) == pathx::GenerateOrder(42, id, 200000));
		BOOST_TEST(pathx::GenerateOrder(42, id, 200000) != pathx::GenerateOrder(43, id, 200000));
	}
	/* document i does not depend on which documents were generated before */
	std::string late = pathx::GenerateOrder(7, 500, 1000);

	for (long id = 1; id < 500; id++)
		pathx::GenerateOrder(7, id, 1000);
	BOOST_TEST(pathx::GenerateOrder(7, 500, 1000) == late);
}

BOOST_AUTO_TEST_CASE(golden_hash_pins_the_data_set)
{
	/*
	 * The benchmark's queries and published figures are for this data; a
	 * change here is a change of the benchmark and must be deliberate.
	 */
	std::uint64_t h = 0xcbf29ce484222325ULL;

	for (long id = 1; id <= 2000; id++)
		h = Fnv(h, pathx::GenerateOrder(42, id, 200000));
	BOOST_TEST(h == 0xad554bbaf2731765ULL, "golden hash is 0x" << std::hex << h);
}

BOOST_AUTO_TEST_CASE(documents_are_json_with_the_documented_shares)
{
	const long	n = 20000;
	std::map<std::string, long> docs_with;	/* path -> documents having it */
	std::map<std::string, long> status;
	long		attr_docs = 0;
	long		bad_items = 0;
	long		bad_notes = 0;
	long		bad_meta = 0;
	long		bad_total = 0;
	long		unlisted = 0;
	std::string first_unlisted;

	for (long id = 1; id <= n; id++)
	{
		std::string doc = pathx::GenerateOrder(1234, id, n);
		JsonWalker	w(doc);

		try
		{
			w.Walk();
		}
		catch (const std::exception &e)
		{
			BOOST_FAIL("document " << id << " is not JSON: " << e.what() << "\n" << doc);
		}
		bool		has_attr = false;

		for (const std::string &p : w.paths)
		{
			docs_with[p]++;
			if (p.compare(0, 7, "$.attr_") == 0)
			{
				has_attr = true;
				docs_with["$.attr_<k>"]++;
			}
			if (!pathx::IsOrderPath(p))
			{
				if (unlisted++ == 0)
					first_unlisted = p;
			}
		}
		attr_docs += has_attr ? 1 : 0;
		status[w.scalars["$.status"].at(0)]++;

		size_t		items = w.scalars["$.items[*].sku"].size();

		if (items < 1 || items > 8)
			bad_items++;

		double		total = std::atof(w.scalars["$.total"].at(0).c_str());

		if (total < 0 || total > 5000 || w.scalars["$.created_at"].at(0).compare(0, 5, "2024-") != 0)
			bad_total++;
		if (w.paths.count("$.note"))
		{
			size_t		len = w.scalars["$.note"].at(0).size();

			if (len < 900 || len > 4200)
				bad_notes++;
		}
		if (w.paths.count("$.meta") && (w.max_depth < 7 || w.max_depth > 13))
			bad_meta++;
	}
	BOOST_TEST(unlisted == 0, unlisted << " paths not in OrderPaths(), e.g. " << first_unlisted);
	for (const std::string &p : pathx::OrderPaths())
		BOOST_TEST(docs_with[p] > 0, p << " never occurs in " << n << " documents");
	BOOST_TEST(bad_items == 0);
	BOOST_TEST(bad_total == 0);
	BOOST_TEST(bad_notes == 0);
	BOOST_TEST(bad_meta == 0);

	/* bounds: about four standard deviations of a binomial over n = 20,000 */
	CheckShare("status paid", status["paid"], n, 58.6, 61.4);
	CheckShare("status shipped", status["shipped"], n, 23.8, 26.2);
	CheckShare("status refunded", status["refunded"], n, 0.7, 1.3);
	long		iceland = 0;

	for (long id = 1; id <= n; id++)
		if (pathx::GenerateOrder(1234, id, n).find("\"country\": \"IS\"") != std::string::npos)
			iceland++;
	CheckShare("country IS", iceland, n, 0.3, 0.7);
	CheckShare("coupon", docs_with["$.coupon"], n, 0.6, 1.2);
	CheckShare("gift", docs_with["$.gift"], n, 4.4, 5.6);
	CheckShare("express", docs_with["$.express"], n, 4.4, 5.6);
	CheckShare("geo", docs_with["$.geo"], n, 9.2, 10.8);
	CheckShare("first_order", docs_with["$.first_order"], n, 2.5, 3.5);
	CheckShare("priority", docs_with["$.priority"], n, 0.7, 1.3);
	CheckShare("fraud_review", docs_with["$.fraud_review"], n, 0.15, 0.45);
	CheckShare("attr_<k>", attr_docs, n, 2.5, 3.5);
	CheckShare("note", docs_with["$.note"], n, 0.7, 1.3);
	CheckShare("meta", docs_with["$.meta"], n, 0.3, 0.7);
}

BOOST_AUTO_TEST_CASE(is_order_path)
{
	BOOST_TEST(pathx::IsOrderPath("$.user.email"));
	BOOST_TEST(pathx::IsOrderPath("$.items[*].sku"));
	BOOST_TEST(pathx::IsOrderPath("$.attr_0"));
	BOOST_TEST(pathx::IsOrderPath("$.attr_4999"));
	BOOST_TEST(!pathx::IsOrderPath("$.attr_5000"));
	BOOST_TEST(!pathx::IsOrderPath("$.attr_007"));
	BOOST_TEST(!pathx::IsOrderPath("$.attr_"));
	BOOST_TEST(pathx::IsOrderPath("$.meta.node.node.node.node.node.leaf"));
	BOOST_TEST(!pathx::IsOrderPath("$.meta.node.leaf"));
	BOOST_TEST(!pathx::IsOrderPath("$.items.sku"));
}

BOOST_AUTO_TEST_CASE(cli_writes_the_generator_output)
{
	using pathx_test::RunPathx;
	pathx_test::CliRun a = RunPathx({"gen", "orders", "--rows", "300", "--seed", "9"});
	pathx_test::CliRun b = RunPathx({"gen", "orders", "--rows", "300", "--seed", "9"});
	pathx_test::CliRun c = RunPathx({"gen", "orders", "--rows", "300", "--seed", "10"});
	std::string expected;

	for (long id = 1; id <= 300; id++)
		expected += pathx::GenerateOrder(9, id, 300) + "\n";
	BOOST_TEST(a.exit_code == 0);
	BOOST_TEST((a.output == expected));
	BOOST_TEST((a.output == b.output));
	BOOST_TEST((a.output != c.output));
}

BOOST_AUTO_TEST_CASE(cli_out_file_and_array_format)
{
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/orders.json";
	pathx_test::CliRun r = pathx_test::RunPathx({"gen", "orders", "--rows", "250", "--format", "array",
		"--out", file});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("250 orders"));

	/* the array splits back into the same documents */
	int			fd = open(file.c_str(), O_RDONLY);

	BOOST_REQUIRE(fd >= 0);
	pathx::JsonDocumentSplitter split(pathx::FdReader(fd), 4096);
	std::string doc;
	pathx::DocumentPosition pos;
	long		n = 0;

	while (split.Next(doc, pos))
	{
		n++;
		BOOST_TEST((doc == pathx::GenerateOrder(42, n, 250)));
		BOOST_TEST(pos.element == n);
	}
	close(fd);
	BOOST_TEST(n == 250);
	BOOST_TEST((split.Format() == pathx::StreamFormat::Array));
	BOOST_TEST(access((file + ".tmp").c_str(), F_OK) != 0);
}

BOOST_AUTO_TEST_CASE(cli_rejects_unknown_data_sets_and_bad_rows)
{
	BOOST_TEST(pathx_test::RunPathx({"gen", "customers"}).exit_code != 0);
	BOOST_TEST(pathx_test::RunPathx({"gen", "orders", "--rows", "-5"}).exit_code != 0);
	BOOST_TEST(pathx_test::RunPathx({"gen", "orders", "--format", "xml"}).exit_code != 0);
	pathx_test::CliRun r = pathx_test::RunPathx({"gen", "orders", "--rows", "1", "--out", "/nonexistent/dir/x"});

	BOOST_TEST(r.exit_code == 1);
	BOOST_TEST(r.Says("cannot create"));
}

BOOST_AUTO_TEST_CASE(events_same_seed_same_bytes_other_seed_other_bytes)
{
	for (long id : {1L, 2L, 999L, 20000L})
	{
		BOOST_TEST((pathx::GenerateEvent(42, id, 20000) == pathx::GenerateEvent(42, id, 20000)));
		BOOST_TEST((pathx::GenerateEvent(42, id, 20000) != pathx::GenerateEvent(43, id, 20000)));
	}
	std::string late = pathx::GenerateEvent(7, 300, 1000);

	for (long id = 1; id < 300; id++)
		pathx::GenerateEvent(7, id, 1000);
	BOOST_TEST((pathx::GenerateEvent(7, 300, 1000) == late));

	/* as for orders: a change of these bytes is a change of the benchmark */
	std::uint64_t h = 0xcbf29ce484222325ULL;

	for (long id = 1; id <= 200; id++)
		h = Fnv(h, pathx::GenerateEvent(42, id, 20000));
	BOOST_TEST(h == 0xa1579abc6b7fa87aULL, "golden hash is 0x" << std::hex << h);
}

BOOST_AUTO_TEST_CASE(events_are_json_of_the_documented_sizes_and_shares)
{
	static const std::set<std::string> pr_actions = {"synchronize", "labeled", "closed", "edited",
	"opened", "review_requested", "assigned", "reopened", "unlabeled", "locked"};
	static const std::set<std::string> issue_actions = {"labeled", "closed", "edited", "assigned",
	"opened", "reopened", "unlabeled", "pinned", "locked"};
	const long	n = 2000;
	long		bytes = 0;
	long		out_of_range = 0;
	long		bad = 0;		/* documents breaking a structural rule */
	std::string first_bad;
	std::map<std::string, long> has;	/* what -> documents */

	for (long id = 1; id <= n; id++)
	{
		std::string text = pathx::GenerateEvent(1234, id, n);
		nlohmann::json d;

		try
		{
			d = nlohmann::json::parse(text);
		}
		catch (const nlohmann::json::exception &e)
		{
			BOOST_FAIL("event " << id << " is not JSON: " << e.what());
		}
		long		size = static_cast<long>(text.size());

		bytes += size;
		if (size < pathx::kEventMinBytes || size > pathx::kEventMaxBytes)
			out_of_range++;

		bool		is_pr = d.contains("pull_request");
		const nlohmann::json &item = d[is_pr ? "pull_request" : "issue"];
		std::string action = d.value("action", "");
		const nlohmann::json &repo = d["repository"];
		bool		org = repo["owner"]["type"] == "Organization";
		std::string why;

		if (is_pr == d.contains("issue"))
			why = "not exactly one of pull_request and issue";
		else if ((is_pr ? pr_actions : issue_actions).count(action) == 0)
			why = "action " + action;
		else if (org != d.contains("organization"))
			why = "organization key and owner type disagree";
		else if ((action == "labeled" || action == "unlabeled") != d.contains("label"))
			why = "label key and action disagree";
		else if (!item["body"].is_string() || item["body"].get<std::string>().empty() ||
				 item["updated_at"].get<std::string>().compare(0, 5, "2024-") != 0 ||
				 !item["user"]["site_admin"].is_boolean() || !repo["private"].is_boolean())
			why = "body, updated_at or a boolean";
		if (!why.empty())
		{
			if (bad++ == 0)
				first_bad = "event " + std::to_string(id) + ": " + why;
			continue;
		}
		has["pull_request"] += is_pr;
		has["action " + action]++;
		has["owner Organization"] += org;
		has["private"] += repo["private"].get<bool>();
		has["enterprise"] += d.contains("enterprise");
		has["requested_reviewer"] += d.contains("requested_reviewer");
		has["sender site_admin"] += d["sender"]["site_admin"].get<bool>();
		has["draft"] += is_pr && item["draft"].get<bool>();
		has["issue milestone"] += !is_pr && item.contains("milestone");
		has["crlf"] += item["body"].get<std::string>().find("\r\n") != std::string::npos;
		for (const nlohmann::json &label : item["labels"])
			if (is_pr && (label["name"] == "bug" || label["name"] == "security"))
				has["pull_request label " + label["name"].get<std::string>()]++;
	}
	BOOST_TEST(bad == 0, bad << " malformed events, first " << first_bad);
	BOOST_TEST(out_of_range == 0, out_of_range << " events outside 6-14 KB");

	double		avg = static_cast<double>(bytes) / static_cast<double>(n);

	BOOST_TEST((avg >= 8192 && avg <= 12288), "average " << avg << " bytes");

	/*
	 * Bounds: about four standard deviations of a binomial over 2,000
	 * documents, wider where the share is a share of repositories (which
	 * moves with the seed too).
	 */
	CheckShare("pull_request", has["pull_request"], n, 66.0, 74.0);
	CheckShare("action opened", has["action opened"], n, 5.6, 10.4);
	CheckShare("action locked", has["action locked"], n, 1.0, 3.7);
	CheckShare("owner Organization", has["owner Organization"], n, 3.5, 8.5);
	CheckShare("private", has["private"], n, 2.0, 6.0);
	CheckShare("enterprise", has["enterprise"], n, 0.8, 3.4);
	CheckShare("requested_reviewer", has["requested_reviewer"], n, 2.4, 6.0);
	CheckShare("sender site_admin", has["sender site_admin"], n, 0.05, 1.2);
	CheckShare("draft", has["draft"], n, 4.7, 9.3);
	CheckShare("issue milestone", has["issue milestone"], n, 3.9, 8.1);
	CheckShare("pull_request label bug", has["pull_request label bug"], n, 3.6, 7.6);
	CheckShare("pull_request label security", has["pull_request label security"], n, 0.2, 2.0);
	CheckShare("CRLF bodies", has["crlf"], n, 26.0, 34.0);
}

BOOST_AUTO_TEST_CASE(cli_gen_events_writes_the_generator_output_and_has_help)
{
	using pathx_test::RunPathx;
	pathx_test::CliRun a = RunPathx({"gen", "events", "--rows", "40", "--seed", "9"});
	pathx_test::CliRun c = RunPathx({"gen", "events", "--rows", "40", "--seed", "10"});
	std::string expected;

	for (long id = 1; id <= 40; id++)
		expected += pathx::GenerateEvent(9, id, 40) + "\n";
	BOOST_TEST(a.exit_code == 0);
	BOOST_TEST((a.output == expected));
	BOOST_TEST((a.output != c.output));

	pathx_test::CliRun help = RunPathx({"gen", "--help"});

	BOOST_TEST(help.exit_code == 0);
	BOOST_TEST(help.Says("events"), help.output);
	BOOST_TEST(help.Says("tools/bench/events.queries"), help.output);
}

BOOST_AUTO_TEST_CASE(events_load_toasted_and_queries_agree_with_the_index)
{
	const char *root = std::getenv("PATHX_ROOT");

	BOOST_REQUIRE_MESSAGE(root != nullptr, "PATHX_ROOT is not set: run through make -C tools/pathx test");
	std::ifstream qf(std::string(root) + "/tools/bench/events.queries");

	BOOST_REQUIRE(qf.good());
	std::vector<pathx::bench::BenchQuery> queries = pathx::bench::ParseQueries(qf, "events.queries");

	BOOST_TEST(queries.size() >= 10);

	pathx_test::TestDatabase db("pathx_gen_events");
	pathx_test::TempDir dir;
	std::string file = dir.Path() + "/events.ndjson";
	const long	n = 600;
	pathx_test::CliRun r = pathx_test::RunPathx({"gen", "events", "--rows", std::to_string(n), "--seed", "5",
		"--out", file});

	BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("600 events"), r.output);
	r = pathx_test::RunPathx({"load", file, "--table", "events", "--create", "--conninfo", db.Conninfo()});
	BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.output);

	pqxx::nontransaction q(db.conn());
	pqxx::row	s = q.exec1("SELECT count(*), count(*) FILTER (WHERE pg_column_size(doc) > 2000), "
							"avg(pg_column_size(doc))::float8, avg(octet_length(doc::text))::float8, "
							"pg_relation_size('events'), "
							"pg_relation_size((SELECT reltoastrelid FROM pg_class WHERE oid = 'events'::regclass)) "
							"FROM events");

	BOOST_TEST(s[0].as<long>() == n);
	/* compressed, but not to nothing, and kept out of line: a detoast per row */
	BOOST_TEST(s[1].as<long>() >= n * 95 / 100, s[1].as<long>() << " of " << n << " stored above 2000 bytes");
	BOOST_TEST(s[2].as<double>() < 0.8 * s[3].as<double>(), "stored " << s[2].as<double>() << " of " << s[3].as<double>());
	BOOST_TEST(s[5].as<long>() > 10 * s[4].as<long>(), "TOAST " << s[5].as<long>() << ", heap " << s[4].as<long>());

	std::map<std::string, long> seq;

	for (const pathx::bench::BenchQuery &bq : queries)
	{
		seq[bq.name] = q.exec1("SELECT count(*) FROM events WHERE " + bq.where)[0].as<long>();
		BOOST_TEST(seq[bq.name] > 0, bq.name << " selects no row of " << n);
		BOOST_TEST(seq[bq.name] <= n / 8, bq.name << " selects " << seq[bq.name] << " of " << n);
		if (!bq.btree_where.empty())
			BOOST_TEST(q.exec1("SELECT count(*) FROM events WHERE " + bq.btree_where)[0].as<long>() == seq[bq.name],
					   bq.name << ": the btree: form counts other rows");
	}
	q.exec("CREATE INDEX events_pathx ON events USING gin (doc jsonb_pathx_ops)");
	q.exec("ANALYZE events");
	q.exec("SET enable_seqscan = off");
	for (const pathx::bench::BenchQuery &bq : queries)
	{
		std::string plan;

		for (const pqxx::row &line : q.exec("EXPLAIN SELECT count(*) FROM events WHERE " + bq.where))
			plan += std::string(line[0].c_str()) + "\n";
		BOOST_TEST(plan.find("events_pathx") != std::string::npos, bq.name << " does not use the index:\n" << plan);
		BOOST_TEST(q.exec1("SELECT count(*) FROM events WHERE " + bq.where)[0].as<long>() == seq[bq.name],
				   bq.name << ": the index counts other rows");
	}
}

BOOST_AUTO_TEST_SUITE_END()
