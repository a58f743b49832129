#!/usr/bin/env python3
"""The commune's Quý I/2024 e-government report, through the real pages in
headless Chromium: the reporter enters it with an error (6.3.2 above its total
6.3.1), sees it flagged on its row, fixes it, fills the required rows, saves
and asks for approval; the leader sends it; the province's reviewer accepts it.
Also checks the live ratio (6.3 follows 6.3.1 and 6.3.2 as they are typed) and
that Enter moves to the next input.

Usage: test_entry_flow.py BASE_URL [--screenshot PATH]. Exits non-zero on failure.
"""

import argparse
import shutil
import sys
import traceback

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

PASSWORD = "baocao2024"
COMMUNE = "UBND xã Thái Sơn"

# Every row a commune fills in the 2024 form, consistent (as in WorkflowTests).
COMPLETE = {
    "1": "1", "2": "2", "3": "100", "4": "2",
    "5.1.3": "100", "5.2": "100", "5.2.3": "100", "5.3.3": "100",
    "6.1.1": "28", "6.1.2": "28", "6.2.1": "20", "6.2.2": "18",
    "6.3.1": "1.200", "6.3.2": "1.100", "6.4.1": "300", "6.4.2": "250",
    "6.5.1": "91", "6.5.2": "91",
}


class Flow:
    def __init__(self, base, screenshot):
        self.base = base.rstrip("/")
        self.screenshot = screenshot
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1400,4200", "--lang=vi-VN", "--force-device-scale-factor=1"):
            options.add_argument(argument)
        service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
        self.driver = webdriver.Chrome(options=options, service=service)
        self.wait = WebDriverWait(self.driver, 20)

    # -- helpers

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def cell(self, code):
        return self.find(f'[name="v[{code}]"]')

    def row(self, code):
        return self.find(f'tr[data-code="{code}"]')

    def fill(self, code, text):
        element = self.cell(code)
        if element.tag_name == "select":
            Select(element).select_by_value(text)
        else:
            element.clear()
            element.send_keys(text)

    def click_and_wait_for_load(self, element):
        old = self.find("html")
        element.click()
        self.wait_for_new_page(old)

    def wait_for_new_page(self, old):
        # The old page is gone once its root element is. While Chromium swaps
        # documents it may answer "node does not belong to the document"
        # instead of "stale element": both mean the same here.
        def replaced(_driver):
            try:
                old.is_enabled()
                return False
            except (StaleElementReferenceException, WebDriverException):
                return True

        self.wait.until(replaced)

    def status(self):
        return self.find("p.meta strong").text

    def sign_in(self, username):
        self.driver.delete_all_cookies()
        self.driver.get(self.base + "/login")
        self.find('input[name="username"]').send_keys(username)
        self.find('input[name="password"]').send_keys(PASSWORD)
        self.click_and_wait_for_load(self.find('form[action="/login"] button[type="submit"]'))
        assert self.driver.current_url.rstrip("/") == self.base, f"{username}: not signed in ({self.driver.current_url})"
        assert "Đăng xuất" in self.find("header.top").text

    def sign_out(self):
        self.click_and_wait_for_load(self.find('form[action="/logout"] button'))
        assert "/login" in self.driver.current_url

    # -- the flow

    def run(self):
        d = self.driver

        # The reporter opens the commune's Quý I/2024 report from the home page.
        self.sign_in("xa.nhaplieu")
        rows = [r for r in d.find_elements(By.CSS_SELECTOR, "table.grid tbody tr")
                if "Quý I năm 2024" in r.text and "CQĐT/CQS (2024)" in r.text]
        assert len(rows) == 1, f"expected one Quý I/2024 e-government report on the home page, found {len(rows)}"
        self.click_and_wait_for_load(rows[0].find_element(By.LINK_TEXT, "Mở"))
        report_url = d.current_url
        assert "/reports/" in report_url
        assert COMMUNE in self.find("p.meta").text
        assert self.status() == "Chưa nhập", self.status()

        # Live ratio: 6.3 = 6.3.2 / 6.3.1 × 100, recomputed as the figures are typed.
        ratio = self.find('tr[data-code="6.3"] output')
        self.fill("6.3.1", "1.200")
        self.fill("6.3.2", "1.100")
        assert ratio.text == "91,67", f"6.3 shows {ratio.text!r} after 1.100 / 1.200"
        self.fill("6.3.2", "900")
        assert ratio.text == "75", f"6.3 shows {ratio.text!r} after 900 / 1.200"

        # Enter moves to the next input, as in a spreadsheet, and does not submit.
        self.cell("6.3.1").click()
        self.cell("6.3.1").send_keys(Keys.ENTER)
        active = d.switch_to.active_element
        assert active.get_attribute("name") == "v[6.3.2]", f"Enter moved to {active.get_attribute('name')!r}"
        assert d.current_url == report_url
        # Tab moves down the value column too (6.4 is computed: skipped), Shift+Tab back up.
        active.send_keys(Keys.TAB)
        active = d.switch_to.active_element
        assert active.get_attribute("name") == "v[6.4.1]", f"Tab moved to {active.get_attribute('name')!r}"
        active.send_keys(Keys.SHIFT + Keys.TAB)
        active = d.switch_to.active_element
        assert active.get_attribute("name") == "v[6.3.2]", f"Shift+Tab moved to {active.get_attribute('name')!r}"

        # An error: 6.3.2 above its total 6.3.1. The row is flagged at once…
        self.fill("6.3.2", "1.500")
        assert "has-error" in self.row("6.3.2").get_attribute("class"), "6.3.2 not flagged while typing"
        message = self.cell("6.3.2").get_attribute("validationMessage")
        assert "6.3.1" in message, f"browser validation message: {message!r}"
        # …and the browser will not submit it while it is wrong.
        old = self.find("html")
        self.find("#save").click()
        try:
            WebDriverWait(d, 2).until(EC.staleness_of(old))
            raise AssertionError("the form was submitted with 6.3.2 > 6.3.1")
        except TimeoutException:
            pass
        # Without JavaScript's check (a plain form post), the server saves it and flags it on its row.
        d.execute_script("document.getElementById('report-form').submit()")
        self.wait_for_new_page(old)
        row = self.row("6.3.2")
        assert "has-error" in row.get_attribute("class"), "the server did not flag 6.3.2"
        problem = row.find_element(By.CSS_SELECTOR, ".problem.error").text
        assert "lớn hơn tổng của nó" in problem, problem
        assert self.status() == "Đang nhập", self.status()

        # Fix it and fill every required row.
        for code, text in COMPLETE.items():
            self.fill(code, text)
        assert "has-error" not in self.row("6.3.2").get_attribute("class")
        assert self.find('tr[data-code="6.3"] output').text == "91,67"
        assert self.find('tr[data-code="6.1"] output').text == "100"
        self.click_and_wait_for_load(self.find("#save"))
        notice = self.find("p.notice").text
        assert "Đã lưu. Không có lỗi." in notice, notice
        assert self.find("p.summary").text.startswith("0 lỗi"), self.find("p.summary").text
        assert self.cell("6.3.2").get_attribute("value") == "1.100"
        assert not d.find_elements(By.CSS_SELECTOR, "tr.has-error"), "rows still flagged after the fix"
        if self.screenshot:
            d.save_screenshot(self.screenshot)
            print(f"e2e: screenshot of the filled, saved form: {self.screenshot}")

        self.click_and_wait_for_load(self.find("#ask-approval"))
        assert self.status() == "Chờ duyệt", self.status()
        self.sign_out()

        # The commune's leader sends it.
        self.sign_in("xa.lanhdao")
        d.get(report_url)
        self.click_and_wait_for_load(self.find("#send"))
        assert self.status() == "Đã gửi", self.status()
        self.sign_out()

        # The province's reviewer finds it on the monitoring page and accepts it.
        self.sign_in("sotttt")
        follow = d.find_elements(By.XPATH, "//tr[contains(., 'Quý I năm 2024')]//a[text()='Theo dõi']")
        assert len(follow) == 1, f"expected one Quý I/2024 assignment to follow, found {len(follow)}"
        self.click_and_wait_for_load(follow[0])
        commune = [r for r in d.find_elements(By.CSS_SELECTOR, "table.grid tbody tr") if COMMUNE in r.text]
        assert len(commune) == 1 and "Đã gửi" in commune[0].text, [r.text for r in commune]
        self.click_and_wait_for_load(commune[0].find_element(By.LINK_TEXT, "Xem"))
        assert d.current_url == report_url
        self.click_and_wait_for_load(self.find("#accept"))
        assert self.status() == "Đã tiếp nhận", self.status()
        assert self.find("p.meta strong").get_attribute("class") == "status-accepted"
        print("e2e: entered with an error, fixed, asked approval, sent, accepted: “Đã tiếp nhận”.")

    def fail_artifacts(self):
        try:
            self.driver.save_screenshot("/tmp/baocao-e2e-failure.png")
            with open("/tmp/baocao-e2e-failure.html", "w", encoding="utf-8") as page:
                page.write(self.driver.page_source)
            print("e2e: failure page at /tmp/baocao-e2e-failure.png and .html (URL "
                  f"{self.driver.current_url})", file=sys.stderr)
        except Exception:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--screenshot", default=None)
    args = parser.parse_args()
    flow = Flow(args.base, args.screenshot)
    try:
        flow.run()
    except Exception:
        traceback.print_exc()
        flow.fail_artifacts()
        return 1
    finally:
        flow.driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
