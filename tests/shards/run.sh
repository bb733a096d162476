#!/bin/bash
#
# run.sh: jsonb_pathx_ops on sharded tables, PostgreSQL's own way: a
# hash-partitioned table on a coordinator whose partitions are postgres_fdw
# foreign tables on two shard clusters, each shard with its own
# jsonb_pathx_ops index.
#
# Starts three throwaway clusters with tools/lib/cluster.sh (coordinator,
# shard0, shard1; each on its own Unix socket in its own 0700 directory;
# the coordinator reaches the shards with host=<socket dir>), runs
# shard.sql on the shards and coordinator.sql on the coordinator, loads
# orders.sql's documents through the coordinator and into one local table
# with a jsonb_pathx_ops index, then for each query:
#   pushdown    EXPLAIN VERBOSE on the coordinator: no local Filter, the
#               condition in both shards' Remote SQL, both scans Async
#   shardN      EXPLAIN of that Remote SQL on shard N (with the same
#               constants or parameter values): a Bitmap Index Scan on
#               shard N's own jsonb_pathx_ops index
#   rows        count(*) and sum(id) equal those of the local table
# Conditions postgres_fdw does not ship (an operand of a collatable type
# whose collation is not a foreign column's: jsonb ? text, ->>, LIKE, ...)
# are checked to be filtered on the coordinator with the right rows, and
# their shipped spelling (jsonpath, subscripts, jsonb constants) is checked
# as above, with the same rows.  Then: an async Append runs (EXPLAIN
# ANALYZE), async_capable is what makes it async, the extensions option is
# what ships jsonb_pathx's own functions.
#
#   tests/shards/run.sh                   everything (about 20 s)
#   PX_SHARDS_ROWS=100000 tests/shards/run.sh   more documents (default 40000)
#   PATHX_KEEP_CLUSTER=1 tests/shards/run.sh    leave the clusters running
# Prints "PASS NAME" / "FAIL NAME: REASON" per check; the last line is
# "N passed, N failed".  Stops and removes its clusters on exit.
# shellcheck disable=SC2016 # $1 and $.path in single quotes are SQL, not shell
set -uo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,32p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${PX_SHARDS_ROWS:-40000}"
if [[ ! "$rows" =~ ^[0-9]+$ ]] || ((rows < 20000)); then
	echo "error: PX_SHARDS_ROWS must be a number of at least 20000 (the checked conditions must stay selective)" >&2
	exit 2
fi

# shellcheck source=../../tools/lib/cluster.sh
source "$root/tools/lib/cluster.sh"

# shellcheck source=../../tools/lib/report.sh
source "$root/tools/lib/report.sh"

finish() {
	report_finish shards
}

# The clusters this run started: node name -> its directory, its home (the
# socket directory), port.
declare -A node_dir node_home node_port
nodes=()

# Stop and remove exactly the clusters px_cluster_start made for this run
# (each in a directory it created with mktemp); PATHX_KEEP_CLUSTER=1 keeps
# them, as px_cluster_stop does.
stop_clusters() {
	local n
	for n in "${nodes[@]}"; do
		PX_CLUSTER_DIR="${node_dir[$n]}" PX_CLUSTER_HOME="${node_home[$n]}" \
			PX_CLUSTER_PORT="${node_port[$n]}" px_cluster_stop
	done
}
trap stop_clusters EXIT
trap 'exit 130' INT TERM

# px_cluster_start keeps one cluster in PX_CLUSTER_DIR, PX_CLUSTER_HOME and
# PX_CLUSTER_PORT; calling it once per node and keeping those values gives
# several clusters.  They may share a port number: each listens only on the
# socket in its own home.  Small shared_buffers: three servers run at once.
start_node() {
	local n="$1"
	unset PX_CLUSTER_DIR PX_CLUSTER_HOME PX_CLUSTER_PORT
	px_cluster_start shared_buffers=32MB max_connections=20
	local rc=$?
	if [[ -n "${PX_CLUSTER_DIR:-}" ]]; then
		nodes+=("$n")
		node_dir[$n]="$PX_CLUSTER_DIR"
		node_home[$n]="${PX_CLUSTER_HOME:-}"
		node_port[$n]="${PX_CLUSTER_PORT:-}"
	fi
	return $rc
}

