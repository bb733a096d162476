#!/bin/bash
#
# with-cluster.sh CMD [ARGS...]: run CMD against a throwaway PostgreSQL 15
# cluster (PGHOST, PGPORT, PGUSER, PGDATABASE and PXTEST_CONNINFO are set),
# then stop and remove the cluster.  Exits with CMD's status.
# PATHX_KEEP_CLUSTER=1 leaves the cluster running for debugging.
set -euo pipefail
if [[ $# -eq 0 || "$1" == "--help" || "$1" == "-h" ]]; then
	echo "usage: tools/with-cluster.sh CMD [ARGS...]"
	echo "Runs CMD against a throwaway PostgreSQL 15 cluster, then removes it."
	exit 0
fi
source "$(dirname "$0")/lib/cluster.sh"
trap px_cluster_stop EXIT
trap 'exit 130' INT TERM
px_cluster_start
"$@"
