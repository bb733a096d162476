/*-------------------------------------------------------------------------
 *
 * query_expr.cpp
 *	  Query decomposition into index entries, program images, evaluation.
 *
 * A jsonpath is decomposed the way PostgreSQL's own jsonb classes do it,
 * with more statement kinds:
 *
 *	 @? path			EXISTS(path), i.e. @@ exists(path)
 *	 @@ predicate		the predicate's AND/OR tree
 *
 * Walking a path chain ($.a ? (@.b > 1).c) keeps the current path (hash and
 * step names) and collects the filter conditions met on the way; they are
 * AND-ed with the condition at the end of the chain:
 *
 *	 path == literal			EQ		one exact key
 *	 path < <= > >= literal		RANGE	one partial scan over the path's values
 *										of the literal's type
 *	 path starts with "lit"		PREFIX	one partial scan over the path's strings
 *	 path like_regex "^lit..."	PREFIX	same, for an anchored literal prefix
 *	 exists(path), bare path	EXISTS	one partial scan over everything
 *										under the path (any value or a
 *										container member)
 *
 * Why each is necessary: a jsonpath item reached through member accessors,
 * [*]/[n] and filters is an object member (possibly inside arrays, which the
 * keys ignore) at exactly that chain of names, so if the comparison holds
 * for some item, the document produced the key (or a key in the range) for
 * that path.  Lax and strict mode differ only in which structures raise
 * errors or unwrap arrays; strict mode can only reject more documents, so
 * the lax reasoning covers both.
 *
 * Partly narrowed: path != literal holds only for an existing item, so it
 * is EXISTS(path); path.type() == "name" is the path's keys of that type
 * (TYPE), and FULL for a name that is not a jsonb type; with anypath =
 * true, a chain through .* or .** is searched under the last member name
 * alone (LAST, see core/index_options.h).
 *
 * What stays unindexable (FULL): negation (!, is unknown), wildcard steps
 * without anypath, other item methods, arithmetic, variables, comparisons
 * of two paths, a predicate followed by an accessor (($.a == 1) ? (...)),
 * and anything nested deeper than kMaxDepth.  A FULL part drops out of an
 * AND and turns an OR into FULL.  The conditions collected before such a
 * step are still necessary and are kept.
 *
 * extension/src/core/query_expr.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/query_expr.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

namespace pathx
{

namespace
{

/*
 * Deeper queries are not decomposed below this level; the part below is
 * FULL.  Keeps the recursion bounded for hostile input (10,000-level
 * nesting, 100,000-way ||) without ever giving a wrong answer.
 */
constexpr int kMaxDepth = 96;

/*
 * And at most this many items visited in all.  Trees from PostgreSQL's
 * jsonpath are visited once per item, but a budget also bounds what a
 * malformed input (shared or cyclic children, found by fuzzing) could make
 * exponential or endless.  Past it, the rest of the query is FULL.
 */
constexpr long kMaxVisits = 50000;

/*
 * Query paths longer than this many member steps are not followed: every
 * filter copies the path it applies to, so a hostile chain of filtered
 * steps would cost quadratic memory.  Real queries are far shorter; a
 * longer one is FULL.
 */
constexpr size_t kMaxPathSteps = 256;

/*
 * A path as the builder walks it.  kExact is a member-name chain from the
 * root; after a wildcard step the path is only known by its last member
 * name (kLastName) or not at all (kAnyPath), which only anypath indexes
 * can search.
 */
struct Path
{
	enum class Mode
	{
		kExact,
		kLastName,
		kAnyPath,
	};

	Mode		mode = Mode::kExact;
	uint32_t	hash = RootPathHash();
	Coverage	cov{false, false};
	std::vector<std::string> steps;
	std::string text = "$";
};

/* Step marker that no member-name chain can start with. */
const char	kWildStep[] = "\x01*";

struct Leaf
{
	bool		partial = false;
	std::string key;			/* exact key, or the partial scan's start key */
	MatchSpec	spec{};
	std::vector<std::string> steps; /* for implied-existence checks */
	std::string explain;
};

struct Expr
{
	enum class Kind
	{
		kFull,
		kNothing,
		kLeaf,
		kAnd,
		kOr,
	};

	Kind		kind = Kind::kFull;
	int			leaf = -1;
	std::vector<Expr> args;

