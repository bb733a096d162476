/*
 * path_profile.cpp
 *	  Estimates, suggestion rules and renderings of a column's path
 *	  profile (see path_profile.h for the rules and their thresholds).
 *
 * Nothing here talks to PostgreSQL: the figures come in a Profile, the
 * advice goes out as text, so a rule change is tested without a server.
 * JSON is written with nlohmann::json, the one JSON writer of the CLI.
 */
#include "path_profile.h"

#include "sql_text.h"
#include "ui.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

namespace pathx
{

const char *
JsonTypeName(int type)
{
	static const char *const names[kJsonTypeCount] = {
		"object", "array", "string", "number", "boolean", "null"};

	return (type >= 0 && type < kJsonTypeCount) ? names[type] : "?";
}

double
EstimateDistinct(uint64_t n, uint64_t d, uint64_t f1, double total_n)
{
	if (n == 0 || d == 0)
		return 0;
	if (total_n <= double(n))
		return double(d);
	/* every value seen once: the column looks unique, scale with the table */
	if (f1 >= n)
		return total_n;

	double		nn = double(n);
	double		est = nn * double(d) / (nn - double(f1) + double(f1) * nn / total_n);

	/* never fewer than seen, never more than there are values */
	return std::min(std::max(est, double(d)), total_n);
}

namespace
{

/* One step of a path: its text as written, and the member name if any. */
struct PathStep
{
	std::string raw;
	std::string member;
	bool		is_array = false;
};

bool
PathSteps(const std::string &path, std::vector<PathStep> *steps)
{
	if (path.empty() || path[0] != '$')
		return false;
	size_t		i = 1;

	while (i < path.size())
	{
		PathStep	s;
		size_t		start = i;

		if (path.compare(i, 3, "[*]") == 0)
		{
			s.is_array = true;
			i += 3;
		}
		else if (path[i] == '.' && i + 1 < path.size() && path[i + 1] == '"')
		{
			/* a JSON string: backslash escapes */
			size_t		j = i + 2;

			for (; j < path.size() && path[j] != '"'; j++)
			{
				if (path[j] == '\\' && j + 1 < path.size())
				{
					j++;
					switch (path[j])
					{
						case 'n': s.member += '\n'; break;
						case 't': s.member += '\t'; break;
						case 'r': s.member += '\r'; break;
						case 'b': s.member += '\b'; break;
						case 'f': s.member += '\f'; break;
						case 'u':
							{
								/* names with \u escapes are rare: keep the code point as UTF-8 */
								if (j + 4 >= path.size())
									return false;
								unsigned	cp = std::stoul(path.substr(j + 1, 4), nullptr, 16);

								j += 4;
								if (cp < 0x80)
									s.member += static_cast<char>(cp);
								else if (cp < 0x800)
								{
									s.member += static_cast<char>(0xC0 | (cp >> 6));
									s.member += static_cast<char>(0x80 | (cp & 0x3F));
								}
								else
								{
									s.member += static_cast<char>(0xE0 | (cp >> 12));
									s.member += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
									s.member += static_cast<char>(0x80 | (cp & 0x3F));
								}
								break;
							}
						default: s.member += path[j]; break;
					}
				}
				else
					s.member += path[j];
			}
			if (j >= path.size())
				return false;
			i = j + 1;
		}
		else if (path[i] == '.')
		{
			size_t		j = i + 1;

			while (j < path.size() && path[j] != '.' && path[j] != '[')
				j++;
			if (j == i + 1)
				return false;
			s.member = path.substr(i + 1, j - i - 1);
			i = j;
		}
		else
			return false;
		s.raw = path.substr(start, i - start);
		steps->push_back(s);
	}
	return true;
}

std::string
Percent(double share)
{
	double		p = share * 100;

	/* exact ends stay exact; in between, never round to 0% or 100% */
	if (p <= 0)
		return "0%";
	if (p >= 100)
		return "100%";
	return Fixed(std::min(std::max(p, 0.1), 99.9), 1) + "%";
}

/* "~12,345" for an estimate, "12,345" for a count. */
std::string
DistinctText(const PathStat &p, bool sampled)
{
	if (p.scalar_occurrences == 0)
		return "-";
	return (sampled ? "~" : "") + Thousands(static_cast<uint64_t>(std::llround(p.distinct_estimate)));
}

std::string
TypesText(const PathStat &p)
{
	std::vector<std::pair<uint64_t, int>> order;

	for (int t = 0; t < kJsonTypeCount; t++)
		if (p.type_count[t] > 0)
			order.emplace_back(p.type_count[t], t);
	std::stable_sort(order.begin(), order.end(),
					 [](const std::pair<uint64_t, int> &a, const std::pair<uint64_t, int> &b) {
						 return a.first > b.first;
					 });
	std::string out;

	for (const auto &o : order)
	{
		if (!out.empty())
			out += " ";
		out += JsonTypeName(o.second);
		if (order.size() > 1)
			out += " " + Percent(p.TypeShare(o.second));
	}
	return out;
}

double
RowShare(const Profile &profile, const PathStat &p)
{
	return profile.sampled_rows ? double(p.rows) / double(profile.sampled_rows) : 0;
}

bool
IsFreeText(const PathStat &p)
{
	return p.type_count[kString] > 0 &&
		p.TypeShare(kString) >= 0.5 &&
		p.avg_string_bytes >= kFreeTextBytes &&
		p.scalar_occurrences > 0 &&
		double(p.scalar_distinct) / double(p.scalar_occurrences) >= kFreeTextDistinct;
}

std::string
GinStatement(const Profile &profile, const std::string &options)
{
	return "CREATE INDEX ON " + profile.table + " USING gin (" + profile.column +
		" jsonb_pathx_ops" + (options.empty() ? "" : " (" + options + ")") + ");";
}

/* The parents whose member names look dynamic, with how many names and how many rare. */
struct DynamicParent
{
	std::string path;
	size_t		members = 0;
	size_t		rare = 0;
};

std::vector<DynamicParent>
DynamicParents(const Profile &profile)
{
	std::map<std::string, const PathStat *> by_path;
	std::map<std::string, DynamicParent> parents;

	for (const PathStat &p : profile.paths)
		by_path[p.path] = &p;
	for (const PathStat &p : profile.paths)
	{
		std::vector<PathStep> steps;

		if (!PathSteps(p.path, &steps) || steps.empty() || steps.back().is_array)
			continue;
		std::string parent = p.path.substr(0, p.path.size() - steps.back().raw.size());
		auto		it = by_path.find(parent);

		if (it == by_path.end() || it->second->rows == 0)
			continue;
		DynamicParent &d = parents[parent];

		d.path = parent;
		d.members++;
		if (double(p.rows) < kDynamicRareShare * double(it->second->rows))
			d.rare++;
	}
	std::vector<DynamicParent> out;

	for (const auto &kv : parents)
		if (kv.second.members >= kDynamicMinMembers &&
			double(kv.second.rare) >= kDynamicRareFraction * double(kv.second.members))
			out.push_back(kv.second);
	return out;
}

bool
Under(const std::string &path, const std::string &prefix)
{
	return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
		(path[prefix.size()] == '.' || path[prefix.size()] == '[');
}

}							/* namespace */

bool
PathMembers(const std::string &path, std::vector<std::string> *members, bool *has_array)
{
	std::vector<PathStep> steps;

	if (!PathSteps(path, &steps))
		return false;
	*has_array = false;
	members->clear();
	for (const PathStep &s : steps)
	{
		if (s.is_array)
			*has_array = true;
		else
			members->push_back(s.member);
	}
	return true;
}

std::vector<Suggestion>
Suggest(const Profile &profile)
{
	std::vector<Suggestion> out;
	std::vector<DynamicParent> dynamic = DynamicParents(profile);
	auto		in_dynamic = [&](const std::string &path) {
		for (const DynamicParent &d : dynamic)
			if (Under(path, d.path))
				return true;
		return false;
	};
	std::vector<const PathStat *> value_paths;
	std::vector<const PathStat *> frequent;
	std::vector<const PathStat *> free_text;

	for (const PathStat &p : profile.paths)
	{
		if (p.scalar_occurrences == 0 || p.path == "$")
			continue;
		value_paths.push_back(&p);
		if (IsFreeText(p))
			free_text.push_back(&p);
		else if (RowShare(profile, p) >= kFrequentShare && !in_dynamic(p.path))
			frequent.push_back(&p);
	}

	out.push_back({"default", GinStatement(profile, ""),
				   "indexes all " + Thousands(profile.paths.size()) +
				   " paths; serves every operator and jsonpath query shape on this column"});

	/* a few frequent paths among many rare ones */
	if (!frequent.empty() && frequent.size() <= 10 && value_paths.size() >= 8 &&
		frequent.size() * 3 <= value_paths.size())
	{
		std::string list;

		for (const PathStat *p : frequent)
			list += (list.empty() ? "" : ", ") + p->path;
		out.push_back({"paths", GinStatement(profile, "paths = " + SqlLiteral(list)),
					   Thousands(frequent.size()) + " of " + Thousands(value_paths.size()) +
					   " value paths are in at least " + Percent(kFrequentShare) +
					   " of rows, the others are rarer: a smaller index over the ones queries are likely to use"});
	}

	for (const DynamicParent &d : dynamic)
		out.push_back({"anypath", GinStatement(profile, "anypath = true"),
					   d.path + " has " + Thousands(d.members) + " member names, " +
					   Thousands(d.rare) + " of them in under " + Percent(kDynamicRareShare) +
					   " of its rows (dynamic keys): anypath lets " + d.path +
					   ".* and .** queries use the index"});

	if (!free_text.empty())
	{
		std::string list;
		const PathStat *top = free_text.front();

		for (const PathStat *p : free_text)
		{
			list += (list.empty() ? "" : ", ") + p->path;
			if (p->avg_string_bytes > top->avg_string_bytes)
				top = p;
		}
		out.push_back({"exclude_paths", GinStatement(profile, "exclude_paths = " + SqlLiteral(list)),
					   top->path + " holds free text (strings average " +
					   Fixed(top->avg_string_bytes, 0) + " bytes, " +
					   Percent(double(top->scalar_distinct) / double(top->scalar_occurrences)) +
					   " distinct): its keys cost space and rarely narrow a search; use full-text search for it"});
	}

	/* strings longer than the part kept in order (free text aside) */
	{
		const PathStat *longest = nullptr;

		for (const PathStat *p : value_paths)
		{
			if (IsFreeText(*p) || p->type_count[kString] == 0)
				continue;
			if (p->avg_string_bytes > kDefaultStringPrefix &&
				(longest == nullptr || p->avg_string_bytes > longest->avg_string_bytes))
				longest = p;
		}
		if (longest != nullptr)
		{
			int			prefix = static_cast<int>(std::ceil(longest->avg_string_bytes / 16.0) * 16);

			prefix = std::min(std::max(prefix, kDefaultStringPrefix + 16), kMaxStringPrefix);
			out.push_back({"string_prefix",
						   GinStatement(profile, "string_prefix = " + std::to_string(prefix)),
						   "strings at " + longest->path + " average " +
						   Fixed(longest->avg_string_bytes, 0) + " bytes, more than the " +
						   std::to_string(kDefaultStringPrefix) +
						   " kept in order by default: ranges and prefixes past byte " +
						   std::to_string(kDefaultStringPrefix) + " would be rechecked"});
		}
	}

	/* one hot, high-cardinality scalar path */
	{
		const PathStat *best = nullptr;
		int			best_type = kString;
		double		rows_total = std::max(profile.total_rows, double(profile.sampled_rows));

		for (const PathStat *p : value_paths)
		{
			std::vector<std::string> members;
			bool		has_array = true;

			if (!PathMembers(p->path, &members, &has_array) || has_array || members.empty())
				continue;
			int			type = p->TypeShare(kNumber) >= 0.99 ? kNumber :
				p->TypeShare(kString) >= 0.99 ? kString : -1;

			if (type < 0 || RowShare(profile, *p) < kBtreeShare || IsFreeText(*p))
				continue;
			if (p->scalar_distinct < kBtreeMinDistinct ||
				p->distinct_estimate < kBtreeDistinctRatio * rows_total)
				continue;
			if (best == nullptr || p->distinct_estimate > best->distinct_estimate)
			{
				best = p;
				best_type = type;
			}
		}
		if (best != nullptr)
		{
			std::vector<std::string> members;
			bool		has_array;

			PathMembers(best->path, &members, &has_array);
			std::string expr = "(" + profile.column + " #>> " + TextArrayLiteral(members) + ")";

			if (best_type == kNumber)
				expr = "(" + expr + "::numeric)";
			out.push_back({"btree", "CREATE INDEX ON " + profile.table + " (" + expr + ");",
						   best->path + " is in " + Percent(RowShare(profile, *best)) + " of rows with " +
						   (profile.sampled ? "~" : "") +
						   Thousands(static_cast<uint64_t>(std::llround(best->distinct_estimate))) +
						   " distinct " + JsonTypeName(best_type) +
						   " values: a B-tree on " + expr +
						   " serves equality, ranges and ORDER BY written on that expression"});
		}
	}
	return out;
}

std::vector<PathStat>
PathsToShow(const Profile &profile, size_t limit)
{
	std::vector<PathStat> paths = profile.paths;

	if (limit > 0 && paths.size() > limit)
	{
		std::stable_sort(paths.begin(), paths.end(), [](const PathStat &a, const PathStat &b) {
			return a.rows != b.rows ? a.rows > b.rows : a.path < b.path;
		});
		paths.resize(limit);
	}
	std::sort(paths.begin(), paths.end(),
			  [](const PathStat &a, const PathStat &b) { return a.path < b.path; });
	return paths;
}

std::string
FormatProfile(const Profile &profile, const std::vector<Suggestion> &suggestions, size_t limit)
{
	std::ostringstream out;
	std::vector<PathStat> shown = PathsToShow(profile, limit);

	out << "Path profile of " << profile.table << "." << profile.column << ": ";
	if (profile.sampled)
		out << "sampled " << Thousands(profile.sampled_rows) << " of ~"
			<< Thousands(static_cast<uint64_t>(std::llround(profile.total_rows)))
			<< " rows (" << profile.sample_method << "); distinct counts are estimates (~)\n";
	else
		out << "all " << Thousands(profile.sampled_rows) << " rows\n";
	if (profile.null_rows > 0)
		out << "(" << Thousands(profile.null_rows) << " NULL documents left out)\n";
	out << "\n";

	std::vector<std::vector<std::string>> rows;

	rows.push_back({"PATH", "ROWS", "TYPES", "DISTINCT", "AVG STR", "MAX ARR"});
	for (const PathStat &p : shown)
		rows.push_back({p.path, Percent(RowShare(profile, p)), TypesText(p), DistinctText(p, profile.sampled),
						p.type_count[kString] ? Fixed(p.avg_string_bytes, 1) : "-",
						p.max_array_length >= 0 ? std::to_string(p.max_array_length) : "-"});
	std::vector<size_t> width(rows[0].size(), 0);

	for (const auto &r : rows)
		for (size_t c = 0; c < r.size(); c++)
			width[c] = std::max(width[c], r[c].size());
	for (const auto &r : rows)
	{
		std::string line;

		for (size_t c = 0; c < r.size(); c++)
		{
			bool		right = (c == 1 || c >= 3);
			std::string pad(width[c] - r[c].size(), ' ');

			line += (c ? "  " : "") + (right ? pad + r[c] : r[c] + (c + 1 < r.size() ? pad : ""));
		}
		out << line << "\n";
	}
	if (shown.size() < profile.paths.size())
		out << "(" << Thousands(shown.size()) << " of " << Thousands(profile.paths.size())
			<< " paths shown, the most frequent; --limit 0 shows all)\n";

	out << "\nSuggestions:\n";
	for (size_t i = 0; i < suggestions.size(); i++)
	{
		out << "  " << (i + 1) << ". [" << suggestions[i].kind << "] " << suggestions[i].reason << "\n";
		out << "     " << suggestions[i].statement << "\n";
	}
	return out.str();
}

namespace
{

/*
 * A count as an exact JSON integer (estimates are rounded to one); null
 * when there is none to give, rather than nan, which is not JSON.
 */
nlohmann::ordered_json
JsonCount(double v)
{
	if (!std::isfinite(v) || v < 0 || v >= 9.2e18)
		return nullptr;
	return static_cast<uint64_t>(std::llround(v));
}

}							/* namespace */

std::string
ProfileJson(const Profile &profile, const std::vector<Suggestion> &suggestions, size_t limit)
{
	nlohmann::ordered_json out;
	nlohmann::ordered_json paths = nlohmann::ordered_json::array();
	nlohmann::ordered_json advice = nlohmann::ordered_json::array();

	out["table"] = profile.table;
	out["column"] = profile.column;
	out["sampled"] = profile.sampled;
	out["sample_method"] = profile.sample_method;
	out["rows_sampled"] = profile.sampled_rows;
	out["null_rows"] = profile.null_rows;
	out["rows_estimated"] = JsonCount(profile.total_rows);
	out["paths_total"] = profile.paths.size();
	for (const PathStat &p : PathsToShow(profile, limit))
	{
		nlohmann::ordered_json j;
		nlohmann::ordered_json types = nlohmann::ordered_json::object();

		j["path"] = p.path;
		j["rows"] = p.rows;
		j["row_share"] = RowShare(profile, p);
		j["occurrences"] = p.occurrences;
		for (int t = 0; t < kJsonTypeCount; t++)
			if (p.type_count[t] > 0)
				types[JsonTypeName(t)] = p.TypeShare(t);
		j["types"] = types;
		j["distinct_in_sample"] = p.scalar_distinct;
		j["distinct_estimate"] = JsonCount(p.distinct_estimate);
		j["avg_string_bytes"] = p.type_count[kString] ? nlohmann::ordered_json(p.avg_string_bytes) : nullptr;
		j["max_string_bytes"] = p.type_count[kString] ? nlohmann::ordered_json(p.max_string_bytes) : nullptr;
		j["max_array_length"] = p.max_array_length >= 0 ? nlohmann::ordered_json(p.max_array_length) : nullptr;
		paths.push_back(j);
	}
	out["paths"] = paths;
	for (const Suggestion &s : suggestions)
		advice.push_back({{"kind", s.kind}, {"statement", s.statement}, {"reason", s.reason}});
	out["suggestions"] = advice;

	/*
	 * nlohmann writes a non-finite double as null, and with replace a byte
	 * that is not UTF-8 (a SQL_ASCII database) as U+FFFD instead of
	 * throwing: the output is always JSON.
	 */
	return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}							/* namespace pathx */
