#!/bin/bash
#
# run.sh [pathx-bench options]: the side-by-side benchmark on a throwaway
# cluster tuned for it.  Builds and installs the extension and the
# benchmark first.  Examples:
#
#   tools/bench/run.sh                       # 200,000 documents
#   tools/bench/run.sh --rows 2000 --runs 1  # smoke run, under a minute
#   tools/bench/run.sh --markdown results.md --json results.json
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
	sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//'
	exec "$root/tools/bench/bin/pathx-bench" --help 2>/dev/null || exit 0
fi
"$root/tools/install-deps.sh"
make -s -C "$root" >/dev/null
make -s -C "$root" install >/dev/null
make -s -C "$root/tools/bench" >/dev/null
source "$root/tools/lib/cluster.sh"
trap px_cluster_stop EXIT
PX_EXTRA_SERVER_OPTIONS="-c shared_buffers=1GB -c work_mem=64MB -c maintenance_work_mem=512MB -c max_parallel_workers_per_gather=2" \
	px_cluster_start
"$root/tools/bench/bin/pathx-bench" "$@"
