/*
 * context.h
 *	  Where the dev cluster lives and how to reach it.
 *
 * Every command resolves the same few facts the same way, in this order of
 * precedence: a command-line option, an environment variable, a default.
 *
 *   repository root   PATHX_ROOT, else the nearest directory above the
 *                     working directory holding extension/jsonb_pathx.control,
 *                     else the one above the pathx binary (tools/pathx/bin)
 *   home              --home, PATHX_HOME, else <root>/.pathx; when
 *                     <root>/.pathx is a link (the relocated home of a
 *                     root run, cluster.h), the directory it names
 *   port              --port, PATHX_PORT, else the port the existing dev
 *                     cluster was set up with, else 28800 + the server's
 *                     major version (28815 for PostgreSQL 15), out of the
 *                     way of a system server on 5432
 *   pg_config         --pg-config, PG_CONFIG, else pg_config in PATH
 *   target database   --conninfo, PATHX_CONNINFO, else the dev database:
 *                     data commands (load, bench, demo, paths, explain) can
 *                     work on any database with the extension, not only
 *                     ours; the dev cluster is the one where instance-wide
 *                     actions (bench's CHECKPOINT, pg_prewarm) are ours to do
 *
 * The home holds the data directory (data/), the server log (server.log),
 * the Unix socket, and the password for TCP connections (password, 0600).
 * The dev database is `pathx`, owned by the `postgres` role.
 */
#ifndef PATHX_CLI_CONTEXT_H
#define PATHX_CLI_CONTEXT_H

#include <string>

namespace CLI
{
class App;
}

namespace pathx
{

struct GlobalOptions
{
	std::string home;			/* --home */
	int			port = 0;		/* --port; 0: not given */
	std::string pg_config;		/* --pg-config */
	std::string conninfo;		/* --conninfo: a database of the user's instead of the dev cluster */
};

/* Adds --home, --port and --pg-config to the top-level app. */
void		SetupGlobalOptions(CLI::App &app, GlobalOptions &opts);

/* Where a root run keeps the home when the server user cannot enter the clone. */
constexpr const char *kRelocatedHomePrefix = "/var/tmp/pathx-";

constexpr int kPortBase = 28800;
constexpr const char *kDevDatabase = "pathx";
constexpr const char *kDevRole = "postgres";

class Context
{
public:
	/* Resolves everything that needs no child process; throws CliError. */
	explicit Context(const GlobalOptions &opts);

	const std::string &Root() const { return root_; }
	const std::string &Home() const { return home_; }
	std::string DataDir() const { return home_ + "/data"; }
	std::string ServerLog() const { return home_ + "/server.log"; }
	std::string PasswordFile() const { return home_ + "/password"; }
	std::string SocketDir() const { return home_; }

	/* Runs pg_config once and caches its answers; throws CliError if missing. */
	const std::string &PgConfig() const;
	const std::string &BinDir() const;
	const std::string &PkgLibDir() const;
	const std::string &ShareDir() const;
	int			MajorVersion() const;

	/* The port: option, PATHX_PORT, or kPortBase + major version. */
	int			Port() const;
	bool		PortFromUser() const { return port_ != 0 && !port_chosen_; }

	/* Sets the port pathx picked itself (pathx up --any-port). */
	void		ChoosePort(int port) const
	{
		port_ = port;
		port_chosen_ = true;
	}

	/* The port in the cluster's data/pathx.conf, 0 when there is none. */
	int			ConfiguredPort() const;
	bool		HomeFromUser() const { return home_from_user_; }

	/*
	 * Points the home elsewhere (cluster.cpp's fallback for root); the
	 * default home becomes the link to it.
	 */
	void		RelocateHome(const std::string &dir) const
	{
		home_link_ = root_ + "/.pathx";
		home_ = dir;
	}

	/* The default home's path when it is a link to a relocated home, else "". */
	const std::string &HomeLink() const { return home_link_; }

	/* A server binary: BinDir()/name. */
	std::string Bin(const std::string &name) const { return BinDir() + "/" + name; }

	/* libpq connection string over the Unix socket in the home. */
	std::string Conninfo(const std::string &dbname = kDevDatabase) const;

	/* The user's --conninfo / PATHX_CONNINFO, "" when not given. */
	const std::string &UserConninfo() const { return user_conninfo_; }

	/* postgresql:// URI over TCP, for printing (password in the password file). */
	std::string Url(const std::string &dbname = kDevDatabase) const;

private:
	void		LoadPgConfig() const;

	std::string root_;
	mutable std::string home_;
	mutable std::string home_link_;
	bool		home_from_user_ = false;
	mutable int port_ = 0;
	mutable bool port_chosen_ = false;
	mutable std::string pg_config_;
	std::string user_conninfo_;

	mutable bool pg_loaded_ = false;
	mutable std::string bindir_;
	mutable std::string pkglibdir_;
	mutable std::string sharedir_;
	mutable int major_ = 0;
};

/*
 * Makes sure the dev cluster is running and the dev database has the
 * extension: what `pathx up` does, quietly when there is nothing to do.
 * Commands that need a database (load, bench, paths, explain, demo,
 * regress) call this first.
 */
void		EnsureUp(const Context &ctx);

/*
 * The database a data command works on: the user's --conninfo when given
 * (nothing is started), else the dev database after EnsureUp().
 */
std::string TargetConninfo(const Context &ctx);

/* True when the dev cluster's postmaster is running. */
bool		ClusterRunning(const Context &ctx);

}							/* namespace pathx */

#endif							/* PATHX_CLI_CONTEXT_H */
