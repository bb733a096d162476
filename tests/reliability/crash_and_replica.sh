#!/bin/bash
#
# crash_and_replica.sh: jsonb_pathx_ops indexes survive crashes and replicate.
#
# 1. Crash recovery, three times: a session inserts indexed documents, one
#    transaction each, and records every id whose COMMIT was acknowledged;
#    the postmaster is killed with SIGKILL in the middle; after restart
#    (WAL replay), every acknowledged id must be found through the index,
#    and a query set must count the same rows through the index as by a
#    seq scan.
# 2. Streaming replication: a standby made with pg_basebackup -R replays
#    further inserts, updates, deletes, VACUUM and a new index with options;
#    queries on the standby must agree with the primary.
#
# Runs its own clusters (it kills them), started like every cluster here
# by the pathx CLI (tools/lib/cluster.sh's px_pathx): pathx up --socket-only
# for the primary, pathx up --standby-of for the standby (pg_basebackup -R),
# as the postgres OS user when run as root.  Their sockets trust whoever
# connects, so they listen on Unix sockets only, each in its home (mode
# 0700, owned by the server user), and the standby streams from the primary
# over that socket; checks say so.
# Prints "PASS name" / "FAIL name" per check and ends with "N passed,
# N failed".
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/tools/lib/cluster.sh"
source "$root/tools/lib/report.sh"

# a new directory (mktemp -d never reuses one) for this script's files;
# pathx makes the two homes (data, socket, log) in it, so the server user
# may pass through (0711) but not list or write it
work="$(mktemp -d /tmp/jsonb_pathx-reliability.XXXXXX)" || exit 1
chmod 711 "$work"
primary="$work/primary"
standby="$work/standby"
settings=(--set wal_level=replica --set max_wal_senders=4 --set hot_standby=on)

cleanup() {
	for d in "$standby" "$primary"; do
		[[ -d "$d" ]] && px_pathx down --immediate --home "$d" >/dev/null 2>&1
	done
	rm -rf "$work"
}
trap cleanup EXIT
[[ "${PATHX_KEEP_CLUSTER:-}" == 1 ]] && trap - EXIT

# start HOME [pathx up options]: the cluster in HOME, again after a crash
start() {
	local home="$1"
	shift
	px_pathx up --home "$home" --no-build --no-database --socket-only "${settings[@]}" "$@" \
		>>"$work/up.log" 2>&1 || {
		echo "the cluster in $home did not start:" >&2
		tail -n 20 "$work/up.log" >&2
		return 1
	}
}

# the server at port $1 refuses TCP on 127.0.0.1 while its socket answers
socket_only() {
	local port="$1" home="$2"
	[[ "$(psql -X -At -h "$home" -p "$port" -U postgres -d postgres -c 'SHOW listen_addresses' 2>&1)" == "" ]] &&
		! psql -X -At -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'SELECT 1' >/dev/null 2>&1 &&
		[[ "$(psql -X -At -h "$home" -p "$port" -U postgres -d postgres -c 'SELECT 1')" == 1 ]]
}

# the socket directory (the home): mode 0700, owned by the user the server runs as
socket_dir_private() {
	local owner
	owner="$(stat -c %U "$primary/data")"
	[[ "$(stat -c '%a %U' "$primary")" == "700 $owner" ]]
}

psql_p() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$primary" -p "$p_port" -U postgres -d px "$@"; }
psql_s() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$standby" -p "$s_port" -U postgres -d px "$@"; }

queries=(
	"doc @@ '\$.k >= 0'"
	"doc @@ '\$.k % 7 == 3'"
	"doc @@ '\$.g == \"g3\" && \$.k > 100'"
	"doc @@ '\$.name starts with \"n1\"'"
	"doc @> '{\"tags\": [\"t2\"]}'"
	"doc @? '\$.extra.deep'"
	"doc ? 'extra'"
)

# counts "index|seq" for a query, on the primary or the standby
counts() {
	local which="$1" q="$2"
	local fn=psql_p
	[[ "$which" == standby ]] && fn=psql_s
	local a b
	a=$($fn -c "SET enable_seqscan = off; SET enable_indexscan = off" -c "SELECT count(*) FROM t WHERE $q") || return 1
	b=$($fn -c "SET enable_bitmapscan = off" -c "SELECT count(*) FROM t WHERE $q") || return 1
	echo "$a|$b"
}

index_agrees() {
	local which="$1" q c
	for q in "${queries[@]}"; do
		c=$(counts "$which" "$q") || return 1
		if [[ "${c%|*}" != "${c#*|}" ]]; then
			echo "  $which: index ${c%|*} rows, seq scan ${c#*|} rows: $q" >&2
			return 1
		fi
	done
}

start "$primary" --port 54340 --any-port || { echo "0 passed, 1 failed"; exit 1; }
p_port="$(px_port "$primary")"
check "primary: Unix socket only, TCP on 127.0.0.1:$p_port refused" socket_only "$p_port" "$primary"
check "socket directory is mode 0700 and owned by the server user" socket_dir_private
psql -X -q -h "$primary" -p "$p_port" -U postgres -d postgres -c "CREATE DATABASE px"
psql_p -c "CREATE EXTENSION jsonb_pathx" \
	-c "CREATE TABLE t (id int PRIMARY KEY, doc jsonb)" \
	-c "CREATE INDEX t_doc ON t USING gin (doc jsonb_pathx_ops)"

