#!/usr/bin/env bash
# Fuzzes the readers of user input with libFuzzer.
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Builds Fuzz/ with -sanitize=fuzzer,address, runs each target (all by
# default) for the given seconds (60 if not given) on a temporary copy of its
# seed corpus Fuzz/Corpus/<Name>/ (the committed corpus never grows), prints
# one line per target, keeps crash inputs under out/fuzz-crashes/<Name>/ and
# exits non-zero when any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
case "$seconds" in ''|*[!0-9]*) echo "usage: Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2; exit 2;; esac
# A crash report would otherwise wait half a minute for Swift's backtracer.
export SWIFT_BACKTRACE=enable=no
# Swift's runtime and Foundation keep caches alive until exit, which LeakSanitizer
# reports as leaks of an empty input; growing memory is caught by -rss_limit_mb instead.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for dir in Fuzz/Sources/Fuzz*/; do targets+=("$(basename "$dir")"); done
fi
for name in "${targets[@]}"; do
  [ -d "Fuzz/Sources/$name" ] || { echo "no fuzz target $name (folders in Fuzz/Sources/)" >&2; exit 2; }
done

echo "== Building fuzz targets (release, -sanitize=fuzzer,address)"
# A failed build must fail the run: the binaries of an earlier build would fuzz old code.
# Fuzz/Package.swift lists its targets from the folders, which a cached manifest
# does not see: a new target folder went unbuilt in CI ("not built"). Never cache it.
build=(swift build -c release --package-path Fuzz --scratch-path .build-fuzz --manifest-cache none)
build_log=$(mktemp)
if ! "${build[@]}" -Xswiftc -sanitize=fuzzer,address >"$build_log" 2>&1; then
  grep -v -E '^\[[0-9]+/[0-9]+\]|^Building|^Compiling|^Write|^Linking' "$build_log" >&2
  rm -f "$build_log"
  echo "fuzz: the fuzz targets did not build" >&2
  exit 1
fi
rm -f "$build_log"
bin=$("${build[@]}" --show-bin-path)

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failed=0
for name in "${targets[@]}"; do
  [ -x "$bin/$name" ] || { echo "$name: not built"; failed=1; continue; }
  corpus="$work/$name/corpus" crashes="$work/$name/crashes"
  mkdir -p "$corpus" "$crashes"
  [ -d "Fuzz/Corpus/$name" ] && cp -R "Fuzz/Corpus/$name/." "$corpus/"
  log="$work/$name/log"
  set +e
  # -fork keeps fuzzing after a crash, so one run reports every crash it finds;
  # rss_limit: a reader that allocates without bound is a finding too.
  "$bin/$name" "$corpus" -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 -artifact_prefix="$crashes/" -print_final_stats=1 > "$log" 2>&1
  set -e
  # In fork mode the last status line carries the total executions.
  execs=$(grep -o -E 'exec/s: [0-9]+|#[0-9]+' "$log" | grep -E '^#' | tail -n 1 | tr -d '#')
  [ -n "$execs" ] || execs=$(grep -o -E 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -o -E '[0-9]+$' | tail -n 1)
  crashed=$(find "$crashes" -type f | wc -l | tr -d ' ')
  echo "$name: ${execs:-0} executions in ${seconds} s, $crashed crash(es), corpus $(find "Fuzz/Corpus/$name" -type f 2>/dev/null | wc -l | tr -d ' ') seed(s)"
  if [ "$crashed" != 0 ]; then
    failed=1
    mkdir -p "out/fuzz-crashes/$name"
    cp "$crashes"/* "out/fuzz-crashes/$name/"
    cp "$log" "out/fuzz-crashes/$name/fuzzer.log"
    echo "  crash inputs kept in out/fuzz-crashes/$name/ (replay: $bin/$name out/fuzz-crashes/$name/<file>)"
    grep -m 3 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$log" | sed 's/^/  /' || true
  fi
done
exit $failed
