"""Black-box checks against a live demo server (issue 9): access across
units, CSRF, the stale template upload, the note-only API save, an oversized
number, hostile files to the upload routes, formula injection in the CSV
export, text limits; and, in their own function, the session rules (renewal
at login, revocation after a password change or reset, no session for an
anonymous visitor). Every check runs; the exit status is 1 when any failed."""
import argparse
import csv
import io
import os
import re
import sys
import zipfile

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Server, Store  # noqa: E402

PASSWORD = "baocao2024"
OWN_UNIT, OTHER_UNIT = "000.01.31.H05", "000.01.32.H05"
COOKIE = "baocao_session"
results = []  # (group, name, ok, detail)


def check(group, name, ok, detail=""):
    results.append((group, name, bool(ok), detail))
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))
    return ok


def vietnamese(text):
    """True when `text` carries a message in Vietnamese (letters with diacritics)."""
    return re.search(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", text or "", re.I) is not None


def csrf_of(html):
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    return match.group(1) if match else None


class Browser:
    """A signed-in browser: its session cookie and the CSRF token of its pages."""

    def __init__(self, base, username=None, password=PASSWORD):
        self.base = base
        self.http = requests.Session()
        self.csrf = None
        if username:
            response = self.login(username, password)
            if response.status_code not in (302, 303) or response.headers.get("location", "").endswith("/login"):
                raise RuntimeError(f"login as {username} answered {response.status_code}")

    def login(self, username, password):
        page = self.http.get(self.base + "/login")
        token = csrf_of(page.text)
        response = self.http.post(self.base + "/login", data={"csrf": token or "", "username": username,
                                                               "password": password}, allow_redirects=False)
        self.refresh_csrf()
        return response

    def refresh_csrf(self):
        page = self.http.get(self.base + "/password", allow_redirects=False)
        self.csrf = csrf_of(page.text) if page.status_code == 200 else None

    def get(self, path, **kw):
        return self.http.get(self.base + path, allow_redirects=False, timeout=60, **kw)

    def post(self, path, data=None, files=None, csrf=True, **kw):
        data = dict(data or {})
        if csrf and "csrf" not in data:
            data["csrf"] = self.csrf or ""
        kw.setdefault("timeout", 120)
        return self.http.post(self.base + path, data=data, files=files, allow_redirects=False, **kw)

    def signed_in(self):
        """True when the session opens a signed-in page (not a redirect to /login, not 401)."""
        response = self.get("/password")
        return response.status_code == 200


class Api:
    def __init__(self, base, token):
        self.base = base
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path):
        return self.http.get(self.base + "/api/v1" + path, timeout=60)

    def put_values(self, report_id, body):
        return self.http.put(f"{self.base}/api/v1/reports/{report_id}/values", json=body, timeout=120)

    def version(self, report_id):
        return self.get(f"/reports/{report_id}").json()["report"]["version"]


def cell(store, report_id, code):
    rows = store.query("SELECT raw, number, note FROM report_values WHERE (report_id = ? OR report_id = ?) AND code = ?",
                       (report_id, report_id.lower(), code))
    return rows[0] if rows else None


def alive(server, browser, report_id):
    health = requests.get(server.base + "/health", timeout=10)
    page = browser.get(f"/reports/{report_id}")
    return server.alive() and health.status_code == 200 and page.status_code == 200, \
        f"process alive {server.alive()}, /health {health.status_code}, report page {page.status_code}"


# ---------------------------------------------------------------- templates

def set_template_cell(xlsx, code, value):
    """The template with the value column (D) of indicator `code` set to `value`:
    the XML edited in place, so every property (the version) stays as downloaded."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    strings = re.findall(r"<si>(.*?)</si>", source.read("xl/sharedStrings.xml").decode(), re.S)
    texts = [re.sub(r"<[^>]+>", "", s) for s in strings]
    sheet = source.read("xl/worksheets/sheet1.xml").decode()
    row_number = None
    for row in re.finditer(r'<row r="(\d+)"[^>]*>(.*?)</row>', sheet, re.S):
        f = re.search(r'<c r="F\d+"[^>]*t="s"[^>]*><v>(\d+)</v></c>', row.group(2))
        if f and texts[int(f.group(1))] == code:
            row_number = row.group(1)
            break
    if row_number is None:
        raise RuntimeError(f"indicator {code} not found in the template")
    ref = f"D{row_number}"
    pattern = re.compile(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', re.S)
    match = pattern.search(sheet)
    style = re.search(r's="\d+"', match.group(1)) if match else None
    new = f'<c r="{ref}" {style.group(0) if style else ""}><v>{value}</v></c>'
    sheet = pattern.sub(new, sheet, count=1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def xlsx_with_sheet(sheet_body):
    """A minimal workbook whose one sheet's XML is `sheet_body`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                   + sheet_body + '</worksheet>')
    return out.getvalue()


