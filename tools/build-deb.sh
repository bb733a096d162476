#!/bin/bash
#
# build-deb.sh: build postgresql-15-jsonb-pathx_<version>_amd64.deb (make deb).
#
#   tools/build-deb.sh [OUTDIR]     default OUTDIR: dist/
#
# Installs the packaging build dependencies (tools/install-deps.sh --deb),
# copies the files git tracks (as they are in the working tree, so uncommitted
# edits are packaged; untracked and ignored files are not) into a fresh
# temporary directory and runs dpkg-buildpackage -b there.  Building in a
# copy keeps the shared source tree's objects and jsonb_pathx.so untouched,
# since pg_buildext cleans the tree it builds in.  Without git (a PGXN
# archive) the whole directory is copied.  The .deb files, the .buildinfo,
# .changes and build.log land in OUTDIR; the temporary directory is removed.
# DEB_BUILD_OPTIONS=nocheck skips the build-time pg_regress run.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
outdir="${1:-$root/dist}"
mkdir -p "$outdir"
outdir="$(cd "$outdir" && pwd)"

"$root/tools/install-deps.sh" --deb

version="$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)"
work="$(mktemp -d /tmp/jsonb_pathx-deb.XXXXXX)"
trap 'rm -rf "$work"' EXIT
src="$work/jsonb-pathx-$version"
mkdir "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# tracked files deleted in the working tree are left out
	(cd "$root" && git ls-files -z | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$src" -xf -
else
	tar -C "$root" --exclude=./dist -cf - . | tar -C "$src" -xf -
fi
# the build runs pg_regress as the postgres OS user when root (pg_virtualenv)
chmod 755 "$work"

echo "    Building postgresql-15-jsonb-pathx $version (log: $outdir/build.log)"
if ! (cd "$src" && dpkg-buildpackage -b -us -uc -j"$(nproc)") >"$outdir/build.log" 2>&1; then
	tail -n 40 "$outdir/build.log" >&2
	echo "error: dpkg-buildpackage failed; the whole log is $outdir/build.log" >&2
	exit 1
fi
for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes; do
	[ -e "$f" ] && mv -f "$f" "$outdir/"
done
echo "    Finished $outdir/postgresql-15-jsonb-pathx_${version}_amd64.deb"
