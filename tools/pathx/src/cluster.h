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
 * under /root, say), the home is moved to /var/tmp/pathx-<hash> and
 * .pathx becomes a symbolic link to it.
 */
#ifndef PATHX_CLI_CLUSTER_H
#define PATHX_CLI_CLUSTER_H

#include "context.h"

#include <string>

namespace pathx
{

/* make + make install of the extension, skipped when nothing changed. */
void		BuildAndInstall(const Context &ctx, bool force);

/* True when `make -q` says the build is current and the installed files match it. */
bool		BuildIsFresh(const Context &ctx);

/* Creates the home (0700, owned by the server user) if needed. */
void		PrepareHome(const Context &ctx);

bool		ClusterInitialized(const Context &ctx);

/* initdb with scram on TCP, trust on the socket; writes password, pgpass, pathx.conf. */
void		InitCluster(const Context &ctx);

/* Rewrites data/pathx.conf for ctx.Port() and the home's socket. */
void		WriteServerConf(const Context &ctx);

/* pid of the running postmaster, 0 when it is not running. */
long		PostmasterPid(const Context &ctx);

/* pg_ctl start -w; on failure the end of the server log is in the error. */
void		StartCluster(const Context &ctx);
void		StopCluster(const Context &ctx);

/* Creates the dev database and the extension, updates an old version. */
void		EnsureDatabase(const Context &ctx);

/* true when nothing listens on 127.0.0.1:port. */
bool		PortIsFree(int port);

/* "pid 1234 (postgres)" for the process listening on the port, "" if unknown. */
std::string PortHolder(int port);

/* default_version from extension/jsonb_pathx.control in the checkout. */
std::string BuiltExtensionVersion(const Context &ctx);

/* The last `n` lines of a file, "" when unreadable. */
std::string TailFile(const std::string &path, int n);

}							/* namespace pathx */

#endif							/* PATHX_CLI_CLUSTER_H */
