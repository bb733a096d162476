/*
 * cluster.cpp
 *	  Dev cluster life cycle (see cluster.h for the layout and the rules).
 */
#include "cluster.h"

#include "process.h"
#include "ui.h"

#include <pqxx/pqxx>

#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <climits>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <sstream>
#include <vector>

namespace pathx
{

namespace
{

bool
Exists(const std::string &path)
{
	struct stat st;

	return stat(path.c_str(), &st) == 0;
}

std::string
ReadFile(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::ostringstream ss;

	ss << f.rdbuf();
	return ss.str();
}

/* Byte-for-byte equality of two files; false when either is unreadable. */
bool
SameFile(const std::string &a, const std::string &b)
{
	std::ifstream fa(a, std::ios::binary),
				fb(b, std::ios::binary);

	if (!fa || !fb)
		return false;
	std::istreambuf_iterator<char> ea,
				eb;

	return std::equal(std::istreambuf_iterator<char>(fa), ea, std::istreambuf_iterator<char>(fb), eb);
}

std::vector<std::string>
ListDir(const std::string &dir)
{
	std::vector<std::string> names;
	DIR		   *d = opendir(dir.c_str());

	if (d == nullptr)
		return names;
	while (struct dirent *e = readdir(d))
		names.push_back(e->d_name);
	closedir(d);
	return names;
}

/*
 * Writes a file in the home readable only by its owner: as the server
 * user when root, who owns the home and so could have put a link there.
 */
void
WritePrivateFile(const std::string &path, const std::string &content)
{
	WriteFileNoFollow(path, content, false, true);
}

/* The user who must own the home: the server user when root, else us. */
uid_t
HomeOwner()
{
	unsigned	uid = 0,
				gid = 0;

	if (!RunningAsRoot())
		return geteuid();
	if (!ServerUserIds(uid, gid))
		throw CliError(std::string("running as root, and there is no '") + kServerOsUser +
					   "' OS user to run PostgreSQL as (initdb refuses root)",
					   "apt-get install -y postgresql-15 (creates the user), or run pathx as a normal user");
	return uid;
}

/* "root" for a uid, or its number. */
std::string
UserName(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw != nullptr ? pw->pw_name : "uid " + std::to_string(uid);
}

/*
 * Refuses an existing home unless it is a real directory of the home's
 * owner with mode 0700: a link or someone else's directory in its place
 * would have pathx (as root) hand over, or write into, what it names.
 */
void
CheckExistingHome(const std::string &home, const struct stat &st, const std::string &link)
{
	std::string problem;
	uid_t		owner = HomeOwner();
	std::string via = link.empty() ? "" : " (" + link + " links to it)";
	std::string fix = link.empty() ?
		"pathx uses only a home it created: remove " + home +
		" if you did not make it for pathx, or choose a path that does not exist yet with --home DIR" :
		"pathx follows only the link it made to a directory it made: find out who replaced " +
		home + "; then rm " + FormatCommand({link}) + " and pathx up makes a new home";

	if (S_ISLNK(st.st_mode))
		throw CliError("refusing to use the dev home " + home + via +
					   ": it is a symbolic link, and pathx never follows a link it did not create", fix);
	if (!S_ISDIR(st.st_mode))
		throw CliError("refusing to use the dev home " + home + via + ": it is not a directory", fix);
	if (st.st_uid != owner)
		problem = "it is owned by " + UserName(st.st_uid) + ", not " + UserName(owner);
	if ((st.st_mode & 07777) != 0700)
	{
		std::ostringstream mode;

		mode << std::oct << std::setw(4) << std::setfill('0') << (st.st_mode & 07777);
		problem += (problem.empty() ? "it has mode " : ", and has mode ") + mode.str() + ", not 0700";
	}
	if (!problem.empty())
		throw CliError("refusing to use the dev home " + home + via + ": " + problem +
					   (st.st_uid == owner ? "" : " (the server runs as " + UserName(owner) + ")"),
					   st.st_uid == owner ? "if you made it for pathx: chmod 700 " + FormatCommand({home}) : fix);
}

/*
 * Makes a directory we have just created (mkdir or mkdtemp succeeded, so
 * the entry is new) a home: the marker, mode 0700, and as root the server
 * user as owner.  All of it through a descriptor opened without following
 * a link, and only if that is still a directory of ours, so that nobody
 * who can write the parent can swap something in between.
 */
void
FinishNewHome(const std::string &dir)
{
	unsigned	uid = 0,
				gid = 0;
	bool		give = RunningAsRoot() && ServerUserIds(uid, gid);
	int			fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		throw CliError("cannot open the new dev home " + dir + ": " + std::strerror(errno));
	if (fstat(fd, &st) != 0 || st.st_uid != geteuid())
	{
		close(fd);
		throw CliError("the new dev home " + dir + " was replaced by someone else's entry while pathx "
					   "set it up; refusing to use it", "find out who did it, remove " + dir + ", run pathx up");
	}
	static const char text[] = "This directory is a jsonb_pathx dev home, made by `pathx up`.\n"
		"`pathx destroy` deletes it, and only directories with this file.\n";
	int			marker = openat(fd, kHomeMarker, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	bool		ok = marker >= 0 &&
		write(marker, text, sizeof(text) - 1) == static_cast<ssize_t>(sizeof(text) - 1) &&
		(!give || fchown(marker, uid, gid) == 0);
	int			err = errno;

	if (marker >= 0)
		close(marker);
	ok = ok && fchmod(fd, 0700) == 0 && (!give || fchown(fd, uid, gid) == 0);
	if (!ok)
		err = errno;
	close(fd);
	if (!ok)
		throw CliError("cannot set up the dev home " + dir + ": " + std::strerror(err));
}

/* A random password from the kernel's generator, as hex. */
std::string
RandomPassword()
{
	unsigned char buf[16];
	std::ifstream f("/dev/urandom", std::ios::binary);

	if (!f.read(reinterpret_cast<char *>(buf), sizeof(buf)))
		throw CliError("cannot read /dev/urandom for the dev cluster's password");
	std::ostringstream ss;

	for (unsigned char c : buf)
		ss << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(c);
	return ss.str();
}

/*
 * A postgresql.conf string literal: single quotes, quotes doubled, and
 * backslashes doubled, since the configuration file (unlike a standard SQL
 * string) reads a backslash as an escape.  Callers keep newlines out: a
 * quoted value cannot hold one.
 */
std::string
ConfQuote(const std::string &v)
{
	std::string out = "'";

	for (char c : v)
	{
		if (c == '\'')
			out += "''";
		else if (c == '\\')
			out += "\\\\";
		else
			out += c;
	}
	return out + "'";
}

/* Can the server's OS user enter `dir`? (Always true when we are not root.) */
bool
ServerUserCanEnter(const std::string &dir)
{
	if (!RunningAsRoot())
		return true;
	RunOptions	o;

	o.echo = false;
	o.quiet = true;
	o.as_server_user = true;
	o.cwd = "/";
	return Run({"test", "-x", dir}, o).exit_code == 0;
}

std::string
ParentDir(const std::string &path)
{
	size_t		slash = path.find_last_of('/');

	return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

/* RunOptions for a server-side command: as the server user, from the home. */
RunOptions
ServerSide(const Context &ctx)
{
	RunOptions	o;

	o.as_server_user = true;
	o.cwd = ctx.Home();
	return o;
}

/* inode of the listening socket on 127.0.0.1/0.0.0.0 (or ::) port, 0 if none. */
unsigned long
ListeningInode(int port)
{
	for (const char *table : {"/proc/net/tcp", "/proc/net/tcp6"})
	{
		std::ifstream f(table);
		std::string line;

		std::getline(f, line);	/* header */
		while (std::getline(f, line))
		{
			std::istringstream ss(line);
			std::string slot,
						local,
						remote,
						state,
						queues,
						timer,
						retr,
						uid,
						timeout;
			unsigned long inode = 0;

			ss >> slot >> local >> remote >> state >> queues >> timer >> retr >> uid >> timeout >> inode;
			size_t		colon = local.rfind(':');

			if (colon == std::string::npos || state != "0A")	/* 0A: LISTEN */
				continue;
			if (std::stoi(local.substr(colon + 1), nullptr, 16) == port)
				return inode;
		}
	}
	return 0;
}

}							/* namespace */

bool
PortIsFree(int port)
{
	int			fd = socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in addr{};

	if (fd < 0)
		return true;
	int			one = 1;

	/* Like the server: TIME_WAIT leftovers of our own must not count. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	addr.sin_family = AF_INET;
	addr.sin_port = htons(static_cast<uint16_t>(port));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool		free_port = bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0;

	close(fd);
	return free_port;
}

std::string
PortHolder(int port)
{
	unsigned long inode = ListeningInode(port);

	if (inode == 0)
		return "";
	std::string want = "socket:[" + std::to_string(inode) + "]";
	std::string self = std::to_string(getpid());

	for (const std::string &pid : ListDir("/proc"))
	{
		/* a descriptor pathx inherited does not make pathx the holder */
		if (pid.empty() || !isdigit(static_cast<unsigned char>(pid[0])) || pid == self)
			continue;
		std::string fd_dir = "/proc/" + pid + "/fd";

		for (const std::string &fd : ListDir(fd_dir))
		{
			char		buf[128];
			ssize_t		n = readlink((fd_dir + "/" + fd).c_str(), buf, sizeof(buf) - 1);

			if (n > 0 && std::string(buf, static_cast<size_t>(n)) == want)
			{
				std::string comm = ReadFile("/proc/" + pid + "/comm");

				while (!comm.empty() && comm.back() == '\n')
					comm.pop_back();
				return "pid " + pid + " (" + comm + ")";
			}
		}
	}
	return "";
}

std::string
TailFile(const std::string &path, int n)
{
	/* logs live in the server user's home */
	std::istringstream f(ReadFileNoFollow(path));
	std::deque<std::string> lines;
	std::string line;

	while (std::getline(f, line))
	{
		lines.push_back(line);
		if (static_cast<int>(lines.size()) > n)
			lines.pop_front();
	}
	std::string out;

	for (const std::string &l : lines)
		out += l + "\n";
	return out;
}

std::string
BuiltExtensionVersion(const Context &ctx)
{
	std::ifstream f(ctx.Root() + "/extension/jsonb_pathx.control");
	std::string line;

	while (std::getline(f, line))
	{
		size_t		q1 = line.find('\''),
					q2 = line.rfind('\'');

		if (line.rfind("default_version", 0) == 0 && q1 != std::string::npos && q2 > q1)
			return line.substr(q1 + 1, q2 - q1 - 1);
	}
	return "";
}

bool
BuildIsFresh(const Context &ctx)
{
	RunOptions	o;

	o.echo = false;
	o.quiet = true;
	if (Run({"make", "-q", "-C", ctx.Root(), "PG_CONFIG=" + ctx.PgConfig()}, o).exit_code != 0)
		return false;
	if (!SameFile(ctx.Root() + "/jsonb_pathx.so", ctx.PkgLibDir() + "/jsonb_pathx.so"))
		return false;
	for (const std::string &name : ListDir(ctx.Root() + "/extension"))
	{
		bool		script = name.rfind("jsonb_pathx", 0) == 0 &&
			(name.size() > 4 && (name.compare(name.size() - 4, 4, ".sql") == 0 ||
								 name == "jsonb_pathx.control"));

		if (script && !SameFile(ctx.Root() + "/extension/" + name, ctx.ShareDir() + "/extension/" + name))
			return false;
	}
	return true;
}

void
BuildAndInstall(const Context &ctx, bool force)
{
	if (!force && BuildIsFresh(ctx))
	{
		Step("Fresh", "jsonb_pathx is built and installed (nothing changed)");
		return;
	}
	RunOptions	o;

	RunChecked({"make", "-s", "-C", ctx.Root(), "PG_CONFIG=" + ctx.PgConfig()}, o,
			   "read the compiler messages above; pathx doctor checks the toolchain");
	RunChecked({"make", "-s", "-C", ctx.Root(), "PG_CONFIG=" + ctx.PgConfig(), "install"}, o,
			   RunningAsRoot() ? "pathx doctor" :
			   "installing into " + ctx.PkgLibDir() + " needs root: sudo make -C " + ctx.Root() +
			   " install, then run pathx up again");
	Step("Installed", "jsonb_pathx " + BuiltExtensionVersion(ctx) + " into " + ctx.ShareDir() + "/extension");
}

void
PrepareHome(const Context &ctx)
{
	struct stat st;
	bool		relocated = !ctx.HomeLink().empty();

	if (relocated)
	{
		/* the link is in the clone, but the directory it names is checked like any home */
		const std::string &home = ctx.Home();

		if (home.rfind(kRelocatedHomePrefix, 0) != 0 ||
			home.find('/', std::strlen(kRelocatedHomePrefix)) != std::string::npos)
			throw CliError("refusing to use the dev home " + home + " (" + ctx.HomeLink() +
						   " links to it): pathx relocates homes only to " + kRelocatedHomePrefix + "XXXXXX",
						   "rm " + FormatCommand({ctx.HomeLink()}) + ", then pathx up makes a new home");
	}
	if (lstat(ctx.Home().c_str(), &st) == 0)
	{
		CheckExistingHome(ctx.Home(), st, ctx.HomeLink());
		return;
	}
	if (errno != ENOENT)
		throw CliError("cannot examine the dev home " + ctx.Home() + ": " + std::strerror(errno));

	/*
	 * As root, the server user must be able to walk to the home.  A clone
	 * under a private directory (/root) cannot host it; rather than loosen
	 * the user's permissions, keep the cluster in /var/tmp and leave a
	 * symbolic link where contributors look for it.  The name is mkdtemp's,
	 * new and unpredictable: a fixed one could be taken by anyone first.
	 * A link whose directory is gone (/var/tmp was cleaned) is replaced.
	 */
	std::string link = relocated ? ctx.HomeLink() : ctx.Home();

	if (relocated || (RunningAsRoot() && !ServerUserCanEnter(ParentDir(ctx.Home()))))
	{
		if (ctx.HomeFromUser())
			throw CliError("the " + std::string(kServerOsUser) + " OS user, which runs the server when "
						   "pathx runs as root, cannot enter " + ParentDir(ctx.Home()),
						   "choose a home it can reach, e.g. --home /var/tmp/pathx, or chmod o+x the "
						   "directories above " + ctx.Home());
		std::string templ = std::string(kRelocatedHomePrefix) + "XXXXXX";
		std::vector<char> buf(templ.begin(), templ.end());

		buf.push_back('\0');
		if (mkdtemp(buf.data()) == nullptr)
			throw CliError("cannot create a directory " + templ + ": " + std::strerror(errno));
		std::string target = buf.data();

		FinishNewHome(target);
		if (relocated && unlink(link.c_str()) != 0)
			throw CliError("cannot replace the link " + link + ": " + std::strerror(errno));
		if (symlink(target.c_str(), link.c_str()) != 0)
			throw CliError("cannot create the link " + link + ": " + std::strerror(errno));
		Step("Linked", link + " -> " + target + " (the " + kServerOsUser +
			 " OS user cannot enter " + ParentDir(link) + ")");
		ctx.RelocateHome(target);
		return;
	}
	if (mkdir(ctx.Home().c_str(), 0700) != 0)
		throw CliError("cannot create the dev home " + ctx.Home() + ": " + std::strerror(errno),
					   "check the permissions of " + ParentDir(ctx.Home()) + ", or use --home DIR");
	FinishNewHome(ctx.Home());
}

bool
IsPathxHome(const std::string &dir)
{
	struct stat st;

	return lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
		lstat((dir + "/" + kHomeMarker).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void
RemoveHome(const Context &ctx)
{
	const std::string &home = ctx.Home();
	struct stat st;

	if (lstat(home.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
		throw CliError("refusing to delete " + home + ": it is a symbolic link, and pathx destroy "
					   "deletes only a home pathx up made", "name the directory itself with --home DIR");
	if (!IsPathxHome(home))
		throw CliError("refusing to delete " + home + ": it has no " + kHomeMarker +
					   " file, so pathx up did not make it",
					   "if it is a dev home you no longer need (an older pathx did not mark its homes), "
					   "delete it yourself");

	/*
	 * remove_all removes links, never what they name.  libstdc++ (GCC 12
	 * and later, PR 104161) walks the tree with openat(O_NOFOLLOW) and
	 * unlinkat, so the server user, who owns everything in the home,
	 * cannot redirect it by swapping a directory for a link midway.
	 */
	std::error_code ec;

	std::filesystem::remove_all(home, ec);
	if (ec)
		throw CliError("cannot delete " + home + ": " + ec.message());

	/* the default home may be our link to the relocated one (see cluster.h) */
	const std::string &link = ctx.HomeLink();
	char		buf[PATH_MAX];
	ssize_t		n = link.empty() ? -1 : readlink(link.c_str(), buf, sizeof(buf));

	if (n > 0 && std::string(buf, static_cast<size_t>(n)) == home && unlink(link.c_str()) != 0)
		throw CliError("cannot remove the link " + link + ": " + std::strerror(errno));
}

bool
ClusterInitialized(const Context &ctx)
{
	return Exists(ctx.DataDir() + "/PG_VERSION");
}

void
WriteServerConf(const Context &ctx, const StartOptions &opts)
{
	std::ostringstream conf;

	conf << "# Written by `pathx up`; it is rewritten on every start with another --port.\n"
		 << "# Your own settings: ALTER SYSTEM, or postgresql.conf.\n"
		 << "port = " << ctx.Port() << "\n"
		 << "listen_addresses = '127.0.0.1'\n"
		 << "unix_socket_directories = " << ConfQuote(ctx.SocketDir()) << "\n"
		 << "unix_socket_permissions = 0700\n"
		 << "password_encryption = 'scram-sha-256'\n"
		 << "shared_buffers = '256MB'\n"
		 << "max_wal_size = '2GB'\n"
		 << "log_line_prefix = '%m [%p] %q%u@%d '\n";
	if (!opts.settings.empty())
		conf << "# Given to this start (pathx up --set); the next pathx up drops them.\n";
	for (const auto &[name, value] : opts.settings)
		conf << name << " = " << ConfQuote(value) << "\n";
	WritePrivateFile(ctx.DataDir() + "/pathx.conf", conf.str());
}

void
InitCluster(const Context &ctx)
{
	std::string password = RandomPassword();
	std::string pwfile = ctx.PasswordFile();

	WritePrivateFile(pwfile, password + "\n");

	RunOptions	o = ServerSide(ctx);

	/* made here for a clear refusal of a planted link; the child opens it O_NOFOLLOW too */
	o.stdout_file = ctx.Home() + "/initdb.log";
	WriteFileNoFollow(o.stdout_file, "", true, true);
	RunResult	r = Run({ctx.Bin("initdb"), "-D", ctx.DataDir(), "-U", kDevRole, "-E", "UTF8",
		"--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile}, o);

	if (r.exit_code != 0)
		throw CliError("initdb failed (exit status " + std::to_string(r.exit_code) + "); the end of " +
					   ctx.Home() + "/initdb.log:\n" + TailFile(ctx.Home() + "/initdb.log", 15),
					   "fix the cause above, then: pathx destroy --yes && pathx up");

	WriteFileNoFollow(ctx.DataDir() + "/postgresql.conf",
					  "\n# pathx: port, sockets and the dev cluster's settings\n"
					  "include_if_exists = 'pathx.conf'\n", true, true);
	WritePrivateFile(ctx.Home() + "/pgpass",
					 "127.0.0.1:*:*:" + std::string(kDevRole) + ":" + password + "\n");
}

void
CloneCluster(const Context &ctx, const Context &primary)
{
	if (!ClusterInitialized(primary) || PostmasterPid(primary) == 0)
		throw CliError("the cluster in " + primary.Home() + " is not running, so nothing can stream from it",
					   "pathx up --home " + primary.Home());

	/* the port it runs on, whatever PATHX_PORT says for this home */
	int			primary_port = primary.ConfiguredPort() != 0 ? primary.ConfiguredPort() : primary.Port();

	/* the primary's password, so that its roles' TCP logins work here too */
	std::string password = ReadFileNoFollow(primary.PasswordFile(), 4096);

	WritePrivateFile(ctx.PasswordFile(), password);
	WritePrivateFile(ctx.Home() + "/pgpass", ReadFileNoFollow(primary.Home() + "/pgpass", 4096));

	RunOptions	o = ServerSide(ctx);

	o.stdout_file = ctx.Home() + "/basebackup.log";
	WriteFileNoFollow(o.stdout_file, "", true, true);

	/*
	 * -R writes primary_conninfo (the primary's socket) and standby.signal;
	 * the copied postgresql.conf includes the primary's pathx.conf, which
	 * StartCluster rewrites for this home's port and socket.
	 */
	RunResult	r = Run({ctx.Bin("pg_basebackup"), "-D", ctx.DataDir(), "-R", "-X", "stream",
		"-h", primary.SocketDir(), "-p", std::to_string(primary_port), "-U", kDevRole}, o);

	if (r.exit_code != 0)
		throw CliError("pg_basebackup failed (exit status " + std::to_string(r.exit_code) + "); the end of " +
					   ctx.Home() + "/basebackup.log:\n" + TailFile(ctx.Home() + "/basebackup.log", 15),
					   "fix the cause above, then: pathx destroy --yes --home " + ctx.Home() +
					   " && pathx up --home " + ctx.Home() + " --standby-of " + primary.Home());
}

int
FirstFreePort(int from)
{
	for (int port = from; port <= 65535; port++)
		if (PortIsFree(port))
			return port;
	throw CliError("no free TCP port on 127.0.0.1 from " + std::to_string(from) + " up");
}

long
PostmasterPid(const Context &ctx)
{
	/* in the server user's data directory: see ReadFileNoFollow */
	std::istringstream f(ReadFileNoFollow(ctx.DataDir() + "/postmaster.pid", 4096));
	long		pid = 0;

	if (!(f >> pid) || pid <= 0)
		return 0;
	/* EPERM means it exists but is not ours: still running */
	if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
		return 0;
	return pid;
}

void
StartCluster(const Context &ctx, const StartOptions &opts)
{
	int			port = ctx.Port();

	if (!PortIsFree(port))
	{
		std::string holder = PortHolder(port);

		throw CliError("port " + std::to_string(port) + " on 127.0.0.1 is already in use" +
					   (holder.empty() ? "" : " by " + holder),
					   "stop that process, or pick another port: pathx up --port " +
					   std::to_string(port + 100) + " (or PATHX_PORT=...)");
	}
	WriteServerConf(ctx, opts);

	RunOptions	o = ServerSide(ctx);

	o.quiet = true;
	/*
	 * -o reaches the postmaster through pg_ctl's shell, so only fixed text
	 * goes there; the paths are in pathx.conf.  The listen address here
	 * outranks postgresql.auto.conf.
	 */
	RunResult	r = Run({ctx.Bin("pg_ctl"), "-D", ctx.DataDir(), "-l", ctx.ServerLog(), "-w", "-t", "120",
		"-o", opts.socket_only ? "-c listen_addresses=''" : "-c listen_addresses=127.0.0.1", "start"}, o);

	if (r.exit_code != 0)
		throw CliError("pg_ctl could not start the dev cluster; the end of " + ctx.ServerLog() + ":\n" +
					   TailFile(ctx.ServerLog(), 15),
					   "fix the cause above (pathx logs shows the whole log), then: pathx up");
}

void
StopCluster(const Context &ctx, bool immediate)
{
	RunOptions	o = ServerSide(ctx);

	o.capture = true;
	RunResult	r = Run({ctx.Bin("pg_ctl"), "-D", ctx.DataDir(), "-m", immediate ? "immediate" : "fast",
		"-w", "-t", "60", "stop"}, o);

	if (r.exit_code != 0)
		throw CliError("pg_ctl could not stop the dev cluster:\n" + r.output +
					   TailFile(ctx.ServerLog(), 10), "pathx logs; then pathx down again");
}

void
EnsureDatabase(const Context &ctx)
{
	{
		pqxx::connection admin(ctx.Conninfo("postgres"));
		pqxx::nontransaction n(admin);

		if (n.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", kDevDatabase).empty())
		{
			Step("Creating", std::string("database ") + kDevDatabase);
			n.exec("CREATE DATABASE " + n.quote_name(kDevDatabase));
		}
	}
	pqxx::connection c(ctx.Conninfo());
	pqxx::work	w(c);
	pqxx::result have = w.exec("SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx'");
	pqxx::result avail = w.exec("SELECT default_version FROM pg_available_extensions "
								"WHERE name = 'jsonb_pathx'");

	if (avail.empty())
		throw CliError("the server has no jsonb_pathx extension installed (" + ctx.ShareDir() +
					   "/extension/jsonb_pathx.control is missing)", "pathx up (builds and installs it)");
	std::string target = avail[0][0].c_str();

	if (have.empty())
	{
		Step("Creating", "extension jsonb_pathx " + target + " in database " + kDevDatabase);
		w.exec("CREATE EXTENSION jsonb_pathx");
	}
	else if (have[0][0].c_str() != target)
	{
		Step("Updating", "extension jsonb_pathx " + std::string(have[0][0].c_str()) + " -> " + target);
		w.exec("ALTER EXTENSION jsonb_pathx UPDATE");
	}
	w.commit();
}

}							/* namespace pathx */
