/*-------------------------------------------------------------------------
 *
 * query_internal.h
 *	  The query builder's working types, shared by the files that build,
 *	  render and serialise a query; not for the glue.
 *
 * A query is built in three passes over one tree, each in a file of its
 * own:
 *	 - query_expr.cpp walks the input (AstNodes or LeafRequests) and grows
 *	   an Expr tree whose leaves are index searches (Leaf), which
 *	   query_leaves.cpp makes; the rules of what is necessary live there;
 *	 - query_explain.cpp renders that tree as the explain text
 *	   (Builder::Render) and holds the spelling of values and types that
 *	   leaf texts share;
 *	 - query_program.cpp flattens it into a Program image
 *	   (Builder::Emit, Builder::Finish) and evaluates images.
 * The passes meet in the Builder class below, which owns the leaves; its
 * member functions are defined in the file of their pass.
 *
 * Everything here is in namespace pathx::query_internal: outside the core,
 * only the functions of query_expr.h and query_program.h are meant to be
 * called.  Like the rest of the core, these types never see PostgreSQL
 * and allocate only with std:: containers (so they may throw
 * std::bad_alloc, which the glue catches).
 *
 * extension/src/core/query_internal.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_QUERY_INTERNAL_H
#define PATHX_QUERY_INTERNAL_H

#include "core/no_postgres.h"
#include "core/query_expr.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace pathx
{

namespace query_internal
{

/*
 * And at most this many items visited in all.  Trees from PostgreSQL's
 * jsonpath are visited once per item, but a budget also bounds what a
 * malformed input (shared or cyclic children, found by fuzzing) could make
 * exponential or endless.  Past it, the rest of the query is FULL.
 */
constexpr long kMaxVisits = 50000;

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

/* Explain spelling shared by leaf texts (query_explain.cpp). */
std::string KeyValueLiteral(const uint8_t *key, size_t len);
const char *TagName(KeyTag tag);

}							/* namespace query_internal */

}							/* namespace pathx */

#endif							/* PATHX_QUERY_INTERNAL_H */
