/*-------------------------------------------------------------------------
 *
 * no_postgres.h
 *	  Guard included first by every header of the pure C++ core.
 *
 * The core (key encoding, query expressions) must never call PostgreSQL:
 * an ereport() inside it would longjmp over C++ frames and skip their
 * destructors.  Refusing to compile when postgres.h is already in scope
 * keeps that rule mechanical.  Glue files include core headers before any
 * PostgreSQL header.
 *
 * extension/src/core/no_postgres.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_NO_POSTGRES_H
#define PATHX_NO_POSTGRES_H

#ifdef POSTGRES_H
static_assert(false, "core headers must be included before postgres.h: the core never calls PostgreSQL");
#endif

#endif /* PATHX_NO_POSTGRES_H */
