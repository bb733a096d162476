/*-------------------------------------------------------------------------
 *
 * pathx_planner.cpp
 *	  Index paths for the SQL that applications write: doc->>'k' = $1,
 *	  (doc #>> '{a,b}')::numeric > 10, doc->'k' = '"x"'::jsonb, LIKE,
 *	  IN, jsonb_path_exists(doc, path, vars), jsonb_exists(doc, k), ...
 *
 * Why a hook.  An operator class only sees clauses of the form
 * `indexed_column OP constant`.  In doc->>'k' = 'x' the operand of = is an
 * expression over doc, so PostgreSQL never offers the clause to a GIN
 * index on doc (a support function would not help either: it is consulted
 * only for clauses whose argument is the index column itself).  Like
 * PostGIS, which turns ST_DWithin into a lossy `&&` index condition, we
 * derive a lossy index condition and keep the original clause: from the
 * clause C we build `doc @@ J` (or an opclass operator such as `doc ? k`)
 * such that C implies it, put it into an IndexClause whose rinfo is C and
 * whose lossy flag is set, and offer a bitmap heap path over it.  The
 * bitmap scan's recheck condition is C itself (create_bitmap_scan_plan
 * takes the IndexClause's rinfo), so the result is exactly C's.
 *
 * The hook is set_rel_pathlist_hook: it runs after the core's own paths
 * for a base relation (and for each partition), so add_path compares our
 * path with the seq scan and the core's index paths on cost, and nothing
 * changes for relations without a jsonb_pathx_ops index or clauses we do
 * not recognise.  Row estimates stay those of C (the derived condition is
 * not a restriction clause, so it is never counted twice); the index
 * scan's own cost comes from J, whose selectivity matchingsel estimates by
 * evaluating J on the column's sampled values.
 *
 * Loading.  _PG_init installs the hook whenever the library is loaded.
 * That happens without any preload setting: when the planner first opens
 * a jsonb_pathx_ops index in a session, get_relation_info reads its
 * operator class options (RelationGetIndexAttOptions), which calls our
 * options support function and so loads this library, before the paths
 * of any relation of that query are built.  shared_preload_libraries and
 * session_preload_libraries work too.  jsonb_pathx.application_forms =
 * off turns the derivation off.
 *
 * What is derived (the forms and their traps are in core/sql_forms.h):
 *	 sources	doc->'k', ->>, -> n, #>, #>>, jsonb_extract_path(_text),
 *				doc['k'][0], jsonb_path_query_first(doc, const path);
 *	 tests		text =, IN/ANY, <>, <, <=, >, >= (C collation), LIKE,
 *				^@ / starts_with; numeric casts of text or jsonb compared
 *				with numbers; jsonb =, <, <=, >, >=, @>, <@, ?, ?|, ?&;
 *				boolean casts of jsonb and of text; IS NOT NULL; any other strict operator or
 *				function of the value (existence of the path);
 *	 functions	jsonb_path_exists/_match(_tz)(doc, path, vars, silent),
 *				jsonb_exists(_any/_all), jsonb_contains on the column;
 *	 AND / OR	of all of these and of the opclass operators, as bitmap
 *				AND / OR paths.
 * Constants may be literals or parameters: a parameter's condition is
 * computed when the scan starts, by the same core function.
 *
 * Boundary: the whole file is PostgreSQL phase (may ereport); C++ runs
 * only inside px_derive_condition and px_bind_variables (pathx_forms.cpp).
 * No object with a non-trivial destructor lives here.
 *
 * extension/src/pg/pathx_planner.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"
#include "pg/pg_planner.h"
#include "pg/pathx_forms.h"

/* copyObject() needs typeof, which C++ spells decltype */
#define px_copy(obj) ((decltype(obj)) copyObjectImpl(obj))

static set_rel_pathlist_hook_type prev_set_rel_pathlist_hook = NULL;
static bool px_application_forms = true;

/* Deeper expression trees are not searched for a source. */
#define PX_MAX_EXPR_DEPTH	32

/* What one jsonb_pathx_ops index column offers the derivation. */
typedef struct PxIndexCtx
{
	PlannerInfo *root;
	RelOptInfo *rel;
	IndexOptInfo *index;
	int			col;
	Oid			opfamily;
	Oid			op_match;		/* @@ (jsonb, jsonpath) */
	Oid			op_path_exists; /* @? (jsonb, jsonpath) */
	Oid			op_contains;	/* @> */
	Oid			op_exists;		/* ? */
	Oid			op_exists_any;	/* ?| */
	Oid			op_exists_all;	/* ?& */
	Oid			fn_cond_text;
	Oid			fn_cond_array;
	Oid			fn_cond_jsonb;
	Oid			fn_bind;
	char	   *nsp;			/* the operator family's schema */
	bool		funcs_looked_up;
	bool		funcs_ok;
	bool		strings_bytewise;	/* default collation is C: jsonb string order */
	bool		any_lossy;		/* some derived (not opclass) condition was used */
} PxIndexCtx;

/* Where a tested value comes from: steps below the index column. */
typedef struct PxSource
{
	List	   *elems;			/* C strings, see DecodeFormSource */
	bool		is_text;		/* ->>, #>>: the value's text */
	bool		is_root;		/* the indexed column itself */
	Node	   *operand;		/* the index column's expression in the clause */
} PxSource;

/* Kinds of constant a form takes. */
typedef enum PxValueKind
{
	PXV_NONE,
	PXV_TEXT,
	PXV_TEXT_ARRAY,
	PXV_NUMBER,
	PXV_JSONB
} PxValueKind;

static Node *
strip_relabel(Node *node)
{
	while (node && IsA(node, RelabelType))
		node = (Node *) ((RelabelType *) node)->arg;
	return node;
}

