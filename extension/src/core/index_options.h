/*-------------------------------------------------------------------------
 *
 * index_options.h
 *	  Per-index options of jsonb_pathx_ops, in plain data, and the rules
 *	  that decide which paths an index covers.
 *
 *	 paths = '$.user, $.items[*].sku'	index only keys under these paths
 *	 exclude_paths = '$.user.notes'		... except under these
 *	 string_prefix = 32					bytes of a string kept in order
 *	 anypath = true						also path-agnostic keys, so that
 *										.* and .** queries can use the index
 *
 * Coverage is decided on path hashes, one step at a time, the same way on
 * the document side (which keys get indexed) and on the query side (which
 * conditions may be searched): a key at path X is indexed when some prefix
 * of X (X itself included) is in the include list, or the list is empty,
 * and no prefix of X is in the exclude list.  A query condition at path X
 * is only searched when X is covered; otherwise it counts as unindexable,
 * which can make a query a full scan but never loses a row.  Hash
 * collisions cannot break this: both sides compute the same function.
 *
 * With anypath, every scalar also gets a key under the ANY path, and every
 * object member also gets its keys under LAST(member name).  A query path
 * containing .* or .** is then searched under LAST(name of its last member
 * step), or under ANY when it ends in a wildcard.  These keys are emitted
 * for every path, whatever the include and exclude lists say, because a
 * wildcard may reach any of them.
 *
 * extension/src/core/index_options.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_INDEX_OPTIONS_H
#define PATHX_INDEX_OPTIONS_H

#include "core/no_postgres.h"
#include "core/key_encoding.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pathx
{

struct IndexOptions
{
	uint32_t	string_prefix = kDefaultStringPrefix;
	bool		anypath = false;
	const uint32_t *include = nullptr; /* path hashes; none: every path */
	uint32_t	ninclude = 0;
	const uint32_t *exclude = nullptr;
	uint32_t	nexclude = 0;
};

/* Where a path stands with respect to the include and exclude lists. */
struct Coverage
{
	bool		included;
	bool		excluded;
};

Coverage	RootCoverage(const IndexOptions &opts) noexcept;
Coverage	StepCoverage(const IndexOptions &opts, Coverage parent, uint32_t step_hash) noexcept;
bool		IsCovered(const IndexOptions &opts, Coverage cov) noexcept;

/* Path words of the path-agnostic keys. */
uint32_t	AnyPathHash() noexcept;
uint32_t	LastNameHash(const char *name, size_t len) noexcept;

/*
 * Parse an option value such as '$.user, $.items[*].sku, $."odd key"'
 * into path hashes.  Array steps are accepted and ignored, like everywhere
 * in this index.  Returns false with a message naming the problem.
 */
bool		ParsePathList(const char *text, size_t len, std::vector<uint32_t> *hashes,
						  std::string *error);

}							/* namespace pathx */

#endif /* PATHX_INDEX_OPTIONS_H */
