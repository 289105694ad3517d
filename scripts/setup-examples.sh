#!/usr/bin/env bash
# Installs the examples that carry their own npm dependencies, from their own package-lock.json:
# examples/node-cluster (node-sqlite3, built from source by node-gyp against Node's own headers when no
# prebuilt binary can be fetched; about 2 minutes on 2 cores). The root `npm ci` never touches them; the
# examples' tests need this first. Skips an example whose installed tree npm finds complete and whose
# native driver loads.
set -euo pipefail
cd "$(dirname "$0")/.."
for example in examples/node-cluster; do
  if npm ls --prefix "$example" --all >/dev/null 2>&1 && (cd "$example" && node -e "require('sqlite3')") 2>/dev/null; then
    echo "setup:examples: $example already installed"
    continue
  fi
  echo "setup:examples: installing $example"
  npm ci --prefix "$example" --no-audit --no-fund
done
