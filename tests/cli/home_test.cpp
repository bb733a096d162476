/*
 * home_test.cpp
 *	  Tests of the dev home's safety: pathx never follows a link it did not
 *	  create into the home or the files it writes there, and `pathx
 *	  destroy` deletes only a home `pathx up` made.
 *
 * Each case plants what an attacker (another local user, or the
 * `postgres` OS user, who owns the home when pathx runs as root) could
 * plant, runs the CLI, and checks that the target of the plant kept its
 * contents, owner and mode.  The relocation cases need root (only then is
 * the home moved to /var/tmp); they build a fake checkout in a 0700
 * directory the `postgres` user cannot enter, with PATHX_ROOT pointing at
 * it and no PATHX_HOME, which is what a clone under /root looks like.
 */
#include "cli_test_util.h"
#include "cluster.h"
#include "context.h"
#include "process.h"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <sstream>

using pathx_test::CliRun;
using pathx_test::EnvVar;
using pathx_test::RunPathx;
using pathx_test::TempDir;

namespace
{

std::string
Slurp(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::ostringstream ss;

	ss << f.rdbuf();
	return ss.str();
}

void
WriteText(const std::string &path, const std::string &text, mode_t mode)
{
	std::ofstream(path, std::ios::binary) << text;
	chmod(path.c_str(), mode);
}

/* What a planted link's target looked like, to prove it was left alone. */
struct Snapshot
{
	std::string path;
	uid_t		uid;
	gid_t		gid;
	mode_t		mode;
	std::string content;		/* files only */

	explicit Snapshot(const std::string &p) : path(p)
	{
		struct stat st;

		BOOST_REQUIRE_MESSAGE(lstat(p.c_str(), &st) == 0, "missing " + p);
		uid = st.st_uid;
		gid = st.st_gid;
		mode = st.st_mode;
		if (S_ISREG(st.st_mode))
			content = Slurp(p);
	}

	void		CheckUnchanged() const
	{
		Snapshot	now(path);

		BOOST_TEST_CONTEXT(path)
		{
			BOOST_TEST(now.uid == uid);
			BOOST_TEST(now.gid == gid);
			BOOST_TEST(now.mode == mode);
			BOOST_TEST(now.content == content);
		}
	}
};

/* A directory with a file in it, both root's (or the tester's), as a victim. */
struct Victim
{
	std::string dir;
	std::string file;

	explicit Victim(const std::string &parent)
		: dir(parent + "/victim"), file(parent + "/victim/keep")
	{
		BOOST_REQUIRE(mkdir(dir.c_str(), 0755) == 0);
		chmod(dir.c_str(), 0755);
		WriteText(file, "do not touch\n", 0644);
	}
};

/*
 * A checkout the `postgres` user cannot enter: <tmp>/clone, 0700, with the
 * control file that makes it a repository root.  Commands run with
 * PATHX_ROOT pointing at it and PATHX_HOME unset, so the home is the
 * default <clone>/.pathx, and as root it is relocated.
 */
struct PrivateClone
{
	TempDir		dir{"pathx-home"};
	std::string root = dir.Path() + "/clone";
	std::string link = root + "/.pathx";
	std::string port = std::to_string(pathx_test::FreePort(29700 + (getpid() % 200)));
	EnvVar		no_home{"PATHX_HOME", nullptr};

	PrivateClone()
	{
		BOOST_REQUIRE(mkdir(root.c_str(), 0700) == 0);
		BOOST_REQUIRE(mkdir((root + "/extension").c_str(), 0755) == 0);
		const char *real_root = std::getenv("PATHX_ROOT");

		BOOST_REQUIRE(real_root != nullptr);
		WriteText(root + "/extension/jsonb_pathx.control",
				  Slurp(std::string(real_root) + "/extension/jsonb_pathx.control"), 0644);
	}

	CliRun		Pathx(std::vector<std::string> args)
	{
		std::vector<std::string> full{"--port", port};

		full.insert(full.end(), args.begin(), args.end());
		return RunPathx(full, {{"PATHX_ROOT", root}});
	}

