/*-------------------------------------------------------------------------
 *
 * index_options.cpp
 *	  Path coverage and option parsing for jsonb_pathx_ops.
 *
 * See index_options.h.  Coverage tests run for every key of every indexed
 * document, so they are noexcept and allocation-free; the lists are short
 * (a handful of paths), and a linear scan beats anything cleverer.
 *
 * extension/src/core/index_options.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/index_options.h"

namespace pathx
{

namespace
{

bool
Contains(const uint32_t *hashes, uint32_t n, uint32_t h) noexcept
{
	for (uint32_t i = 0; i < n; i++)
		if (hashes[i] == h)
			return true;
	return false;
}

bool
IsIdentifierChar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

}							/* namespace */

Coverage
RootCoverage(const IndexOptions &opts) noexcept
{
	uint32_t	root = RootPathHash();

	return Coverage{Contains(opts.include, opts.ninclude, root),
		Contains(opts.exclude, opts.nexclude, root)};
}

Coverage
StepCoverage(const IndexOptions &opts, Coverage parent, uint32_t step_hash) noexcept
{
	return Coverage{parent.included || Contains(opts.include, opts.ninclude, step_hash),
		parent.excluded || Contains(opts.exclude, opts.nexclude, step_hash)};
}

bool
IsCovered(const IndexOptions &opts, Coverage cov) noexcept
{
	return (opts.ninclude == 0 || cov.included) && !cov.excluded;
}

uint32_t
AnyPathHash() noexcept
{
	return 0x2545f491u;
}

uint32_t
LastNameHash(const char *name, size_t len) noexcept
{
	/* a different seed from RootPathHash: LAST(a) is not the path $.a */
	return PathStepHash(0x5bd1e995u, name, len);
}

bool
ParsePathList(const char *text, size_t len, std::vector<uint32_t> *hashes, std::string *error)
{
	size_t		i = 0;

	hashes->clear();
	auto		fail = [&](const std::string &what) {
		*error = what + " at position " + std::to_string(i + 1);
		return false;
	};
	auto		skip_space = [&]() {
		while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
			i++;
	};

	skip_space();
	if (i == len)
		return fail("empty path list");
	while (i < len)
	{
		skip_space();
		if (i >= len || text[i] != '$')
			return fail("expected a path starting with $");
		i++;

		uint32_t	h = RootPathHash();

		for (;;)
		{
			if (i < len && text[i] == '.')
			{
				i++;
				std::string name;

				if (i < len && text[i] == '"')
				{
					i++;
					while (i < len && text[i] != '"')
					{
						if (text[i] == '\\' && i + 1 < len)
							i++;
						name.push_back(text[i++]);
					}
					if (i >= len)
						return fail("unterminated quoted key");
					i++;
				}
				else
				{
					if (i < len && text[i] == '*')
						return fail("wildcards are not allowed in a path list (use anypath = true)");
					while (i < len && IsIdentifierChar(text[i]))
						name.push_back(text[i++]);
					if (name.empty())
						return fail("expected a key name after .");
				}
				h = PathStepHash(h, name.data(), name.size());
			}
			else if (i < len && text[i] == '[')
			{
				/* array steps are not part of index paths */
				while (i < len && text[i] != ']')
					i++;
				if (i >= len)
					return fail("unterminated [");
				i++;
			}
			else
				break;
		}
		hashes->push_back(h);
		skip_space();
		if (i < len)
		{
			if (text[i] != ',')
				return fail("expected , between paths");
			i++;
			skip_space();
			if (i == len)
				return fail("expected a path after ,");
		}
	}
	return true;
}

}							/* namespace pathx */