/* Can 'node' be evaluated before the scan (no Vars of this relation, not volatile)? */
static bool
is_scan_constant(PxIndexCtx *cx, Node *node)
{
	return !bms_is_member(cx->rel->relid, pull_varnos(cx->root, node)) &&
		!contain_volatile_functions(node);
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

static bool tz_path_is_safe(Oid funcid, Node *path);

/* Is 'node' a source of a value below the index column?  Fills 'src'. */
static bool
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

static bool px_lookup_functions(PxIndexCtx *cx);

/* ---------- constants ---------- */

static bool
is_number_type(Oid t)
{
	return t == NUMERICOID || t == INT2OID || t == INT4OID || t == INT8OID ||
		t == FLOAT4OID || t == FLOAT8OID;
}

/*
 * A number constant as exact decimal text.  Floats go through numeric
 * (15 or 6 significant digits, independent of extra_float_digits); the
 * float flags of the form cover that rounding.
 */
static char *
number_text(Datum d, Oid type)
{
	Oid			out;
	bool		varlena;

	if (type == FLOAT8OID)
		d = DirectFunctionCall1(float8_numeric, d), type = NUMERICOID;
	else if (type == FLOAT4OID)
		d = DirectFunctionCall1(float4_numeric, d), type = NUMERICOID;
	getTypeOutputInfo(type, &out, &varlena);
	return OidOutputFunctionCall(out, d);
}

/* The text form of one constant of 'kind'. */
static char *
value_text(Datum d, Oid type, PxValueKind kind)
{
	if (kind == PXV_JSONB)
	{
		Jsonb	   *jb = DatumGetJsonbP(d);

		return JsonbToCString(NULL, &jb->root, VARSIZE(jb));
	}
	if (kind == PXV_NUMBER)
		return number_text(d, type);
	return TextDatumGetCString(d);
}

/* Runtime form of a number value: its exact text. */
static Node *
number_to_text_expr(Node *value)
{
	Oid			t = exprType(value);
	CoerceViaIO *io = makeNode(CoerceViaIO);

	if (t == FLOAT8OID || t == FLOAT4OID)
		value = (Node *) makeFuncExpr(t == FLOAT8OID ? F_NUMERIC_FLOAT8 : F_NUMERIC_FLOAT4,
									  NUMERICOID, list_make1(value), InvalidOid, InvalidOid,
									  COERCE_IMPLICIT_CAST);
	io->arg = (Expr *) value;
	io->resulttype = TEXTOID;
	io->resultcollid = DEFAULT_COLLATION_OID;
	io->coerceformat = COERCE_IMPLICIT_CAST;
	io->location = -1;
	return (Node *) io;
}

static Const *
jsonpath_const(const char *text)
{
	return makeConst(JSONPATHOID, -1, InvalidOid, -1, px_jsonpath_from_text(text), false, false);
}

static Const *
source_const(PxSource *src)
{
	int			n = list_length(src->elems);
	Datum	   *d = (Datum *) palloc(sizeof(Datum) * (n > 0 ? n : 1));
	int			i = 0;
	ListCell   *lc;

	foreach(lc, src->elems)
		d[i++] = CStringGetTextDatum((char *) lfirst(lc));
	return makeConst(TEXTARRAYOID, -1, InvalidOid, -1,
					 PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT)),
					 false, false);
}

static const char **
source_strings(PxSource *src, int *n)
{
	const char **out = (const char **) palloc(sizeof(char *) * (list_length(src->elems) + 1));
	ListCell   *lc;

	*n = 0;
	foreach(lc, src->elems)
		out[(*n)++] = (const char *) lfirst(lc);
	return out;
}

static Expr *
make_index_op(Oid opno, Node *operand, Node *arg, Oid collid)
{
	OpExpr	   *op = (OpExpr *) make_opclause(opno, BOOLOID, false, (Expr *) px_copy(operand),
											  (Expr *) arg, InvalidOid, collid);

	set_opfuncid(op);
	return (Expr *) op;
}

/*
 * The derived condition `operand @@ J` for 'form' on 'src' with 'value'
 * (of 'kind'; NULL for PXV_NONE), or NULL when nothing narrows.  Constant
 * values are turned into J now; others into a call evaluated at scan start.
 */
static Expr *
px_condition(PxIndexCtx *cx, const char *form, PxSource *src, Node *value, PxValueKind kind)
{
	int			nelems;
	const char **elems = source_strings(src, &nelems);
	char	   *j;

	cx->any_lossy = true;
	if (kind != PXV_NONE)
		value = eval_const_expressions(cx->root, value);
	if (kind == PXV_NONE || IsA(strip_relabel(value), Const))
	{
		const char **values = NULL;
		int			nvalues = 0;

		if (kind != PXV_NONE)
		{
			Const	   *c = (Const *) strip_relabel(value);

			if (c->constisnull)
				return NULL;	/* compares with NULL: never true, no narrowing needed */
			if (kind == PXV_TEXT_ARRAY)
			{
				ArrayType  *arr = DatumGetArrayTypeP(c->constvalue);
				Oid			et = ARR_ELEMTYPE(arr);
				int16		typlen;
				bool		typbyval;
				char		typalign;
				Datum	   *datums;
				bool	   *nulls;
				int			count;
				PxValueKind ek = et == JSONBOID ? PXV_JSONB
					: is_number_type(et) ? PXV_NUMBER : PXV_TEXT;

				if (ek == PXV_TEXT && et != TEXTOID)
					return NULL;
				get_typlenbyvalalign(et, &typlen, &typbyval, &typalign);
				deconstruct_array(arr, et, typlen, typbyval, typalign, &datums, &nulls, &count);
				values = (const char **) palloc(sizeof(char *) * (count + 1));
				for (int i = 0; i < count; i++)
					if (!nulls[i])
						values[nvalues++] = value_text(datums[i], et, ek);
			}
			else
			{
				values = (const char **) palloc(sizeof(char *));
				values[nvalues++] = value_text(c->constvalue, c->consttype, kind);
			}
		}
		j = px_derive_condition(form, elems, nelems, values, nvalues);
		if (!j)
			return NULL;
		return make_index_op(cx->op_match, src->operand, (Node *) jsonpath_const(j), InvalidOid);
	}

	/* a parameter (generic plan) or another expression computed at scan start */
	{
		Oid			fn;
		FuncExpr   *call;

		if (!px_lookup_functions(cx))
			return NULL;
		switch (kind)
		{
			case PXV_TEXT:
				fn = cx->fn_cond_text;
				break;
			case PXV_NUMBER:
				fn = cx->fn_cond_text;
				value = number_to_text_expr(value);
				break;
			case PXV_JSONB:
				fn = cx->fn_cond_jsonb;
				break;
			case PXV_TEXT_ARRAY:
				if (exprType(value) != TEXTARRAYOID)
					return NULL;
				fn = cx->fn_cond_array;
				break;
			default:
				return NULL;
		}
		call = makeFuncExpr(fn, JSONPATHOID,
							list_make3(makeConst(TEXTOID, -1, DEFAULT_COLLATION_OID, -1,
												 CStringGetTextDatum(form), false, false),
									   source_const(src), value),
							InvalidOid, DEFAULT_COLLATION_OID, COERCE_EXPLICIT_CALL);
		return make_index_op(cx->op_match, src->operand, (Node *) call, InvalidOid);
	}
}