# psql_on NODE ARGS...: unaligned, tuples only, stop at the first error
psql_on() {
	local n="$1"
	shift
	PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 \
		-h "${node_home[$n]}" -p "${node_port[$n]}" -U postgres -d postgres "$@"
}

for n in coordinator shard0 shard1; do
	if ! start_node "$n"; then
		fail "setup" "could not start the $n cluster"
		finish
		exit 1
	fi
done

setup_failed() {
	fail "setup" "$1"
	finish
	exit 1
}
for i in 0 1; do
	psql_on "shard$i" -v tbl="orders_shard$i" -v idx="orders_shard${i}_doc_pathx" -f "$here/shard.sql" ||
		setup_failed "shard.sql on shard$i"
done
psql_on coordinator \
	-v shard0_host="${node_home[shard0]}" -v shard0_port="${node_port[shard0]}" \
	-v shard1_host="${node_home[shard1]}" -v shard1_port="${node_port[shard1]}" \
	-f "$here/coordinator.sql" || setup_failed "coordinator.sql"
psql_on coordinator -v rows="$rows" -f "$here/orders.sql" || setup_failed "orders.sql (loading $rows documents)"
# VACUUM merges GIN's pending list into the index proper (ANALYZE alone
# does not, outside autovacuum): until then the planner costs a scan of
# the whole pending list and prefers a seq scan.
for i in 0 1; do
	psql_on "shard$i" -c "VACUUM ANALYZE orders_shard$i" || setup_failed "VACUUM ANALYZE on shard$i"
done
psql_on coordinator -c "ANALYZE orders" || setup_failed "ANALYZE orders on the coordinator"
on_shards=$(($(psql_on shard0 -c "SELECT count(*) FROM orders_shard0") + $(psql_on shard1 -c "SELECT count(*) FROM orders_shard1")))
if [[ "$on_shards" -eq "$rows" ]]; then
	pass "load: $rows documents through the coordinator, $(psql_on shard0 -c "SELECT count(*) FROM orders_shard0") on shard0, the rest on shard1"
else
	fail "load" "$rows documents inserted through the coordinator, $on_shards on the shards"
fi
echo "    clusters up and $rows documents loaded ($((SECONDS - report_start)) s)"

# remote_sql PLAN PARTITION: the Remote SQL line of that partition's scan
remote_sql() {
	awk -v part="public.$2 " '
		/Foreign Scan on / { cur = index($0, part) > 0 }
		/Remote SQL: / && cur { sub(/^ *Remote SQL: /, ""); print; exit }' <<<"$1"
}

# rows_of TABLE COND: "count sum" of the matching rows
rows_of() {
	psql_on coordinator -F ' ' -c "SELECT count(*), coalesce(sum(id), 0) FROM $1 WHERE $2"
}

# check_rows NAME COND [SHIPPED_COND]: the sharded table's rows for COND (or
# for SHIPPED_COND, its shipped spelling) equal the local table's for COND
check_rows() {
	local name="$1" cond="$2" sharded_cond="${3:-$2}" want got
	want=$(rows_of orders_local "$cond")
	got=$(rows_of orders "$sharded_cond")
	if [[ -z "$want" || "$want" != "$got" ]]; then
		fail "rows $name" "count and sum(id) through the coordinator '$got', local table '$want'"
	elif [[ "${want%% *}" -eq 0 ]]; then
		fail "rows $name" "no row matches: the check proves nothing"
	else
		pass "rows $name: ${want%% *} rows, as in the local table"
	fi
}

