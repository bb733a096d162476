#!/bin/bash
#
# demo.sh: the main job (`make demo`).  On a fresh Debian 12 machine it
# installs what is missing (tools/install-deps.sh), builds the pathx CLI,
# then runs `pathx up` (build and install jsonb_pathx, create and start the
# dev cluster under .pathx/, create the database with the extension) and
# `pathx demo` (generated orders, queries side by side without and with a
# jsonb_pathx_ops index).  Arguments go to `pathx demo`:
#
#   tools/demo.sh                   100,000 documents
#   tools/demo.sh --rows 20000      a smaller data set
#
# Afterwards the dev cluster keeps running: tools/pathx/bin/pathx psql.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

"$root/tools/install-deps.sh"
printf '%12s %s\n' Building "tools/pathx/bin/pathx (the first build takes a minute)"
if ! make -s -j"$(nproc)" -C "$root/tools/pathx" >"$root/tools/pathx/build.log" 2>&1; then
	tail -n 30 "$root/tools/pathx/build.log" >&2
	echo "error: building the pathx CLI failed (full log: tools/pathx/build.log)" >&2
	exit 1
fi
"$root/tools/pathx/bin/pathx" up
exec "$root/tools/pathx/bin/pathx" demo "$@"
