"""Shared pieces of the hardening checks: the real `baocao` binary started on
loopback in a throw-away data directory (SQLite) or a fresh database of its
own on the PostgreSQL server named by DATABASE_URL, and read access to that
database (checksums of every table, integrity checks)."""
import hashlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ensure_psycopg():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        "psycopg[binary]"], check=True)


class Store:
    """The database one check owns: SQLite under `data_dir`, or a database
    `name` created on the PostgreSQL server of `base_url` and dropped by close()."""

    def __init__(self, prefix, base_url=None):
        self.data_dir = tempfile.mkdtemp(prefix=f"baocao-{prefix}-")
        self.base_url = base_url
        self.url = None
        self.name = None
        if base_url:
            ensure_psycopg()
            import psycopg
            self.name = f"baocao_{prefix}_{os.getpid()}"
            parts = urllib.parse.urlsplit(base_url)
            self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
            self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')

    @property
    def kind(self):
        return "postgresql" if self.url else "sqlite"

    def env(self, **extra):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env["BAOCAO_DATA_DIR"] = self.data_dir
        env["SWIFT_BACKTRACE"] = "enable=no"
        if self.url:
            env["DATABASE_URL"] = self.url
        env.update(extra)
        return env

    def connect(self):
        if self.url:
            import psycopg
            return psycopg.connect(self.url, autocommit=True)
        import sqlite3
        return sqlite3.connect(os.path.join(self.data_dir, "baocao.sqlite"), timeout=30)

    def query(self, sql, params=()):
        """Rows of `sql`, written with `?` placeholders for both databases."""
        conn = self.connect()
        try:
            if self.url:
                sql = sql.replace("?", "%s")
            cur = conn.cursor()
            cur.execute(sql, params)
            rows = cur.fetchall() if cur.description else []
            return rows
        finally:
            conn.close()

    def tables(self):
        if self.url:
            rows = self.query("SELECT table_name FROM information_schema.tables "
                              "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
        else:
            rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return sorted(r[0] for r in rows)

    def checksums(self, exclude=()):
        """Table name -> (row count, SHA-256 over every row, sorted): equal
        checksums mean equal contents, whatever order the rows are stored in."""
        result = {}
        for table in self.tables():
            if table in exclude:
                continue
            rows = self.query(f'SELECT * FROM "{table}"')
            lines = sorted(repr(tuple(str(v) for v in row)) for row in rows)
            digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
            result[table] = (len(rows), digest)
        return result

    def integrity_problems(self):
        """Empty when the database is sound: SQLite's own checks, or on
        PostgreSQL amcheck over every B-tree index (when the extension exists)."""
        problems = []
        if self.url:
            try:
                self.query("CREATE EXTENSION IF NOT EXISTS amcheck")
                indexes = self.query(
                    "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE a.amname = 'btree' AND n.nspname = 'public'")
                for (index,) in indexes:
                    try:
                        self.query(f"SELECT bt_index_check('\"{index}\"'::regclass, true)")
                    except Exception as error:  # a corrupt index raises
                        problems.append(f"amcheck {index}: {error}")
            except Exception as error:
                print(f"note: amcheck unavailable ({error}); relying on the consistency queries", file=sys.stderr)
        else:
            rows = self.query("PRAGMA integrity_check")
            if [r[0] for r in rows] != ["ok"]:
                problems.append(f"PRAGMA integrity_check: {rows[:10]}")
            rows = self.query("PRAGMA foreign_key_check")
            if rows:
                problems.append(f"PRAGMA foreign_key_check: {rows[:10]}")
        # Both databases: rows that point nowhere, duplicate cells.
        for sql, what in [
            ("SELECT COUNT(*) FROM report_values v LEFT JOIN reports r ON r.id = v.report_id WHERE r.id IS NULL",
             "report_values without a report"),
            ("SELECT COUNT(*) FROM (SELECT report_id, code FROM report_values GROUP BY report_id, code "
             "HAVING COUNT(*) > 1) d", "duplicate report_values"),
            ("SELECT COUNT(*) FROM audit_entries a LEFT JOIN reports r ON r.id = a.report_id WHERE r.id IS NULL",
             "audit entries without a report"),
            ("SELECT COUNT(*) FROM reports r JOIN audit_entries a ON a.report_id = r.id WHERE a.version > r.version",
             "audit entries newer than their report"),
        ]:
            count = self.query(sql)[0][0]
            if count:
                problems.append(f"{what}: {count}")
        return problems

    def close(self):
        if self.url:
            import psycopg
            try:
                with psycopg.connect(self.admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as error:
                print(f"note: could not drop {self.name}: {error}", file=sys.stderr)
        subprocess.run(["rm", "-rf", self.data_dir])


class Server:
    """`baocao serve` on a free loopback port, its output in server.log."""

    def __init__(self, binary, store, **env):
        self.binary = binary
        self.store = store
        self.extra_env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(store.data_dir, "server.log")
        self.process = None
        self.log_offset = 0

    def cli(self, *args, check=True, input=None, timeout=120):
        result = subprocess.run([self.binary, *args], env=self.store.env(**self.extra_env), capture_output=True,
                                text=True, input=input, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"baocao {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
        return result

    def start(self, timeout=120):
        log = open(self.log_path, "a")
        self.log_offset = log.tell()
        log.write(f"\n==== start {time.strftime('%H:%M:%S')}\n")
        log.flush()
        self.process = subprocess.Popen([self.binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.port)],
                                        env=self.store.env(**self.extra_env), stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}) before answering /health")
            if self.healthy():
                return
            time.sleep(0.2)
        raise RuntimeError(f"the server did not answer /health within {timeout} s")

    def healthy(self):
        try:
            return urllib.request.urlopen(self.base + "/health", timeout=3).read() == b"ok"
        except Exception:
            return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill9(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log_tail(self, lines=40, since_start=False):
        """The last lines of the log; with since_start, only of the current run."""
        try:
            with open(self.log_path, errors="replace") as f:
                if since_start:
                    f.seek(getattr(self, "log_offset", 0))
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""