# check_shard_plan NAME N SQL [PARAM_TYPE PARAM_VALUE]: shard N plans the
# Remote SQL it receives with a Bitmap Index Scan on its own index.  A
# Remote SQL with $1 is prepared and executed with the value, as
# postgres_fdw sends it (parameters bound at planning, so a custom plan).
check_shard_plan() {
	local name="$1" i="$2" sql="$3" ptype="${4:-}" pvalue="${5:-}" plan
	if [[ -n "$ptype" ]]; then
		plan=$(psql_on "shard$i" -c "PREPARE remote_q($ptype) AS $sql" \
			-c "EXPLAIN (COSTS OFF) EXECUTE remote_q($pvalue)" 2>&1)
	else
		plan=$(psql_on "shard$i" -c "EXPLAIN (COSTS OFF) $sql" 2>&1)
	fi
	if grep -q "Bitmap Index Scan on orders_shard${i}_doc_pathx" <<<"$plan"; then
		pass "shard$i $name: Bitmap Index Scan on orders_shard${i}_doc_pathx"
		grep -m1 'Index Cond:' <<<"$plan" | sed 's/^ */      /'
	else
		fail "shard$i $name" "the shard does not scan its jsonb_pathx_ops index for: $sql" "$plan"
	fi
}

# check_pushdown NAME PLAN: both partitions are Async Foreign Scans under
# one Append, each with a WHERE in its Remote SQL, and nothing is left to
# filter on the coordinator
check_pushdown() {
	local name="$1" plan="$2" r0 r1
	r0=$(remote_sql "$plan" orders_p0)
	r1=$(remote_sql "$plan" orders_p1)
	if grep -q 'Filter:' <<<"$plan"; then
		fail "pushdown $name" "the coordinator filters the rows itself" "$plan"
	elif [[ "$r0" != *" WHERE "* || "$r1" != *" WHERE "* ]]; then
		fail "pushdown $name" "a shard's Remote SQL has no WHERE" "$plan"
	elif ! grep -q 'Append' <<<"$plan" ||
		! grep -q 'Async Foreign Scan on public.orders_p0 ' <<<"$plan" ||
		! grep -q 'Async Foreign Scan on public.orders_p1 ' <<<"$plan"; then
		fail "pushdown $name" "the two shards are not scanned by an async Append" "$plan"
	else
		pass "pushdown $name: $r0"
		return 0
	fi
	return 1
}

# shipped NAME COND: COND is pushed down, each shard scans its own index
# for it, and the rows are the local table's
shipped() {
	local name="$1" cond="$2" local_cond="${3:-$2}" plan i
	plan=$(psql_on coordinator -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*), coalesce(sum(id), 0) FROM orders WHERE $cond" 2>&1)
	if check_pushdown "$name" "$plan"; then
		for i in 0 1; do
			check_shard_plan "$name" "$i" "$(remote_sql "$plan" "orders_p$i")"
		done
	fi
	check_rows "$name" "$local_cond" "$cond"
}

# not_shipped NAME COND SHIPPED_COND: postgres_fdw keeps COND on the
# coordinator (the shards send every row, unfiltered); the rows are still
# right.  SHIPPED_COND, the same test spelled with operands postgres_fdw
# ships, is checked as shipped and gives COND's rows on the local table.
not_shipped() {
	local name="$1" cond="$2" shipped_cond="$3" plan r0 r1
	plan=$(psql_on coordinator -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*), coalesce(sum(id), 0) FROM orders WHERE $cond" 2>&1)
	r0=$(remote_sql "$plan" orders_p0)
	r1=$(remote_sql "$plan" orders_p1)
	if grep -q 'Filter:' <<<"$plan" && [[ -n "$r0" && "$r0" != *" WHERE "* && -n "$r1" && "$r1" != *" WHERE "* ]]; then
		pass "not shipped $name: filtered on the coordinator (README, Scaling out)"
	elif [[ "$r0" == *" WHERE "* && "$r1" == *" WHERE "* ]] && ! grep -q 'Filter:' <<<"$plan"; then
		fail "not shipped $name" "postgres_fdw now ships it: move it to the shipped list and the README's table" "$plan"
	else
		fail "not shipped $name" "unexpected plan" "$plan"
	fi
	check_rows "$name" "$cond"
	shipped "$name, shipped as $shipped_cond" "$shipped_cond" "$cond"
}

