/*-------------------------------------------------------------------------
 *
 * pathx_planner.h
 *	  What the files of the planner side share: the context of one index
 *	  column, the description of a value's source, and the functions one
 *	  file defines and another calls.
 *
 * The planner side turns the clauses applications write into index
 * conditions on a jsonb_pathx_ops column, in three steps and three files:
 *	 - pathx_sources.cpp recognises where a tested value comes from
 *	   (doc->'k', #>>, casts, jsonb_path_query_first, ...): a PxSource;
 *	 - pathx_derive.cpp turns one clause over a source into an index
 *	   condition (px_derive), lossy unless the clause is an opclass
 *	   operator itself;
 *	 - pathx_planner.cpp is the hook: for each jsonb_pathx_ops index
 *	   column of a relation it derives the conditions of the restriction
 *	   clauses, pairs range bounds, merges ORs, and offers a bitmap path.
 * All of it is PostgreSQL phase (may ereport, allocates with palloc in the
 * planner's memory context); C++ runs only inside px_derive_condition and
 * px_bind_variables (pathx_forms.cpp).  Plain C structs, no object with a
 * non-trivial destructor.
 *
 * Include after pg/pg_glue.h and pg/pg_planner.h.
 *
 * extension/src/pg/pathx_planner.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_PG_PATHX_PLANNER_H
#define PATHX_PG_PATHX_PLANNER_H

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

/* ---------- sources (pathx_sources.cpp) ---------- */

/* 'node' without RelabelType wrappers. */
extern Node *strip_relabel(Node *node);

/* Is 't' a built-in number type (numeric, int2/4/8, float4/8)? */
extern bool is_number_type(Oid t);

/* Is a jsonpath argument of a _tz function free of datetime methods? */
extern bool tz_path_is_safe(Oid funcid, Node *path);

/* Is 'node' a source of a value below the index column?  Fills 'src'. */
extern bool px_source(PxIndexCtx *cx, Node *node, PxSource *src, int depth);

/* Does 'node' reach a source (not the column itself) only through strict calls? */
extern bool px_strict_source(PxIndexCtx *cx, Node *node, PxSource *src, int depth);

/* Is 'node' a chain of numeric casts over a source?  Appends the form flags. */
extern bool px_number_chain(PxIndexCtx *cx, Node *node, PxSource *src, StringInfo flags,
							int depth);

/* ---------- derived conditions (pathx_derive.cpp) ---------- */

/* A number constant as exact decimal text. */
extern char *number_text(Datum d, Oid type);

/* A jsonpath constant of the jsonpath text 'text'. */
extern Const *jsonpath_const(const char *text);

/* The source's elements as a palloc'd array of C strings; '*n' their number. */
extern const char **source_strings(PxSource *src, int *n);

/* `operand <opno> arg`, the operand copied. */
extern Expr *make_index_op(Oid opno, Node *operand, Node *arg, Oid collid);

/* The btree strategy of 'opno' in the default order of 'type', or 0. */
extern int	btree_strategy(Oid opno, Oid type);

/* A btree strategy as a form's operator name (lt le eq ge gt), seen from the value. */
extern const char *strategy_op(int strategy, bool commuted);

/* The order comparison of a text or jsonb comparison function, or NULL. */
extern const char *order_op(Oid fn, bool commuted);

/* The index condition for one clause, or NULL; *lossy false for an opclass operator. */
extern Expr *px_derive(PxIndexCtx *cx, Expr *clause, bool *lossy);

/* ---------- the hook (pathx_planner.cpp) ---------- */

/* Looks up the scan-start condition functions once; false when they are missing. */
extern bool px_lookup_functions(PxIndexCtx *cx);

#endif							/* PATHX_PG_PATHX_PLANNER_H */
