"""Open every built page in headless Chromium with the network cut off: every chart draws,
answers the mouse with a tooltip, and the book's own scripts log no errors."""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from conftest import offline_chromium
from panjbook.build import html_dir, toc_files

pytestmark = [pytest.mark.build, pytest.mark.browser]

# sphinx-thebe, which Jupyter Book always loads, declares one constant twice: not the book's code.
KNOWN_FOREIGN_ERRORS = ("THEBE_JS_URL",)


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="panj-chromium-")
    driver = offline_chromium(profile, "1280,1600")
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _wait_for_charts(driver, timeout=20.0) -> dict:
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = driver.execute_script(
            """
            const charts = [...document.querySelectorAll('.panj-chart')];
            return {
              total: charts.length,
              drawn: charts.filter(c => c.querySelector('svg.marks')).length,
              errors: charts.filter(c => !c.querySelector('svg.marks'))
                            .map(c => c.textContent).filter(t => /^Chart error:|needs the book's Vega bundle/.test(t)),
            };
            """
        )
        if state["total"] == state["drawn"] or state["errors"]:
            break
        time.sleep(0.2)
    return state


@pytest.mark.parametrize("entry", toc_files())
def test_page_draws_every_chart_offline(built_book, browser, entry):
    page = html_dir(built_book) / f"{entry}.html"
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(page.as_uri())
    state = _wait_for_charts(browser)
    assert state["errors"] == []
    assert state["drawn"] == state["total"], f"{state['drawn']} of {state['total']} charts drew"

    requests = []
    for entry_log in browser.get_log("performance"):
        message = json.loads(entry_log["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")):
                requests.append(url)
    assert requests == [], "the page tried to reach the network"

    errors = [
        log["message"] for log in browser.get_log("browser")
        if log["level"] == "SEVERE" and not any(k in log["message"] for k in KNOWN_FOREIGN_ERRORS)
    ]
    assert errors == []


def test_chart_tooltip_answers_the_mouse(built_book, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get((html_dir(built_book) / "book" / "background.html").as_uri())
    assert _wait_for_charts(browser)["drawn"] >= 1
    mark = browser.find_element(By.CSS_SELECTOR, "#fig-border-lengths .panj-chart svg .mark-symbol path")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", mark)
    ActionChains(browser).move_to_element(mark).perform()
    deadline = time.monotonic() + 5
    text = ""
    while time.monotonic() < deadline and not text:
        text = browser.execute_script(
            "const t = document.getElementById('vg-tooltip-element');"
            "return t && t.classList.contains('visible') ? t.textContent : '';"
        )
        time.sleep(0.1)
    assert "km" in text and "Source" in text


AXE = Path(__file__).parent / "js" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("entry", toc_files())
def test_page_has_no_serious_accessibility_violations(built_book, browser, entry):
    """axe-core (WCAG 2 A and AA rules) finds no serious or critical violation on the page."""
    assert AXE.exists(), "run scripts/setup.sh: it installs axe-core from tests/js/package.json"
    browser.get((html_dir(built_book) / f"{entry}.html").as_uri())
    _wait_for_charts(browser)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), targets: []}]));"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_book_works_from_a_static_server(built_book, browser):
    """The same pages, served over HTTP from localhost, draw their charts and reach nothing else."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html_dir(built_book)))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for entry in ("index", "book/background", "book/stances"):
            browser.get(f"http://127.0.0.1:{port}/{entry}.html")
            state = _wait_for_charts(browser)
            assert state["errors"] == [] and state["drawn"] == state["total"], (entry, state)
    finally:
        server.shutdown()
