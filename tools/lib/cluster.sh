# cluster.sh: throwaway PostgreSQL clusters for the test suites (sourced).
#
#   px_cluster_start [NAME=VALUE...]
#                      creates a cluster in a fresh temporary directory and
#                      starts it, with these server settings on top of the
#                      suite defaults; exports PGHOST PGPORT PGUSER
#                      PGDATABASE and PXTEST_CONNINFO, and keeps its
#                      directory, home and port in PX_CLUSTER_DIR,
#                      PX_CLUSTER_HOME and PX_CLUSTER_PORT
#   px_cluster_stop    stops it and removes the directory
#   px_pathx ARGS...   runs the pathx CLI of this checkout (built on first use)
#   px_port HOME       the port of the pathx cluster in HOME
#
# There is one way to run a cluster in this repository: the pathx CLI's
# (tools/pathx/src/cluster.cpp), which the dev cluster, make demo and these
# harnesses share.  A test cluster is `pathx up` on a home of its own with
# what a test run needs: no build (the suites install the extension
# first), no dev database, the first free port from 54320 up, durability
# off for speed, and --socket-only.
#
# Who can connect.  The Unix socket trusts whoever reaches it, so a
# connection is a superuser, who can run COPY ... TO PROGRAM as the
# server's OS user.  --socket-only therefore turns TCP off altogether, and
# the socket lives in the home, mode 0700 and owned by the server user (the
# `postgres` OS user when run as root), so only that user and root reach
# it.  Clients connect with PGHOST (or host= in PXTEST_CONNINFO) set to
# the home.  The port only names the socket file (.s.PGSQL.<port>); pathx
# picks one no TCP server uses, so that a client that ignores PGHOST and
# tries 127.0.0.1 is refused rather than reaching some other server.
# Commands are run with argument vectors, never via a shell string.

PX_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PX_PATHX="$PX_ROOT/tools/pathx/bin/pathx"
PX_BINDIR="${PX_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}"
if [[ ! -x "$PX_BINDIR/initdb" ]]; then
	PX_BINDIR=/usr/lib/postgresql/15/bin
fi

px_pathx() {
	# make -q is quick when the binary is current; the first run builds it
	if ! make -q -C "$PX_ROOT/tools/pathx" >/dev/null 2>&1; then
		echo "    Building the pathx CLI (tools/pathx)" >&2
		make -s -C "$PX_ROOT/tools/pathx" >&2 || return 1
	fi
	"$PX_PATHX" "$@"
}

px_port() {
	px_pathx status --json --home "$1" 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["port"])'
}

px_cluster_start() {
	local sets=() s
	for s in fsync=off synchronous_commit=off full_page_writes=off max_connections=60 \
		shared_buffers=256MB wal_level=replica max_wal_senders=4 "$@"; do
		sets+=(--set "$s")
	done
	# mktemp -d creates a new directory (never an existing one); pathx makes
	# the home in it, which the server user may pass through (0711) to
	# reach, but not list or write: what we write here stays ours
	PX_CLUSTER_DIR="$(mktemp -d /tmp/jsonb_pathx-test.XXXXXX)" || return 1
	chmod 711 "$PX_CLUSTER_DIR" || return 1
	PX_CLUSTER_HOME="$PX_CLUSTER_DIR/home"
	echo "    Starting test cluster in $PX_CLUSTER_HOME"
	if ! px_pathx up --home "$PX_CLUSTER_HOME" --no-build --no-database --port 54320 --any-port \
		--socket-only "${sets[@]}" >"$PX_CLUSTER_DIR/up.log" 2>&1; then
		echo "error: the test cluster did not start:" >&2
		tail -n 30 "$PX_CLUSTER_DIR/up.log" >&2
		return 1
	fi
	PX_CLUSTER_PORT="$(px_port "$PX_CLUSTER_HOME")" || return 1
	export PGHOST="$PX_CLUSTER_HOME" PGPORT="$PX_CLUSTER_PORT" PGUSER=postgres PGDATABASE=postgres
	export PXTEST_CONNINFO="host=$PX_CLUSTER_HOME port=$PX_CLUSTER_PORT user=postgres dbname=postgres"
}

px_cluster_stop() {
	if [[ -n "${PX_CLUSTER_DIR:-}" && -d "$PX_CLUSTER_DIR" ]]; then
		if [[ "${PATHX_KEEP_CLUSTER:-}" == 1 ]]; then
			echo "    Keeping test cluster: psql -h $PX_CLUSTER_HOME -p $PX_CLUSTER_PORT -U postgres"
			return 0
		fi
		# destroy stops the server and deletes only the home pathx up made
		px_pathx destroy --yes --home "$PX_CLUSTER_HOME" >/dev/null 2>&1 ||
			px_pathx down --immediate --home "$PX_CLUSTER_HOME" >/dev/null 2>&1
		rm -rf "$PX_CLUSTER_DIR"
	fi
}