# shipped_param NAME TYPE VALUE COND_WITH_$1: a prepared statement's
# generic plan sends $1 to the shards; each shard, given the value, scans
# its index
shipped_param() {
	local name="$1" ptype="$2" pvalue="$3" cond="$4" plan i want got
	plan=$(psql_on coordinator -c "SET plan_cache_mode = force_generic_plan" \
		-c "PREPARE q($ptype) AS SELECT count(*), coalesce(sum(id), 0) FROM orders WHERE $cond" \
		-c "EXPLAIN (VERBOSE, COSTS OFF) EXECUTE q($pvalue)" 2>&1)
	if check_pushdown "$name" "$plan"; then
		if [[ "$(remote_sql "$plan" orders_p0)" != *'$1'* ]]; then
			fail "pushdown $name" "the generic plan's Remote SQL has no \$1" "$plan"
		fi
		for i in 0 1; do
			check_shard_plan "$name" "$i" "$(remote_sql "$plan" "orders_p$i")" "$ptype" "$pvalue"
		done
	fi
	want=$(psql_on coordinator -F ' ' -c "PREPARE q($ptype) AS SELECT count(*), coalesce(sum(id), 0) FROM orders_local WHERE $cond" -c "EXECUTE q($pvalue)")
	got=$(psql_on coordinator -F ' ' -c "SET plan_cache_mode = force_generic_plan" \
		-c "PREPARE q($ptype) AS SELECT count(*), coalesce(sum(id), 0) FROM orders WHERE $cond" -c "EXECUTE q($pvalue)")
	if [[ -n "$want" && "$want" == "$got" && "${want%% *}" -gt 0 ]]; then
		pass "rows $name: ${want%% *} rows, as in the local table"
	else
		fail "rows $name" "count and sum(id) through the coordinator '$got', local table '$want'"
	fi
}

# The operators of jsonb_pathx_ops whose operands are jsonb or jsonpath:
# no collation, so postgres_fdw ships them.
shipped "@>" "doc @> '{\"status\": \"disputed\"}'"
shipped "@> nested" "doc @> '{\"items\": [{\"sku\": \"sku-42\"}]}'"
shipped "@? range" "doc @? '\$.total ? (@ > 990)'"
shipped "@? prefix" "doc @? '\$.user.email ? (@ starts with \"ab\")'"
shipped "@? exists" "doc @? '\$.coupon'"
shipped "@@" "doc @@ '\$.items[*].sku == \"sku-42\"'"
shipped "@@ and" "doc @@ '\$.priority == 1 && \$.total < 100'"
# Functions of jsonb and jsonpath (immutable, no collatable argument):
# shipped, and each shard derives its index condition from them.
shipped "jsonb_path_exists" "jsonb_path_exists(doc, '\$.total ? (@ > \$min)', '{\"min\": 990}')"
shipped "jsonb_path_match" "jsonb_path_match(doc, '\$.status == \"disputed\"')"
# Application forms spelled with subscripts and jsonb constants: shipped
# as written, and each shard derives its index condition itself.
shipped "subscript =" "doc['status'] = '\"disputed\"'"
shipped "subscript path =" "doc['user']['country'] = '\"IS\"' AND doc['status'] = '\"disputed\"'"
shipped "subscript ::numeric >" "(doc['total'])::numeric > 990"
shipped "subscript IN" "doc['currency'] IN ('\"ISK\"', '\"NOK\"')"
shipped "@> OR @>" "doc @> '{\"coupon\": \"SAVE10\"}' OR doc @> '{\"gift\": true}'"

# An operand of type text (a key, a path, a LIKE pattern, the ->> value)
# has a collation that is not a foreign column's, and postgres_fdw ships
# no operator or function whose input collation it cannot vouch for: the
# shards return every row.  Next to each, the spelling that is shipped.
not_shipped "?" "doc ? 'coupon'" "doc @? '\$.coupon'"
not_shipped "?|" "doc ?| ARRAY['gift', 'coupon']" "doc @@ 'exists(\$.gift) || exists(\$.coupon)'"
not_shipped "?&" "doc ?& ARRAY['coupon', 'priority']" "doc @@ 'exists(\$.coupon) && exists(\$.priority)'"
not_shipped "->> =" "doc->>'status' = 'disputed'" "doc['status'] = '\"disputed\"'"
not_shipped "(->>)::numeric >" "(doc->>'total')::numeric > 990" "(doc['total'])::numeric > 990"
not_shipped "#>> LIKE" "doc #>> '{user,email}' LIKE 'ab%'" "doc @? '\$.user.email ? (@ starts with \"ab\")'"
not_shipped "->> IN" "doc->>'currency' IN ('ISK', 'NOK')" "doc['currency'] IN ('\"ISK\"', '\"NOK\"')"