# ---------------------------------------------------------------- the checks

def access_across_units(ctx):
    print("access across units")
    browser, api, store = ctx["reporter"], ctx["reporter_api"], ctx["store"]
    other = ctx["other_report"]
    before = store.checksums(exclude=("_fluent_sessions", "login_attempts"))
    for path in (f"/reports/{other}", f"/reports/{other}/history", f"/reports/{other}/template.xlsx",
                 f"/reports/{other}/export.csv"):
        status = browser.get(path).status_code
        check("access", f"web GET {path} by another unit's reporter", status in (403, 404), f"answered {status}")
    status = browser.post(f"/reports/{other}", {"version": "0", "v[6.1.1]": "999"}).status_code
    check("access", "web POST of values to another unit's report", status in (403, 404), f"answered {status}")
    files = {"file": ("mau.xlsx", ctx["own_template"], "application/octet-stream")}
    status = browser.post(f"/reports/{other}/upload", files=files).status_code
    check("access", "template upload to another unit's report", status in (403, 404), f"answered {status}")
    status = api.get(f"/reports/{other}").status_code
    check("access", "API GET of another unit's report", status in (403, 404), f"answered {status}")
    status = api.put_values(other, {"version": 0, "values": {"6.1.1": "999"}}).status_code
    check("access", "API PUT to another unit's report", status in (403, 404), f"answered {status}")
    status = api.http.post(f"{ctx['base']}/api/v1/reports/{other}/actions", json={"action": "submit"}).status_code
    check("access", "API action on another unit's report", status in (403, 404), f"answered {status}")
    after = store.checksums(exclude=("_fluent_sessions", "login_attempts"))
    check("access", "nothing changed in the database", before == after,
          f"tables changed: {[t for t in after if before.get(t) != after[t]]}")


def csrf(ctx):
    print("CSRF")
    browser, store, report = ctx["reporter"], ctx["store"], ctx["own_report"]
    before = cell(store, report, "6.5.1")
    version = ctx["reporter_api"].version(report)
    for label, token in (("without a token", None), ("with a wrong token", "A" * 44)):
        data = {"version": str(version), "v[6.5.1]": "4242"}
        if token:
            data["csrf"] = token
        response = browser.post(f"/reports/{report}", data, csrf=token is not None)
        check("csrf", f"report save {label} refused", response.status_code == 403, f"answered {response.status_code}")
        check("csrf", f"report save {label} changed nothing", cell(store, report, "6.5.1") == before,
              f"6.5.1 is now {cell(store, report, '6.5.1')}")
        response = browser.post("/password", {"current": PASSWORD, "new": "hacked-password", "confirm": "hacked-password",
                                              **({"csrf": token} if token else {})}, csrf=token is not None)
        check("csrf", f"password change {label} refused", response.status_code == 403, f"answered {response.status_code}")
        files = {"file": ("mau.xlsx", ctx["own_template"], "application/octet-stream")}
        response = browser.post(f"/reports/{report}/upload", {"csrf": token} if token else {}, files=files, csrf=token is not None)
        check("csrf", f"template upload {label} refused", response.status_code == 403, f"answered {response.status_code}")
    # The same save with the page's token goes through: the refusals above were the token's doing.
    response = browser.post(f"/reports/{report}", {"version": str(version), "v[6.5.1]": "4242"})
    check("csrf", "the same save with the page's token is stored",
          response.status_code in (200, 302, 303) and (cell(store, report, "6.5.1") or ("",))[0] == "4242",
          f"answered {response.status_code}, 6.5.1 is {cell(store, report, '6.5.1')}")