	static Expr Full()
	{
		return Expr();
	}
	static Expr Nothing()
	{
		Expr		e;

		e.kind = Kind::kNothing;
		return e;
	}
};

/* A key's value as a jsonpath-like literal: 1, "x", true, null. */
std::string
KeyValueLiteral(const uint8_t *key, size_t len)
{
	if (KeyTagBits(key, len) == static_cast<uint8_t>(KeyTag::kNumber))
		return NumberText(key + kKeyHeaderBytes, len - kKeyHeaderBytes);

	std::string d = DescribeKeyValue(key, len);

	if (d.compare(0, 7, "string ") == 0)
		return d.substr(7);
	return d;
}

const char *
TagName(KeyTag tag)
{
	switch (tag)
	{
		case KeyTag::kContainer:
			return "container";
		case KeyTag::kNull:
			return "null";
		case KeyTag::kBool:
			return "boolean";
		case KeyTag::kNumber:
			return "number";
		case KeyTag::kString:
			return "string";
	}
	return "unknown";
}

bool
StepsHavePrefix(const std::vector<std::string> &steps, const std::vector<std::string> &prefix)
{
	return steps.size() >= prefix.size() &&
		std::equal(prefix.begin(), prefix.end(), steps.begin());
}

/* Does 'e' being possible imply that something exists under 'steps'? */
bool
ImpliesExistence(const Expr &e, const std::vector<Leaf> &leaves,
				 const std::vector<std::string> &steps)
{
	switch (e.kind)
	{
		case Expr::Kind::kLeaf:
			return StepsHavePrefix(leaves[e.leaf].steps, steps);
		case Expr::Kind::kAnd:
			for (const Expr &a : e.args)
				if (ImpliesExistence(a, leaves, steps))
					return true;
			return false;
		case Expr::Kind::kOr:
			for (const Expr &a : e.args)
				if (!ImpliesExistence(a, leaves, steps))
					return false;
			return !e.args.empty();
		default:
			return false;
	}
}

/* Add 'e' to 'args' unless the same leaf is there already (x && x is x). */
void
PushUnique(std::vector<Expr> &args, Expr &&e)
{
	if (e.kind == Expr::Kind::kLeaf)
		for (const Expr &a : args)
			if (a.kind == Expr::Kind::kLeaf && a.leaf == e.leaf)
				return;
	args.push_back(std::move(e));
}

class Builder
{
  public:
	explicit Builder(const IndexOptions &options)
		: string_prefix_(std::clamp<size_t>(options.string_prefix, kMinStringPrefix, kMaxStringPrefix)),
		  options_(options)
	{
	}

	Path		RootPath() const
	{
		Path		p;

		p.cov = RootCoverage(options_);
		return p;
	}

	Expr		AddLeaf(Leaf leaf);
	Expr		Combine(Expr::Kind kind, std::vector<Expr> args);
	Expr		And(std::vector<Expr> args)
	{
		return Combine(Expr::Kind::kAnd, std::move(args));
	}
	Expr		Or(std::vector<Expr> args)
	{
		return Combine(Expr::Kind::kOr, std::move(args));
	}
	BuiltQuery	Finish(const Expr &root, bool empty_means_all);

	/* jsonpath */
	void		SetAst(const AstNode *nodes, size_t nnodes)
	{
		nodes_ = nodes;
		nnodes_ = nnodes;
	}
	Expr		PathChain(int32_t idx, const Path &current, const AstNode *cmp_literal,
						  CompareOp op, int kind, int depth);
	Expr		Bool(int32_t idx, const Path &current, int depth);
	void		SetStrict(bool strict)
	{
		strict_ = strict;
	}

	const std::vector<Leaf> &leaves() const
	{
		return leaves_;
	}

  private:
	enum
	{
		kChainExists = 0,
		kChainCompare = 1,
		kChainPrefix = 2,
	};

