/*-------------------------------------------------------------------------
 *
 * key_encoding.cpp
 *	  Index key encoding and partial-match rules for jsonb_pathx_ops.
 *
 * See key_encoding.h for the layout.  Everything here is noexcept, works on
 * caller-provided buffers and never allocates on the hot paths (document
 * key extraction and comparePartial), so the glue can call it from any
 * PostgreSQL frame.
 *
 * extension/src/core/key_encoding.cpp
 *
 *-------------------------------------------------------------------------
 */
#include "core/key_encoding.h"

#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pathx
{

namespace
{

/* FNV-1a over bytes, continued from 'h'. */
uint32_t
FnvBytes(uint32_t h, const char *s, size_t len) noexcept
{
	for (size_t i = 0; i < len; i++)
	{
		h ^= static_cast<uint8_t>(s[i]);
		h *= 16777619u;
	}
	return h;
}

/* Murmur3's finalizer: spreads FNV's weak high bits over the whole word. */
uint32_t
Mix32(uint32_t h) noexcept
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

void
PutBigEndian32(uint32_t v, uint8_t *out) noexcept
{
	out[0] = static_cast<uint8_t>(v >> 24);
	out[1] = static_cast<uint8_t>(v >> 16);
	out[2] = static_cast<uint8_t>(v >> 8);
	out[3] = static_cast<uint8_t>(v);
}

/* Is 'p' (plen bytes) a prefix of 's' (slen bytes)? */
bool
StartsWith(const uint8_t *s, size_t slen, const uint8_t *p, size_t plen) noexcept
{
	return plen <= slen && (plen == 0 || std::memcmp(s, p, plen) == 0);
}

/* Split a string value into its stored bytes and whether it was truncated. */
bool
IsTruncatedString(const uint8_t *value, size_t len) noexcept
{
	return len >= 1 + kStringHashBytes &&
		value[len - 1 - kStringHashBytes] == kTruncationMarker;
}

}							/* namespace */

uint32_t
RootPathHash() noexcept
{
	return 0x811c9dc5u;
}

uint32_t
PathStepHash(uint32_t parent, const char *name, size_t len) noexcept
{
	/*
	 * Hash each step separately from its parent so that {"a.b": 1} and
	 * {"a": {"b": 1}} get different paths; the length is mixed in so that
	 * no step is a prefix-extension of another.
	 */
	uint32_t	h = FnvBytes(Mix32(parent ^ 0x9e3779b9u), name, len);

	return Mix32(h ^ static_cast<uint32_t>(len) * 0x27d4eb2du);
}

uint32_t
StringHash(const char *s, size_t len) noexcept
{
	return Mix32(FnvBytes(0x811c9dc5u, s, len) ^ static_cast<uint32_t>(len));
}

double
NumericTextToDouble(const char *text, size_t len) noexcept
{
	/*
	 * strtod rounds correctly, so the numeric to double mapping is monotone:
	 * a < b never becomes f(a) > f(b).  That is all the range scans need.
	 * Out-of-range values come back as +-HUGE_VAL (infinity), underflow as
	 * zero or a denormal, both still in order.  The backend runs with
	 * LC_NUMERIC=C, and numeric_out never prints grouping characters.
	 */
	(void) len;
	char	   *end = nullptr;
	int			saved_errno = errno;
	double		d = std::strtod(text, &end);

	errno = saved_errno;
	if (end == text || std::isnan(d))
		return 0.0;
	if (d == 0.0)
		return 0.0;				/* folds -0 into 0: jsonpath says -0 == 0 */
	return d;
}

size_t
EncodeDouble(double d, uint8_t *out) noexcept
{
	uint64_t	bits;

	if (d == 0.0)
		d = 0.0;				/* -0 and 0 must give one key */
	if (std::isnan(d))
		d = HUGE_VAL;			/* cannot come from jsonb; keep it ordered */
	std::memcpy(&bits, &d, sizeof(bits));

	/*
	 * Flip the sign bit of positives and every bit of negatives: the
	 * unsigned order of the result is the numeric order of the doubles.
	 */
	if (bits >> 63)
		bits = ~bits;
	else
		bits |= UINT64_C(1) << 63;

	for (size_t i = 0; i < kNumberBytes; i++)
		out[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));

	/*
	 * Drop trailing zero bytes: small integers keep two or three bytes.
	 * Order is preserved because all full encodings have the same length: if
	 * one trimmed encoding is a prefix of another, the longer one has a
	 * non-zero byte where the shorter had (removed) zeros, so it is larger,
	 * exactly as memcmp-then-length says.
	 */
	size_t		n = kNumberBytes;

	while (n > 1 && out[n - 1] == 0)
		n--;
	return n;
}

