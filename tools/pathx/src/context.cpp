/*
 * context.cpp
 *	  Resolution of the repository, the dev home, the port and pg_config
 *	  (see context.h for the order of precedence).
 */
#include "context.h"

#include "process.h"
#include "ui.h"

#include <CLI/CLI.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <fstream>
#include <cstdlib>
#include <sstream>

namespace pathx
{

namespace
{

bool
IsRepoRoot(const std::string &dir)
{
	struct stat st;

	return stat((dir + "/extension/jsonb_pathx.control").c_str(), &st) == 0;
}

std::string
Parent(const std::string &dir)
{
	size_t		slash = dir.find_last_of('/');

	if (slash == std::string::npos || slash == 0)
		return "/";
	return dir.substr(0, slash);
}

std::string
Absolute(const std::string &path)
{
	if (!path.empty() && path[0] == '/')
		return path;
	char		buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) == nullptr)
		throw CliError("cannot read the working directory");
	return std::string(buf) + "/" + path;
}

/* Drops trailing slashes and "/." so that printed paths look as typed. */
std::string
Normalize(std::string path)
{
	while (path.size() > 1 && path.back() == '/')
		path.pop_back();
	while (path.size() > 2 && path.compare(path.size() - 2, 2, "/.") == 0)
		path.erase(path.size() - 2);
	return path;
}

std::string
FindRoot()
{
	const char *env = std::getenv("PATHX_ROOT");

	if (env != nullptr && *env != '\0')
	{
		std::string root = Normalize(Absolute(env));

		if (!IsRepoRoot(root))
			throw CliError("PATHX_ROOT=" + root + " is not a jsonb_pathx checkout "
						   "(no extension/jsonb_pathx.control there)",
						   "unset PATHX_ROOT, or point it at your clone");
		return root;
	}
	char		buf[PATH_MAX];

	if (getcwd(buf, sizeof(buf)) != nullptr)
	{
		for (std::string dir = buf;; dir = Parent(dir))
		{
			if (IsRepoRoot(dir))
				return dir;
			if (dir == "/")
				break;
		}
	}
	/* Fall back to where this binary lives: <root>/tools/pathx/bin/pathx. */
	ssize_t		n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n > 0)
	{
		buf[n] = '\0';
		for (std::string dir = Parent(buf);; dir = Parent(dir))
		{
			if (IsRepoRoot(dir))
				return dir;
			if (dir == "/")
				break;
		}
	}
	throw CliError("cannot find the jsonb_pathx repository (looked above the working directory "
				   "and above the pathx binary for extension/jsonb_pathx.control)",
				   "cd into your clone, or set PATHX_ROOT=/path/to/clone");
}

int
ParsePort(const std::string &text, const std::string &where)
{
	char	   *end = nullptr;
	long		v = std::strtol(text.c_str(), &end, 10);

	if (text.empty() || *end != '\0' || v < 1024 || v > 65535)
		throw CliError(where + " must be a TCP port number between 1024 and 65535, not '" + text + "'",
					   "", 2);
	return static_cast<int>(v);
}

}							/* namespace */

void
SetupGlobalOptions(CLI::App &app, GlobalOptions &opts)
{
	app.add_option("--home", opts.home,
				   "Dev cluster home (default: $PATHX_HOME, else .pathx/ in the repository)")
		->type_name("DIR");
	app.add_option("--port", opts.port,
				   "TCP port of the dev cluster (default: $PATHX_PORT, else 28800 + major version)")
		->type_name("PORT")
		->check(CLI::Range(1024, 65535));
	app.add_option("--pg-config", opts.pg_config,
				   "pg_config of the PostgreSQL to build for and run (default: $PG_CONFIG, else pg_config in PATH)")
		->type_name("PATH");
	app.add_option("--conninfo", opts.conninfo,
				   "Work on this database instead of the dev cluster (load, bench, demo, paths, explain; "
				   "default: $PATHX_CONNINFO)")
		->type_name("CONNINFO");
}