	const AstNode *Node(int32_t idx) const
	{
		if (idx < 0 || static_cast<size_t>(idx) >= nnodes_)
			return nullptr;
		return &nodes_[idx];
	}
	bool		IsLiteral(const AstNode *n) const
	{
		return n && n->next < 0 &&
			(n->kind == AstKind::kNumber || n->kind == AstKind::kString ||
			 n->kind == AstKind::kBool || n->kind == AstKind::kNull);
	}
	Expr		Compare(const Path &path, const AstNode *lit, CompareOp op);
	bool		BareCurrentBound(const AstNode *cmp) const;
	bool		BetweenRange(const AstNode *n, const Path &current, int depth, Expr *out);
	Expr		Prefix(const Path &path, const std::string &prefix, const char *what);
	Expr		Exists(const Path &path);
	Expr		TypeTest(const Path &path, const AstNode *lit);
	bool		Covered(const Path &path) const
	{
		if (path.mode != Path::Mode::kExact)
			return options_.anypath;
		return IsCovered(options_, path.cov);
	}
	void		Step(Path &path, const AstNode *key) const;
	size_t		LiteralValue(const AstNode *lit, KeyTag *tag, uint8_t *out, std::string *text);
	void		Render(const Expr &e, std::string &out) const;
	uint32_t	Emit(const Expr &e, std::vector<ProgramNode> &nodes,
					 std::vector<uint32_t> &children, std::vector<int> &entry_of_leaf,
					 std::vector<int> &used_leaves) const;

	bool		Spend()
	{
		return --budget_ >= 0;
	}

	size_t		string_prefix_;
	IndexOptions options_;
	bool		strict_ = false;
	long		budget_ = kMaxVisits;
	const AstNode *nodes_ = nullptr;
	size_t		nnodes_ = 0;
	std::vector<Leaf> leaves_;
	std::map<std::string, int> leaf_index_;
};

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

/*
 * AND and OR are duals: FULL (unindexable) drops out of an AND and absorbs
 * an OR; NOTHING absorbs an AND and drops out of an OR.  Nested nodes of
 * the same kind are flattened and repeated leaves kept once.
 */
