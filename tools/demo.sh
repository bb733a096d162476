#!/bin/bash
#
# demo.sh: the main job (`make demo`).  On a fresh Debian 12 machine it
# installs what is missing, builds and installs jsonb_pathx, starts a dev
# cluster under .pathx/ (created on first use, kept between runs), loads
# a generated set of order documents, and shows queries side by side
# without and with a jsonb_pathx_ops index: the plan used and the time.
#
#   tools/demo.sh [--rows N]        default 100000 documents
#
# When the pathx CLI is built (tools/pathx/bin/pathx), this script hands
# over to `pathx up` and `pathx demo`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rows=100000
while [[ $# -gt 0 ]]; do
	case "$1" in
		--rows)
			rows="${2:?--rows needs a number}"
			shift 2
			;;
		-h | --help)
			sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'
			exit 0
			;;
		*)
			echo "error: unknown argument '$1' (try --help)" >&2
			exit 2
			;;
	esac
done
if ! [[ "$rows" =~ ^[0-9]+$ ]] || ((rows < 1)); then
	echo "error: --rows must be a positive number, not '$rows'" >&2
	exit 2
fi

"$root/tools/install-deps.sh"
echo "    Building jsonb_pathx"
make -s -C "$root" >/dev/null
echo "  Installing jsonb_pathx"
make -s -C "$root" install >/dev/null

if [[ -f "$root/tools/pathx/Makefile" ]] && make -s -C "$root/tools/pathx" >/dev/null 2>&1 &&
	[[ -x "$root/tools/pathx/bin/pathx" ]]; then
	"$root/tools/pathx/bin/pathx" up
	exec "$root/tools/pathx/bin/pathx" demo --rows "$rows"
fi

source "$root/tools/lib/cluster.sh"
home="${PATHX_HOME:-$root/.pathx}"
port="${PATHX_PORT:-28815}"
mkdir -p "$home"
chmod 700 "$home"
if [[ $(id -u) -eq 0 ]]; then
	chown postgres: "$home"
fi
if [[ ! -f "$home/data/PG_VERSION" ]]; then
	echo "    Creating dev cluster in $home/data"
	px_as_server_user "$PX_BINDIR/initdb" -D "$home/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 >"$home/initdb.log" 2>&1 || {
		tail -n 20 "$home/initdb.log" >&2
		exit 1
	}
fi
if ! px_as_server_user "$PX_BINDIR/pg_ctl" -D "$home/data" status >/dev/null 2>&1; then
	echo "    Starting dev cluster on port $port (socket in $home)"
	px_as_server_user "$PX_BINDIR/pg_ctl" -D "$home/data" -w -t 60 -l "$home/server.log" \
		-o "-p $port -k $home -c listen_addresses=127.0.0.1" start >/dev/null || {
		echo "error: the dev cluster did not start; last lines of $home/server.log:" >&2
		tail -n 20 "$home/server.log" >&2
		exit 1
	}
fi
export PGHOST="$home" PGPORT="$port" PGUSER=postgres
export PGOPTIONS="-c client_min_messages=warning"
psql=(psql -X -q -v ON_ERROR_STOP=1 -d postgres)
if [[ -z "$("${psql[@]}" -Atc "SELECT 1 FROM pg_database WHERE datname = 'pathx'")" ]]; then
	"${psql[@]}" -c "CREATE DATABASE pathx"
fi
psql=(psql -X -q -v ON_ERROR_STOP=1 -d pathx)
"${psql[@]}" -c "CREATE EXTENSION IF NOT EXISTS jsonb_pathx" -c "ALTER EXTENSION jsonb_pathx UPDATE"

echo "     Loading $rows order documents into table demo_orders"
"${psql[@]}" <<SQL
DROP TABLE IF EXISTS demo_orders;
\o /dev/null
SELECT setseed(0.5);
\o
CREATE TABLE demo_orders AS
SELECT i AS id, jsonb_build_object(
  'status', (ARRAY['paid','paid','paid','shipped','pending','refunded'])[1 + floor(random() * 6)::int],
  'total', round((random() * 5000)::numeric, 2),
  'created_at', to_char(timestamp '2024-01-01' + (i || ' minutes')::interval, 'YYYY-MM-DD"T"HH24:MI:SS'),
  'user', jsonb_build_object('name', 'User ' || i, 'email', md5(i::text) || '@example.com',
                             'country', (ARRAY['US','DE','IS','FR','BR'])[1 + floor(random() * 5)::int]),
  'items', jsonb_build_array(jsonb_build_object('sku', 'SKU-' || lpad((i % 5000)::text, 5, '0'),
                                                'price', round((random() * 300)::numeric, 2))),
  'tags', jsonb_build_array((ARRAY['new','sale','gift','vip'])[1 + floor(random() * 4)::int]))
  || CASE WHEN random() < 0.01 THEN jsonb_build_object('coupon', jsonb_build_object('code', 'C' || i)) ELSE '{}' END
  AS doc
FROM generate_series(1, $rows) i;
ANALYZE demo_orders;
SQL

queries=(
	"doc @? '\$.total ? (@ > 4990)'"
	"doc @@ '\$.user.email starts with \"abc\"'"
	"doc @@ '\$.status == \"paid\" && \$.total > 4990'"
	"doc @? '\$.coupon.code'"
)

run() {
	local q="$1" plan ms
	plan=$("${psql[@]}" -Atc "EXPLAIN (COSTS OFF) SELECT count(*) FROM demo_orders WHERE $q" |
		grep -oE 'Bitmap Index Scan|Parallel Seq Scan|Seq Scan' | head -1)
	"${psql[@]}" -Atc "SELECT count(*) FROM demo_orders WHERE $q" >/dev/null
	ms=$("${psql[@]}" -Atc "EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM demo_orders WHERE $q" |
		grep -oE '"Execution Time": [0-9.]+' | grep -oE '[0-9.]+$')
	printf '%s|%s' "$plan" "$ms"
}

declare -A before
for q in "${queries[@]}"; do
	before["$q"]=$(run "$q")
done
echo "     Indexing USING gin (doc jsonb_pathx_ops)"
"${psql[@]}" -c "CREATE INDEX demo_orders_doc ON demo_orders USING gin (doc jsonb_pathx_ops)" -c "ANALYZE demo_orders"

echo
printf '%-52s %-22s %9s   %-22s %9s %9s\n' "query" "without index" "ms" "with jsonb_pathx_ops" "ms" "speedup"
for q in "${queries[@]}"; do
	IFS='|' read -r p1 t1 <<<"${before[$q]}"
	IFS='|' read -r p2 t2 <<<"$(run "$q")"
	speedup=$(awk -v a="$t1" -v b="$t2" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
	printf '%-52s %-22s %9s   %-22s %9s %9s\n' "$q" "$p1" "$t1" "$p2" "$t2" "$speedup"
done
echo
echo "The dev cluster keeps running. Connect with:"
echo "  psql -h $home -p $port -U postgres pathx"
echo "Stop it with:"
if [[ $(id -u) -eq 0 ]]; then
	echo "  runuser -u postgres -- $PX_BINDIR/pg_ctl -D $home/data stop"
else
	echo "  $PX_BINDIR/pg_ctl -D $home/data stop"
fi
