#!/usr/bin/env python3
"""Every role finds its way: in headless Chromium against the living demo
province (what `baocao serve` loads with BAOCAO_DEMO=1: hundreds of units, six
periods, a deadline ahead), each demo user's header menu (the entries its role uses, each answering a
page that is not an error), its home page ("what needs me now": sections,
counts, links), the calm form (no red before anything is typed), the phone
layout at 390 px (no sideways scrolling, inputs the full width, rows
stacked), print on A4 (the header and forms hidden, tables within the page)
and an accessibility audit with axe-core (bundled by the PyPI package
axe-selenium-python, injected from site-packages: no CDN) with no serious
or critical violation on the main pages. With --screenshots DIR it saves
small PNGs of the main pages, desktop and phone, for the README.

No count of the demo's data is written here: what a page must show is read
from another page (a home card's count from its section's badge, a section's
list from its badge and "Và N báo cáo khác", the report to open from the
user's own list, the period to picture from the consolidated page's coverage).

Usage: ui_walk.py BASE_URL [--screenshots DIR]. Exits non-zero on failure.
"""

import argparse
import glob
import json
import os
import re
import shutil
import sys
import traceback

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "baocao2024"
DESKTOP = (1280, 860)
PHONE = 390

# The menu each demo user must see (NavigationMenu), in order.
MENUS = {
    "xa.nhaplieu": ["home", "myReports", "openData"],
    "xa.lanhdao": ["home", "myReports", "toApprove", "targets", "openData"],
    "huyen.nhaplieu": ["home", "myReports", "openData"],
    "huyen.lanhdao": ["home", "myReports", "toApprove", "consolidated", "targets", "dashboards", "openData"],
    "so.nhaplieu": ["home", "myReports", "openData"],
    "so.lanhdao": ["home", "myReports", "toApprove", "targets", "openData"],
    "tinh.nhaplieu": ["home", "myReports", "openData"],
    "sotttt": ["home", "toReview", "monitoring", "consolidated", "targets", "dashboards", "openData"],
    "admin": ["home", "monitoring", "consolidated", "targets", "dashboards", "administration", "openData"],
}
# The home page's sections per role (WorkQueue.Kind).
SECTIONS = {
    "xa.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "xa.lanhdao": ["cho-duyet", "can-nhap", "bi-tra-lai"],
    "huyen.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "huyen.lanhdao": ["cho-duyet", "can-nhap", "bi-tra-lai"],
    "so.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "so.lanhdao": ["cho-duyet", "can-nhap", "bi-tra-lai"],
    "tinh.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "sotttt": ["cho-tiep-nhan", "qua-han"],
    "admin": ["qua-han"],
}
# Reporters, searched in this order for an untouched report (the calm form).
REPORTERS = ["xa.nhaplieu", "huyen.nhaplieu", "so.nhaplieu", "tinh.nhaplieu"]
# A home section lists at most this many reports, then "Và N báo cáo khác." (WorkQueue).
LISTED = 10


def axe_source():
    """axe.min.js as the axe-selenium-python package ships it."""
    import axe_selenium_python  # noqa: F401 (installed by e2e-chromium.sh)
    root = os.path.dirname(axe_selenium_python.__file__)
    found = glob.glob(os.path.join(root, "**", "axe.min.js"), recursive=True)
    if not found:
        sys.exit(f"ui: axe.min.js not found under {root}")
    with open(found[0], encoding="utf-8") as handle:
        return handle.read()


