/*-------------------------------------------------------------------------
 *
 * query_explain.cpp
 *	  The explain text of a built query: what jsonb_pathx_explain() shows
 *	  and what the regression tests compare.
 *
 * Every leaf gets its text when the builder creates it (query_expr.cpp):
 * the search kind, the path as jsonpath text and the value, e.g.
 *
 *	 EQ($.status "paid")					one exact key
 *	 RANGE($.total number (4900,+inf))		a partial scan between bounds
 *	 PREFIX($.sku "AB")						strings starting with a prefix
 *	 EXISTS($.a.b)							anything under the path
 *	 TYPE($.a string), CONTAINER($.a)		values of one type, a container
 *
 * The text is more than decoration.  Equal text means an equal search, so
 * the builder uses it to keep each leaf once (Builder::AddLeaf), and the
 * strict-mode merge of two bounds into one range splices the two RANGE
 * texts (Builder::BetweenRange).  Hence one spelling for each thing: the
 * values of key bytes (KeyValueLiteral), the names of key types
 * (TagName) and path steps ($.a."b c", AppendPathStep over
 * FormatPathStep, the spelling jsonb_pathx_keys() shows for documents)
 * are written here, once.
 *
 * Builder::Render writes the tree over the leaves: AND(...), OR(...),
 * FULL SCAN for a query with nothing to search, NOTHING for one no row can
 * match.  Explain text is UTF-8; the glue converts it for the client.
 *
 * extension/src/core/query_explain.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/query_expr.h"
#include "core/query_internal.h"

#include <string>

namespace pathx
{

namespace query_internal
{

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

}							/* namespace query_internal */

void
AppendPathStep(std::string &path, const char *name, size_t len)
{
	size_t		old = path.size();
	size_t		n = FormatPathStep(name, len, nullptr, 0);

	path.resize(old + n);
	FormatPathStep(name, len, &path[old], n);
}

}							/* namespace pathx */

