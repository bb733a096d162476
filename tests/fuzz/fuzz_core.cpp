/*
 * fuzz_core.cpp
 *	  libFuzzer target for the pure C++ core, built with ASan and UBSan.
 *
 * The first input byte picks what to exercise; the rest is its input:
 *	 0	EncodeNumber on arbitrary text: bounded output, NumberText
 *		round-trips, and the encoding is monotone against strtold for
 *		plain decimals with few digits.
 *	 1	EncodeString and ComparePartial: a string that satisfies a random
 *		range or prefix condition must never be rejected by the partial
 *		match (the index would lose the row).
 *	 2	RegexLiteralPrefix on arbitrary patterns: no crash, and a prefix
 *		only for anchored patterns.
 *	 3	ParsePathList on arbitrary text.
 *	 4	BuildJsonPathQuery on an arbitrary AST (indices may point anywhere,
 *		cycles included) and EvaluateProgram on random entry states.
 *	 5	DeriveFormCondition on arbitrary forms, sources and values, and
 *		SubstituteJsonPathVariables on arbitrary paths and JSON values: no
 *		crash, bounded output.
 *
 * Run longer than the test command does (it gives it 20 seconds):
 *	 make -C tests fuzz && tests/bin/fuzz_core -max_total_time=600 tests/fuzz/corpus
 */
#include "core/index_options.h"
#include "core/key_encoding.h"
#include "core/query_expr.h"
#include "core/sql_forms.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace
{

void
Check(bool ok, const char *what)
{
	if (!ok)
	{
		std::fprintf(stderr, "invariant violated: %s\n", what);
		std::abort();
	}
}

int
Cmp(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	return pathx::CompareBytes(a, al, b, bl);
}

/* Plain decimal with at most 15 significant digits: strtold orders it exactly. */
bool
PlainDecimal(const std::string &s)
{
	size_t		digits = 0;
	size_t		i = 0;

	if (i < s.size() && s[i] == '-')
		i++;
	if (i == s.size())
		return false;
	for (; i < s.size(); i++)
	{
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '.')
			return false;
	}
	return digits > 0 && digits <= 15 && std::count(s.begin(), s.end(), '.') <= 1;
}

void
FuzzNumbers(const uint8_t *data, size_t size)
{
	size_t		half = size / 2;
	std::string a(reinterpret_cast<const char *>(data), half);
	std::string b(reinterpret_cast<const char *>(data) + half, size - half);
	uint8_t		ea[pathx::kMaxValueBytes];
	uint8_t		eb[pathx::kMaxValueBytes];
	size_t		la = pathx::EncodeNumber(a.data(), a.size(), ea);
	size_t		lb = pathx::EncodeNumber(b.data(), b.size(), eb);

	Check(la <= pathx::kMaxNumberBytes && lb <= pathx::kMaxNumberBytes, "number encoding bounded");

	std::string text = pathx::NumberText(ea, la);

	if (text != "+inf" && text != "-inf" && text != "invalid")
	{
		uint8_t		again[pathx::kMaxValueBytes];
		size_t		lg = pathx::EncodeNumber(text.data(), text.size(), again);

		Check(lg == la && std::memcmp(again, ea, la) == 0, "NumberText round-trips");
	}
	if (PlainDecimal(a) && PlainDecimal(b))
	{
		long double x = std::strtold(a.c_str(), nullptr);
		long double y = std::strtold(b.c_str(), nullptr);
		int			c = Cmp(ea, la, eb, lb);

		if (x < y)
			Check(c < 0, "number encoding follows numeric order");
		else if (x > y)
			Check(c > 0, "number encoding follows numeric order");
		else
			Check(c == 0, "equal numbers encode equally");
	}
}

