/*
 * cli_test_util.h
 *	  Helpers for the CLI tests: run the pathx binary and look at what it
 *	  printed, make temporary directories, set environment variables for
 *	  a scope, find a free port.
 *
 * The binary is $PATHX_BIN (set by tools/pathx/Makefile's test target).
 * Commands run through pathx::Run, i.e. fork + exec of an argument
 * vector, the same way the CLI runs its own children.
 */
#ifndef PATHX_TESTS_CLI_TEST_UTIL_H
#define PATHX_TESTS_CLI_TEST_UTIL_H

#include "process.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pathx_test
{

inline std::string
PathxBin()
{
	const char *b = std::getenv("PATHX_BIN");

	if (b == nullptr || *b == '\0')
		throw std::runtime_error("PATHX_BIN is not set: run through `make -C tools/pathx test`");
	return b;
}

/* What one pathx run did: exit status and stdout+stderr together. */
struct CliRun
{
	int			exit_code;
	std::string output;

	bool		Says(const std::string &s) const { return output.find(s) != std::string::npos; }
};

/* Runs `pathx args...` with extra environment; output captured. */
inline CliRun
RunPathx(const std::vector<std::string> &args,
		 const std::vector<std::pair<std::string, std::string>> &env = {})
{
	std::vector<std::string> argv{PathxBin()};

	argv.insert(argv.end(), args.begin(), args.end());
	pathx::RunOptions o;

	o.echo = false;
	o.capture = true;
	o.env = env;
	pathx::RunResult r = pathx::Run(argv, o);

	return CliRun{r.exit_code, r.output};
}

/* A directory under /tmp removed at scope exit (mode 0755 so that the
 * postgres OS user can reach a home inside it when the tests run as root). */
class TempDir
{
public:
	explicit TempDir(const std::string &prefix = "pathx-test")
	{
		std::string templ = "/tmp/" + prefix + ".XXXXXX";
		std::vector<char> buf(templ.begin(), templ.end());

		buf.push_back('\0');
		if (mkdtemp(buf.data()) == nullptr)
			throw std::runtime_error("mkdtemp failed");
		path_ = buf.data();
		chmod(path_.c_str(), 0755);
	}
	~TempDir()
	{
		std::error_code ec;

		/* does not follow links the tests plant inside (see cluster.cpp's RemoveHome) */
		std::filesystem::remove_all(path_, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::string &Path() const { return path_; }

private:
	std::string path_;
};

/* Sets (or, with nullptr, unsets) an environment variable for one scope. */
class EnvVar
{
public:
	EnvVar(const char *name, const char *value) : name_(name)
	{
		const char *old = std::getenv(name);

		had_ = old != nullptr;
		if (had_)
			old_ = old;
		if (value)
			setenv(name, value, 1);
		else
			unsetenv(name);
	}
	~EnvVar()
	{
		if (had_)
			setenv(name_.c_str(), old_.c_str(), 1);
		else
			unsetenv(name_.c_str());
	}
	EnvVar(const EnvVar &) = delete;
	EnvVar &operator=(const EnvVar &) = delete;

private:
	std::string name_;
	std::string old_;
	bool		had_;
};

/* A TCP port on 127.0.0.1 nobody listens on right now (from `start`). */
inline int
FreePort(int start)
{
	for (int port = start; port < start + 200; port++)
	{
		int			fd = socket(AF_INET, SOCK_STREAM, 0);
		sockaddr_in addr{};

		addr.sin_family = AF_INET;
		addr.sin_port = htons(static_cast<uint16_t>(port));
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int			rc = bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr));

		close(fd);
		if (rc == 0)
			return port;
	}
	throw std::runtime_error("no free port");
}

/* PXTEST_CONNINFO of the harness's cluster, or "" when not set. */
inline std::string
HarnessConninfo()
{
	const char *c = std::getenv("PXTEST_CONNINFO");

	return c ? c : "";
}

}							/* namespace pathx_test */

#endif							/* PATHX_TESTS_CLI_TEST_UTIL_H */
