/*-------------------------------------------------------------------------
 *
 * query_program.cpp
 *	  The query program: serialising a built query into a flat image, and
 *	  evaluating the image over GIN's entry states.
 *
 * GIN calls extractQuery once per scan, and consistent or triConsistent
 * once per candidate row, so the two halves of a query's life have
 * different needs.  Building may allocate and take its time; evaluation
 * runs in PostgreSQL's frames, as often as there are rows, and must not
 * allocate, throw or follow pointers that a palloc'd copy would break.
 * The program image is the hand-over between them (layout in
 * core/query_program.h): one block of bytes, 8-byte aligned sections of
 * entries, expression nodes, child indexes and key bytes, all addressed
 * by offsets, which the glue copies into palloc'd memory as it is.
 *
 * Serialising (Builder::Finish, Builder::Emit) numbers the leaves that the
 * final tree still uses, in the order it first meets them: those are GIN's
 * entries, and an entry's index is its slot in GIN's check array.  A leaf
 * shared by two branches is one entry.  An AND or OR node's children sit
 * in one contiguous run of the children array, reserved before the
 * children themselves are emitted.  A tree that is FULL or NOTHING has no
 * nodes; the header's result says so, and an empty containment query may
 * turn NOTHING into a full scan ('empty_means_all').
 *
 * Evaluating (EvaluateProgram) is three-valued, like triConsistent: an
 * entry is false, true or maybe; AND is false if any child is false,
 * OR true if any child is true, and otherwise maybe as soon as one child
 * is maybe.  With bool input (consistent) there is no maybe, and the
 * result is exactly the tree's truth over the entries present.  Because
 * every entry is a necessary condition, "true" here only means "a
 * candidate": the glue always asks the executor to recheck
 * (gin_jsonb_pathx.cpp).
 *
 * extension/src/core/query_program.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/query_program.h"
#include "core/query_internal.h"

#include <cstring>
#include <string>
#include <vector>

namespace pathx
{

namespace
{

size_t
Align8(size_t n)
{
	return (n + 7) & ~static_cast<size_t>(7);
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

namespace query_internal
{

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

}							/* namespace query_internal */

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