void
FuzzStrings(const uint8_t *data, size_t size)
{
	if (size < 3)
		return;
	size_t		prefix = pathx::kMinStringPrefix + data[0] % 40;
	int			shape = data[1] % 4;
	size_t		cut = 2 + (size - 2) / 2;
	std::string v(reinterpret_cast<const char *>(data) + 2, cut - 2);
	std::string bound(reinterpret_cast<const char *>(data) + cut, size - cut);

	/* strings in keys are UTF-8 and never contain 0xFF; the fuzzer's may */
	for (char &c : v)
		if (static_cast<uint8_t>(c) == 0xFF)
			c = 'x';
	for (char &c : bound)
		if (static_cast<uint8_t>(c) == 0xFF)
			c = 'y';

	uint8_t		value[pathx::kMaxValueBytes];
	uint8_t		key[pathx::kMaxKeyBytes];
	size_t		vl = pathx::EncodeString(v.data(), v.size(), prefix, value);
	size_t		kl = pathx::MakeKey(0x12345670u, pathx::KeyTag::kString, value, vl, key);

	Check(kl <= pathx::kMaxKeyBytes, "string key bounded");

	pathx::MatchSpec spec{};
	size_t		blen = std::min(bound.size(), prefix + 1);

	spec.tag = pathx::KeyTag::kString;
	spec.string_prefix = static_cast<uint16_t>(prefix);
	pathx::SetKeyHeader(0x12345670u, 0, spec.path);
	bool		satisfied;

	if (shape == 3)
	{
		spec.kind = pathx::MatchKind::kStringPrefix;
		spec.has_lo = true;
		spec.lo_len = static_cast<uint16_t>(blen);
		std::memcpy(spec.lo, bound.data(), blen);
		satisfied = v.compare(0, bound.size(), bound) == 0;
	}
	else
	{
		spec.kind = pathx::MatchKind::kRange;
		bool		inc = data[1] & 4;

		if (shape == 0 || shape == 2)
		{
			spec.has_lo = true;
			spec.lo_inclusive = inc;
			spec.lo_len = static_cast<uint16_t>(blen);
			std::memcpy(spec.lo, bound.data(), blen);
		}
		if (shape == 1)
		{
			spec.has_hi = true;
			spec.hi_inclusive = inc;
			spec.hi_len = static_cast<uint16_t>(blen);
			std::memcpy(spec.hi, bound.data(), blen);
		}
		/* byte order of std::string compare is unsigned char order */
		int			c = v.compare(bound);

		if (shape == 1)
			satisfied = inc ? c <= 0 : c < 0;
		else
			satisfied = inc ? c >= 0 : c > 0;
	}

	uint8_t		start[pathx::kMaxKeyBytes];
	size_t		sl = pathx::PartialStartKey(spec, start);

	if (satisfied)
	{
		Check(Cmp(start, sl, key, kl) <= 0, "a matching key is at or after the scan start");
		Check(pathx::ComparePartial(spec, key, kl) == 0, "a matching value is never rejected");
	}
}

void
FuzzRegex(const uint8_t *data, size_t size)
{
	if (size < 1)
		return;
	std::string prefix;
	const char *pattern = reinterpret_cast<const char *>(data) + 1;

	if (pathx::RegexLiteralPrefix(pattern, size - 1, data[0] & 0x1F, &prefix))
	{
		Check(!prefix.empty() && size > 1 && pattern[0] == '^', "prefix only for anchored patterns");
		Check(prefix.size() < size, "prefix no longer than the pattern");
	}
}

void
FuzzPathList(const uint8_t *data, size_t size)
{
	std::vector<uint32_t> hashes;
	std::string error;

	if (!pathx::ParsePathList(reinterpret_cast<const char *>(data), size, &hashes, &error))
		Check(!error.empty(), "a rejected path list says why");
}

