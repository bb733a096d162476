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
#include <cstdio>
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

/*
 * Length of the longest prefix of s[0..len) that ends on a whole UTF-8
 * character.  A string key is cut at string_prefix bytes, which may fall
 * inside a 2-, 3- or 4-byte sequence; text shown to SQL must not end in
 * the lead bytes of a character whose continuation was cut off, or the
 * server rejects it as an invalid byte sequence.  Only the last character
 * can be incomplete: the bytes before it came from a valid jsonb string.
 */
size_t
WholeUtf8Prefix(const uint8_t *s, size_t len) noexcept
{
	size_t		start = len;

	/* back over continuation bytes (10xxxxxx) to the last lead byte */
	while (start > 0 && (s[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return 0;
	start--;

	uint8_t		lead = s[start];
	size_t		need = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 :
		(lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;

	return len - start >= need ? len : start;
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

/*
 * Number classes: the first value byte.  Saturated classes take numbers
 * whose base-100 exponent leaves the encodable range; they sort beyond
 * every finite encoding, which keeps the mapping monotone.
 */
constexpr uint8_t kNumNegInf = 0x01;
constexpr uint8_t kNumNegative = 0x02;
constexpr uint8_t kNumZero = 0x03;
constexpr uint8_t kNumPositive = 0x04;
constexpr uint8_t kNumPosInf = 0x05;
constexpr int kMaxExponent100 = 32767;
constexpr uint8_t kNegativeTerminator = 0xFF;

size_t
EncodeNumber(const char *text, size_t len, uint8_t *out) noexcept
{
	/*
	 * Read sign, digits, point and exponent into: the significant decimal
	 * digits d1 d2 ... (no leading or trailing zeros) and the exponent E10
	 * such that the value is 0.d1d2... * 10^E10.
	 */
	size_t		i = 0;
	bool		negative = false;
	char		digits[2 * kMaxNumberDigitPairs + 1];
	size_t		ndigits = 0;
	long		e10 = 0;
	bool		seen_point = false;
	bool		seen_nonzero = false;

	if (i < len && (text[i] == '-' || text[i] == '+'))
		negative = text[i++] == '-';
	for (; i < len; i++)
	{
		char		c = text[i];

		if (c == '.')
		{
			seen_point = true;
			continue;
		}
		if (c < '0' || c > '9')
			break;
		if (!seen_nonzero && c == '0')
		{
			if (seen_point)
				e10--;			/* 0.00d: each zero after the point lowers E */
			continue;
		}
		seen_nonzero = true;
		if (!seen_point)
			e10++;
		if (ndigits < sizeof(digits) - 1)
			digits[ndigits++] = c; /* later digits only refine: dropped */
	}
	if (i < len && (text[i] == 'e' || text[i] == 'E'))
	{
		bool		eneg = false;
		long		ev = 0;

		i++;
		if (i < len && (text[i] == '-' || text[i] == '+'))
			eneg = text[i++] == '-';
		for (; i < len && text[i] >= '0' && text[i] <= '9'; i++)
			if (ev < 10000000)
				ev = ev * 10 + (text[i] - '0');
		e10 += eneg ? -ev : ev;
	}
	while (ndigits > 0 && digits[ndigits - 1] == '0')
		ndigits--;

	if (ndigits == 0)
	{
		out[0] = kNumZero;		/* 0, -0, 0.000, 0e5: one key */
		return 1;
	}

	/* base 100 needs an even exponent: 0.5e3 is 0.05e4 */
	size_t		lead = 0;

	if (e10 % 2 != 0)
	{
		lead = 1;
		e10++;
	}
	long		e100 = e10 / 2;

	if (e100 > kMaxExponent100)
	{
		out[0] = negative ? kNumNegInf : kNumPosInf;
		return 1;
	}
	if (e100 < -kMaxExponent100)
	{
		out[0] = kNumZero;		/* below 1e-65534: indistinguishable from 0 */
		return 1;
	}

	uint8_t		buf[kMaxNumberBytes];
	size_t		n = 0;

	buf[n++] = negative ? kNumNegative : kNumPositive;

	/*
	 * Exponent: one byte (e100 + 64, 1..254) for everyday numbers, else an
	 * escape byte (0x00 below, 0xFF above) and two bytes of e100 + 32768.
	 * Every form is monotone in e100.
	 */
	if (e100 >= -63 && e100 <= 190)
		buf[n++] = static_cast<uint8_t>(e100 + 64);
	else
	{
		uint16_t	biased = static_cast<uint16_t>(e100 + 32768);

		buf[n++] = e100 < 0 ? 0x00 : 0xFF;
		buf[n++] = static_cast<uint8_t>(biased >> 8);
		buf[n++] = static_cast<uint8_t>(biased);
	}

	/* digit pairs, 1..100 so that 0 never appears, at most 16 pairs */
	size_t		total = lead + ndigits;
	size_t		pairs = (total + 1) / 2;

	if (pairs > kMaxNumberDigitPairs)
		pairs = kMaxNumberDigitPairs;
	for (size_t p = 0; p < pairs; p++)
	{
		size_t		hi = 2 * p;
		size_t		lo = 2 * p + 1;
		int			dh = (hi >= lead && hi - lead < ndigits) ? digits[hi - lead] - '0' : 0;
		int			dl = (lo >= lead && lo - lead < ndigits) ? digits[lo - lead] - '0' : 0;

		buf[n++] = static_cast<uint8_t>(dh * 10 + dl + 1);
	}

	/*
	 * Negatives sort in reverse: invert every byte after the class, and end
	 * with a terminator above any inverted digit, so that -0.12 (fewer
	 * digits) sorts after -0.1201.
	 */
	if (negative)
	{
		for (size_t k = 1; k < n; k++)
			buf[k] = static_cast<uint8_t>(0xFF - buf[k]);
		buf[n++] = kNegativeTerminator;
	}
	std::memcpy(out, buf, n);
	return n;
}

std::string
NumberText(const uint8_t *value, size_t len)
{
	if (len == 0)
		return "invalid";
	switch (value[0])
	{
		case kNumZero:
			return "0";
		case kNumPosInf:
			return "+inf";
		case kNumNegInf:
			return "-inf";
		case kNumPositive:
		case kNumNegative:
			break;
		default:
			return "invalid";
	}

	bool		negative = value[0] == kNumNegative;
	uint8_t		buf[kMaxNumberBytes];
	size_t		n = len > kMaxNumberBytes ? kMaxNumberBytes : len;

	std::memcpy(buf, value, n);
	if (negative)
	{
		if (n > 1 && buf[n - 1] == kNegativeTerminator)
			n--;
		for (size_t k = 1; k < n; k++)
			buf[k] = static_cast<uint8_t>(0xFF - buf[k]);
	}

	size_t		p = 1;
	long		e100;

	if (p < n && (buf[p] == 0x00 || buf[p] == 0xFF))
	{
		if (p + 2 >= n)
			return "invalid";
		e100 = static_cast<long>((buf[p + 1] << 8) | buf[p + 2]) - 32768;
		p += 3;
	}
	else if (p < n)
		e100 = static_cast<long>(buf[p++]) - 64;
	else
		return "invalid";

	std::string digits;

	for (; p < n; p++)
	{
		int			d = buf[p] - 1;

		digits.push_back(static_cast<char>('0' + d / 10));
		digits.push_back(static_cast<char>('0' + d % 10));
	}

	/* value = 0.digits * 10^e10; strip the leading zero of an odd shift */
	long		e10 = 2 * e100;

	while (!digits.empty() && digits[0] == '0')
	{
		digits.erase(0, 1);
		e10--;
	}
	while (!digits.empty() && digits.back() == '0')
		digits.pop_back();

	std::string out = negative ? "-" : "";

	if (e10 > 40 || e10 < -20)
	{
		out += digits.substr(0, 1);
		if (digits.size() > 1)
			out += "." + digits.substr(1);
		out += "e" + std::to_string(e10 - 1);
		return out;
	}
	if (e10 <= 0)
		return out + "0." + std::string(static_cast<size_t>(-e10), '0') + digits;
	if (static_cast<size_t>(e10) >= digits.size())
		return out + digits + std::string(static_cast<size_t>(e10) - digits.size(), '0');
	return out + digits.substr(0, static_cast<size_t>(e10)) + "." +
		digits.substr(static_cast<size_t>(e10));
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

void
SetKeyHeader(uint32_t path_hash, uint8_t tag, uint8_t *out) noexcept
{
	PutBigEndian32((path_hash & 0xFFFFFFF0u) | (tag & 0x0Fu), out);
}

size_t
MakeKey(uint32_t path_hash, KeyTag tag, const uint8_t *value, size_t value_len,
		uint8_t *out) noexcept
{
	SetKeyHeader(path_hash, static_cast<uint8_t>(tag), out);
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
KeyPathBits(const uint8_t *key, size_t len) noexcept
{
	if (len < kKeyHeaderBytes)
		return 0;
	return ((static_cast<uint32_t>(key[0]) << 24) | (static_cast<uint32_t>(key[1]) << 16) |
			(static_cast<uint32_t>(key[2]) << 8) | key[3]) >> 4;
}

uint8_t
KeyTagBits(const uint8_t *key, size_t len) noexcept
{
	return len < kKeyHeaderBytes ? 0 : key[kKeyHeaderBytes - 1] & 0x0F;
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

	switch (static_cast<KeyTag>(KeyTagBits(key, len)))
	{
		case KeyTag::kContainer:
			return "container";
		case KeyTag::kNull:
			return "null";
		case KeyTag::kBool:
			return vlen > 0 && value[0] ? "true" : "false";
		case KeyTag::kNumber:
			return "number " + NumberText(value, vlen);
		case KeyTag::kString:
			if (IsTruncatedString(value, vlen))
			{
				size_t		plen = vlen - 1 - kStringHashBytes;
				char		buf[32];

				std::snprintf(buf, sizeof(buf), "%02x%02x%02x%02x", value[plen + 1],
							  value[plen + 2], value[plen + 3], value[plen + 4]);
				/* the cut falls on a byte count: show only whole characters */
				plen = WholeUtf8Prefix(value, plen);
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
	std::memcpy(out, spec.path, kKeyHeaderBytes);
	if (spec.kind == MatchKind::kPathAny)
		return kKeyHeaderBytes; /* tag bits 0: before every key of the path */

	out[kKeyHeaderBytes - 1] |= static_cast<uint8_t>(spec.tag);
	if (!spec.has_lo)
		return kKeyHeaderBytes;

	/*
	 * The lower bound itself (for strings cut to at most P+1 bytes, see
	 * Builder::Compare in query_leaves.cpp) is at or before every key that can match:
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
	if (len < kKeyHeaderBytes ||
		KeyPathBits(key, len) != KeyPathBits(spec.path, kKeyHeaderBytes))
		return 1;
	if (spec.kind == MatchKind::kPathAny)
		return 0;

	uint8_t		tag = KeyTagBits(key, len);

	if (tag != static_cast<uint8_t>(spec.tag))
		return tag < static_cast<uint8_t>(spec.tag) ? -1 : 1;

	const uint8_t *v = key + kKeyHeaderBytes;
	size_t		vlen = len - kKeyHeaderBytes;

	if (spec.tag != KeyTag::kString)
	{
		/*
		 * Numbers and booleans.  Number encodings saturate and drop digits
		 * past the 32nd, so bounds are always inclusive here.
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
