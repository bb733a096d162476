#!/bin/bash
#
# with-cluster.sh [--set NAME=VALUE]... CMD [ARGS...]: run CMD against a
# throwaway PostgreSQL cluster (PGHOST, PGPORT, PGUSER, PGDATABASE and
# PXTEST_CONNINFO are set), then stop and remove the cluster.  Exits with
# CMD's status.  --set adds a server setting.  The cluster is the pathx
# CLI's (see tools/lib/cluster.sh).  PATHX_KEEP_CLUSTER=1 leaves it
# running for debugging.
set -euo pipefail
if [[ $# -eq 0 || "$1" == "--help" || "$1" == "-h" ]]; then
	echo "usage: tools/with-cluster.sh [--set NAME=VALUE]... CMD [ARGS...]"
	echo "Runs CMD against a throwaway PostgreSQL cluster (pathx up --socket-only in a"
	echo "temporary home), then removes it.  --set adds a server setting."
	exit 0
fi
settings=()
while [[ $# -gt 0 && "$1" == "--set" ]]; do
	[[ $# -ge 2 ]] || { echo "error: --set needs NAME=VALUE" >&2; exit 2; }
	settings+=("$2")
	shift 2
done
[[ $# -gt 0 ]] || { echo "error: no command to run" >&2; exit 2; }
source "$(dirname "$0")/lib/cluster.sh"
trap px_cluster_stop EXIT
trap 'exit 130' INT TERM
px_cluster_start "${settings[@]}"
"$@"