/* "Some value exists at the source": necessary for every strict test of it. */
static Expr *
px_exists(PxIndexCtx *cx, PxSource *src)
{
	if (src->is_root)
		return NULL;
	return px_condition(cx, "exists", src, NULL, PXV_NONE);
}

/*
 * Does 'node' reach a source only through strict functions, operators and
 * casts (so that a NULL value makes it NULL)?
 */
static bool
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
static bool
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

/* The btree strategy of 'opno' in the default order of 'type', or 0. */
static int
btree_strategy(Oid opno, Oid type)
{
	Oid			opclass = GetDefaultOpClass(type, BTREE_AM_OID);

	if (!OidIsValid(opclass))
		return 0;
	return get_op_opfamily_strategy(opno, get_opclass_family(opclass));
}

static const char *
strategy_op(int strategy, bool commuted)
{
	switch (strategy)
	{
		case BTLessStrategyNumber:
			return commuted ? "gt" : "lt";
		case BTLessEqualStrategyNumber:
			return commuted ? "ge" : "le";
		case BTEqualStrategyNumber:
			return "eq";
		case BTGreaterEqualStrategyNumber:
			return commuted ? "le" : "ge";
		case BTGreaterStrategyNumber:
			return commuted ? "lt" : "gt";
	}
	return NULL;
}

/*
 * The order comparison a text or jsonb comparison function performs, as a
 * form's operator name, seen from the value's side ('commuted': the
 * clause was written constant <op> value); NULL for anything else.
 */
static const char *
order_op(Oid fn, bool commuted)
{
	switch (fn)
	{
		case F_TEXT_LT:
		case F_JSONB_LT:
			return commuted ? "gt" : "lt";
		case F_TEXT_LE:
		case F_JSONB_LE:
			return commuted ? "ge" : "le";
		case F_TEXT_GT:
		case F_JSONB_GT:
			return commuted ? "lt" : "gt";
		case F_TEXT_GE:
		case F_JSONB_GE:
			return commuted ? "le" : "ge";
		default:
			return NULL;
	}
}

/* ---------- clauses ---------- */

/*
 * 'a <op> b' where a may hold the source and b the constant side.
 * 'commuted' says the clause was written b <op> a.
 */
static Expr *
px_binary(PxIndexCtx *cx, Oid opno, Oid fn, Oid collid, Node *a, Node *b, bool commuted)
{
	PxSource	src;
	StringInfoData flags;

	memset(&src, 0, sizeof(src));
	if (!is_scan_constant(cx, b))
		return NULL;

	if (px_source(cx, a, &src, 0))
	{
		if (src.is_text)
		{
			switch (fn)
			{
				case F_TEXTEQ:
					/* a nondeterministic collation's = is not byte equality */
					if (OidIsValid(collid) && !get_collation_isdeterministic(collid))
						return px_exists(cx, &src);
					return px_condition(cx, "text_eq", &src, b, PXV_TEXT);
				case F_TEXT_LT:
				case F_TEXT_LE:
				case F_TEXT_GT:
				case F_TEXT_GE:
					/* jsonpath compares strings by code point: byte order only */
					if (!px_collation_is_c(collid))
						return px_exists(cx, &src);
					return px_condition(cx, psprintf("text_%s", order_op(fn, commuted)), &src, b,
										PXV_TEXT);
				case F_TEXTLIKE:
					if (commuted)
						return px_exists(cx, &src);
					return px_condition(cx, "text_like", &src, b, PXV_TEXT);
				case F_STARTS_WITH:
					if (commuted)
						return px_exists(cx, &src);
					return px_condition(cx, "text_prefix", &src, b, PXV_TEXT);
				default:
					break;
			}
			return func_strict(fn) ? px_exists(cx, &src) : NULL;
		}

		/* jsonb on the source side */
		if (exprType(b) == JSONBOID)
		{
			const char *cmp = order_op(fn, commuted);

			switch (fn)
			{
				case F_JSONB_EQ:
					return px_condition(cx, "jsonb_eq", &src, b, PXV_JSONB);
				case F_JSONB_CONTAINS:
					if (!commuted && !src.is_root)
						return px_condition(cx, "jsonb_contains", &src, b, PXV_JSONB);
					break;
				case F_JSONB_CONTAINED:
					/* b <@ a, written as a's container: a @> b */
					if (commuted && !src.is_root)
						return px_condition(cx, "jsonb_contains", &src, b, PXV_JSONB);
					break;
				default:
					break;
			}
			if (cmp && !src.is_root)
				return px_condition(cx, psprintf("jsonb_%s%s", cmp,
												 cx->strings_bytewise ? ":c" : ""),
									&src, b, PXV_JSONB);
		}
		if (!commuted && !src.is_root)
		{
			if (fn == F_JSONB_EXISTS)
				return px_condition(cx, "jsonb_key", &src, b, PXV_TEXT);
			if (fn == F_JSONB_EXISTS_ANY)
				return px_condition(cx, "jsonb_any_key", &src, b, PXV_TEXT_ARRAY);
			if (fn == F_JSONB_EXISTS_ALL)
				return px_condition(cx, "jsonb_all_keys", &src, b, PXV_TEXT_ARRAY);
		}
		return func_strict(fn) ? px_exists(cx, &src) : NULL;
	}

	/* a number cast of the value */
	memset(&src, 0, sizeof(src));
	initStringInfo(&flags);
	if (px_number_chain(cx, a, &src, &flags, 0) && is_number_type(exprType(b)))
	{
		int			strategy = btree_strategy(opno, exprType(a));
		const char *op = strategy_op(strategy, commuted);

		if (exprType(b) == FLOAT4OID)
			appendStringInfoChar(&flags, '4');	/* the constant's own rounding */
		else if (exprType(b) == FLOAT8OID)
			appendStringInfoChar(&flags, '8');
		if (!op)
			return func_strict(fn) ? px_exists(cx, &src) : NULL;
		return px_condition(cx, psprintf("num_%s:%s", op, flags.data), &src, b, PXV_NUMBER);
	}

	/* (doc->'flag')::boolean = true */
	memset(&src, 0, sizeof(src));
	a = strip_relabel(a);
	b = strip_relabel(b);
	if (fn == F_BOOLEQ && IsA(a, FuncExpr) && ((FuncExpr *) a)->funcid == F_BOOL_JSONB &&
		IsA(b, Const) && !((Const *) b)->constisnull &&
		px_source(cx, (Node *) linitial(((FuncExpr *) a)->args), &src, 0) && !src.is_text)
	{
		Const	   *v = makeConst(JSONBOID, -1, InvalidOid, -1,
								  DirectFunctionCall1(jsonb_in,
													  CStringGetDatum(DatumGetBool(((Const *) b)->constvalue)
																	  ? "true" : "false")),
								  false, false);

		return px_condition(cx, "jsonb_eq", &src, (Node *) v, PXV_JSONB);
	}
	return NULL;
}