	/* Where .pathx points, "" when it is not a link. */
	std::string LinkTarget() const
	{
		char		buf[4096];
		ssize_t		n = readlink(link.c_str(), buf, sizeof(buf));

		return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
	}

	~PrivateClone()
	{
		/* never leave a server or a relocated home behind */
		std::string target = LinkTarget();

		RunPathx({"--port", port, "down"}, {{"PATHX_ROOT", root}});
		if (target.rfind("/var/tmp/pathx-", 0) == 0)
		{
			struct stat st;

			if (lstat(target.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
				RunPathx({"destroy", "--yes"}, {{"PATHX_ROOT", root}});
			else
				unlink(target.c_str());
		}
	}
};

/* The relocated name the old code used: predictable from the checkout's path. */
std::string
PredictableRelocation(const std::string &root)
{
	std::ostringstream name;

	name << "/var/tmp/pathx-" << std::hex << (std::hash<std::string>{}(root) & 0xffffffffu);
	return name.str();
}

int
Mode(const std::string &path)
{
	struct stat st;

	return lstat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

bool
IsLink(const std::string &path)
{
	struct stat st;

	return lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

/* A home made the way `pathx up` makes it, without starting anything. */
std::string
MadeHome(const std::string &home)
{
	pathx::GlobalOptions g;

	g.home = home;
	pathx::Context ctx(g);

	pathx::PrepareHome(ctx);
	return ctx.Home();
}

}							/* namespace */

BOOST_AUTO_TEST_SUITE(cli_home)

BOOST_AUTO_TEST_CASE(destroy_refuses_a_directory_up_did_not_make)
{
	TempDir		d;
	std::string dir = d.Path() + "/my files";

	BOOST_REQUIRE(mkdir(dir.c_str(), 0700) == 0);
	WriteText(dir + "/thesis.tex", "years of work\n", 0600);

	for (const std::vector<std::string> &how : {std::vector<std::string>{"destroy", "--yes"},
		 std::vector<std::string>{"--home", dir, "destroy", "--yes"}})
	{
		CliRun		r = RunPathx(how, {{"PATHX_HOME", dir}});

		BOOST_TEST(r.exit_code == 1, r.output);
		BOOST_TEST(r.Says("refusing to delete " + dir), r.output);
		BOOST_TEST(r.Says(pathx::kHomeMarker), r.output);
		BOOST_TEST(Slurp(dir + "/thesis.tex") == "years of work\n");
	}

	/* nor a link to a home, which would be deleting what the link names */
	std::string home = MadeHome(d.Path() + "/real home");
	std::string link = d.Path() + "/link";

	BOOST_REQUIRE(symlink(home.c_str(), link.c_str()) == 0);
	CliRun		viaLink = RunPathx({"--home", link, "destroy", "--yes"});

	BOOST_TEST(viaLink.exit_code == 1, viaLink.output);
	BOOST_TEST(viaLink.Says("symbolic link"), viaLink.output);
	BOOST_TEST(access((home + "/" + pathx::kHomeMarker).c_str(), F_OK) == 0);
}

BOOST_AUTO_TEST_CASE(destroy_deletes_a_home_up_made_and_links_in_it_as_links)
{
	TempDir		d;
	Victim		v(d.Path());
	std::string home = MadeHome(d.Path() + "/dev home");

	BOOST_TEST(Mode(home) == 0700);
	BOOST_TEST(access((home + "/" + pathx::kHomeMarker).c_str(), F_OK) == 0);

	/* what the home's owner could plant: links to a directory and a file outside */
	BOOST_REQUIRE(mkdir((home + "/data").c_str(), 0700) == 0);
	BOOST_REQUIRE(symlink(v.dir.c_str(), (home + "/data/dirlink").c_str()) == 0);
	BOOST_REQUIRE(symlink(v.file.c_str(), (home + "/filelink").c_str()) == 0);
	Snapshot	dir_before(v.dir),
				file_before(v.file);

	CliRun		r = RunPathx({"--home", home, "destroy", "--yes"});

	BOOST_TEST(r.exit_code == 0, r.output);
	BOOST_TEST(r.Says("Removed"), r.output);
	BOOST_TEST(access(home.c_str(), F_OK) != 0);
	dir_before.CheckUnchanged();
	file_before.CheckUnchanged();
}

BOOST_AUTO_TEST_CASE(up_refuses_an_existing_home_it_cannot_trust)
{
	TempDir		d;
	Victim		v(d.Path());
	std::string link = d.Path() + "/home-link";

	BOOST_REQUIRE(symlink(v.dir.c_str(), link.c_str()) == 0);
	Snapshot	dir_before(v.dir),
				file_before(v.file);

	std::string port = std::to_string(pathx_test::FreePort(29600 + (getpid() % 40)));

	/* a link at the home, and an existing directory with the wrong mode (and, as root, owner) */
	for (const std::string &home : {link, v.dir})
	{
		CliRun		r = RunPathx({"--home", home, "--port", port, "up", "--no-build"});

		RunPathx({"--home", home, "down"});

		BOOST_TEST_CONTEXT(home)
		{
			BOOST_TEST(r.exit_code == 1, r.output);
			BOOST_TEST(r.Says("refusing to use the dev home " + home), r.output);
			BOOST_TEST(r.Says(home == link ? "symbolic link" : "mode 0755"), r.output);
		}
	}
	dir_before.CheckUnchanged();
	file_before.CheckUnchanged();
	BOOST_TEST(access((v.dir + "/data").c_str(), F_OK) != 0);
}

BOOST_AUTO_TEST_CASE(files_in_the_home_are_not_written_through_links)
{
	TempDir		d;
	std::string victim = d.Path() + "/victim.conf";

	std::string port = std::to_string(pathx_test::FreePort(29600 + (getpid() % 40)));

	WriteText(victim, "precious = on\n", 0644);
	Snapshot	before(victim);

	/* the first file InitCluster writes, and initdb's log (opened for the child) */
	for (const char *name : {"password", "initdb.log"})
	{
		std::string home = MadeHome(d.Path() + "/home-" + name);
		std::string planted = home + "/" + name;

		BOOST_REQUIRE(symlink(victim.c_str(), planted.c_str()) == 0);
		CliRun		r = RunPathx({"--home", home, "--port", port, "up", "--no-build"});

		RunPathx({"--home", home, "down"});

		BOOST_TEST_CONTEXT(name)
		{
			BOOST_TEST(r.exit_code == 1, r.output);
			BOOST_TEST(r.Says(planted), r.output);
			BOOST_TEST(r.Says("symbolic link"), r.output);
			BOOST_TEST(!r.Says("precious"), r.output);	/* nor read back into the error */
			BOOST_TEST(IsLink(planted));
		}
		before.CheckUnchanged();
	}
}

BOOST_AUTO_TEST_CASE(up_refuses_a_link_at_data_pathx_conf)
{
	TempDir		d;
	std::string home = d.Path() + "/dev home";
	std::string port = std::to_string(pathx_test::FreePort(29650 + (getpid() % 40)));
	std::string victim = d.Path() + "/victim";

	WriteText(victim, "root's file\n", 0644);
	Snapshot	before(victim);

	CliRun		up = RunPathx({"--home", home, "--port", port, "up", "--no-build"});

	BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output);
	BOOST_REQUIRE(RunPathx({"--home", home, "down"}).exit_code == 0);

	/* what the server's OS user, who owns data/, could do between two starts */
	std::string conf = home + "/data/pathx.conf";

	BOOST_REQUIRE(unlink(conf.c_str()) == 0);
	BOOST_REQUIRE(symlink(victim.c_str(), conf.c_str()) == 0);
	CliRun		r = RunPathx({"--home", home, "--port", port, "up", "--no-build"});

	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("refusing to write through the symbolic link " + conf), r.output);
	before.CheckUnchanged();
	BOOST_TEST(IsLink(conf));
	RunPathx({"--home", home, "down"});
}

BOOST_AUTO_TEST_CASE(relocated_home_is_fresh_and_private)
{
	if (!pathx::RunningAsRoot())
	{
		BOOST_TEST_MESSAGE("skipped: the home moves to /var/tmp only when pathx runs as root");
		return;
	}
	PrivateClone c;
	Victim		v(c.dir.Path());
	std::string planted = PredictableRelocation(c.root);

	/* a local user plants the name the relocation used to take */
	BOOST_REQUIRE(symlink(v.dir.c_str(), planted.c_str()) == 0);
	Snapshot	dir_before(v.dir),
				file_before(v.file);

	CliRun		up = c.Pathx({"up", "--no-build"});

	unlink(planted.c_str());
	BOOST_TEST(up.exit_code == 0, up.output);
	dir_before.CheckUnchanged();
	file_before.CheckUnchanged();

	/* the relocation was used: .pathx links to a new private directory of the server user */
	std::string target = c.LinkTarget();

	BOOST_TEST(up.Says("Linked"), up.output);
	BOOST_TEST(target.rfind("/var/tmp/pathx-", 0) == 0, target);
	BOOST_TEST(target != planted);
	struct stat st;

	BOOST_REQUIRE(lstat(target.c_str(), &st) == 0);
	BOOST_TEST(S_ISDIR(st.st_mode));
	BOOST_TEST((st.st_mode & 07777) == 0700u);
	unsigned	uid = 0,
				gid = 0;

	BOOST_REQUIRE(pathx::ServerUserIds(uid, gid));
	BOOST_TEST(st.st_uid == uid);
	BOOST_TEST(access((target + "/" + pathx::kHomeMarker).c_str(), F_OK) == 0);

	CliRun		st2 = c.Pathx({"status"});

	BOOST_TEST(st2.exit_code == 0, st2.output);
	BOOST_TEST(st2.Says("home:       " + target), st2.output);

	/* destroy removes the relocated home and the link to it */
	CliRun		gone = c.Pathx({"destroy", "--yes"});

	BOOST_TEST(gone.exit_code == 0, gone.output);
	BOOST_TEST(access(target.c_str(), F_OK) != 0);
	BOOST_TEST(!IsLink(c.link));
}

BOOST_AUTO_TEST_CASE(up_refuses_a_link_at_the_relocated_home)
{
	if (!pathx::RunningAsRoot())
	{
		BOOST_TEST_MESSAGE("skipped: the home moves to /var/tmp only when pathx runs as root");
		return;
	}
	PrivateClone c;
	Victim		v(c.dir.Path());

	/*
	 * The server user owns the relocated directory, so it can replace it
	 * with a link between two runs; .pathx still names it.
	 */
	char		name[] = "/var/tmp/pathx-XXXXXX";

	BOOST_REQUIRE(mkdtemp(name) != nullptr);
	std::string relocated = name;

	BOOST_REQUIRE(rmdir(name) == 0);
	BOOST_REQUIRE(symlink(v.dir.c_str(), name) == 0);
	BOOST_REQUIRE(symlink(name, c.link.c_str()) == 0);
	Snapshot	dir_before(v.dir),
				file_before(v.file);

	CliRun		r = c.Pathx({"up", "--no-build"});

	BOOST_TEST(r.exit_code == 1, r.output);
	BOOST_TEST(r.Says("refusing to use the dev home " + relocated), r.output);
	BOOST_TEST(r.Says("symbolic link"), r.output);
	dir_before.CheckUnchanged();
	file_before.CheckUnchanged();

	/* nor does destroy delete through it */
	CliRun		d = c.Pathx({"destroy", "--yes"});

	BOOST_TEST(d.exit_code == 1, d.output);
	file_before.CheckUnchanged();
	unlink(name);
}

/*
 * pathx regress keeps its files in <home>/regress, in the server user's
 * home.  That user can plant a link there; root must then write nothing
 * through it (pg_regress's results and the copied tests are written as
 * the server user, who cannot write into root's directory).
 */
BOOST_AUTO_TEST_CASE(regress_does_not_write_through_a_link_in_the_home)
{
	if (!pathx::RunningAsRoot())
	{
		BOOST_TEST_MESSAGE("skipped: only as root does the home belong to another user");
		return;
	}
	TempDir		d;
	Victim		v(d.Path());
	std::string home = d.Path() + "/home";
	std::string port = std::to_string(pathx_test::FreePort(29650 + (getpid() % 40)));
	std::vector<std::string> base{"--home", home, "--port", port};
	auto		pathx = [&base](std::vector<std::string> args) {
		std::vector<std::string> full = base;

		full.insert(full.end(), args.begin(), args.end());
		return RunPathx(full);
	};

	CliRun		up = pathx({"up", "--no-build"});

	BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output);
	std::string planted = home + "/regress";

