/*
 * test_database.h
 *	  A fresh database with jsonb_pathx for one integration test.
 *
 * The test harness (tests/run-all.sh) starts a throwaway cluster and sets
 * PXTEST_CONNINFO.  Each test gets its own database, created on entry and
 * dropped on exit, so tests cannot see each other's tables.
 */
#ifndef PATHX_TESTS_TEST_DATABASE_H
#define PATHX_TESTS_TEST_DATABASE_H

#include <pqxx/pqxx>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace pathx_test
{

inline std::string
BaseConninfo()
{
	const char *c = std::getenv("PXTEST_CONNINFO");

	if (c == nullptr || *c == '\0')
		throw std::runtime_error("PXTEST_CONNINFO is not set: run integration tests through "
								 "tests/run-all.sh or tools/with-cluster.sh");
	return c;
}

class TestDatabase
{
  public:
	explicit TestDatabase(const std::string &prefix)
		: name_(prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter_++))
	{
		pqxx::connection admin(BaseConninfo());
		pqxx::nontransaction n(admin);

		n.exec("DROP DATABASE IF EXISTS " + name_);
		n.exec("CREATE DATABASE " + name_);
		conn_ = std::make_unique<pqxx::connection>(BaseConninfo() + " dbname=" + name_);
		pqxx::work	w(*conn_);

		w.exec("CREATE EXTENSION jsonb_pathx");
		w.commit();
	}

	~TestDatabase()
	{
		conn_.reset();
		try
		{
			pqxx::connection admin(BaseConninfo());
			pqxx::nontransaction n(admin);

			n.exec("DROP DATABASE IF EXISTS " + name_);
		}
		catch (const std::exception &)
		{
			/* a leftover database dies with the throwaway cluster */
		}
	}

	TestDatabase(const TestDatabase &) = delete;
	TestDatabase &operator=(const TestDatabase &) = delete;

	pqxx::connection &conn()
	{
		return *conn_;
	}
	std::string Conninfo() const
	{
		return BaseConninfo() + " dbname=" + name_;
	}

  private:
	static inline int counter_ = 0;
	std::string name_;
	std::unique_ptr<pqxx::connection> conn_;
};

}							/* namespace pathx_test */

#endif