double
DecodeDouble(const uint8_t *value, size_t len) noexcept
{
	uint64_t	bits = 0;

	for (size_t i = 0; i < kNumberBytes; i++)
	{
		bits <<= 8;
		if (i < len)
			bits |= value[i];
	}
	if (bits >> 63)
		bits &= ~(UINT64_C(1) << 63);
	else
		bits = ~bits;

	double		d;

	std::memcpy(&d, &bits, sizeof(d));
	return d;
}

size_t
EncodeString(const char *s, size_t len, size_t prefix, uint8_t *out) noexcept
{
	if (prefix > kMaxStringPrefix)
		prefix = kMaxStringPrefix;
	if (len <= prefix)
	{
		if (len > 0)
			std::memcpy(out, s, len);
		return len;
	}

	/*
	 * Cut at exactly 'prefix' bytes, even inside a multibyte character: a
	 * fixed cut keeps every truncated key the same length, which is what
	 * makes the stop rules in ComparePartial safe.
	 */
	std::memcpy(out, s, prefix);
	out[prefix] = kTruncationMarker;
	PutBigEndian32(StringHash(s, len), out + prefix + 1);
	return prefix + 1 + kStringHashBytes;
}

size_t
MakeKey(uint32_t path_hash, KeyTag tag, const uint8_t *value, size_t value_len,
		uint8_t *out) noexcept
{
	PutBigEndian32(path_hash, out);
	out[kPathHashBytes] = static_cast<uint8_t>(tag);
	if (value_len > kMaxValueBytes)
		value_len = kMaxValueBytes; /* cannot happen: encoders are bounded */
	if (value_len > 0)
		std::memcpy(out + kKeyHeaderBytes, value, value_len);
	return kKeyHeaderBytes + value_len;
}

int
CompareBytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) noexcept
{
	size_t		n = alen < blen ? alen : blen;
	int			c = n > 0 ? std::memcmp(a, b, n) : 0;

	if (c != 0)
		return c < 0 ? -1 : 1;
	if (alen == blen)
		return 0;
	return alen < blen ? -1 : 1;
}

uint32_t
KeyPathHash(const uint8_t *key, size_t len) noexcept
{
	if (len < kPathHashBytes)
		return 0;
	return (static_cast<uint32_t>(key[0]) << 24) | (static_cast<uint32_t>(key[1]) << 16) |
		(static_cast<uint32_t>(key[2]) << 8) | key[3];
}

std::string
QuoteForDisplay(const char *s, size_t len)
{
	std::string out;

	out.reserve(len + 2);
	out.push_back('"');
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = static_cast<unsigned char>(s[i]);

		if (c == '"' || c == '\\')
		{
			out.push_back('\\');
			out.push_back(static_cast<char>(c));
		}
		else if (c < 0x20)
		{
			char		buf[8];

			std::snprintf(buf, sizeof(buf), "\\u%04x", c);
			out += buf;
		}
		else
			out.push_back(static_cast<char>(c));
	}
	out.push_back('"');
	return out;
}

size_t
FormatPathStep(const char *name, size_t len, char *out, size_t cap) noexcept
{
	bool		plain = len > 0;
	size_t		n = 0;

	for (size_t i = 0; i < len && plain; i++)
	{
		unsigned char c = static_cast<unsigned char>(name[i]);

		plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			(i > 0 && c >= '0' && c <= '9');
	}

	auto		put = [&](char c) {
		if (n < cap)
			out[n] = c;
		n++;
	};

	put('.');
	if (plain)
	{
		for (size_t i = 0; i < len; i++)
			put(name[i]);
		return n;
	}
	put('"');
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = static_cast<unsigned char>(name[i]);

		if (c == '"' || c == '\\')
		{
			put('\\');
			put(static_cast<char>(c));
		}
		else if (c < 0x20)
		{
			char		buf[8];

			std::snprintf(buf, sizeof(buf), "\\u%04x", c);
			for (const char *p = buf; *p; p++)
				put(*p);
		}
		else
			put(static_cast<char>(c));
	}
	put('"');
	return n;
}

std::string
DescribeKeyValue(const uint8_t *key, size_t len)
{
	if (len < kKeyHeaderBytes)
		return "invalid";

	const uint8_t *value = key + kKeyHeaderBytes;
	size_t		vlen = len - kKeyHeaderBytes;

	switch (static_cast<KeyTag>(key[kPathHashBytes]))
	{
		case KeyTag::kContainer:
			return "container";
		case KeyTag::kNull:
			return "null";
		case KeyTag::kBool:
			return vlen > 0 && value[0] ? "true" : "false";
		case KeyTag::kNumber:
			{
				char		buf[64];

				std::snprintf(buf, sizeof(buf), "number %.17g", DecodeDouble(value, vlen));
				return buf;
			}
		case KeyTag::kString:
			if (IsTruncatedString(value, vlen))
			{
				size_t		plen = vlen - 1 - kStringHashBytes;
				char		buf[32];

				std::snprintf(buf, sizeof(buf), "%08" PRIx32,
							  KeyPathHash(value + plen + 1, kStringHashBytes));
				/* show the cut prefix up to its last whole UTF-8 character */
				while (plen > 0 && (value[plen] & 0xC0) == 0x80)
					plen--;
				return "string " + QuoteForDisplay(reinterpret_cast<const char *>(value), plen) +
					"... (truncated, hash " + buf + ")";
			}
			return "string " + QuoteForDisplay(reinterpret_cast<const char *>(value), vlen);
	}
	return "unknown";
}