/* jsonb_path_exists / _match (and _tz) on the column: @? / @@ with bound variables. */
/*
 * The _tz variants allow datetime comparisons that need the time zone; the
 * operators do not, and the planner's estimate evaluates the derived
 * operator on sampled rows, where such a path raises an error.  A path
 * with a datetime method is not indexable anyway: leave it alone.
 */
static bool
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

static Expr *
px_path_function(PxIndexCtx *cx, FuncExpr *f, bool match)
{
	PxSource	src;
	Node	   *path = (Node *) lsecond(f->args);
	Node	   *vars = list_length(f->args) >= 3 ? (Node *) lthird(f->args) : NULL;
	Oid			opno = match ? cx->op_match : cx->op_path_exists;

	memset(&src, 0, sizeof(src));
	if (!px_source(cx, (Node *) linitial(f->args), &src, 0))
		return NULL;
	if (!src.is_root)
		return px_exists(cx, &src);
	if (!is_scan_constant(cx, path) || (vars && !is_scan_constant(cx, vars)))
		return NULL;
	path = eval_const_expressions(cx->root, path);
	if (!tz_path_is_safe(f->funcid, path))
		return NULL;
	cx->any_lossy = true;
	if (vars)
		vars = eval_const_expressions(cx->root, vars);
	if (IsA(path, Const) && (!vars || IsA(vars, Const)))
	{
		char	   *bound;

		if (((Const *) path)->constisnull || (vars && ((Const *) vars)->constisnull))
			return NULL;
		bound = vars
			? px_bind_variables(DatumGetJsonPathP(((Const *) path)->constvalue),
								DatumGetJsonbP(((Const *) vars)->constvalue))
			: DatumGetCString(DirectFunctionCall1(jsonpath_out, ((Const *) path)->constvalue));
		if (!bound)
			return NULL;
		return make_index_op(opno, src.operand, (Node *) jsonpath_const(bound), InvalidOid);
	}
	if (!px_lookup_functions(cx))
		return NULL;
	if (!vars)
		vars = (Node *) makeConst(JSONBOID, -1, InvalidOid, -1,
								  DirectFunctionCall1(jsonb_in, CStringGetDatum("{}")), false, false);
	return make_index_op(opno, src.operand,
						 (Node *) makeFuncExpr(cx->fn_bind, JSONPATHOID, list_make2(path, vars),
											   InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL),
						 InvalidOid);
}

/*
 * The index condition for one clause, or NULL.  *lossy is false only when
 * the clause is itself an opclass operator on the column.
 */
