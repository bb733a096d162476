/*-------------------------------------------------------------------------
 *
 * query_expr.cpp
 *	  Query decomposition into index entries: the builder's rules.
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
 * This file walks the query and combines the parts; the leaves (the index
 * searches EQ, RANGE, PREFIX, EXISTS, TYPE) are made in query_leaves.cpp.
 * The tree is rendered as explain text in query_explain.cpp and
 * serialised into a program image in query_program.cpp; the types they
 * share are in query_internal.h.
 *
 * extension/src/core/query_expr.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/query_expr.h"
#include "core/query_internal.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>
#include <vector>

namespace pathx
{

using query_internal::Builder;
using query_internal::Expr;
using query_internal::KeyValueLiteral;
using query_internal::Leaf;
using query_internal::Path;

namespace
{

/*
 * Deeper queries are not decomposed below this level; the part below is
 * FULL.  Keeps the recursion bounded for hostile input (10,000-level
 * nesting, 100,000-way ||) without ever giving a wrong answer.
 */
constexpr int kMaxDepth = 96;

/*
 * Query paths longer than this many member steps are not followed: every
 * filter copies the path it applies to, so a hostile chain of filtered
 * steps would cost quadratic memory.  Real queries are far shorter; a
 * longer one is FULL.
 */
constexpr size_t kMaxPathSteps = 256;

/* Step marker that no member-name chain can start with. */
const char	kWildStep[] = "\x01*";

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

}							/* namespace */

namespace query_internal
{

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

}							/* namespace query_internal */

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

}							/* namespace pathx */

