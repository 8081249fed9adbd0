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
        if log["level"] == "SEVERE"
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


# --- phone and desktop (issue 15) ------------------------------------------------------------------

from page_weight import PAGE_WEIGHT_LIMIT, page_weight, served  # noqa: E402

SIZES = {"phone": (390, 844), "desktop": (1280, 800)}


@pytest.fixture(scope="module", params=list(SIZES))
def sized_browser(request):
    width, height = SIZES[request.param]
    profile = tempfile.mkdtemp(prefix="panj-chromium-")
    driver = offline_chromium(profile, f"{width},{height}")
    if request.param == "phone":
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 1})
    driver.panj_size = (width, height)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize("entry", toc_files())
def test_page_fits_the_screen_with_working_navigation_and_no_error(built_book, sized_browser, entry):
    """No page scrolls sideways; every chart's title and frame fit the screen (the drawing scrolls
    inside its frame); the menu and contents buttons open their panels; the console stays clean."""
    from selenium.webdriver.common.by import By

    driver = sized_browser
    width, _ = driver.panj_size
    driver.get_log("browser")
    driver.get((html_dir(built_book) / f"{entry}.html").as_uri())
    state = _wait_for_charts(driver)
    assert state["drawn"] == state["total"]
    layout = driver.execute_script("""
      const doc = document.documentElement;
      const wide = [...document.querySelectorAll('.panj-chart-title, .panj-chart-subtitle, .panj-chart-frame, .panj-chart-controls')]
        .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1).map(e => e.className + ': ' + e.textContent.slice(0, 40));
      return {scroll: doc.scrollWidth, client: doc.clientWidth, wide: wide};""")
    assert layout["scroll"] <= layout["client"], f"the page scrolls sideways ({layout['scroll']} > {layout['client']} px)"
    assert layout["wide"] == []
    for toggle, panel in ((".primary-toggle", "pst-primary-sidebar"), (".secondary-toggle", "pst-secondary-sidebar")):
        buttons = [b for b in driver.find_elements(By.CSS_SELECTOR, toggle) if b.is_displayed()]
        if not buttons:
            continue
        shown = f"""const ids = ['{panel}', '{panel}-modal'];
          return ids.map(id => document.getElementById(id)).filter(p => p).some(p => {{
            const r = p.getBoundingClientRect(), s = getComputedStyle(p);
            return r.width > 50 && r.right > 0 && r.left < document.documentElement.clientWidth && s.visibility !== 'hidden'
                   && s.display !== 'none' && (p.tagName !== 'DIALOG' || p.open);
          }});"""
        before = driver.execute_script(shown)
        buttons[0].click()
        time.sleep(0.5)
        after = driver.execute_script(shown)
        assert after != before or after, f"{toggle} at {width} px does nothing"
        assert after != before, f"{toggle} at {width} px changes nothing"
        driver.execute_script("document.querySelectorAll('dialog[open]').forEach(d => d.close());")
        if after and not before:
            continue
        buttons[0].click()  # the desktop's sidebar was open: the button closed it; open it again
        time.sleep(0.3)
    errors = [log["message"] for log in driver.get_log("browser") if log["level"] == "SEVERE"]
    assert errors == []


@pytest.mark.parametrize("entry", [e for e in toc_files() if e not in ("book/references", "book/glossary")])
def test_page_weighs_at_most_2_mb_with_its_assets(built_book, sized_browser, entry):
    with served(html_dir(built_book)) as base:
        total, loaded = page_weight(sized_browser, f"{base}{entry}.html")
    assert total <= PAGE_WEIGHT_LIMIT, f"{entry}: {total:,} bytes; heaviest: {loaded[:4]}"


def test_interactive_charts_reset_and_put_their_controls_first(built_book, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    for entry in ("book/dispute", "book/outlook"):
        browser.get((html_dir(built_book) / f"{entry}.html").as_uri())
        assert _wait_for_charts(browser)["errors"] == []
        order = browser.execute_script("""
          return [...document.querySelectorAll('.panj-chart-block')].filter(b => b.querySelector('.panj-chart-reset')).map(b => {
            const reset = b.querySelector('.panj-chart-reset'), chart = b.querySelector('.panj-chart');
            const inputs = [...b.querySelectorAll('input, select')];
            const before = (x) => !!(x.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING);
            return {reset: before(reset), inputs: inputs.every(before), n: inputs.length};
          });""")
        assert order and all(o["reset"] and o["inputs"] for o in order), (entry, order)
    # The timeline: pick a type in the legend, then Reset clears the pick.
    browser.get((html_dir(built_book) / "book" / "dispute.html").as_uri())
    _wait_for_charts(browser)
    block = browser.find_element(By.CSS_SELECTOR, "#fig-timeline .panj-chart-block")
    faded = "return [...arguments[0].querySelectorAll('.mark-symbol path')].filter(p => parseFloat(p.getAttribute('opacity') || 1) < 0.2).length;"
    symbol = block.find_element(By.CSS_SELECTOR, ".role-legend-symbol path")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", symbol)
    ActionChains(browser).move_to_element(symbol).click().perform()
    time.sleep(0.5)
    assert browser.execute_script(faded, block) > 0, "the legend pick faded nothing"
    block.find_element(By.CSS_SELECTOR, ".panj-chart-reset").click()
    time.sleep(1.0)
    assert browser.execute_script("return !!arguments[0].querySelector('svg.marks');", block)
    assert browser.execute_script(faded, block) == 0, "Reset left the legend pick"
    # Sliders come back to their starting values.
    browser.get((html_dir(built_book) / "book" / "outlook.html").as_uri())
    _wait_for_charts(browser)
    slider = browser.find_element(By.CSS_SELECTOR, ".panj-chart-bindings input[type=range]")
    start = slider.get_attribute("value")
    browser.execute_script("arguments[0].value = arguments[0].max; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));", slider)
    assert slider.get_attribute("value") != start
    reset = browser.execute_script("return arguments[0].closest('.panj-chart-block').querySelector('.panj-chart-reset');", slider)
    reset.click()
    time.sleep(1.0)
    assert browser.find_element(By.CSS_SELECTOR, ".panj-chart-bindings input[type=range]").get_attribute("value") == start


def test_tooltip_appears_on_tap(built_book, sized_browser):
    driver = sized_browser
    if driver.panj_size[0] != 390:
        pytest.skip("the phone only")
    driver.get((html_dir(built_book) / "book" / "background.html").as_uri())
    assert _wait_for_charts(driver)["drawn"] >= 1
    box = driver.execute_script("""
      const m = document.querySelector('#fig-border-lengths .panj-chart svg .mark-symbol path');
      m.scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];""")
    for kind in ("touchStart", "touchEnd"):
        driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [] if kind == "touchEnd" else [{"x": box[0], "y": box[1]}]})
    deadline = time.monotonic() + 5
    shown = ""
    while time.monotonic() < deadline and not shown:
        shown = driver.execute_script("const t = document.getElementById('vg-tooltip-element');"
                                      "return t && t.classList.contains('visible') ? t.textContent : '';")
        time.sleep(0.1)
    assert "Source" in shown