static Expr *
px_derive(PxIndexCtx *cx, Expr *clause, bool *lossy)
{
	Node	   *node = strip_relabel((Node *) clause);
	PxSource	src;

	*lossy = true;
	memset(&src, 0, sizeof(src));
	if (IsA(node, OpExpr) && list_length(((OpExpr *) node)->args) == 2)
	{
		OpExpr	   *op = (OpExpr *) node;
		Node	   *l = (Node *) linitial(op->args);
		Node	   *r = (Node *) lsecond(op->args);
		Expr	   *e;

		set_opfuncid(op);
		if (match_index_to_operand(strip_relabel(l), cx->col, cx->index) &&
			op_in_opfamily(op->opno, cx->opfamily) && is_scan_constant(cx, r))
		{
			*lossy = false;
			return clause;
		}
		e = px_binary(cx, op->opno, op->opfuncid, op->inputcollid, l, r, false);
		if (!e)
		{
			/* px_binary flips the comparison itself ('commuted') */
			e = px_binary(cx, op->opno, op->opfuncid, op->inputcollid, r, l, true);
		}
		if (e)
			return e;
		if (px_strict_source(cx, node, &src, 0))
			return px_exists(cx, &src);
		return NULL;
	}
	if (IsA(node, FuncExpr))
	{
		FuncExpr   *f = (FuncExpr *) node;

		switch (f->funcid)
		{
			case F_JSONB_PATH_EXISTS:
			case F_JSONB_PATH_EXISTS_TZ:
				return px_path_function(cx, f, false);
			case F_JSONB_PATH_MATCH:
			case F_JSONB_PATH_MATCH_TZ:
				return px_path_function(cx, f, true);
			case F_JSONB_EXISTS:
			case F_JSONB_EXISTS_ANY:
			case F_JSONB_EXISTS_ALL:
			case F_JSONB_CONTAINS:
				{
					Node	   *a = (Node *) linitial(f->args);
					Node	   *b = (Node *) lsecond(f->args);
					Oid			opno = f->funcid == F_JSONB_EXISTS ? cx->op_exists
						: f->funcid == F_JSONB_EXISTS_ANY ? cx->op_exists_any
						: f->funcid == F_JSONB_EXISTS_ALL ? cx->op_exists_all
						: cx->op_contains;

					if (match_index_to_operand(strip_relabel(a), cx->col, cx->index) &&
						OidIsValid(opno) && is_scan_constant(cx, b))
					{
						/* the function form of an opclass operator: the operator itself */
						cx->any_lossy = true;
						return make_index_op(opno, strip_relabel(a), (Node *) px_copy(b),
											 f->inputcollid);
					}
					return px_binary(cx, InvalidOid, f->funcid, f->inputcollid, a, b, false);
				}
			case F_BOOL_JSONB:
				{
					Const	   *t = makeConst(JSONBOID, -1, InvalidOid, -1,
											  DirectFunctionCall1(jsonb_in, CStringGetDatum("true")),
											  false, false);

					if (px_source(cx, (Node *) linitial(f->args), &src, 0) && !src.is_text)
						return px_condition(cx, "jsonb_eq", &src, (Node *) t, PXV_JSONB);
					return NULL;
				}
			default:
				/* starts_with(x, 'lit'), texteq(x, 'v'), like(x, 'p%'): as their operators */
				if (list_length(f->args) == 2)
				{
					Expr	   *e = px_binary(cx, InvalidOid, f->funcid, f->inputcollid,
											  (Node *) linitial(f->args),
											  (Node *) lsecond(f->args), false);

					if (e)
						return e;
				}
				break;
		}
		if (px_strict_source(cx, node, &src, 0))
			return px_exists(cx, &src);
		return NULL;
	}
	if (IsA(node, ScalarArrayOpExpr))
	{
		ScalarArrayOpExpr *sa = (ScalarArrayOpExpr *) node;
		Node	   *a = (Node *) linitial(sa->args);
		Node	   *b = (Node *) lsecond(sa->args);
		StringInfoData flags;

		set_sa_opfuncid(sa);
		if (!sa->useOr || !is_scan_constant(cx, b))
			return NULL;
		if (px_source(cx, a, &src, 0))
		{
			if (src.is_text && sa->opfuncid == F_TEXTEQ)
			{
				if (OidIsValid(sa->inputcollid) && !get_collation_isdeterministic(sa->inputcollid))
					return px_exists(cx, &src);
				return px_condition(cx, "text_eq", &src, b, PXV_TEXT_ARRAY);
			}
			if (!src.is_text && sa->opfuncid == F_JSONB_EQ)
				return px_condition(cx, "jsonb_eq", &src, b, PXV_TEXT_ARRAY);
		}
		memset(&src, 0, sizeof(src));
		initStringInfo(&flags);
		if (px_number_chain(cx, a, &src, &flags, 0) &&
			btree_strategy(sa->opno, exprType(a)) == BTEqualStrategyNumber)
		{
			Oid			et = get_element_type(exprType(b));

			if (et == FLOAT4OID)
				appendStringInfoChar(&flags, '4');
			else if (et == FLOAT8OID)
				appendStringInfoChar(&flags, '8');
			return px_condition(cx, psprintf("num_eq:%s", flags.data), &src, b, PXV_TEXT_ARRAY);
		}
		memset(&src, 0, sizeof(src));
		if (px_strict_source(cx, node, &src, 0))
			return px_exists(cx, &src);
		return NULL;
	}
	if (is_notclause(node))
	{
		/* NOT x::boolean, which is what "x::boolean = false" is folded into */
		Node	   *arg = strip_relabel((Node *) get_notclausearg((Expr *) node));

		if (IsA(arg, FuncExpr) && ((FuncExpr *) arg)->funcid == F_BOOL_JSONB &&
			px_source(cx, (Node *) linitial(((FuncExpr *) arg)->args), &src, 0) && !src.is_text)
			return px_condition(cx, "jsonb_eq", &src,
								(Node *) makeConst(JSONBOID, -1, InvalidOid, -1,
												   DirectFunctionCall1(jsonb_in, CStringGetDatum("false")),
												   false, false), PXV_JSONB);
		if (IsA(arg, CoerceViaIO) && ((CoerceViaIO *) arg)->resulttype == BOOLOID &&
			px_source(cx, (Node *) ((CoerceViaIO *) arg)->arg, &src, 0) && src.is_text &&
			!src.is_root)
			return px_condition(cx, "text_false", &src, NULL, PXV_NONE);
		return NULL;
	}
	if (IsA(node, CoerceViaIO) && ((CoerceViaIO *) node)->resulttype == BOOLOID)
	{
		/* CAST(doc #>> '{flag}' AS BOOLEAN), and "= true", which the planner folds to it */
		if (px_source(cx, (Node *) ((CoerceViaIO *) node)->arg, &src, 0) && src.is_text &&
			!src.is_root)
			return px_condition(cx, "text_true", &src, NULL, PXV_NONE);
		return NULL;
	}
	if (IsA(node, NullTest))
	{
		NullTest   *nt = (NullTest *) node;

		if (nt->nulltesttype == IS_NOT_NULL && !nt->argisrow &&
			px_strict_source(cx, (Node *) nt->arg, &src, 0))
			return px_exists(cx, &src);
	}
	return NULL;
}

/* An IndexClause of 'rinfo' with the index condition 'qual' on our column. */
static IndexClause *
px_index_clause(PxIndexCtx *cx, RestrictInfo *rinfo, Expr *qual, bool lossy)
{
	IndexClause *ic = makeNode(IndexClause);
	RestrictInfo *derived = lossy ? make_simple_restrictinfo(cx->root, qual) : rinfo;

	/*
	 * The derived condition's selectivity is that of its index search on
	 * the sampled documents; setting it here spares PostgreSQL's estimator
	 * (matchingsel) a second evaluation of the jsonpath on every sample,
	 * which dominated planning time.
	 */
	if (lossy && IsA(qual, OpExpr) && list_length(((OpExpr *) qual)->args) == 2)
	{
		Node	   *arg = strip_relabel((Node *) lsecond(((OpExpr *) qual)->args));

		if (IsA(arg, Const) && !((Const *) arg)->constisnull)
		{
			double		sel = px_search_selectivity(cx->root, cx->index, cx->col,
													((OpExpr *) qual)->opno,
													((Const *) arg)->constvalue);

			if (sel >= 0)
			{
				derived->norm_selec = sel;
				derived->outer_selec = sel;
			}
		}
	}
	ic->rinfo = rinfo;
	ic->indexquals = list_make1(derived);
	ic->lossy = lossy;
	ic->indexcol = cx->col;
	ic->indexcols = NIL;
	return ic;
}

