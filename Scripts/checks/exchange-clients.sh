#!/usr/bin/env bash
# BaoCao's exchange files (issue #13) as real clients read them: the SDMX-ML 2.1
# structure message through pysdmx (validated against the official SDMX 2.1 XSD)
# and sdmx1; SDMX-CSV 2.0 through both against that structure; DHIS2
# dataValueSets JSON through a JSON Schema (jsonschema); ADX through lxml against
# the ADX 2015 schema. The three data formats must carry the same figures.
#
#   Scripts/checks/exchange-clients.sh [DIR]
#
# DIR holds structure.xml and report.{json,csv,adx.xml} and
# consolidated.{json,csv,adx.xml}, and nine-months.{csv,adx.xml} (no DHIS2
# period, so no JSON). Without DIR, the sample-files test of
# ReportingCoreTests writes them (a small egov-2024 tree with seed 000's figures
# and hostile names) in the package at $EXCHANGE_PACKAGE (default: this repo).
#
# Then the same clients read the files the command line writes: `baocao demo`
# into a fresh database, and `baocao export --exchange …` of an accepted report
# and of the province's consolidated figures (binary: $BAOCAO, default the
# package's .build/debug/baocao).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

python3 -c 'import sdmx, pysdmx.io.xml, jsonschema, lxml, pandas' 2>/dev/null \
    || python3 -m pip install -q sdmx1 'pysdmx[xml,data]' jsonschema lxml

dir=${1:-}
package=${EXCHANGE_PACKAGE:-$root}
BAOCAO=${BAOCAO:-$package/.build/debug/baocao}
if [ -z "$dir" ]; then
    dir="$tmp/files"; mkdir -p "$dir"
    (cd "$package" && swift build --build-tests > "$tmp/build.log" 2>&1) || { tail -30 "$tmp/build.log"; fail "swift build --build-tests"; }
    (cd "$package" && BAOCAO_EXCHANGE_SAMPLES="$dir" swift test --skip-build --filter ExchangeSampleFilesTests > "$tmp/test.log" 2>&1) \
        || { tail -30 "$tmp/test.log"; fail "the sample-files test"; }
fi
for name in structure.xml report.json report.csv report.adx.xml consolidated.json consolidated.csv consolidated.adx.xml \
    nine-months.csv nine-months.adx.xml; do
    [ -s "$dir/$name" ] || fail "$dir/$name is missing or empty"
done

python3 "$root/Scripts/hardening/exchange_clients.py" --structure "$dir/structure.xml" \
    --set "$dir/report.json" "$dir/report.csv" "$dir/report.adx.xml" \
    --set "$dir/consolidated.json" "$dir/consolidated.csv" "$dir/consolidated.adx.xml" \
    --pair "$dir/nine-months.csv" "$dir/nine-months.adx.xml" || fail "the clients disagree (above)"

# The command line's files: the living demo, an accepted report and the province's consolidated figures.
[ -x "$BAOCAO" ] || fail "$BAOCAO is not built (swift build), needed for the CLI exports"
cli="$tmp/cli"; mkdir -p "$cli/data"
# A demo of its own in a fresh SQLite file, on the PostgreSQL pass too (that database holds the tests' data).
BAOCAO_DATA_DIR="$cli/data" env -u DATABASE_URL "$BAOCAO" demo > "$tmp/demo.log" 2>&1 || { tail -20 "$tmp/demo.log"; fail "baocao demo"; }
read -r province unit period < <(python3 - "$cli/data/baocao.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
province = db.execute("SELECT code FROM units WHERE parent_code IS NULL ORDER BY code LIMIT 1").fetchone()
report = db.execute("SELECT unit_code, period_key FROM reports WHERE status = 'accepted' AND form_id = 'egov-2024' "
                    "AND period_key LIKE '%-Q%' ORDER BY period_key, unit_code LIMIT 1").fetchone()
if not province or not report:
    sys.exit("the demo has no province or no accepted egov-2024 quarterly report")
print(province[0], report[0], report[1])
PY
) || fail "no accepted report in the demo"
export_cli() {  # output, then the arguments after --form
    BAOCAO_DATA_DIR="$cli/data" env -u DATABASE_URL "$BAOCAO" export --period "$period" --form egov-2024 -o "$cli/$1" "${@:2}" 2> "$tmp/export.err" \
        || { cat "$tmp/export.err"; fail "baocao export -o $1 ${*:2}"; }
    [ -s "$cli/$1" ] || fail "baocao export wrote an empty $1"
}
export_cli structure.xml --unit "$province" --consolidated --exchange sdmx-structure
for format in dhis2:json sdmx:csv adx:adx.xml; do
    export_cli "report.${format#*:}" --unit "$unit" --exchange "${format%%:*}"
    export_cli "consolidated.${format#*:}" --unit "$province" --consolidated --exchange "${format%%:*}"
done
python3 "$root/Scripts/hardening/exchange_clients.py" --structure "$cli/structure.xml" \
    --set "$cli/report.json" "$cli/report.csv" "$cli/report.adx.xml" \
    --set "$cli/consolidated.json" "$cli/consolidated.csv" "$cli/consolidated.adx.xml" \
    || fail "the clients disagree on the CLI's files of $unit and $province, $period (above)"

# A broken file must be caught: the check is not a rubber stamp.
cp "$dir"/* "$tmp/"
sed -i '2s/,[0-9.-]*\r$/,123456789\r/' "$tmp/report.csv"
if python3 "$root/Scripts/hardening/exchange_clients.py" --structure "$tmp/structure.xml" \
    --set "$tmp/report.json" "$tmp/report.csv" "$tmp/report.adx.xml" > "$tmp/broken.log" 2>&1; then
    fail "a changed SDMX-CSV value went unnoticed"
fi
echo "exchange-clients: ok"
