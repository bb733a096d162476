# cluster.sh: start and stop a throwaway PostgreSQL 15 cluster (sourced).
#
#   px_cluster_start   creates a cluster in a fresh temporary directory, starts
#                      it on a free port, exports PGHOST PGPORT PGUSER
#                      PGDATABASE and PXTEST_CONNINFO
#   px_cluster_stop    stops it and removes the directory
#
# initdb refuses to run as root: as root, the server runs as the unprivileged
# `postgres` OS user (created by the postgresql-15 package) and the directory
# is handed to it.  Commands are run with argument vectors, never via a shell
# string.  PX_EXTRA_SERVER_OPTIONS adds server settings (-c name=value ...).
#
# Who can connect.  Authentication is trust, so whoever reaches the server
# is a superuser, who can run COPY ... TO PROGRAM as the server's OS user.
# The server therefore listens on its Unix socket only (listen_addresses
# is empty: no TCP at all), and the socket lives in the cluster directory,
# mode 0700 and owned by the server user, so only that user and root reach
# it; TCP connections are also rejected in pg_hba.conf should someone turn
# TCP on.  Clients connect with PGHOST (or host= in PXTEST_CONNINFO) set to
# that directory; replication goes over the same socket.  The port still
# names the socket file (.s.PGSQL.<port>); it is picked among ports no TCP
# server uses, so that a client that ignores PGHOST and tries 127.0.0.1 is
# refused rather than reaching some other server.

PX_BINDIR="${PX_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}"
if [[ ! -x "$PX_BINDIR/initdb" ]]; then
	PX_BINDIR=/usr/lib/postgresql/15/bin
fi

px_as_server_user() {
	if [[ $(id -u) -eq 0 ]]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

px_free_port() {
	local port
	for port in $(seq "${1:-54320}" 54399); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "error: no free TCP port in 54320-54399" >&2
	return 1
}

px_cluster_start() {
	if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
		echo "error: running as root, and there is no 'postgres' OS user to run the server" >&2
		echo "fix:   apt-get install -y postgresql-15 (creates it), or run as a normal user" >&2
		return 1
	fi
	# mktemp -d creates a new directory (never an existing one) with mode 0700
	PX_CLUSTER_DIR="$(mktemp -d /tmp/jsonb_pathx-test.XXXXXX)" || return 1
	chmod 700 "$PX_CLUSTER_DIR"
	if [[ $(id -u) -eq 0 ]]; then
		chown postgres: "$PX_CLUSTER_DIR"
	fi
	PX_CLUSTER_PORT="$(px_free_port)"
	echo "    Creating test cluster in $PX_CLUSTER_DIR (port $PX_CLUSTER_PORT)"
	if ! px_as_server_user "$PX_BINDIR/initdb" -D "$PX_CLUSTER_DIR/data" -U postgres \
		--auth-local=trust --auth-host=reject -E UTF8 --locale=C.UTF-8 --no-sync >"$PX_CLUSTER_DIR/initdb.log" 2>&1; then
		echo "error: initdb failed:" >&2
		tail -n 20 "$PX_CLUSTER_DIR/initdb.log" >&2
		return 1
	fi
	echo "    Starting test cluster"
	if ! px_as_server_user "$PX_BINDIR/pg_ctl" -D "$PX_CLUSTER_DIR/data" -w -t 60 \
		-l "$PX_CLUSTER_DIR/server.log" \
		-o "-p $PX_CLUSTER_PORT -k $PX_CLUSTER_DIR -c listen_addresses='' -c unix_socket_permissions=0700 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=256MB -c wal_level=replica -c max_wal_senders=4 ${PX_EXTRA_SERVER_OPTIONS:-}" \
		start >/dev/null; then
		echo "error: the test server did not start; last lines of its log:" >&2
		tail -n 30 "$PX_CLUSTER_DIR/server.log" >&2
		return 1
	fi
	export PGHOST="$PX_CLUSTER_DIR" PGPORT="$PX_CLUSTER_PORT" PGUSER=postgres PGDATABASE=postgres
	export PXTEST_CONNINFO="host=$PX_CLUSTER_DIR port=$PX_CLUSTER_PORT user=postgres dbname=postgres"
}

px_cluster_stop() {
	if [[ -n "${PX_CLUSTER_DIR:-}" && -d "$PX_CLUSTER_DIR/data" ]]; then
		if [[ "${PATHX_KEEP_CLUSTER:-}" == 1 ]]; then
			echo "    Keeping test cluster: psql -h $PX_CLUSTER_DIR -p $PX_CLUSTER_PORT -U postgres"
			return 0
		fi
		px_as_server_user "$PX_BINDIR/pg_ctl" -D "$PX_CLUSTER_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
		rm -rf "$PX_CLUSTER_DIR"
	fi
}
