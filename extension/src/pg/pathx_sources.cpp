/*-------------------------------------------------------------------------
 *
 * pathx_sources.cpp
 *	  Where a tested value comes from: recognising, in a clause's
 *	  expression tree, a value below a jsonb_pathx_ops index column.
 *
 * A clause can only be narrowed by the index if what it tests is a value
 * of the indexed document: the column itself, or something reached from
 * it by steps the keys know.  px_source recognises those steps and writes
 * them as the text elements of a source (core/sql_forms.h,
 * DecodeFormSource): "k<name>" for a member (doc->'k', ->>), "i<n>" for
 * an array element (-> n, ->> n); the path elements of #>, #>>,
 * jsonb_extract_path(_text) and subscripts (doc['k'][0]) are "k<name>",
 * or "a<name>" when they look like an integer, which jsonb_get_element
 * reads as an array index or a member name (looks_like_index); and
 * "p<jsonpath>" stands for jsonb_path_query_first(doc, constant path,
 * constant vars), the variables substituted.  ->> and #>> mark the source as text
 * (is_text): the clause then tests the value's text, whose traps the core
 * handles.  Anything else (a non-constant key, a NULL path element, a
 * volatile or unknown function) is not a source.
 *
 * Around a source:
 *	 - px_strict_source accepts any chain of strict functions, operators
 *	   and casts over a source: a NULL value makes such a clause NULL, so
 *	   the clause requires the value to exist (the "exists" form);
 *	 - px_number_chain accepts the chains of numeric casts that can be
 *	   compared with a number, and records in the form flags what each
 *	   cast does to a value (reads text or jsonb, rounds to an integer or
 *	   a scale, rounds to float4 / float8), so that the core can widen the
 *	   bounds (core/form_conditions.cpp).  numeric(p, s) with a negative
 *	   scale rounds further than the widening covers and is refused.
 * The walks are recursive over the expression and bounded by
 * PX_MAX_EXPR_DEPTH and check_stack_depth().
 *
 * extension/src/pg/pathx_sources.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"
#include "pg/pg_planner.h"
#include "pg/pathx_forms.h"
#include "pg/pathx_planner.h"

/* Deeper expression trees are not searched for a source. */
#define PX_MAX_EXPR_DEPTH	32

Node *
strip_relabel(Node *node)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	return node;
}


