"""The decision report: self-contained HTML per case, in the chosen language; loaded in a
real browser (headless Chromium) for EVERY example case, with what it shows checked."""

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from icpolicy.cases.inputs import iter_case_documents
from icpolicy.cli.main import cli
from icpolicy.report.html import render_html

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "cases"
GOLDEN = ROOT / "tests" / "golden" / "report"
REGEN = os.environ.get("ICPOLICY_REGEN_GOLDEN") == "1"
INPUTS = list(iter_case_documents([str(EXAMPLES)]))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def _pinned(html: str) -> str:
    # The hash (and so the record id) changes with every edit of the policy file.
    html = re.sub(r'<span class="hash">[0-9a-f]{64}</span>', '<span class="hash">&lt;sha256&gt;</span>', html)
    return re.sub(r'<span class="hash" id="record-id">[0-9a-f]{16}</span>',
                  '<span class="hash" id="record-id">&lt;record&gt;</span>', html)


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("name", ["11-mixed-projects", "07-norwegian-supplier-foreign-parts", "08-foa-exception"])
def test_report_is_golden(bif, name, lang):
    item = next(i for i in INPUTS if Path(i.name).stem == name)
    html = _pinned(render_html(bif.evaluate(item.doc.data), lang, item.doc.data))
    path = GOLDEN / f"{name}.{lang}.html"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    assert html == path.read_text(encoding="utf-8")


def test_report_is_self_contained_and_printable(bif):
    item = next(i for i in INPUTS if "11-" in i.name)
    html = render_html(bif.evaluate(item.doc.data), "nb", item.doc.data)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nb">' in html
    assert not re.search(r"<(script|link|img|iframe|object)\b", html)
    assert not re.search(r"""(src|href)=["'](?!#)""", html)  # only links inside the document
    assert "url(" not in html and "@import" not in html
    assert "@media print" in html
    # The record id is the same for the same case under the same policy.
    again = render_html(bif.evaluate(item.doc.data), "nb", item.doc.data)
    assert re.search(r'id="record-id">([0-9a-f]{16})<', html).group(1) == \
        re.search(r'id="record-id">([0-9a-f]{16})<', again).group(1)


def test_report_command_writes_one_document_per_case(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").glob("*.html"))
    assert len(files) == len(INPUTS)
    assert sorted(result.stdout.splitlines()) == sorted(str(f) for f in files)


def test_report_command_reports_a_bad_case_and_writes_the_rest(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: X\ndate: 2026-01-01\nprocurement: {value_nok: lots}\nsupplier: {country: US}\n")
    result = CliRunner().invoke(cli, ["report", str(bad), str(EXAMPLES / "01-us-frigate-direct.yaml"),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.yaml:3:" in result.output
    assert [f.name for f in (tmp_path / "out").iterdir()] == ["CASE-2026-001.html"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("headless Chromium (chromium, chromedriver) is not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1000,1400",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_the_browser_log_does_show_console_errors(browser, tmp_path):
    # The check below would be worthless if errors never reached the log.
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script>console.error('boom')</script></body></html>")
    browser.get(page.as_uri())
    assert any("boom" in e["message"] for e in browser.get_log("browser"))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_example_report_loads_in_headless_chromium(browser, tmp_path, lang):
    from selenium.webdriver.common.by import By

    out = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    words = {"nb": ("Vedtaksgrunnlag for sak", "Svar", "Kilder"), "en": ("Decision report for case", "Answer", "Sources")}
    files = sorted(out.glob("*.html"))
    assert len(files) == len(INPUTS)
    for path in files:
        browser.get(path.as_uri())
        shown = browser.find_element(By.TAG_NAME, "body").text
        case_id = path.stem
        assert f"{words[lang][0]} {case_id}" in browser.title
        assert words[lang][1] in shown and words[lang][2] in shown
        assert "NOK" in shown and re.search(r"[0-9a-f]{64}", shown)  # figures and the policy hash
        answer = browser.find_element(By.CSS_SELECTOR, "p.answer").text
        assert len(answer) > 40, path.name
        errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert errors == [], (path.name, errors)
        assert browser.execute_script("return document.styleSheets.length") == 1
    browser.get((out / "CASE-2026-011.html").as_uri())
    shot = tmp_path / f"CASE-2026-011.{lang}.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    text = browser.find_element(By.TAG_NAME, "body").text
    expected = {"nb": ["må vurderes manuelt", "Forpliktelse", "120 000 000 NOK", "Tall brukt"],
                "en": ["needs review", "Obligation", "120 000 000 NOK", "Figures used"]}[lang]
    for phrase in expected:
        assert phrase in text, phrase


def test_chromium_prints_the_report_to_pdf(tmp_path, bif):
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed")
    import subprocess

    item = next(i for i in INPUTS if "11-" in i.name)
    page = tmp_path / "report.html"
    page.write_text(render_html(bif.evaluate(item.doc.data), "nb", item.doc.data), encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'p'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
