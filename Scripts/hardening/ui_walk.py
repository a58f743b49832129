#!/usr/bin/env python3
"""Every role finds its way: in headless Chromium against the demo server,
each demo user's header menu (the entries its role uses, each answering a
page that is not an error), its home page ("what needs me now": sections,
counts, links), the calm form (no red before anything is typed), the phone
layout at 390 px (no sideways scrolling, inputs the full width, rows
stacked), print on A4 (the header and forms hidden, tables within the page)
and an accessibility audit with axe-core (bundled by the PyPI package
axe-selenium-python, injected from site-packages: no CDN) with no serious
or critical violation on the main pages. With --screenshots DIR it saves
small PNGs of the main pages, desktop and phone, for the README.

Usage: ui_walk.py BASE_URL [--screenshots DIR]. Exits non-zero on failure.
"""

import argparse
import glob
import json
import os
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
    "huyen.lanhdao": ["home", "myReports", "toApprove", "consolidated", "targets", "dashboards", "openData"],
    "tinh.nhaplieu": ["home", "myReports", "openData"],
    "sotttt": ["home", "toReview", "monitoring", "consolidated", "targets", "dashboards", "openData"],
    "admin": ["home", "monitoring", "consolidated", "targets", "dashboards", "administration", "openData"],
}
# The home page's sections per role (WorkQueue.Kind).
SECTIONS = {
    "xa.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "xa.lanhdao": ["cho-duyet", "can-nhap", "bi-tra-lai"],
    "huyen.lanhdao": ["cho-duyet", "can-nhap", "bi-tra-lai"],
    "tinh.nhaplieu": ["can-nhap", "bi-tra-lai"],
    "sotttt": ["cho-tiep-nhan", "qua-han"],
    "admin": ["qua-han"],
}


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
        for card in self.finds(".work-card a"):
            count = card.find_element(By.CSS_SELECTOR, ".count").text
            self.check(count.isdigit(), f"{user}: work card {card.text!r} has no count")
            self.check(bool(card.get_attribute("href")), f"{user}: work card {card.text!r} has no link")
        for section in self.finds("section.work-list"):
            badge = int(section.find_element(By.CSS_SELECTOR, ".badge").text)
            listed = len(section.find_elements(By.CSS_SELECTOR, "li a"))
            self.check(listed == min(badge, 10), f"{user}: {section.get_attribute('id')} lists {listed} of {badge}")
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

    def calm_form(self):
        """The reporter's untouched report: no red; the reminders counted; other levels' rows are text."""
        self.sign_in("xa.nhaplieu")
        d = self.driver
        untouched = None
        for row in self.finds("#bao-cao-cua-toi + table tbody tr"):
            if "Chưa nhập" in row.text:
                untouched = row.find_element(By.LINK_TEXT, "Mở").get_attribute("href")
                break
        if untouched is None:
            self.check(False, "xa.nhaplieu has no untouched report to open")
            return None
        self.open(untouched)
        self.check(not self.finds("tr.has-error"), "an untouched report shows red rows")
        self.check("Chưa nhập chỉ tiêu bắt buộc" not in d.page_source, "an untouched report shows missing-required errors")
        summary = self.find("p.summary").text
        self.check(summary.startswith("0 lỗi") and "chỉ tiêu bắt buộc chưa nhập" in summary, f"summary: {summary!r}")
        reminders = len(self.finds("tr.missing-required"))
        self.check(f"Còn {reminders} chỉ tiêu bắt buộc" in summary, f"{reminders} reminder rows but summary {summary!r}")
        for row in self.finds("tr.not-applicable"):
            inputs = row.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select")
            self.check(not inputs, f"row {row.get_attribute('data-code')} of another level has inputs")
        unlabelled = d.execute_script("""
            return Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(function (e) {
              return !(e.getAttribute('aria-label') || e.labels && e.labels.length || e.getAttribute('aria-labelledby'));
            }).map(function (e) { return e.name; });""")
        self.check(not unlabelled, f"inputs without a label: {unlabelled}")
        self.audit("report form")
        self.shot("report-form")
        return untouched

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
            # Approval: the leader's report page.
            self.sign_in("xa.lanhdao")
            if report_url:
                self.open(report_url)
                self.no_sideways_scroll("approval (leader)")
            # Monitoring: the list and one assignment.
            self.sign_in("sotttt")
            self.open("/monitor")
            self.no_sideways_scroll("monitoring list")
            self.shot("phone-monitor")
            follow = self.finds("table.monitor-index a[href$='/monitor']")
            if follow:
                self.open(follow[0].get_attribute("href"))
                self.no_sideways_scroll("monitoring")
                self.audit("phone monitoring")
        finally:
            self.viewport(*DESKTOP)

    def print_a4(self):
        """The consolidated table, the targets table and the monitoring page on A4."""
        d = self.driver
        self.sign_in("sotttt")
        follow = None
        self.open("/monitor")
        links = self.finds("table.monitor-index a[href$='/monitor']")
        if links:
            follow = links[0].get_attribute("href")
        pages = [("consolidated", "/consolidated"), ("targets", "/targets")] + ([("monitoring", follow)] if follow else [])
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

    def desktop_screenshots(self):
        if not self.screenshots:
            return
        self.sign_in("sotttt")
        self.shot("home-reviewer")
        self.open("/monitor")
        links = self.finds("table.monitor-index a[href$='/monitor']")
        if links:
            self.open(links[0].get_attribute("href"))
            self.shot("monitor")
        self.open("/consolidated")
        self.shot("consolidated")
        self.open("/targets")
        self.shot("targets")
        self.open("/dashboard")
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
        report_url = self.calm_form()
        self.phone(report_url)
        self.print_a4()
        self.desktop_screenshots()
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
