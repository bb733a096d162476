#!/bin/bash
#
# hostile_input.sh: hostile documents and queries get a clean error or a
# correct answer, never a crash, a hang or a wrong row.
#
# Each case inserts into an indexed table or runs a query, then counts the
# same query with the index forced and by a seq scan: both must agree (or
# fail with the same SQLSTATE).  The backend's peak memory while indexing a
# 100 MB document is reported.  Needs a running server (PGHOST, PGPORT,
# PGUSER; tests/run-all.sh provides one).  Ends with "N passed, N failed".
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

source "$(dirname "$0")/../../tools/lib/report.sh"

db="px_hostile_$$"
psql_db() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"; }

# "count" or "error SQLSTATE" for a query on table h, forced index or seq scan
run_mode() {
	local mode="$1" q="$2" out
	local settings="SET enable_seqscan = off"
	[[ "$mode" == seq ]] && settings="SET enable_bitmapscan = off"
	# through stdin: the query may be megabytes, past the argument length limit
	out=$(printf '%s;\nSELECT count(*) FROM h WHERE %s;\n' "$settings" "$q" |
		psql -X -q -At -d "$db" -v VERBOSITY=sqlstate 2>&1)
	if [[ "$out" =~ ^[0-9]+$ ]]; then
		echo "$out"
	elif [[ "$out" =~ ERROR:\ +([0-9A-Z]{5}) ]]; then
		echo "error ${BASH_REMATCH[1]}"
	else
		echo "unexpected: ${out:0:200}"
	fi
}

agrees() {
	local q="$1" a b
	a=$(run_mode index "$q")
	b=$(run_mode seq "$q")
	if [[ -n "$a" && "$a" == "$b" && "$a" != unexpected* ]]; then
		echo "  $a: ${q:0:100}"
		return 0
	fi
	echo "  index '$a', seq scan '$b': ${q:0:200}" >&2
	return 1
}

# the server must still be up and answering
alive() {
	[[ "$(psql -X -At -d "$db" -c 'SELECT 1' 2>/dev/null)" == 1 ]]
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || {
	echo "0 passed, 1 failed"
	exit 1
}
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1' EXIT
psql_db -c "CREATE EXTENSION jsonb_pathx" -c "CREATE TABLE h (id serial, doc jsonb)" \
	-c "CREATE INDEX h_doc ON h USING gin (doc jsonb_pathx_ops) WITH (fastupdate = off)" \
	-c "INSERT INTO h (doc) SELECT jsonb_build_object('n', i, 's', 'v' || i) FROM generate_series(1, 200) i"

# 1. a 100 MB document: indexed with bounded memory (one 100 MB string, one bounded key)
peak=$(psql -X -q -At -d "$db" <<'SQL'
SELECT pg_backend_pid() AS pid \gset
\setenv PXPID :pid
INSERT INTO h (doc) SELECT jsonb_build_object('big', repeat('x', 100 * 1024 * 1024), 'n', -1);
\! grep VmHWM /proc/$PXPID/status
SQL
)
echo "  peak backend memory while indexing a 100 MB document: ${peak//[^0-9]/} kB"
check "100 MB document indexed" agrees "doc @@ '\$.big starts with \"xxxx\"'"
check "100 MB document: memory bounded (< 1.5 GB peak)" test "${peak//[^0-9]/}" -lt 1500000

# 2. a document with 1,000,000 keys
psql_db -c "INSERT INTO h (doc) SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, 1000000) i"
check "1,000,000 keys: exact match" agrees "doc @@ '\$.k999999 == 999999'"
check "1,000,000 keys: range" agrees "doc @@ '\$.k500000 > 499999.5'"

# 3. deep nesting: accepted up to the server's stack limit, else a clean error
for depth in 2000 10000 100000; do
	psql -X -q -d "$db" -c "INSERT INTO h (doc) SELECT (repeat('{\"d\":', $depth) || '1' || repeat('}', $depth))::jsonb" \
		>/dev/null 2>&1
	psql -X -q -d "$db" -c "INSERT INTO h (doc) SELECT (repeat('[', $depth) || '\"deep\"' || repeat(']', $depth))::jsonb" \
		>/dev/null 2>&1
	check "nesting $depth: server alive" alive
done
check "deep documents: queries agree" agrees "doc @? '\$.d.d.d.d.d.d.d.d'"

# 4. numbers and strings at the edges
psql -X -q -d "$db" -c "INSERT INTO h (doc) VALUES ('{\"n\": 1e400000}')" >/dev/null 2>&1
check "1e400000 rejected cleanly, server alive" alive
psql_db -c "INSERT INTO h (doc) VALUES ('{\"n\": -0}'), ('{\"n\": 1e131071}'), ('{\"n\": -1e131071}')" \
	-c "INSERT INTO h (doc) SELECT jsonb_build_object('n', ('0.' || repeat('0', 16000) || '1')::numeric)" \
	-c "INSERT INTO h (doc) SELECT jsonb_build_object('n', (repeat('9', 5000) || '.' || repeat('9', 5000))::numeric)" \
	-c "INSERT INTO h (doc) SELECT jsonb_build_object('s', repeat('é', 500000))"
check "-0 equals 0" agrees "doc @@ '\$.n == 0'"
check "huge numbers ordered" agrees "doc @@ '\$.n > 1e5000'"
check "tiny numbers ordered" agrees "doc @@ '\$.n > 0 && \$.n < 1e-100'"
check "negative extremes" agrees "doc @@ '\$.n < -1e1000'"
check "1 MB string" agrees "doc @@ '\$.s starts with \"éé\"'"

# 5. hostile jsonpath
deep_parens="doc @@ '$(printf '(%.0s' $(seq 1 10000))\$.n == 1$(printf ')%.0s' $(seq 1 10000))'"
check "jsonpath nested 10,000 levels" agrees "$deep_parens"
check "server alive after deep jsonpath" alive
wide_or=$(seq 1 100000 | sed 's/.*/$.n == &/' | paste -sd'|' | sed 's/|/ || /g')
check "100,000-way ||" agrees "doc @@ '$wide_or'"
check "server alive after wide ||" alive
wide_and=$(seq 1 20000 | sed 's/.*/$.n != -&/' | paste -sd'|' | sed 's/|/ \&\& /g')
check "20,000-way && of !=" agrees "doc @@ '$wide_and'"
huge_regex="^$(head -c 100000 /dev/zero | tr '\0' 'a')"
check "100 kB like_regex" agrees "doc @? '\$.s ? (@ like_regex \"$huge_regex\")'"
check "unknown variable" agrees "doc @@ '\$.n == \$nope'"
check "unknown variable in @?" agrees "doc @? '\$.n ? (@ == \$nope)'"
check "server alive at the end" alive

report_finish
