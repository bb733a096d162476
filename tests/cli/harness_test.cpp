/*
 * harness_test.cpp
 *	  The throwaway cluster the test harness starts (tools/lib/cluster.sh,
 *	  PXTEST_CONNINFO) is reachable by no one but root and its server user.
 *
 * It trusts whoever connects, and a superuser can run programs as the
 * server's OS user (COPY ... TO PROGRAM), so it must listen on a Unix
 * socket only, in a directory of mode 0700 owned by that user: a TCP
 * connection to 127.0.0.1 on its port must be refused while the socket
 * works.  The cluster is the one the suite runs against, so these checks
 * are of the harness itself, and fail when it is started another way.
 */
#include "cli_test_util.h"

#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>

#include <sys/stat.h>

#include <string>

BOOST_AUTO_TEST_SUITE(harness)

BOOST_AUTO_TEST_CASE(test_cluster_listens_on_a_private_unix_socket_only)
{
	BOOST_REQUIRE_MESSAGE(!pathx_test::HarnessConninfo().empty(),
						  "PXTEST_CONNINFO is not set: run the CLI tests through tools/with-cluster.sh "
						  "or tests/run-all.sh");
	pqxx::connection c(pathx_test::HarnessConninfo());
	pqxx::nontransaction n(c);
	std::string host = c.hostname() ? c.hostname() : "";	/* as libpq resolved it */
	std::string port = c.port() ? c.port() : "";

	BOOST_TEST_INFO("PXTEST_CONNINFO: " << pathx_test::HarnessConninfo());
	BOOST_REQUIRE_MESSAGE(!host.empty() && host[0] == '/', "host is not a socket directory: " << host);
	BOOST_REQUIRE(!port.empty());

	/* the socket works, and the server listens on nothing else */
	BOOST_TEST(n.exec1("SELECT 1")[0].as<int>() == 1);
	BOOST_TEST(n.exec1("SHOW listen_addresses")[0].as<std::string>() == "");

	/* the directory: 0700, a real directory, owned by the server's OS user (the data directory's owner) */
	struct stat dir;
	struct stat data;

	BOOST_REQUIRE(lstat(host.c_str(), &dir) == 0);
	BOOST_REQUIRE(stat(n.exec1("SHOW data_directory")[0].c_str(), &data) == 0);
	BOOST_TEST(S_ISDIR(dir.st_mode));
	BOOST_TEST((dir.st_mode & 07777) == 0700u, "mode " << std::oct << (dir.st_mode & 07777));
	BOOST_TEST(dir.st_uid == data.st_uid);

	/* TCP on the same port: refused (nothing listens), not merely rejected by pg_hba */
	std::string tcp = "host=127.0.0.1 port=" + port + " user=postgres dbname=postgres connect_timeout=5";
	std::string why;

	try
	{
		pqxx::connection t(tcp);
		why = "connected over TCP to 127.0.0.1:" + port;
	}
	catch (const pqxx::broken_connection &e)
	{
		std::string msg = e.what();

		if (msg.find("Connection refused") == std::string::npos)
			why = "TCP connection failed, but not as refused: " + msg;
	}
	BOOST_TEST(why == "");
}

BOOST_AUTO_TEST_SUITE_END()
