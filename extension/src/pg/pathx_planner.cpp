/*-------------------------------------------------------------------------
 *
 * pathx_planner.cpp
 *	  The planner hook that offers index paths for the SQL that
 *	  applications write: doc->>'k' = $1, (doc #>> '{a,b}')::numeric > 10,
 *	  doc->'k' = '"x"'::jsonb, LIKE, IN, jsonb_path_exists(doc, path,
 *	  vars), jsonb_exists(doc, k), ...
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
 *
 * Where it is done: pathx_sources.cpp recognises the sources of values,
 * pathx_derive.cpp derives the condition of one clause, and this file
 * builds the paths: the index clauses, range bounds paired into one scan,
 * ORs merged into one condition or a BitmapOr, the bitmap heap path, and
 * the hook and _PG_init (shared declarations in pathx_planner.h).
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
#include "pg/pathx_planner.h"

static set_rel_pathlist_hook_type prev_set_rel_pathlist_hook = NULL;
static bool px_application_forms = true;

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
bool
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

