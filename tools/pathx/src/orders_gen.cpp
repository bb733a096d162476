/*
 * orders_gen.cpp
 *	  Order documents for pathx gen, the benchmark and the demo.
 *
 * Determinism.  Each document draws from its own PRNG stream (gen_random.h),
 * keyed by (seed, id) through splitmix64's mixer, and customers from a
 * stream keyed by (seed, user id); nothing is carried from one document to
 * the next.  The PRNG and every distribution are our own code (no
 * std::*_distribution, whose output differs between standard libraries),
 * floating-point use is limited to products and pow() of values in [0, 1),
 * and numbers are printed with snprintf in the C locale, so the bytes are
 * the same on every platform we build on.
 *
 * Two streams per document.  The core fields (those the benchmark's queries
 * select on) come from the first stream in exactly the order the original
 * benchmark generator drew them, so for any (seed, id, rows) the core of a
 * document is byte for byte what that generator wrote.  The rarer fields
 * added for realism come from a second, independent stream and are appended
 * after the core fields, so adding them moved no existing value and no
 * selectivity.
 *
 * Shares (rows = N):
 *   core (every document)
 *     id            1..N
 *     status        paid 60%, shipped 25%, pending 14%, refunded 1%
 *     total         uniform 0.00-5000.00 (> 4960: 0.8%; > 4990: 0.2%)
 *     currency      EUR 45%, USD 40%, GBP 15%
 *     created_at    ISO 8601, spread evenly over 2024 by id
 *                   (>= "2024-12-29": 0.8%); created_epoch the same instant
 *     user          uniform over 100,000 customers, each a function of its
 *                   id: country US 30% ... IS 0.5%; tier bronze 60%, silver
 *                   30%, gold 10%; e-mail 16 uniform hex digits
 *                   (>= "ffe": 0.05%; starts with "abc": 0.02%)
 *     items         1-8 (uniform); SKU-nnnnn skewed (cube of a uniform) over
 *                   50,000 SKUs (SKU-00042 in ~0.3% of orders); qty 1-5;
 *                   price 0.00-500.00
 *     tags          0-3 from 16 words, skewed towards the first
 *     shipping      street, city (1,000), zip, the customer's country
 *   core (sparse)
 *     gift          true in 5%
 *     express       in 5% (true 80%, false 20%)
 *     coupon        {code, pct} in 0.9%
 *   added (second stream, appended after the core)
 *     geo           {lat, lon} numbers with 5 decimals in 10%
 *     first_order   true in 3%
 *     priority      true in 1%
 *     fraud_review  in 0.3% (true 70%, false 30%)
 *     attr_<k>      in 3%: 1-3 long-tail keys, k log-uniform over
 *                   0..4999 (attr_0 in ~0.4% of documents, attr_4999 in
 *                   ~0.0001%); values strings, integers or booleans
 *     note          in 1%: 1-4 KB of text with escaped quotes, newlines
 *                   and non-ASCII letters
 *     meta          in 0.5%: objects nested 6-12 levels deep
 *                   {"level": 1, "node": {"level": 2, ... {"level": d,
 *                   "leaf": "<hex>"}}}
 * The added fields make about 5% of the JSON text on average (200,000
 * documents: 643 bytes instead of 610), most of it the 1% of long notes,
 * which TOAST compresses; the core's shares are untouched, so benchmark
 * figures stay comparable with those measured on the core alone.
 */
