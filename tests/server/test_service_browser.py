"""The page in a real browser: headless Chromium driven by selenium fills the form for
two example cases (one typed field by field, one pasted) and reads the decisions shown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from server_support import EXAMPLES

webdriver = pytest.importorskip("selenium.webdriver")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs Debian's chromium and chromium-driver")


@pytest.fixture()
def browser(tmp_path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def _wait_for(driver, predicate, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: predicate(d))


def _value_of(driver, decision: str, project: str | None = None) -> str:
    from selenium.webdriver.common.by import By

    scope = f'table[data-project="{project}"] ' if project else "table.decisions "
    cells = driver.find_elements(By.CSS_SELECTOR, f'{scope}tr[data-decision="{decision}"] td.value')
    return cells[0].text if cells else ""


def _console_errors(driver) -> list:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_a_case_typed_into_the_form(live_server_factory, browser, tmp_path: Path):
    from selenium.webdriver.common.by import By

    server = live_server_factory()
    browser.get(server.url + "/?lang=nb")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Industrisamarbeid")
    typed = {"id": "CASE-2026-010", "procurement.value_nok": "100000000.01", "supplier.country": "NL"}
    for path, text in typed.items():
        field = browser.find_element(By.CSS_SELECTOR, f'[data-path="{path}"]')
        field.send_keys(text)
    date = browser.find_element(By.CSS_SELECTOR, '[data-path="date"]')
    browser.execute_script("arguments[0].value = '2026-06-02'; arguments[0].dispatchEvent(new Event('input', "
                           "{bubbles: true}))", date)
    browser.find_element(By.CSS_SELECTOR, '[data-list="projects"] > button.add').click()
    item = {"projects.id": "P1", "projects.value_nok": "12345678.90", "projects.norwegian_share": "0.5"}
    for path, text in item.items():
        browser.find_element(By.CSS_SELECTOR, f'[data-item-path="{path.replace("projects.", "projects[0].")}"]').send_keys(text)
    for flag in ("partner_in_norway", "initiated_by_supplier", "supports_armed_forces_needs",
                 "in_priority_technology_area"):
        browser.find_element(By.CSS_SELECTOR, f'[data-item-path="projects[0].{flag}"]').click()
    _wait_for(browser, lambda d: _value_of(d, "remaining_obligation_nok") == "93 827 160,56 NOK")
    assert _value_of(browser, "ica_required") == "kreves"
    assert _value_of(browser, "obligation_nok") == "100 000 000,01 NOK"
    assert _value_of(browser, "credit_nok", "P1") == "6 172 839,45 NOK"
    browser.save_screenshot(str(tmp_path / "typed.png"))
    assert (tmp_path / "typed.png").stat().st_size > 10_000
    assert _console_errors(browser) == []


def test_a_pasted_case_and_an_error_shown_at_its_field(live_server_factory, browser, tmp_path: Path):
    from selenium.webdriver.common.by import By

    server = live_server_factory()
    browser.get(server.url + "/?lang=en")
    browser.find_element(By.TAG_NAME, "summary").click()
    text = (EXAMPLES / "11-mixed-projects.yaml").read_text(encoding="utf-8")
    browser.execute_script("document.getElementById('pasted').value = arguments[0]", text)
    browser.find_element(By.ID, "load").click()
    _wait_for(browser, lambda d: _value_of(d, "total_credit_nok") == "122 000 000 NOK")
    assert _value_of(browser, "ica_required") == "required"
    assert _value_of(browser, "status", "P3") == "needs review"
    assert len(browser.find_elements(By.CSS_SELECTOR, '[data-list="projects"] .item')) == 7
    share = browser.find_element(By.CSS_SELECTOR, '[data-item-path="projects[0].norwegian_share"]')
    share.clear()
    share.send_keys("1.5")
    _wait_for(browser, lambda d: share.get_attribute("aria-invalid") == "true")
    error = browser.find_element(By.ID, share.get_attribute("id") + "-error")
    assert error.text
    browser.save_screenshot(str(tmp_path / "pasted.png"))
    assert _console_errors(browser) == []
