/*
 * process.cpp
 *	  fork() + execve() of argument vectors (see process.h).
 *
 * Output is collected through a pipe when captured; otherwise the child
 * inherits our stdout and stderr.  The child is the only place that
 * changes user ids, so the CLI itself keeps running as whoever started it.
 * Code that runs between fork() and execve() (or _exit()) is marked so;
 * it uses system calls on data the parent prepared, nothing else.
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

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

extern char **environ;

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
 * After fork: become the server user.  getpwnam was done by the parent, so
 * this uses ids only.
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

/* After fork: "<prefix><strerror(err)>\n" on stderr, with write() only. */
void
ChildReport(const std::string &prefix, int err)
{
	/* strerrordesc_np, unlike strerror, neither translates nor allocates */
	const char *desc = strerrordesc_np(err);

	if (write(2, prefix.data(), prefix.size()) < 0 ||
		(desc != nullptr && write(2, desc, std::strlen(desc)) < 0) ||
		write(2, "\n", 1) < 0)
		return;
}

/* PATH's search as execvp does it, in a given PATH value. */
std::string
SearchPath(const std::string &name, const char *path)
{
	std::stringstream ss(path ? path : "/bin:/usr/bin");
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

/*
 * The child's environment: ours, with each of `overrides` replacing a
 * variable of that name or added (the last setting of a name wins, as
 * with successive setenv calls).
 */
std::vector<std::string>
BuildEnvironment(const std::vector<std::pair<std::string, std::string>> &overrides)
{
	std::vector<std::string> env;
	auto		overridden = [&overrides](const std::string &name, size_t from) {
		for (size_t i = from; i < overrides.size(); i++)
			if (overrides[i].first == name)
				return true;
		return false;
	};

	for (char **e = environ; e != nullptr && *e != nullptr; e++)
	{
		std::string entry(*e);

		if (!overridden(entry.substr(0, entry.find('=')), 0))
			env.push_back(entry);
	}
	for (size_t i = 0; i < overrides.size(); i++)
		if (!overridden(overrides[i].first, i + 1))
			env.push_back(overrides[i].first + "=" + overrides[i].second);
	return env;
}

/* NULL-terminated pointers into `strings`, for execve. */
std::vector<char *>
CStrings(const std::vector<std::string> &strings)
{
	std::vector<char *> out;

	for (const std::string &a : strings)
		out.push_back(const_cast<char *>(a.c_str()));
	out.push_back(nullptr);
	return out;
}

/*
 * The file execve() should run for argv[0]: a name with a slash as it is,
 * else the first match in the PATH of `env`; "" when there is none.
 */
std::string
ResolveProgram(const std::string &name, const std::vector<std::string> &env)
{
	if (name.find('/') != std::string::npos)
		return name;
	const char *path = nullptr;

	for (const std::string &e : env)
		if (e.rfind("PATH=", 0) == 0)
			path = e.c_str() + 5;
	return SearchPath(name, path);
}

/* Not an errno: what WriteNoFollow returns for a FIFO, device or directory. */
constexpr int kNotRegularFile = 200;

/*
 * The write of WriteFileNoFollow, with system calls only (it runs after
 * fork when done as the server user).  Returns 0 or an errno.
 */
int
WriteNoFollow(const char *path, const char *data, size_t len, bool append)
{
	/* O_NONBLOCK: a FIFO planted in place of the file must not hang us */
	int			fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
						  (append ? O_APPEND : 0), 0600);
	struct stat st;
	int			err = 0;

	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = kNotRegularFile;
	else if (!append && (ftruncate(fd, 0) != 0 || fchmod(fd, 0600) != 0))
		err = errno;
	while (err == 0 && len > 0)
	{
		ssize_t		n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			err = n < 0 ? errno : EIO;
		else
		{
			data += n;
			len -= static_cast<size_t>(n);
		}
	}
	if (close(fd) != 0 && err == 0)
		err = errno;
	return err;
}

}							/* namespace */

std::string
ReadFileNoFollow(const std::string &path, size_t limit)
{
	int			fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	std::string text;

	if (fd < 0)
		return "";
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
	{
		char		buf[8192];
		ssize_t		got;

		while (text.size() < limit &&
			   (got = read(fd, buf, std::min(sizeof(buf), limit - text.size()))) > 0)
			text.append(buf, static_cast<size_t>(got));
	}
	close(fd);
	return text;
}

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
	return SearchPath(name, std::getenv("PATH"));
}