/* ---------- ranges: both bounds of one value ---------- */

/* One bound on a value: (doc->>'n')::numeric >= 5, doc->'n' < '9'::jsonb. */
typedef struct PxBound
{
	PxSource	src;
	char	   *key;			/* source elements and form, to pair bounds */
	char	   *flags;
	bool		lower;
	const char *op;				/* gt ge lt le */
	char	   *value;			/* the constant as text */
} PxBound;

static bool
px_bound(PxIndexCtx *cx, Expr *clause, PxBound *b)
{
	OpExpr	   *op = (OpExpr *) strip_relabel((Node *) clause);
	StringInfoData flags;
	StringInfoData key;
	ListCell   *lc;

	memset(b, 0, sizeof(*b));
	if (!IsA(op, OpExpr) || list_length(op->args) != 2)
		return false;
	set_opfuncid(op);
	for (int side = 0; side < 2; side++)
	{
		Node	   *a = (Node *) list_nth(op->args, side);
		Node	   *c = strip_relabel((Node *) list_nth(op->args, 1 - side));
		bool		commuted = side == 1;
		const char *o = NULL;

		if (!IsA(c, Const) || ((Const *) c)->constisnull)
			continue;
		memset(&b->src, 0, sizeof(b->src));
		initStringInfo(&flags);
		if (px_number_chain(cx, a, &b->src, &flags, 0) && is_number_type(((Const *) c)->consttype))
		{
			o = strategy_op(btree_strategy(op->opno, exprType(a)), commuted);
			if (((Const *) c)->consttype == FLOAT4OID)
				appendStringInfoChar(&flags, '4');
			else if (((Const *) c)->consttype == FLOAT8OID)
				appendStringInfoChar(&flags, '8');
			b->value = number_text(((Const *) c)->constvalue, ((Const *) c)->consttype);
			b->flags = flags.data;
		}
		else
		{
			Jsonb	   *jb;
			JsonbValue	v;

			memset(&b->src, 0, sizeof(b->src));
			if (((Const *) c)->consttype != JSONBOID || !px_source(cx, a, &b->src, 0) ||
				b->src.is_text || b->src.is_root)
				continue;
			jb = DatumGetJsonbP(((Const *) c)->constvalue);
			if (!JsonbExtractScalar(&jb->root, &v) || v.type != jbvNumeric)
				continue;
			if (op->opfuncid == F_JSONB_LT || op->opfuncid == F_JSONB_LE ||
				op->opfuncid == F_JSONB_GT || op->opfuncid == F_JSONB_GE)
				o = order_op(op->opfuncid, commuted);
			b->value = DatumGetCString(DirectFunctionCall1(numeric_out,
														   NumericGetDatum(v.val.numeric)));
			b->flags = NULL;	/* jsonb_range */
		}
		if (!o || strcmp(o, "eq") == 0)
			continue;
		b->op = o;
		b->lower = o[0] == 'g';
		initStringInfo(&key);
		appendStringInfo(&key, "%s|", b->flags ? b->flags : "jsonb");
		foreach(lc, b->src.elems)
			appendStringInfo(&key, "%zu:%s|", strlen((char *) lfirst(lc)), (char *) lfirst(lc));
		b->key = key.data;
		return true;
	}
	return false;
}

/*
 * Index conditions for pairs of bounds on one value among 'rinfos'
 * (BETWEEN arrives as two clauses): one range scan, attached to the first
 * clause of the pair; '*paired' lists the clauses so covered.
 */
static List *
px_range_pairs(PxIndexCtx *cx, List *rinfos, List **paired)
{
	List	   *bounds = NIL;
	List	   *owners = NIL;
	List	   *result = NIL;
	ListCell   *lc;

	foreach(lc, rinfos)
	{
		RestrictInfo *rinfo = (RestrictInfo *) lfirst(lc);
		PxBound    *b = (PxBound *) palloc(sizeof(PxBound));

		if (!IsA(rinfo, RestrictInfo) || rinfo->orclause || rinfo->pseudoconstant ||
			!restriction_is_securely_promotable(rinfo, cx->rel) ||
			!px_bound(cx, rinfo->clause, b))
			continue;
		bounds = lappend(bounds, b);
		owners = lappend(owners, rinfo);
	}
	for (int i = 0; i < list_length(bounds); i++)
	{
		PxBound    *a = (PxBound *) list_nth(bounds, i);
		RestrictInfo *ra = (RestrictInfo *) list_nth(owners, i);

		if (list_member_ptr(*paired, ra))
			continue;
		for (int j = i + 1; j < list_length(bounds); j++)
		{
			PxBound    *b = (PxBound *) list_nth(bounds, j);
			RestrictInfo *rb = (RestrictInfo *) list_nth(owners, j);
			PxBound    *lo,
					   *hi;
			const char *values[4];
			int			nelems;
			const char **elems;
			char	   *cond;

			if (list_member_ptr(*paired, rb) || a->lower == b->lower || strcmp(a->key, b->key) != 0)
				continue;
			lo = a->lower ? a : b;
			hi = a->lower ? b : a;
			values[0] = lo->op;
			values[1] = lo->value;
			values[2] = hi->op;
			values[3] = hi->value;
			elems = source_strings(&a->src, &nelems);
			cond = px_derive_condition(a->flags ? psprintf("num_range:%s", a->flags) : "jsonb_range",
									   elems, nelems, values, 4);
			if (!cond)
				continue;
			result = lappend(result,
							 px_index_clause(cx, ra, make_index_op(cx->op_match, a->src.operand,
																   (Node *) jsonpath_const(cond),
																   InvalidOid), true));
			*paired = lappend(*paired, ra);
			*paired = lappend(*paired, rb);
			cx->any_lossy = true;
			break;
		}
	}
	return result;
}

