/*
 * encoding_test.cpp
 *	  jsonb_pathx_ops in a database whose encoding is not UTF-8.
 *
 * jsonpath compares strings by code point.  In a LATIN1 database the index
 * converts string values to UTF-8 before encoding keys, so that key order
 * is jsonpath's order; this test checks ranges, prefixes and equality on
 * strings around the ASCII / Latin-1 boundary against a seq scan, and that
 * jsonb_pathx_keys shows values in the database's encoding.
 */
#include <boost/test/unit_test.hpp>

#include "test_database.h"

#include <string>

BOOST_AUTO_TEST_SUITE(encodings)

BOOST_AUTO_TEST_CASE(latin1_database_orders_strings_like_jsonpath)
{
	const std::string name = "px_latin1_" + std::to_string(getpid());
	{
		pqxx::connection admin(pathx_test::BaseConninfo());
		pqxx::nontransaction n(admin);

		n.exec("DROP DATABASE IF EXISTS " + name);
		n.exec("CREATE DATABASE " + name +
			   " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
	}
	{
		pqxx::connection c(pathx_test::BaseConninfo() + " dbname=" + name + " client_encoding=UTF8");
		pqxx::nontransaction n(c);

		n.exec("CREATE EXTENSION jsonb_pathx");
		n.exec("CREATE TABLE t (doc jsonb)");
		n.exec("INSERT INTO t SELECT jsonb_build_object('s', s) FROM unnest(ARRAY['a', 'z', 'Z', "
			   "'é', 'è', 'ä', 'ÿ', 'ß', 'Ñ', 'ab', 'éa', 'zz', 'ÿÿ', '', 'aé', 'zé', 'Ä']) s, "
			   "generate_series(1, 20)");
		n.exec("CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops)");
		n.exec("ANALYZE t");

		const char *const queries[] = {
			R"($.s > "z")", R"($.s < "é")", R"($.s >= "Ñ")", R"($.s starts with "é")",
			R"($.s == "ÿ")", R"($.s > "Z" && $.s < "ß")", R"($.s like_regex "^é")",
			R"($.s <= "a")", R"($.s > "ä")",
		};

		for (const char *q : queries)
		{
			std::string sql = std::string("SELECT count(*) FROM t WHERE doc @@ ") + n.quote(q);

			n.exec("SET enable_seqscan = off");
			long		via_index = n.exec(sql)[0][0].as<long>();

			n.exec("SET enable_seqscan = on");
			n.exec("SET enable_bitmapscan = off");
			long		via_seq = n.exec(sql)[0][0].as<long>();

			n.exec("SET enable_bitmapscan = on");
			BOOST_TEST(via_index == via_seq, q << ": index " << via_index << ", seq scan " << via_seq);
			BOOST_TEST(via_seq > 0, q);
		}
		BOOST_TEST(std::string(n.exec(R"(SELECT jsonb_pathx_keys('{"s": "é"}'))")[0][0].c_str()) ==
				   "$.s string \"é\"");
	}
	pqxx::connection admin(pathx_test::BaseConninfo());
	pqxx::nontransaction n(admin);

	n.exec("DROP DATABASE IF EXISTS " + name);
}

BOOST_AUTO_TEST_SUITE_END()
