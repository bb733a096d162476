/*-------------------------------------------------------------------------
 *
 * key_encoding.h
 *	  Layout of jsonb_pathx_ops index keys, and the partial-match rules.
 *
 * Every GIN key is a short byte string, compared with memcmp (shorter
 * first on a tie):
 *
 *		[path hash: 28 bits | tag: 4 bits, big endian][value bytes]
 *
 * The path is the chain of object member names from the document root to
 * the value, with array steps left out, so {"a":[{"b":1}]} and
 * {"a":{"b":1}} both give path a.b.  Leaving arrays out is what lets lax
 * jsonpath (which unwraps arrays) and containment (which matches array
 * elements anywhere) use one key; the executor's recheck restores the exact
 * structure.
 *
 * Packing the tag into the low bits of the path word keeps the fixed part of
 * every key at four bytes: GIN stores one entry tuple per distinct key, and
 * for unique values (ids, timestamps, e-mails) that overhead is the index.
 *
 * Because the path hash comes first and the tag second, all values of one
 * type under one path are contiguous in the GIN entry tree, and within a
 * type the value bytes sort in jsonpath's order.  A range, a prefix or an
 * "any value under this path" test is therefore one contiguous partial-match
 * scan starting at a short key.
 *
 * Value encodings, by tag:
 *	 Container	no value bytes: the member holds an object or an array.
 *				Emitted so that {"a": {}} and path existence of $.a work
 *				when a has no scalar below it.
 *	 Null		no value bytes.
 *	 Bool		one byte, 0 or 1.
 *	 Number		an exact, order-preserving decimal form: a class byte
 *				(negative, zero, positive, or saturated +-infinity), the
 *				base-100 exponent, then base-100 digit pairs with trailing
 *				zeros removed (see EncodeNumber).  Equal numerics written
 *				differently (1, 1.0, 1e0) give one key; 1234.56 takes five
 *				bytes.  Digits past the 32nd are dropped and exponents
 *				beyond +-32767 (1e65534, far past any double) saturate: the
 *				mapping stays monotone (never reverses two values) but is
 *				not injective there, so every range test on numbers treats
 *				its bounds as inclusive and leaves the rest to the recheck.
 *	 String		UTF-8 bytes (byte order is code point order, which is
 *				what jsonpath compares).  Strings longer than the prefix
 *				length P are cut to exactly P bytes and followed by 0xFF and
 *				a 4-byte hash of the whole string.  0xFF never occurs in
 *				UTF-8, so the marker is unambiguous, equality stays exact up
 *				to hash collisions, and key size stays bounded.  A truncated
 *				key stands for "some string starting with these P bytes" and
 *				sorts after the untruncated string equal to its prefix.
 *
 * extension/src/core/key_encoding.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef PATHX_KEY_ENCODING_H
#define PATHX_KEY_ENCODING_H

#include "core/no_postgres.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace pathx
{

enum class KeyTag : uint8_t
{
	kContainer = 0x01,
	kNull = 0x02,
	kBool = 0x03,
	kNumber = 0x04,
	kString = 0x05,
};

constexpr size_t kKeyHeaderBytes = 4;	/* 28-bit path hash, 4-bit tag */
constexpr size_t kDefaultStringPrefix = 32;
constexpr size_t kMinStringPrefix = 4;
constexpr size_t kMaxStringPrefix = 256;
constexpr uint8_t kTruncationMarker = 0xFF;
constexpr size_t kStringHashBytes = 4;
constexpr size_t kMaxNumberDigitPairs = 16;
constexpr size_t kMaxNumberBytes = 1 + 3 + kMaxNumberDigitPairs + 1;

/* Largest value part and largest key any document or query can produce. */
constexpr size_t kMaxValueBytes = kMaxStringPrefix + 1 + kStringHashBytes;
constexpr size_t kMaxKeyBytes = kKeyHeaderBytes + kMaxValueBytes;