/* ---------- paths ---------- */

static Path *px_and_path(PxIndexCtx *cx, List *rinfos);

/*
 * The jsonpath text of a `doc @@ constant` condition in lax mode, or NULL:
 * what px_or_merge can combine.
 */
static char *
match_const_text(PxIndexCtx *cx, Expr *qual, Node **operand)
{
	OpExpr	   *op = (OpExpr *) qual;
	Node	   *arg;
	char	   *text;

	if (!qual || !IsA(op, OpExpr) || op->opno != cx->op_match || list_length(op->args) != 2)
		return NULL;
	arg = strip_relabel((Node *) lsecond(op->args));
	if (!IsA(arg, Const) || ((Const *) arg)->constisnull)
		return NULL;
	/*
	 * Only a predicate can be an operand of && and ||: @@ also takes a path
	 * or a literal ('$.flag', 'true'), which cannot be combined as text.
	 */
	{
		JsonPathItem v;

		jspInit(&v, DatumGetJsonPathP(((Const *) arg)->constvalue));
		if (!px_jsonpath_is_predicate(&v))
			return NULL;
	}
	text = DatumGetCString(DirectFunctionCall1(jsonpath_out, ((Const *) arg)->constvalue));
	if (strncmp(text, "strict ", 7) == 0)
		return NULL;
	*operand = (Node *) linitial(op->args);
	return text;
}

/* The derived jsonpath of an AND of clauses (RestrictInfos), or NULL. */
static char *
px_and_text(PxIndexCtx *cx, List *rinfos, Node **operand)
{
	StringInfoData buf;
	ListCell   *lc;
	int			n = 0;

	initStringInfo(&buf);
	foreach(lc, rinfos)
	{
		RestrictInfo *rinfo = (RestrictInfo *) lfirst(lc);
		bool		lossy;
		char	   *t;

		if (!IsA(rinfo, RestrictInfo) || rinfo->orclause)
			continue;
		t = match_const_text(cx, px_derive(cx, rinfo->clause, &lossy), operand);
		if (!t)
			continue;			/* a conjunct left to the recheck */
		appendStringInfo(&buf, "%s(%s)", n++ ? " && " : "", t);
	}
	return n ? buf.data : NULL;
}

/*
 * An OR whose arms all derive constant @@ conditions becomes one condition,
 * `doc @@ '(J1) || (J2)'`: one index scan instead of a BitmapOr, and the
 * OR clause stays a plain filter (a BitmapOr would also recheck it).
 */
static Expr *
px_or_merge(PxIndexCtx *cx, Expr *orclause)
{
	StringInfoData buf;
	ListCell   *lc;
	bool		saved = cx->any_lossy;
	Node	   *operand = NULL;

	initStringInfo(&buf);
	foreach(lc, ((BoolExpr *) orclause)->args)
	{
		Node	   *arm = (Node *) lfirst(lc);
		char	   *t = px_and_text(cx, is_andclause(arm) ? ((BoolExpr *) arm)->args
								   : list_make1(arm), &operand);

		if (!t)
		{
			cx->any_lossy = saved;
			return NULL;
		}
		appendStringInfo(&buf, "%s(%s)", buf.len ? " || " : "", t);
	}
	cx->any_lossy = true;
	return make_index_op(cx->op_match, operand, (Node *) jsonpath_const(buf.data), InvalidOid);
}

static Path *
px_or_path(PxIndexCtx *cx, Expr *orclause)
{
	List	   *arms = NIL;
	ListCell   *lc;

	foreach(lc, ((BoolExpr *) orclause)->args)
	{
		Node	   *arm = (Node *) lfirst(lc);
		Path	   *p;

		if (is_andclause(arm))
			p = px_and_path(cx, ((BoolExpr *) arm)->args);
		else
			p = px_and_path(cx, list_make1(arm));
		if (!p)
			return NULL;		/* one arm the index cannot narrow: the OR cannot be */
		arms = lappend(arms, p);
	}
	return (Path *) create_bitmap_or_path(cx->root, cx->rel, arms);
}

/*
 * A bitmap path for the AND of 'rinfos': the conditions we can derive go
 * into one index scan, OR clauses become bitmap ORs, and conditions we
 * cannot narrow are left to the recheck (dropping a conjunct only widens).
 */
static Path *
px_and_path(PxIndexCtx *cx, List *rinfos)
{
	List	   *paired = NIL;
	List	   *iclauses = px_range_pairs(cx, rinfos, &paired);
	List	   *bitmaps = NIL;
	ListCell   *lc;

	foreach(lc, rinfos)
	{
		RestrictInfo *rinfo = (RestrictInfo *) lfirst(lc);
		Expr	   *qual;
		bool		lossy;

		if (list_member_ptr(paired, rinfo))
			continue;			/* both bounds searched as one range above */
		if (!IsA(rinfo, RestrictInfo) || rinfo->pseudoconstant ||
			!restriction_is_securely_promotable(rinfo, cx->rel))
			continue;
		if (rinfo->orclause)
		{
			Expr	   *merged = px_or_merge(cx, rinfo->orclause);
			Path	   *p;

			if (merged)
			{
				iclauses = lappend(iclauses, px_index_clause(cx, rinfo, merged, true));
				continue;
			}
			p = px_or_path(cx, rinfo->orclause);

			if (p)
				bitmaps = lappend(bitmaps, p);
			continue;
		}
		qual = px_derive(cx, rinfo->clause, &lossy);
		if (qual)
			iclauses = lappend(iclauses, px_index_clause(cx, rinfo, qual, lossy));
	}
	if (iclauses)
		bitmaps = lcons(create_index_path(cx->root, cx->index, iclauses, NIL, NIL, NIL,
										  NoMovementScanDirection, false, NULL, 1.0, false),
						bitmaps);
	if (bitmaps == NIL)
		return NULL;
	if (list_length(bitmaps) == 1)
		return (Path *) linitial(bitmaps);
	return (Path *) create_bitmap_and_path(cx->root, cx->rel, bitmaps);
}

