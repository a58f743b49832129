"""Several instances on one PostgreSQL (issue 10): two `baocao serve`
processes on one database behind nginx as a round-robin load balancer (no
sticky sessions, so consecutive requests alternate instances). Through nginx a
commune leader signs in, saves a value, sends; the reviewer accepts; the
data-entry page and the consolidated view, asked of each instance directly
and through nginx, show the change at once. A stale save through the other
instance gets 409; a sign-out or a password change through one instance ends
the session on the other; a unit renamed through one instance shows renamed
on the other.
It checks what users see (pages and status codes), not how the app keeps it.
Every check runs and prints one line; the exit status is 1 when any failed.

The second instance starts once the first is healthy (the first migrates
and loads the demo). With --start-together both start at the same moment on
the empty database, and the check asks that both come up."""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, Store, free_port  # noqa: E402

PASSWORD = "baocao2024"
COMMUNE = "000.01.31.H05"  # the demo's first commune: xa.nhaplieu and xa.lanhdao
SAVED, STALE = "1.357", "9.999"  # 6.3.1 as saved, and as a stale save tries to overwrite it
results = []  # (group, name, ok, detail)


def check(group, name, ok, detail=""):
    results.append((group, name, bool(ok), detail))
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))
    return ok


def commune_form(version, total):
    """A complete commune report without a problem (WorkflowTests.completeCommuneForm), 6.3.1 = `total`."""
    return {
        "version": str(version), "v[1]": "1", "v[2]": "2", "v[3]": "100", "v[4]": "2",
        "v[5.1.3]": "100", "v[5.2]": "100", "v[5.2.3]": "100", "v[5.3.3]": "100",
        "v[6.1.1]": "28", "v[6.1.2]": "28", "v[6.2.1]": "20", "v[6.2.2]": "18",
        "v[6.3.1]": total, "v[6.3.2]": "1.100", "v[6.4.1]": "300", "v[6.4.2]": "250",
        "v[6.5.1]": "91", "v[6.5.2]": "91",
    }


def csrf_of(html):
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    return match.group(1) if match else None


def entered(html, code):
    """The value the data-entry page shows in the input of indicator `code`."""
    for tag in re.findall(r"<input\b[^>]*>", html):
        if f'name="v[{code}]"' in tag:
            value = re.search(r'value="([^"]*)"', tag)
            return value.group(1) if value else ""
    return None


def status(html):
    """The report's state as its page shows it (Trạng thái: …)."""
    match = re.search(r'Trạng thái: <strong class="status-[^"]*">([^<]*)</strong>', html)
    return match.group(1) if match else None


def figure(html, code):
    """The consolidated figure of indicator `code` (the row's `figure` cell)."""
    start = html.find(f'data-code="{code}">')
    if start < 0:
        return None
    row = html[start:html.find("</tr>", start)]
    match = re.search(r'<td class="figure">([^<]*)', row)
    return match.group(1).strip() if match else None


