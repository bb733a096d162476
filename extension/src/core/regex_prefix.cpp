/*-------------------------------------------------------------------------
 *
 * regex_prefix.cpp
 *	  The literal prefix that every match of a like_regex pattern starts
 *	  with, so that `@ like_regex "^abc"` can be searched as a prefix scan.
 *
 * An index cannot search a regular expression, but it can search a prefix:
 * if every string that the pattern matches begins with the literal "abc",
 * then "the path holds a string starting with abc" is a necessary condition
 * (the builder, query_expr.cpp, turns it into PREFIX(path "abc")).  The
 * analysis must only ever err towards "no prefix": a prefix that some
 * match lacks would make the index skip a row that matches.  So it gives
 * up on anything it does not fully understand:
 *	 - the pattern must start with ^ (PostgreSQL's like_regex is a search,
 *	   not a whole-string match), and no flag may change what ^ or the
 *	   characters mean: i (case), m (^ after any newline), x (white space
 *	   and comments), q (the pattern is a literal);
 *	 - a top-level | gives up, since another branch may match anywhere;
 *	   | inside parentheses or brackets does not matter, because the
 *	   prefix stops at the first ( or [ anyway;
 *	 - the prefix is the run of ordinary characters after ^, up to the
 *	   first metacharacter; a character followed by *, ? or {n,m} may be
 *	   absent and is not taken; one followed by + is taken and ends the
 *	   prefix.  Multibyte UTF-8 characters are taken whole, since a
 *	   quantifier applies to the whole character.
 * The s flag (dot matches newline) changes nothing here and is allowed.
 * An empty prefix is no prefix: a scan over every string is not worth it.
 *
 * Pure C++ with no allocation beyond the result string; fuzzed
 * (tests/fuzz/fuzz_core.cpp): no crash, and a prefix only for anchored
 * patterns.
 *
 * extension/src/core/regex_prefix.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/regex_prefix.h"

#include <cstring>
#include <string>

namespace pathx
{

bool
RegexLiteralPrefix(const char *pattern, size_t len, uint32_t flags, std::string *prefix)
{
	/*
	 * i changes case, m lets ^ match after any newline, x and q change what
	 * characters mean: none of those patterns promise a literal prefix.
	 */
	if (flags & (kRegexICase | kRegexMultiLine | kRegexWhiteSpace | kRegexQuote))
		return false;
	if (len == 0 || pattern[0] != '^')
		return false;

	/* A top-level | would let another branch match anywhere. */
	int			depth = 0;
	bool		in_bracket = false;

	for (size_t i = 0; i < len; i++)
	{
		char		c = pattern[i];

		if (c == '\\')
		{
			i++;
			continue;
		}
		if (in_bracket)
		{
			if (c == ']')
				in_bracket = false;
			continue;
		}
		if (c == '[')
		{
			in_bracket = true;
			/* a ] right after [ or [^ is a literal member */
			if (i + 1 < len && pattern[i + 1] == '^')
				i++;
			if (i + 1 < len && pattern[i + 1] == ']')
				i++;
		}
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		else if (c == '|' && depth <= 0)
			return false;
	}

	static const char kMeta[] = ".[](){}*+?|^$\\";

	prefix->clear();
	size_t		i = 1;

	while (i < len)
	{
		unsigned char c = static_cast<unsigned char>(pattern[i]);

		if (c < 0x80 && std::strchr(kMeta, c) != nullptr)
			break;

		/* a quantifier applies to the whole (possibly multibyte) character */
		size_t		clen = 1;

		if (c >= 0xF0)
			clen = 4;
		else if (c >= 0xE0)
			clen = 3;
		else if (c >= 0xC0)
			clen = 2;
		if (i + clen > len)
			break;

		char		next = i + clen < len ? pattern[i + clen] : '\0';

		if (next == '*' || next == '?' || next == '{')
			break;				/* the character may be absent */
		prefix->append(pattern + i, clen);
		if (next == '+')
			break;				/* present at least once, then repeats */
		i += clen;
	}
	return !prefix->empty();
}

}							/* namespace pathx */

