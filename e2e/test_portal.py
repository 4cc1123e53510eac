"""End-to-end tests of the customer portal and the staff side in a real headless Chromium
(WebDriver).

Starts `portal serve` on a free port with a fresh data directory (SQLite, demo world), then
walks through what a customer does: log in, list, switch view, search, open a ticket, reply
with two attachments, close, export CSV and check the file, file a new ticket, change
language, log out. On a second server, the staff side: the set-up wizard, the column editor
(drag and drop, and its buttons) and answering a ticket from the inbox, each checked in the
customer's portal.

    python3 e2e/test_portal.py --binary target/debug/portal
"""

import argparse
import csv
import email
import email.policy
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BINARY = "target/debug/portal"
# axe-core, which scripts/test installs (ensure_axe in scripts/lib.sh).
AXE_JS = os.environ.get("PORTAL_AXE_JS", os.path.expanduser("~/.cache/portal/axe/node_modules/axe-core/axe.min.js"))
PASSWORD = "portal-demo-2026"


class Server:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="portal-e2e-")
        env = dict(os.environ, PORTAL_LISTEN="127.0.0.1:0", PORTAL_DATA_DIR=self.dir, PORTAL_LOG="warn")
        env.pop("PORTAL_DATABASE_URL", None)
        env.pop("PORTAL_BASE_URL", None)
        self.proc = subprocess.Popen([binary, "serve"], env=env, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.base = None
        deadline = time.time() + 120
        lines = []
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"customer portal: (\S+)", line)
            if m:
                self.base = m.group(1).rstrip("/")
                break
        if not self.base:
            self.stop()
            raise RuntimeError("portal did not start:\n" + "".join(lines))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def browser(downloads):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--window-size=1280,1000", "--user-data-dir=" + tempfile.mkdtemp(prefix="portal-chrome-"),
                 "--lang=en-US"]:
        opts.add_argument(flag)
    opts.add_experimental_option("prefs", {"download.default_directory": downloads, "intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    driver.implicitly_wait(2)
    driver.set_script_timeout(30)
    return driver


class CustomerJourney(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY)
        cls.downloads = tempfile.mkdtemp(prefix="portal-dl-")
        cls.files = tempfile.mkdtemp(prefix="portal-up-")
        cls.driver = browser(cls.downloads)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.server.stop()
        shutil.rmtree(cls.downloads, ignore_errors=True)
        shutil.rmtree(cls.files, ignore_errors=True)

    def go(self, path):
        self.driver.get(self.server.base + path)

    def settle(self):
        """Waits until the current document has loaded completely."""
        WebDriverWait(self.driver, 10).until(lambda drv: drv.execute_script("return document.readyState") == "complete")

    def text(self):
        """The text of the loaded page (a navigation may replace the body while it is read)."""
        for _ in range(50):
            self.settle()
            try:
                return self.driver.find_element(By.TAG_NAME, "body").text
            except StaleElementReferenceException:
                time.sleep(0.1)
            except WebDriverException as e:
                if "does not belong to the document" not in str(e):
                    raise
                time.sleep(0.1)
        self.fail("the page never settled")

    def settle_after(self, condition):
        WebDriverWait(self.driver, 10).until(condition)
        self.settle()

    def wait_for_text(self, fragment):
        def body_text(drv):
            try:
                return drv.find_element(By.TAG_NAME, "body").text
            except StaleElementReferenceException:
                return ""
            except WebDriverException as e:
                # Chromium's name for a stale element of a document a navigation replaced.
                if "does not belong to the document" in str(e):
                    return ""
                raise

        WebDriverWait(self.driver, 10).until(lambda drv: fragment in body_text(drv))
        self.settle()

    def login(self, email):
        self.go("/tickets")
        self.assertIn("/login", self.driver.current_url)
        self.driver.find_element(By.ID, "email").send_keys(email)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.settle_after(lambda drv: "/login" not in drv.current_url)
        self.assertIn("/tickets", self.driver.current_url)

    def fits(self, label, shots):
        """Asserts the page is no wider than the window, and keeps a screenshot of it."""
        self.settle()
        width, scroll = self.driver.execute_script(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth]")
        self.assertLessEqual(scroll, width, f"{label}: {scroll} px of content in a {width} px window")
        path = os.path.join(shots, re.sub(r"[^a-z0-9]+", "-", label.lower()) + ".png")
        self.assertTrue(self.driver.save_screenshot(path), label)
        self.assertGreater(os.path.getsize(path), 1000, label)

    def accessible(self, label):
        """Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the loaded page and fails on any
        violation of serious or critical impact."""
        self.settle()
        with open(AXE_JS, encoding="utf-8") as f:
            self.driver.execute_script(f.read())
        result = self.driver.execute_async_script("""
            var done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
              .then(function (r) { done(r.violations.map(function (v) {
                  return {id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(function (n) { return n.html; })}; })); })
              .catch(function (e) { done([{id: "axe failed", impact: "critical", nodes: [String(e)]}]); });
        """)
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        self.assertEqual(bad, [], f"{label}: axe found {bad}")

    def at_sizes(self, pages):
        """Every page at phone (390×844) and desktop (1366×900) size."""
        shots = tempfile.mkdtemp(prefix="portal-shots-", dir=self.downloads)
        try:
            for (w, h) in [(390, 844), (1366, 900)]:
                self.driver.set_window_size(w, h)
                for label, open_page in pages:
                    open_page()
                    self.fits(f"{label} at {w}x{h}", shots)
        finally:
            self.driver.set_window_size(1280, 1000)
            shutil.rmtree(shots, ignore_errors=True)

    def count(self):
        text = self.driver.find_element(By.CSS_SELECTOR, "p.count").text
        return int(re.search(r"([\d,]+) tickets?\b", text).group(1).replace(",", ""))

    def rows(self):
        return self.driver.find_elements(By.CSS_SELECTOR, "table.tickets tbody tr")

    def test_the_whole_customer_journey(self):
        d = self.driver
        # Log in as Anna (company access: organization view).
        self.login("anna@acme.example")
        self.assertEqual(d.title, "Tickets · Acme Support")
        org = self.count()
        self.assertGreater(org, 100)
        self.assertEqual(len(self.rows()), 25)
        # Switch view: "My tickets" shows only Anna's, fewer than the organization's.
        # Choosing in a menu changes nothing until the form is applied (WCAG 3.2.2).
        Select(d.find_element(By.ID, "view")).select_by_value("mine")
        self.assertNotIn("view=mine", d.current_url)
        d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        self.settle_after(EC.url_contains("view=mine"))
        mine = self.count()
        self.assertLess(mine, org)
        for row in self.rows():
            self.assertIn("Anna Berg", row.text)
        # Search.
        Select(d.find_element(By.ID, "view")).select_by_value("organization")
        d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        self.settle_after(EC.url_contains("view=organization"))
        box = d.find_element(By.ID, "q")
        box.send_keys("VPN")
        d.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
        self.settle_after(EC.url_contains("q=VPN"))
        found = self.count()
        self.assertGreater(found, 0)
        for row in self.rows():
            self.assertIn("VPN", row.text)
        # Export the current view and check the file.
        d.find_element(By.LINK_TEXT, "Export to CSV").click()
        path = None
        for _ in range(100):
            done = [f for f in os.listdir(self.downloads) if f.endswith(".csv")]
            if done:
                path = os.path.join(self.downloads, done[0])
                break
            time.sleep(0.1)
        self.assertIsNotNone(path, "the CSV was downloaded")
        time.sleep(0.3)
        with open(path, newline="", encoding="utf-8") as f:
            table = list(csv.reader(f))
        self.assertEqual(table[0][:2], ["Subject", "Requested by"])
        self.assertEqual(len(table) - 1, found)
        self.assertTrue(all("VPN" in r[0] for r in table[1:]))
        # Open an open ticket of Anna's.
        self.go("/tickets?view=mine&status=open")
        link = d.find_element(By.CSS_SELECTOR, "table.tickets tbody tr td a")
        subject = link.text
        link.click()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, subject)
        self.assertNotIn("Internal:", self.text())
        ticket_url = d.current_url
        # Reply with text styling and two attachments.
        a = os.path.join(self.files, "error-log.txt")
        b = os.path.join(self.files, "photo.png")
        with open(a, "w") as f:
            f.write("E-52 at 08:14\n")
        with open(b, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        d.find_element(By.ID, "body").send_keys("It is **still** broken.")
        d.find_element(By.ID, "files").send_keys(a + "\n" + b)
        d.find_element(By.CSS_SELECTOR, "form.reply button[type=submit]").click()
        self.settle_after(EC.url_contains("done=replied"))
        self.assertIn("Your reply was sent.", self.text())
        last = d.find_elements(By.CSS_SELECTOR, "ol.messages li.message")[-1]
        self.assertEqual(last.find_element(By.CSS_SELECTOR, ".body strong").text, "still")
        names = [x.text for x in last.find_elements(By.CSS_SELECTOR, ".attachments a")]
        self.assertEqual(names, ["error-log.txt", "photo.png"])
        # The reply's time reads "now"; the exact time is its title (issue 18).
        when = last.find_element(By.CSS_SELECTOR, "time[data-relative]")
        self.assertTrue(when.get_attribute("title"), "exact time on hover")
        self.assertNotEqual(when.text, when.get_attribute("title"))
        self.assertIn(when.text, ["now", "1 second ago", "1 minute ago"] + [f"{n} seconds ago" for n in range(60)])
        # The notice is a toast that can be dismissed.
        toast = d.find_element(By.CSS_SELECTOR, "p.notice.toast")
        toast.find_element(By.CSS_SELECTOR, "button.toast-close").click()
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "p.notice"), [])
        # Close it.
        d.find_element(By.CSS_SELECTOR, "form.close button").click()
        self.settle_after(EC.url_contains("done=closed"))
        self.assertIn("The ticket is closed.", self.text())
        self.assertIn("Closed", d.find_element(By.CSS_SELECTOR, "dl.props").text)
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "form.reply"), [])
        self.assertTrue(ticket_url)
        # File a new support ticket.
        d.find_element(By.LINK_TEXT, "File a support ticket").click()
        d.find_element(By.ID, "subject").send_keys("Projector in room 4 flickers")
        d.find_element(By.ID, "description").send_keys("Since Monday, every few minutes.")
        Select(d.find_element(By.ID, "field-priority")).select_by_value("high")
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.settle_after(EC.url_contains("done=created"))
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "Projector in room 4 flickers")
        self.assertIn("Your ticket was created.", self.text())
        self.go("/tickets?q=projector")
        self.assertEqual(self.count(), 1)
        # Change the language to German.
        Select(d.find_element(By.ID, "lang-select")).select_by_value("de")
        d.find_element(By.CSS_SELECTOR, "form.lang button").click()
        self.wait_for_text("Abmelden")
        self.assertIn("Tickets der Organisation", self.text())
        self.assertEqual(d.find_element(By.TAG_NAME, "html").get_attribute("lang"), "de")
        # Log out.
        d.find_element(By.XPATH, "//button[normalize-space()='Abmelden']").click()
        self.settle_after(EC.url_contains("/login"))
        self.assertIn("Sie sind abgemeldet.", self.text())
        self.go("/tickets")
        self.assertIn("/login", d.current_url)

    def confirmation_link(self, address):
        """The link in the confirmation mail the server wrote into its data directory."""
        deadline = time.time() + 20
        while time.time() < deadline:
            for path in sorted(glob.glob(os.path.join(self.server.dir, "mail", "*.eml"))):
                with open(path, "rb") as f:
                    msg = email.message_from_binary_file(f, policy=email.policy.default)
                if msg["To"] == address:
                    body = msg.get_body(preferencelist=("plain",)).get_content()
                    m = re.search(r"(http://\S+/confirm/[0-9a-f]{64})", body)
                    if m:
                        return m.group(1)
            time.sleep(0.2)
        self.fail("no confirmation mail for " + address)

    def test_a_new_customer_registers_confirms_and_logs_in(self):
        d = self.driver
        d.delete_all_cookies()
        self.go("/login")
        d.find_element(By.LINK_TEXT, "No login yet? Create an account").click()
        d.find_element(By.ID, "first_name").send_keys("Eva")
        d.find_element(By.ID, "last_name").send_keys("Nieminen")
        d.find_element(By.ID, "email").send_keys("eva@new.example")
        d.find_element(By.ID, "password").send_keys("a brand new passphrase")
        # The consent box must be ticked: the browser refuses to submit without it.
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.assertNotIn("Almost done", self.text())
        d.find_element(By.NAME, "consent").click()
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.wait_for_text("Almost done")
        link = self.confirmation_link("eva@new.example")
        self.assertTrue(link.startswith(self.server.base + "/confirm/"), link)
        d.get(link)
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.settle_after(EC.url_contains("confirmed=1"))
        self.assertIn("Your email address is confirmed.", self.text())
        d.find_element(By.ID, "email").send_keys("eva@new.example")
        d.find_element(By.ID, "password").send_keys("a brand new passphrase")
        d.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.settle_after(lambda drv: "/login" not in drv.current_url)
        text = self.text()
        self.assertIn("0 tickets", text)
        # A new customer is welcomed with the next step, not told "No tickets match."
        self.assertIn("Welcome! You have no tickets yet.", text)
        self.assertNotIn("No tickets match.", text)
        d.delete_all_cookies()

    def test_customer_pages_fit_a_phone_and_a_desktop(self):
        self.driver.delete_all_cookies()
        self.login("anna@acme.example")
        self.addCleanup(self.driver.delete_all_cookies)
        first = self.rows()[0].find_element(By.CSS_SELECTOR, "td.subject a").get_attribute("href")
        self.at_sizes([
            ("list", lambda: self.go("/tickets")),
            ("detail", lambda: self.driver.get(first)),
            ("new ticket", lambda: self.go("/new")),
            ("account", lambda: self.go("/account")),
        ])
        # On a phone every ticket is a card: its row is no wider than the window and the
        # table's header row is not shown.
        self.driver.set_window_size(390, 844)
        try:
            self.go("/tickets")
            self.settle()
            width = self.driver.execute_script("return document.documentElement.clientWidth")
            row = self.rows()[0]
            self.assertLessEqual(row.size["width"], width)
            # The header row is only for screen readers there (one pixel, clipped).
            self.assertLessEqual(self.driver.find_element(By.CSS_SELECTOR, "table.tickets thead").size["height"], 1)
        finally:
            self.driver.set_window_size(1280, 1000)
            self.driver.delete_all_cookies()

    def test_the_home_page_leads_to_search_a_new_ticket_and_the_latest_tickets(self):
        d = self.driver
        d.delete_all_cookies()
        self.addCleanup(d.delete_all_cookies)
        self.login("anna@acme.example")
        latest = [r.find_element(By.CSS_SELECTOR, "td.subject a").text for r in self.rows()[:5]]
        d.find_element(By.CSS_SELECTOR, "a.name").click()
        self.settle()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, "How can we help?")
        recent = [a.text for a in d.find_elements(By.CSS_SELECTOR, "ul.recent a.subject")]
        self.assertEqual(recent, latest)
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, "ul.recent .badge")), len(recent))
        # Search from the home lands on the list with the search as a removable chip.
        d.find_element(By.ID, "home-q").send_keys("printer")
        d.find_element(By.CSS_SELECTOR, "form.home-search button").click()
        self.settle_after(EC.url_contains("q=printer"))
        chip = d.find_element(By.CSS_SELECTOR, "ul.chips a.chip")
        self.assertIn("Search: printer", chip.text)
        chip.click()
        self.settle_after(lambda drv: "printer" not in drv.current_url)
        self.assertEqual(d.find_elements(By.CSS_SELECTOR, "ul.chips"), [])
        self.at_sizes([("home", lambda: self.go("/"))])
        # Dark mode follows the system setting, and still reads well.
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        try:
            for label, path in [("home", "/"), ("list", "/tickets")]:
                self.go(path)
                self.settle()
                bg = d.execute_script("return getComputedStyle(document.body).backgroundColor")
                rgb = [int(x) for x in re.findall(r"\d+", bg)[:3]]
                self.assertLess(sum(rgb), 150, f"{label}: a dark background, not {bg}")
                self.accessible(f"{label} in dark mode")
        finally:
            d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})

    def test_customer_page_types_have_no_serious_accessibility_violation(self):
        self.driver.delete_all_cookies()
        self.addCleanup(self.driver.delete_all_cookies)
        for path in ["/login", "/register", "/reset"]:
            self.go(path)
            self.accessible(path)
        self.login("anna@acme.example")
        first = self.rows()[0].find_element(By.CSS_SELECTOR, "td.subject a").get_attribute("href")
        for label, open_page in [
            ("home", lambda: self.go("/")),
            ("list", lambda: self.go("/tickets")),
            ("filtered list", lambda: self.go("/tickets?status=open&q=printer")),
            ("detail", lambda: self.driver.get(first)),
            ("new ticket", lambda: self.go("/new")),
            ("account", lambda: self.go("/account")),
            ("company access log", lambda: self.go("/company/access-log")),
            ("company people", lambda: self.go("/company/people")),
            ("not found", lambda: self.go("/no-such-page")),
        ]:
            open_page()
            self.accessible(label)
        # Anna is Acme's portal admin in the demo: the company pages above were hers.
        self.go("/company/access-log")
        self.assertIn("Acme", self.driver.find_element(By.TAG_NAME, "h1").text)
        # The same list on a phone, as cards.
        self.driver.set_window_size(390, 844)
        try:
            self.go("/tickets")
            self.accessible("list on a phone")
        finally:
            self.driver.set_window_size(1280, 1000)

    def test_a_member_without_company_access_sees_only_own_tickets(self):
        self.driver.delete_all_cookies()
        self.login("ben@acme.example")
        # The View menu offers his own and shared tickets, never the organization's.
        options = [o.get_attribute("value") for o in self.driver.find_elements(By.CSS_SELECTOR, "#view option")]
        self.assertEqual(options, ["mine", "shared"])
        for row in self.rows():
            self.assertIn("Ben Olsen", row.text)
        self.driver.delete_all_cookies()


    def test_c1_a_requester_copies_in_someone_of_another_company_who_answers_and_is_taken_off(self):
        d = self.driver
        d.delete_all_cookies()
        self.login("anna@acme.example")
        self.go("/tickets?view=mine&status=open")
        link = d.find_element(By.CSS_SELECTOR, "table.tickets tbody tr td a")
        subject = link.text
        link.click()
        self.settle_after(lambda drv: "/tickets/" in drv.current_url)
        ticket_url = d.current_url
        tid = ticket_url.split("/tickets/")[1].split("?")[0]
        in_list = lambda: d.find_elements(By.CSS_SELECTOR, f'table.tickets a[href$="/tickets/{tid}"]')
        d.find_element(By.ID, "cc-email").send_keys("carla@globex.example")
        d.find_element(By.CSS_SELECTOR, "form.add-person button[type=submit]").click()
        self.settle_after(EC.url_contains("done=cc_added"))
        self.assertIn("Carla Virtanen", d.find_element(By.ID, "people").text)
        # Carla (Globex, Finnish) finds the ticket at the top of her list and answers it.
        d.delete_all_cookies()
        self.login("carla@globex.example")
        self.assertTrue(in_list(), "the ticket is in her list")
        self.go("/tickets?view=shared")
        self.assertTrue(in_list(), "and under Shared with me")
        d.get(ticket_url)
        self.settle()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, subject)
        d.find_element(By.ID, "body").send_keys("Carla from Globex here")
        d.find_element(By.CSS_SELECTOR, "form.reply button[type=submit]").click()
        self.settle_after(EC.url_contains("done=replied"))
        self.assertIn("Carla from Globex here", self.text())
        # Anna sees the answer and takes Carla off.
        d.delete_all_cookies()
        self.login("anna@acme.example")
        d.get(ticket_url)
        self.settle()
        self.assertIn("Carla from Globex here", self.text())
        d.find_element(By.CSS_SELECTOR, "#people form.inline button[type=submit]").click()
        self.settle_after(EC.url_contains("done=cc_removed"))
        self.assertNotIn("Carla Virtanen", d.find_element(By.ID, "people").text)
        # The ticket no longer exists for Carla.
        d.delete_all_cookies()
        self.login("carla@globex.example")
        self.assertFalse(in_list(), "the ticket left her list")
        d.get(ticket_url)
        self.settle()
        self.assertNotEqual(d.find_element(By.TAG_NAME, "h1").text, subject)
        self.assertNotIn(subject, self.text())
        d.delete_all_cookies()

    def test_c3_a_requester_hands_a_ticket_to_a_colleague(self):
        d = self.driver
        d.delete_all_cookies()
        self.login("anna@acme.example")
        self.go("/tickets?view=mine&status=open")
        links = d.find_elements(By.CSS_SELECTOR, "table.tickets tbody tr td a")
        link = links[-1]
        subject = link.text
        link.click()
        self.settle_after(lambda drv: "/tickets/" in drv.current_url)
        ticket_url = d.current_url
        tid = ticket_url.split("/tickets/")[1].split("?")[0]
        mine = lambda: d.find_elements(By.CSS_SELECTOR, f'table.tickets a[href$="/tickets/{tid}"]')
        d.find_element(By.ID, "hand-over-email").send_keys("ben@acme.example")
        # Not staying on it: the ticket leaves Anna's own tickets.
        d.find_element(By.CSS_SELECTOR, "form.hand-over input[name=stay]").click()
        d.find_element(By.CSS_SELECTOR, "form.hand-over button[type=submit]").click()
        self.settle_after(lambda drv: drv.current_url.rstrip("/").endswith("/tickets"))
        self.go("/tickets?view=mine")
        self.assertFalse(mine(), "the ticket left her own tickets")
        # With company access she still opens it, Ben as its requester.
        d.get(ticket_url)
        self.settle()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, subject)
        self.assertIn("Ben Olsen", d.find_element(By.CSS_SELECTOR, "dl.props").text)
        # Ben (own tickets only) finds it among his own and may hand it on.
        d.delete_all_cookies()
        self.login("ben@acme.example")
        self.assertTrue(mine(), "the ticket is among Ben's")
        d.get(ticket_url)
        self.settle()
        self.assertEqual(d.find_element(By.TAG_NAME, "h1").text, subject)
        self.assertTrue(d.find_elements(By.ID, "hand-over-email"))
        d.delete_all_cookies()

    def test_a_bad_address_is_a_page_in_the_visitors_language(self):
        self.driver.delete_all_cookies()
        self.login("ben@acme.example")
        # German through the language menu, then addresses that are not pages.
        Select(self.driver.find_element(By.ID, "lang-select")).select_by_value("de")
        self.driver.find_element(By.CSS_SELECTOR, "form.lang button[type=submit]").click()
        self.wait_for_text("Abmelden")
        for path in ["/tickets/abc", "/no-such-page"]:
            self.go(path)
            text = self.text()
            self.assertIn("Nicht gefunden", text, path)
            self.assertNotIn("can not parse", text, path)
            # The portal's navigation is still there: a page, not a bare error.
            self.assertNotEqual(self.driver.find_elements(By.CSS_SELECTOR, "header.top nav"), [], path)
        Select(self.driver.find_element(By.ID, "lang-select")).select_by_value("en")
        self.driver.find_element(By.CSS_SELECTOR, "form.lang button[type=submit]").click()
        self.wait_for_text("Log out")
        self.driver.delete_all_cookies()


