# report.sh: the PASS/FAIL reporting of the shell test suites (sourced).
#
#   pass NAME                  prints "PASS NAME", counts a pass
#   fail NAME REASON [DETAIL]  prints "FAIL NAME: REASON", DETAIL (a plan,
#                              a log tail) indented below it; counts a failure
#   check NAME CMD...          runs CMD: a pass when it succeeds, else
#                              "FAIL NAME"
#   report_finish [LABEL]      prints "    LABEL took N seconds" (with a
#                              LABEL) and the closing "N passed, N failed"
#                              that tests/run-all.sh counts; returns 1 on
#                              failures
# Counts live in $passed and $failed, the start time in $report_start.
passed=0
failed=0
report_start=$SECONDS

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}

fail() {
	echo "FAIL $1: $2"
	if [[ -n "${3:-}" ]]; then
		sed 's/^/      /' <<<"$3"
	fi
	failed=$((failed + 1))
}

check() {
	local name="$1"
	shift
	if "$@"; then
		pass "$name"
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}

report_finish() {
	if [[ -n "${1:-}" ]]; then
		echo "    $1 took $((SECONDS - report_start)) seconds"
	fi
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}
