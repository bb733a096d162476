/*
 * process.h
 *	  Child processes for the pathx CLI, always from argument vectors.
 *
 * Every external program (make, initdb, pg_ctl, psql, pg_regress) is
 * started with fork() + execvp() on a vector of arguments, never through a
 * shell string, so paths with spaces or quotes need no escaping and user
 * input can never become shell syntax.  Each command is echoed in one
 * short line before it runs, unless the caller asks for silence.
 *
 * Run as root, initdb and the server refuse to start; commands flagged
 * as_server_user then run as the unprivileged `postgres` OS user: the
 * child drops its groups and ids before exec, so no runuser or sudo is
 * needed.
 */
#ifndef PATHX_CLI_PROCESS_H
#define PATHX_CLI_PROCESS_H

#include <string>
#include <utility>
#include <vector>

namespace pathx
{

struct RunOptions
{
	bool		echo = true;		/* print "     Running <argv>" first */
	bool		capture = false;	/* collect stdout+stderr into RunResult::output */
	bool		quiet = false;		/* send stdout+stderr to /dev/null */
	bool		as_server_user = false; /* when root: run as the server's OS user */
	std::string cwd;				/* "" keeps ours */
	std::string stdout_file;		/* append stdout+stderr to this file */
	std::vector<std::pair<std::string, std::string>> env;	/* set in the child */
};

struct RunResult
{
	int			exit_code = 0;	/* 127: could not exec; 128+N: killed by signal N */
	std::string output;			/* when captured */
};

/* Runs argv to completion.  Throws CliError only when fork itself fails. */
RunResult	Run(const std::vector<std::string> &argv, const RunOptions &opts = RunOptions());

/* Runs argv and throws CliError (with the last output lines) unless it exits 0. */
std::string RunChecked(const std::vector<std::string> &argv, const RunOptions &opts = RunOptions(),
					   const std::string &fix = "");

/* Replaces this process with argv (for `pathx psql`); returns only on failure. */
[[noreturn]] void ExecReplace(const std::vector<std::string> &argv,
							  const std::vector<std::pair<std::string, std::string>> &env);

/* The command line as one short, copy-pasteable line (quoted only where needed). */
std::string FormatCommand(const std::vector<std::string> &argv);

/* Looks `name` up in PATH; "" when absent. */
std::string FindInPath(const std::string &name);

/* The OS user that runs the server when we are root. */
constexpr const char *kServerOsUser = "postgres";

bool		RunningAsRoot();

/* uid/gid of kServerOsUser; false when there is no such user. */
bool		ServerUserIds(unsigned &uid, unsigned &gid);

}							/* namespace pathx */

#endif							/* PATHX_CLI_PROCESS_H */
