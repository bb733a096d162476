/*
 * events_gen.cpp
 *	  Webhook event documents for `pathx gen events`: the large-document
 *	  data set of the benchmark (issue #11).
 *
 * What it models.  A table that stores the payloads a GitHub App receives:
 * pull_request and issues events, each a tree of objects and arrays (the
 * repository, its owner, the sender, the pull request or issue with its
 * author, labels, assignees, reviewers, head and base refs, milestone,
 * links), URLs, ISO 8601 timestamps, numbers, booleans and nulls, and a
 * markdown body that makes most of the size.  The JSON text of a document
 * is 6-14 KB (uniform target, about 10 KB on average), so PostgreSQL stores
 * every document compressed and most out of line (TOAST): the case where
 * a seq scan, a B-tree expression index and a GIN recheck all pay for
 * detoasting, and an index that can skip the recheck pays least.
 *
 * Compression.  pglz has no entropy coder, only back references, so text
 * from a small vocabulary shrinks to a fraction; the URLs and repeated user
 * objects shrink too.  The body therefore mixes common words with
 * identifiers built from random syllables, numbers, hashes, paths, issue
 * references and non-ASCII words, and every user, repository and label
 * carries a random node_id: a document is stored at about half its text
 * size, always well above the 2 KB TOAST threshold.
 *
 * Determinism.  As in orders_gen.cpp: our own PRNG (gen_random.h), one
 * stream per document, per user (20,000 of them) and per repository
 * (5,000), keyed by (seed, id); integers and strings only (no floating
 * point printed); nlohmann::json writes the text (its escaper, not ours),
 * keys in insertion order.  The decisions the queries select on are drawn
 * first from the document's stream, one draw each in a fixed order, and
 * everything else from a second stream, so a share never depends on what
 * was decided before it.
 *
 * Shares (per document; repository-level shares hold per document because
 * events pick their repository uniformly, so they vary a little with the
 * seed: 300 organisations among 5,000 repositories is 6% +- 0.3%):
 *   event kind      pull_request 70%, issue 30% (top-level key
 *                   "pull_request" or "issue")
 *   action          pull_request: synchronize 30, labeled 18, closed 14,
 *                   edited 10, opened 8, review_requested 6, assigned 5,
 *                   reopened 4, unlabeled 3, locked 2 (%)
 *                   issue: labeled 25, closed 20, edited 18, assigned 10,
 *                   opened 8, reopened 6, unlabeled 6, pinned 4, locked 3
 *                   => opened 8.0%, reopened 4.6%, locked 2.3%
 *   action extras   label (labeled, unlabeled: 24.3%), changes (edited:
 *                   12.4%), requested_reviewer (review_requested: 4.2%),
 *                   assignee (assigned: 6.5%), before/after (synchronize:
 *                   21%)
 *   repository      owner.type "Organization" 6% (then also a top-level
 *                   "organization" object), else "User"; private true 4%;
 *                   enterprise 2% (top-level "enterprise" object); fork
 *                   8%; archived 1%; language JavaScript 20 ... Shell 3,
 *                   null 2 (%); 0-5 topics; stars log-uniform 0-100,000
 *   users           type "Bot" 3%, site_admin true 0.5% (sender: 0.5%)
 *   pull_request    draft true 10% (7% of documents); state closed when
 *                   the action is closed, merged in 70% of those
 *   labels          each label independently, per item: dependencies 15,
 *                   enhancement 12, needs-review 10, bug 8, documentation
 *                   6, tests 5, ... security 1.5, invalid 0.5 (%), so
 *                   pull_request.labels has bug in 5.6% of documents and
 *                   security in 1.05%
 *   issue.milestone present in 20% of issues (6% of documents); absent,
 *                   not null, otherwise, so that `@? '$.issue.milestone'`
 *                   selects 6% (GitHub sends null; the pull request's
 *                   milestone is always null here)
 *   installation    40% (an App's events carry it)
 *   size            JSON text 6-14 KB: a target uniform over 6,144-14,080
 *                   bytes, which the body reaches or passes by a token
 *   body            the target minus the rest of the document (which is
 *                   4-8 KB, so the body is 0.3-9 KB); CRLF line ends
 *                   in 30% of documents (text typed into GitHub's web form)
 *   times           the event spread evenly over 2024 by id
 * tools/bench/events.queries selects 0.5-10% of rows with these.
 */