size_t
PartialStartKey(const MatchSpec &spec, uint8_t *out) noexcept
{
	std::memcpy(out, spec.path, kPathHashBytes);
	if (spec.kind == MatchKind::kPathAny)
		return kPathHashBytes;

	out[kPathHashBytes] = static_cast<uint8_t>(spec.tag);
	if (!spec.has_lo)
		return kKeyHeaderBytes;

	/*
	 * The lower bound itself (for strings cut to at most P+1 bytes, see
	 * MakeRange in query_expr.cpp) is at or before every key that can match:
	 * untruncated strings >= lo sort after it, and a truncated key T+0xFF...
	 * with T a prefix of lo sorts after it because 0xFF beats any UTF-8 byte.
	 */
	std::memcpy(out + kKeyHeaderBytes, spec.lo, spec.lo_len);
	return kKeyHeaderBytes + spec.lo_len;
}

int
ComparePartial(const MatchSpec &spec, const uint8_t *key, size_t len) noexcept
{
	/*
	 * GIN calls us on keys in index order starting at PartialStartKey, so a
	 * different path hash can only mean we ran past our path.
	 */
	if (len < kPathHashBytes || std::memcmp(key, spec.path, kPathHashBytes) != 0)
		return 1;
	if (spec.kind == MatchKind::kPathAny)
		return 0;

	if (len < kKeyHeaderBytes)
		return -1;				/* bare path key: before our tag */
	uint8_t		tag = key[kPathHashBytes];

	if (tag != static_cast<uint8_t>(spec.tag))
		return tag < static_cast<uint8_t>(spec.tag) ? -1 : 1;

	const uint8_t *v = key + kKeyHeaderBytes;
	size_t		vlen = len - kKeyHeaderBytes;

	if (spec.tag != KeyTag::kString)
	{
		/*
		 * Numbers and booleans: encodings are exact in order but numbers
		 * are rounded to double, so bounds are always inclusive here.
		 */
		if (spec.has_lo && CompareBytes(v, vlen, spec.lo, spec.lo_len) < 0)
			return -1;
		if (spec.has_hi && CompareBytes(v, vlen, spec.hi, spec.hi_len) > 0)
			return 1;
		return 0;
	}

	bool		truncated = IsTruncatedString(v, vlen);
	size_t		slen = truncated ? vlen - 1 - kStringHashBytes : vlen;

	if (spec.kind == MatchKind::kStringPrefix)
	{
		/*
		 * A truncated key stands for every string starting with its P
		 * bytes; it matches when those bytes and the wanted prefix agree as
		 * far as both go.  Once a key is past the prefix without starting
		 * with it, every later key is too (keys only grow).
		 */
		if (truncated ? (StartsWith(v, slen, spec.lo, spec.lo_len) ||
						 StartsWith(spec.lo, spec.lo_len, v, slen))
			: StartsWith(v, slen, spec.lo, spec.lo_len))
			return 0;
		return CompareBytes(v, slen, spec.lo, spec.lo_len) < 0 ? -1 : 1;
	}

	if (!truncated)
	{
		if (spec.has_lo)
		{
			int			c = CompareBytes(v, slen, spec.lo, spec.lo_len);

			if (c < 0 || (c == 0 && !spec.lo_inclusive))
				return -1;
		}
		if (spec.has_hi)
		{
			int			c = CompareBytes(v, slen, spec.hi, spec.hi_len);

			if (c > 0)
				return 1;		/* every later key is above hi as well */
			if (c == 0 && !spec.hi_inclusive)
				return -1;
		}
		return 0;
	}

	/*
	 * Truncated key with prefix T: the strings it stands for are those >= T
	 * that start with T.  They can reach above lo unless T < lo without
	 * being a prefix of lo; they start at or below hi unless T > hi.
	 */
	if (spec.has_hi && CompareBytes(v, slen, spec.hi, spec.hi_len) > 0)
		return 1;
	if (spec.has_lo && CompareBytes(v, slen, spec.lo, spec.lo_len) < 0 &&
		!StartsWith(spec.lo, spec.lo_len, v, slen))
		return -1;
	return 0;
}

}							/* namespace pathx */