void
WriteFileNoFollow(const std::string &path, const std::string &content, bool append,
				  bool as_server_user)
{
	unsigned	uid = 0,
				gid = 0;
	int			err;

	if (as_server_user && RunningAsRoot())
	{
		if (!ServerUserIds(uid, gid))
			throw CliError(std::string("running as root, and there is no '") + kServerOsUser +
						   "' OS user to own " + path);
		std::fflush(stdout);
		std::fflush(stderr);
		pid_t		pid = fork();

		if (pid < 0)
			throw CliError(std::string("fork() failed: ") + std::strerror(errno));
		if (pid == 0)
		{
			/* child, after fork: system calls only; the exit status is the errno */
			if (!DropToServerUser(uid, gid))
				_exit(errno != 0 ? errno : EPERM);
			_exit(WriteNoFollow(path.c_str(), content.data(), content.size(), append));
		}
		int			status = 0;

		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				throw CliError(std::string("waitpid() failed: ") + std::strerror(errno));
		err = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
	}
	else
		err = WriteNoFollow(path.c_str(), content.data(), content.size(), append);

	if (err == ELOOP)
		throw CliError("refusing to write through the symbolic link " + path +
					   " (pathx writes only files it can open without following a link)",
					   "find out who made the link; remove it (rm " + FormatCommand({path}) +
					   ") and run the command again");
	if (err == kNotRegularFile)
		throw CliError("refusing to write " + path + ": it is not a regular file",
					   "remove it (rm " + FormatCommand({path}) + ") and run the command again");
	if (err != 0)
		throw CliError("cannot write " + path + ": " + std::strerror(err));
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

	/* everything the child needs, built here: it must not allocate */
	std::vector<char *> cargv = CStrings(argv);
	std::vector<std::string> env = BuildEnvironment(opts.env);
	std::vector<char *> cenv = CStrings(env);
	std::string program = ResolveProgram(argv[0], env);
	std::string cannot_run = "cannot run " + argv[0] + ": ";
	std::string cannot_switch = std::string("cannot switch to the ") + kServerOsUser + " OS user: ";
	std::string cannot_cd = "cannot change directory to " + opts.cwd + ": ";
	std::string cannot_open = "cannot open " + opts.stdout_file + " for the output: ";

	if (opts.capture && pipe(pipefd) != 0)
		throw CliError(std::string("pipe() failed: ") + std::strerror(errno));
	std::fflush(stdout);
	std::fflush(stderr);

	pid_t		pid = fork();

	if (pid < 0)
		throw CliError(std::string("fork() failed: ") + std::strerror(errno));
	if (pid == 0)
	{
		/* child, after fork: system calls on what the parent prepared, nothing else */
		int			out = -1;

		if (opts.capture)
		{
			close(pipefd[0]);
			out = pipefd[1];
		}
		else if (opts.quiet)
			out = open("/dev/null", O_WRONLY);
		if (out >= 0)
		{
			dup2(out, 1);
			dup2(out, 2);
			if (out > 2)
				close(out);
		}
		/* before any file or directory is reached: with the server user's rights */
		if (drop && !DropToServerUser(uid, gid))
		{
			ChildReport(cannot_switch, errno);
			_exit(127);
		}
		if (!opts.capture && !opts.quiet && !opts.stdout_file.empty())
		{
			out = open(opts.stdout_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600);
			if (out < 0)
			{
				ChildReport(cannot_open, errno);
				_exit(127);
			}
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
			ChildReport(cannot_cd, errno);
			_exit(127);
		}
		if (program.empty())
			ChildReport(cannot_run, ENOENT);
		else
		{
			execve(program.c_str(), cargv.data(), cenv.data());
			ChildReport(cannot_run, errno);
		}
		_exit(127);
	}

	if (opts.capture)
	{
		char		buf[8192];
		ssize_t		n;
		size_t		line_start = 0;

		close(pipefd[1]);
		while ((n = read(pipefd[0], buf, sizeof(buf))) != 0)
		{
			if (n < 0)
			{
				if (errno == EINTR)
					continue;
				break;
			}
			size_t		done = result.output.size();

			result.output.append(buf, static_cast<size_t>(n));
			if (opts.on_line)
			{
				/* hand over every line completed by this read */
				size_t		nl;

				while ((nl = result.output.find('\n', done)) != std::string::npos)
				{
					opts.on_line(result.output.substr(line_start, nl - line_start));
					line_start = done = nl + 1;
				}
			}
		}
		close(pipefd[0]);
		if (opts.on_line && line_start < result.output.size())
			opts.on_line(result.output.substr(line_start));
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

	/*
	 * Capture so that a failure can show the end of what the command said;
	 * when the caller neither captures nor silences it, each line is also
	 * shown as it comes.
	 */
	bool		show = !opts.capture && !opts.quiet && opts.stdout_file.empty();

	o.capture = true;
	if (show && !o.on_line)
		o.on_line = [](const std::string &line) {
			std::fputs(line.c_str(), stdout);
			std::fputc('\n', stdout);
			std::fflush(stdout);
		};
	RunResult	r = Run(argv, o);

	if (r.exit_code != 0)
	{
		std::string msg = FormatCommand({argv[0]}) + " failed (exit status " +
			std::to_string(r.exit_code) + ")";

		if (!show && !r.output.empty())
			msg += ":\n" + LastLines(r.output, 20);
		throw CliError(msg, fix);
	}
	return r.output;
}

void
ExecReplace(const std::vector<std::string> &argv,
			const std::vector<std::pair<std::string, std::string>> &env)
{
	/* the same environment and program lookup as Run's children get */
	std::vector<char *> cargv = CStrings(argv);
	std::vector<std::string> child_env = BuildEnvironment(env);
	std::vector<char *> cenv = CStrings(child_env);
	std::string program = ResolveProgram(argv[0], child_env);

	std::fflush(stdout);
	std::fflush(stderr);
	if (!program.empty())
		execve(program.c_str(), cargv.data(), cenv.data());
	std::fprintf(stderr, "error: cannot run %s: %s\n", argv[0].c_str(),
				 std::strerror(program.empty() ? ENOENT : errno));
	std::exit(127);
}

}							/* namespace pathx */