def stale_template(ctx):
    print("stale template upload")
    browser, store, report = ctx["reporter"], ctx["store"], ctx["own_report"]
    api, leader_api = ctx["reporter_api"], ctx["leader_api"]
    version = api.version(report)
    response = api.put_values(report, {"version": version, "values": {"6.3.1": "100", "6.3.2": "40", "6.4.1": "50"}})
    check("stale", "setup save", response.status_code == 200, f"answered {response.status_code}")
    template = browser.get(f"/reports/{report}/template.xlsx")
    check("stale", "template downloaded", template.status_code == 200, f"answered {template.status_code}")
    old = template.content
    # A colleague (the commune's leader) saves 6.3.1 and 6.4.1 after the download.
    version = api.version(report)
    response = leader_api.put_values(report, {"version": version, "values": {"6.3.1": "200", "6.4.1": "60"}})
    check("stale", "the colleague's save", response.status_code == 200, f"answered {response.status_code} {response.text[:200]}")
    # The old file, changed at 6.3.1: both sides changed it.
    files = {"file": ("mau.xlsx", set_template_cell(old, "6.3.1", "150"), "application/octet-stream")}
    response = browser.post(f"/reports/{report}/upload", files=files)
    check("stale", "old template changed where the colleague changed: 409", response.status_code == 409,
          f"answered {response.status_code}")
    check("stale", "the 409 names the cell 6.3.1", "6.3.1" in response.text)
    check("stale", "6.3.1 keeps the colleague's value", (cell(store, report, "6.3.1") or ("",))[0] == "200",
          f"6.3.1 is {cell(store, report, '6.3.1')}")
    check("stale", "6.4.1 keeps the colleague's value", (cell(store, report, "6.4.1") or ("",))[0] == "60")
    # The old file changed only where nobody changed since (6.5.1): merged (200) or refused (409), never a revert.
    files = {"file": ("mau.xlsx", set_template_cell(old, "6.3.2", "45"), "application/octet-stream")}
    response = browser.post(f"/reports/{report}/upload", files=files)
    check("stale", "old template changed elsewhere: merged or refused", response.status_code in (200, 409),
          f"answered {response.status_code}")
    check("stale", "cells the old file did not touch keep the colleague's values",
          (cell(store, report, "6.3.1") or ("",))[0] == "200" and (cell(store, report, "6.4.1") or ("",))[0] == "60",
          f"6.3.1 {cell(store, report, '6.3.1')}, 6.4.1 {cell(store, report, '6.4.1')}")
    if response.status_code == 200:
        check("stale", "the merged upload stored its own change", (cell(store, report, "6.3.2") or ("",))[0] == "45")


def note_only_save(ctx):
    print("note-only API save")
    api, store, report = ctx["reporter_api"], ctx["store"], ctx["own_report"]
    version = api.version(report)
    api.put_values(report, {"version": version, "values": {"6.2.1": "321"}})
    before = cell(store, report, "6.2.1")
    response = api.put_values(report, {"version": api.version(report), "notes": {"6.2.1": "Theo sổ theo dõi"}})
    after = cell(store, report, "6.2.1")
    check("note", "note-only save accepted", response.status_code == 200, f"answered {response.status_code}")
    check("note", "the number is kept", after is not None and after[0] == before[0] and after[1] is not None
          and after[1] == before[1], f"before {before}, after {after}")
    check("note", "the note is stored", after is not None and after[2] == "Theo sổ theo dõi", f"after {after}")
    shown = api.get(f"/reports/{report}").json()["values"].get("6.2.1", {})
    check("note", "the API still reports the number", shown.get("number") == 321, f"shows {shown}")


