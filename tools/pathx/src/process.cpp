/*
 * process.cpp
 *	  fork() + execvp() of argument vectors (see process.h).
 *
 * Output is collected through a pipe when captured; otherwise the child
 * inherits our stdout and stderr.  The child is the only place that
 * changes user ids, so the CLI itself keeps running as whoever started it.
 */
#include "process.h"

#include "ui.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace pathx
{

namespace
{

/* The last `n` lines of `text`, for error messages. */
std::string
LastLines(const std::string &text, int n)
{
	size_t		pos = text.size();

	if (pos > 0 && text[pos - 1] == '\n')
		pos--;
	for (int i = 0; i < n && pos != std::string::npos && pos > 0; i++)
		pos = text.rfind('\n', pos - 1);
	if (pos == std::string::npos || pos == 0)
		return text;
	return text.substr(pos + 1);
}

/*
 * In the child after fork: become the server user.  Only async-signal-
 * safe calls would be strictly correct here; getpwnam was done by the
 * parent, so this uses ids only.
 */
bool
DropToServerUser(uid_t uid, gid_t gid)
{
	if (setgroups(0, nullptr) != 0 && errno != EPERM)
		return false;
	if (setgid(gid) != 0)
		return false;
	if (setuid(uid) != 0)
		return false;
	return true;
}

}							/* namespace */

bool
RunningAsRoot()
{
	return geteuid() == 0;
}

bool
ServerUserIds(unsigned &uid, unsigned &gid)
{
	struct passwd *pw = getpwnam(kServerOsUser);

	if (pw == nullptr)
		return false;
	uid = pw->pw_uid;
	gid = pw->pw_gid;
	return true;
}

std::string
FormatCommand(const std::vector<std::string> &argv)
{
	std::string out;

	for (const std::string &a : argv)
	{
		if (!out.empty())
			out += ' ';
		bool		plain = !a.empty();

		for (char c : a)
			if (!(isalnum(static_cast<unsigned char>(c)) || std::strchr("-_./=:,@%+", c)))
				plain = false;
		if (plain)
			out += a;
		else
		{
			out += '\'';
			for (char c : a)
			{
				if (c == '\'')
					out += "'\\''";
				else
					out += c;
			}
			out += '\'';
		}
	}
	return out;
}

std::string
FindInPath(const std::string &name)
{
	if (name.find('/') != std::string::npos)
		return access(name.c_str(), X_OK) == 0 ? name : "";
	const char *path = std::getenv("PATH");
	std::stringstream ss(path ? path : "/usr/bin:/bin");
	std::string dir;

	while (std::getline(ss, dir, ':'))
	{
		std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
		struct stat st;

		if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
			access(candidate.c_str(), X_OK) == 0)
			return candidate;
	}
	return "";
}

RunResult
Run(const std::vector<std::string> &argv, const RunOptions &opts)
{
	RunResult	result;
	int			pipefd[2] = {-1, -1};
	unsigned	uid = 0,
				gid = 0;
	bool		drop = opts.as_server_user && RunningAsRoot();

	if (argv.empty())
		throw CliError("internal error: empty command");
	if (drop && !ServerUserIds(uid, gid))
		throw CliError(std::string("running as root, and there is no '") + kServerOsUser +
					   "' OS user to run PostgreSQL as (initdb refuses root)",
					   "apt-get install -y postgresql-15 (creates the user), or run pathx as a normal user");
	if (opts.echo)
		Step("Running", FormatCommand(argv));

	std::vector<char *> cargv;

	for (const std::string &a : argv)
		cargv.push_back(const_cast<char *>(a.c_str()));
	cargv.push_back(nullptr);

	if (opts.capture && pipe(pipefd) != 0)
		throw CliError(std::string("pipe() failed: ") + std::strerror(errno));
	std::fflush(stdout);
	std::fflush(stderr);

	pid_t		pid = fork();

	if (pid < 0)
		throw CliError(std::string("fork() failed: ") + std::strerror(errno));
	if (pid == 0)
	{
		/* child: only calls that are safe after fork in a threaded program */
		int			out = -1;

		if (opts.capture)
		{
			close(pipefd[0]);
			out = pipefd[1];
		}
		else if (opts.quiet)
			out = open("/dev/null", O_WRONLY);
		else if (!opts.stdout_file.empty())
			out = open(opts.stdout_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (out >= 0)
		{
			dup2(out, 1);
			dup2(out, 2);
			if (out > 2)
				close(out);
		}
		int			devnull = open("/dev/null", O_RDONLY);

		if (devnull >= 0 && (opts.capture || opts.quiet))
			dup2(devnull, 0);
		if (!opts.cwd.empty() && chdir(opts.cwd.c_str()) != 0)
		{
			dprintf(2, "cannot change directory to %s: %s\n", opts.cwd.c_str(), strerror(errno));
			_exit(127);
		}
		for (const auto &kv : opts.env)
			setenv(kv.first.c_str(), kv.second.c_str(), 1);
		if (drop && !DropToServerUser(uid, gid))
		{
			dprintf(2, "cannot switch to the %s OS user: %s\n", kServerOsUser, strerror(errno));
			_exit(127);
		}
		execvp(cargv[0], cargv.data());
		dprintf(2, "cannot run %s: %s\n", cargv[0], strerror(errno));
		_exit(127);
	}

	if (opts.capture)
	{
		char		buf[8192];
		ssize_t		n;

		close(pipefd[1]);
		while ((n = read(pipefd[0], buf, sizeof(buf))) != 0)
		{
			if (n < 0)
			{
				if (errno == EINTR)
					continue;
				break;
			}
			result.output.append(buf, static_cast<size_t>(n));
		}
		close(pipefd[0]);
	}

	int			status = 0;

	while (waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
			throw CliError(std::string("waitpid() failed: ") + std::strerror(errno));
	}
	if (WIFEXITED(status))
		result.exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		result.exit_code = 128 + WTERMSIG(status);
	return result;
}

std::string
RunChecked(const std::vector<std::string> &argv, const RunOptions &opts, const std::string &fix)
{
	RunOptions	o = opts;

	/* Capture so that a failure can show the end of what the command said. */
	bool		show = !opts.capture && !opts.quiet && opts.stdout_file.empty();

	o.capture = true;
	RunResult	r = Run(argv, o);

	if (show && r.exit_code != 0)
		std::fputs(r.output.c_str(), stderr);
	if (r.exit_code != 0)
	{
		std::string msg = FormatCommand({argv[0]}) + " failed (exit status " +
			std::to_string(r.exit_code) + ")";

		if (!show && !r.output.empty())
			msg += ":\n" + LastLines(r.output, 20);
		throw CliError(msg, fix);
	}
	if (show)
		std::fputs(r.output.c_str(), stdout);
	return r.output;
}

void
ExecReplace(const std::vector<std::string> &argv,
			const std::vector<std::pair<std::string, std::string>> &env)
{
	std::vector<char *> cargv;

	for (const std::string &a : argv)
		cargv.push_back(const_cast<char *>(a.c_str()));
	cargv.push_back(nullptr);
	for (const auto &kv : env)
		setenv(kv.first.c_str(), kv.second.c_str(), 1);
	std::fflush(stdout);
	std::fflush(stderr);
	execvp(cargv[0], cargv.data());
	std::fprintf(stderr, "error: cannot run %s: %s\n", argv[0].c_str(), std::strerror(errno));
	std::exit(127);
}

}							/* namespace pathx */
