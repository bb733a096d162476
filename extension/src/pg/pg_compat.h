/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *	  Every difference between PostgreSQL major versions that the glue
 *	  meets, in one place.
 *
 * The glue is built and tested on PostgreSQL 15 (the server Debian 12
 * ships).  Code elsewhere calls only what this header guarantees on every
 * supported major, so a port to another major starts and, ideally, ends
 * here.  CONTRIBUTING.md ("Other PostgreSQL majors") lists what changes in
 * each major that touches this code, including what no shim can cover
 * (new jsonpath methods, new SQL/JSON syntax, parallel GIN builds).
 *
 * The branches for versions other than 15 are written from those
 * versions' headers and release notes; they are compiled only there.
 *
 * Include inside the extern "C" block of pg/pg_glue.h, after the
 * PostgreSQL headers it needs (funcapi.h, utils/guc.h, utils/pg_locale.h).
 *
 * extension/src/pg/pg_compat.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_PG_COMPAT_H
#define PATHX_PG_COMPAT_H

/* Operator class parameters (the options of jsonb_pathx_ops) need 13. */
#if PG_VERSION_NUM < 130000
#error "jsonb_pathx needs PostgreSQL 13 or later (operator class parameters)"
#endif

#if PG_VERSION_NUM < 150000
/* InitMaterializedSRF arrived in 15: the same setup, by hand */
#define MAT_SRF_USE_EXPECTED_DESC 0x01
static inline void
InitMaterializedSRF(FunctionCallInfo fcinfo, bits32 flags)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;

	(void) flags;
	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize) || rsinfo->expectedDesc == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setDesc = CreateTupleDescCopy(rsinfo->expectedDesc);
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(old);
}

/* 15 renamed EmitWarningsOnPlaceholders and made it reserve the prefix */
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * Is a collation's order plain byte order?  18 removed lc_collate_is_c;
 * the collation's pg_locale_t says it instead.
 */
static inline bool
px_collation_is_c(Oid collation)
{
#if PG_VERSION_NUM >= 180000
	return pg_newlocale_from_collation(collation)->collate_is_c;
#else
	return lc_collate_is_c(collation);
#endif
}

#endif							/* PATHX_PG_COMPAT_H */
