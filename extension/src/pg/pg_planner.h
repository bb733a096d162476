/*-------------------------------------------------------------------------
 *
 * pg_planner.h
 *	  PostgreSQL planner headers for the planner side of jsonb_pathx
 *	  (pathx_planner.cpp, pathx_sources.cpp, pathx_derive.cpp, pathx_cost.cpp),
 *	  under the same extern "C" and warning guard as pg_glue.h.
 *
 * Include after pg/pg_glue.h.
 *
 * extension/src/pg/pg_planner.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_PG_PLANNER_H
#define PATHX_PG_PLANNER_H

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
extern "C"
{
#include "access/amapi.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_statistic.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/pathnodes.h"
#include "optimizer/cost.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/plancat.h"
#include "optimizer/restrictinfo.h"
#include "parser/parse_func.h"
#include "parser/parsetree.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/pg_locale.h"
}
#pragma GCC diagnostic pop

#endif							/* PATHX_PG_PLANNER_H */
