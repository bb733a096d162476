#!/bin/bash
#
# install-deps.sh: install the Debian 12 packages jsonb_pathx needs, and
# only those that are missing.  Idempotent: a second run prints one line.
#
#   tools/install-deps.sh           build, test and dev-cluster dependencies
#   tools/install-deps.sh --bench   also jsquery, a benchmark baseline (optional)
#   tools/install-deps.sh --deb     only what `make deb` needs to build the Debian
#                                   package (debhelper, dpkg-dev, pg_buildext's
#                                   postgresql-server-dev-all, g++, make); the
#                                   list matches Build-Depends in debian/control
#
# As root it runs apt-get itself (one apt-get update first); otherwise it
# prints the exact command to run and exits 1.
set -euo pipefail

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
	sed -n '3,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi
if [[ $# -gt 0 && "$1" != "--bench" && "$1" != "--deb" ]]; then
	echo "error: unknown argument '$1' (try --help)" >&2
	exit 2
fi

required=(make g++ pkg-config postgresql-15 postgresql-server-dev-15
	libboost-test-dev libpqxx-dev libcli11-dev nlohmann-json3-dev clang libclang-rt-14-dev procps
	python3-django python3-psycopg2)
# the ORM client suites (tests/clients): Django runs on Debian's python3;
# Sequelize needs node and npm, from Debian unless they are on PATH already
# (a Node.js installed otherwise, with its own npm, must not be replaced)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	required+=(nodejs npm)
fi
# packaging builds on a machine that may never run the tests: the build
# dependencies alone, not the test and ORM client stack above
if [[ "${1:-}" == "--deb" ]]; then
	required=(make g++ dpkg-dev debhelper postgresql-server-dev-all postgresql-server-dev-15)
fi
optional=()
if [[ "${1:-}" == "--bench" ]]; then
	optional=(postgresql-15-jsquery)
fi

is_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${required[@]}"; do
	is_installed "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
	is_installed "$p" || missing_optional+=("$p")
done

if ((${#missing[@]} == 0 && ${#missing_optional[@]} == 0)); then
	echo "   Checking dependencies: all present"
	exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
	echo "error: missing Debian packages: ${missing[*]} ${missing_optional[*]}" >&2
	echo "fix:   sudo apt-get update && sudo apt-get install -y ${missing[*]} ${missing_optional[*]}" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "    Updating apt package lists"
apt-get update -qq
if ((${#missing[@]} > 0)); then
	echo "  Installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ((${#missing_optional[@]} > 0)); then
	echo "  Installing ${missing_optional[*]} (optional)"
	apt-get install -y -qq --no-install-recommends "${missing_optional[@]}" >/dev/null ||
		echo "     Warning: could not install ${missing_optional[*]}; benchmarks will skip it" >&2
fi