/* Path hashing: the root path, and one member step below a parent path. */
uint32_t RootPathHash() noexcept;
uint32_t PathStepHash(uint32_t parent, const char *name, size_t len) noexcept;

/* Hash of a whole string, stored after a truncated string prefix. */
uint32_t StringHash(const char *s, size_t len) noexcept;

/*
 * Value encoders.  'out' must hold kMaxValueBytes; the return value is the
 * number of bytes written.
 *
 * EncodeNumber reads decimal text as numeric_out prints it (and also
 * accepts an exponent, 1e400).  It never fails: text that is not a number
 * encodes as zero, still a valid (if useless) key.
 */
size_t EncodeNumber(const char *text, size_t len, uint8_t *out) noexcept;
size_t EncodeString(const char *s, size_t len, size_t prefix, uint8_t *out) noexcept;

/* A whole key: header plus value.  'out' must hold kMaxKeyBytes. */
size_t MakeKey(uint32_t path_hash, KeyTag tag, const uint8_t *value,
			   size_t value_len, uint8_t *out) noexcept;

/* The 4-byte header of the keys of 'path_hash' with 'tag' (0: before all). */
void SetKeyHeader(uint32_t path_hash, uint8_t tag, uint8_t *out) noexcept;

/* Key order: memcmp, shorter first on a tie. */
int CompareBytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) noexcept;

/* Decoding, for introspection and tests. */
uint32_t KeyPathBits(const uint8_t *key, size_t len) noexcept;	/* 28-bit path */
uint8_t KeyTagBits(const uint8_t *key, size_t len) noexcept;
std::string NumberText(const uint8_t *value, size_t len);	/* 1234.56, 1e+400 */

/*
 * Human-readable description of one key, without its path:
 *   container | null | true | false | number 4900 | string "abc"
 *   string "abc…" (truncated, with the hash of the full string)
 */
std::string DescribeKeyValue(const uint8_t *key, size_t len);

/* JSON-style quoting of UTF-8 text for display. */
std::string QuoteForDisplay(const char *s, size_t len);

/*
 * One path step as shown to users: .name for identifiers, ."quoted" for
 * anything else.  Writes at most 'cap' bytes to 'out' and returns the full
 * length, so a caller can size its buffer with a first call (cap 0).
 */
size_t FormatPathStep(const char *name, size_t len, char *out, size_t cap) noexcept;

/*
 * What a partial-match entry matches.  Stored in plain memory (no pointers,
 * no destructors) so the glue can copy it into a palloc'd scan context and
 * the GIN comparePartial callback can read it without any allocation.
 */
enum class MatchKind : uint8_t
{
	kPathAny = 1,			/* every key under the path hash, any tag */
	kRange = 2,				/* values of one tag within [lo, hi] */
	kStringPrefix = 3,		/* strings starting with lo */
};

struct MatchSpec
{
	MatchKind	kind;
	KeyTag		tag;
	bool		has_lo;
	bool		has_hi;
	bool		lo_inclusive;
	bool		hi_inclusive;
	uint16_t	lo_len;
	uint16_t	hi_len;
	uint16_t	string_prefix;	/* P of the index the spec was built for */
	uint8_t		path[kKeyHeaderBytes];	/* key header with tag bits 0 */
	uint8_t		lo[kMaxValueBytes];
	uint8_t		hi[kMaxValueBytes];
};

/*
 * The GIN comparePartial rule: given a key at or after the scan's start key,
 * return 0 if it may satisfy the spec, <0 to skip it, >0 to end the scan
 * (no later key can match).  See key_encoding.cpp for why each stop is safe.
 */
int ComparePartial(const MatchSpec &spec, const uint8_t *key, size_t len) noexcept;

/* The key where the partial-match scan for 'spec' starts.  Returns length. */
size_t PartialStartKey(const MatchSpec &spec, uint8_t *out) noexcept;

}							/* namespace pathx */

#endif /* PATHX_KEY_ENCODING_H */
