#!/usr/bin/env bash
# The dependency rule (docs/ARCHITECTURE.md): portal-core reaches no I/O crate.
# Fails when `cargo tree -p portal-core -e normal` contains any of them.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(actix-web|actix-rt|actix-http|diesel|tokio|samael|jsonwebtoken|handlebars|lettre|reqwest|hyper|mio|libsqlite3-sys|pq-sys|r2d2)$'
tree=$(cargo tree -p portal-core -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u)
bad=$(grep -E "$forbidden" <<<"$tree" || true)
if [ -n "$bad" ]; then
  echo "portal-core reaches I/O crates it must not depend on:" >&2
  echo "$bad" >&2
  exit 1
fi
echo "portal-core is pure: $(wc -l <<<"$tree") crates in its normal tree, none of them I/O"
