"""`fsl serve` in a real browser: Debian's headless Chromium driven by Selenium through chromedriver.

Skipped where Chromium, chromedriver or Selenium is absent (`make test` installs them as root).
The server runs in a thread on a free port over temporary copies of the conventions and output.
Screenshots go to a temporary folder; with FSL_SCREENSHOTS=docs they replace those of docs/
(what the README shows): `FSL_SCREENSHOTS=docs .venv/bin/python -m pytest tests/test_web_browser.py`.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import zipfile
from pathlib import Path

import pytest

from engine import PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
EXAMPLE = PROJECT_ROOT / "examples" / "soumissions-2026"
SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
                       reason="chromium et chromium-driver absents "
                              "(apt-get install chromium chromium-driver)"),
]
webdriver = pytest.importorskip("selenium.webdriver")
pytest.importorskip("flask")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from werkzeug.serving import make_server

    from engine.web.app import create_app

    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(PROJECT_ROOT / "conventions", root / "conventions")
    app = create_app(root / "conventions", root / "output")
    httpd = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", root
    httpd.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("telechargements")
    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900",
                 "--lang=fr-FR"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.downloads = downloads
    yield driver
    driver.quit()


def _shot(driver, name: str, tmp_path: Path) -> None:
    folder = PROJECT_ROOT / "docs" if os.environ.get("FSL_SCREENSHOTS") == "docs" else tmp_path
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 1400)")
    driver.set_window_size(1280, max(600, height))
    driver.save_screenshot(str(folder / name))
    driver.set_window_size(1280, 900)
    assert (folder / name).stat().st_size > 1000


def _text(driver, css: str) -> str:
    """The text of `css` once the page that holds it has loaded (a submit returns before)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    found = WebDriverWait(driver, 60).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))
    return found.text.translate(SPACES)


def test_list_edit_refuse_build_download_and_check(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, root = server
    browser.get(base + "/")
    rows = browser.find_elements(By.CSS_SELECTOR, "#associations tbody tr")
    assert len(rows) == 27
    assert "148 625,00 €" in _text(browser, "#assoc-acarlogi")
    _shot(browser, "web-associations.png", tmp_path)

    browser.find_element(By.LINK_TEXT, "Acarlogi").click()
    assert _text(browser, "#total-2026") == "148 625,00 €"
    _shot(browser, "web-association.png", tmp_path)

    field = browser.find_element(By.ID, "f-2026-0-asll_points")
    assert field.get_attribute("value") == "35"
    field.clear()
    field.send_keys("36")
    browser.find_element(By.ID, "enregistrer-2026-0").click()
    assert "enregistrée" in _text(browser, "#enregistre")
    assert _text(browser, "#total-2026") == "149 656,40 €"
    saved = (root / "conventions" / "associations" / "acarlogi.yaml").read_text(encoding="utf-8")
    assert saved.splitlines()[34] == "        asll_points: 36"

    field = browser.find_element(By.ID, "f-2026-0-asll_points")
    field.clear()
    field.send_keys("trente")
    browser.find_element(By.ID, "enregistrer-2026-0").click()
    refused = _text(browser, "#erreur-2026-0-asll_points")
    assert "allocations[1].lignes[0].asll_points: trouvé le texte « trente », attendu un nombre entier" \
        in refused
    assert _text(browser, "#total-2026") == "149 656,40 €"  # nothing saved

    browser.get(base + "/annee/2026")
    browser.find_element(By.ID, "bouton-produire").click()
    assert "fichiers écrits dans" in _text(browser, "#journal")
    links = browser.find_elements(By.CSS_SELECTOR, "#fichiers a")
    avenant = next(a for a in links if a.text.startswith("avenants/") and "acarlogi" in a.text
                   and a.text.endswith(".docx") and "annexe" not in a.text)
    name = avenant.text.rsplit("/", 1)[1]
    avenant.click()
    path = browser.downloads / name
    for _ in range(100):
        if path.is_file() and not list(browser.downloads.glob("*.crdownload")):
            break
        time.sleep(0.1)
    from docx import Document

    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    text = text.translate(SPACES)
    assert "CommunAupôle Lens-Liévin : 36 points mensuels (37 130,40 €)" in text  # 36 × 85,95 × 12
    assert "la subvention maximum est de 104 171,40 € soit 101 points mensuels" in text

    archive = tmp_path / "soumissions-2026.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for item in sorted(EXAMPLE.rglob("*")):
            if item.is_file():
                out.write(item, f"soumissions-2026/{item.relative_to(EXAMPLE).as_posix()}")
    browser.get(base + "/controle")
    browser.execute_script("document.querySelector('input[name=as_of]').value = '2026-11-22'")
    browser.find_element(By.CSS_SELECTOR, "input[name=archive]").send_keys(str(archive))
    browser.find_element(By.ID, "bouton-controler").click()
    summary = _text(browser, "#resume")
    from datetime import date

    from engine.checker.ruleset import load_ruleset
    from engine.checker.run import run_check
    from engine.commands.check import conventions_reference

    ruleset = load_ruleset()
    expected = run_check(EXAMPLE, date(2026, 11, 22), ruleset,
                         reference=conventions_reference(root / "conventions", ruleset))
    assert (f"{expected.measures} mesure(s), {expected.documents} pièce(s), {expected.errors} erreur(s), "
            f"{expected.warnings} avertissement(s)") in summary
    _shot(browser, "web-controle.png", tmp_path)

    grids = tmp_path / "grilles.zip"
    with zipfile.ZipFile(grids, "w") as out:
        for item in sorted((PROJECT_ROOT / "examples" / "activite-2026").glob("grille_activite_*.xlsx")):
            out.write(item, f"grilles/{item.name}")
    browser.get(base + "/annee/2026/solde")
    browser.find_element(By.CSS_SELECTOR, "input[name=archive]").send_keys(str(grids))
    browser.find_element(By.ID, "bouton-solder").click()
    row = _text(browser, "#solde-apsa-du-pas-de-calais")
    assert row.startswith("A.P.S.A. du Pas-de-Calais calculé 290 170,20 €"), row
    assert "solde_2026.xlsx" in _text(browser, "#fichiers-solde")
    _shot(browser, "web-solde.png", tmp_path)
