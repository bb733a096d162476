#!/bin/bash
#
# run.sh: JSON queries written with real ORMs use the jsonb_pathx_ops index.
#
# A blog (tests/clients/blog_schema.sql: 30,000 generated posts, a
# jsonb_pathx_ops index on posts.meta, an unindexed copy posts_plain) is
# queried through each ORM's own query API:
#   sequelize  Sequelize 6 + node-postgres (sequelize/blog_test.js; npm ci of
#              the pinned lock file, skipped when up to date: install.sh)
#   django     Django + psycopg2 from Debian, on /usr/bin/python3
#              (django/blog_test.py, settings configured in the test)
# Each check captures the exact SQL and parameters the ORM sent, runs
# EXPLAIN (FORMAT JSON) of it through the same driver and asserts a Bitmap
# Index Scan on posts_meta_pathx (or, for a query that is not selective and
# for the unindexed table, a seq scan), and that the ORM's rows equal those
# of the same SQL with enable_bitmapscan and enable_indexscan off.
#
# Needs a running server with jsonb_pathx installed (env PGHOST, PGPORT,
# PGUSER, as tests/run-all.sh's px_cluster_start exports them).  Creates the
# database px_clients (PX_CLIENTS_DB), drops it at the end.
#   tests/clients/run.sh               both ORMs
#   tests/clients/run.sh django        one ORM alone (or: sequelize)
#   PX_CLIENTS_ONLY=views tests/clients/run.sh   checks whose name has "views"
#   PX_CLIENTS_STRICT=1 ...            forms not indexed yet (GAP lines) fail
# Prints "PASS NAME" / "FAIL NAME: REASON" (and the SQL) per check; the last
# line is "N passed, N failed".
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
start=$SECONDS
passed=0
failed=0

orms=("$@")
if ((${#orms[@]} == 0)); then
	orms=(sequelize django)
fi
for orm in "${orms[@]}"; do
	if [[ "$orm" != sequelize && "$orm" != django ]]; then
		echo "error: unknown ORM '$orm' (sequelize or django)" >&2
		exit 2
	fi
done

fail_setup() {
	echo "FAIL $1"
	failed=$((failed + 1))
}

finish() {
	echo "    clients took $((SECONDS - start)) seconds"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
}

if [[ -z "${PGHOST:-}" || -z "${PGPORT:-}" ]]; then
	fail_setup "clients setup: PGHOST and PGPORT are not set (run from tests/run-all.sh, or after px_cluster_start of tools/lib/cluster.sh)"
	finish
	exit 1
fi

export PX_CLIENTS_DB="${PX_CLIENTS_DB:-px_clients}"
db="$PX_CLIENTS_DB"
psql_q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"; }

drop_db() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; }
trap drop_db EXIT
if ! psql_q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""; then
	fail_setup "clients setup: could not create database $db"
	finish
	exit 1
fi
if ! psql_q -d "$db" -c "CREATE EXTENSION jsonb_pathx" || ! psql_q -d "$db" -f "$here/blog_schema.sql"; then
	fail_setup "clients setup: could not create the extension and the blog schema in $db"
	finish
	exit 1
fi
echo "    blog schema loaded in $db ($((SECONDS - start)) s)"

# Run one ORM's test; count its PASS/FAIL lines.  A test that exits non-zero
# without a FAIL line (a crash, a missing module) counts as one failure.
run_orm() {
	local orm="$1" out rc p f
	shift
	out="$(mktemp)"
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^PASS ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	rm -f "$out"
	if [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "FAIL $orm: the test exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for orm in "${orms[@]}"; do
	case "$orm" in
	sequelize)
		if ! "$here/install.sh"; then
			fail_setup "sequelize: npm ci failed (node and npm from tools/install-deps.sh; the npm registry must be reachable)"
			continue
		fi
		run_orm sequelize node "$here/sequelize/blog_test.js"
		;;
	django)
		# Debian's python3 explicitly: a pyenv python on PATH lacks Django
		if ! /usr/bin/python3 -c 'import django, psycopg2' 2>/dev/null; then
			fail_setup "django: /usr/bin/python3 cannot import django and psycopg2 (fix: tools/install-deps.sh)"
			continue
		fi
		run_orm django /usr/bin/python3 "$here/django/blog_test.py"
		;;
	esac
done

finish
