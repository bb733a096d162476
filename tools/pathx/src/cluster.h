/*
 * cluster.h
 *	  The dev cluster's life cycle: build and install the extension, create
 *	  the cluster, start and stop it, create the dev database.
 *
 * Layout of the home (context.h): data/ (the data directory, 0700),
 * server.log, password (the `postgres` role's password for TCP, 0600),
 * pgpass (a libpq password file for it), initdb.log, regress/ (pg_regress
 * output).  Settings pathx owns live in data/pathx.conf, included from
 * postgresql.conf, so `pg_ctl start` alone brings the cluster up as pathx
 * configured it.  The listen address is also forced to 127.0.0.1 on the
 * postmaster's command line, which outranks ALTER SYSTEM: the dev cluster
 * never listens beyond loopback.  The socket directory is the home, kept
 * private (0700), and only the socket trusts its users; TCP needs the
 * scram password.
 *
 * As root every server-side command runs as the `postgres` OS user, who
 * owns the home.  When that user cannot reach the default home (a clone
 * under /root, say), the home is moved to a new directory with a random
 * name, /var/tmp/pathx-XXXXXX (mkdtemp), and .pathx becomes a symbolic
 * link to it: the one link pathx follows, since it made it.
 *
 * Nobody else may prepare the home for us.  pathx creates it itself
 * (mkdir or mkdtemp, which fail on any existing entry), then sets mode,
 * owner and the marker file .pathx-home through a descriptor opened
 * without following links.  An existing home is used only when it is a
 * real directory (lstat: not a link) owned by the user who will run the
 * server, with mode 0700; anything else is refused, naming the path.
 * The server user owns everything inside, so root writes nothing there
 * itself: the files pathx writes in the home (password, pgpass,
 * data/pathx.conf, initdb.log, the include in postgresql.conf) are
 * written by a child running as that user, opened with O_NOFOLLOW
 * (WriteFileNoFollow in process.h).  A link planted by that user then
 * gets a refusal, and can at most reach files that user could write
 * anyway.  `pathx destroy` deletes only a directory with the marker.
 */
#ifndef PATHX_CLI_CLUSTER_H
#define PATHX_CLI_CLUSTER_H

#include "context.h"

#include <string>
#include <utility>
#include <vector>

namespace pathx
{

/* make + make install of the extension, skipped when nothing changed. */
void		BuildAndInstall(const Context &ctx, bool force);

/* True when `make -q` says the build is current and the installed files match it. */
bool		BuildIsFresh(const Context &ctx);

/*
 * The file `pathx up` writes in a home it created; `pathx destroy` deletes
 * only a directory that has it.
 */
constexpr const char *kHomeMarker = ".pathx-home";

/*
 * Creates the home (0700, owned by the server user, with the marker) if
 * needed, relocating it as root (see above); refuses an existing home
 * that is not a private directory of the server user.  Throws CliError.
 */
void		PrepareHome(const Context &ctx);

/* True when `dir` is a real directory holding kHomeMarker. */
bool		IsPathxHome(const std::string &dir);

/*
 * Deletes a home IsPathxHome() accepts, and the .pathx link to it; links
 * inside are removed, never followed.  Throws CliError.
 */
void		RemoveHome(const Context &ctx);

bool		ClusterInitialized(const Context &ctx);

/* initdb with scram on TCP, trust on the socket; writes password, pgpass, pathx.conf. */
void		InitCluster(const Context &ctx);

/*
 * What a start may change beyond the dev defaults, for harnesses (the
 * test suites, the benchmark) that run throwaway clusters through pathx:
 * no TCP at all, and server settings for this start.
 */
struct StartOptions
{
	bool		socket_only = false;	/* listen_addresses = '': the socket only */
	std::vector<std::pair<std::string, std::string>> settings;	/* NAME = VALUE, this start */
};

/* Rewrites data/pathx.conf for ctx.Port(), the home's socket and opts.settings. */
void		WriteServerConf(const Context &ctx, const StartOptions &opts);

/*
 * Makes the cluster a streaming standby of the running cluster of
 * `primary` (pg_basebackup -R over its socket) instead of initdb; the
 * password files are copied so that TCP takes the primary's password.
 */
void		CloneCluster(const Context &ctx, const Context &primary);

/* The first port at or above `from` free on 127.0.0.1; throws CliError. */
int			FirstFreePort(int from);

/* pid of the running postmaster, 0 when it is not running. */
long		PostmasterPid(const Context &ctx);

/* pg_ctl start -w; on failure the end of the server log is in the error. */
void		StartCluster(const Context &ctx, const StartOptions &opts = StartOptions());

/* pg_ctl stop -m fast, or -m immediate (no shutdown checkpoint: a crash, for tests). */
void		StopCluster(const Context &ctx, bool immediate = false);

/* Creates the dev database and the extension, updates an old version. */
void		EnsureDatabase(const Context &ctx);

/* true when nothing listens on 127.0.0.1:port. */
bool		PortIsFree(int port);

/* "pid 1234 (postgres)" for the process listening on the port, "" if unknown. */
std::string PortHolder(int port);

/* default_version from extension/jsonb_pathx.control in the checkout. */
std::string BuiltExtensionVersion(const Context &ctx);

/* The last `n` lines of a regular file (not through a link), "" when unreadable. */
std::string TailFile(const std::string &path, int n);

}							/* namespace pathx */

#endif							/* PATHX_CLI_CLUSTER_H */
