/*
 * events_gen.h
 *	  The deterministic webhook event documents behind `pathx gen events`:
 *	  large (about 10 KB, TOASTed) documents for the benchmark.
 *
 * GenerateEvent(seed, id, rows) returns one event as compact JSON text,
 * shaped like a GitHub webhook payload for a pull_request or issues event.
 * Like GenerateOrder() it is a pure function of its three arguments: every
 * document, user and repository draws from its own PRNG stream keyed by
 * (seed, its id) (gen_random.h), so document 7 is the same whether it is
 * generated alone or after a million others.  `rows` only spreads the
 * event times over the year.
 *
 * The shares of every field the queries select on, and the shares those
 * queries get, are documented in events_gen.cpp; tools/bench/events.queries
 * is written against them.
 */
#ifndef PATHX_CLI_EVENTS_GEN_H
#define PATHX_CLI_EVENTS_GEN_H

#include <cstdint>
#include <string>

namespace pathx
{

/* One event document; depends only on (seed, id, rows).  id >= 1. */
std::string GenerateEvent(std::uint64_t seed, long id, long rows);

/* The JSON text of an event lies between these sizes (bytes). */
constexpr long kEventMinBytes = 6 * 1024;
constexpr long kEventMaxBytes = 14 * 1024;

}							/* namespace pathx */

#endif							/* PATHX_CLI_EVENTS_GEN_H */