#include "events_gen.h"
#include "gen_random.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace pathx
{

namespace
{

using Json = nlohmann::ordered_json;

constexpr long kUsers = 20000;
constexpr long kRepos = 5000;
constexpr std::int64_t kYear2024 = 1704067200;
constexpr std::int64_t kDay = 86400;

/*
 * The body ends with the token or code line that reaches its target, so a
 * document can pass its target by that and a line end (under 200 bytes);
 * targets stop this far below kEventMaxBytes.
 */
constexpr long kBodyOvershoot = 256;

/* stream kinds: user 7 and repository 7 must not share a stream */
enum : std::uint64_t
{
	kDocStream = 0x243f6a8885a308d3ULL,
	kDetailStream = 0x13198a2e03707344ULL,
	kUserStream = 0xa4093822299f31d0ULL,
	kRepoStream = 0x082efa98ec4e6c89ULL,
	kLabelStream = 0x452821e638d01377ULL,
};

Rng
Stream(std::uint64_t seed, std::uint64_t kind, long id)
{
	return Rng(Mix(Mix(seed ^ kind) ^ Mix(static_cast<std::uint64_t>(id))));
}

const char *const kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "zo", "pe",
	"qua", "bri", "dor", "fen", "gal", "hex", "jun", "kor", "lum", "mar", "nix", "op", "pra",
	"quin", "ros", "sel", "tur", "ul", "ven", "wex", "yar", "zen", "ax", "bo", "cy", "de", "el",
	"fi", "go", "hu"};
const long	kSyllableCount = sizeof(kSyllables) / sizeof(kSyllables[0]);

/* A made-up word of `parts` syllables: 40^parts of them, hard to compress. */
std::string
Word(Rng &r, long parts)
{
	std::string w;

	for (long i = 0; i < parts; i++)
		w += kSyllables[r.Below(kSyllableCount)];
	return w;
}

/* Words of a name joined by `sep`: "lumsa-korvi". */
std::string
Name(Rng &r, long words, const char *sep)
{
	std::string n;

	for (long i = 0; i < words; i++)
		n += (i ? sep : "") + Word(r, 2 + r.Below(2));
	return n;
}

struct Person
{
	long		id;
	std::string login;
	std::string node_id;
	bool		bot;
	bool		site_admin;
};

/* A user is a function of its id: the same login in every event. */
Person
MakePerson(std::uint64_t seed, long uid)
{
	static const char *const bots[] = {"dependabot[bot]", "renovate[bot]", "github-actions[bot]",
	"codecov[bot]"};
	Rng			r = Stream(seed, kUserStream, uid);
	Person		p;

	p.bot = r.Chance(0.03);
	p.site_admin = r.Chance(0.005);
	p.id = 1000000 + uid * 1000 + r.Below(1000);
	p.login = p.bot ? bots[r.Below(4)] : Name(r, 1 + r.Below(2), "-");
	if (!p.bot && r.Chance(0.4))
		p.login += std::to_string(r.Below(1000));
	p.node_id = "U_kgDO" + r.Hex(10);
	return p;
}

Json
UserJson(const Person &p, const char *type = nullptr)
{
	return Json{{"login", p.login}, {"id", p.id}, {"node_id", p.node_id},
		{"avatar_url", "https://avatars.githubusercontent.com/u/" + std::to_string(p.id) + "?v=4"},
		{"gravatar_id", ""},
		{"url", "https://api.github.com/users/" + p.login},
		{"html_url", "https://github.com/" + p.login},
		{"type", type ? type : (p.bot ? "Bot" : "User")}, {"site_admin", p.site_admin}};
}

struct Repo
{
	long		id;
	std::string node_id;
	std::string name;
	std::string owner_login;
	Json		owner;
	bool		org;
	bool		is_private;
	bool		enterprise;
	bool		fork;
	bool		archived;
	const char *language;		/* nullptr: null */
	std::vector<std::string> topics;
	long		stars;
	long		forks;
	long		size_kb;
	const char *default_branch;
	const char *license;		/* nullptr: null */
	std::int64_t created;
	std::string description;

	std::string FullName() const { return owner_login + "/" + name; }
	std::string Api() const { return "https://api.github.com/repos/" + FullName(); }
};

/* A repository is a function of its id; the shares are in the header. */
Repo
MakeRepo(std::uint64_t seed, long rid)
{
	static const char *const languages[] = {"JavaScript", "Python", "TypeScript", "Go", "Java",
	"C++", "Rust", "Ruby", "C", "PHP", "Shell", nullptr};
	static const double language_w[] = {0.20, 0.18, 0.14, 0.09, 0.08, 0.06, 0.06, 0.05, 0.05,
	0.04, 0.03, 0.02};
	static const char *const branches[] = {"main", "master", "develop"};
	static const double branch_w[] = {0.80, 0.17, 0.03};
	static const char *const licenses[] = {"mit", "apache-2.0", "gpl-3.0", "bsd-3-clause", nullptr};
	static const double license_w[] = {0.35, 0.20, 0.10, 0.05, 0.30};
	static const char *const topics[] = {"api", "cli", "database", "devops", "docker", "frontend",
		"hacktoberfest", "json", "kubernetes", "library", "machine-learning", "postgresql",
		"react", "security", "testing", "web"};
	Rng			r = Stream(seed, kRepoStream, rid);
	Repo		o;

	/* the queried decisions first, one draw each */
	o.org = r.Chance(0.06);
	o.is_private = r.Chance(0.04);
	o.enterprise = r.Chance(0.02);
	o.fork = r.Chance(0.08);
	o.archived = r.Chance(0.01);

	o.id = 100000000 + rid * 1000 + r.Below(1000);
	o.node_id = "R_kgDO" + r.Hex(10);
	o.name = Name(r, 1 + r.Below(3), "-");
	if (o.org)
	{
		long		org_id = 5000000 + rid * 100 + r.Below(100);

		o.owner_login = Name(r, 1 + r.Below(2), "-") + "-org";
		o.owner = UserJson(Person{org_id, o.owner_login, "O_kgDO" + r.Hex(10), false, false},
						   "Organization");
	}
	else
	{
		Person		p = MakePerson(seed, 1 + r.Below(kUsers));

		o.owner_login = p.login;
		o.owner = UserJson(p);
	}
	o.language = Weighted(r, languages, language_w);
	for (long i = 0, n = r.Below(6); i < n; i++)
		o.topics.push_back(topics[r.Below(16)]);
	std::sort(o.topics.begin(), o.topics.end());
	o.topics.erase(std::unique(o.topics.begin(), o.topics.end()), o.topics.end());
	o.stars = static_cast<long>(std::exp(r.Uniform() * std::log(100001.0))) - 1;
	o.forks = o.stars / (2 + r.Below(20));
	o.size_kb = 10 + r.Below(500000);
	o.default_branch = Weighted(r, branches, branch_w);
	o.license = Weighted(r, licenses, license_w);
	o.created = 1262304000 + r.Below(14L * 365 * kDay);	/* 2010-2023 */
	o.description = Name(r, 3 + r.Below(6), " ");
	return o;
}

/* The repository object of an event; `now` is the event's time. */
Json
RepoJson(const Repo &o, std::int64_t now, long open_issues)
{
	std::string api = o.Api();
	Json		license = nullptr;

	if (o.license)
		license = Json{{"key", o.license}, {"spdx_id", o.license},
			{"url", std::string("https://api.github.com/licenses/") + o.license}};
	return Json{{"id", o.id}, {"node_id", o.node_id}, {"name", o.name}, {"full_name", o.FullName()},
		{"private", o.is_private}, {"owner", o.owner},
		{"html_url", "https://github.com/" + o.FullName()}, {"description", o.description},
		{"fork", o.fork}, {"url", api}, {"issues_url", api + "/issues{/number}"},
		{"pulls_url", api + "/pulls{/number}"}, {"labels_url", api + "/labels{/name}"},
		{"created_at", IsoTime(o.created)}, {"updated_at", IsoTime(now - 3600)},
		{"pushed_at", IsoTime(now - 60)}, {"clone_url", "https://github.com/" + o.FullName() + ".git"},
		{"homepage", nullptr}, {"size", o.size_kb}, {"stargazers_count", o.stars},
		{"watchers_count", o.stars}, {"language", o.language ? Json(o.language) : Json(nullptr)},
		{"has_issues", true}, {"has_wiki", !o.org}, {"has_pages", false},
		{"forks_count", o.forks}, {"mirror_url", nullptr}, {"archived", o.archived},
		{"disabled", false}, {"open_issues_count", open_issues}, {"license", license},
		{"topics", o.topics}, {"visibility", o.is_private ? "private" : "public"},
		{"default_branch", o.default_branch}};
}

struct LabelDef
{
	const char *name;
	const char *color;
	double		share;			/* of items carrying it */
	bool		is_default;		/* one of GitHub's default labels */
};

const LabelDef kLabels[] = {
	{"bug", "d73a4a", 0.08, true}, {"enhancement", "a2eeef", 0.12, true},
	{"documentation", "0075ca", 0.06, true}, {"dependencies", "0366d6", 0.15, false},
	{"good first issue", "7057ff", 0.03, true}, {"help wanted", "008672", 0.04, true},
	{"question", "d876e3", 0.02, true}, {"security", "ee0701", 0.015, false},
	{"performance", "fbca04", 0.03, false}, {"tests", "c5def5", 0.05, false},
	{"ci", "1d76db", 0.04, false}, {"refactor", "bfdadc", 0.04, false},
	{"breaking-change", "b60205", 0.02, false}, {"needs-review", "fef2c0", 0.10, false},
	{"backport", "5319e7", 0.02, false}, {"wontfix", "ffffff", 0.01, true},
	{"duplicate", "cfd3d7", 0.01, true}, {"invalid", "e4e669", 0.005, true},
};
const long	kLabelCount = sizeof(kLabels) / sizeof(kLabels[0]);

/* A repository's label `k`: the same id and node_id in every event. */
Json
LabelJson(std::uint64_t seed, const Repo &o, long k)
{
	Rng			r = Stream(seed, kLabelStream, o.id * 64 + k);
	std::string url_name = kLabels[k].name;

	for (size_t at; (at = url_name.find(' ')) != std::string::npos;)
		url_name.replace(at, 1, "%20");
	return Json{{"id", 4000000000L + o.id % 1000000 * 64 + k}, {"node_id", "LA_kwDO" + r.Hex(12)},
		{"url", o.Api() + "/labels/" + url_name}, {"name", kLabels[k].name},
		{"color", kLabels[k].color}, {"default", kLabels[k].is_default},
		{"description", Name(r, 2 + r.Below(5), " ")}};
}

/*
 * Text pieces.  Put() appends and counts the bytes the piece takes inside
 * a JSON string (quotes, backslashes and line ends are escaped to two), so
 * the body can be sized to the document's target length.
 */
void
Put(std::string &out, long &json_len, const std::string &s)
{
	out += s;
	for (unsigned char c : s)
		json_len += (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') ? 2 : 1;
}

const char *const kCommonWords[] = {"the", "a", "to", "of", "and", "in", "is", "for", "this",
	"that", "with", "when", "on", "it", "be", "we", "should", "not", "fix", "add", "remove",
	"update", "support", "change", "test", "case", "error", "value", "config", "build",
	"release", "version", "issue", "crash", "memory", "leak", "null", "pointer", "handler",
	"request", "response", "client", "server", "timeout", "retry", "cache", "index", "query",
	"parser", "token", "stream", "buffer", "file", "path", "module", "package", "dependency",
	"upgrade", "bump", "from", "into", "after", "before", "because", "which", "also", "now",
	"only", "still", "missing", "broken", "flaky", "slow", "faster", "regression", "behaviour",
	"default", "option", "flag", "docs", "example", "README", "API", "endpoint", "schema",
	"migration", "database", "table", "column", "row", "user", "session", "login", "auth",
	"permission", "header", "cookie", "CI", "workflow", "job", "step", "lint", "warning",
	"deprecated", "async", "thread", "lock", "race", "deadlock", "signal", "event", "webhook",
	"payload", "JSON", "YAML", "Docker", "image", "container", "deploy", "rollback", "logs",
	"metrics", "trace", "benchmark", "works", "fails", "expected", "actual", "see", "above"};
const char *const kUnicodeWords[] = {"café", "naïve", "Zürich", "São Paulo", "日本語", "Привет",
	"—", "→", "✅", "🎉", "🚀", "façade"};

/* One token of prose: mostly words, sometimes what makes text incompressible. */
std::string
Token(Rng &r)
{
	static const char *const exts[] = {"rs", "py", "ts", "go", "cpp", "rb", "yml", "md"};
	double		u = r.Uniform();

	if (u < 0.60)
		return kCommonWords[r.Below(sizeof(kCommonWords) / sizeof(kCommonWords[0]))];
	if (u < 0.78)
	{
		long		words = 1 + r.Below(3);
		const char *sep = r.Chance(0.5) ? "_" : "";
		std::string id = Name(r, words, sep);

		return r.Chance(0.3) ? "`" + id + "`" : id;
	}
	if (u < 0.84)
		return std::to_string(r.Below(100000));
	if (u < 0.88)
		return r.Hex(static_cast<int>(7 + r.Below(6)));
	if (u < 0.91)
	{
		std::string dir = Word(r, 2);
		std::string file = Word(r, 2 + r.Below(2));

		return "src/" + dir + "/" + file + "." + exts[r.Below(8)];
	}
	if (u < 0.93)
		return "#" + std::to_string(1 + r.Below(20000));
	if (u < 0.945)
		return "@" + Name(r, 1, "");
	if (u < 0.965)
		return kUnicodeWords[r.Below(sizeof(kUnicodeWords) / sizeof(kUnicodeWords[0]))];
	return "\"" + std::string(kCommonWords[r.Below(20)]) + "\"";
}

/* A sentence of 5-18 tokens, cut short once the body reaches `target`. */
void
Sentence(Rng &r, std::string &out, long &len, long target)
{
	static const char *const ends[] = {". ", ". ", ". ", "? ", "! ", ": "};

	for (long i = 0, n = 5 + r.Below(14); i < n && len < target; i++)
		Put(out, len, (i ? " " : "") + Token(r));
	Put(out, len, ends[r.Below(6)]);
}

/* A line of code with quotes and backslashes, as bodies paste them. */
std::string
CodeLine(Rng &r)
{
	std::string a = Name(r, 1 + r.Below(2), "_");
	std::string b = Name(r, 1, "");
	std::string c = Word(r, 2);
	std::string n = std::to_string(r.Below(1000));

	/* each draw in its own statement: operands of + are unsequenced */
	switch (r.Below(4))
	{
		case 0:
			return "    " + a + " = " + b + "(\"" + c + "\", " + n + ");";
		case 1:
			return "if (" + a + " == NULL) return \"\\n\";";
		case 2:
			return "+    " + a + ".push(" + b + "[" + n + "]); // " + c;
		default:
			return "-    let " + a + " = \"C:\\\\" + b + "\\\\" + c + "\";";
	}
}

/*
 * A markdown body whose JSON-escaped length reaches `target`: headings,
 * paragraphs, task lists, code blocks and quotes.  It stops after the
 * token or line that reaches the target and is never cut inside one, so
 * it stays valid UTF-8.
 */
std::string
Body(Rng &r, long target, bool crlf)
{
	static const char *const headings[] = {"## Summary", "## Motivation", "## Changes",
		"## Testing", "## Notes", "### Steps to reproduce", "### Expected behaviour",
	"### Actual behaviour", "## Checklist"};
	static const char *const langs[] = {"", "diff", "rust", "python", "js", "sql", "console"};
	const std::string nl = crlf ? "\r\n" : "\n";
	std::string out;
	long		len = 0;

	out.reserve(static_cast<size_t>(target) + 512);
	while (len < target)
	{
		double		u = r.Uniform();

		if (u < 0.15)
			Put(out, len, std::string(headings[r.Below(9)]) + nl + nl);
		else if (u < 0.30)
		{
			for (long i = 0, n = 2 + r.Below(4); i < n && len < target; i++)
			{
				static const char *const bullets[] = {"- [x] ", "- [ ] ", "- ", "* "};

				Put(out, len, bullets[r.Below(4)]);
				Sentence(r, out, len, target);
				Put(out, len, nl);
			}
			Put(out, len, nl);
		}
		else if (u < 0.38)
		{
			Put(out, len, std::string("```") + langs[r.Below(7)] + nl);
			for (long i = 0, n = 2 + r.Below(6); i < n && len < target; i++)
				Put(out, len, CodeLine(r) + nl);
			Put(out, len, "```" + nl + nl);
		}
		else if (u < 0.42)
		{
			Put(out, len, "> ");
			Sentence(r, out, len, target);
			Put(out, len, nl + nl);
		}
		else
		{
			for (long i = 0, n = 2 + r.Below(4); i < n && len < target; i++)
				Sentence(r, out, len, target);
			Put(out, len, nl + nl);
		}
	}
	return out;
}

/* A short text without line ends: titles, old bodies in "changes". */
std::string
Line(Rng &r, long words)
{
	std::string out;
	long		len = 0;

	for (long i = 0; i < words; i++)
		Put(out, len, (i ? " " : "") + Token(r));
	return out;
}

/* A user picked uniformly from the pool, as an object. */
Json
AnyUser(std::uint64_t seed, Rng &r)
{
	return UserJson(MakePerson(seed, 1 + r.Below(kUsers)));
}

/* A branch of a pull request: head or base. */
Json
Ref(const Repo &o, const std::string &ref, const std::string &sha)
{
	return Json{{"label", o.owner_login + ":" + ref}, {"ref", ref}, {"sha", sha},
		{"user", o.owner}, {"repo", Json{{"id", o.id}, {"node_id", o.node_id}, {"name", o.name},
			{"full_name", o.FullName()}, {"private", o.is_private}, {"fork", o.fork},
			{"url", o.Api()}, {"default_branch", o.default_branch}}}};
}

}							/* namespace */

std::string
GenerateEvent(std::uint64_t seed, long id, long rows)
{
	static const char *const pr_actions[] = {"synchronize", "labeled", "closed", "edited", "opened",
	"review_requested", "assigned", "reopened", "unlabeled", "locked"};
	static const double pr_action_w[] = {0.30, 0.18, 0.14, 0.10, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02};
	static const char *const issue_actions[] = {"labeled", "closed", "edited", "assigned", "opened",
	"reopened", "unlabeled", "pinned", "locked"};
	static const double issue_action_w[] = {0.25, 0.20, 0.18, 0.10, 0.08, 0.06, 0.06, 0.04, 0.03};
	static const char *const associations[] = {"CONTRIBUTOR", "MEMBER", "NONE", "COLLABORATOR",
	"OWNER", "FIRST_TIME_CONTRIBUTOR"};
	static const double association_w[] = {0.35, 0.25, 0.20, 0.10, 0.05, 0.05};
	Rng			d = Stream(seed, kDocStream, id);

	/* the decisions the queries select on: one draw each, in this order */
	bool		is_pr = d.Chance(0.70);
	std::string action = is_pr ? Weighted(d, pr_actions, pr_action_w)
		: Weighted(d, issue_actions, issue_action_w);
	long		repo_id = 1 + d.Below(kRepos);
	long		sender_id = 1 + d.Below(kUsers);
	bool		draft = d.Chance(0.10);
	bool		milestone = d.Chance(0.20);
	bool		installation = d.Chance(0.40);
	bool		crlf = d.Chance(0.30);
	long		target = kEventMinBytes + d.Below(kEventMaxBytes - kBodyOvershoot - kEventMinBytes + 1);
	std::vector<long> labels;

	for (long k = 0; k < kLabelCount; k++)
		if (d.Chance(kLabels[k].share))
			labels.push_back(k);

	/* everything else */
	Rng			r = Stream(seed, kDetailStream, id);
	Repo		repo = MakeRepo(seed, repo_id);
	std::int64_t now = kYear2024 + static_cast<std::int64_t>(
		static_cast<double>(id - 1) * 366 * kDay / static_cast<double>(std::max(1L, rows)));
	std::int64_t created = now - r.Below(30 * kDay);
	long		number = 1 + r.Below(20000);
	bool		closed = action == "closed";
	std::string item_url = repo.Api() + (is_pr ? "/pulls/" : "/issues/") + std::to_string(number);
	std::string html_url = "https://github.com/" + repo.FullName() + (is_pr ? "/pull/" : "/issues/") +
		std::to_string(number);
	std::string head_sha;
	Json		label_list = Json::array();
	Json		assignees = Json::array();

	for (long k : labels)
		label_list.push_back(LabelJson(seed, repo, k));
	for (long i = 0, n = r.Chance(0.4) ? 1 + r.Below(2) : 0; i < n; i++)
		assignees.push_back(AnyUser(seed, r));

	Json		item{{"url", item_url}, {"id", 2000000000L + id}, {"node_id", (is_pr ? "PR_kwDO" : "I_kwDO") + r.Hex(12)},
		{"html_url", html_url}, {"number", number}, {"state", closed ? "closed" : "open"},
		{"locked", action == "locked"}, {"title", Line(r, 4 + r.Below(9))},
		{"user", AnyUser(seed, r)}, {"body", ""}, {"labels", label_list},
		{"created_at", IsoTime(created)}, {"updated_at", IsoTime(now)},
		{"closed_at", closed ? Json(IsoTime(now)) : Json(nullptr)},
		{"assignee", assignees.empty() ? Json(nullptr) : assignees[0]}, {"assignees", assignees},
		{"author_association", Weighted(r, associations, association_w)},
		{"active_lock_reason", action == "locked" ? Json("resolved") : Json(nullptr)}};

	if (is_pr)
	{
		bool		merged = closed && r.Chance(0.70);
		const char *head_kind = r.Chance(0.2) ? "dependabot/" : "feature/";
		std::string head_ref = head_kind + Name(r, 2, "-");

		head_sha = r.Hex(40);
		Json		reviewers = Json::array();

		for (long i = 0, n = r.Below(4); i < n; i++)
			reviewers.push_back(AnyUser(seed, r));
		item["diff_url"] = html_url + ".diff";
		item["patch_url"] = html_url + ".patch";
		item["issue_url"] = repo.Api() + "/issues/" + std::to_string(number);
		item["commits_url"] = item_url + "/commits";
		item["statuses_url"] = repo.Api() + "/statuses/" + head_sha;
		item["draft"] = draft;
		item["merged"] = merged;
		item["merged_at"] = merged ? Json(IsoTime(now)) : Json(nullptr);
		item["merge_commit_sha"] = merged ? Json(r.Hex(40)) : Json(nullptr);
		item["merged_by"] = merged ? AnyUser(seed, r) : Json(nullptr);
		item["mergeable"] = r.Chance(0.2) ? Json(nullptr) : Json(r.Chance(0.85));
		item["mergeable_state"] = Json(r.Chance(0.6) ? "clean" : (r.Chance(0.5) ? "blocked" : "unknown"));
		item["requested_reviewers"] = reviewers;
		item["requested_teams"] = Json::array();
		item["milestone"] = nullptr;
		item["auto_merge"] = nullptr;
		item["head"] = Ref(repo, head_ref, head_sha);
		item["base"] = Ref(repo, repo.default_branch, r.Hex(40));
		item["comments"] = r.Below(30);
		item["review_comments"] = r.Below(40);
		item["maintainer_can_modify"] = r.Chance(0.5);
		item["commits"] = 1 + r.Below(40);
		item["additions"] = r.Below(5000);
		item["deletions"] = r.Below(3000);
		item["changed_files"] = 1 + r.Below(120);
	}
	else
	{
		item["repository_url"] = repo.Api();
		item["comments_url"] = item_url + "/comments";
		item["comments"] = r.Below(60);
		if (milestone)
		{
			long		m = 1 + r.Below(40);

			item["milestone"] = Json{{"url", repo.Api() + "/milestones/" + std::to_string(m)},
				{"id", 9000000L + repo_id * 50 + m}, {"number", m},
				{"title", "v" + std::to_string(1 + m / 10) + "." + std::to_string(m % 10)},
				{"description", Line(r, 3 + r.Below(8))}, {"creator", repo.owner},
				{"open_issues", r.Below(80)}, {"closed_issues", r.Below(300)},
				{"state", r.Chance(0.8) ? "open" : "closed"}, {"created_at", IsoTime(created - 90 * kDay)},
				{"due_on", r.Chance(0.5) ? Json(nullptr) : Json(IsoTime(now + 30 * kDay))}};
		}
		item["reactions"] = Json{{"url", item_url + "/reactions"}, {"total_count", r.Below(20)},
			{"+1", r.Below(10)}, {"-1", r.Below(3)}, {"laugh", r.Below(3)}, {"hooray", r.Below(3)},
			{"heart", r.Below(5)}, {"rocket", r.Below(4)}, {"eyes", r.Below(4)}};
		item["state_reason"] = closed ? Json(r.Chance(0.8) ? "completed" : "not_planned") : Json(nullptr);
		item["performed_via_github_app"] = nullptr;
	}

	Json		doc{{"action", action}, {"number", number}};
	const char *item_key = is_pr ? "pull_request" : "issue";

	doc[item_key] = std::move(item);
	if (action == "labeled" || action == "unlabeled")
	{
		/* the label added is among the item's labels; one removed is not */
		if (action == "labeled" && !labels.empty())
			doc["label"] = LabelJson(seed, repo, labels[static_cast<size_t>(r.Below(static_cast<long>(labels.size())))]);
		else
			doc["label"] = LabelJson(seed, repo, r.Below(kLabelCount));
	}
	else if (action == "edited")
		doc["changes"] = r.Chance(0.5) ? Json{{"title", Json{{"from", Line(r, 4 + r.Below(8))}}}}
			: Json{{"body", Json{{"from", Line(r, 20 + r.Below(60))}}}};
	else if (action == "review_requested")
		doc["requested_reviewer"] = AnyUser(seed, r);
	else if (action == "assigned")
		doc["assignee"] = AnyUser(seed, r);
	else if (action == "synchronize")
	{
		doc["before"] = r.Hex(40);
		doc["after"] = head_sha;
	}
	doc["repository"] = RepoJson(repo, now, r.Below(500));
	if (repo.org)
		doc["organization"] = Json{{"login", repo.owner_login}, {"id", repo.owner["id"]},
			{"node_id", repo.owner["node_id"]}, {"url", "https://api.github.com/orgs/" + repo.owner_login},
			{"description", Line(r, 5)}};
	if (repo.enterprise)
		doc["enterprise"] = Json{{"id", 1 + repo_id % 97}, {"slug", "ent-" + std::to_string(repo_id % 97)},
			{"name", "Enterprise " + std::to_string(repo_id % 97)}, {"created_at", IsoTime(repo.created)}};
	doc["sender"] = UserJson(MakePerson(seed, sender_id));
	if (installation)
		doc["installation"] = Json{{"id", 30000000 + repo_id}, {"node_id", "MDIzOkludGVncmF0aW9u" + r.Hex(8)}};

	/* the body fills the document up to its target size */
	long		rest = static_cast<long>(doc.dump().size());

	doc[item_key]["body"] = Body(r, std::max(256L, target - rest), crlf);
	return doc.dump();
}

}							/* namespace pathx */
