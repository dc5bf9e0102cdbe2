"""The back office in a real browser: headless Chromium, driven through chromedriver.

Run by scripts/test after the Swift tests. It builds a small registry the way an office
would (a demo export with some persons registered twice, imported with `amparo import`),
runs deduplication, serves it with `amparo serve`, and walks the clerical review as a
reviewer does: by clicking.
"""
import base64
import csv
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import struct
import time
import unittest
import urllib.request

import geojson
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

AMPARO = os.environ.get("AMPARO_BINARY", ".build/debug/amparo")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def totp(secret_base32, at=None):
    """RFC 6238's code for this moment, as an authenticator app computes it."""
    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def register_twice(folder, count):
    """Appends to individuals.csv a second registration of `count` adults, each with one
    of the slips a second registration makes."""
    path = os.path.join(folder, "individuals.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0].keys())
    adults = [r for r in rows if r["second_surname"] and r["birth_date"] < "2000-01-01"][:count]
    copies = []
    for index, row in enumerate(adults):
        copy = dict(row)
        copy["person_ref"] = row["person_ref"] + "-again"
        copy["relationship"] = "other_relative"
        if index % 3 == 0:
            copy["given_names"] = row["given_names"][:-1] + "e"
        elif index % 3 == 1:
            copy["first_surname"], copy["second_surname"] = row["second_surname"], row["first_surname"]
        else:
            copy["id_number"] = ""
        copies.append(copy)
    with open(path, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=fields).writerows(copies)
    return len(copies)


def citizen_with_contact(folder):
    """A person of the export with a document number and a phone or e-mail address (theirs or
    their household's): their number, where their code goes, and their household's ref."""
    with open(os.path.join(folder, "households.csv"), newline="", encoding="utf-8") as f:
        phones = {row["household_ref"]: row["phone"] for row in csv.DictReader(f)}
    with open(os.path.join(folder, "individuals.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            destination = row["phone"] or row["email"] or phones.get(row["household_ref"], "")
            if row["id_number"] and destination and not row["person_ref"].endswith("-again"):
                return row["id_number"], destination
    raise RuntimeError("no person of the demo can be reached")


class BackOffice(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="amparo-browser.")
        database = os.path.join(cls.folder, "registry.sqlite")
        export = os.path.join(cls.folder, "export")

        def run(*args):
            done = subprocess.run([AMPARO, *args], capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"amparo {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        run("demo", "--households", "40", "--seed", "11", "--out", export)
        cls.copies = register_twice(export, 6)
        with open(os.path.join(export, "areas.geojson"), encoding="utf-8") as f:
            cls.outlines = f.read()
        cls.hazards = {}
        for name in ("flood_zones", "rivers"):
            with open(os.path.join(export, f"hazards-{name}.geojson"), encoding="utf-8") as f:
                cls.hazards[name] = f.read()
        run("import", export, "--database", database)
        run("areas", "boundaries", os.path.join(export, "areas.geojson"), "--database", database)
        run("target", "run", "--policy", "colombia-mpi", "--reference-date", "2026-11-24", "--database", database)
        # The copies are found with near certainty; a link threshold just below 1 sends them all
        # to the review queue, which is what this test walks through.
        run("dedup", "run", "--database", database, "--review-threshold", "0.5", "--link-threshold", "0.999999999999999")
        # The officer who walks the back office: national roles that change data, so a second factor.
        cls.password = "a long enough passphrase"
        password_file = os.path.join(cls.folder, "password")
        with open(password_file, "w") as f:
            f.write(cls.password + "\n")
        run("staff", "add", "officer", "--role", "verifier", "--role", "registration_officer", "--role", "programme_manager",
            "--area", "*", "--password-file", password_file, "--database", database)
        cls.port = free_port()
        # The server's log is where, with no SMS gateway configured, sign-in codes are written.
        cls.log = os.path.join(cls.folder, "serve.log")
        with open(cls.log, "w") as log:
            cls.server = subprocess.Popen([AMPARO, "serve", "--database", database, "--port", str(cls.port)],
                                          stdout=log, stderr=subprocess.STDOUT)
        cls.citizen = citizen_with_contact(export)
        cls.base = f"http://127.0.0.1:{cls.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(cls.base + "/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or cls.server.poll() is not None:
                    cls.server.kill()
                    raise RuntimeError("amparo serve did not answer on /health within a minute")
                time.sleep(0.1)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1100,900", "--lang=es"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
        cls.browser = webdriver.Chrome(options=options, service=service)
        cls.browser.implicitly_wait(10)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.server.terminate()
        cls.server.wait(timeout=10)
        shutil.rmtree(cls.folder, ignore_errors=True)

    def setUp(self):
        # Reading the log empties it: each test hears only its own complaints.
        self.browser.get_log("browser")

    def open(self, path):
        self.browser.get(self.base + path)

    def wait_replaced(self, page):
        """Waits until `page` (the old <html>) is gone. Chromium may answer a question about a
        node of the page being replaced with "does not belong to the document" instead of
        "stale": both mean the page has gone."""
        def gone(_):
            try:
                page.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise
        WebDriverWait(self.browser, 20).until(gone)

    def follow(self, by, selector):
        """Clicks a link or a button and waits until the next page has replaced this one."""
        page = self.browser.find_element(By.TAG_NAME, "html")
        self.browser.find_element(by, selector).click()
        self.wait_replaced(page)

    def heading(self):
        return self.browser.find_element(By.TAG_NAME, "h1").text

    def pair_refs(self):
        refs = [e.text for e in self.browser.find_elements(By.CSS_SELECTOR, "article.pair thead .ref")]
        return list(zip(refs[0::2], refs[1::2]))

    def console_errors(self):
        return [entry for entry in self.browser.get_log("browser") if entry["level"] == "SEVERE"]

    def test_0_sign_in_with_a_second_factor(self):
        # Not signed in, the back office leads to the sign-in page.
        self.open("/office?lang=es")
        self.assertEqual(self.heading(), "Iniciar sesión")
        self.browser.find_element(By.ID, "name").send_keys("officer")
        self.browser.find_element(By.ID, "password").send_keys("not the password")
        self.follow(By.CSS_SELECTOR, "form.sign-in button")
        self.assertIn("no son correctos", self.browser.find_element(By.CSS_SELECTOR, ".problem").text)
        self.browser.find_element(By.ID, "name").clear()
        self.browser.find_element(By.ID, "name").send_keys("officer")
        self.browser.find_element(By.ID, "password").send_keys(self.password)
        self.follow(By.CSS_SELECTOR, "form.sign-in button")
        # The officer's roles change data: a second factor is enrolled before anything else.
        self.assertEqual(self.heading(), "Active su segundo factor")
        self.assertTrue(self.browser.find_element(By.ID, "otpauth").get_attribute("href").startswith("otpauth://totp/"))
        secret = self.browser.find_element(By.ID, "secret").text
        self.browser.find_element(By.ID, "code").send_keys(totp(secret))
        self.follow(By.CSS_SELECTOR, "form.sign-in button")
        self.assertEqual(self.heading(), "Códigos de recuperación")
        self.assertEqual(len(self.browser.find_elements(By.CSS_SELECTOR, "#recovery-codes li")), 10)
        self.follow(By.LINK_TEXT, "Continuar a la oficina")
        self.assertEqual(self.heading(), "Oficina")
        self.assertIn("officer", self.browser.find_element(By.CSS_SELECTOR, "form.account").text)

    def test_1_review_by_clicking(self):
        self.open("/office?lang=es")
        self.assertEqual(self.heading(), "Oficina")
        self.assertEqual(self.browser.find_element(By.TAG_NAME, "html").get_attribute("lang"), "es")
        self.follow(By.LINK_TEXT, "Duplicados")
        self.assertEqual(self.heading(), "Personas registradas más de una vez")
        self.follow(By.CSS_SELECTOR, "a[href='/office/identity/runs/1/review']")
        self.assertEqual(self.heading(), "Revisión de la corrida 1")
        pairs = self.pair_refs()
        self.assertGreaterEqual(len(pairs), 2, "the queue shows the doubtful pairs")
        first = pairs[0]
        rows = self.browser.find_elements(By.CSS_SELECTOR, "article.pair:first-of-type tbody tr")
        labels = [row.find_element(By.TAG_NAME, "th").text for row in rows]
        self.assertIn("Apellidos", labels)
        self.assertIn("Fecha de nacimiento", labels)

        # Same person: the second record is merged into the first, and the page says so.
        self.follow(By.CSS_SELECTOR, "article.pair button[value='same']")
        notice = self.browser.find_element(By.CSS_SELECTOR, ".notice").text
        self.assertIn("Decisión registrada: misma persona.", notice)
        self.assertIn(f"El registro {first[1]} apunta ahora al registro {first[0]}", notice)
        self.assertNotIn(first, self.pair_refs())

        # The merge is undone from the same page.
        self.follow(By.CSS_SELECTOR, ".notice button")
        self.assertIn("La unión se deshizo", self.browser.find_element(By.CSS_SELECTOR, ".notice").text)

        # Decide later: the pair stays in the queue, and the page moves past it.
        before = self.pair_refs()
        self.follow(By.CSS_SELECTOR, "article.pair button[value='skip']")
        self.assertIn("cursor=", self.browser.current_url)
        self.assertNotIn(before[0], self.pair_refs())
        errors = self.console_errors()
        self.assertEqual(errors, [], f"the browser complained: {errors}")

    def test_0_demo_outlines_are_valid_geojson(self):
        collection = geojson.loads(self.outlines)
        self.assertTrue(collection.is_valid, collection.errors())
        self.assertEqual(collection["type"], "FeatureCollection")
        codes = [feature["properties"]["area_code"] for feature in collection["features"]]
        self.assertEqual(len(codes), len(set(codes)))
        for feature in collection["features"]:
            ring = feature["geometry"]["coordinates"][0]
            twice = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:]))
            self.assertGreater(twice, 0, f"{feature['properties']['area_code']}: RFC 7946 outer rings turn counterclockwise")
        for name, text in self.hazards.items():
            layer = geojson.loads(text)
            self.assertTrue(layer.is_valid, f"hazards-{name}.geojson: {layer.errors()}")
            self.assertTrue(layer["features"], name)

    def test_2_language_is_chosen_and_kept(self):
        self.open("/office/identity?lang=pt")
        self.assertEqual(self.heading(), "Pessoas cadastradas mais de uma vez")
        self.follow(By.LINK_TEXT, "English")
        self.assertEqual(self.heading(), "Persons registered more than once")
        self.open("/office/identity")
        self.assertEqual(self.heading(), "Persons registered more than once", "the cookie keeps the choice")
        self.open("/office/identity/runs/77/review")
        self.assertIn("77", self.browser.find_element(By.CSS_SELECTOR, ".problem").text)

    def test_4_targeting_figures_and_map(self):
        self.open("/office/targeting?lang=es")
        self.assertEqual(self.heading(), "Corridas de focalización")
        self.follow(By.CSS_SELECTOR, "a[href='/office/targeting/runs/1']")
        self.assertEqual(self.heading(), "Corrida de focalización 1")
        self.follow(By.LINK_TEXT, "Municipios")
        self.assertIn("level=municipality", self.browser.current_url)
        rows = self.browser.find_elements(By.CSS_SELECTOR, "#figures-areas tbody tr")
        shapes = self.browser.find_elements(By.CSS_SELECTOR, "figure.map > svg path")
        self.assertGreater(len(rows), 10)
        self.assertEqual(len(shapes), len(rows), "every municipality in the table is drawn")
        # The map is drawn, not empty: it has a size on screen, and each shape names its area.
        svg = self.browser.find_element(By.CSS_SELECTOR, "figure.map > svg")
        self.assertGreater(svg.size["width"], 300)
        self.assertGreater(svg.size["height"], 100)
        first = shapes[0].find_element(By.TAG_NAME, "title").get_attribute("textContent")
        code = shapes[0].get_attribute("data-area")
        self.assertIn(f"({code}):", first)
        self.follow(By.LINK_TEXT, "personas")
        self.assertIn("weighting=persons", self.browser.current_url)
        self.assertIn("level=municipality", self.browser.current_url, "the level is kept")
        errors = self.console_errors()
        self.assertEqual(errors, [], f"the browser complained: {errors}")

    def test_5_find_a_household_and_its_reasons(self):
        self.open("/office?lang=es")
        box = self.browser.find_element(By.ID, "number")
        self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, "label[for='number']").text,
                         "Buscar un hogar por su número de registro")
        box.send_keys("h0000-0001-3")
        page = self.browser.find_element(By.TAG_NAME, "html")
        box.send_keys(Keys.ENTER)
        self.wait_replaced(page)
        self.assertEqual(self.heading(), "Hogar H-0000-0001-3")
        self.assertGreater(len(self.browser.find_elements(By.CSS_SELECTOR, "#members tbody tr")), 0)
        self.follow(By.PARTIAL_LINK_TEXT, "IPM Colombia")
        findings = self.browser.find_elements(By.CSS_SELECTOR, "#findings tbody tr")
        self.assertEqual(len(findings), 15, "the fifteen indicators of the Colombian MPI")
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "ul.sentences li"))

    def test_3_keyboard_and_small_screen(self):
        self.open("/office/identity/runs/1/review?lang=es")
        body = self.browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        focused = self.browser.switch_to.active_element
        self.assertEqual(focused.get_attribute("class"), "skip", "the first key press offers to skip to the content")
        self.assertTrue(focused.is_displayed())
        # A cheap phone: the page must not scroll sideways, only its tables may.
        self.browser.set_window_size(360, 740)
        self.open("/office/identity/runs/1/review")
        overflow = self.browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        self.assertLessEqual(overflow, 0)
        buttons = self.browser.find_elements(By.CSS_SELECTOR, "article.pair button")
        self.assertTrue(all(b.size["height"] >= 44 for b in buttons), "buttons are large enough for a finger")
        self.browser.set_window_size(1100, 900)

    def code_sent_to(self, destination):
        """The code the server's log shows sent to `destination`, waiting for the outbox's round."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with open(self.log, encoding="utf-8") as f:
                lines = [line for line in f if f" to {destination}: " in line]
            if lines:
                return re.search(r"\b([0-9]{6})\b", lines[-1].split(f" to {destination}: ")[1]).group(1)
            time.sleep(0.2)
        raise AssertionError(f"no code was sent to {destination}")

    def test_6_citizen_signs_in_on_a_phone_and_reads_why(self):
        number, destination = self.citizen
        self.browser.set_window_size(360, 740)
        try:
            self.open("/portal?lang=es")
            self.assertEqual(self.heading(), "Entrar a Amparo")
            field = self.browser.find_element(By.ID, "id_number")
            self.assertEqual(self.browser.find_element(By.CSS_SELECTOR, "label[for='id_number']").text, "Número de documento")
            field.send_keys(number)
            self.follow(By.CSS_SELECTOR, "form button[type='submit']")
            self.assertEqual(self.heading(), "Escriba el código")
            code = self.code_sent_to(destination)
            self.assertRegex(code, r"^[0-9]{6}$")
            # By keyboard: the code, then Enter.
            box = self.browser.find_element(By.ID, "code")
            box.send_keys(code)
            page = self.browser.find_element(By.TAG_NAME, "html")
            box.send_keys(Keys.ENTER)
            self.wait_replaced(page)
            self.assertEqual(self.heading(), "Su hogar")
            results = [e.text for e in self.browser.find_elements(By.CSS_SELECTOR, "article.result")]
            self.assertTrue(any("IPM Colombia (DNP 2011)" in text for text in results), results)
            self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "ul.members li"))
            overflow = self.browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            self.assertLessEqual(overflow, 0, "the portal fits a 360-pixel screen")
            size = self.browser.execute_script("return document.documentElement.outerHTML.length")
            self.assertLess(size, 100_000)
            # The session cookie is out of reach of scripts.
            self.assertNotIn("amparo_portal", self.browser.execute_script("return document.cookie"))
            self.follow(By.CSS_SELECTOR, "form.leave button")
            self.assertEqual(self.heading(), "Entrar a Amparo")
            self.open("/portal/household")
            self.assertEqual(self.heading(), "Entrar a Amparo", "signed out, the household is closed")
            errors = self.console_errors()
            self.assertEqual(errors, [], f"the browser complained: {errors}")
        finally:
            self.browser.set_window_size(1100, 900)


if __name__ == "__main__":
    unittest.main(verbosity=2)