class StaffJourney(CustomerJourney):
    """The staff side in the browser: the set-up wizard, the column editor (drag and drop and
    its no-JavaScript buttons) and answering a ticket from the inbox, each checked in the
    customer's portal."""

    # The customer tests run in their own class and server; only the staff ones run here.
    test_the_whole_customer_journey = None
    test_a_new_customer_registers_confirms_and_logs_in = None
    test_a_member_without_company_access_sees_only_own_tickets = None
    test_a_bad_address_is_a_page_in_the_visitors_language = None
    test_customer_pages_fit_a_phone_and_a_desktop = None
    test_customer_page_types_have_no_serious_accessibility_violation = None
    test_the_home_page_leads_to_search_a_new_ticket_and_the_latest_tickets = None
    test_c1_a_requester_copies_in_someone_of_another_company_who_answers_and_is_taken_off = None
    test_c3_a_requester_hands_a_ticket_to_a_colleague = None

    def test_staff_page_types_have_no_serious_accessibility_violation(self):
        self.driver.delete_all_cookies()
        self.admin("/admin/login")
        self.accessible("staff login")
        self.staff_login()
        for path in ["/admin/inbox", "/admin/tickets/1", "/admin/settings", "/admin/contacts",
                     "/admin/companies", "/admin/lists", "/admin/pipelines", "/admin/properties",
                     "/admin/agents", "/admin/mail-in", "/admin/mailboxes", "/admin/outbox",
                     "/admin/templates", "/admin/api-tokens", "/admin/explain"]:
            self.admin(path)
            self.accessible(path)

    def test_staff_pages_fit_a_phone_and_a_desktop(self):
        self.staff_login()
        self.at_sizes([
            ("staff inbox", lambda: self.admin("/admin/inbox")),
            ("staff ticket", lambda: self.admin("/admin/tickets/1")),
            ("staff settings", lambda: self.admin("/admin/settings")),
            ("staff contacts", lambda: self.admin("/admin/contacts")),
            ("staff mailboxes", lambda: self.admin("/admin/mailboxes")),
        ])
        # On a phone the staff navigation is one menu, folded until opened.
        self.driver.set_window_size(390, 844)
        try:
            self.admin("/admin/inbox")
            menu = self.driver.find_element(By.CSS_SELECTOR, "details.menu")
            self.assertIsNone(menu.get_attribute("open"))
            contacts = self.driver.find_element(By.CSS_SELECTOR, "details.menu a[href='/admin/contacts']")
            self.assertFalse(contacts.is_displayed())
            menu.find_element(By.TAG_NAME, "summary").click()
            self.assertTrue(contacts.is_displayed())
        finally:
            self.driver.set_window_size(1280, 1000)

    def general_settings(self, singular, plural, kb_on, kb_url):
        self.staff_login()
        self.admin("/admin/settings")
        for field, value in [("ticket_singular", singular), ("ticket_plural", plural), ("knowledge_base_url", kb_url)]:
            box = self.driver.find_element(By.CSS_SELECTOR, "input[name=%s]" % field)
            box.clear()
            box.send_keys(value)
        kb = self.driver.find_element(By.CSS_SELECTOR, "input[name=knowledge_base_link]")
        if kb.is_selected() != kb_on:
            kb.click()
        kb.find_element(By.XPATH, "ancestor::form//button[@type='submit']").click()
        self.wait_for_text("Saved.")

    def test_a_renamed_label_the_knowledge_base_and_the_form_header_reach_the_customer(self):
        self.general_settings("Order", "Orders", True, "https://kb.acme.example/")
        self.driver.delete_all_cookies()
        self.login("anna@acme.example")
        text = self.text()
        self.assertRegex(text, r"\d+ Orders")
        link = self.driver.find_element(By.LINK_TEXT, "Knowledge base")
        self.assertEqual(link.get_attribute("href"), "https://kb.acme.example/")
        self.go("/new")
        self.assertIn("How can we help?", self.text())
        self.general_settings("Ticket", "Tickets", False, "")
        self.driver.delete_all_cookies()
        self.login("anna@acme.example")
        self.assertEqual(self.driver.find_elements(By.LINK_TEXT, "Knowledge base"), [])
        self.driver.delete_all_cookies()

    def test_staff_preview_the_portal_as_a_contact_read_only(self):
        self.staff_login()
        self.admin("/admin/explain?contact=ben@acme.example")
        self.driver.find_element(By.ID, "preview").click()
        self.wait_for_text("You are viewing the portal as Ben Olsen")
        self.assertIn("/tickets", self.driver.current_url)
        rows = self.rows()
        self.assertNotEqual(rows, [])
        for row in rows:
            self.assertIn("Ben Olsen", row.text, "Ben's own tickets only")
        self.assertEqual(self.driver.find_elements(By.LINK_TEXT, "File a support ticket"), [])
        rows[0].find_element(By.CSS_SELECTOR, "a").click()
        self.settle()
        self.assertIn("You are viewing the portal as Ben Olsen", self.text())
        self.assertEqual(self.driver.find_elements(By.ID, "body"), [], "no reply box")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form.close"), [], "no close button")
        self.driver.find_element(By.LINK_TEXT, "End the preview").click()
        self.settle()
        self.assertIn("/admin/contacts/", self.driver.current_url)
        self.go("/tickets")
        self.assertIn("/login", self.driver.current_url, "the preview has ended")

    def staff_login(self, email="sam@support.example"):
        self.driver.delete_all_cookies()
        self.driver.get(self.server.base.rsplit("/", 1)[0] + "/admin/login")
        self.driver.find_element(By.ID, "email").send_keys(email)
        self.driver.find_element(By.ID, "password").send_keys(PASSWORD)
        self.driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        self.settle_after(lambda drv: "/admin/login" not in drv.current_url)

    def admin(self, path):
        self.driver.get(self.server.base.rsplit("/", 1)[0] + path)
        self.settle()

    def customer_headers(self):
        self.driver.delete_all_cookies()
        self.login("anna@acme.example")
        return [th.text.strip() for th in self.driver.find_elements(By.CSS_SELECTOR, "table.tickets thead th")]

    def test_answering_a_ticket_from_the_inbox_reaches_the_customers_portal(self):
        self.staff_login()
        self.assertIn("/admin/inbox", self.driver.current_url)
        # The newest ticket of the inbox whose requester has a portal login.
        self.driver.find_element(By.CSS_SELECTOR, "table.tickets tbody tr a").click()
        self.settle()
        ticket_url = self.driver.current_url
        ticket_id = re.search(r"/admin/tickets/(\d+)", ticket_url).group(1)
        body = self.driver.find_element(By.ID, "body")
        body.send_keys("We restarted the **mail relay**; please try again.")
        self.driver.find_element(By.ID, "send").click()
        self.wait_for_text("Your reply was sent")
        self.driver.find_element(By.ID, "body").send_keys("Customer is on the old plan (internal)")
        self.driver.find_element(By.ID, "internal").click()
        self.driver.find_element(By.ID, "send").click()
        self.wait_for_text("Your internal note was saved")
        # The requester logs in to the portal and finds the answer, but not the note.
        m = re.search(r"Requested by</dt>\s*<dd>[^<]*&lt;([^&]+)&gt;", self.driver.page_source)
        self.assertIsNotNone(m, "the ticket names its requester")
        self.driver.delete_all_cookies()
        self.login(m.group(1))
        self.go("/tickets/" + ticket_id)
        text = self.text()
        self.assertIn("We restarted the mail relay; please try again.", text)
        self.assertNotEqual(self.driver.find_elements(By.XPATH, "//strong[text()='mail relay']"), [])
        self.assertNotIn("old plan", text, "internal notes never reach the portal")

    def test_a_customer_answers_a_staff_reply_by_email_and_it_reaches_portal_and_inbox(self):
        """Issue 17: the notification of a staff reply is answered from a mail client; the
        answer, piped into `portal mail-in` as a mail server would, lands in the ticket."""
        self.staff_login()
        self.admin("/admin/settings")
        inbox = self.driver.find_element(By.CSS_SELECTOR, "#default_inbox option[selected]").get_attribute("value")
        self.admin("/admin/inbox")
        self.driver.find_element(By.CSS_SELECTOR, "table.tickets tbody tr a").click()
        self.settle()
        ticket_url = self.driver.current_url
        ticket_id = re.search(r"/admin/tickets/(\d+)", ticket_url).group(1)
        m = re.search(r"Requested by</dt>\s*<dd>[^<]*&lt;([^&]+)&gt;", self.driver.page_source)
        self.assertIsNotNone(m, "the ticket names its requester")
        requester = m.group(1)
        before = set(glob.glob(os.path.join(self.server.dir, "mail", "*.eml")))
        self.driver.find_element(By.ID, "body").send_keys("Could you send us the printer's error code?")
        self.driver.find_element(By.ID, "send").click()
        self.wait_for_text("Your reply was sent")
        # The notification the server wrote for the requester (no SMTP in this run).
        notification = None
        deadline = time.time() + 20
        while notification is None and time.time() < deadline:
            for path in sorted(set(glob.glob(os.path.join(self.server.dir, "mail", "*.eml"))) - before):
                with open(path, "rb") as f:
                    msg = email.message_from_binary_file(f, policy=email.policy.default)
                if msg["To"] and requester in msg["To"] and msg["Reply-To"]:
                    notification = msg
            time.sleep(0.2)
        self.assertIsNotNone(notification, "a reply notification with a Reply-To")
        reply_to = notification["Reply-To"].addresses[0].addr_spec
        self.assertRegex(reply_to, r"\+t-[0-9a-f]{32}@")
        answer = (
            f"From: {requester}\r\nTo: {reply_to}\r\nSubject: Re: {notification['Subject']}\r\n"
            f"In-Reply-To: {notification['Message-ID']}\r\nReferences: {notification['Message-ID']}\r\n"
            "Message-ID: <e2e-answer@customer.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "The display shows E-42 after every page.\r\n\r\n"
            "On Sun, Support wrote:\r\n> Could you send us the printer's error code?\r\n"
        )
        env = dict(os.environ, PORTAL_DATA_DIR=self.server.dir, PORTAL_LOG="warn")
        env.pop("PORTAL_DATABASE_URL", None)
        piped = subprocess.run([BINARY, "mail-in", "--inbox", inbox], input=answer.encode(), env=env,
                               cwd=self.server.dir, capture_output=True, timeout=60)
        self.assertEqual(piped.returncode, 0, piped.stderr.decode())
        self.assertIn("of ticket " + ticket_id, piped.stderr.decode())
        # The staff inbox shows it, marked as a mail, with the original downloadable.
        self.driver.get(ticket_url)
        self.settle()
        self.assertIn("The display shows E-42 after every page.", self.text())
        self.assertIn("by email", self.text())
        self.assertNotEqual(self.driver.find_elements(By.CSS_SELECTOR, "a[href*='/admin/mail-in/'][href$='/raw']"), [])
        # And the customer sees it in the portal, without the quoted mail.
        self.driver.delete_all_cookies()
        self.login(requester)
        self.go("/tickets/" + ticket_id)
        text = self.text()
        self.assertIn("The display shows E-42 after every page.", text)
        self.assertEqual(text.count("Could you send us the printer's error code?"), 1, "the quote is trimmed")

    def test_the_column_editor_reorders_by_drag_and_drop_and_by_buttons(self):
        before = self.customer_headers()
        self.staff_login()
        self.admin("/admin/settings#columns")
        items = self.driver.find_elements(By.CSS_SELECTOR, "#column-list li")
        self.assertGreaterEqual(len(items), 3)
        # Drag the last column onto the top half of the first (native HTML5 drag events, as
        # the browser fires them; WebDriver's pointer actions do not start an HTML5 drag).
        self.driver.execute_script("""
            const list = document.getElementById('column-list');
            const items = list.querySelectorAll('li[data-index]');
            const src = items[items.length - 1], dst = items[0];
            const dt = new DataTransfer();
            const r = dst.getBoundingClientRect();
            src.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
            dst.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt, clientY: r.top + 1}));
            dst.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
        """)
        self.wait_for_text("Saved.")
        after = self.customer_headers()
        self.assertEqual(after[0], before[-1], (before, after))
        self.assertEqual(after[1:], before[:-1])
        # Without JavaScript: the ↓ button of the first column moves it back down one place.
        self.staff_login()
        self.admin("/admin/settings#columns")
        self.driver.find_element(By.CSS_SELECTOR, "#column-list li button[value='down:0']").click()
        self.wait_for_text("Saved.")
        again = self.customer_headers()
        self.assertEqual(again[:2], [after[1], after[0]])
        # Reset to the recommended columns.
        self.staff_login()
        self.admin("/admin/settings#columns")
        self.driver.find_element(By.CSS_SELECTOR, "#columns-form button[value='reset']").click()
        self.wait_for_text("Saved.")

    def test_the_setup_wizard_walks_an_admin_through_to_a_portal_that_is_on(self):
        self.staff_login()
        # Switch the portal off: customers get the "switched off" page; the admin walks the
        # wizard again (it leads admins in by itself only until the portal was set up once).
        self.admin("/admin/settings")
        box = self.driver.find_element(By.CSS_SELECTOR, "input[name=enabled]")
        if box.is_selected():
            box.click()
        box.find_element(By.XPATH, "ancestor::form//button[@type='submit']").click()
        self.wait_for_text("Saved.")
        self.go("/login")
        self.assertIn("This customer portal is not available at the moment.", self.text())
        self.admin("/admin/setup")
        self.assertIn("/admin/setup", self.driver.current_url)
        name = self.driver.find_element(By.ID, "name")
        name.clear()
        name.send_keys("Acme Care")
        self.driver.find_element(By.ID, "next").click()
        self.settle_after(lambda drv: drv.find_elements(By.ID, "slug"))
        slug = self.driver.find_element(By.ID, "slug")
        self.assertEqual(slug.get_attribute("value"), "portal")
        self.driver.find_element(By.ID, "next").click()
        self.settle_after(lambda drv: drv.find_elements(By.ID, "default_inbox"))
        Select(self.driver.find_element(By.ID, "default_inbox")).select_by_index(1)
        self.driver.find_element(By.CSS_SELECTOR, "input[name=company_access][value=all]").click()
        self.driver.find_element(By.ID, "next").click()
        self.settle_after(lambda drv: drv.find_elements(By.ID, "enabled"))
        if not self.driver.find_element(By.ID, "enabled").is_selected():
            self.driver.find_element(By.ID, "enabled").click()
        self.driver.find_element(By.ID, "next").click()
        self.settle_after(lambda drv: "/admin/setup" not in drv.current_url)
        # The portal is on again, under its new name.
        self.driver.delete_all_cookies()
        self.login("anna@acme.example")
        self.assertIn("Acme Care", self.driver.title)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=BINARY)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
