/*-------------------------------------------------------------------------
 *
 * query_leaves.cpp
 *	  The leaves of a query: the one index search that each narrowable
 *	  query part becomes (EQ, RANGE, PREFIX, EXISTS, TYPE).
 *
 * The walk over a jsonpath (query_expr.cpp) decides which condition a part
 * of the query implies at which path; the functions here turn that
 * condition into a Leaf: the key bytes GIN searches, whether the search is
 * exact or a partial scan, and for a partial scan the MatchSpec that
 * comparePartial tests each key against (core/key_encoding.h).
 *
 *	 EQ			one exact key: MakeKey(path hash, type, value)
 *	 RANGE		a partial scan over the path's keys of one type, from
 *				PartialStartKey(spec), bounded by the spec's lo / hi
 *	 PREFIX		the same over strings, stopping past the prefix
 *	 EXISTS		a partial scan over every key under the path
 *	 TYPE		the container (or null) key, or every key of one type
 *
 * Each is necessary for its condition because keys are exhaustive: a
 * document has a key for every member value at every (covered) path, its
 * strings cut to the indexed prefix P.  Hence the care with strings: a
 * bound is kept to P+1 bytes, enough to order any stored string against
 * it, and an equality on a long string finds the cut key (lossy, the
 * executor rechecks).  A path the index options leave out (Covered) gives
 * FULL, as does a wildcard path in an index without anypath.  The null
 * literal compares equal only to null, so <= and >= against null are an
 * equality search and < and > search nothing useful (FULL).
 *
 * AddLeaf keeps each leaf once, identified by its explain text (see
 * query_explain.cpp): the same search met twice is one GIN entry.
 *
 * extension/src/core/query_leaves.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/query_expr.h"
#include "core/query_internal.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

namespace pathx
{

namespace query_internal
{

Expr
Builder::AddLeaf(Leaf leaf)
{
	/* the explain text names path, kind and value: equal text, equal leaf */
	auto		it = leaf_index_.find(leaf.explain);
	Expr		e;

	e.kind = Expr::Kind::kLeaf;
	if (it != leaf_index_.end())
	{
		e.leaf = it->second;
		return e;
	}
	e.leaf = static_cast<int>(leaves_.size());
	leaf_index_.emplace(leaf.explain, e.leaf);
	leaves_.push_back(std::move(leaf));
	return e;
}

size_t
Builder::LiteralValue(const AstNode *lit, KeyTag *tag, uint8_t *out, std::string *text)
{
	switch (lit->kind)
	{
		case AstKind::kNumber:
			{
				size_t		n = EncodeNumber(lit->str, lit->len, out);

				*tag = KeyTag::kNumber;
				*text = NumberText(out, n);
				return n;
			}
		case AstKind::kString:
			*tag = KeyTag::kString;
			*text = QuoteForDisplay(lit->str, lit->len);
			return EncodeString(lit->str, lit->len, string_prefix_, out);
		case AstKind::kBool:
			*tag = KeyTag::kBool;
			*text = lit->bool_value ? "true" : "false";
			out[0] = lit->bool_value ? 1 : 0;
			return 1;
		default:
			*tag = KeyTag::kNull;
			*text = "null";
			return 0;
	}
}

Expr
Builder::Compare(const Path &path, const AstNode *lit, CompareOp op)
{
	uint8_t		value[kMaxValueBytes];
	uint8_t		key[kMaxKeyBytes];
	KeyTag		tag;
	std::string text;
	size_t		vlen = LiteralValue(lit, &tag, value, &text);

	if (!Covered(path))
		return Expr::Full();

	/*
	 * path != literal holds only if the path has some item (of another
	 * value, or null against a non-null): the path must exist.
	 */
	if (op == CompareOp::kNe)
		return Exists(path);

	/*
	 * null compares equal only to null, and <= / >= hold for null vs null
	 * (jsonpath's compareItems gives 0), so those are an equality search.
	 */
	if (tag == KeyTag::kNull)
	{
		if (op == CompareOp::kLt || op == CompareOp::kGt)
			return Expr::Full();
		op = CompareOp::kEq;
	}

	Leaf		leaf;

	leaf.steps = path.steps;
	if (op == CompareOp::kEq)
	{
		size_t		klen = MakeKey(path.hash, tag, value, vlen, key);

		leaf.key.assign(reinterpret_cast<const char *>(key), klen);
		leaf.explain = "EQ(" + path.text + " " + text + ")";
		return AddLeaf(std::move(leaf));
	}

	MatchSpec  &spec = leaf.spec;

	spec.kind = MatchKind::kRange;
	spec.tag = tag;
	spec.string_prefix = static_cast<uint16_t>(string_prefix_);
	SetKeyHeader(path.hash, 0, spec.path);

	/*
	 * String bounds are kept to P+1 bytes: enough to order any stored
	 * string (at most P bytes, or P bytes plus marker) against the bound.
	 */
	size_t		blen = vlen;

	if (tag == KeyTag::kString)
		blen = std::min<size_t>(lit->len, string_prefix_ + 1);
	const uint8_t *bound = tag == KeyTag::kString
		? reinterpret_cast<const uint8_t *>(lit->str) : value;

	bool		lower = (op == CompareOp::kGt || op == CompareOp::kGe);
	bool		inclusive = (op == CompareOp::kGe || op == CompareOp::kLe);

	if (lower)
	{
		spec.has_lo = true;
		spec.lo_inclusive = inclusive;
		spec.lo_len = static_cast<uint16_t>(blen);
		if (blen)
			std::memcpy(spec.lo, bound, blen);
	}
	else
	{
		spec.has_hi = true;
		spec.hi_inclusive = inclusive;
		spec.hi_len = static_cast<uint16_t>(blen);
		if (blen)
			std::memcpy(spec.hi, bound, blen);
	}

	uint8_t		start[kMaxKeyBytes];
	size_t		slen = PartialStartKey(spec, start);

	leaf.partial = true;
	leaf.key.assign(reinterpret_cast<const char *>(start), slen);
	leaf.explain = "RANGE(" + path.text + " " + TagName(tag) + " " +
		(lower ? (inclusive ? "[" : "(") + text + ",+inf)"
		 : "(-inf," + text + (inclusive ? "]" : ")")) + ")";
	return AddLeaf(std::move(leaf));
}

