/*-------------------------------------------------------------------------
 *
 * regex_prefix.h
 *	  The literal prefix a like_regex pattern guarantees (regex_prefix.cpp).
 *
 * extension/src/core/regex_prefix.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_REGEX_PREFIX_H
#define PATHX_REGEX_PREFIX_H

#include "core/no_postgres.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace pathx
{

/* jsonpath like_regex flags, as PostgreSQL stores them. */
constexpr uint32_t kRegexICase = 0x01;
constexpr uint32_t kRegexDotAll = 0x02;
constexpr uint32_t kRegexMultiLine = 0x04;
constexpr uint32_t kRegexWhiteSpace = 0x08;
constexpr uint32_t kRegexQuote = 0x10;

/*
 * The literal prefix a like_regex pattern guarantees, if any: the pattern
 * must be anchored with ^ and not use flags that change anchoring or case.
 * Returns false when the pattern gives no usable prefix.
 */
bool		RegexLiteralPrefix(const char *pattern, size_t len, uint32_t flags,
							   std::string *prefix);

}							/* namespace pathx */

#endif /* PATHX_REGEX_PREFIX_H */
