#!/bin/bash
#
# deb_test.sh: the Debian package installs a working extension and removes
# it again, leaving the machine as it found it.
#
#   build     make deb's script (tools/build-deb.sh, DEB_BUILD_OPTIONS=nocheck:
#             pg_regress runs in the regress suite already) builds
#             postgresql-15-jsonb-pathx_<default_version>_amd64.deb
#   contents  the package holds the library, the control file and every SQL
#             script of extension/ (the full script and each upgrade step),
#             and nothing outside PostgreSQL 15's directories and its docs
#   install   dpkg -i succeeds and dpkg -L lists those files
#   use       in a fresh database of a throwaway cluster, CREATE EXTENSION
#             gives the default version; queries by @> and by a jsonpath
#             range are Bitmap Index Scans on a jsonb_pathx_ops index with
#             the rows of a sequential scan
#   remove    dpkg --purge removes every file of the package, and CREATE
#             EXTENSION then fails in another fresh database
#   restore   the files `make install` had put where the package goes are
#             back, byte for byte
#
# Why the files are moved aside first: `make install` (run by make test
# before this suite) puts the same files at the same places, unowned by any
# package.  Were they left there, `CREATE EXTENSION` would succeed even
# from a package missing a file, and the removal check could not tell.  So
# every file the package will own is copied to a private directory and
# removed before dpkg -i, and copied back on exit, also when a check fails
# or the script is interrupted.  Only those paths are touched.
#
# Needs root (dpkg).  If the package is already installed, the script
# refuses rather than replace and then remove the administrator's copy.
# Prints "PASS NAME" / "FAIL NAME: REASON"; the last line is
# "N passed, N failed".
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,33p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
pkg=postgresql-15-jsonb-pathx

# shellcheck source=../../tools/lib/report.sh
source "$root/tools/lib/report.sh"

# every early stop goes through here: the EXIT trap below restores the files
finish() {
	report_finish "package test"
	exit
}

if [[ $(id -u) -ne 0 ]]; then
	fail "setup" "dpkg -i needs root: run make test (or this script) as root"
	finish
fi

status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
if [[ "$status" == installed ]]; then
	fail "setup" "$pkg is installed on this machine; this test installs and purges it, so it refuses to run (dpkg --purge $pkg first)"
	finish
fi

# shellcheck source=../../tools/lib/cluster.sh
source "$root/tools/lib/cluster.sh"

version="$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/extension/jsonb_pathx.control")"
work="$(mktemp -d /tmp/jsonb_pathx-debtest.XXXXXX)"
backup="$work/backup"
mkdir "$backup"
we_installed=0
moved=()

