/*
 * gen_test.cpp
 *	  Tests of the orders generator (orders_gen.h) and `pathx gen`.
 *
 * The generator is the benchmark's ground truth, so the tests pin what
 * the benchmark relies on: determinism (same seed, same bytes; a golden
 * hash of the first documents, so no change of the data set goes
 * unnoticed), well-formed JSON, and the documented shares within a few
 * standard deviations over 20,000 documents.  A small JSON reader below
 * checks well-formedness and collects every path a document has, in
 * OrderPaths() notation, to check the path list both ways: every listed
 * path occurs in the sample, and every path that occurs is listed.
 */
#include "cli_test_util.h"
#include "json_stream.h"
#include "orders_gen.h"

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
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

BOOST_AUTO_TEST_SUITE_END()