/* Is 'opfamily' our GIN operator family?  Fills the operator and function OIDs. */
static bool
px_index_ctx(Oid opfamily, PxIndexCtx *cx)
{
	HeapTuple	tup = SearchSysCache1(OPFAMILYOID, ObjectIdGetDatum(opfamily));
	Form_pg_opfamily f;
	bool		ours;
	char	   *nsp;

	if (!HeapTupleIsValid(tup))
		return false;
	f = (Form_pg_opfamily) GETSTRUCT(tup);
	ours = px_is_pathx_opfamily(opfamily);
	nsp = ours ? get_namespace_name(f->opfnamespace) : NULL;
	ReleaseSysCache(tup);
	if (!ours || !nsp)
		return false;

	cx->opfamily = opfamily;
	cx->op_match = get_opfamily_member(opfamily, JSONBOID, JSONPATHOID, PX_STRATEGY_JSONPATH_MATCH);
	cx->op_path_exists = get_opfamily_member(opfamily, JSONBOID, JSONPATHOID,
											 PX_STRATEGY_JSONPATH_EXISTS);
	cx->op_contains = get_opfamily_member(opfamily, JSONBOID, JSONBOID, PX_STRATEGY_CONTAINS);
	cx->op_exists = get_opfamily_member(opfamily, JSONBOID, TEXTOID, PX_STRATEGY_EXISTS);
	cx->op_exists_any = get_opfamily_member(opfamily, JSONBOID, TEXTARRAYOID,
											PX_STRATEGY_EXISTS_ANY);
	cx->op_exists_all = get_opfamily_member(opfamily, JSONBOID, TEXTARRAYOID,
											PX_STRATEGY_EXISTS_ALL);

	cx->nsp = nsp;
	return OidIsValid(cx->op_match) && OidIsValid(cx->op_path_exists);
}

/*
 * The functions that compute a condition at scan start, for values known
 * only then.  They live in the operator family's schema; an extension not
 * yet updated to 0.3 lacks them, and then such values are not narrowed.
 */
static bool
px_lookup_functions(PxIndexCtx *cx)
{
	Oid			text1[3] = {TEXTOID, TEXTARRAYOID, TEXTOID};
	Oid			array1[3] = {TEXTOID, TEXTARRAYOID, TEXTARRAYOID};
	Oid			jsonb1[3] = {TEXTOID, TEXTARRAYOID, JSONBOID};
	Oid			bind[2] = {JSONPATHOID, JSONBOID};
	char	   *nsp = cx->nsp;

	if (cx->funcs_looked_up)
		return cx->funcs_ok;
	cx->funcs_looked_up = true;
	cx->fn_cond_text = LookupFuncName(list_make2(makeString(nsp), makeString(pstrdup("jsonb_pathx_condition"))),
									  3, text1, true);
	cx->fn_cond_array = LookupFuncName(list_make2(makeString(nsp), makeString(pstrdup("jsonb_pathx_condition"))),
									   3, array1, true);
	cx->fn_cond_jsonb = LookupFuncName(list_make2(makeString(nsp), makeString(pstrdup("jsonb_pathx_condition"))),
									   3, jsonb1, true);
	cx->fn_bind = LookupFuncName(list_make2(makeString(nsp), makeString(pstrdup("jsonb_pathx_bind"))),
								 2, bind, true);

	cx->funcs_ok = OidIsValid(cx->fn_cond_text) && OidIsValid(cx->fn_cond_array) &&
		OidIsValid(cx->fn_cond_jsonb) && OidIsValid(cx->fn_bind);
	return cx->funcs_ok;
}

static void
px_set_rel_pathlist(PlannerInfo *root, RelOptInfo *rel, Index rti, RangeTblEntry *rte)
{
	ListCell   *lc;

	if (prev_set_rel_pathlist_hook)
		prev_set_rel_pathlist_hook(root, rel, rti, rte);

	if (!px_application_forms || rte->rtekind != RTE_RELATION ||
		(rel->reloptkind != RELOPT_BASEREL && rel->reloptkind != RELOPT_OTHER_MEMBER_REL) ||
		rel->baserestrictinfo == NIL || rel->indexlist == NIL)
		return;

	foreach(lc, rel->indexlist)
	{
		IndexOptInfo *index = (IndexOptInfo *) lfirst(lc);

		if (index->relam != GIN_AM_OID || (index->indpred != NIL && !index->predOK))
			continue;
		for (int col = 0; col < index->nkeycolumns; col++)
		{
			PxIndexCtx	cx;
			Path	   *bitmapqual;

			memset(&cx, 0, sizeof(cx));
			if (!px_index_ctx(index->opfamily[col], &cx))
				continue;
			cx.root = root;
			cx.rel = rel;
			cx.index = index;
			cx.col = col;
			cx.strings_bytewise = px_collation_is_c(DEFAULT_COLLATION_OID);

			bitmapqual = px_and_path(&cx, rel->baserestrictinfo);

			/* only opclass operators: the core has offered these paths already */
			if (!bitmapqual || !cx.any_lossy)
				continue;
			add_path(rel, (Path *) create_bitmap_heap_path(root, rel, bitmapqual,
														   rel->lateral_relids, 1.0, 0));
			if (rel->consider_parallel && rel->lateral_relids == NULL)
				create_partial_bitmap_paths(root, rel, bitmapqual);
		}
	}
}

void
px_planner_init(void)
{
	DefineCustomBoolVariable("jsonb_pathx.application_forms",
							 "Derives jsonb_pathx_ops index conditions from application SQL forms.",
							 "With a jsonb_pathx_ops index on a column, conditions such as "
							 "doc->>'k' = 'x', (doc->>'n')::numeric > 10 or "
							 "jsonb_path_exists(doc, path, vars) can use the index.",
							 &px_application_forms,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);

	prev_set_rel_pathlist_hook = set_rel_pathlist_hook;
	set_rel_pathlist_hook = px_set_rel_pathlist;
}

extern "C" void _PG_init(void);

extern "C" void
_PG_init(void)
{
	px_planner_init();
	px_cost_init();
	MarkGUCPrefixReserved("jsonb_pathx");
}