# one statement per transaction; "ok N" is printed only once N's COMMIT is acknowledged
inserts() {
	local from="$1" to="$2" i
	for ((i = from; i < to; i++)); do
		echo "INSERT INTO t VALUES ($i, jsonb_build_object('k', $i, 'g', 'g' || $i % 10, 'name', 'n' || $i, 'tags', jsonb_build_array('t' || $i % 5)) || CASE WHEN $i % 13 = 0 THEN '{\"extra\": {\"deep\": 1}}'::jsonb ELSE '{}' END);"
		echo "\\echo ok $i"
	done
}

next=0
total_acked=0
for crash in 1 2 3; do
	inserts "$next" $((next + 200000)) |
		psql -X -q -h "$primary" -p "$p_port" -U postgres -d px >"$work/acked.$crash" 2>/dev/null &
	feeder=$!
	sleep 3
	pm=$(head -n 1 "$primary/data/postmaster.pid")
	kill -9 "$pm"
	wait "$feeder" 2>/dev/null
	# wait for the postmaster to be gone, and its children, which exit once
	# they notice; only then are its lock files stale
	for _ in $(seq 1 100); do
		kill -0 "$pm" 2>/dev/null || pgrep -P "$pm" >/dev/null || break
		sleep 0.1
	done
	for _ in $(seq 1 100); do
		pgrep -u postgres -f "postgres: .* px " >/dev/null || break
		sleep 0.1
	done
	rm -f "$primary/data/postmaster.pid" "$primary/.s.PGSQL.$p_port.lock"
	start "$primary" || break
	acked=$(grep -c '^ok ' "$work/acked.$crash")
	total_acked=$((total_acked + acked))
	grep '^ok ' "$work/acked.$crash" | awk '{print $2}' >"$work/ids"
	psql_p -c "CREATE TEMP TABLE acked (id int)" -c "\\copy acked FROM '$work/ids'" \
		-c "SET enable_seqscan = off; SET enable_indexscan = off" \
		-c "SELECT count(*) FROM acked WHERE id NOT IN (SELECT (doc->>'k')::int FROM t WHERE doc @? '\$.k')" \
		>"$work/lost" 2>&1
	lost=$(tail -n 1 "$work/lost")
	[[ "$lost" =~ ^[0-9]+$ ]] || { cat "$work/lost" >&2; lost="(query failed)"; }
	echo "  crash $crash: $acked acknowledged inserts, $lost not found through the index after recovery"
	check "crash $crash: every acknowledged row is found through the index" test "$lost" = 0 -a "$acked" -gt 0
	check "crash $crash: index agrees with seq scan after recovery" index_agrees primary
	next=$(($(psql_p -c "SELECT coalesce(max(id), 0) + 1 FROM t")))
done
echo "  crashes survived: 3, acknowledged inserts checked: $total_acked"

# streaming standby
start "$standby" --port $((p_port + 1)) --any-port --standby-of "$primary"
s_port="$(px_port "$standby")"
check "standby: Unix socket only, TCP on 127.0.0.1:$s_port refused" socket_only "$s_port" "$standby"
psql_p -c "INSERT INTO t SELECT i, jsonb_build_object('k', i, 'g', 'g' || i % 10, 'name', 'n' || i, 'tags', jsonb_build_array('t' || i % 5)) FROM generate_series($next, $next + 5000) i" \
	-c "UPDATE t SET doc = doc || '{\"extra\": {\"deep\": 2}}' WHERE id % 17 = 0" \
	-c "DELETE FROM t WHERE id % 23 = 0" \
	-c "VACUUM t" \
	-c "CREATE TABLE t2 AS SELECT * FROM t" \
	-c "CREATE INDEX t2_doc ON t2 USING gin (doc jsonb_pathx_ops (paths = '\$.name, \$.tags', anypath = true))"
target=$(psql_p -c "SELECT pg_current_wal_lsn()")
caught_up=0
for _ in $(seq 1 120); do
	if [[ "$(psql_s -c "SELECT pg_last_wal_replay_lsn() >= '$target'::pg_lsn" 2>/dev/null)" == t ]]; then
		caught_up=1
		break
	fi
	sleep 0.5
done
check "standby replays the primary's WAL" test "$caught_up" = 1
# client_addr is NULL for a walsender reached over a Unix socket
check "the standby streams over the Unix socket" \
	test "$(psql_p -c "SELECT count(*) FILTER (WHERE client_addr IS NULL) || '/' || count(*) FROM pg_stat_replication")" = 1/1
check "index agrees with seq scan on the standby" index_agrees standby
same=1
for q in "${queries[@]}"; do
	a=$(counts primary "$q")
	b=$(counts standby "$q")
	[[ -n "$a" && "$a" == "$b" ]] || { same=0; echo "  primary '$a', standby '$b': $q" >&2; }
done
check "standby answers exactly as the primary" test "$same" = 1
a=$(psql_p -c "SET enable_seqscan = off" -c "SELECT count(*) FROM t2 WHERE doc @@ '\$.** == \"t3\"'")
b=$(psql_s -c "SET enable_seqscan = off" -c "SELECT count(*) FROM t2 WHERE doc @@ '\$.** == \"t3\"'")
check "an index with options built on the primary works on the standby" test -n "$a" -a "$a" = "$b" -a "$a" != 0

report_finish