# Parameters, as drivers send them: jsonb and jsonpath parameters are
# shipped as $1 and bound on the shard.
shipped_param "@> \$1" jsonb "'{\"status\": \"disputed\"}'" 'doc @> $1'
shipped_param "subscript = \$1" jsonb "'\"disputed\"'" "doc['status'] = \$1"
shipped_param "@? \$1" jsonpath "'\$.total ? (@ > 990)'" 'doc @? $1'

# The async Append runs: both shards' scans return their rows.
query="SELECT count(*) FROM orders WHERE doc @> '{\"status\": \"disputed\"}'"
plan=$(psql_on coordinator -c "EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) $query" 2>&1)
n0=$(grep -Eo 'Async Foreign Scan on public\.orders_p0 .*actual rows=[0-9]+' <<<"$plan" | grep -Eo '[0-9]+$')
n1=$(grep -Eo 'Async Foreign Scan on public\.orders_p1 .*actual rows=[0-9]+' <<<"$plan" | grep -Eo '[0-9]+$')
total=$(psql_on coordinator -c "$query")
if [[ -n "$n0" && -n "$n1" && "$n0" -gt 0 && "$n1" -gt 0 && $((n0 + n1)) -eq "$total" ]]; then
	pass "async Append: both Async Foreign Scans ran ($n0 + $n1 rows)"
else
	fail "async Append" "Async Foreign Scans of both shards did not both return rows (shard0 '$n0', shard1 '$n1', count '$total')" "$plan"
fi

# async_capable is what makes the scans async (so the check above means it).
plan=$(psql_on coordinator -c "BEGIN" \
	-c "ALTER SERVER shard0 OPTIONS (SET async_capable 'false')" \
	-c "ALTER SERVER shard1 OPTIONS (SET async_capable 'false')" \
	-c "EXPLAIN (VERBOSE, COSTS OFF) $query" -c "ROLLBACK" 2>&1)
if grep -q 'Foreign Scan on public.orders_p0' <<<"$plan" && ! grep -q 'Async' <<<"$plan"; then
	pass "async_capable 'false': plain Foreign Scans"
else
	fail "async_capable 'false'" "expected plain Foreign Scans" "$plan"
fi

# The extensions option ships jsonb_pathx's own (immutable) functions; the
# operators the index serves are built-in and need no option.
query="SELECT count(*) FROM orders WHERE jsonb_pathx_explain(doc) IS NOT NULL AND doc @> '{\"gift\": true}'"
with=$(psql_on coordinator -c "EXPLAIN (VERBOSE, COSTS OFF) $query" 2>&1)
without=$(psql_on coordinator -c "BEGIN" \
	-c "ALTER SERVER shard0 OPTIONS (DROP extensions)" \
	-c "ALTER SERVER shard1 OPTIONS (DROP extensions)" \
	-c "EXPLAIN (VERBOSE, COSTS OFF) $query" -c "ROLLBACK" 2>&1)
if [[ "$(remote_sql "$with" orders_p0)" == *jsonb_pathx_explain* ]] && ! grep -q 'Filter:' <<<"$with" &&
	grep -q 'Filter: (jsonb_pathx_explain' <<<"$without" && [[ "$(remote_sql "$without" orders_p0)" == *'@>'* ]]; then
	pass "extensions 'jsonb_pathx': its functions are shipped only with the option, @> always"
else
	fail "extensions 'jsonb_pathx'" "expected jsonb_pathx_explain() in the Remote SQL with the option and in a coordinator Filter without it" "$with
---- without the option:
$without"
fi

finish