def oversized_number(ctx, server):
    print("oversized number")
    browser, api, store, report = ctx["reporter"], ctx["reporter_api"], ctx["store"], ctx["own_report"]
    huge = "123456789012345678"
    huge_vi = "123.456.789.012.345.678"
    version = api.version(report)
    try:
        response = browser.post(f"/reports/{report}", {"version": str(version), "v[6.3.1]": huge_vi})
        status = response.status_code
    except requests.RequestException as error:
        status = f"no answer ({type(error).__name__})"
    stored = cell(store, report, "6.3.1")
    check("number", "web save of an 18-digit count in 6.3.1 refused (4xx, or the page shows the error)",
          isinstance(status, int) and status < 500 and (stored is None or stored[0] not in (huge, huge_vi)),
          f"answered {status}, stored {stored}")
    ok, detail = alive(server, browser, report)
    check("number", "after the web save the server answers /health and the report page", ok, detail)
    if not server.alive():
        return
    try:
        response = api.put_values(report, {"version": api.version(report), "values": {"6.3.1": huge}})
        status = response.status_code
    except requests.RequestException as error:
        status = f"no answer ({type(error).__name__})"
    check("number", "API save of an 18-digit count refused with 4xx", isinstance(status, int) and 400 <= status < 500,
          f"answered {status}")
    try:
        response = api.put_values(report, {"version": api.version(report), "values": {"6.3.1": 123456789012345678}})
        status = response.status_code
    except requests.RequestException as error:
        status = f"no answer ({type(error).__name__})"
    check("number", "API save of an 18-digit JSON number refused with 4xx", isinstance(status, int) and 400 <= status < 500,
          f"answered {status}")
    ok, detail = alive(server, browser, report)
    api_ok = server.alive() and api.get(f"/reports/{report}").status_code == 200
    check("number", "after the API saves the server answers /health, the report page and the API", ok and api_ok, detail)


