#!/bin/bash
#
# run-all.sh: the one command that runs every test (`make test`, .ci/run).
#
# Installs missing packages, builds and installs the extension, builds the
# Boost.Test binaries and the pathx CLI, starts one throwaway cluster with
# it (tools/lib/cluster.sh; as the `postgres` OS user when run as root),
# then runs each suite:
#   regress       pg_regress over sql/ and expected/ (make installcheck)
#   unit          tests/bin/unit_tests (pure C++ core)
#   sanitize      the unit tests under ASan + UBSan
#   fuzz          a libFuzzer target over the core, for 20 seconds
#   integration   tests/bin/integration_tests (libpqxx, against the cluster)
#   clients       tests/clients/run.sh: JSON queries written with Sequelize
#                 and Django plan as Bitmap Index Scans on jsonb_pathx_ops,
#                 with the rows of a seq scan
#   hostile       tests/reliability/hostile_input.sh: 100 MB documents, a million
#                 keys, deep nesting, extreme numbers, hostile jsonpath
#   reliability   tests/reliability/crash_and_replica.sh: crashes and a streaming
#                 standby, on clusters of their own
#   cli           the pathx CLI's Boost.Test suite (make -C tools/pathx test):
#                 units, and integration runs of pathx up/status/psql/regress/
#                 down/destroy in temporary homes, load/paths/explain/bench
#                 against the throwaway cluster
#   shards        tests/shards/run.sh: a hash-partitioned table on postgres_fdw
#                 shards (three clusters of its own), pushdown and each
#                 shard's jsonb_pathx_ops index
#   lint          tests/lint/comment_refs.py: names that comments cite exist
#   package       tests/package/meta_test.py (META.json, debian/changelog,
#                 make dist) and tests/package/deb_test.sh (make deb's
#                 package: dpkg -i, CREATE EXTENSION, an index scan,
#                 dpkg --purge, and the make install files put back)
# A failing suite does not stop the others.  The last line is
# "N passed, N failed", counting pg_regress tests and Boost.Test cases.
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,34p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
log_dir="$root/tests/logs"
mkdir -p "$log_dir"

passed=0
failed=0
summary=()

step() { printf '%12s %s\n' "$1" "$2"; }

# Count Boost.Test's short report; a crash without a report counts as one failure.
count_boost() {
	local name="$1" log="$2" rc="$3" p f
	p=$(grep -Eo '[0-9]+ test cases? out of [0-9]+ passed' "$log" | head -1 | grep -Eo '^[0-9]+' || true)
	f=$(grep -Eo '[0-9]+ test cases? out of [0-9]+ failed' "$log" | head -1 | grep -Eo '^[0-9]+' || true)
	if [[ -z "$p" && -z "$f" ]]; then
		if grep -q 'No errors detected' "$log"; then
			p=1
		else
			p=0
		fi
	fi
	p=${p:-0}
	f=${f:-0}
	if [[ "$rc" -ne 0 && "$f" -eq 0 ]]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	summary+=("$(printf '%-12s %4d passed, %d failed' "$name" "$p" "$f")")
}

# Run a script that prints PASS/FAIL lines and "N passed, N failed".
run_script() {
	local name="$1" script="$2" also="$3" rc line p f
	"$script" >"$log_dir/$name.log" 2>&1
	rc=$?
	grep -E "^(PASS|FAIL)|$also" "$log_dir/$name.log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log_dir/$name.log" | tail -1)
	p=$(echo "$line" | grep -Eo '^[0-9]+' || echo 0)
	f=$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '^[0-9]+' || echo 1)
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	summary+=("$(printf '%-12s %4d passed, %d failed' "$name" "$p" "$f")")
}

