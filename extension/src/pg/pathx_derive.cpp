/*-------------------------------------------------------------------------
 *
 * pathx_derive.cpp
 *	  The index condition of one clause: from an application SQL form over
 *	  a source to `doc @@ J` (or an opclass operator) on the index column.
 *
 * px_derive looks at one restriction clause.  An opclass operator on the
 * column with an operand known before the scan is its own, exact, index
 * condition.
 * Everything else is matched against the forms the core knows
 * (core/sql_forms.cpp): px_binary takes `a <op> b` with a source on one
 * side and a constant (or a value computed before the scan) on the other,
 * tries both sides ('commuted'), and names the form by what the operator
 * does: text =, <, LIKE, ^@ on a text source; jsonb =, @>, <@, order
 * operators, ?, ?|, ?& on a jsonb source; a btree order of numbers over a
 * chain of numeric casts.  The comparisons a form takes are named from the
 * value's side; comparison functions and btree strategies are mapped to
 * those names (order_op, strategy_op).  A clause on a source that matches
 * no form but is strict in it still requires the value to exist.
 * jsonb_path_exists / _match(_tz) on the column become @? / @@ with their
 * variables bound.  Text comparisons other than = are derived only under
 * the C collation (jsonpath compares code points), = under a
 * nondeterministic collation only requires existence.
 *
 * The condition.  px_condition turns a form, a source and a value into
 * `operand @@ J`.  A constant value (after eval_const_expressions) is
 * printed as text and J is derived now, by the core through
 * px_derive_condition; a NULL constant needs no narrowing (the clause is
 * never true).  A parameter or another expression known only at scan
 * start becomes a call of jsonb_pathx_condition(form, source, value),
 * looked up in the operator family's schema (px_lookup_functions), which
 * derives J with the same core function when the scan starts.  Numbers
 * reach the core as exact decimal text; floats go through numeric first.
 * Any such condition is lossy: the original clause stays the recheck.
 *
 * extension/src/pg/pathx_derive.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "pg/pg_glue.h"
#include "pg/pg_planner.h"
#include "pg/pathx_forms.h"
#include "pg/pathx_planner.h"

/* copyObject() needs typeof, which C++ spells decltype */
#define px_copy(obj) ((decltype(obj)) copyObjectImpl(obj))

/* Kinds of constant a form takes. */
typedef enum PxValueKind
{
	PXV_NONE,
	PXV_TEXT,
	PXV_TEXT_ARRAY,
	PXV_NUMBER,
	PXV_JSONB
} PxValueKind;

/* Can 'node' be evaluated before the scan (no Vars of this relation, not volatile)? */
static bool
is_scan_constant(PxIndexCtx *cx, Node *node)
{
	return !bms_is_member(cx->rel->relid, pull_varnos(cx->root, node)) &&
		!contain_volatile_functions(node);
}

/* ---------- constants ---------- */

/*
 * A number constant as exact decimal text.  Floats go through numeric
 * (15 or 6 significant digits, independent of extra_float_digits); the
 * float flags of the form cover that rounding.
 */
char *
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

Const *
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

const char **
source_strings(PxSource *src, int *n)
{
	const char **out = (const char **) palloc(sizeof(char *) * (list_length(src->elems) + 1));
	ListCell   *lc;

	*n = 0;
	foreach(lc, src->elems)
		out[(*n)++] = (const char *) lfirst(lc);
	return out;
}

Expr *
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

/* The btree strategy of 'opno' in the default order of 'type', or 0. */
int
btree_strategy(Oid opno, Oid type)
{
	Oid			opclass = GetDefaultOpClass(type, BTREE_AM_OID);

	if (!OidIsValid(opclass))
		return 0;
	return get_op_opfamily_strategy(opno, get_opclass_family(opclass));
}

const char *
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
const char *
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
Expr *
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
