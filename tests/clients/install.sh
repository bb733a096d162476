#!/bin/bash
#
# install.sh: install the Sequelize client test's npm packages, exactly as
# pinned in tests/clients/sequelize/package-lock.json (npm ci), into
# tests/clients/sequelize/node_modules.  Skipped when node_modules was
# installed from the same lock file by the same Node.js version.
set -euo pipefail

dir="$(cd "$(dirname "$0")/sequelize" && pwd)"
stamp="$dir/node_modules/.pathx-installed"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "error: node and npm are needed (fix: tools/install-deps.sh)" >&2
	exit 1
fi
want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1) node $(node --version)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -d "$dir/node_modules/sequelize" && -d "$dir/node_modules/pg" ]]; then
	echo "    npm packages up to date"
	exit 0
fi
echo "    npm ci in $dir"
(cd "$dir" && timeout 300 npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$stamp"