class Nginx:
    """Debian's nginx as the current user, everything under a temp dir: one
    round-robin upstream of the two instances, no stickiness, one worker (so
    the alternation is strict), the upstream's address in X-Upstream."""

    def __init__(self, upstream_ports):
        self.dir = tempfile.mkdtemp(prefix="baocao-multi-nginx-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None
        user = ""
        if os.geteuid() == 0:  # workers would drop to nobody, who cannot write the temp dir
            import grp
            import pwd
            user = f"user {pwd.getpwuid(os.getuid()).pw_name} {grp.getgrgid(os.getgid()).gr_name};"
        servers = "\n".join(f"    server 127.0.0.1:{p};" for p in upstream_ports)
        temp = "\n".join(f"  {kind}_temp_path {self.dir}/{kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(f"""{user}
daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log notice;
events {{ worker_connections 256; }}
http {{
  access_log {self.dir}/access.log;
{temp}
  upstream baocao {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{self.port};
    client_max_body_size 20m;
    location / {{
      proxy_pass http://baocao;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
""")

    def start(self, timeout=30):
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        log = open(os.path.join(self.dir, "stderr.log"), "a")
        self.process = subprocess.Popen([binary, "-p", self.dir, "-e", os.path.join(self.dir, "error.log"), "-c", self.conf],
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited ({self.process.returncode}): {self.log_tail()}")
            try:
                if requests.get(self.base + "/health", timeout=3).text == "ok":
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"nginx did not answer within {timeout} s: {self.log_tail()}")

    def log_tail(self):
        text = ""
        for name in ("stderr.log", "error.log"):
            try:
                with open(os.path.join(self.dir, name), errors="replace") as f:
                    text += "".join(f.readlines()[-10:])
            except OSError:
                pass
        return text

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Browser:
    """One user's browser: one cookie jar for every address. All of them are
    127.0.0.1 and cookies do not depend on the port, so the session made
    through nginx is the one sent to each instance directly, as a proxy sees it."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.http = requests.Session()
        self.csrf = None
        self.last_upstream = None

    def request(self, method, via, path, **kw):
        kw.setdefault("timeout", 60)
        response = self.http.request(method, self.ctx["bases"][via] + path, allow_redirects=False, **kw)
        self.last_upstream = response.headers.get("X-Upstream") if via == "nginx" else self.ctx["ports"][via]
        token = csrf_of(response.text) if "html" in response.headers.get("content-type", "") else None
        if token:
            self.csrf = token
        return response

    def get(self, path, via="nginx"):
        return self.request("GET", via, path)

    def post(self, path, data, via="nginx"):
        data = dict(data)
        data.setdefault("csrf", self.csrf or "")
        return self.request("POST", via, path, data=data)

    def sign_in(self, username, via_page="nginx", via_post="nginx"):
        self.get("/login", via=via_page)
        page_upstream = self.last_upstream
        response = self.post("/login", {"username": username, "password": PASSWORD}, via=via_post)
        post_upstream = self.last_upstream
        location = response.headers.get("location", "")
        if response.status_code in (302, 303) and not location.endswith("/login"):
            self.get(location or "/")  # as a browser does: the signed-in page brings the session's own token
        return response, page_upstream, post_upstream

    def signed_in(self, via):
        return self.get("/password", via=via).status_code == 200


def instance_of(upstream, ctx):
    """'A' or 'B' for an X-Upstream value like 127.0.0.1:8081."""
    for name in ("A", "B"):
        if upstream and upstream.endswith(f":{ctx['ports'][name]}"):
            return name
    return None


# ---------------------------------------------------------------- the checks

def balancing(ctx):
    print("load balancing")
    seen = []
    for _ in range(4):
        response = requests.get(ctx["bases"]["nginx"] + "/health", timeout=10)
        seen.append(instance_of(response.headers.get("X-Upstream"), ctx))
    check("balance", "consecutive requests through nginx alternate between instance A and B",
          seen in (["A", "B", "A", "B"], ["B", "A", "B", "A"]), f"answered by {seen}")


def sign_in(ctx):
    print("signing in")
    leader = Browser(ctx)
    response, page, post = leader.sign_in("xa.lanhdao")
    check("signin", "the login form from one instance, posted through nginx to the other, signs in",
          response.status_code in (302, 303) and not response.headers.get("location", "").endswith("/login")
          and instance_of(page, ctx) != instance_of(post, ctx) and None not in (instance_of(page, ctx), instance_of(post, ctx)),
          f"answered {response.status_code} to {response.headers.get('location')}; page from {page}, post to {post}")
    for via in ("A", "B", "nginx"):
        check("signin", f"the session opens a signed-in page on {via}", leader.signed_in(via))
    # The other way round, by port: the visitor's CSRF token is an HMAC under a key every instance shares.
    direct = Browser(ctx)
    response, _, _ = direct.sign_in("sotttt", via_page="B", via_post="A")
    check("signin", "the login form of instance B, posted to instance A directly, signs in",
          response.status_code in (302, 303) and not response.headers.get("location", "").endswith("/login"),
          f"answered {response.status_code} to {response.headers.get('location')}")
    ctx["leader"] = leader
    ctx["reviewer"] = direct


def data_entry(ctx):
    print("data entry")
    leader, path = ctx["leader"], ctx["report_path"]
    for via in ("A", "B"):  # each instance renders (and may keep) the page before the save
        page = leader.get(path, via=via)
        check("entry", f"the data-entry page opens on {via} before the save, not sent, without 6.3.1 = {SAVED}",
              page.status_code == 200 and entered(page.text, "6.3.1") not in (None, SAVED) and status(page.text) in ("Chưa nhập", "Đang nhập"),
              f"answered {page.status_code}, 6.3.1 shows {entered(page.text, '6.3.1')!r}, state {status(page.text)!r}")
    leader.get(path)  # the page the form is posted from, through nginx
    response = leader.post(path, commune_form(0, SAVED))
    saved_by = instance_of(leader.last_upstream, ctx)
    location = response.headers.get("location", "")
    check("entry", f"save through nginx (answered by {saved_by}) accepted", response.status_code == 303 and "saved=" in location,
          f"answered {response.status_code} to {location!r}: {response.text[:300]}")
    if location:
        after = leader.get(location)
        check("entry", f"the page after the save (from {instance_of(leader.last_upstream, ctx)}) shows no problem",
              "Không có lỗi" in after.text, re.findall(r'class="problem[^"]*"[^>]*>([^<]+)<', after.text)[:5])
    for via in ("A", "B", "nginx"):
        page = leader.get(path, via=via)
        check("entry", f"the data-entry page on {via} shows the saved 6.3.1 = {SAVED} at once", entered(page.text, "6.3.1") == SAVED,
              f"answered {page.status_code}, shows {entered(page.text, '6.3.1')!r}")
    other = "B" if saved_by == "A" else "A"
    leader.get(path, via=other)
    stale = leader.post(path, commune_form(0, STALE), via=other)
    check("entry", f"a stale save (version 0) through instance {other} gets 409", stale.status_code == 409,
          f"answered {stale.status_code}")
    check("entry", "the 409 page says in Vietnamese that someone else saved", "đã được người khác lưu" in stale.text)
    for via in ("A", "B"):
        page = leader.get(path, via=via)
        check("entry", f"after the stale save the page on {via} still shows {SAVED}", entered(page.text, "6.3.1") == SAVED,
              f"shows {entered(page.text, '6.3.1')!r}")
    leader.get(path)
    sent = leader.post(path + "/action", {"action": "send"})
    check("entry", f"send through nginx (answered by {instance_of(leader.last_upstream, ctx)}) accepted", sent.status_code == 303,
          f"answered {sent.status_code}: {sent.text[:300]}")
    for via in ("A", "B"):
        page = leader.get(path, via=via)
        check("entry", f"the report shows “Đã gửi” on {via} at once", status(page.text) == "Đã gửi", f"shows {status(page.text)!r}")


def review(ctx):
    print("review and consolidation")
    reviewer, path, url = ctx["reviewer"], ctx["report_path"], ctx["consolidated"]
    for via in ("A", "B", "nginx"):  # each instance computes the table before the acceptance
        page = reviewer.get(url, via=via)
        check("review", f"the consolidated view on {via} opens, 6.3.1 not yet {SAVED}",
              page.status_code == 200 and figure(page.text, "6.3.1") not in (None, SAVED),
              f"answered {page.status_code}, 6.3.1 {figure(page.text, '6.3.1')!r}")
    reviewer.get(path)
    accepted = reviewer.post(path + "/action", {"action": "accept"})
    check("review", f"accept through nginx (answered by {instance_of(reviewer.last_upstream, ctx)}) accepted",
          accepted.status_code == 303, f"answered {accepted.status_code}: {accepted.text[:300]}")
    for via in ("A", "B", "nginx"):
        page = reviewer.get(url, via=via)
        check("review", f"the consolidated view on {via} shows 6.3.1 = {SAVED} at once", figure(page.text, "6.3.1") == SAVED,
              f"answered {page.status_code}, 6.3.1 {figure(page.text, '6.3.1')!r}")
    for via in ("A", "B"):
        page = ctx["leader"].get(path, via=via)
        check("review", f"the leader's data-entry page on {via} shows the report accepted and read-only",
              status(page.text) == "Đã tiếp nhận" and re.search(r'name="v\[6\.3\.1\]"[^>]*readonly', page.text) is not None,
              f"shows {status(page.text)!r}")


def units(ctx):
    print("unit names")
    reviewer, path, code = ctx["reviewer"], ctx["report_path"], COMMUNE
    admin = Browser(ctx)
    admin.sign_in("admin")
    name = "Xã đổi tên để thử nhiều máy chủ"
    for via in ("A", "B"):  # both instances know the unit tree, and the reviewer's page of the report
        reviewer.get(path, via=via)
        admin.get("/admin/units", via=via)
    form = admin.get(f"/admin/units/{code}", via="A")
    match = re.search(r'name="name"[^>]*value="([^"]*)"', form.text) or re.search(r'value="([^"]*)"[^>]*name="name"', form.text)
    old = match.group(1) if match else "?"
    response = admin.post(f"/admin/units/{code}", {"name": name, "retiredOn": "", "successors": ""}, via="A")
    check("units", "renaming the commune through instance A accepted", response.status_code in (302, 303),
          f"answered {response.status_code}: {response.text[:300]}")
    for via in ("A", "B"):
        page = admin.get("/admin/units", via=via)
        check("units", f"the unit list on {via} shows the new name at once", name in page.text,
              f"answered {page.status_code}, old name {old!r} shown: {old in page.text}")
        page = reviewer.get(path, via=via)
        check("units", f"the reviewer's page of the report on {via} shows the new name at once", name in page.text,
              f"answered {page.status_code}, old name {old!r} shown: {old in page.text}")


def sessions(ctx):
    print("sessions")
    leader = ctx["leader"]
    leader.get("/", via="A")
    response = leader.post("/logout", {}, via="A")
    check("sessions", "sign-out through instance A", response.status_code in (302, 303), f"answered {response.status_code}")
    for via in ("B", "nginx", "nginx"):  # nginx twice: once on each instance
        response = leader.get("/password", via=via)
        where = via if via != "nginx" else f"nginx ({instance_of(leader.last_upstream, ctx)})"
        check("sessions", f"after it the session is gone on {where}", response.status_code in (302, 303)
              and response.headers.get("location", "").endswith("/login"), f"answered {response.status_code}")
    reviewer = ctx["reviewer"]
    cookie = reviewer.http.cookies.get("baocao_session")
    reviewer.get("/")
    reviewer.post("/logout", {})
    out_by = instance_of(reviewer.last_upstream, ctx)
    copy = Browser(ctx)
    copy.http.cookies.set("baocao_session", cookie or "", domain="127.0.0.1", path="/")
    other = "B" if out_by == "A" else "A"
    check("sessions", f"a copy of the reviewer's cookie, signed out through nginx ({out_by}), is refused by {other}",
          cookie is not None and not copy.signed_in(other))
    # A password change through one instance ends the user's other sessions on the other.
    one, two = Browser(ctx), Browser(ctx)
    one.sign_in("huyen.nhaplieu", via_page="A", via_post="A")
    two.sign_in("huyen.nhaplieu", via_page="B", via_post="B")
    check("sessions", "one user signed in twice, on A and on B", one.signed_in("A") and two.signed_in("B"))
    one.get("/password", via="A")
    changed = one.post("/password", {"current": PASSWORD, "new": "nhieu-may-chu-2", "confirm": "nhieu-may-chu-2"}, via="A")
    check("sessions", "password change through A accepted", changed.status_code == 200, f"answered {changed.status_code}")
    check("sessions", "after it the other session is signed out on B and on A", not two.signed_in("B") and not two.signed_in("A"))
    check("sessions", "the session that changed it stays signed in, on B too", one.signed_in("B") and one.signed_in("A"))


# ---------------------------------------------------------------- the run

SPAWNED = []  # every `baocao serve` process started, stopped at the end whatever happened


def launch(server):
    """server.start(), remembering its process even when it fails."""
    try:
        server.start()
    finally:
        SPAWNED.append(server.process)


def start_servers(args, store, a, b):
    """Instance A, then B once A is healthy; or both at once (--start-together),
    and then the one that lost the race started again on its own."""
    if not args.start_together:
        launch(a)
        launch(b)
        return
    for server in (a, b):
        log = open(server.log_path, "a")
        server.process = subprocess.Popen([server.binary, "serve", "--hostname", "127.0.0.1", "--port", str(server.port)],
                                          env=store.env(**server.extra_env), stdout=log, stderr=subprocess.STDOUT)
        SPAWNED.append(server.process)
    # Until each one serves or has exited: the loser is started again only once the other is done.
    deadline = time.time() + 120
    while time.time() < deadline and not all(s.healthy() or not s.alive() for s in (a, b)):
        time.sleep(0.2)
    for name, server in (("A", a), ("B", b)):
        ok = server.alive() and server.healthy()
        check("start", f"started together on an empty database, instance {name} serves", ok,
              "" if ok else f"exit {server.process.poll()}: {server.log_tail(5)}")
    for server in (a, b):
        if not (server.alive() and server.healthy()):
            server.stop()
            launch(server)


def stop_all():
    for process in SPAWNED:
        if process is not None and process.poll() is None:
            process.terminate()
    for process in SPAWNED:
        if process is not None:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def interrupted(number, _frame):
    check("run", "the run was not interrupted", False, f"signal {number}")
    sys.exit(128 + number)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--only", default="", help="comma-separated check groups")
    parser.add_argument("--start-together", action="store_true")
    args = parser.parse_args()
    # Killed or interrupted: leave through `finally`, which stops nginx and both instances and drops the database.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, interrupted)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        print("multi-instance: SKIP (DATABASE_URL is not set: several instances share one PostgreSQL server)")
        return 0
    store = Store("multi", base_url)
    env = {"BAOCAO_DEMO": "1", "BAOCAO_TRUST_PROXY": "1"}
    a, b, nginx = Server(args.bin, store, **env), Server(args.bin, store, **env), None
    b.log_path = os.path.join(store.data_dir, "server-b.log")
    try:
        start_servers(args, store, a, b)
        nginx = Nginx([a.port, b.port])
        nginx.start()
        print(f"multi-instance: postgresql database {store.name}; instance A :{a.port}, B :{b.port}, nginx :{nginx.port}")
        count = store.query("SELECT COUNT(*) FROM units")[0][0]
        check("start", "the demo province is loaded once", count == 35, f"{count} units")
        report = store.query("SELECT r.id FROM reports r JOIN assignments a ON a.id = r.assignment_id "
                             "WHERE r.unit_code = ? AND a.period_key = '2024-Q1'", (COMMUNE,))
        parent = store.query("SELECT parent_code FROM units WHERE code = ?", (COMMUNE,))[0][0]
        ctx = {
            "ports": {"A": str(a.port), "B": str(b.port)},
            "bases": {"A": a.base, "B": b.base, "nginx": nginx.base},
            "report_path": f"/reports/{str(report[0][0]).upper()}",
            "consolidated": f"/consolidated?form=egov-2024&period=2024-Q1&unit={parent}&basis=accepted",
        }
        groups = [("balance", balancing), ("signin", sign_in), ("entry", data_entry), ("review", review),
                  ("units", units), ("sessions", sessions)]
        only = {g for g in args.only.split(",") if g}
        for name, run in groups:
            if only and name not in only and name not in ("signin",):
                continue
            try:
                run(ctx)
            except Exception as error:
                check(name, f"{name} ran to the end", False, f"{type(error).__name__}: {error}")
        for label, server in (("A", a), ("B", b)):
            check("end", f"instance {label} still running", server.alive())
    except Exception as error:
        check("setup", "setup", False, f"{type(error).__name__}: {error}")
    finally:
        if nginx:
            nginx.stop()
        stop_all()
        failed = [r for r in results if not r[2]]
        print(f"multi-instance: {len(results) - len(failed)} of {len(results)} checks passed")
        if failed:
            print("multi-instance: FAILED", file=sys.stderr)
            for group, name, _, detail in failed:
                print(f"  [{group}] {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
            for label, server in (("A", a), ("B", b)):
                if server.process:
                    print(f"last lines of instance {label}'s log:\n" + server.log_tail(15), file=sys.stderr)
        store.close()
    return 1 if any(not r[2] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