#include "orders_gen.h"
#include "gen_random.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace pathx
{

namespace
{

/* cents as a JSON number with two decimals: 123456 -> 1234.56 */
std::string
Money(long cents)
{
	char		buf[32];

	std::snprintf(buf, sizeof(buf), "%ld.%02ld", cents / 100, cents % 100);
	return buf;
}

struct User
{
	std::string name;
	std::string email;
	const char *country;
	const char *tier;
	std::string street;
	long		city;
	std::string zip;
};

/*
 * A customer is a function of its id, so the same customer has the same
 * e-mail and country in every order, as in real data.
 */
User
MakeUser(std::uint64_t seed, long user_id)
{
	static const char *const countries[] = {"US", "DE", "GB", "FR", "IN", "BR", "JP", "ES", "IS"};
	static const double country_w[] = {0.30, 0.15, 0.12, 0.10, 0.10, 0.08, 0.08, 0.065, 0.005};
	static const char *const tiers[] = {"bronze", "silver", "gold"};
	static const double tier_w[] = {0.6, 0.3, 0.1};
	static const char *const streets[] = {"Main St", "Oak Ave", "Park Rd", "High St", "Elm St",
	"Lake Dr", "Hill Rd", "Station Rd"};
	static const double street_w[] = {0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125};
	Rng			r(Mix(seed * 0x5851f42d4c957f2dULL ^ static_cast<std::uint64_t>(user_id)));
	User		u;

	u.name = "User " + r.Hex(10);
	u.email = r.Hex(16) + "@example.com";	/* uniform hex: prefixes have known shares */
	u.country = Weighted(r, countries, country_w);
	u.tier = Weighted(r, tiers, tier_w);
	u.street = std::to_string(1 + r.Below(999)) + " " + Weighted(r, streets, street_w);
	u.city = r.Below(1000);
	char		zip[16];

	std::snprintf(zip, sizeof(zip), "%05ld", r.Below(100000));
	u.zip = zip;
	return u;
}

/* A number with a fixed count of decimals (C locale: always a dot). */
std::string
Decimal(double v, int digits)
{
	char		buf[48];

	std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
	return buf;
}

/*
 * A customer's note: 1-4 KB of words, already escaped as the inside of a
 * JSON string.  Real notes carry quotes, line breaks and accented letters,
 * which is exactly what a loader's splitter and a key encoder get wrong.
 */
std::string
NoteText(Rng &r)
{
	static const char *const words[] = {"please", "leave", "the", "parcel", "at", "door",
		"with", "neighbour", "call", "before", "delivery", "fragile", "glass", "handle", "care",
		"gift", "for", "my", "mother", "birthday", "no", "invoice", "in", "box", "ring", "twice",
		"back", "entrance", "after", "6pm", "café", "Müller", "naïve", "façade", "€", "日本",
		"\\\"urgent\\\"", "{braces}", "[brackets]", "a,b", "tab\\there", "back\\\\slash"};
	const long	n_words = sizeof(words) / sizeof(words[0]);
	long		target = 1024 + r.Below(3 * 1024 + 1);
	std::string out;

	out.reserve(static_cast<size_t>(target) + 32);
	while (static_cast<long>(out.size()) < target)
	{
		long		sentence = 4 + r.Below(12);

		for (long i = 0; i < sentence; i++)
		{
			if (i > 0)
				out += ' ';
			out += words[r.Below(n_words)];
		}
		out += r.Uniform() < 0.2 ? ".\\n" : ". ";
	}
	return out;
}

/* The long-tail keys: log-uniform, so attr_0 is common and most are rare. */
long
AttrKey(Rng &r)
{
	long		k = static_cast<long>(std::exp(r.Uniform() * std::log(static_cast<double>(kAttrVocabulary)))) - 1;

	return std::min(std::max(k, 0L), kAttrVocabulary - 1);
}

/* The fields added to the core, from their own stream (see the header). */
void
AppendExtras(std::string &d, std::uint64_t seed, long id)
{
	Rng			r(Mix(Mix(seed ^ 0x6a09e667f3bcc909ULL) ^ Mix(static_cast<std::uint64_t>(id) + 0x3c6ef372fe94f82bULL)));

	/* One draw per decision, in a fixed order, whatever was decided before. */
	double		u_geo = r.Uniform();
	double		u_first = r.Uniform();
	double		u_priority = r.Uniform();
	double		u_fraud = r.Uniform();
	double		u_attr = r.Uniform();
	double		u_note = r.Uniform();
	double		u_meta = r.Uniform();

	if (u_geo < 0.10)
	{
		double		lat = -55.0 + 125.0 * r.Uniform();
		double		lon = -180.0 + 360.0 * r.Uniform();

		d += ", \"geo\": {\"lat\": " + Decimal(lat, 5) + ", \"lon\": " + Decimal(lon, 5) + "}";
	}
	if (u_first < 0.03)
		d += ", \"first_order\": true";
	if (u_priority < 0.01)
		d += ", \"priority\": true";
	if (u_fraud < 0.003)
		d += std::string(", \"fraud_review\": ") + (r.Uniform() < 0.7 ? "true" : "false");
	if (u_attr < 0.03)
	{
		long		n = 1 + r.Below(3);
		long		used[3];
		long		n_used = 0;

		for (long i = 0; i < n; i++)
		{
			long		k = AttrKey(r);
			double		kind = r.Uniform();

			/* a repeated key would be dropped by jsonb: skip it */
			if (std::find(used, used + n_used, k) != used + n_used)
				continue;
			used[n_used++] = k;
			d += ", \"attr_" + std::to_string(k) + "\": ";
			if (kind < 0.5)
				d += "\"v" + std::to_string(r.Below(100)) + "\"";
			else if (kind < 0.8)
				d += std::to_string(r.Below(10000));
			else
				d += r.Uniform() < 0.5 ? "true" : "false";
		}
	}
	if (u_note < 0.01)
		d += ", \"note\": \"" + NoteText(r) + "\"";
	if (u_meta < 0.005)
	{
		long		depth = 6 + r.Below(7);

		d += ", \"meta\": ";
		for (long level = 1; level <= depth; level++)
		{
			d += "{\"level\": " + std::to_string(level);
			if (level < depth)
				d += ", \"node\": ";
		}
		d += ", \"leaf\": \"" + r.Hex(8) + "\"";
		d += std::string(static_cast<size_t>(depth), '}');
	}
}

constexpr long kMetaMinDepth = 6;
constexpr long kMetaMaxDepth = 12;
const char *const kAttrFamily = "$.attr_<k>";

}							/* namespace */

std::string
GenerateOrder(std::uint64_t seed, long id, long rows)
{
	static const char *const statuses[] = {"paid", "shipped", "pending", "refunded"};
	static const double status_w[] = {0.60, 0.25, 0.14, 0.01};
	static const char *const currencies[] = {"EUR", "USD", "GBP"};
	static const double currency_w[] = {0.45, 0.40, 0.15};
	static const char *const tags[] = {"new", "sale", "vip", "promo", "bulk", "eco", "fast",
		"b2b", "gift-wrap", "fragile", "return", "preorder", "holiday", "clearance", "bundle", "app"};
	const std::int64_t year_2024 = 1704067200;
	const std::int64_t year_seconds = 366 * 86400;
	Rng			r(Mix(seed ^ Mix(static_cast<std::uint64_t>(id))));
	std::int64_t epoch = year_2024 + static_cast<std::int64_t>(
		static_cast<double>(id - 1) * year_seconds / static_cast<double>(std::max(1L, rows)));
	long		user_id = 1 + r.Below(100000);
	User		u = MakeUser(seed, user_id);
	std::string d;

	/*
	 * The core, in the original draw order: reordering any draw below
	 * would change every later value of the document.
	 */
	d.reserve(1024);
	d += "{\"id\": " + std::to_string(id);
	d += ", \"status\": \"" + std::string(Weighted(r, statuses, status_w)) + "\"";
	d += ", \"total\": " + Money(r.Below(500001));
	d += ", \"currency\": \"" + std::string(Weighted(r, currencies, currency_w)) + "\"";
	d += ", \"created_at\": \"" + IsoTime(epoch) + "\"";
	d += ", \"created_epoch\": " + std::to_string(epoch);
	d += ", \"user\": {\"id\": " + std::to_string(user_id) + ", \"name\": \"" + u.name +
		"\", \"email\": \"" + u.email + "\", \"country\": \"" + u.country + "\", \"tier\": \"" +
		u.tier + "\"}";

	long		n_items = 1 + r.Below(8);

	d += ", \"items\": [";
	for (long i = 0; i < n_items; i++)
	{
		char		sku[16];

		std::snprintf(sku, sizeof(sku), "SKU-%05ld",
					  static_cast<long>(std::pow(r.Uniform(), 3.0) * 50000));
		d += std::string(i ? ", " : "") + "{\"sku\": \"" + sku + "\", \"qty\": " +
			std::to_string(1 + r.Below(5)) + ", \"price\": " + Money(r.Below(50001)) + "}";
	}
	d += "]";

	long		n_tags = r.Below(4);

	d += ", \"tags\": [";
	for (long i = 0; i < n_tags; i++)
		d += std::string(i ? ", " : "") + "\"" +
			tags[static_cast<long>(std::pow(r.Uniform(), 2.0) * 16)] + "\"";
	d += "]";
	if (r.Uniform() < 0.05)
		d += ", \"gift\": true";
	if (r.Uniform() < 0.05)
		d += std::string(", \"express\": ") + (r.Uniform() < 0.8 ? "true" : "false");
	if (r.Uniform() < 0.009)
		d += ", \"coupon\": {\"code\": \"C" + r.Hex(8) + "\", \"pct\": " +
			std::to_string(5 + r.Below(26)) + "}";
	d += ", \"shipping\": {\"street\": \"" + u.street +
		"\", \"city\": \"City " + std::to_string(u.city) + "\", \"zip\": \"" + u.zip +
		"\", \"country\": \"" + u.country + "\"}";

	AppendExtras(d, seed, id);
	d += "}";
	return d;
}

const std::vector<std::string> &
OrderPaths()
{
	static const std::vector<std::string> paths = []() {
		std::vector<std::string> p = {
			"$.id", "$.status", "$.total", "$.currency", "$.created_at", "$.created_epoch",
			"$.user", "$.user.id", "$.user.name", "$.user.email", "$.user.country", "$.user.tier",
			"$.items", "$.items[*]", "$.items[*].sku", "$.items[*].qty", "$.items[*].price",
			"$.tags", "$.tags[*]", "$.gift", "$.express",
			"$.coupon", "$.coupon.code", "$.coupon.pct",
			"$.shipping", "$.shipping.street", "$.shipping.city", "$.shipping.zip",
			"$.shipping.country",
			"$.geo", "$.geo.lat", "$.geo.lon", "$.first_order", "$.priority", "$.fraud_review",
			kAttrFamily, "$.note"};
		std::string prefix = "$.meta";

		for (long level = 1; level <= kMetaMaxDepth; level++)
		{
			p.push_back(prefix);
			p.push_back(prefix + ".level");
			if (level >= kMetaMinDepth)
				p.push_back(prefix + ".leaf");
			if (level < kMetaMaxDepth)
				prefix += ".node";
		}
		return p;
	}();

	return paths;
}

bool
IsOrderPath(const std::string &path)
{
	static const std::unordered_set<std::string> fixed = []() {
		std::unordered_set<std::string> s;

		for (const std::string &p : OrderPaths())
			if (p != kAttrFamily)
				s.insert(p);
		return s;
	}();
	const std::string attr = "$.attr_";

	if (fixed.count(path) > 0)
		return true;
	if (path.compare(0, attr.size(), attr) != 0 || path.size() == attr.size() ||
		path.size() > attr.size() + 4)
		return false;
	for (size_t i = attr.size(); i < path.size(); i++)
		if (path[i] < '0' || path[i] > '9')
			return false;
	/* no leading zeros: attr_007 is not a key we write */
	if (path[attr.size()] == '0' && path.size() > attr.size() + 1)
		return false;
	return std::stol(path.substr(attr.size())) < kAttrVocabulary;
}

}							/* namespace pathx */
