/*
 * random_json.h
 *	  Seeded generators of random jsonb documents and of queries over all six
 *	  operators jsonb_pathx_ops indexes, for differential testing.
 *
 * Documents mix nested objects and arrays, every JSON type, repeated key
 * names at different depths, unicode and long strings, extreme numbers
 * (1e400, -1e-400, -0, long decimals), empty containers and top-level
 * scalars.  Queries draw their constants from the same small vocabularies
 * (and containment operands from real documents), so that most of them
 * match some rows: a differential test that only compares zeros proves
 * nothing.
 */
#ifndef PATHX_TESTS_RANDOM_JSON_H
#define PATHX_TESTS_RANDOM_JSON_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace pathx_test
{

/* A JSON value as a tree, so that containment operands can be cut from it. */
struct JsonNode
{
	enum class Kind
	{
		kScalar,
		kObject,
		kArray,
	};

	Kind		kind = Kind::kScalar;
	std::string scalar;			/* JSON text of a scalar */
	std::vector<std::pair<std::string, JsonNode>> members;
	std::vector<JsonNode> elements;

	std::string Text() const;
};

class RandomJson
{
  public:
	explicit RandomJson(uint64_t seed) : rng_(seed) {}

	/* A random document; remembered as a source of containment operands. */
	std::string Document();

	/*
	 * A WHERE condition on column "doc": @>, ?, ?|, ?&, @? or @@, with the
	 * operand quoted as an SQL literal.
	 */
	std::string Query();

	uint64_t	Below(uint64_t n)
	{
		return n == 0 ? 0 : rng_() % n;
	}

  private:
	bool		Chance(double p)
	{
		return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
	}
	std::string Scalar();
	JsonNode	Value(int depth);
	std::string Key();
	std::string PathSteps(const std::string &start, int depth);
	std::string Predicate(const std::string &current, int depth);
	JsonNode	Sub(const JsonNode &n);

	std::mt19937_64 rng_;
	std::vector<JsonNode> docs_;
};

/* SQL string literal: 'text' with quotes doubled. */
std::string SqlQuote(const std::string &s);

/* JSON string literal with escapes. */
std::string JsonQuote(const std::string &s);

}							/* namespace pathx_test */

#endif