void
FuzzQuery(const uint8_t *data, size_t size)
{
	const size_t kNodeBytes = 6;
	size_t		n = size / kNodeBytes;

	if (n == 0)
		return;
	static const char *const kStrings[] = {"a", "b", "", "1.5", "-2e3", "x y", "^ab", "number",
	"1e400"};
	std::vector<pathx::AstNode> nodes(n);

	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *p = data + i * kNodeBytes;
		pathx::AstNode &node = nodes[i];

		node.kind = static_cast<pathx::AstKind>(p[0] % (static_cast<int>(pathx::AstKind::kOther) + 1));
		node.cmp = static_cast<pathx::CompareOp>(p[1] % 6);
		node.method = static_cast<pathx::MethodKind>(p[1] / 6 % 2);
		node.bool_value = p[1] & 0x80;
		node.regex_flags = p[5] & 0x1F;
		/* indices anywhere, including backwards: the builder must cope */
		node.next = p[2] % 4 == 0 ? -1 : static_cast<int32_t>(p[2] % (n + 1)) - 1;
		node.arg0 = static_cast<int32_t>(p[3] % (n + 1)) - 1;
		node.arg1 = static_cast<int32_t>(p[4] % (n + 1)) - 1;
		node.str = kStrings[p[5] % (sizeof(kStrings) / sizeof(kStrings[0]))];
		node.len = static_cast<uint32_t>(std::strlen(node.str));
		/* a display name different from the hashed one (non-UTF-8 databases) */
		if (p[5] & 0x20)
		{
			node.shown = kStrings[p[4] % (sizeof(kStrings) / sizeof(kStrings[0]))];
			node.shown_len = static_cast<uint32_t>(std::strlen(node.shown));
		}
	}

	pathx::IndexOptions opts;

	opts.anypath = data[0] & 1;
	opts.string_prefix = 4 + data[0] % 60;
	pathx::BuiltQuery q = pathx::BuildJsonPathQuery(nodes.data(), nodes.size(), 0,
													data[0] & 2 ? pathx::JsonPathMode::kExists
													: pathx::JsonPathMode::kMatch, opts);
	std::vector<uint64_t> aligned((q.image.size() + 7) / 8);

	std::memcpy(aligned.data(), q.image.data(), q.image.size());
	const pathx::ProgramHeader *h = pathx::ProgramGetHeader(aligned.data());
	std::vector<char> check(h->nentries + 1);

	for (size_t i = 0; i < check.size(); i++)
		check[i] = static_cast<char>(data[i % size] % 3);

	char		r = pathx::EvaluateProgram(aligned.data(), check.data(), true);

	Check(r >= 0 && r <= 2, "ternary result");

	/* no entry present: nothing can match, unless the query is a full scan */
	std::fill(check.begin(), check.end(), pathx::kTernaryFalse);
	if (h->result == static_cast<uint8_t>(pathx::ProgramResult::kEntries))
		Check(pathx::EvaluateProgram(aligned.data(), check.data(), true) == pathx::kTernaryFalse,
			  "all entries absent means no match");
}

/* Split the input at NUL bytes into strings. */
std::vector<std::string>
Split(const uint8_t *data, size_t size)
{
	std::vector<std::string> parts(1);

	for (size_t i = 0; i < size; i++)
	{
		if (data[i] == 0)
			parts.emplace_back();
		else
			parts.back() += static_cast<char>(data[i]);
	}
	return parts;
}

void
FuzzForms(const uint8_t *data, size_t size)
{
	static const char *const forms[] = {
		"exists", "text_eq", "text_like", "text_prefix", "text_lt", "text_ge", "text_true",
		"num_gt:t8", "num_eq:jr", "num_le:x", "num_range:t", "jsonb_eq", "jsonb_gt:c",
		"jsonb_lt", "jsonb_contains", "jsonb_key", "jsonb_all_keys", "jsonb_range", "bogus",
	};
	std::vector<std::string> parts = Split(data, size);
	std::string out;

	if (parts.size() < 2)
		return;

	/* part 0 picks the form and splits the rest into source and values */
	unsigned char sel = parts[0].empty() ? 0 : static_cast<unsigned char>(parts[0][0]);
	size_t		nsrc = parts[0].size() > 1 ? static_cast<unsigned char>(parts[0][1]) % parts.size() : 1;
	std::vector<std::string> src_elems(parts.begin() + 1, parts.begin() + std::max<size_t>(1, nsrc));
	std::vector<std::string> values(parts.begin() + std::max<size_t>(1, nsrc), parts.end());
	pathx::FormSource src;

	if (pathx::DecodeFormSource(src_elems, &src) &&
		pathx::DeriveFormCondition(src, forms[sel % (sizeof(forms) / sizeof(forms[0]))], values, &out))
		Check(!out.empty(), "a derived condition is never empty");

	std::vector<std::pair<std::string, std::string>> vars;

	for (size_t i = 2; i + 1 < parts.size(); i += 2)
		vars.emplace_back(parts[i], parts[i + 1]);
	if (pathx::SubstituteJsonPathVariables(parts[1], vars, &out))
		Check(out.size() <= parts[1].size() + size * 8 + 16, "substitution output is bounded");
}

}							/* namespace */

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 6)
	{
		case 0:
			FuzzNumbers(data + 1, size - 1);
			break;
		case 1:
			FuzzStrings(data + 1, size - 1);
			break;
		case 2:
			FuzzRegex(data + 1, size - 1);
			break;
		case 3:
			FuzzPathList(data + 1, size - 1);
			break;
		case 4:
			FuzzQuery(data + 1, size - 1);
			break;
		default:
			FuzzForms(data + 1, size - 1);
			break;
	}
	return 0;
}