fatal() {
	echo "error: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

tools/install-deps.sh || fatal "could not install dependencies"

step Building "extension (make)"
make -s >"$log_dir/build.log" 2>&1 || { tail -n 40 "$log_dir/build.log"; fatal "extension build failed"; }
if grep -E 'warning:' "$log_dir/build.log"; then
	fatal "the extension must build without warnings"
fi
step Installing "extension (make install)"
if ! make -s install >"$log_dir/install.log" 2>&1; then
	tail -n 20 "$log_dir/install.log"
	fatal "make install failed (not root? run: sudo make install)"
fi
step Building "Boost.Test binaries and the pathx CLI (it starts the test clusters)"
make -s -C tests >"$log_dir/tests-build.log" 2>&1 || { tail -n 40 "$log_dir/tests-build.log"; fatal "test build failed"; }
make -s -C tools/pathx >>"$log_dir/tests-build.log" 2>&1 || { tail -n 40 "$log_dir/tests-build.log"; fatal "pathx build failed"; }

source tools/lib/cluster.sh
trap px_cluster_stop EXIT
px_cluster_start || fatal "could not start the test cluster"
export PXTEST_BINDIR="$PX_BINDIR"

# regress: pg_regress counts its own tests
step Running "pg_regress"
make -s installcheck >"$log_dir/regress.log" 2>&1
rc=$?
cat "$log_dir/regress.log" | grep -E '^(test| *ok| *FAILED|not ok|ok)' || true
p=$(grep -cE '\.\.\. ok' "$log_dir/regress.log" || true)
f=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$log_dir/regress.log" || true)
if [[ $rc -ne 0 && $f -eq 0 ]]; then
	f=1
	tail -n 20 "$log_dir/regress.log"
fi
if [[ -f regression.diffs ]] && [[ $f -gt 0 ]]; then
	echo "----- regression.diffs (first 200 lines) -----"
	head -n 200 regression.diffs
fi
passed=$((passed + p))
failed=$((failed + f))
summary+=("$(printf '%-12s %4d passed, %d failed' regress "$p" "$f")")

step Running "unit tests"
tests/bin/unit_tests --report_level=short >"$log_dir/unit.log" 2>&1
rc=$?
tail -n 5 "$log_dir/unit.log"
count_boost unit "$log_dir/unit.log" "$rc"

step Running "unit tests under ASan + UBSan"
if make -s -C tests sanitize >"$log_dir/sanitize-build.log" 2>&1; then
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/bin/unit_tests_sanitized --report_level=short >"$log_dir/sanitize.log" 2>&1
	rc=$?
	tail -n 5 "$log_dir/sanitize.log"
	count_boost sanitize "$log_dir/sanitize.log" "$rc"
else
	tail -n 20 "$log_dir/sanitize-build.log"
	failed=$((failed + 1))
	summary+=("sanitize     build failed")
fi

step Running "libFuzzer on the core (20 s)"
if make -s -C tests fuzz >"$log_dir/fuzz-build.log" 2>&1; then
	corpus="$(mktemp -d)"
	tests/bin/fuzz_core -max_total_time=20 -rss_limit_mb=4096 -artifact_prefix="$log_dir/" \
		"$corpus" >"$log_dir/fuzz.log" 2>&1
	rc=$?
	rm -rf "$corpus"
	tail -n 1 "$log_dir/fuzz.log"
	if [[ $rc -eq 0 ]]; then
		passed=$((passed + 1))
		summary+=("fuzz            1 passed, 0 failed")
	else
		grep -E 'invariant violated|ERROR|SUMMARY' "$log_dir/fuzz.log" | head -5
		failed=$((failed + 1))
		summary+=("fuzz            0 passed, 1 failed (input saved in $log_dir)")
	fi
else
	tail -n 20 "$log_dir/fuzz-build.log"
	failed=$((failed + 1))
	summary+=("fuzz         build failed")
fi

if [[ -x tests/bin/integration_tests ]]; then
	step Running "integration tests"
	tests/bin/integration_tests --report_level=short >"$log_dir/integration.log" 2>&1
	rc=$?
	tail -n 15 "$log_dir/integration.log"
	count_boost integration "$log_dir/integration.log" "$rc"
fi

step Running "ORM clients (Sequelize, Django)"
run_script clients tests/clients/run.sh '^(GAP|NOTE) |clients took'

step Running "hostile input"
run_script hostile tests/reliability/hostile_input.sh 'peak backend memory'

step Running "crash recovery and streaming replica"
run_script reliability tests/reliability/crash_and_replica.sh 'crashes survived'

step Running "pathx CLI tests"
make -s -j2 -C tools/pathx test >"$log_dir/cli.log" 2>&1
rc=$?
grep -E 'error|warning:' "$log_dir/cli.log" | head -20
tail -n 15 "$log_dir/cli.log"
count_boost cli "$log_dir/cli.log" "$rc"
if grep -q 'warning:' "$log_dir/cli.log"; then
	echo "error: the pathx CLI must build without warnings"
	failed=$((failed + 1))
	summary+=("cli          build warnings")
fi

step Running "sharded tables (postgres_fdw)"
run_script shards tests/shards/run.sh 'shards took'

step Running "lint"
run_script lint tests/lint/comment_refs.py 'comment_refs:'

# Last: deb_test.sh moves the make install files aside while it runs.
step Running "package metadata and the Debian package"
run_script package tests/package/meta_test.py '^$'
run_script deb tests/package/deb_test.sh 'package test took'

echo
echo "Summary:"
for line in "${summary[@]}"; do
	echo "  $line"
done
echo "Logs: $log_dir"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