	BOOST_REQUIRE(symlink(v.dir.c_str(), planted.c_str()) == 0);
	Snapshot	dir_before(v.dir),
				file_before(v.file);
	CliRun		r = pathx({"regress", "edge_cases"});

	BOOST_TEST(r.exit_code != 0, r.output);
	BOOST_TEST(r.Says(planted + "/input"), r.output);
	dir_before.CheckUnchanged();
	file_before.CheckUnchanged();
	BOOST_TEST(access((v.dir + "/results").c_str(), F_OK) != 0);
	BOOST_TEST(access((v.dir + "/input").c_str(), F_OK) != 0);
	BOOST_TEST(access((v.dir + "/regression.out").c_str(), F_OK) != 0);

	/* without the link, the same run passes, its files the server user's */
	BOOST_REQUIRE(unlink(planted.c_str()) == 0);
	CliRun		ok = pathx({"regress", "edge_cases"});
	struct stat st;

	BOOST_TEST(ok.exit_code == 0, ok.output);
	BOOST_TEST(ok.Says("Passed 1"), ok.output);
	BOOST_REQUIRE(lstat((planted + "/results/edge_cases.out").c_str(), &st) == 0);
	unsigned	uid = 0,
				gid = 0;

	BOOST_REQUIRE(pathx::ServerUserIds(uid, gid));
	BOOST_TEST(st.st_uid == uid);
	pathx({"down"});
}

/*
 * The files pathx reads in the data directory (postmaster.pid, pathx.conf)
 * are the server user's: a FIFO there must not hang pathx, and a link
 * must not be read (a link to a file saying "1" made the old code take
 * init for the postmaster).
 */
BOOST_AUTO_TEST_CASE(status_reads_no_fifo_or_link_in_the_data_directory)
{
	TempDir		d;
	std::string home = d.Path() + "/home";
	std::string port = std::to_string(pathx_test::FreePort(29690 + (getpid() % 40)));
	std::string pidfile = home + "/data/postmaster.pid";
	std::string pidtext = d.Path() + "/pid-one";
	auto		pathx = [&](std::vector<std::string> args) {
		/* timeout(1): a hang must fail the case, not the whole suite */
		std::vector<std::string> argv{"timeout", "30", pathx_test::PathxBin(), "--home", home, "--port", port};

		argv.insert(argv.end(), args.begin(), args.end());
		pathx::RunOptions o;

		o.echo = false;
		o.capture = true;
		pathx::RunResult r = pathx::Run(argv, o);

		return CliRun{r.exit_code, r.output};
	};

	CliRun		up = pathx({"up", "--no-build"});

	BOOST_REQUIRE_MESSAGE(up.exit_code == 0, up.output);
	BOOST_REQUIRE(pathx({"down"}).exit_code == 0);

	BOOST_REQUIRE(mkfifo(pidfile.c_str(), 0600) == 0);
	CliRun		fifo = pathx({"status"});

	BOOST_TEST(fifo.exit_code == 3, fifo.output);	/* stopped, not 124 (timed out) */
	BOOST_TEST(fifo.Says("stopped"), fifo.output);
	BOOST_REQUIRE(unlink(pidfile.c_str()) == 0);

	WriteText(pidtext, "1\n", 0644);
	BOOST_REQUIRE(symlink(pidtext.c_str(), pidfile.c_str()) == 0);
	CliRun		link = pathx({"status"});

	BOOST_TEST(link.exit_code == 3, link.output);
	BOOST_TEST(link.Says("stopped"), link.output);
	BOOST_REQUIRE(unlink(pidfile.c_str()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