def hostile_files(ctx, server):
    print("hostile files")
    admin, browser, report = ctx["admin"], ctx["reporter"], ctx["own_report"]
    files = {
        "random.xlsx": os.urandom(4096),
        "truncated.xlsx": ctx["own_template"][: len(ctx["own_template"]) // 2],
        "col-16385.xlsx": xlsx_with_sheet('<cols><col min="16385" max="16385" width="9"/></cols><sheetData/>'),
        "row-2e63.xlsx": xlsx_with_sheet('<sheetData><row r="9223372036854775808"><c r="A9223372036854775808"><v>1</v></c></row></sheetData>'),
        "nul.csv": b"code,name,kind,parent_code\n\x00\x00,\x00,commune,\n",
        "bomb.yaml": b'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
                     b'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    }
    routes = [(browser, f"/reports/{report}/upload"), (admin, "/admin/units/import"), (admin, "/admin/plans")]
    for name, data in files.items():
        for who, route in routes:
            try:
                status = who.post(route, files={"file": (name, data, "application/octet-stream")}).status_code
            except requests.RequestException as error:
                status = f"no answer ({type(error).__name__})"
            up = server.alive() and requests.get(server.base + "/health", timeout=10).status_code == 200 if server.alive() else False
            check("hostile", f"{name} to {route}: 4xx and the server still answers",
                  up and isinstance(status, int) and 400 <= status < 500, f"answered {status}, alive {up}")
            if not up:
                return


def formula_injection(ctx):
    print("formula injection")
    api, browser, report = ctx["reporter_api"], ctx["reporter"], ctx["own_report"]
    formula = '=HYPERLINK("http://example.invalid/x","Bấm vào đây")'
    response = api.put_values(report, {"version": api.version(report), "notes": {"6.1.1": formula}})
    check("formula", "a note starting with = is accepted as text", response.status_code == 200,
          f"answered {response.status_code}")
    export = browser.get(f"/reports/{report}/export.csv")
    check("formula", "the CSV export answers", export.status_code == 200, f"answered {export.status_code}")
    fields = [f for row in csv.reader(io.StringIO(export.content.decode("utf-8-sig", "replace"))) for f in row]
    hits = [f for f in fields if "HYPERLINK" in f]
    check("formula", "the note comes out with a leading apostrophe", hits and all(f.startswith("'=") for f in hits),
          f"fields: {hits}")
    dangerous = [f for f in fields if f[:1] in ("=", "+", "@") or (f[:1] == "-" and not re.fullmatch(r"-[\d.,]+", f))]
    check("formula", "no field of the export starts like a formula", not dangerous, f"fields: {dangerous[:5]}")


def limits(ctx):
    print("limits")
    api, browser, store, report = ctx["reporter_api"], ctx["reporter"], ctx["store"], ctx["own_report"]
    big_narrative, big_note = "Kết quả " * (1024 * 1024 // 8), "ghi chú " * (100 * 1024 // 8)
    before = store.checksums(exclude=("_fluent_sessions", "login_attempts"))
    response = api.put_values(report, {"version": api.version(report), "narrative": {"achievements": big_narrative}})
    # 413 counts: the body limit refuses it before the field limit, with its own message.
    check("limits", "API: a 1 MB narrative refused (422, or 413 from the body limit) with a Vietnamese message",
          response.status_code in (413, 422) and vietnamese(response.text), f"answered {response.status_code} {response.text[:200]}")
    response = api.put_values(report, {"version": api.version(report), "notes": {"6.1.1": big_note}})
    check("limits", "API: a 100 KB note refused with 422", response.status_code == 422, f"answered {response.status_code}")
    version = str(api.version(report))
    response = browser.post(f"/reports/{report}", {"version": version, "n[6.1.1]": big_note})
    check("limits", "web: a 100 KB note refused with 422", response.status_code == 422, f"answered {response.status_code}")
    response = browser.post(f"/reports/{report}", {"version": version, "achievements": big_narrative})
    check("limits", "web: a 1 MB narrative refused (422, or 413 from the body limit)", response.status_code in (413, 422),
          f"answered {response.status_code}")
    after = store.checksums(exclude=("_fluent_sessions", "login_attempts"))
    check("limits", "nothing stored", before == after, f"tables changed: {[t for t in after if before.get(t) != after[t]]}")


def sessions(ctx, server):
    """The session rules of issue 9 §4. Written to the specification: they
    fail on a server that does not renew, revoke or hold back sessions yet."""
    print("sessions")
    base, store = ctx["base"], ctx["store"]
    # An anonymous GET /login writes no session and sets no cookie.
    rows_before = store.query('SELECT COUNT(*) FROM "_fluent_sessions"')[0][0]
    response = requests.get(base + "/login", timeout=30)
    rows_after = store.query('SELECT COUNT(*) FROM "_fluent_sessions"')[0][0]
    check("sessions", "anonymous GET /login sets no session cookie", COOKIE not in response.headers.get("set-cookie", ""),
          f"Set-Cookie: {response.headers.get('set-cookie')}")
    check("sessions", "anonymous GET /login writes no session row", rows_after == rows_before,
          f"{rows_before} rows before, {rows_after} after")

    # Session fixation: an id the attacker knows before the login never becomes the victim's session.
    attacker = Browser(base)
    attacker.http.get(base + "/login")
    planted = attacker.http.cookies.get(COOKIE)
    if planted is None:  # the server gave the attacker none: plant one in the shape of a real id
        planted = "cog5McOv71HJJdeDyeC4mCkTJnCA2TcPX03n+geyX/E="
    victim = Browser(base)
    victim.http.cookies.set(COOKIE, planted, domain="127.0.0.1", path="/")
    response = victim.login("xa.lanhdao", PASSWORD)
    check("sessions", "login with a planted cookie succeeds", response.status_code in (302, 303), f"answered {response.status_code}")
    after_login = victim.http.cookies.get(COOKIE)
    check("sessions", "the session cookie after login differs from the one sent before", after_login and after_login != planted,
          f"before {planted}, after {after_login}")
    replay = Browser(base)
    replay.http.cookies.set(COOKIE, planted, domain="127.0.0.1", path="/")
    check("sessions", "the planted id does not open the victim's account", not replay.signed_in())

    # Logout ends the session for whoever kept a copy of the cookie.
    copy = Browser(base)
    copy.http.cookies.set(COOKIE, after_login or "", domain="127.0.0.1", path="/")
    signed_before = copy.signed_in()
    victim.post("/logout")
    check("sessions", "after logout a copy of the session cookie is signed out", signed_before and not copy.signed_in(),
          f"copy signed in before logout: {signed_before}")

    # A password change ends the user's other sessions and revokes the API tokens.
    user = ctx["session_user"]
    one, two = Browser(base, user, "session-password-1"), Browser(base, user, "session-password-1")
    token = server.cli("users", "token", "--username", user, "--label", "blackbox", "--days", "1").stdout.strip().splitlines()[-1]
    api = Api(base, token)
    check("sessions", "setup: both sessions and the token work", one.signed_in() and two.signed_in() and
          api.get("/forms").status_code == 200)
    response = one.post("/password", {"current": "session-password-1", "new": "session-password-2", "confirm": "session-password-2"})
    check("sessions", "password change accepted", response.status_code == 200, f"answered {response.status_code}")
    check("sessions", "after a password change the other session is signed out", not two.signed_in())
    status = api.get("/forms").status_code
    check("sessions", "after a password change the API token is refused (401)", status == 401, f"answered {status}")
    check("sessions", "the session that changed the password stays signed in", one.signed_in())

    # An administrator's reset ends every session of the user and revokes the tokens.
    three = Browser(base, user, "session-password-2")
    token = server.cli("users", "token", "--username", user, "--label", "blackbox-2", "--days", "1").stdout.strip().splitlines()[-1]
    api = Api(base, token)
    user_id = store.query("SELECT id FROM users WHERE username = ?", (user,))[0][0]
    response = ctx["admin"].post(f"/admin/users/{str(user_id).upper()}/password", {"password": "session-password-3"})
    check("sessions", "administrator's reset accepted", response.status_code in (200, 302, 303), f"answered {response.status_code}")
    check("sessions", "after a reset the user's sessions are signed out", not three.signed_in() and not one.signed_in())
    status = api.get("/forms").status_code
    check("sessions", "after a reset the user's API token is refused (401)", status == 401, f"answered {status}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--only", default="", help="comma-separated check groups")
    args = parser.parse_args()
    store = Store("blackbox", os.environ.get("DATABASE_URL") or None)
    server = Server(args.bin, store, BAOCAO_DEMO="1", BAOCAO_DEMO_FIXTURE="1")
    crashed = False
    try:
        server.cli("migrate")
        server.cli("demo")
        server.cli("users", "create", "--username", "blackbox.xa", "--name", "Người thử phiên", "--role", "reporter",
                   "--unit", OWN_UNIT, "--password", "session-password-1")
        reporter_token = server.cli("users", "token", "--username", "xa.nhaplieu", "--label", "blackbox").stdout.strip().splitlines()[-1]
        leader_token = server.cli("users", "token", "--username", "xa.lanhdao", "--label", "blackbox").stdout.strip().splitlines()[-1]
        server.start()
        print(f"blackbox: {store.kind}, server at {server.base}")
        def report_of(unit):
            row = store.query("SELECT r.id FROM reports r JOIN assignments a ON a.id = r.assignment_id "
                              "WHERE r.unit_code = ? AND a.period_key = '2024-Q1'", (unit,))
            return str(row[0][0]).upper()
        reporter = Browser(server.base, "xa.nhaplieu")
        ctx = {
            "base": server.base, "store": store, "reporter": reporter, "admin": Browser(server.base, "admin"),
            "reporter_api": Api(server.base, reporter_token), "leader_api": Api(server.base, leader_token),
            "own_report": report_of(OWN_UNIT), "other_report": report_of(OTHER_UNIT), "session_user": "blackbox.xa",
        }
        ctx["own_template"] = reporter.get(f"/reports/{ctx['own_report']}/template.xlsx").content
        groups = [("access", lambda: access_across_units(ctx)), ("csrf", lambda: csrf(ctx)),
                  ("stale", lambda: stale_template(ctx)), ("note", lambda: note_only_save(ctx)),
                  ("formula", lambda: formula_injection(ctx)), ("limits", lambda: limits(ctx)),
                  ("hostile", lambda: hostile_files(ctx, server)), ("number", lambda: oversized_number(ctx, server)),
                  ("sessions", lambda: sessions(ctx, server))]
        only = {g for g in args.only.split(",") if g}
        for name, run in groups:
            if only and name not in only:
                continue
            if not server.alive():
                print(f"  (the server died: restarting it for {name})")
                crashed = True
                server.start()
                ctx["reporter"].refresh_csrf()
                ctx["admin"] = Browser(server.base, "admin")
            try:
                run()
            except Exception as error:
                check(name, f"{name} ran to the end", False, f"{type(error).__name__}: {error}")
    except Exception as error:
        check("setup", "setup", False, f"{type(error).__name__}: {error}")
    finally:
        server.stop()
        failed = [r for r in results if not r[2]]
        print(f"blackbox: {len(results) - len(failed)} of {len(results)} checks passed")
        if failed:
            print("blackbox: FAILED", file=sys.stderr)
            for group, name, _, detail in failed:
                print(f"  [{group}] {name}" + (f": {detail}" if detail else ""), file=sys.stderr)
            if crashed or any(r[0] in ("number", "hostile") for r in failed):
                print("last lines of the server log:\n" + server.log_tail(60), file=sys.stderr)
        store.close()
    return 1 if any(not r[2] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
