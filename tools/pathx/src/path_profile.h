/*
 * path_profile.h
 *	  The path profile of a jsonb column and the index advice drawn from it
 *	  (`pathx paths`), without any SQL.
 *
 * cmd_paths.cpp measures a sample of the column on the server (one
 * recursive walk, one row per path) and fills a Profile; everything after
 * that lives here as pure functions so that the rules can be unit tested
 * on made-up profiles: the distinct-value estimate, the suggestion rules,
 * and the table and JSON renderings.
 *
 * Paths are written the way jsonb_pathx_explain writes them: `$`, member
 * steps `.name` (or `."quoted name"` when the name is not a plain
 * identifier) and `[*]` for every array step, so one path stands for all
 * elements of an array, as in the index's own keys.
 *
 * The suggestion rules (thresholds are the constants below):
 *   default      always: the plain index, which covers every path
 *   paths        few value paths dominate (present in >= half the rows)
 *                while many others are rare: index only the frequent ones
 *   anypath      an object whose member names look dynamic (many names,
 *                most of them in few documents): `.*` / `.**` queries
 *                need path-agnostic keys
 *   exclude      long, nearly all-distinct strings (free text): their keys
 *                only cost space; full-text search serves them better
 *   prefix       strings longer than the default 32 bytes kept in order:
 *                a longer string_prefix keeps ranges and prefixes exact
 *   btree        one scalar path in (nearly) every row with high
 *                cardinality: a B-tree expression index serves equality,
 *                ranges and ORDER BY on it
 * Each suggestion carries a one-line reason quoting the figure behind it.
 */
#ifndef PATHX_CLI_PATH_PROFILE_H
#define PATHX_CLI_PATH_PROFILE_H

#include <cstdint>
#include <string>
#include <vector>

namespace pathx
{

/* Thresholds of the suggestion rules. */
constexpr double kFrequentShare = 0.5;		/* "frequently present" */
constexpr double kDynamicRareShare = 0.05;	/* a member rarer than this (of its parent's rows) is "rare" */
constexpr size_t kDynamicMinMembers = 20;	/* at least this many member names ... */
constexpr double kDynamicRareFraction = 0.75;	/* ... and this fraction of them rare */
constexpr double kFreeTextBytes = 100;		/* average string length of free text */
constexpr double kFreeTextDistinct = 0.9;	/* distinct values / occurrences of free text */
constexpr int kDefaultStringPrefix = 32;	/* the index's default string_prefix */
constexpr int kMaxStringPrefix = 256;
constexpr double kBtreeShare = 0.9;			/* present in nearly every row */
constexpr double kBtreeDistinctRatio = 0.5;	/* distinct values / rows */
constexpr uint64_t kBtreeMinDistinct = 100;

/* JSON types in jsonb_typeof's order of names. */
enum JsonType
{
	kObject,
	kArray,
	kString,
	kNumber,
	kBoolean,
	kNull,
	kJsonTypeCount
};

const char *JsonTypeName(int type);

/* What the sample says about one path. */
struct PathStat
{
	std::string path;
	uint64_t	rows = 0;			/* sampled documents containing the path */
	uint64_t	occurrences = 0;	/* values at the path (arrays give several per row) */
	uint64_t	type_count[kJsonTypeCount] = {0, 0, 0, 0, 0, 0};
	uint64_t	scalar_occurrences = 0;
	uint64_t	scalar_distinct = 0;	/* distinct scalar values in the sample */
	uint64_t	scalar_singletons = 0;	/* scalar values seen exactly once */
	double		distinct_estimate = 0;	/* for the whole table (EstimateDistinct) */
	double		avg_string_bytes = 0;	/* 0 when no strings */
	uint64_t	max_string_bytes = 0;
	int64_t		max_array_length = -1;	/* -1 when never an array */

	double		TypeShare(int type) const
	{
		return occurrences ? double(type_count[type]) / double(occurrences) : 0;
	}
};

struct Profile
{
	std::string table;			/* quoted, as it goes into SQL */
	std::string column;			/* quoted */
	uint64_t	sampled_rows = 0;	/* documents looked at (non-null) */
	uint64_t	null_rows = 0;		/* NULL documents in the sample */
	double		total_rows = 0;		/* estimated rows of the table */
	bool		sampled = false;
	std::string sample_method;	/* "TABLESAMPLE SYSTEM (0.5%)", "" when not sampled */
	std::vector<PathStat> paths;
};

struct Suggestion
{
	std::string kind;			/* default, paths, anypath, exclude_paths, string_prefix, btree */
	std::string statement;		/* SQL to run */
	std::string reason;			/* one line with the motivating figure */
};

/*
 * Distinct values in the whole table from a sample: PostgreSQL ANALYZE's
 * Haas-Stokes estimator n*d / (n - f1 + f1*n/N), where n values were
 * sampled out of N, d of them distinct, f1 seen once.  Without sampling
 * (n >= N) it is d.
 */
double		EstimateDistinct(uint64_t n, uint64_t d, uint64_t f1, double total_n);

/* The member names of a path ("$.a[*].\"b c\"" -> {"a", "b c"}), and
 * whether it has an array step; false on a path it cannot read. */
bool		PathMembers(const std::string &path, std::vector<std::string> *members, bool *has_array);

/* The rules above, in the order default, paths, anypath, exclude_paths,
 * string_prefix, btree. */
std::vector<Suggestion> Suggest(const Profile &profile);

/* The paths to show: the `limit` most frequent ones (all when 0), sorted by path. */
std::vector<PathStat> PathsToShow(const Profile &profile, size_t limit);

/* Human-readable report: header, table sorted by path, suggestions. */
std::string FormatProfile(const Profile &profile, const std::vector<Suggestion> &suggestions,
						  size_t limit);

/*
 * The same as one JSON document (nlohmann::json): counts, and distinct
 * estimates rounded, as exact integers; shares as numbers in [0, 1];
 * null where there is nothing to say (no strings, never an array).
 */
std::string ProfileJson(const Profile &profile, const std::vector<Suggestion> &suggestions,
						size_t limit);

}							/* namespace pathx */

#endif							/* PATHX_CLI_PATH_PROFILE_H */
