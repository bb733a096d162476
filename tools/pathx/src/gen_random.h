/*
 * gen_random.h
 *	  The deterministic randomness shared by the data-set generators
 *	  (orders_gen.cpp, events_gen.cpp).
 *
 * A generated data set must be the same bytes on every platform and
 * standard library we build on, so nothing here uses std::*_distribution
 * (whose output is implementation-defined) or locale-dependent printing:
 * a counter-based PRNG over splitmix64's mixer, uniform draws made from it
 * with products of doubles in [0, 1), weighted picks, and ISO 8601 time
 * text from gmtime_r.  Each generator keys one Rng per document (and per
 * customer, repository, user ...) with Mix() of the seed and an id, never
 * carrying state from one document to the next, so document i is a pure
 * function of (seed, i).
 *
 * Changing anything here changes every data set; the golden hashes in
 * tests/cli/gen_test.cpp catch that.
 */
#ifndef PATHX_CLI_GEN_RANDOM_H
#define PATHX_CLI_GEN_RANDOM_H

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>

namespace pathx
{

/* splitmix64's finalizer: a good 64-bit mixer, the same on every platform. */
inline std::uint64_t
Mix(std::uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A counter-based PRNG: state is a counter, output is its mix. */
class Rng
{
public:
	explicit Rng(std::uint64_t seed) : state_(seed) {}

	std::uint64_t Next()
	{
		state_ += 0x9e3779b97f4a7c15ULL;
		return Mix(state_);
	}

	/* uniform in [0, 1) with 53 random bits */
	double		Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

	/* uniform integer in [0, n) */
	long		Below(long n) { return static_cast<long>(Uniform() * static_cast<double>(n)); }

	/* true with probability p */
	bool		Chance(double p) { return Uniform() < p; }

	/* `n` lower-case hex digits */
	std::string Hex(int n)
	{
		static const char digits[] = "0123456789abcdef";
		std::string out;
		std::uint64_t bits = Next();

		for (int i = 0; i < n; i++)
		{
			if (i % 16 == 15)
				bits = Next();
			out.push_back(digits[bits & 15]);
			bits >>= 4;
		}
		return out;
	}

private:
	std::uint64_t state_;
};

/* Picks from `values` by weights that sum to 1. */
template<typename T, std::size_t N>
const T &
Weighted(Rng &r, const T (&values)[N], const double (&weights)[N])
{
	double		u = r.Uniform();

	for (std::size_t i = 0; i < N; i++)
	{
		if (u < weights[i])
			return values[i];
		u -= weights[i];
	}
	return values[N - 1];
}

/* ISO 8601 UTC text of a Unix time, as applications usually store it. */
inline std::string
IsoTime(std::int64_t epoch)
{
	std::time_t t = static_cast<std::time_t>(epoch);
	std::tm		tm{};
	char		buf[32];

	gmtime_r(&t, &tm);
	std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

}							/* namespace pathx */

#endif							/* PATHX_CLI_GEN_RANDOM_H */
