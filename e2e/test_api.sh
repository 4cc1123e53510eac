#!/usr/bin/env bash
# The JSON API against its own OpenAPI document: a fresh portal with the demo world, a staff
# API token made with `portal api-token`, and schemathesis (every check, fixed seed) over every
# operation: examples, coverage, fuzzing and stateful phases. Also: no token gets 401.
#
#   e2e/test_api.sh PORTAL_BINARY SCHEMATHESIS_BINARY
set -euo pipefail
portal=$(realpath "$1")
st=$2
dir=$(mktemp -d)
# The server is stopped and waited for before its data directory is removed: a server still
# writing its files makes `rm -rf` fail ("Directory not empty").
cleanup() {
  if [ -n "${pid:-}" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export PORTAL_DATA_DIR="$dir/data" PORTAL_LISTEN="127.0.0.1:$port" PORTAL_BASE_URL="$base"
"$portal" serve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
token=$("$portal" api-token --email sam@support.example --name schemathesis)
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/tickets")
[ "$code" = 401 ] || { echo "without a token: $code, expected 401"; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/api/v1/tickets")
[ "$code" = 200 ] || { echo "with the token: $code, expected 200"; exit 1; }
cd "$(dirname "$0")"
"$st" --config-file schemathesis.toml run "$base/api/v1/openapi.json" --url "$base/api/v1" \
  -H "Authorization: Bearer $token" --checks all --max-examples "${PORTAL_API_EXAMPLES:-40}" \
  --seed "${PORTAL_API_SEED:-20261121}" --no-color
echo "Ran 1 test in schemathesis (API contract)"
