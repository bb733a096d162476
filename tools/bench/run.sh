#!/bin/bash
#
# run.sh [pathx bench options]: `pathx bench` on a throwaway cluster tuned
# for it (what `make bench` runs).  Builds and installs the extension and
# builds pathx first.  Examples:
#
#   tools/bench/run.sh                          # 200,000 documents
#   tools/bench/run.sh --rows 2000 --runs 1     # smoke run, seconds
#   tools/bench/run.sh --markdown r.md --json r.json --svg r.svg
#   tools/bench/run.sh --only jsonb_path_ops,jsonb_pathx_ops --no-option-studies
#   make bench BENCH_ARGS="--rows 1000000 --no-option-studies"
#   grep '^orm_' tools/bench/queries.example > /tmp/orm.queries
#   tools/bench/run.sh --queries /tmp/orm.queries --no-option-studies
#                                               # only the application SQL forms
#
# The cluster: shared_buffers 4GB (PXB_SHARED_BUFFERS overrides; give it
# more for 1,000,000 documents): every strategy has its own copy of the
# table and all are timed in turn; at 200,000 documents copies and indexes
# take ~2.1 GB, and with 1GB they evicted each other (seq scans of
# identical copies differed by 35%).  work_mem 64MB (exact bitmaps, no
# lossy pages), maintenance_work_mem 512MB (GIN builds in few passes),
# fsync off (a throwaway cluster), jit off (compiling plans would slow the
# seq scans only, flattering every index).
# Exit status: pathx bench's (1 when strategies counted different rows).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="${PATHX_BENCH_BIN:-$root/tools/pathx/bin}"
pathx="$bin/pathx"

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
	sed -n '3,24p' "$0" | sed 's/^# \{0,1\}//'
	make -s -C "$root/tools/pathx" BIN="$bin" >/dev/null 2>&1 && "$pathx" bench --help
	exit 0
fi

step() { printf '%12s %s\n' "$1" "$2" >&2; }

# jsquery is an optional baseline: without it the benchmark skips that column.
if ! "$root/tools/install-deps.sh" --bench >/dev/null; then
	step Warning "tools/install-deps.sh --bench failed; continuing with what is installed"
fi
step Building "jsonb_pathx"
make -s -C "$root" >/dev/null
step Installing "jsonb_pathx into $(pg_config --sharedir)/extension"
make -s -C "$root" install >/dev/null
step Building "$pathx"
make -s -j2 -C "$root/tools/pathx" BIN="$bin" >/dev/null

settings=(--set "shared_buffers=${PXB_SHARED_BUFFERS:-4GB}" --set work_mem=64MB --set maintenance_work_mem=512MB
	--set fsync=off --set jit=off --set max_parallel_workers_per_gather=2)
step Running "pathx bench $* on a throwaway cluster"
# PXTEST_CONNINFO exists only once with-cluster.sh has started the cluster,
# hence the inner shell; the arguments pass through as "$@", unquoted nowhere.
# The cluster is ours and thrown away, so the instance-wide CHECKPOINT and
# pg_prewarm that --conninfo leaves off by default are asked for.
exec "$root/tools/with-cluster.sh" "${settings[@]}" bash -c 'exec "$0" bench --conninfo "$PXTEST_CONNINFO" --checkpoint --prewarm "$@"' "$pathx" "$@"
