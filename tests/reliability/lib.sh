# lib.sh: shared helpers of the reliability scripts (sourced).
#
#   check NAME CMD...   runs CMD; prints "PASS NAME" or "FAIL NAME" and counts it
#   finish              prints "N passed, N failed" and returns non-zero on failure

passed=0
failed=0

check() {
	local name="$1"
	shift
	if "$@"; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}

finish() {
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}
