#!/usr/bin/env bash
# End-to-end check in headless Chromium: the real server (.build/debug/baocao,
# built by Scripts/test.sh) on SQLite in a temporary directory, driven through
# the real pages by Selenium: first every role's menu and home page, the calm
# form, the phone layout (390 px), printing on A4 and an axe-core
# accessibility audit (Scripts/hardening/ui_walk.py, which also saves the
# README's screenshots to docs/screenshots, or to $BAOCAO_SCREENSHOTS); then
# (Scripts/e2e/test_entry_flow.py) data entry with an error and its fix, the
# live ratio and Enter-to-next, approval, sending, acceptance. Installs
# Chromium, its driver, Selenium and axe-selenium-python (whose axe.min.js is
# injected from site-packages: no CDN) when missing. Exits non-zero on any
# failure; the server is stopped in every case.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Selenium must not phone home (usage statistics, driver downloads): this
# machine reaches only package registries, and the driver is Debian's.
export SE_AVOID_STATS=true SE_OFFLINE=true

BIN=.build/debug/baocao
if [ ! -x "$BIN" ]; then
  echo "e2e: $BIN is missing; build first (swift build, or Scripts/test.sh)." >&2
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

DATA=$(mktemp -d)
SERVER=""
cleanup() {
  status=$?
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$DATA/server.log" ]; then
    echo "e2e: failed; last lines of the server log:" >&2
    tail -n 40 "$DATA/server.log" >&2 || true
  fi
  rm -rf "$DATA"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"

# SQLite in the temporary directory, with the demo province: never a shared database.
env -u DATABASE_URL BAOCAO_DATA_DIR="$DATA" BAOCAO_DEMO=1 BAOCAO_DEMO_FIXTURE=1 \
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!

python3 - "$BASE" "$SERVER" <<'PY'
import os, sys, time, urllib.request
base, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 120
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("e2e: the server exited before answering")
    try:
        if urllib.request.urlopen(base + "/health", timeout=2).read() == b"ok":
            sys.exit(0)
    except Exception:
        time.sleep(0.5)
sys.exit("e2e: the server did not answer /health within 120 s")
PY

python3 Scripts/hardening/ui_walk.py "$BASE" --screenshots "${BAOCAO_SCREENSHOTS:-docs/screenshots}"
python3 Scripts/e2e/test_entry_flow.py "$BASE" --screenshot /tmp/baocao-e2e-form.png
