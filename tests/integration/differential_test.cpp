/*
 * differential_test.cpp
 *	  Randomized differential tests: every query must count the same rows
 *	  with the jsonb_pathx_ops index forced as with a seq scan.
 *
 * An index that misses a row is the worst bug this project can ship, and
 * hand-written cases only cover what their author thought of.  Here random
 * documents (random_json.h) are indexed, random queries over all six
 * operators are counted twice, and any difference fails the test and
 * prints the query.  Queries that raise an error must raise the same
 * SQLSTATE both ways.  The phases also cover index maintenance: updates,
 * deletes, VACUUM, the fastupdate pending list, and several option sets.
 *
 * The seed is printed; PXTEST_SEED reruns a failure.
 */
#include <boost/test/unit_test.hpp>

#include "differential.h"
#include "random_json.h"
#include "test_database.h"

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace
{

using pathx_test::CheckOutcome;
using pathx_test::Compare;
using pathx_test::kCompareFunction;
using pathx_test::Load;
using pathx_test::Queries;
using pathx_test::Seed;

}							/* namespace */

BOOST_AUTO_TEST_SUITE(differential)

BOOST_AUTO_TEST_CASE(default_index_with_updates_deletes_and_vacuum)
{
	uint64_t	seed = Seed();

	std::cout << "differential seed " << seed << " (PXTEST_SEED reruns it)" << std::endl;
	pathx_test::TestDatabase db("px_diff");
	pathx_test::RandomJson gen(seed);
	pqxx::connection &c = db.conn();

	{
		pqxx::work	w(c);

		w.exec("CREATE TABLE t (id serial PRIMARY KEY, doc jsonb)");
		w.exec(kCompareFunction);
		w.commit();
	}
	Load(c, gen, 2000);
	{
		pqxx::work	w(c);

		w.exec("CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops)");
		w.exec("ANALYZE t");
		w.commit();
	}
	std::vector<std::string> queries = Queries(gen, 2000);

	CheckOutcome(Compare(c, queries, "after build"));

	/* random updates and deletes go through the pending list, then VACUUM */
	{
		pqxx::work	w(c);

		for (int i = 0; i < 400; i++)
			w.exec_params("UPDATE t SET doc = $1::jsonb WHERE id = $2", gen.Document(),
						  static_cast<int>(1 + gen.Below(2000)));
		w.exec("DELETE FROM t WHERE id % 10 = 3");
		w.commit();
	}
	CheckOutcome(Compare(c, queries, "after update/delete (pending list)"));
	{
		pqxx::nontransaction n(c);

		n.exec("VACUUM ANALYZE t");
	}
	CheckOutcome(Compare(c, queries, "after vacuum"));

	/* without fastupdate, inserts go straight into the entry tree */
	{
		pqxx::work	w(c);

		w.exec("ALTER INDEX t_doc SET (fastupdate = off)");
		w.commit();
	}
	Load(c, gen, 300);
	std::vector<std::string> more = Queries(gen, 500);

	CheckOutcome(Compare(c, more, "fastupdate off"));
	{
		pqxx::work	w(c);

		w.exec("ALTER INDEX t_doc SET (fastupdate = on)");
		w.commit();
	}
	Load(c, gen, 300);
	{
		pqxx::work	w(c);

		w.exec("SELECT gin_clean_pending_list('t_doc')");
		w.commit();
	}
	CheckOutcome(Compare(c, more, "after gin_clean_pending_list"));
}

BOOST_AUTO_TEST_CASE(option_sets)
{
	const char *const option_sets[] = {
		"(anypath = true)",
		"(paths = '$.a, $.items, $.\"x y\", $.deep', exclude_paths = '$.a.b', string_prefix = 4)",
		"(string_prefix = 8, anypath = true, paths = '$.k')",
	};
	uint64_t	seed = Seed() + 1;

	for (const char *opts : option_sets)
	{
		std::cout << "option set " << opts << std::endl;
		pathx_test::TestDatabase db("px_diff_opts");
		pathx_test::RandomJson gen(seed++);
		pqxx::connection &c = db.conn();

		{
			pqxx::work	w(c);

			w.exec("CREATE TABLE t (id serial PRIMARY KEY, doc jsonb)");
			w.exec(kCompareFunction);
			w.commit();
		}
		Load(c, gen, 1000);
		{
			pqxx::work	w(c);

			w.exec(std::string("CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops ") + opts + ")");
			w.exec("ANALYZE t");
			w.commit();
		}
		CheckOutcome(Compare(c, Queries(gen, 800), opts));
	}
}

BOOST_AUTO_TEST_SUITE_END()