class Walk:
    def __init__(self, base, screenshots):
        self.base = base.rstrip("/")
        self.screenshots = screenshots
        self.axe = axe_source()
        self.audited = set()
        self.failures = []
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         f"--window-size={DESKTOP[0]},{DESKTOP[1]}", "--lang=vi-VN", "--force-device-scale-factor=1",
                         "--hide-scrollbars"):
            options.add_argument(argument)
        service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(options=options, service=service)
        self.wait = WebDriverWait(self.driver, 20)

    # -- helpers

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
            print(f"ui: FAIL {message}", file=sys.stderr)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def open(self, path):
        self.driver.get(path if path.startswith("http") else self.base + path)

    def is_error_page(self):
        return self.driver.title.startswith("Lỗi") or not self.finds("header.top")

    def click_and_wait(self, element):
        old = self.find("html")
        element.click()

        def replaced(_driver):
            try:
                old.is_enabled()
                return False
            except (StaleElementReferenceException, WebDriverException):
                return True

        self.wait.until(replaced)

    def sign_in(self, username):
        self.driver.delete_all_cookies()
        self.open("/login")
        self.find('input[name="username"]').send_keys(username)
        self.find('input[name="password"]').send_keys(PASSWORD)
        self.click_and_wait(self.find('form[action="/login"] button[type="submit"]'))
        assert self.driver.current_url.rstrip("/") == self.base, f"{username}: not signed in ({self.driver.current_url})"

    def viewport(self, width, height=None):
        self.driver.set_window_size(width, height or DESKTOP[1])
        # The window's inner width is what the page's media queries see.
        inner = self.driver.execute_script("return window.innerWidth")
        if inner != width:
            self.driver.set_window_size(width + (width - inner), height or DESKTOP[1])

    def shot(self, name):
        if not self.screenshots:
            return
        os.makedirs(self.screenshots, exist_ok=True)
        self.driver.execute_script("window.scrollTo(0, 0)")
        path = os.path.join(self.screenshots, name + ".png")
        self.driver.save_screenshot(path)
        try:  # a palette PNG is a third of the size; Pillow is optional
            from PIL import Image
            image = Image.open(path).convert("RGB").quantize(colors=64)
            image.save(path, optimize=True)
        except ImportError:
            pass
        print(f"ui: screenshot {path} ({os.path.getsize(path) // 1024} KB)")

    def audit(self, label):
        """axe-core on the page as shown: no serious or critical violation."""
        key = (label, self.driver.current_url.split("?")[0])
        if key in self.audited:
            return
        self.audited.add(key)
        self.driver.execute_script(self.axe)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(JSON.stringify(r.violations)); })"
            ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])); });")
        violations = json.loads(result)
        bad = [v for v in violations if v.get("impact") in ("serious", "critical")]
        minor = [v for v in violations if v not in bad]
        for v in bad:
            targets = "; ".join(",".join(n.get("target", [])) for n in v.get("nodes", [])[:3])
            self.check(False, f"axe {label}: {v['id']} ({v['impact']}): {v['help']} — {targets}")
        print(f"ui: axe {label}: {len(bad)} serious, {len(minor)} minor ({', '.join(v['id'] for v in minor) or 'none'})")

    def no_sideways_scroll(self, label):
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        inner = self.driver.execute_script("return window.innerWidth")
        self.check(width <= inner + 1, f"{label} at {inner} px scrolls sideways ({width} px wide)")

    # -- the walk

    def menu_and_home(self, user):
        self.sign_in(user)
        d = self.driver
        keys = [a.get_attribute("data-menu") for a in self.finds("nav.menu a")]
        self.check(keys == MENUS[user], f"{user}: menu {keys}, expected {MENUS[user]}")
        current = [a.get_attribute("data-menu") for a in self.finds('nav.menu a[aria-current="page"]')]
        self.check(current == ["home"], f"{user}: current menu entry on the home page is {current}")
        sections = [s.get_attribute("id") for s in self.finds("section.work-list")]
        self.check(sections == SECTIONS[user], f"{user}: home sections {sections}, expected {SECTIONS[user]}")
        badges, firsts = {}, []
        for section in self.finds("section.work-list"):
            key = section.get_attribute("id")
            badge_text = section.find_element(By.CSS_SELECTOR, ".badge").text
            self.check(badge_text.isdigit(), f"{user}: section {key} has no count ({badge_text!r})")
            badge = int(badge_text) if badge_text.isdigit() else -1
            badges[key] = badge
            listed = [a.get_attribute("href") for a in section.find_elements(By.CSS_SELECTOR, "li a")]
            self.check(len(listed) == min(badge, LISTED), f"{user}: {key} lists {len(listed)} of {badge}")
            more = section.find_elements(By.XPATH, ".//p[starts-with(normalize-space(.), 'Và ')]")
            said = int(more[0].text.split()[1].replace(".", "")) if more else 0
            self.check(said == max(badge - LISTED, 0), f"{user}: {key} has {badge}, lists {len(listed)}, says {said} more")
            if listed:
                firsts.append((key, listed[0]))
        cards = []
        for card in self.finds(".work-card a"):
            count = card.find_element(By.CSS_SELECTOR, ".count").text
            key, href = card.get_attribute("data-work"), card.get_attribute("href") or ""
            self.check(count.isdigit(), f"{user}: work card {card.text!r} has no count")
            self.check(bool(href), f"{user}: work card {card.text!r} has no link")
            # The card counts what its section lists: the same number, both read from the page.
            self.check(key in badges and count.isdigit() and int(count) == badges[key],
                       f"{user}: work card {key} says {count}, its section {badges.get(key)}")
            cards.append((key, href))
        self.check([key for key, _ in cards] == SECTIONS[user], f"{user}: work cards {[k for k, _ in cards]}")
        self.audit(f"{user} home")
        print(f"ui: {user}: menu {keys}; home " + ", ".join(
            f"{c.find_element(By.CSS_SELECTOR, '.label').text} {c.find_element(By.CSS_SELECTOR, '.count').text}"
            for c in self.finds(".work-card a")))
        links = [(a.get_attribute("data-menu"), a.get_attribute("href")) for a in self.finds("nav.menu a")]
        for key, href in links:
            self.open(href)
            self.check(not self.is_error_page(), f"{user}: menu {key} ({href}) shows an error: {d.title}")
            # Open data is public: its page has the public header, not the menu.
            if "#" not in href and key not in ("home", "openData"):
                marked = [a.get_attribute("data-menu") for a in self.finds('nav.menu a[aria-current="page"]')]
                self.check(marked == [key], f"{user}: on {href} the menu marks {marked}")
            if key in ("monitoring", "consolidated", "targets", "dashboards", "administration", "openData"):
                self.audit(f"{user} {key}")
        # Each card's link leads somewhere real: its section on the home page, or a page that is not an error.
        for key, href in cards:
            self.open(href)
            self.check(not self.is_error_page(), f"{user}: work card {key} ({href}) shows an error: {d.title}")
            if "#" in href:
                anchor = href.split("#", 1)[1]
                self.check(bool(self.finds(f'[id="{anchor}"]')), f"{user}: work card {key} points at #{anchor}, not on the page")
        # The first report each section lists opens (the rest are the same link with another id).
        for key, href in firsts:
            self.open(href)
            self.check(not self.is_error_page(), f"{user}: {key}'s first report ({href}) shows an error: {d.title}")

    def own_reports(self):
        """The signed-in user's unit reports on its home page: (status, link), in the page's order."""
        rows = []
        for row in self.finds("#bao-cao-cua-toi + table tbody tr"):
            status = row.find_element(By.CSS_SELECTOR, 'td[data-label="Trạng thái"]').text.strip()
            rows.append((status, row.find_element(By.LINK_TEXT, "Mở").get_attribute("href")))
        return rows

    def calm_form(self):
        """An untouched report (of the first reporter who has one): no red; the reminders counted;
        other levels' rows are text."""
        d = self.driver
        untouched = None
        for user in REPORTERS:
            self.sign_in(user)
            found = [href for status, href in self.own_reports() if status == "Chưa nhập"]
            if found:
                untouched = (user, found[0])
                break
        if untouched is None:
            self.check(False, f"no reporter ({', '.join(REPORTERS)}) has an untouched report to open")
            return
        self.open(untouched[1])
        self.check(not self.is_error_page(), f"{untouched[0]}'s untouched report shows an error: {d.title}")
        self.check(not self.finds("tr.has-error"), "an untouched report shows red rows")
        self.check("Chưa nhập chỉ tiêu bắt buộc" not in d.page_source, "an untouched report shows missing-required errors")
        summary = self.find("p.summary").text
        self.check(summary.startswith("0 lỗi") and "chỉ tiêu bắt buộc chưa nhập" in summary, f"summary: {summary!r}")
        reminders = len(self.finds("tr.missing-required"))
        self.check(reminders > 0, "an untouched report has no reminder row")
        self.check(f"Còn {reminders} chỉ tiêu bắt buộc" in summary, f"{reminders} reminder rows but summary {summary!r}")
        for row in self.finds("tr.not-applicable"):
            inputs = row.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select")
            self.check(not inputs, f"row {row.get_attribute('data-code')} of another level has inputs")
        self.labelled("untouched report")
        self.audit("report form")
        print(f"ui: calm form: {untouched[0]}'s untouched report: {summary!r}")

    def labelled(self, label):
        unlabelled = self.driver.execute_script("""
            return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(function (e) {
              return !(e.getAttribute('aria-label') || e.labels && e.labels.length || e.getAttribute('aria-labelledby'));
            }).map(function (e) { return e.name; });""")
        self.check(not unlabelled, f"{label}: inputs without a label: {unlabelled}")

    def draft_being_entered(self):
        """The commune reporter's report being entered (its figures half typed), else its first report."""
        self.sign_in("xa.nhaplieu")
        rows = self.own_reports()
        self.check(bool(rows), "xa.nhaplieu has no report")
        drafts = [href for status, href in rows if status == "Đang nhập"]
        return drafts[0] if drafts else (rows[0][1] if rows else None)

    def entry_form(self, report_url):
        """The commune's draft on the desktop: the page the README shows for data entry."""
        if not report_url:
            return
        self.open(report_url)
        self.check(not self.is_error_page(), f"the commune's draft shows an error: {self.driver.title}")
        typed = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('td.value input:not([type=hidden])'))"
            ".filter(function (i) { return i.value.trim() !== ''; }).length")
        summary = self.find("p.summary").text if self.finds("p.summary") else ""
        print(f"ui: the commune's draft: {typed} values typed; {summary!r}")
        self.labelled("the commune's draft")
        self.audit("report form")
        self.shot("report-form")

    def first_assignment(self):
        """The monitoring list's first assignment (the latest deadline) and the list's deadline hints."""
        self.open("/monitor")
        hints = [h.text for h in self.finds("table.monitor-index td[data-label='Hạn gửi'] .hint")]
        links = self.finds("table.monitor-index a[href$='/monitor']")
        self.check(bool(links), "the monitoring list has no assignment")
        return (links[0].get_attribute("href") if links else None), hints

    def phone(self, report_url):
        d = self.driver
        self.viewport(PHONE, 844)
        try:
            # Data entry: rows stacked, inputs the full width of their row.
            self.sign_in("xa.nhaplieu")
            self.shot("phone-home")
            self.no_sideways_scroll("home (reporter)")
            if report_url:
                self.open(report_url)
                self.no_sideways_scroll("data entry")
                widths = d.execute_script("""
                    var input = document.querySelector('td.value input:not([type=hidden])');
                    var row = input && input.closest('tr');
                    return input ? [input.getBoundingClientRect().width, row.getBoundingClientRect().width,
                                    getComputedStyle(input.closest('td')).display] : null;""")
                self.check(widths is not None, "no value input on the phone")
                if widths:
                    self.check(widths[2] == "block", f"data-entry cells are not stacked ({widths[2]})")
                    self.check(widths[0] >= widths[1] - 24, f"value input {widths[0]:.0f} px in a {widths[1]:.0f} px row")
                self.shot("phone-report-form")
            # Approval: the leader's own unit's first report.
            self.sign_in("xa.lanhdao")
            rows = self.own_reports()
            self.check(bool(rows), "xa.lanhdao has no report")
            if rows:
                self.open(rows[0][1])
                self.no_sideways_scroll("approval (leader)")
            # Monitoring: the list and one assignment.
            self.sign_in("sotttt")
            follow, hints = self.first_assignment()
            self.no_sideways_scroll("monitoring list")
            self.shot("phone-monitor")
            if follow:
                self.open(follow)
                self.no_sideways_scroll("monitoring")
                self.audit("phone monitoring")
        finally:
            self.viewport(*DESKTOP)

    def best_consolidated(self):
        """The consolidated page of the period with the widest coverage ("Báo cáo được tính: a/b"),
        the most recent on a tie: real figures from many units, whatever the demo's date."""
        self.open("/consolidated")
        form = self.driver.execute_script("var s = document.querySelector('select[name=form]'); return s ? s.value : ''")
        periods = [o.get_attribute("value") for o in self.finds("select[name=period] option")]
        best, best_share, seen = "/consolidated", -1.0, []
        for period in periods:
            path = f"/consolidated?form={form}&period={period}"
            self.open(path)
            found = re.search(r"Báo cáo được tính: ([\d.]+)/([\d.]+)", self.find("main").text)
            if not found:
                self.check(False, f"consolidated {period}: no coverage line")
                continue
            counted, assigned = (int(g.replace(".", "")) for g in found.groups())
            seen.append(f"{period} {counted}/{assigned}")
            share = counted / assigned if assigned else 0.0
            if share > best_share:
                best, best_share = path, share
        self.check(best_share > 0, f"no period has a consolidated report counted: {seen}")
        print(f"ui: consolidated coverage {', '.join(seen)}: showing {best}")
        return best

    def best_dashboard(self):
        """The dashboard of the period whose chart table has the most units, the most recent on a tie."""
        self.open("/dashboard")
        form = self.driver.execute_script("var s = document.querySelector('select[name=form]'); return s ? s.value : ''")
        periods = [o.get_attribute("value") for o in self.finds("select[name=period] option")]
        best, most, seen = "/dashboard", -1, []
        for period in periods:
            path = f"/dashboard?form={form}&period={period}"
            self.open(path)
            self.check(not self.is_error_page(), f"dashboard {period} shows an error")
            tables = self.finds("main table")
            rows = len(tables[0].find_elements(By.CSS_SELECTOR, "tbody tr")) if tables else 0
            seen.append(f"{period} {rows}")
            if rows > most:
                best, most = path, rows
        self.check(most > 0, f"no dashboard period has a row: {seen}")
        print(f"ui: dashboard rows per period {', '.join(seen)}: showing {best}")
        return best

    def print_a4(self, consolidated):
        """The consolidated table, the targets table and the monitoring page on A4."""
        d = self.driver
        self.sign_in("sotttt")
        follow, _ = self.first_assignment()
        pages = [("consolidated", consolidated), ("targets", "/targets")] + ([("monitoring", follow)] if follow else [])
        for label, path in pages:
            self.open(path)
            self.check(not self.is_error_page(), f"print: {label} shows an error")
            d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
            try:
                header = d.execute_script("return getComputedStyle(document.querySelector('header.top')).display")
                self.check(header == "none", f"print {label}: the header is printed")
                pdf = d.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True})
                self.check(len(pdf.get("data", "")) > 1000, f"print {label}: no PDF")
                # A4 at 96 px/in minus the 12 mm margins: about 703 px for the content.
                d.set_window_size(720, DESKTOP[1])
                wide = d.execute_script("return document.documentElement.scrollWidth")
                self.check(wide <= 740, f"print {label}: {wide} px wide, wider than A4")
                # No column squeezed to a few letters: a long text's cell keeps a readable width.
                narrow = d.execute_script("""
                    return Array.from(document.querySelectorAll('table.grid tbody td')).slice(0, 200).filter(function (td) {
                      return td.textContent.trim().length > 30 && td.getBoundingClientRect().width < 90;
                    }).map(function (td) { return td.textContent.trim().slice(0, 30); });""")
                self.check(not narrow, f"print {label}: squeezed columns: {narrow[:3]}")
            finally:
                d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
                self.viewport(*DESKTOP)
        print(f"ui: printed on A4: {', '.join(label for label, _ in pages)}")

    def desktop_screenshots(self, consolidated, dashboard):
        if not self.screenshots:
            return
        self.sign_in("sotttt")
        self.shot("home-reviewer")
        follow, hints = self.first_assignment()
        # The living demo has a deadline ahead: the list says how many days are left.
        ahead = [h for h in hints if re.fullmatch(r"\(còn [\d.]+ ngày\)", h)]
        self.check(bool(ahead), f"the monitoring list shows no deadline ahead ('còn N ngày'): {hints}")
        print(f"ui: monitoring list deadlines: {', '.join(hints)}")
        if follow:
            self.open(follow)
            self.shot("monitor")
        self.open(consolidated)
        self.shot("consolidated")
        self.open("/targets")
        self.shot("targets")
        self.open(dashboard)
        self.shot("dashboard")
        self.sign_in("xa.nhaplieu")
        self.shot("home-reporter")

    def audit_finds_a_known_violation(self):
        """The audit itself: an unlabelled input added to the login page must be reported."""
        self.open("/login")
        self.driver.execute_script("var i = document.createElement('input'); i.id = 'axe-probe'; document.body.appendChild(i);")
        self.driver.execute_script(self.axe)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'rule', values: ['label']}})"
            ".then(function (r) { done(JSON.stringify(r.violations)); })"
            ".catch(function (e) { done(JSON.stringify([{id: 'axe-error: ' + e}])); });")
        found = [v["id"] for v in json.loads(result)]
        assert "label" in found, f"axe did not report an unlabelled input: {found}"
        version = self.driver.execute_script("return axe.version")
        print(f"ui: axe-core {version} reports an unlabelled input added on purpose: the audit works")

    def run(self):
        self.audit_finds_a_known_violation()
        for user in MENUS:
            self.menu_and_home(user)
        self.calm_form()
        draft = self.draft_being_entered()
        self.entry_form(draft)
        self.phone(draft)
        self.sign_in("sotttt")
        consolidated, dashboard = self.best_consolidated(), self.best_dashboard()
        self.print_a4(consolidated)
        self.desktop_screenshots(consolidated, dashboard)
        if self.failures:
            raise AssertionError(f"{len(self.failures)} failure(s):\n  " + "\n  ".join(self.failures))
        print(f"ui: {len(MENUS)} roles' menus and home pages, the calm form, 390 px, A4 and "
              f"{len(self.audited)} axe audits: no serious violation.")

    def fail_artifacts(self):
        try:
            self.driver.save_screenshot("/tmp/baocao-ui-failure.png")
            with open("/tmp/baocao-ui-failure.html", "w", encoding="utf-8") as page:
                page.write(self.driver.page_source)
            print(f"ui: failure page at /tmp/baocao-ui-failure.png and .html ({self.driver.current_url})", file=sys.stderr)
        except Exception:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--screenshots", default=None)
    args = parser.parse_args()
    walk = Walk(args.base, args.screenshots)
    try:
        walk.run()
    except Exception:
        traceback.print_exc()
        walk.fail_artifacts()
        return 1
    finally:
        walk.driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
