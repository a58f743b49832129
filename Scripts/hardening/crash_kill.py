"""Crash test: concurrent API saves, the server killed with SIGKILL at a
random moment, restarted, and the stored reports compared with what the
clients were told.

Each worker owns one commune report (its own reporter and API token) and saves
in a loop: every save writes all CELLS, cell i of version v holding v*10+i, and
sends the version it read. After each kill and restart, for every report:
- the stored version is the last acknowledged one, or one beyond it when a
  save was in flight at the kill (its answer never arrived);
- every cell holds exactly what that version's save wrote (no partial save);
- the audit trail has, for every version since the test began, exactly one
  entry per cell with that save's old and new value, and nothing beyond;
- the integrity check of the database passes.
Exit status 0 only when every round holds."""
import argparse
import json
import os
import random
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, Store  # noqa: E402

CELLS = ["6.1.1", "6.2.1", "6.3.1", "6.4.1", "6.5.1"]
COMMUNES = ["000.01.31.H05", "000.01.32.H05", "000.02.32.H05"]


def cell_value(version, index):
    return str(version * 10 + index)


class Worker(threading.Thread):
    def __init__(self, base, token, report_id, version, budget):
        super().__init__(daemon=True)
        self.base, self.token, self.report_id = base, token, report_id
        self.acked = version  # the last version the server confirmed
        self.in_flight = None  # the version of a save sent but not answered
        self.count = 0
        self.budget = budget
        self.errors = []
        self.stop = threading.Event()

    def run(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.token}"
        url = f"{self.base}/api/v1/reports/{self.report_id}/values"
        while not self.stop.is_set() and self.budget():
            version = self.acked + 1
            body = {"version": self.acked, "values": {c: cell_value(version, i) for i, c in enumerate(CELLS)}}
            self.in_flight = version
            try:
                response = session.put(url, json=body, timeout=30)
            except requests.RequestException:
                return  # the server is gone: this save stays in flight
            if response.status_code != 200:
                self.in_flight = None
                self.errors.append(f"save of version {version}: HTTP {response.status_code} {response.text[:300]}")
                return
            stored = response.json()["report"]["version"]
            if stored != version:
                self.errors.append(f"save of version {version} acknowledged as version {stored}")
                return
            self.acked = version
            self.in_flight = None
            self.count += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    store = Store("crash", os.environ.get("DATABASE_URL") or None)
    server = Server(args.bin, store, BAOCAO_DEMO_FIXTURE="1")
    started = time.time()
    failures = []
    print(f"crash-kill: {store.kind}, {args.saves} saves over {args.kills} kills, seed {seed}")
    try:
        server.cli("migrate")
        server.cli("demo")
        tokens = {}
        for n, unit in enumerate(COMMUNES):
            username = f"crash.xa{n}"
            server.cli("users", "create", "--username", username, "--name", f"Cán bộ thử {n}", "--role", "reporter",
                       "--unit", unit, "--password", "crash-test-password")
            tokens[unit] = server.cli("users", "token", "--username", username, "--label", "crash",
                                      "--days", "1").stdout.strip().splitlines()[-1]
        reports = store.query("SELECT id, unit_code, version FROM reports WHERE unit_code IN (?, ?, ?)", tuple(COMMUNES))
        if len(reports) < 2:
            raise RuntimeError(f"expected the demo's commune reports, found {reports}")
        state = {str(r[0]).upper(): {"unit": r[1], "acked": r[2], "first": r[2]} for r in reports}
        print(f"crash-kill: {len(state)} workers (one per commune report), {len(CELLS)} cells per save")

        total_acked = 0
        per_round = max(1, args.saves // args.kills)
        for round_number in range(1, args.kills + 1):
            server.start()
            remaining = args.saves - total_acked
            target = remaining if round_number == args.kills else per_round
            # Kill after a random share of this round's saves: mid-load, never on a quiet server.
            # The last round runs to the total asked for, so at least --saves are acknowledged.
            kill_at = target if round_number == args.kills else max(1, int(target * rng.uniform(0.6, 1.0)))
            workers = []
            def budget(workers=workers, kill_at=kill_at):
                return sum(w.count for w in workers) < kill_at + 10 * len(workers)
            for report_id, s in state.items():
                workers.append(Worker(server.base, tokens[s["unit"]], report_id, s["acked"], budget))
            for w in workers:
                w.start()
            while sum(w.count for w in workers) < kill_at and any(w.is_alive() for w in workers):
                time.sleep(0.002 + rng.random() * 0.01)
            server.kill9()
            for w in workers:
                w.stop.set()
                w.join(timeout=60)
            round_acked = sum(w.count for w in workers)
            in_flight = sum(1 for w in workers if w.in_flight is not None)
            total_acked += round_acked
            for w in workers:
                failures += [f"round {round_number}, report {w.report_id}: {e}" for e in w.errors]
            server.start()  # the restart must succeed on whatever the kill left
            lost = 0
            for w in workers:
                s = state[w.report_id]
                lost += verify(store, server, tokens[s["unit"]], w, s, failures, round_number)
            problems = store.integrity_problems()
            failures += [f"round {round_number}: integrity: {p}" for p in problems]
            print(f"crash-kill: round {round_number}: SIGKILL after {round_acked} acknowledged saves "
                  f"({in_flight} in flight), lost {lost}, integrity {'ok' if not problems else 'FAILED'}")
            server.stop()
            if failures:
                break
        elapsed = time.time() - started
        print(f"crash-kill: {store.kind}: kills {round_number}, saves acknowledged {total_acked}, "
              f"saves lost {'0' if not failures else 'see failures'}, time {elapsed:.1f} s")
    except Exception as error:
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        server.stop()
        if failures:
            print("crash-kill: FAILED", file=sys.stderr)
            for f in failures[:50]:
                print("  " + f, file=sys.stderr)
            print("last lines of the server log:\n" + server.log_tail(), file=sys.stderr)
        store.close()
    return 1 if failures else 0


def verify(store, server, token, worker, s, failures, round_number):
    """Checks one report after a restart; returns the number of lost saves."""
    where = f"round {round_number}, report {worker.report_id}"
    response = requests.get(f"{server.base}/api/v1/reports/{worker.report_id}",
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if response.status_code != 200:
        failures.append(f"{where}: GET after restart answered {response.status_code}")
        return 0
    detail = response.json()
    stored = detail["report"]["version"]
    allowed = {worker.acked} | ({worker.in_flight} if worker.in_flight is not None else set())
    lost = 0
    if stored not in allowed:
        if stored < worker.acked:
            lost = worker.acked - stored
        failures.append(f"{where}: stored version {stored}, acknowledged {worker.acked}, in flight {worker.in_flight}")
    if stored > s["first"]:
        for i, code in enumerate(CELLS):
            raw = (detail["values"].get(code) or {}).get("raw")
            if raw != cell_value(stored, i):
                failures.append(f"{where}: cell {code} is {raw!r}, version {stored} wrote {cell_value(stored, i)!r}")
    # The audit trail: one entry per cell per version, matching the save.
    rows = store.query("SELECT code, old_value, new_value, version FROM audit_entries "
                       "WHERE action = 'value' AND (report_id = ? OR report_id = ?)",
                       (worker.report_id, worker.report_id.lower()))
    by_version = {}
    for code, old, new, version in rows:
        by_version.setdefault(version, []).append((code, old, new))
    for version, entries in by_version.items():
        if version is None or version <= s["first"]:
            continue
        if version > stored:
            failures.append(f"{where}: audit entries for version {version} beyond the stored {stored}")
            continue
        expected = sorted((c, cell_value(version - 1, i) if version - 1 > s["first"] else None,
                           cell_value(version, i)) for i, c in enumerate(CELLS))
        got = sorted(entries)
        if version - 1 <= s["first"]:  # the first save of the test: the old value is whatever the demo had
            got = [(c, None, n) for c, _, n in got]
        if got != expected:
            failures.append(f"{where}: audit for version {version} is {got}, expected {expected}")
    missing = [v for v in range(s["first"] + 1, stored + 1) if v not in by_version]
    if missing:
        failures.append(f"{where}: no audit entries for versions {missing[:10]}")
    s["acked"] = stored
    worker.acked = stored
    return lost


if __name__ == "__main__":
    sys.exit(main())
