/*
 * orders_gen.h
 *	  The deterministic order documents behind `pathx gen orders`, the
 *	  benchmark and the demo.
 *
 * GenerateOrder(seed, id, rows) returns one order as compact JSON text.  It
 * is a pure function of its three arguments: a counter-based PRNG is keyed
 * by (seed, id), never advanced across documents, so document 7 is the same
 * whether it is generated alone, first, or after a million others, and any
 * subset of a data set can be regenerated in any order or in parallel.
 * `rows` only spreads created_at over the year.
 *
 * The shares of every field are documented in orders_gen.cpp; the
 * benchmark's queries are written against them, so changing a share
 * changes what the benchmark measures.
 *
 * OrderPaths() lists every path the generator can write, containers
 * included, in jsonpath-like notation: "$.user.email", "$.items[*].sku"
 * (array elements as [*]).  The long-tail keys are one family written as
 * "$.attr_<k>"; IsOrderPath() tells whether a concrete path such as
 * "$.attr_17" or "$.meta.node.level" belongs to the data set.  Tests use
 * both to check that a profile of the data (pathx paths) sees everything
 * and invents nothing.
 */
#ifndef PATHX_CLI_ORDERS_GEN_H
#define PATHX_CLI_ORDERS_GEN_H

#include <cstdint>
#include <string>
#include <vector>

namespace pathx
{

/* One order document; depends only on (seed, id, rows).  id >= 1. */
std::string GenerateOrder(std::uint64_t seed, long id, long rows);

/* Every path the generator can write (see above); "$.attr_<k>" is a family. */
const std::vector<std::string> &OrderPaths();

/* True when `path` (concrete, "[*]" for array elements) can occur in the data. */
bool		IsOrderPath(const std::string &path);

/* How many distinct long-tail keys exist: attr_0 .. attr_<kAttrVocabulary - 1>. */
constexpr long kAttrVocabulary = 5000;

}							/* namespace pathx */

#endif							/* PATHX_CLI_ORDERS_GEN_H */
