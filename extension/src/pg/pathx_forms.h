/*-------------------------------------------------------------------------
 *
 * pathx_forms.h
 *	  Derived index conditions of application SQL forms, shared by the SQL
 *	  functions (pathx_forms.cpp) and the planner side (pathx_sources.cpp,
 *	  pathx_derive.cpp, pathx_planner.cpp).
 *
 * Include after pg/pg_glue.h.
 *
 * extension/src/pg/pathx_forms.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_PG_FORMS_H
#define PATHX_PG_FORMS_H

/*
 * jsonpath text of the condition for 'form' on the source 'elems' (see
 * core/sql_forms.h) with constants 'values', palloc'd; NULL when nothing
 * can be derived.
 */
extern char *px_derive_condition(const char *form, const char *const *elems, int nelems,
								 const char *const *values, int nvalues);

/* jsonpath text of 'jp' with the variables of 'vars' substituted, or NULL. */
extern char *px_bind_variables(JsonPath *jp, Jsonb *vars);

/* The non-NULL elements of a text[] as C strings; returns their number. */
extern int	px_text_array_strings(ArrayType *arr, char ***out);

extern Datum px_jsonpath_from_text(const char *text);

/* Planner hook set-up (pathx_planner.cpp, pathx_cost.cpp), called from _PG_init. */
extern void px_planner_init(void);
extern void px_cost_init(void);

#ifdef PATHX_PG_PLANNER_H
/* Share of the table a search returns, from sampled documents, or -1 (pathx_cost.cpp). */
extern double px_search_selectivity(PlannerInfo *root, IndexOptInfo *index, int col, Oid opno,
									Datum query);
#endif

#endif							/* PATHX_PG_FORMS_H */