Expr
Builder::Prefix(const Path &path, const std::string &prefix, const char *what)
{
	if (prefix.empty() || !Covered(path))
		return Expr::Full();	/* any string: not worth a scan */

	Leaf		leaf;
	MatchSpec  &spec = leaf.spec;
	size_t		blen = std::min<size_t>(prefix.size(), string_prefix_ + 1);

	spec.kind = MatchKind::kStringPrefix;
	spec.tag = KeyTag::kString;
	spec.string_prefix = static_cast<uint16_t>(string_prefix_);
	SetKeyHeader(path.hash, 0, spec.path);
	spec.has_lo = true;
	spec.lo_inclusive = true;
	spec.lo_len = static_cast<uint16_t>(blen);
	std::memcpy(spec.lo, prefix.data(), blen);

	uint8_t		start[kMaxKeyBytes];
	size_t		slen = PartialStartKey(spec, start);

	leaf.partial = true;
	leaf.key.assign(reinterpret_cast<const char *>(start), slen);
	leaf.steps = path.steps;
	leaf.explain = std::string(what) + "(" + path.text + " " +
		QuoteForDisplay(prefix.data(), prefix.size()) + ")";
	return AddLeaf(std::move(leaf));
}

Expr
Builder::Exists(const Path &path)
{
	if (path.mode == Path::Mode::kExact && path.steps.empty())
		return Expr::Full();	/* $ always exists */
	if (path.mode == Path::Mode::kAnyPath || !Covered(path))
		return Expr::Full();

	Leaf		leaf;
	MatchSpec  &spec = leaf.spec;

	spec.kind = MatchKind::kPathAny;
	spec.string_prefix = static_cast<uint16_t>(string_prefix_);
	SetKeyHeader(path.hash, 0, spec.path);

	uint8_t		start[kMaxKeyBytes];
	size_t		slen = PartialStartKey(spec, start);

	leaf.partial = true;
	leaf.key.assign(reinterpret_cast<const char *>(start), slen);
	leaf.steps = path.steps;
	leaf.explain = "EXISTS(" + path.text + ")";
	return AddLeaf(std::move(leaf));
}

void
Builder::Step(Path &path, const AstNode *key) const
{
	const char *name = key->str;
	size_t		len = key->len;

	if (path.mode == Path::Mode::kExact)
	{
		path.hash = PathStepHash(path.hash, name, len);
		path.cov = StepCoverage(options_, path.cov, path.hash);
		path.steps.emplace_back(name, len);
	}
	else
	{
		path.mode = Path::Mode::kLastName;
		path.hash = LastNameHash(name, len);
	}
	if (key->shown)
		AppendPathStep(path.text, key->shown, key->shown_len);
	else
		AppendPathStep(path.text, name, len);
}

Expr
Builder::TypeTest(const Path &path, const AstNode *lit)
{
	std::string type(lit->str, lit->len);
	KeyTag		tag;

	if (type == "number")
		tag = KeyTag::kNumber;
	else if (type == "string")
		tag = KeyTag::kString;
	else if (type == "boolean")
		tag = KeyTag::kBool;
	else if (type == "null")
		tag = KeyTag::kNull;
	else if (type == "object" || type == "array")
		tag = KeyTag::kContainer;
	else
	{
		/*
		 * Not a type of a jsonb value.  .type() also names datetime types
		 * ("date", "time with time zone", ...) of items that .datetime()
		 * produced, and a later server may add more; an unknown name must
		 * never rule rows out.
		 */
		return Expr::Full();
	}

	/*
	 * Only members get container keys: an object or array at the root, or
	 * nested directly in an array, has none.
	 */
	if (!Covered(path) || path.mode == Path::Mode::kAnyPath ||
		(tag == KeyTag::kContainer && path.steps.empty()))
		return Expr::Full();

	Leaf		leaf;
	uint8_t		key[kMaxKeyBytes];

	leaf.steps = path.steps;
	leaf.explain = "TYPE(" + path.text + " " + type + ")";
	if (tag == KeyTag::kContainer || tag == KeyTag::kNull)
	{
		/* one exact key: the container key, or null (which has no value) */
		leaf.key.assign(reinterpret_cast<const char *>(key), MakeKey(path.hash, tag, nullptr, 0, key));
		return AddLeaf(std::move(leaf));
	}

	/* every value of that type under the path: an unbounded range */
	MatchSpec  &spec = leaf.spec;
	uint8_t		start[kMaxKeyBytes];

	spec.kind = MatchKind::kRange;
	spec.tag = tag;
	spec.string_prefix = static_cast<uint16_t>(string_prefix_);
	SetKeyHeader(path.hash, 0, spec.path);
	leaf.partial = true;
	leaf.key.assign(reinterpret_cast<const char *>(start), PartialStartKey(spec, start));
	return AddLeaf(std::move(leaf));
}

}							/* namespace query_internal */

}							/* namespace pathx */

