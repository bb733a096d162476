/*
 * differential.h
 *	  Shared pieces of the differential tests: loading random documents,
 *	  and counting each query with the index forced and with a seq scan.
 */
#ifndef PATHX_TESTS_DIFFERENTIAL_H
#define PATHX_TESTS_DIFFERENTIAL_H

#include <boost/test/unit_test.hpp>

#include "random_json.h"

#include <pqxx/pqxx>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace pathx_test
{

inline uint64_t
Seed()
{
	const char *s = std::getenv("PXTEST_SEED");

	return s ? std::strtoull(s, nullptr, 10) : 20261124u;
}

/*
 * Counting both ways happens in the server, in one round trip per query;
 * errors are caught there and compared by SQLSTATE.
 */
inline const char kCompareFunction[] = R"SQL(
CREATE FUNCTION px_compare(q text, OUT via_index text, OUT via_seq text)
LANGUAGE plpgsql AS $$
BEGIN
	BEGIN
		PERFORM set_config('enable_seqscan', 'off', true);
		PERFORM set_config('enable_bitmapscan', 'on', true);
		EXECUTE 'SELECT count(*)::text FROM t WHERE ' || q INTO via_index;
	EXCEPTION WHEN OTHERS THEN
		via_index := 'error ' || SQLSTATE;
	END;
	BEGIN
		PERFORM set_config('enable_seqscan', 'on', true);
		PERFORM set_config('enable_bitmapscan', 'off', true);
		EXECUTE 'SELECT count(*)::text FROM t WHERE ' || q INTO via_seq;
	EXCEPTION WHEN OTHERS THEN
		via_seq := 'error ' || SQLSTATE;
	END;
	PERFORM set_config('enable_bitmapscan', 'on', true);
END $$)SQL";

struct Outcome
{
	int			queries = 0;
	int			differences = 0;
	int			nonzero = 0;
	int			errors = 0;
};

inline void
Load(pqxx::connection &c, pathx_test::RandomJson &gen, int ndocs)
{
	pqxx::work	w(c);
	std::string batch;

	for (int i = 0; i < ndocs; i++)
	{
		/* some NULL rows: operators are strict and must skip them */
		std::string value = gen.Below(50) == 0 ? "NULL" : pathx_test::SqlQuote(gen.Document());

		batch += (batch.empty() ? "" : ", ") + ("(" + value + ")");
		if (batch.size() > 200000 || i == ndocs - 1)
		{
			w.exec("INSERT INTO t (doc) VALUES " + batch);
			batch.clear();
		}
	}
	w.commit();
}

inline Outcome
Compare(pqxx::connection &c, const std::vector<std::string> &queries, const std::string &phase)
{
	Outcome		out;
	pqxx::nontransaction n(c);

	for (const std::string &q : queries)
	{
		pqxx::row	r = n.exec_params1("SELECT via_index, via_seq FROM px_compare($1)", q);
		std::string idx = r[0].c_str();
		std::string seq = r[1].c_str();

		out.queries++;
		if (idx.compare(0, 5, "error") == 0)
			out.errors++;
		else if (idx != "0")
			out.nonzero++;
		if (idx != seq)
		{
			out.differences++;
			std::cerr << "DIFFERENCE (" << phase << "): index " << idx << ", seq scan " << seq
				<< "\n  WHERE " << q << "\n";
		}
	}
	std::cout << "differential " << phase << ": " << out.queries << " queries, "
		<< out.differences << " differences, " << out.nonzero << " with rows, "
		<< out.errors << " raising errors both ways" << std::endl;
	return out;
}

inline std::vector<std::string>
Queries(pathx_test::RandomJson &gen, int n)
{
	std::vector<std::string> qs;

	for (int i = 0; i < n; i++)
		qs.push_back(gen.Query());
	return qs;
}

/* The run must compare real answers, not a wall of zeros or errors. */
inline void
CheckOutcome(const Outcome &o)
{
	BOOST_TEST(o.differences == 0);
	BOOST_TEST(o.nonzero * 2 > o.queries);
	BOOST_TEST(o.errors * 10 < o.queries);
}

}							/* namespace pathx_test */

#endif