Expr
Builder::Combine(Expr::Kind kind, std::vector<Expr> args)
{
	bool		is_and = kind == Expr::Kind::kAnd;
	Expr::Kind	absorbing = is_and ? Expr::Kind::kNothing : Expr::Kind::kFull;
	Expr::Kind	neutral = is_and ? Expr::Kind::kFull : Expr::Kind::kNothing;
	Expr		out;

	out.kind = kind;
	for (Expr &a : args)
	{
		if (a.kind == absorbing)
			return is_and ? Expr::Nothing() : Expr::Full();
		if (a.kind == neutral)
			continue;
		if (a.kind == kind)
			for (Expr &g : a.args)
				PushUnique(out.args, std::move(g));
		else
			PushUnique(out.args, std::move(a));
	}
	if (out.args.empty())
		return is_and ? Expr::Full() : Expr::Nothing();
	if (out.args.size() == 1)
		return std::move(out.args[0]);
	return out;
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

/* Is 'cmp' "@ <op> literal" (or mirrored) with an order operator? */
bool
Builder::BareCurrentBound(const AstNode *cmp) const
{
	if (!cmp || cmp->kind != AstKind::kCompare || cmp->cmp == CompareOp::kEq ||
		cmp->cmp == CompareOp::kNe)
		return false;

	const AstNode *l = Node(cmp->arg0);
	const AstNode *r = Node(cmp->arg1);
	auto		bare = [](const AstNode *x) {
		return x && x->kind == AstKind::kCurrent && x->next < 0;
	};

	return (bare(l) && IsLiteral(r)) || (IsLiteral(l) && bare(r));
}

/*
 * strict mode, "@ >= lo && @ <= hi": one scan over [lo, hi] instead of two
 * half-open ones.  Sound only in strict mode: there @ is one item, and a
 * comparison of an array raises an error instead of unwrapping it, so both
 * bounds hold for one scalar, whose key lies in the range.  (In lax mode
 * @ = [1, 100] satisfies @ > 5 && @ < 10 with no value between.)
 */
bool
Builder::BetweenRange(const AstNode *n, const Path &current, int depth, Expr *out)
{
	if (!BareCurrentBound(Node(n->arg0)) || !BareCurrentBound(Node(n->arg1)))
		return false;

	Expr		a = Bool(n->arg0, current, depth + 1);
	Expr		b = Bool(n->arg1, current, depth + 1);

	if (a.kind != Expr::Kind::kLeaf || b.kind != Expr::Kind::kLeaf)
		return false;

	const Leaf *la = &leaves_[a.leaf];
	const Leaf *lb = &leaves_[b.leaf];

	if (!la->partial || !lb->partial || la->spec.kind != MatchKind::kRange ||
		lb->spec.kind != MatchKind::kRange || la->spec.tag != lb->spec.tag ||
		std::memcmp(la->spec.path, lb->spec.path, kKeyHeaderBytes) != 0)
		return false;
	if (la->spec.has_hi && lb->spec.has_lo)
		std::swap(la, lb);
	if (!la->spec.has_lo || la->spec.has_hi || !lb->spec.has_hi || lb->spec.has_lo)
		return false;

	Leaf		leaf = *la;
	size_t		lo_end = la->explain.rfind(",+inf))");
	size_t		hi_start = lb->explain.rfind("(-inf,");

	if (lo_end == std::string::npos || hi_start == std::string::npos)
		return false;
	leaf.spec.has_hi = true;
	leaf.spec.hi_inclusive = lb->spec.hi_inclusive;
	leaf.spec.hi_len = lb->spec.hi_len;
	std::memcpy(leaf.spec.hi, lb->spec.hi, lb->spec.hi_len);
	leaf.explain = la->explain.substr(0, lo_end) + "," + lb->explain.substr(hi_start + 6);
	*out = AddLeaf(std::move(leaf));
	return true;
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

Expr
Builder::PathChain(int32_t idx, const Path &current, const AstNode *literal,
				   CompareOp op, int kind, int depth)
{
	if (depth > kMaxDepth || !Spend())
		return Expr::Full();

	Path		path = current;
	std::vector<Expr> conds;
	bool		known = true;

	for (const AstNode *n = Node(idx); n; n = Node(n->next))
	{
		if (!Spend())
			return Expr::Full();	/* also ends a cyclic chain */
		switch (n->kind)
		{
			case AstKind::kRoot:
				path = RootPath();
				break;
			case AstKind::kCurrent:
				path = current;
				break;
			case AstKind::kKey:
				if (path.steps.size() >= kMaxPathSteps)
				{
					known = false;
					break;
				}
				Step(path, n);
				break;
			case AstKind::kAnyArray:
				break;			/* array steps are not part of key paths */
			case AstKind::kFilter:
				conds.push_back(Bool(n->arg0, path, depth + 1));
				break;
			case AstKind::kAnyKey:
			case AstKind::kAny:
				if (!options_.anypath)
				{
					known = false;
					break;
				}
				/* from here on, only the last member name is known */
				path.mode = Path::Mode::kAnyPath;
				path.hash = AnyPathHash();
				path.steps.assign(1, kWildStep);
				path.text += n->kind == AstKind::kAny ? ".**" : ".*";
				break;
			case AstKind::kMethod:
				if (n->method == MethodKind::kType && n->next < 0 && kind == kChainCompare &&
					literal->kind == AstKind::kString && op == CompareOp::kEq)
				{
					conds.push_back(TypeTest(path, literal));
					return And(std::move(conds));
				}
				known = false;
				break;
			default:

				/*
				 * Wildcards, item methods, variables, literals: the items
				 * past this point are at unknown paths.  The filters met so
				 * far remain necessary.
				 */
				known = false;
				break;
		}
		if (!known)
			break;
	}

	if (known)
	{
		if (kind == kChainCompare)
			conds.push_back(Compare(path, literal, op));
		else if (kind == kChainPrefix)
			conds.push_back(Prefix(path, std::string(literal->str, literal->len), "PREFIX"));
		else
		{
			bool		implied = false;

			for (const Expr &c : conds)
				implied = implied || ImpliesExistence(c, leaves_, path.steps);
			if (!implied)
				conds.push_back(Exists(path));
		}
	}
	return And(std::move(conds));
}

Expr
Builder::Bool(int32_t idx, const Path &current, int depth)
{
	const AstNode *n = Node(idx);

	if (!n || depth > kMaxDepth || !Spend())
		return Expr::Full();

	/*
	 * An item after the predicate, as in ($.a == 1) ? (@ == false) or
	 * ($.a == 1).type(), makes the expression a path over the predicate's
	 * boolean, not the predicate.  Which rows such a path matches depends
	 * on what follows; rather than argue each case, search nothing.
	 */
	if (n->next >= 0)
		return Expr::Full();

	switch (n->kind)
	{
		case AstKind::kAnd:
		case AstKind::kOr:
			{
				std::vector<Expr> args;
				Expr		range;

				if (n->kind == AstKind::kAnd && strict_ && BetweenRange(n, current, depth, &range))
					return range;

				args.push_back(Bool(n->arg0, current, depth + 1));
				args.push_back(Bool(n->arg1, current, depth + 1));
				return n->kind == AstKind::kAnd ? And(std::move(args)) : Or(std::move(args));
			}
		case AstKind::kExists:
			return PathChain(n->arg0, current, nullptr, CompareOp::kEq, kChainExists, depth + 1);
		case AstKind::kCompare:
			{
				const AstNode *l = Node(n->arg0);
				const AstNode *r = Node(n->arg1);
				CompareOp	op = n->cmp;

				if (IsLiteral(r) && l && !IsLiteral(l))
					return PathChain(n->arg0, current, r, op, kChainCompare, depth + 1);
				if (IsLiteral(l) && r && !IsLiteral(r))
				{
					/* literal on the left: mirror the operator */
					switch (op)
					{
						case CompareOp::kLt:
							op = CompareOp::kGt;
							break;
						case CompareOp::kLe:
							op = CompareOp::kGe;
							break;
						case CompareOp::kGt:
							op = CompareOp::kLt;
							break;
						case CompareOp::kGe:
							op = CompareOp::kLe;
							break;
						default:
							break;
					}
					return PathChain(n->arg1, current, l, op, kChainCompare, depth + 1);
				}
				return Expr::Full();
			}
		case AstKind::kStartsWith:
			{
				const AstNode *r = Node(n->arg1);

				if (!r || r->kind != AstKind::kString || r->next >= 0)
					return Expr::Full();
				return PathChain(n->arg0, current, r, CompareOp::kEq, kChainPrefix, depth + 1);
			}
		case AstKind::kLikeRegex:
			{
				std::string prefix;

				if (!RegexLiteralPrefix(n->str, n->len, n->regex_flags, &prefix))
					return Expr::Full();

				AstNode		lit{};

				lit.kind = AstKind::kString;
				lit.next = -1;
				lit.str = prefix.data();
				lit.len = static_cast<uint32_t>(prefix.size());
				return PathChain(n->arg0, current, &lit, CompareOp::kEq, kChainPrefix, depth + 1);
			}
		default:
			/* !, is unknown, literals, paths used as predicates: not narrowing */
			return Expr::Full();
	}
}

void
Builder::Render(const Expr &e, std::string &out) const
{
	switch (e.kind)
	{
		case Expr::Kind::kFull:
			out += "FULL SCAN";
			return;
		case Expr::Kind::kNothing:
			out += "NOTHING";
			return;
		case Expr::Kind::kLeaf:
			out += leaves_[e.leaf].explain;
			return;
		case Expr::Kind::kAnd:
		case Expr::Kind::kOr:
			out += e.kind == Expr::Kind::kAnd ? "AND(" : "OR(";
			for (size_t i = 0; i < e.args.size(); i++)
			{
				if (i)
					out += ", ";
				Render(e.args[i], out);
			}
			out += ")";
			return;
	}
}

uint32_t
Builder::Emit(const Expr &e, std::vector<ProgramNode> &nodes, std::vector<uint32_t> &children,
			  std::vector<int> &entry_of_leaf, std::vector<int> &used_leaves) const
{
	ProgramNode node{};
	uint32_t	self = static_cast<uint32_t>(nodes.size());

	if (e.kind == Expr::Kind::kLeaf)
	{
		if (entry_of_leaf[e.leaf] < 0)
		{
			entry_of_leaf[e.leaf] = static_cast<int>(used_leaves.size());
			used_leaves.push_back(e.leaf);
		}
		node.op = ProgOp::kEntry;
		node.first = static_cast<uint32_t>(entry_of_leaf[e.leaf]);
		nodes.push_back(node);
		return self;
	}

	node.op = e.kind == Expr::Kind::kAnd ? ProgOp::kAnd : ProgOp::kOr;
	node.nargs = static_cast<uint32_t>(e.args.size());
	nodes.push_back(node);

	/* children slots are reserved first so they stay contiguous */
	uint32_t	first = static_cast<uint32_t>(children.size());

	children.resize(children.size() + e.args.size());
	for (size_t i = 0; i < e.args.size(); i++)
	{
		uint32_t	c = Emit(e.args[i], nodes, children, entry_of_leaf, used_leaves);

		children[first + i] = c;
	}
	nodes[self].first = first;
	return self;
}

size_t
Align8(size_t n)
{
	return (n + 7) & ~static_cast<size_t>(7);
}

BuiltQuery
Builder::Finish(const Expr &root, bool empty_means_all)
{
	BuiltQuery	out;
	ProgramHeader header{};
	std::vector<ProgramNode> nodes;
	std::vector<uint32_t> children;
	std::vector<int> entry_of_leaf(leaves_.size(), -1);
	std::vector<int> used_leaves;

	Render(root, out.explain);

	header.magic = kProgramMagic;
	if (root.kind == Expr::Kind::kFull)
		header.result = static_cast<uint8_t>(ProgramResult::kFullScan);
	else if (root.kind == Expr::Kind::kNothing)
		header.result = static_cast<uint8_t>(empty_means_all ? ProgramResult::kFullScan
											 : ProgramResult::kNothing);
	else
	{
		header.result = static_cast<uint8_t>(ProgramResult::kEntries);
		header.root = Emit(root, nodes, children, entry_of_leaf, used_leaves);
	}

	header.nentries = static_cast<uint32_t>(used_leaves.size());
	header.nnodes = static_cast<uint32_t>(nodes.size());
	header.nchildren = static_cast<uint32_t>(children.size());

	size_t		off = Align8(sizeof(ProgramHeader));
	size_t		entries_off = off;

	off = Align8(off + sizeof(ProgramEntry) * used_leaves.size());
	size_t		nodes_off = off;

	off = Align8(off + sizeof(ProgramNode) * nodes.size());
	size_t		children_off = off;

	off = Align8(off + sizeof(uint32_t) * children.size());
	header.keys_offset = static_cast<uint32_t>(off);

	std::string keys;
	std::vector<ProgramEntry> entries(used_leaves.size());

	for (size_t i = 0; i < used_leaves.size(); i++)
	{
		const Leaf &leaf = leaves_[used_leaves[i]];

		entries[i].key_offset = static_cast<uint32_t>(keys.size());
		entries[i].key_len = static_cast<uint32_t>(leaf.key.size());
		entries[i].partial = leaf.partial ? 1 : 0;
		entries[i].spec = leaf.spec;
		keys += leaf.key;
	}
	header.total_size = static_cast<uint32_t>(off + keys.size());

	out.image.assign(header.total_size, '\0');
	char	   *base = &out.image[0];

	std::memcpy(base, &header, sizeof(header));
	if (!entries.empty())
		std::memcpy(base + entries_off, entries.data(), sizeof(ProgramEntry) * entries.size());
	if (!nodes.empty())
		std::memcpy(base + nodes_off, nodes.data(), sizeof(ProgramNode) * nodes.size());
	if (!children.empty())
		std::memcpy(base + children_off, children.data(), sizeof(uint32_t) * children.size());
	if (!keys.empty())
		std::memcpy(base + off, keys.data(), keys.size());
	return out;
}

/* Offsets of the blocks of an image, recomputed from the header. */
struct Layout
{
	size_t		entries;
	size_t		nodes;
	size_t		children;
};

Layout
LayoutOf(const ProgramHeader *h) noexcept
{
	Layout		l;

	l.entries = Align8(sizeof(ProgramHeader));
	l.nodes = Align8(l.entries + sizeof(ProgramEntry) * h->nentries);
	l.children = Align8(l.nodes + sizeof(ProgramNode) * h->nnodes);
	return l;
}

char
EvalNode(const char *base, const Layout &l, uint32_t idx, const void *check,
		 bool ternary) noexcept
{
	const ProgramNode *node =
		reinterpret_cast<const ProgramNode *>(base + l.nodes) + idx;

	if (node->op == ProgOp::kEntry)
	{
		if (ternary)
			return static_cast<const char *>(check)[node->first];
		return static_cast<const bool *>(check)[node->first] ? kTernaryTrue : kTernaryFalse;
	}

	const uint32_t *children = reinterpret_cast<const uint32_t *>(base + l.children) + node->first;
	bool		is_and = node->op == ProgOp::kAnd;
	char		res = is_and ? kTernaryTrue : kTernaryFalse;

	for (uint32_t i = 0; i < node->nargs; i++)
	{
		char		v = EvalNode(base, l, children[i], check, ternary);

		if (is_and ? v == kTernaryFalse : v == kTernaryTrue)
			return v;
		if (v == kTernaryMaybe)
			res = kTernaryMaybe;
	}
	return res;
}

}							/* namespace */

void
AppendPathStep(std::string &path, const char *name, size_t len)
{
	size_t		old = path.size();
	size_t		n = FormatPathStep(name, len, nullptr, 0);

	path.resize(old + n);
	FormatPathStep(name, len, &path[old], n);
}

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

BuiltQuery
BuildJsonPathQuery(const AstNode *nodes, size_t nnodes, int32_t root, JsonPathMode mode,
				   const IndexOptions &options, bool strict)
{
	Builder		b(options);
	Path		top = b.RootPath();

	b.SetAst(nodes, nnodes);
	b.SetStrict(strict);

	/*
	 * jb @? path is jb @@ exists(path).  A predicate used as a @? path is
	 * not a chain: PathChain sees an unknown item and gives FULL, which is
	 * right, since such a path always returns one boolean item.
	 */
	Expr		e = mode == JsonPathMode::kExists
		? b.PathChain(root, top, nullptr, CompareOp::kEq, 0, 0)
		: b.Bool(root, top, 0);

	return b.Finish(e, false);
}

BuiltQuery
BuildCnfQuery(const LeafRequest *leaves, size_t nleaves, size_t ngroups, bool empty_means_all)
{
	Builder		b(IndexOptions{});
	std::vector<std::vector<Expr>> groups(ngroups);

	for (size_t i = 0; i < nleaves; i++)
	{
		const LeafRequest &r = leaves[i];
		Leaf		leaf;
		std::string path(r.path_text, r.path_text_len);

		if (r.group >= ngroups)
			continue;
		if (!r.covered)
		{
			/* no keys for this path: the leaf cannot narrow anything */
			groups[r.group].push_back(Expr::Full());
			continue;
		}
		if (r.kind == LeafKind::kExact)
		{
			leaf.key.assign(reinterpret_cast<const char *>(r.key), r.key_len);
			if (KeyTagBits(r.key, r.key_len) == static_cast<uint8_t>(KeyTag::kContainer))
				leaf.explain = "CONTAINER(" + path + ")";
			else
				leaf.explain = "EQ(" + path + " " + KeyValueLiteral(r.key, r.key_len) + ")";
		}
		else
		{
			MatchSpec  &spec = leaf.spec;
			uint8_t		start[kMaxKeyBytes];

			spec.kind = MatchKind::kPathAny;
			spec.string_prefix = static_cast<uint16_t>(kDefaultStringPrefix);
			SetKeyHeader(r.path_hash, 0, spec.path);
			leaf.partial = true;
			leaf.key.assign(reinterpret_cast<const char *>(start), PartialStartKey(spec, start));
			leaf.explain = "EXISTS(" + path + ")";
		}
		groups[r.group].push_back(b.AddLeaf(std::move(leaf)));
	}

	std::vector<Expr> conj;

	for (std::vector<Expr> &g : groups)
		conj.push_back(g.empty() ? Expr::Full() : b.Or(std::move(g)));

	/*
	 * No group at all: ?& with an empty array and @> '{}' are true for every
	 * row (FULL); ?| with an empty array is true for none.
	 */
	Expr		e = conj.empty() ? (empty_means_all ? Expr::Full() : Expr::Nothing())
		: b.And(std::move(conj));

	return b.Finish(e, empty_means_all);
}

const ProgramHeader *
ProgramGetHeader(const void *image) noexcept
{
	return static_cast<const ProgramHeader *>(image);
}

const ProgramEntry *
ProgramGetEntry(const void *image, uint32_t i) noexcept
{
	const char *base = static_cast<const char *>(image);
	Layout		l = LayoutOf(ProgramGetHeader(image));

	return reinterpret_cast<const ProgramEntry *>(base + l.entries) + i;
}

const uint8_t *
ProgramGetKey(const void *image, uint32_t i) noexcept
{
	const char *base = static_cast<const char *>(image);

	return reinterpret_cast<const uint8_t *>(base + ProgramGetHeader(image)->keys_offset +
											 ProgramGetEntry(image, i)->key_offset);
}

char
EvaluateProgram(const void *image, const void *check, bool ternary) noexcept
{
	const ProgramHeader *h = ProgramGetHeader(image);

	switch (static_cast<ProgramResult>(h->result))
	{
		case ProgramResult::kFullScan:
			return kTernaryMaybe;
		case ProgramResult::kNothing:
			return kTernaryFalse;
		case ProgramResult::kEntries:
			break;
	}
	return EvalNode(static_cast<const char *>(image), LayoutOf(h), h->root, check, ternary);
}

}							/* namespace pathx */
