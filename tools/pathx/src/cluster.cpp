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
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
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

/* When root, hands a file or directory to the server's OS user. */
void
GiveToServerUser(const std::string &path)
{
	unsigned	uid,
				gid;

	if (RunningAsRoot() && ServerUserIds(uid, gid) && chown(path.c_str(), uid, gid) != 0)
		throw CliError("cannot hand " + path + " to the " + kServerOsUser + " OS user: " +
					   std::strerror(errno));
}

/* Writes a file readable only by its owner (the server user when root). */
void
WritePrivateFile(const std::string &path, const std::string &content)
{
	int			fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		throw CliError("cannot write " + path + ": " + std::strerror(errno));
	bool		ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());

	ok = (fchmod(fd, 0600) == 0) && ok;
	close(fd);
	if (!ok)
		throw CliError("cannot write " + path + ": " + std::strerror(errno));
	GiveToServerUser(path);
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

/* A postgresql.conf string literal: single quotes, quotes doubled. */
std::string
ConfQuote(const std::string &v)
{
	std::string out = "'";

	for (char c : v)
	{
		if (c == '\'')
			out += "''";
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

	for (const std::string &pid : ListDir("/proc"))
	{
		if (pid.empty() || !isdigit(static_cast<unsigned char>(pid[0])))
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
	std::ifstream f(path);
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
	/*
	 * As root, the server user must be able to walk to the home.  A clone
	 * under a private directory (/root) cannot host it; rather than loosen
	 * the user's permissions, keep the cluster in /var/tmp and leave a
	 * symbolic link where contributors look for it.
	 */
	if (RunningAsRoot() && !Exists(ctx.Home()) && !ServerUserCanEnter(ParentDir(ctx.Home())))
	{
		if (ctx.HomeFromUser())
			throw CliError("the " + std::string(kServerOsUser) + " OS user, which runs the server when "
						   "pathx runs as root, cannot enter " + ParentDir(ctx.Home()),
						   "choose a home it can reach, e.g. --home /var/tmp/pathx, or chmod o+x the "
						   "directories above " + ctx.Home());
		std::size_t h = std::hash<std::string>{}(ctx.Root());
		std::ostringstream target;

		target << "/var/tmp/pathx-" << std::hex << (h & 0xffffffffu);
		std::string link = ctx.Home();

		if (mkdir(target.str().c_str(), 0700) != 0 && errno != EEXIST)
			throw CliError("cannot create " + target.str() + ": " + std::strerror(errno));
		if (symlink(target.str().c_str(), link.c_str()) != 0)
			throw CliError("cannot create the link " + link + ": " + std::strerror(errno));
		Step("Linked", link + " -> " + target.str() + " (the " + kServerOsUser +
			 " OS user cannot enter " + ParentDir(link) + ")");
		ctx.RelocateHome(target.str());
	}
	if (!Exists(ctx.Home()) && mkdir(ctx.Home().c_str(), 0700) != 0)
		throw CliError("cannot create the dev home " + ctx.Home() + ": " + std::strerror(errno),
					   "check the permissions of " + ParentDir(ctx.Home()) + ", or use --home DIR");
	/* private: the socket lives here, and trust is granted on the socket */
	if (chmod(ctx.Home().c_str(), 0700) != 0)
		throw CliError("cannot chmod 0700 " + ctx.Home() + ": " + std::strerror(errno));
	GiveToServerUser(ctx.Home());
}

bool
ClusterInitialized(const Context &ctx)
{
	return Exists(ctx.DataDir() + "/PG_VERSION");
}

void
WriteServerConf(const Context &ctx)
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
	WritePrivateFile(ctx.DataDir() + "/pathx.conf", conf.str());
}

void
InitCluster(const Context &ctx)
{
	std::string password = RandomPassword();
	std::string pwfile = ctx.PasswordFile();

	WritePrivateFile(pwfile, password + "\n");

	RunOptions	o = ServerSide(ctx);

	o.stdout_file = ctx.Home() + "/initdb.log";
	RunResult	r = Run({ctx.Bin("initdb"), "-D", ctx.DataDir(), "-U", kDevRole, "-E", "UTF8",
		"--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile}, o);

	if (r.exit_code != 0)
		throw CliError("initdb failed (exit status " + std::to_string(r.exit_code) + "); the end of " +
					   ctx.Home() + "/initdb.log:\n" + TailFile(ctx.Home() + "/initdb.log", 15),
					   "fix the cause above, then: pathx destroy --yes && pathx up");

	std::ofstream pgconf(ctx.DataDir() + "/postgresql.conf", std::ios::app);

	pgconf << "\n# pathx: port, sockets and the dev cluster's settings\ninclude_if_exists = 'pathx.conf'\n";
	pgconf.close();
	if (!pgconf)
		throw CliError("cannot append to " + ctx.DataDir() + "/postgresql.conf");
	WritePrivateFile(ctx.Home() + "/pgpass",
					 "127.0.0.1:*:*:" + std::string(kDevRole) + ":" + password + "\n");
}

long
PostmasterPid(const Context &ctx)
{
	std::ifstream f(ctx.DataDir() + "/postmaster.pid");
	long		pid = 0;

	if (!(f >> pid) || pid <= 0)
		return 0;
	/* EPERM means it exists but is not ours: still running */
	if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
		return 0;
	return pid;
}

void
StartCluster(const Context &ctx)
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
	WriteServerConf(ctx);

	RunOptions	o = ServerSide(ctx);

	o.quiet = true;
	/*
	 * -o reaches the postmaster through pg_ctl's shell, so only fixed text
	 * goes there; the paths are in pathx.conf.  The listen address here
	 * outranks postgresql.auto.conf.
	 */
	RunResult	r = Run({ctx.Bin("pg_ctl"), "-D", ctx.DataDir(), "-l", ctx.ServerLog(), "-w", "-t", "60",
		"-o", "-c listen_addresses=127.0.0.1", "start"}, o);

	if (r.exit_code != 0)
		throw CliError("pg_ctl could not start the dev cluster; the end of " + ctx.ServerLog() + ":\n" +
					   TailFile(ctx.ServerLog(), 15),
					   "fix the cause above (pathx logs shows the whole log), then: pathx up");
}

void
StopCluster(const Context &ctx)
{
	RunOptions	o = ServerSide(ctx);

	o.capture = true;
	RunResult	r = Run({ctx.Bin("pg_ctl"), "-D", ctx.DataDir(), "-m", "fast", "-w", "-t", "60", "stop"}, o);

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
