#!/usr/bin/env bash
# Holds the running server to its own OpenAPI document with schemathesis:
# starts `baocao serve` on a throw-away SQLite data directory and a free
# loopback port, issues API tokens with `baocao users token`, and fuzzes
# every operation of /api/v1/openapi.json (a bounded number of examples)
# as a commune reporter and as the province reviewer. Fails on a server
# error, an undocumented status, content type or header, or a body that
# does not match its schema, and on an operation that ignores the token.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Always SQLite in a temporary directory, even on the PostgreSQL CI run.
unset DATABASE_URL
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

VENV="${BAOCAO_CHECKS_VENV:-$HOME/.cache/baocao-checks/schemathesis}"
if [ ! -x "$VENV/bin/st" ]; then
  echo "Installing schemathesis into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi

swift build --product baocao >/dev/null
BAOCAO="$(swift build --show-bin-path)/baocao"

export BAOCAO_DATA_DIR="$WORK/data"
export BAOCAO_DEMO=1
export BAOCAO_DEMO_FIXTURE=1  # the small province whose 2024 reports are still open
export BAOCAO_ADMIN_PASSWORD="schemathesis-admin"
"$BAOCAO" demo >/dev/null
REPORTER_TOKEN="$("$BAOCAO" users token --username xa.nhaplieu --label schemathesis 2>/dev/null | tail -n 1)"
REVIEWER_TOKEN="$("$BAOCAO" users token --username sotttt --label schemathesis 2>/dev/null | tail -n 1)"
for token in "$REPORTER_TOKEN" "$REVIEWER_TOKEN"; do
  case "$token" in
    bc_*) ;;
    *) echo "FAIL: baocao users token printed no token" >&2; exit 1 ;;
  esac
done

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
"$BAOCAO" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  if curl -fsS "$BASE/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "FAIL: baocao serve exited:" >&2; cat "$WORK/server.log" >&2; exit 1
  fi
  sleep 0.5
done
curl -fsS "$BASE/health" >/dev/null

# The token the CLI printed works, and the API refuses a request without one.
test "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $REPORTER_TOKEN" "$BASE/api/v1/forms")" = 200
test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/forms")" = 401

# Real identifiers for the path parameters, so the fuzzer reaches stored
# reports (reads, saves with random bodies, workflow actions) instead of
# only 404s: the commune's Quý I/2024 report and its assignment.
json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
REPORT_ID="$(curl -fsS -H "Authorization: Bearer $REPORTER_TOKEN" "$BASE/api/v1/reports?period=2024-Q1" | json_field '["reports"][0]["id"]')"
ASSIGNMENT_ID="$(curl -fsS -H "Authorization: Bearer $REVIEWER_TOKEN" "$BASE/api/v1/assignments" | json_field '["assignments"][0]["id"]')"
printf '[parameters]\n"path.reportID" = "%s"\n"path.assignmentID" = "%s"\n' "$REPORT_ID" "$ASSIGNMENT_ID" >"$WORK/schemathesis.toml"

CHECKS="not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ignored_auth"
status=0
for who in reporter reviewer; do
  if [ "$who" = reporter ]; then token="$REPORTER_TOKEN"; else token="$REVIEWER_TOKEN"; fi
  echo "== schemathesis as $who"
  # From the temporary directory: schemathesis and hypothesis write caches into the working directory.
  (cd "$WORK" && "$VENV/bin/st" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks "$CHECKS" \
    --max-examples 30 --seed 20240320 --workers 1 \
    --generation-database none --no-color --request-timeout 10) || status=$?
  if [ "$status" -ne 0 ]; then break; fi
done

if [ "$status" -ne 0 ]; then
  echo "FAIL: schemathesis found responses that break the OpenAPI document (server log below)" >&2
  tail -n 50 "$WORK/server.log" >&2
  exit "$status"
fi
echo "OK: the served API conforms to /api/v1/openapi.json"
