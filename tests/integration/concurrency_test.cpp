/*
 * concurrency_test.cpp
 *	  Concurrent writers and readers on a jsonb_pathx_ops index.
 *
 * Writer threads insert, update and delete random documents, each in its
 * own transaction, while reader threads run indexed queries, for a bounded
 * time.  No operation may fail, and afterwards every query of a random set
 * must count the same rows with the index forced as with a seq scan, both
 * before and after the pending list is cleaned.  Runs with fastupdate on
 * (inserts queue in the pending list, readers scan it) and off (inserts go
 * straight into the entry and posting trees, so page splits race with
 * scans).  Each thread has its own connection and random generator.
 */
#include <boost/test/unit_test.hpp>

#include "differential.h"
#include "random_json.h"
#include "test_database.h"

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace
{

struct Counters
{
	std::atomic<long> transactions{0};
	std::atomic<long> queries{0};
	std::atomic<long> failures{0};
	std::mutex	mu;
	std::string first_failure;

	void		Fail(const std::string &what)
	{
		failures++;
		std::lock_guard<std::mutex> lock(mu);

		if (first_failure.empty())
			first_failure = what;
	}
};

void
Writer(const std::string &conninfo, uint64_t seed, std::chrono::steady_clock::time_point until,
	   Counters &c)
{
	try
	{
		pqxx::connection conn(conninfo);
		pathx_test::RandomJson gen(seed);

		while (std::chrono::steady_clock::now() < until)
		{
			pqxx::work	w(conn);
			uint64_t	op = gen.Below(100);

			if (op < 60)
				w.exec_params("INSERT INTO t (doc) VALUES ($1::jsonb)", gen.Document());
			else if (op < 85)
				w.exec_params("UPDATE t SET doc = $1::jsonb WHERE id = $2", gen.Document(),
							  static_cast<long>(1 + gen.Below(3000)));
			else
				w.exec_params("DELETE FROM t WHERE id = $1", static_cast<long>(1 + gen.Below(3000)));
			w.commit();
			c.transactions++;
		}
	}
	catch (const std::exception &e)
	{
		c.Fail(std::string("writer: ") + e.what());
	}
}

void
Reader(const std::string &conninfo, uint64_t seed, std::chrono::steady_clock::time_point until,
	   Counters &c)
{
	try
	{
		pqxx::connection conn(conninfo);
		pathx_test::RandomJson gen(seed);
		std::vector<std::string> queries;

		for (int i = 0; i < 20; i++)
			gen.Document();		/* containment operands come from documents */
		for (int i = 0; i < 200; i++)
			queries.push_back(gen.Query());
		pqxx::nontransaction n(conn);

		n.exec("SET enable_seqscan = off");
		for (size_t i = 0; std::chrono::steady_clock::now() < until; i++)
		{
			try
			{
				n.exec("SELECT count(*) FROM t WHERE " + queries[i % queries.size()]);
			}
			catch (const pqxx::data_exception &)
			{
				/* random jsonpath may raise data errors (strict mode, types) */
			}
			c.queries++;
		}
	}
	catch (const std::exception &e)
	{
		c.Fail(std::string("reader: ") + e.what());
	}
}

void
RunConcurrent(const char *fastupdate)
{
	pathx_test::TestDatabase db("px_conc");
	pathx_test::RandomJson gen(pathx_test::Seed() + 7);
	pqxx::connection &conn = db.conn();

	{
		pqxx::work	w(conn);

		w.exec("CREATE TABLE t (id serial PRIMARY KEY, doc jsonb)");
		w.exec(pathx_test::kCompareFunction);
		w.commit();
	}
	pathx_test::Load(conn, gen, 1500);
	{
		pqxx::work	w(conn);

		w.exec(std::string("CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops) WITH (fastupdate = ") +
			   fastupdate + ")");
		w.exec("ANALYZE t");
		w.commit();
	}

	Counters	counters;
	auto		until = std::chrono::steady_clock::now() + std::chrono::seconds(8);
	std::vector<std::thread> threads;

	for (int i = 0; i < 3; i++)
		threads.emplace_back(Writer, db.Conninfo(), pathx_test::Seed() + 100 + i, until,
							 std::ref(counters));
	for (int i = 0; i < 2; i++)
		threads.emplace_back(Reader, db.Conninfo(), pathx_test::Seed() + 200 + i, until,
							 std::ref(counters));
	for (std::thread &t : threads)
		t.join();

	std::cout << "concurrency (fastupdate = " << fastupdate << "): " << counters.transactions
		<< " write transactions and " << counters.queries << " indexed queries in 8 s by 5 "
		<< "connections, " << counters.failures << " failures" << std::endl;
	BOOST_TEST(counters.failures == 0, counters.first_failure);
	BOOST_TEST(counters.transactions > 100);
	BOOST_TEST(counters.queries > 100);

	std::vector<std::string> queries = pathx_test::Queries(gen, 600);

	pathx_test::CheckOutcome(pathx_test::Compare(conn, queries,
												 std::string("after concurrent writes, fastupdate ") + fastupdate));
	{
		pqxx::work	w(conn);

		w.exec("SELECT gin_clean_pending_list('t_doc')");
		w.commit();
	}
	pathx_test::CheckOutcome(pathx_test::Compare(conn, queries,
												 std::string("after gin_clean_pending_list, fastupdate ") + fastupdate));
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(concurrency)

BOOST_AUTO_TEST_CASE(writers_and_readers_fastupdate_on)
{
	RunConcurrent("on");
}

BOOST_AUTO_TEST_CASE(writers_and_readers_fastupdate_off)
{
	RunConcurrent("off");
}

BOOST_AUTO_TEST_SUITE_END()
