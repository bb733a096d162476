/*
 * process.h
 *	  Child processes for the pathx CLI, always from argument vectors.
 *
 * Every external program (make, initdb, pg_ctl, psql, pg_regress) is
 * started with fork() + execve() on a vector of arguments, never through a
 * shell string, so paths with spaces or quotes need no escaping and user
 * input can never become shell syntax.  Each command is echoed in one
 * short line before it runs, unless the caller asks for silence.
 *
 * The CLI may have threads (libpq, the benchmark's writers), and after
 * fork() the child may only make async-signal-safe calls: a lock another
 * thread held at the fork (malloc's, the environment's) stays held in the
 * child forever.  So everything that allocates is done in the parent:
 * the child's environment (ours with RunOptions::env applied), the
 * program's path (looked up in that environment's PATH, as execvp would),
 * the error messages; the child only redirects, switches user, changes
 * directory and calls execve().
 *
 * Run as root, initdb and the server refuse to start; commands flagged
 * as_server_user then run as the unprivileged `postgres` OS user: the
 * child drops its groups and ids before it opens any file or enters the
 * working directory, so that what it touches is checked against that
 * user's rights, and no runuser or sudo is needed.  Files pathx writes
 * into directories that user owns are written the same way
 * (WriteFileNoFollow), since that user could swap them for links.
 */
#ifndef PATHX_CLI_PROCESS_H
#define PATHX_CLI_PROCESS_H

#include <functional>
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
	std::vector<std::pair<std::string, std::string>> env;	/* added to the child's environment */

	/*
	 * With capture: called in the parent with each line of output (without
	 * its newline) as soon as the child has written it, so that a long
	 * build or test run shows its progress as it happens rather than all at
	 * once at the end.  The output is still collected in RunResult::output.
	 */
	std::function<void(const std::string &)> on_line;
};

struct RunResult
{
	int			exit_code = 0;	/* 127: could not exec; 128+N: killed by signal N */
	std::string output;			/* when captured */
};

/* Runs argv to completion.  Throws CliError only when fork itself fails. */
RunResult	Run(const std::vector<std::string> &argv, const RunOptions &opts = RunOptions());

/*
 * Runs argv and throws CliError (with the last output lines) unless it
 * exits 0.  Unless opts says otherwise, the output is shown on stdout line
 * by line as the command writes it.
 */
std::string RunChecked(const std::vector<std::string> &argv, const RunOptions &opts = RunOptions(),
					   const std::string &fix = "");

/* Replaces this process with argv (for `pathx psql`); returns only on failure. */
[[noreturn]] void ExecReplace(const std::vector<std::string> &argv,
							  const std::vector<std::pair<std::string, std::string>> &env);

/* The command line as one short, copy-pasteable line (quoted only where needed). */
std::string FormatCommand(const std::vector<std::string> &argv);

/* Looks `name` up in PATH; "" when absent. */
std::string FindInPath(const std::string &name);

/*
 * Writes `content` to the regular file `path`: created with mode 0600 or
 * truncated (and made 0600), or with `append` added to its end.  Never
 * through a symbolic link at `path`, never into a FIFO or device.  As root
 * with as_server_user, a child running as the server's OS user does the
 * write.  Throws CliError naming the path.
 */
void		WriteFileNoFollow(const std::string &path, const std::string &content, bool append,
							  bool as_server_user);

/*
 * The contents of a regular file, at most limit bytes, opened without
 * following a link and without blocking on a FIFO: for files in a
 * directory another user owns (the server user's home), who could swap
 * them for a link to something of ours or for a FIFO that would hang us.
 * "" when there is no such regular file or it cannot be read.
 */
std::string ReadFileNoFollow(const std::string &path, size_t limit = static_cast<size_t>(-1));

/* The OS user that runs the server when we are root. */
constexpr const char *kServerOsUser = "postgres";

bool		RunningAsRoot();

/* uid/gid of kServerOsUser; false when there is no such user. */
bool		ServerUserIds(unsigned &uid, unsigned &gid);

}							/* namespace pathx */

#endif							/* PATHX_CLI_PROCESS_H */
