/*
 * process_test.cpp
 *	  Tests of pathx::Run's child environment: the child gets exactly the
 *	  parent's environment with RunOptions::env applied, finds its program
 *	  in that environment's PATH, and starting it never depends on a lock
 *	  another thread of the parent may hold at fork time.
 *
 * The last point is what "build the environment in the parent, execve
 * it" buys: a child that calls setenv() after fork() takes glibc's
 * environment lock, and if another thread held it at the fork the child
 * waits forever.  The test makes that likely (a thread rewriting a
 * variable in a loop while children are started) and runs in a process
 * group of its own, so that hung children can be killed by the group's id.
 */
#include "cli_test_util.h"
#include "process.h"

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

extern char **environ;

using pathx_test::EnvVar;
using pathx_test::TempDir;

namespace
{

/* NUL-separated NAME=VALUE entries (env -0), sorted. */
std::vector<std::string>
SplitNul(const std::string &text)
{
	std::vector<std::string> out;
	size_t		start = 0;

	for (size_t i = 0; i < text.size(); i++)
		if (text[i] == '\0')
		{
			out.push_back(text.substr(start, i - start));
			start = i + 1;
		}
	std::sort(out.begin(), out.end());
	return out;
}

pathx::RunOptions
Captured()
{
	pathx::RunOptions o;

	o.echo = false;
	o.capture = true;
	return o;
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(cli_process)

BOOST_AUTO_TEST_CASE(child_gets_exactly_the_built_environment)
{
	EnvVar		keep("PXT_KEEP", "kept");
	EnvVar		over("PXT_OVER", "old");
	EnvVar		gone("PXT_ADDED", nullptr);
	pathx::RunOptions o = Captured();

	/* a value with a newline and an '=' survives as one entry */
	o.env = {{"PXT_OVER", "first"}, {"PXT_ADDED", "a b=c\nd"}, {"PXT_OVER", "new"}};
	pathx::RunResult r = pathx::Run({"env", "-0"}, o);

	BOOST_REQUIRE_EQUAL(r.exit_code, 0);

	std::vector<std::string> expected;

	for (char **e = environ; *e != nullptr; e++)
		if (std::string(*e).rfind("PXT_OVER=", 0) != 0)
			expected.push_back(*e);
	expected.push_back("PXT_OVER=new");	/* the last of two settings wins */
	expected.push_back("PXT_ADDED=a b=c\nd");
	std::sort(expected.begin(), expected.end());

	std::vector<std::string> got = SplitNul(r.output);

	BOOST_TEST(got == expected, boost::test_tools::per_element());
	/* the parent's own environment is untouched */
	BOOST_TEST(std::string(std::getenv("PXT_OVER")) == "old");
	BOOST_TEST(std::getenv("PXT_ADDED") == nullptr);
}

BOOST_AUTO_TEST_CASE(program_is_found_in_the_childs_path)
{
	TempDir		d;
	std::string prog = d.Path() + "/pxt-hello";

	{
		std::ofstream f(prog);

		f << "#!/bin/sh\necho hello from pxt\n";
	}
	chmod(prog.c_str(), 0755);

	pathx::RunOptions o = Captured();

	/* not in our PATH: only the child's PATH names it, as execvp would have searched it */
	BOOST_TEST(pathx::Run({"pxt-hello"}, o).exit_code == 127);
	o.env = {{"PATH", d.Path() + ":/usr/bin:/bin"}};
	pathx::RunResult r = pathx::Run({"pxt-hello"}, o);

	BOOST_TEST(r.exit_code == 0);
	BOOST_TEST(r.output == "hello from pxt\n");

	/* never a relative name in the working directory when the search fails */
	o.env = {{"PATH", "/nonexistent"}};
	o.cwd = d.Path();
	pathx::RunResult missing = pathx::Run({"pxt-hello"}, o);

	BOOST_TEST(missing.exit_code == 127);
	BOOST_TEST(missing.output.find("cannot run pxt-hello") != std::string::npos, missing.output);
}

BOOST_AUTO_TEST_CASE(children_start_while_another_thread_sets_variables)
{
	std::fflush(stdout);
	std::fflush(stderr);
	pid_t		pid = fork();

	BOOST_REQUIRE(pid >= 0);
	if (pid == 0)
	{
		/* the test body, in a process group of its own */
		setpgid(0, 0);
		setenv("PXT_HAMMER", "a", 1);

		std::atomic<bool> stop{false};
		std::thread hammer([&stop]() {
			/* overwrites an existing variable: glibc keeps the array, takes its lock */
			for (unsigned long i = 0; !stop.load(std::memory_order_relaxed); i++)
				setenv("PXT_HAMMER", (i & 1) ? "a" : "b", 1);
		});
		pathx::RunOptions o;

		o.echo = false;
		o.quiet = true;
		o.env = {{"PXT_CHILD", "1"}};
		int			failures = 0;

		for (int i = 0; i < 300; i++)
			if (pathx::Run({"true"}, o).exit_code != 0)
				failures++;
		stop = true;
		hammer.join();
		_exit(failures == 0 ? 0 : 1);
	}
	setpgid(pid, pid);			/* also here, in case the child has not run yet */

	int			status = 0;
	bool		done = false;
	auto		deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);

	while (!done && std::chrono::steady_clock::now() < deadline)
	{
		pid_t		w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			done = true;
		else
			std::this_thread::sleep_for(std::chrono::milliseconds(50));
	}
	if (!done)
	{
		/* the group is ours: the test process and the children it started */
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	BOOST_TEST(done, "starting 300 children took more than 60 s: a child hung after fork");
	BOOST_TEST((done && WIFEXITED(status) && WEXITSTATUS(status) == 0));
}

BOOST_AUTO_TEST_SUITE_END()