/* jsonb_get_element reads a path element as an array index the way strtoint does. */
static bool
looks_like_index(const char *s)
{
	const char *p = s;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		p++;
	if (*p == '+' || *p == '-')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

static char *
tagged(char tag, const char *s)
{
	return psprintf("%c%s", tag, s);
}

/* A text constant, or NULL. */
static char *
const_text(Node *node)
{
	node = strip_relabel(node);
	if (!node || !IsA(node, Const) || ((Const *) node)->constisnull)
		return NULL;
	if (((Const *) node)->consttype != TEXTOID)
		return NULL;
	return TextDatumGetCString(((Const *) node)->constvalue);
}

bool
is_number_type(Oid t)
{
	return t == NUMERICOID || t == INT2OID || t == INT4OID || t == INT8OID ||
		t == FLOAT4OID || t == FLOAT8OID;
}

/*
 * The _tz variants allow datetime comparisons that need the time zone; the
 * operators do not, and the planner's estimate evaluates the derived
 * operator on sampled rows, where such a path raises an error.  A path
 * with a datetime method is not indexable anyway: leave it alone.
 */
bool
tz_path_is_safe(Oid funcid, Node *path)
{
	path = strip_relabel(path);
	if (funcid != F_JSONB_PATH_EXISTS_TZ && funcid != F_JSONB_PATH_MATCH_TZ &&
		funcid != F_JSONB_PATH_QUERY_FIRST_TZ)
		return true;
	if (!IsA(path, Const) || ((Const *) path)->constisnull)
		return false;
	return strstr(DatumGetCString(DirectFunctionCall1(jsonpath_out, ((Const *) path)->constvalue)),
				  "datetime(") == NULL;
}

/* Is 'node' a source of a value below the index column?  Fills 'src'. */
bool
px_source(PxIndexCtx *cx, Node *node, PxSource *src, int depth)
{
	Oid			fn;
	List	   *args;

	check_stack_depth();		/* recursive over the expression */
	node = strip_relabel(node);
	if (!node || depth > PX_MAX_EXPR_DEPTH)
		return false;
	if (match_index_to_operand(node, cx->col, cx->index))
	{
		src->elems = NIL;
		src->is_text = false;
		src->is_root = true;
		src->operand = node;
		return true;
	}
	if (IsA(node, SubscriptingRef))
	{
		SubscriptingRef *sr = (SubscriptingRef *) node;
		ListCell   *lc;

		if (sr->refcontainertype != JSONBOID || sr->refassgnexpr != NULL ||
			sr->reflowerindexpr != NIL)
			return false;
		if (!px_source(cx, (Node *) sr->refexpr, src, depth + 1) || src->is_text)
			return false;
		foreach(lc, sr->refupperindexpr)
		{
			Node	   *sub = strip_relabel((Node *) lfirst(lc));
			Const	   *c;
			char	   *s;

			if (!sub || !IsA(sub, Const) || ((Const *) sub)->constisnull)
				return false;
			c = (Const *) sub;
			if (c->consttype == INT4OID)
				s = psprintf("%d", DatumGetInt32(c->constvalue));
			else if (c->consttype == TEXTOID)
				s = TextDatumGetCString(c->constvalue);
			else
				return false;
			/* subscripts reach jsonb_get_element as text: a member or an index */
			src->elems = lappend(src->elems, tagged(looks_like_index(s) ? 'a' : 'k', s));
		}
		src->is_root = false;
		return true;
	}
	if (IsA(node, OpExpr))
	{
		set_opfuncid((OpExpr *) node);
		fn = ((OpExpr *) node)->opfuncid;
		args = ((OpExpr *) node)->args;
	}
	else if (IsA(node, FuncExpr))
	{
		fn = ((FuncExpr *) node)->funcid;
		args = ((FuncExpr *) node)->args;
	}
	else
		return false;

	switch (fn)
	{
		case F_JSONB_OBJECT_FIELD:
		case F_JSONB_OBJECT_FIELD_TEXT:
			{
				char	   *key;

				if (list_length(args) != 2 || !(key = const_text((Node *) lsecond(args))))
					return false;
				if (!px_source(cx, (Node *) linitial(args), src, depth + 1) || src->is_text)
					return false;
				src->elems = lappend(src->elems, tagged('k', key));
				src->is_text = fn == F_JSONB_OBJECT_FIELD_TEXT;
				src->is_root = false;
				return true;
			}
		case F_JSONB_ARRAY_ELEMENT:
		case F_JSONB_ARRAY_ELEMENT_TEXT:
			{
				Node	   *n = strip_relabel((Node *) lsecond(args));

				if (list_length(args) != 2 || !IsA(n, Const) || ((Const *) n)->constisnull ||
					((Const *) n)->consttype != INT4OID)
					return false;
				if (!px_source(cx, (Node *) linitial(args), src, depth + 1) || src->is_text)
					return false;
				src->elems = lappend(src->elems,
									 tagged('i', psprintf("%d", DatumGetInt32(((Const *) n)->constvalue))));
				src->is_text = fn == F_JSONB_ARRAY_ELEMENT_TEXT;
				src->is_root = false;
				return true;
			}
		case F_JSONB_EXTRACT_PATH:
		case F_JSONB_EXTRACT_PATH_TEXT:
			{
				Node	   *n = strip_relabel((Node *) lsecond(args));
				char	  **elems;
				int			nelems;
				Datum	   *datums;
				bool	   *nulls;
				int			count;

				if (list_length(args) != 2 || !IsA(n, Const) || ((Const *) n)->constisnull ||
					((Const *) n)->consttype != TEXTARRAYOID)
					return false;
				deconstruct_array(DatumGetArrayTypeP(((Const *) n)->constvalue), TEXTOID, -1,
								  false, TYPALIGN_INT, &datums, &nulls, &count);
				for (int i = 0; i < count; i++)
					if (nulls[i])
						return false;	/* a NULL element gives NULL: never true */
				if (!px_source(cx, (Node *) linitial(args), src, depth + 1) || src->is_text)
					return false;
				nelems = px_text_array_strings(DatumGetArrayTypeP(((Const *) n)->constvalue), &elems);
				for (int i = 0; i < nelems; i++)
					src->elems = lappend(src->elems,
										 tagged(looks_like_index(elems[i]) ? 'a' : 'k', elems[i]));
				src->is_text = fn == F_JSONB_EXTRACT_PATH_TEXT;
				src->is_root = src->is_root && nelems == 0;
				return true;
			}
		case F_JSONB_PATH_QUERY_FIRST:
		case F_JSONB_PATH_QUERY_FIRST_TZ:
			{
				Node	   *path = strip_relabel((Node *) lsecond(args));
				Node	   *vars = list_length(args) >= 3 ? strip_relabel((Node *) lthird(args)) : NULL;
				char	   *bound;

				if (!IsA(path, Const) || ((Const *) path)->constisnull ||
					!tz_path_is_safe(fn, path))
					return false;
				if (vars && (!IsA(vars, Const) || ((Const *) vars)->constisnull))
					return false;
				if (!px_source(cx, (Node *) linitial(args), src, depth + 1) || !src->is_root)
					return false;
				bound = vars
					? px_bind_variables(DatumGetJsonPathP(((Const *) path)->constvalue),
										DatumGetJsonbP(((Const *) vars)->constvalue))
					: DatumGetCString(DirectFunctionCall1(jsonpath_out, ((Const *) path)->constvalue));
				if (!bound)
					return false;
				src->elems = list_make1(tagged('p', bound));
				src->is_text = false;
				src->is_root = false;
				return true;
			}
		default:
			return false;
	}
}

/*
 * Does 'node' reach a source only through strict functions, operators and
 * casts (so that a NULL value makes it NULL)?
 */
bool
px_strict_source(PxIndexCtx *cx, Node *node, PxSource *src, int depth)
{
	List	   *args = NIL;
	ListCell   *lc;

	check_stack_depth();		/* recursive over the expression */
	node = strip_relabel(node);
	if (!node || depth > PX_MAX_EXPR_DEPTH)
		return false;
	if (px_source(cx, node, src, depth))
		return !src->is_root;
	if (IsA(node, CoerceViaIO))
		return px_strict_source(cx, (Node *) ((CoerceViaIO *) node)->arg, src, depth + 1);
	if (IsA(node, OpExpr))
	{
		set_opfuncid((OpExpr *) node);
		if (!func_strict(((OpExpr *) node)->opfuncid))
			return false;
		args = ((OpExpr *) node)->args;
	}
	else if (IsA(node, FuncExpr))
	{
		if (!func_strict(((FuncExpr *) node)->funcid) || ((FuncExpr *) node)->funcretset)
			return false;
		args = ((FuncExpr *) node)->args;
	}
	else if (IsA(node, ScalarArrayOpExpr) && ((ScalarArrayOpExpr *) node)->useOr)
	{
		/* NULL = ANY(a) is NULL or (for an empty a) false */
		set_sa_opfuncid((ScalarArrayOpExpr *) node);
		if (!func_strict(((ScalarArrayOpExpr *) node)->opfuncid))
			return false;
		return px_strict_source(cx, (Node *) linitial(((ScalarArrayOpExpr *) node)->args), src,
								depth + 1);
	}
	else
		return false;
	foreach(lc, args)
		if (px_strict_source(cx, (Node *) lfirst(lc), src, depth + 1))
			return true;
	return false;
}

/* ---------- numeric casts ---------- */

/*
 * Is 'node' a chain of numeric casts over a source?  Collects the form
 * flags (core/sql_forms.cpp): t/j for text or jsonb input, r for rounding
 * to an integer or a scale, 4/8 for float rounding.
 */
bool
px_number_chain(PxIndexCtx *cx, Node *node, PxSource *src, StringInfo flags, int depth)
{
	check_stack_depth();		/* recursive over the expression */
	node = strip_relabel(node);
	if (!node || depth > PX_MAX_EXPR_DEPTH)
		return false;
	if (IsA(node, CoerceViaIO))
	{
		CoerceViaIO *io = (CoerceViaIO *) node;

		if (!is_number_type(io->resulttype) ||
			!px_source(cx, (Node *) io->arg, src, depth + 1) || !src->is_text)
			return false;
		/* numeric_in and int*in read text exactly (int4in refuses "4.5") */
		appendStringInfoChar(flags, 't');
		if (io->resulttype == FLOAT8OID)
			appendStringInfoChar(flags, '8');
		else if (io->resulttype == FLOAT4OID)
			appendStringInfoChar(flags, '4');
		return true;
	}
	if (IsA(node, FuncExpr))
	{
		FuncExpr   *f = (FuncExpr *) node;
		Oid			in,
					out = f->funcresulttype;

		switch (f->funcid)
		{
			case F_NUMERIC_JSONB:
			case F_INT2_JSONB:
			case F_INT4_JSONB:
			case F_INT8_JSONB:
			case F_FLOAT4_JSONB:
			case F_FLOAT8_JSONB:
				if (!px_source(cx, (Node *) linitial(f->args), src, depth + 1) || src->is_text)
					return false;
				appendStringInfoChar(flags, 'j');
				if (f->funcid == F_INT2_JSONB || f->funcid == F_INT4_JSONB ||
					f->funcid == F_INT8_JSONB)
					appendStringInfoChar(flags, 'r');	/* numeric_int4 rounds */
				else if (f->funcid == F_FLOAT8_JSONB)
					appendStringInfoChar(flags, '8');
				else if (f->funcid == F_FLOAT4_JSONB)
					appendStringInfoChar(flags, '4');
				return true;
			default:
				break;
		}

		/*
		 * A cast between built-in number types (only a superuser could
		 * define one, and the built-in ones exist already).
		 */
		if ((f->funcformat != COERCE_EXPLICIT_CAST && f->funcformat != COERCE_IMPLICIT_CAST) ||
			f->args == NIL || !is_number_type(out))
			return false;
		in = exprType((Node *) linitial(f->args));
		if (!is_number_type(in))
			return false;
		if (!px_number_chain(cx, (Node *) linitial(f->args), src, flags, depth + 1))
			return false;
		if ((out == INT2OID || out == INT4OID || out == INT8OID) &&
			!(in == INT2OID || in == INT4OID || in == INT8OID))
			appendStringInfoChar(flags, 'r');
		if (out == NUMERICOID && list_length(f->args) > 1)
		{
			/*
			 * numeric(p, s) rounds to a scale: by less than 0.5 for s >= 0;
			 * PostgreSQL 15 also allows s < 0 (rounding to tens, hundreds),
			 * which moves a value further than the widening covers.
			 */
			Node	   *tm = strip_relabel((Node *) lsecond(f->args));
			int32		typmod;
			int			scale;

			if (!IsA(tm, Const) || ((Const *) tm)->constisnull)
				return false;
			typmod = DatumGetInt32(((Const *) tm)->constvalue);
			if (typmod >= (int32) VARHDRSZ)
			{
				scale = (((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024;
				if (scale < 0)
					return false;
			}
			appendStringInfoChar(flags, 'r');
		}
		if (out == FLOAT8OID || in == FLOAT8OID)
			appendStringInfoChar(flags, '8');
		if (out == FLOAT4OID || in == FLOAT4OID)
			appendStringInfoChar(flags, '4');
		return true;
	}
	return false;
}
