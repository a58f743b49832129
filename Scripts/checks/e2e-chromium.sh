#!/usr/bin/env bash
# End-to-end check in headless Chromium: the real server (.build/debug/baocao,
# built by Scripts/test.sh, or $BAOCAO_BIN) on SQLite in temporary directories,
# driven through the real pages by Selenium. Two servers:
# - the living demo province (BAOCAO_DEMO=1, what `baocao serve` shows: Bắc
#   Giang, 285 units, six periods, a deadline ahead) for every role's menu and
#   home page, the calm form, the phone layout (390 px), printing on A4 and an
#   axe-core accessibility audit (Scripts/hardening/ui_walk.py, which also
#   saves the README's screenshots to docs/screenshots, or to
#   $BAOCAO_SCREENSHOTS);
# - the tests' 35-unit fixture (BAOCAO_DEMO_FIXTURE=1), whose commune report is
#   a draft, for Scripts/e2e/test_entry_flow.py: data entry with an error and
#   its fix, the live ratio and Enter-to-next, approval, sending, acceptance.
# Installs Chromium, its driver, Selenium and axe-selenium-python (whose
# axe.min.js is injected from site-packages: no CDN) when missing. Exits
# non-zero on any failure; both servers are stopped in every case.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Selenium must not phone home (usage statistics, driver downloads): this
# machine reaches only package registries, and the driver is Debian's.
export SE_AVOID_STATS=true SE_OFFLINE=true

BIN="${BAOCAO_BIN:-.build/debug/baocao}"
if [ ! -x "$BIN" ]; then
  echo "e2e: $BIN is missing; build first (swift build, or Scripts/test.sh), or set BAOCAO_BIN." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "e2e: installing chromium and chromium-driver"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver
fi
if ! python3 -c "import selenium" >/dev/null 2>&1; then
  echo "e2e: installing selenium"
  python3 -m pip install -q selenium
fi
if ! python3 -c "import axe_selenium_python" >/dev/null 2>&1; then
  echo "e2e: installing axe-selenium-python (axe-core)"
  python3 -m pip install -q axe-selenium-python
fi

LIVING=$(mktemp -d)
FIXTURE=$(mktemp -d)
LIVING_PID=""
FIXTURE_PID=""
stop() {
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  status=$?
  stop "$LIVING_PID"
  stop "$FIXTURE_PID"
  if [ "$status" -ne 0 ]; then
    for dir in "$LIVING" "$FIXTURE"; do
      if [ -f "$dir/server.log" ]; then
        echo "e2e: failed; last lines of the server log ($(cat "$dir/label")):" >&2
        tail -n 40 "$dir/server.log" >&2 || true
      fi
    done
  fi
  rm -rf "$LIVING" "$FIXTURE"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_health() {  # base pid label
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys, time, urllib.request
base, pid, label = sys.argv[1], int(sys.argv[2]), sys.argv[3]
deadline = time.time() + 180
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit(f"e2e: the {label} server exited before answering")
    try:
        if urllib.request.urlopen(base + "/health", timeout=2).read() == b"ok":
            sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit(f"e2e: the {label} server did not answer /health within 180 s")
PY
}

# SQLite in temporary directories, each with its demo province: never a shared database.
LIVING_PORT=$(free_port)
echo "living demo" >"$LIVING/label"
env -u DATABASE_URL -u BAOCAO_DEMO_FIXTURE BAOCAO_DATA_DIR="$LIVING" BAOCAO_DEMO=1 \
  "$BIN" serve --hostname 127.0.0.1 --port "$LIVING_PORT" >"$LIVING/server.log" 2>&1 &
LIVING_PID=$!
FIXTURE_PORT=$(free_port)
echo "fixture demo" >"$FIXTURE/label"
env -u DATABASE_URL BAOCAO_DATA_DIR="$FIXTURE" BAOCAO_DEMO=1 BAOCAO_DEMO_FIXTURE=1 \
  "$BIN" serve --hostname 127.0.0.1 --port "$FIXTURE_PORT" >"$FIXTURE/server.log" 2>&1 &
FIXTURE_PID=$!

wait_health "http://127.0.0.1:$LIVING_PORT" "$LIVING_PID" "living demo"
wait_health "http://127.0.0.1:$FIXTURE_PORT" "$FIXTURE_PID" "fixture demo"

python3 Scripts/hardening/ui_walk.py "http://127.0.0.1:$LIVING_PORT" --screenshots "${BAOCAO_SCREENSHOTS:-docs/screenshots}"
python3 Scripts/e2e/test_entry_flow.py "http://127.0.0.1:$FIXTURE_PORT" --screenshot /tmp/baocao-e2e-form.png