Context::Context(const GlobalOptions &opts)
{
	root_ = FindRoot();

	const char *env_home = std::getenv("PATHX_HOME");

	home_from_user_ = true;
	if (!opts.home.empty())
		home_ = Normalize(Absolute(opts.home));
	else if (env_home != nullptr && *env_home != '\0')
		home_ = Normalize(Absolute(env_home));
	else
	{
		home_ = root_ + "/.pathx";
		home_from_user_ = false;
	}

	/*
	 * The directories above the home are the user's choice and may hold
	 * links; the home itself is not resolved here, so that PrepareHome
	 * sees, and refuses, a link someone planted in its place.
	 */
	char		real[PATH_MAX];
	std::string parent = Parent(home_);
	std::string name = home_.substr(home_.find_last_of('/') + 1);

	if (realpath(parent.c_str(), real) != nullptr)
		home_ = std::string(real) + (std::string(real) == "/" ? "" : "/") + name;

	/*
	 * The one link pathx follows is the default home it made itself
	 * (cluster.cpp's fallback for root): the server is told the directory
	 * it names, since the server's OS user cannot enter the clone to
	 * follow it.  PrepareHome checks that directory like any other home.
	 */
	struct stat st;

	if (!home_from_user_ && lstat(home_.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
	{
		ssize_t		n = readlink(home_.c_str(), real, sizeof(real) - 1);

		if (n > 0)
		{
			home_link_ = home_;
			home_.assign(real, static_cast<size_t>(n));
		}
	}

	const char *env_port = std::getenv("PATHX_PORT");

	if (opts.port != 0)
		port_ = opts.port;
	else if (env_port != nullptr && *env_port != '\0')
		port_ = ParsePort(env_port, "PATHX_PORT");

	const char *env_pgc = std::getenv("PG_CONFIG");

	if (!opts.pg_config.empty())
		pg_config_ = opts.pg_config;
	else if (env_pgc != nullptr && *env_pgc != '\0')
		pg_config_ = env_pgc;
	else
		pg_config_ = "pg_config";

	const char *env_conn = std::getenv("PATHX_CONNINFO");

	if (!opts.conninfo.empty())
		user_conninfo_ = opts.conninfo;
	else if (env_conn != nullptr)
		user_conninfo_ = env_conn;

	/*
	 * The socket path must fit in sockaddr_un (107 bytes on Linux); a deep
	 * checkout would otherwise fail at server start with an obscure error.
	 */
	std::string socket = SocketDir() + "/.s.PGSQL.65535";

	if (socket.size() > 107)
		throw CliError("the dev home " + home_ + " is too long a path for a Unix socket (" +
					   std::to_string(socket.size()) + " bytes with the socket name, the limit is 107)",
					   "use a shorter home: --home /tmp/pathx (or PATHX_HOME=/tmp/pathx)");
}

void
Context::LoadPgConfig() const
{
	if (pg_loaded_)
		return;
	std::string exe = FindInPath(pg_config_);

	if (exe.empty())
		throw CliError("pg_config not found (" + pg_config_ + "): PostgreSQL's server headers are missing",
					   "apt-get install -y postgresql-15 postgresql-server-dev-15 (or tools/install-deps.sh), "
					   "or pass --pg-config /path/to/pg_config");
	RunOptions	o;

	o.echo = false;
	o.capture = true;
	RunResult	r = Run({exe, "--bindir", "--pkglibdir", "--sharedir", "--version"}, o);

	if (r.exit_code != 0)
		throw CliError(exe + " failed (exit status " + std::to_string(r.exit_code) + "): " + r.output);
	std::stringstream ss(r.output);
	std::string version;

	std::getline(ss, bindir_);
	std::getline(ss, pkglibdir_);
	std::getline(ss, sharedir_);
	std::getline(ss, version);
	/* "PostgreSQL 15.18 (Debian ...)" */
	size_t		sp = version.find(' ');

	if (sp != std::string::npos)
		major_ = std::atoi(version.c_str() + sp + 1);
	if (major_ < 13)
		throw CliError("unsupported PostgreSQL version '" + version + "' from " + exe +
					   " (jsonb_pathx needs 13 or later, and is tested on 15)");
	pg_config_ = exe;
	pg_loaded_ = true;
}

const std::string &
Context::PgConfig() const
{
	LoadPgConfig();
	return pg_config_;
}

const std::string &
Context::BinDir() const
{
	LoadPgConfig();
	return bindir_;
}

const std::string &
Context::PkgLibDir() const
{
	LoadPgConfig();
	return pkglibdir_;
}

const std::string &
Context::ShareDir() const
{
	LoadPgConfig();
	return sharedir_;
}

int
Context::MajorVersion() const
{
	LoadPgConfig();
	return major_;
}

int
Context::Port() const
{
	if (port_ != 0)
		return port_;
	/* An existing cluster keeps the port it was set up with. */
	int			configured = ConfiguredPort();

	return configured > 0 ? configured : kPortBase + MajorVersion();
}

int
Context::ConfiguredPort() const
{
	/* in the server user's data directory: see ReadFileNoFollow */
	std::istringstream conf(ReadFileNoFollow(DataDir() + "/pathx.conf", 65536));
	std::string line;

	while (std::getline(conf, line))
	{
		int			p = 0;

		if (std::sscanf(line.c_str(), "port = %d", &p) == 1 && p > 0)
			return p;
	}
	return 0;
}

std::string
Context::Conninfo(const std::string &dbname) const
{
	/* libpq quoting: single quotes around values, backslash-escaped. */
	auto		quote = [](const std::string &v) {
		if (!v.empty() && v.find_first_of(" '\\") == std::string::npos)
			return v;
		std::string out = "'";

		for (char c : v)
		{
			if (c == '\'' || c == '\\')
				out += '\\';
			out += c;
		}
		return out + "'";
	};

	return "host=" + quote(SocketDir()) + " port=" + std::to_string(Port()) +
		" user=" + kDevRole + " dbname=" + quote(dbname) + " application_name=pathx";
}

std::string
Context::Url(const std::string &dbname) const
{
	return std::string("postgresql://") + kDevRole + "@127.0.0.1:" + std::to_string(Port()) + "/" + dbname;
}

std::string
TargetConninfo(const Context &ctx)
{
	if (!ctx.UserConninfo().empty())
		return ctx.UserConninfo();
	EnsureUp(ctx);
	return ctx.Conninfo();
}

}							/* namespace pathx */
