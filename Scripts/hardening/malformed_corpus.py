"""Feeds every file of Tests/Malformed/files (plus, built at run time, a
decompression bomb and real templates carrying out-of-range numbers) to every
route that takes a file and to every CLI command that takes one. Each must
answer 4xx (CLI: a non-zero exit, not a signal) with a Vietnamese message, the
server must still answer after each, and a checksum of every table is the
same before and after the whole corpus. Sessions and login attempts are left
out of the checksum: signing in the uploaders writes them."""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "Tests", "Malformed"))
from harness import Server, Store  # noqa: E402
from blackbox import Browser, set_template_cell, vietnamese  # noqa: E402
import generate  # noqa: E402

EXCLUDED = ("_fluent_sessions", "login_attempts")
UPLOAD_TIMEOUT = 20
CLI_TIMEOUT = 20
CRASH_MARKS = ("Fatal error", "Crash", "Segmentation fault", "Illegal instruction", "💣")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--forms", required=True, help="the bundled forms folder (for the plan files)")
    parser.add_argument("--jobs", type=int, default=3)
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    store = Store("corpus", os.environ.get("DATABASE_URL") or None)
    server = Server(binary, store, BAOCAO_DEMO="1", BAOCAO_DEMO_FIXTURE="1")
    work = tempfile.mkdtemp(prefix="baocao-corpus-")
    failures, crashes = [], []
    started = time.time()
    try:
        server.cli("migrate")
        server.cli("demo")
        server.start()
        print(f"malformed-corpus: {store.kind}, server at {server.base}")
        admin, reporter = Browser(server.base, "admin"), Browser(server.base, "xa.nhaplieu")
        report = str(store.query("SELECT r.id FROM reports r JOIN assignments a ON a.id = r.assignment_id "
                                 "WHERE r.unit_code = '000.01.31.H05' AND a.period_key = '2024-Q1'")[0][0]).upper()
        corpus_dir = os.path.join(ROOT, "Tests", "Malformed", "files")
        files = {name: os.path.join(corpus_dir, name) for name in sorted(os.listdir(corpus_dir))}
        generate.bomb(os.path.join(work, "bomb-2gb.xlsx"))
        files["bomb-2gb.xlsx (run time)"] = os.path.join(work, "bomb-2gb.xlsx")
        template = reporter.get(f"/reports/{report}/template.xlsx").content
        for label, value in (("18-digit", "123456789012345678"), ("1e400", "1e400"), ("5000-digit", "9" * 5000)):
            path = os.path.join(work, f"template-{label}.xlsx")
            with open(path, "wb") as f:
                f.write(set_template_cell(template, "6.3.1", value))
            files[f"template-{label}.xlsx (run time)"] = path
        before = store.checksums(exclude=EXCLUDED)
        print(f"malformed-corpus: {len(files)} files, {len(before)} tables checksummed")

        routes = [(lambda: reporter, f"/reports/{report}/upload", "template upload"),
                  (lambda: admin, "/admin/units/import", "units import"),
                  (lambda: admin, "/admin/plans", "plan upload")]
        for name, path in files.items():
            with open(path, "rb") as f:
                data = f.read()
            base_name = name.split(" ")[0]
            for who, route, label in routes:
                hung = False
                try:
                    response = who().post(route, files={"file": (base_name, data, "application/octet-stream")},
                                          timeout=UPLOAD_TIMEOUT)
                    status, body = response.status_code, response.text
                except requests.Timeout:
                    status, body, hung = f"no answer within {UPLOAD_TIMEOUT} s", "", True
                except requests.RequestException as error:
                    status, body = f"no answer ({type(error).__name__})", ""
                where = f"{name} -> POST {label} ({route.replace(report, '{id}')})"
                if hung and server.alive():
                    # Still working on one upload after this long: a hang; restart to keep the run bounded.
                    failures.append(f"{where}: {status} (the server was still busy; restarted)")
                    server.stop()
                    server.start()
                    admin, reporter = Browser(server.base, "admin"), Browser(server.base, "xa.nhaplieu")
                    continue
                if not server.alive() or not server.healthy():
                    crashes.append(f"{where}: the server died" + crash_line(server.log_tail(80, since_start=True)))
                    server.stop()
                    server.start()
                    admin, reporter = Browser(server.base, "admin"), Browser(server.base, "xa.nhaplieu")
                    continue
                if not (isinstance(status, int) and 400 <= status < 500):
                    failures.append(f"{name} -> POST {label}: answered {status}, not 4xx")
                elif not vietnamese(body):
                    failures.append(f"{name} -> POST {label}: {status} without a Vietnamese message")

        # The CLI: each command that takes a file, in parallel (the commands are short-lived processes).
        forms_dir = os.path.join(work, "forms")
        valid_values = os.path.join(work, "values.csv")
        with open(valid_values, "w") as f:
            f.write("code,value\nI.1,90\n")
        jobs = []
        for name, path in files.items():
            jobs += [(name, ["import", path]), (name, ["units", "import", path]),
                     (name, ["validate", "--form", "egov-2024", "--values", path]),
                     (name, ["targets", "--plan", "kh48-2024", "--values", path])]
            if name.endswith(".yaml") or name.endswith(".yml"):
                plan_dir = os.path.join(forms_dir, re.sub(r"\W", "_", name))
                os.makedirs(plan_dir)
                shutil.copy(os.path.join(args.forms, "egov-2024.yaml"), plan_dir)
                shutil.copy(path, os.path.join(plan_dir, "plan-malformed.yaml"))
                jobs.append((name, ["targets", "--plan", "malformed", "--values", valid_values, "--forms", plan_dir]))

        def run(job):
            name, argv = job
            try:
                result = subprocess.run([binary, *argv], env=store.env(), capture_output=True, timeout=CLI_TIMEOUT)
            except subprocess.TimeoutExpired:
                return name, argv, None, f"no exit within {CLI_TIMEOUT} s (killed)"
            return name, argv, result.returncode, (result.stdout + result.stderr).decode("utf-8", "replace")

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for name, argv, code, output in pool.map(run, jobs):
                shown = " ".join(a if not a.startswith("/") else os.path.basename(a) for a in argv)
                if code is None:
                    failures.append(f"{name} -> baocao {shown}: {output}")
                elif code < 0 or code >= 128 or any(mark in output for mark in CRASH_MARKS):
                    crashes.append(f"{name} -> baocao {shown}: exit {code}" + crash_line(output))
                elif code == 0:
                    failures.append(f"{name} -> baocao {shown}: exit 0 (accepted)")
                elif not vietnamese(output):
                    failures.append(f"{name} -> baocao {shown}: exit {code} without a Vietnamese message: {output[:200]!r}")
        print(f"malformed-corpus: {len(jobs)} CLI runs, {len(files) * len(routes)} uploads")
        if not server.healthy():
            crashes.append("the server does not answer at the end of the corpus")
        after = store.checksums(exclude=EXCLUDED)
        changed = [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
        for table in changed:
            failures.append(f"table {table} changed: rows {before.get(table, (0,))[0]} -> {after.get(table, (0,))[0]}")
        if not changed:
            print("malformed-corpus: every table's checksum is the same before and after")
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        server.stop()
        print(f"malformed-corpus: {time.time() - started:.1f} s")
        if crashes:
            print(f"malformed-corpus: {len(crashes)} CRASHES", file=sys.stderr)
            for c in crashes:
                print("  CRASH " + c, file=sys.stderr)
        if failures:
            print(f"malformed-corpus: {len(failures)} failures", file=sys.stderr)
            for f in failures:
                print("  FAIL " + f, file=sys.stderr)
        store.close()
        shutil.rmtree(work, ignore_errors=True)
    return 1 if crashes or failures else 0


def crash_line(text):
    """The first line of a crash report, to tell one crash from another."""
    for line in text.splitlines():
        if any(mark in line for mark in CRASH_MARKS):
            return ": " + line.strip()[:240]
    return ""


if __name__ == "__main__":
    sys.exit(main())