cleanup() {
	px_cluster_stop
	if [[ $we_installed -eq 1 ]]; then
		dpkg --purge "$pkg" >/dev/null 2>&1 || true
	fi
	local f
	for f in "${moved[@]}"; do
		cp -a "$backup$f" "$f"
	done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build ----------------------------------------------------------------
deb="$work/out/${pkg}_${version}_amd64.deb"
if DEB_BUILD_OPTIONS=nocheck "$root/tools/build-deb.sh" "$work/out" >"$work/build.out" 2>&1 && [[ -f "$deb" ]]; then
	pass "build: $(basename "$deb")"
else
	fail "build" "tools/build-deb.sh did not produce $(basename "$deb")" "$(tail -n 30 "$work/build.out")"
	finish
fi

# --- contents -------------------------------------------------------------
# dpkg-deb -c prints tar's listing: mode, owner, size, date, time, ./path
mapfile -t files < <(dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { sub(/^\./, "", $6); print $6 }')
want=(/usr/lib/postgresql/15/lib/jsonb_pathx.so /usr/share/postgresql/15/extension/jsonb_pathx.control)
for f in "$root"/extension/jsonb_pathx--*.sql; do
	want+=("/usr/share/postgresql/15/extension/$(basename "$f")")
done
missing=()
for f in "${want[@]}"; do
	printf '%s\n' "${files[@]}" | grep -qxF "$f" || missing+=("$f")
done
stray=$(printf '%s\n' "${files[@]}" | grep -vE '^/usr/(lib/postgresql/15/lib|share/postgresql/15/extension|share/doc/'"$pkg"')/' || true)
if [[ ${#missing[@]} -eq 0 && -z "$stray" ]]; then
	pass "contents: ${#files[@]} files: the library, the control file and all $((${#want[@]} - 2)) SQL scripts"
else
	fail "contents" "missing: ${missing[*]:-none}; outside the extension's directories: ${stray:-none}" "$(dpkg-deb -c "$deb")"
	finish
fi

# Move aside what `make install` put where the package goes (see the header).
for f in "${files[@]}"; do
	if [[ -L "$f" ]]; then
		fail "setup" "$f is a symbolic link; not touching it"
		finish
	elif [[ -f "$f" ]]; then
		mkdir -p "$backup$(dirname "$f")"
		cp -a "$f" "$backup$f" || { fail "setup" "could not back up $f"; finish; }
		moved+=("$f")
		rm -f "$f"
	fi
done

# --- install --------------------------------------------------------------
if out=$(dpkg -i "$deb" 2>&1); then
	we_installed=1
	listed=$(dpkg -L "$pkg")
	if grep -qxF /usr/lib/postgresql/15/lib/jsonb_pathx.so <<<"$listed" &&
		grep -qxF "/usr/share/postgresql/15/extension/jsonb_pathx--$version.sql" <<<"$listed"; then
		pass "install: dpkg -i, and dpkg -L lists the library and jsonb_pathx--$version.sql"
	else
		fail "install" "dpkg -L does not list the library and the install script" "$listed"
	fi
else
	fail "install" "dpkg -i failed" "$out"
	finish
fi

# --- use ------------------------------------------------------------------
if ! px_cluster_start >"$work/cluster.out" 2>&1; then
	fail "use" "could not start a throwaway cluster" "$(cat "$work/cluster.out")"
	finish
fi
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -c "CREATE DATABASE pkg_fresh" || { fail "use" "CREATE DATABASE failed"; finish; }
got=$(cd / && q -d pkg_fresh -c "CREATE EXTENSION jsonb_pathx" \
	-c "SELECT extversion FROM pg_extension WHERE extname = 'jsonb_pathx'" 2>&1)
if [[ "$got" == "$version" ]]; then
	pass "use: CREATE EXTENSION jsonb_pathx gives version $version"
else
	fail "use" "CREATE EXTENSION from the package: expected version $version" "$got"
	finish
fi
q -d pkg_fresh \
	-c "CREATE TABLE docs (id int PRIMARY KEY, doc jsonb NOT NULL)" \
	-c "INSERT INTO docs SELECT i, jsonb_build_object('k', i % 500, 'n', i, 'tags', jsonb_build_array('t' || (i % 37)))
	    FROM generate_series(1, 20000) i" \
	-c "CREATE INDEX docs_doc_pathx ON docs USING gin (doc jsonb_pathx_ops)" \
	-c "ANALYZE docs" || { fail "use" "could not create the table and its index"; finish; }
for cond in "doc @> '{\"k\": 7}'" "doc @? '\$.n ? (@ >= 19950 && @ < 20000)'"; do
	plan=$(q -d pkg_fresh -c "EXPLAIN (COSTS OFF) SELECT count(*) FROM docs WHERE $cond" 2>&1)
	with=$(q -d pkg_fresh -c "SELECT count(*) FROM docs WHERE $cond" 2>&1)
	without=$(q -d pkg_fresh -c "SET enable_bitmapscan = off" -c "SET enable_indexscan = off" \
		-c "SELECT count(*) FROM docs WHERE $cond" 2>&1)
	if ! grep -q 'Bitmap Index Scan on docs_doc_pathx' <<<"$plan"; then
		fail "use $cond" "not a Bitmap Index Scan on the jsonb_pathx_ops index" "$plan"
	elif [[ "$with" != "$without" || ! "$with" =~ ^[1-9][0-9]*$ ]]; then
		fail "use $cond" "index answer '$with', sequential scan '$without'"
	else
		pass "use $cond: Bitmap Index Scan, $with rows as a sequential scan"
	fi
done

# --- remove ---------------------------------------------------------------
if out=$(dpkg --purge "$pkg" 2>&1); then
	we_installed=0
	left=()
	for f in "${files[@]}"; do
		[[ -e "$f" || -L "$f" ]] && left+=("$f")
	done
	status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
	err=$(q -c "CREATE DATABASE pkg_after" && q -d pkg_after -c "CREATE EXTENSION jsonb_pathx" 2>&1)
	if [[ ${#left[@]} -eq 0 && "$status" != installed ]] && grep -q 'is not available\|could not open extension control file' <<<"$err"; then
		pass "remove: dpkg --purge removes all ${#files[@]} files; CREATE EXTENSION then fails"
	else
		fail "remove" "left behind: ${left[*]:-none}; dpkg status '$status'; CREATE EXTENSION after removal said: $err"
	fi
else
	fail "remove" "dpkg --purge failed" "$out"
fi

# --- restore --------------------------------------------------------------
px_cluster_stop
for f in "${moved[@]}"; do
	cp -a "$backup$f" "$f"
done
bad=()
for f in "${moved[@]}"; do
	cmp -s "$backup$f" "$f" || bad+=("$f")
done
if [[ ${#bad[@]} -eq 0 ]]; then
	pass "restore: the ${#moved[@]} files make install had put there are back"
	moved=()
else
	fail "restore" "differ from what was there before: ${bad[*]}"
fi
finish
