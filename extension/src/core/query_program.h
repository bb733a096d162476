/*-------------------------------------------------------------------------
 *
 * query_program.h
 *	  The query program: the flat image in which a built query travels
 *	  from extractQuery to consistent / triConsistent, and its evaluation.
 *
 * A Program is a pointer-free byte image holding the entries (key bytes,
 * partial flag, MatchSpec) and the AND/OR expression nodes over them.  The
 * builder (query_expr.h) writes it; the glue copies it into palloc'd
 * memory and passes it to GIN as extra_data; consistent and
 * triConsistent evaluate it with EvaluateProgram, which never allocates
 * and never throws, so the glue calls it directly from PostgreSQL's
 * frames.  Serialisation and evaluation are in query_program.cpp.
 *
 * extension/src/core/query_program.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_QUERY_PROGRAM_H
#define PATHX_QUERY_PROGRAM_H

#include "core/no_postgres.h"
#include "core/key_encoding.h"

#include <cstddef>
#include <cstdint>

namespace pathx
{

/* Expression node kinds in a Program. */
enum class ProgOp : uint8_t
{
	kEntry,
	kAnd,
	kOr,
};

/*
 * Program image layout (all fields native-endian, 8-byte aligned blocks):
 *	 ProgramHeader
 *	 ProgramEntry[nentries]
 *	 ProgramNode[nnodes]
 *	 uint32_t children[nchildren]
 *	 key bytes
 */
struct ProgramHeader
{
	uint32_t	magic;
	uint32_t	nentries;
	uint32_t	nnodes;
	uint32_t	nchildren;
	uint32_t	root;			/* node index */
	uint8_t		result;			/* ProgramResult */
	uint8_t		pad[3];
	uint32_t	keys_offset;
	uint32_t	total_size;
};

enum class ProgramResult : uint8_t
{
	kEntries,					/* evaluate the node tree */
	kFullScan,					/* nothing indexable: every row is a candidate */
	kNothing,					/* provably no row matches */
};

struct ProgramEntry
{
	uint32_t	key_offset;		/* from the start of the key bytes */
	uint32_t	key_len;
	uint8_t		partial;
	uint8_t		pad[7];
	MatchSpec	spec;
};

struct ProgramNode
{
	ProgOp		op;
	uint8_t		pad[3];
	uint32_t	nargs;
	uint32_t	first;			/* kEntry: entry index; else first child slot */
};

constexpr uint32_t kProgramMagic = 0x70787131; /* "pxq1" */

/* Ternary values, numerically equal to GIN's GIN_FALSE/GIN_TRUE/GIN_MAYBE. */
constexpr char kTernaryFalse = 0;
constexpr char kTernaryTrue = 1;
constexpr char kTernaryMaybe = 2;

/* Accessors over a program image (which must be 8-byte aligned). */
const ProgramHeader *ProgramGetHeader(const void *image) noexcept;
const ProgramEntry *ProgramGetEntry(const void *image, uint32_t i) noexcept;
const uint8_t *ProgramGetKey(const void *image, uint32_t i) noexcept;

/*
 * Evaluate the program over entry states (GIN's check array).  With
 * 'ternary' false, check is bool[]; otherwise char[] of ternary values.
 */
char		EvaluateProgram(const void *image, const void *check, bool ternary) noexcept;

}							/* namespace pathx */

#endif /* PATHX_QUERY_PROGRAM_H */
