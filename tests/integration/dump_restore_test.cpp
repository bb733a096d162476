/*
 * dump_restore_test.cpp
 *	  pg_dump and restore of tables with jsonb_pathx_ops indexes: the
 *	  operator class options survive, the restored index is rebuilt and
 *	  answers exactly as before.
 *
 * pg_dump and pg_restore come from the server's bin directory
 * (PXTEST_BINDIR, set by the harness, else pg_config's).  They are run with
 * argument vectors through posix_spawn, never through a shell.
 */
#include <boost/test/unit_test.hpp>

#include "test_database.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

extern char **environ;

namespace
{

std::string
BinDir()
{
	const char *b = std::getenv("PXTEST_BINDIR");

	return b ? b : "/usr/lib/postgresql/15/bin";
}

/* Run argv[0] with arguments; returns the exit status. */
int
Run(const std::vector<std::string> &args)
{
	std::vector<char *> argv;

	for (const std::string &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);

	pid_t		pid;
	int			status = 0;

	if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
		return -1;
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string>
Column(pqxx::connection &c, const std::string &sql)
{
	pqxx::work	w(c);
	std::vector<std::string> out;

	for (const auto &row : w.exec(sql))
		out.push_back(row[0].c_str());
	return out;
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(dump_restore)

BOOST_AUTO_TEST_CASE(options_and_answers_survive)
{
	pathx_test::TestDatabase src("px_dump_src");
	pathx_test::TestDatabase dst("px_dump_dst");
	std::string dump = "/tmp/px_dump_" + std::to_string(getpid()) + ".dump";

	{
		pqxx::work	w(src.conn());

		w.exec("CREATE TABLE orders (id int, doc jsonb)");
		w.exec("INSERT INTO orders SELECT i, jsonb_build_object('status', "
			   "(ARRAY['paid','new','lost'])[1 + i % 3], 'total', i % 1000, "
			   "'user', jsonb_build_object('email', md5(i::text)), 'tags', jsonb_build_array('t' || i % 9)) "
			   "FROM generate_series(1, 3000) i");
		w.exec("CREATE INDEX orders_all ON orders USING gin (doc jsonb_pathx_ops)");
		w.exec("CREATE INDEX orders_opts ON orders USING gin (doc jsonb_pathx_ops "
			   "(paths = '$.user, $.status', exclude_paths = '$.user.notes', string_prefix = 12, "
			   "anypath = true))");
		w.commit();
	}

	BOOST_REQUIRE_EQUAL(Run({BinDir() + "/pg_dump", "-Fc", "-f", dump, "-d", src.Conninfo()}), 0);
	BOOST_REQUIRE_EQUAL(Run({BinDir() + "/pg_restore", "--clean", "--if-exists", "-d",
							 dst.Conninfo(), dump}), 0);
	std::remove(dump.c_str());

	const std::string defs =
		"SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'orders'::regclass "
		"ORDER BY indexrelid::regclass::text";

	BOOST_TEST(Column(src.conn(), defs) == Column(dst.conn(), defs),
			   boost::test_tools::per_element());
	BOOST_TEST(Column(dst.conn(), defs).size() == 2u);

	const char *const queries[] = {
		"doc @@ '$.status == \"lost\" && $.total > 990'",
		"doc @@ '$.user.email starts with \"ab\"'",
		"doc @@ '$.** == \"t3\"'",
		"doc @> '{\"tags\": [\"t4\"]}'",
	};

	for (const char *q : queries)
	{
		std::string before = Column(src.conn(), "SELECT count(*) FROM orders WHERE " + std::string(q))[0];
		pqxx::work	w(dst.conn());

		w.exec("SET LOCAL enable_seqscan = off");
		std::string after = w.exec("SELECT count(*) FROM orders WHERE " + std::string(q))[0][0].c_str();

		BOOST_TEST(before == after, q);
		BOOST_TEST(before != "0", q);
	}
}

BOOST_AUTO_TEST_SUITE_END()
