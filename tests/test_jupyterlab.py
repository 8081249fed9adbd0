"""JupyterLab as the README's `bash scripts/lab` starts it, driven by headless Chromium: each
chapter runs all its cells with no error and nothing on stderr, and every chart it makes draws
as a Vega view that answers the mouse, with nothing fetched from the network.

JupyterLab autosaves, so it serves a copy of the book (PANJBOOK_ROOT points the kernels at it)
and each test that runs notebooks checks that the book's own are byte for byte what they were."""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import offline_chromium
from panjbook.execute import chapter_notebooks
from panjbook.paths import BOOK_DIR, ROOT

pytestmark = pytest.mark.browser

LAB_COMMAND = Path(__file__).resolve().parents[1] / "scripts" / "lab"  # the README's command
VEGA_LITE = "application/vnd.vegalite.v5+json"
CHARTED_CHAPTERS = {"background", "dispute", "stances", "outlook"}
BOOK_COPY = ("book", "data", "_config.yml", "_toc.yml")
PROBE_DIR = "jupyterlab-probe"  # beside the chapters in the copy only
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chart_outputs(notebook: nbformat.NotebookNode) -> int:
    return sum(VEGA_LITE in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", []))


def notebooks_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(BOOK_DIR.glob("*.ipynb")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def probe_notebook() -> nbformat.NotebookNode:
    """A chart with a tooltip, then a cell that writes to stderr, then one that fails."""
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": [{"place": "Panj", "km": 1344}, {"place": "Pamir", "km": 600}]},
        "mark": {"type": "bar"},
        "encoding": {"x": {"field": "place", "type": "nominal"}, "y": {"field": "km", "type": "quantitative"},
                     "tooltip": [{"field": "place"}, {"field": "km"}]},
    }
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from IPython.display import display\n"
            f"display({{{VEGA_LITE!r}: {spec!r}, 'text/plain': 'chart'}}, raw=True)"),
        nbformat.v4.new_code_cell("import sys\nprint('a warning', file=sys.stderr)"),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    return notebook


@pytest.fixture(scope="module")
def lab_root(tmp_path_factory) -> Path:
    """A copy of the book for JupyterLab to serve (and autosave into), plus the probe notebook."""
    root = tmp_path_factory.mktemp("lab-root")
    for name in BOOK_COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / "book" / PROBE_DIR).mkdir()
    nbformat.write(probe_notebook(), root / "book" / PROBE_DIR / "probe.ipynb")
    return root


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def lab(lab_root, tmp_path_factory):
    """`bash scripts/lab` on the copy, on a free localhost port, with its own Jupyter folders
    so that no user setting or kernel of this machine takes part. Yields (url, log path)."""
    state = tmp_path_factory.mktemp("lab-state")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, PANJBOOK_ROOT=str(lab_root), IPYTHONDIR=str(state / "ipython"),
               JUPYTER_CONFIG_DIR=str(state / "config"), JUPYTER_DATA_DIR=str(state / "data"),
               JUPYTER_RUNTIME_DIR=str(state / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"), JUPYTER_PLATFORM_DIRS="1")
    log_path = state / "server.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            ["bash", str(LAB_COMMAND), "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"scripts/lab exited:\n{log_path.read_text()}"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, f"JupyterLab did not start:\n{log_path.read_text()}"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/lab?token={token}", log_path
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    """Headless Chromium with JupyterLab open; every host but localhost fails to resolve."""
    driver = offline_chromium(tmp_path_factory.mktemp("chromium"), "1600,1600")
    driver.set_script_timeout(240)
    try:
        driver.get(lab[0])
        deadline = time.monotonic() + 60
        while not driver.execute_script("return !!window.jupyterapp"):
            assert time.monotonic() < deadline, "JupyterLab did not load in the browser"
            time.sleep(0.2)
        driver.execute_async_script("window.jupyterapp.restored.then(arguments[arguments.length - 1]);")
        yield driver
    finally:
        driver.quit()


OPEN_NOTEBOOK = """
const [path, done] = [arguments[0], arguments[arguments.length - 1]];
(async () => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  app.shell.activateById(panel.id);
  window.panjPanel = panel;
  done(null);
})().catch(error => done(String(error)));
"""

KERNEL_STATE = """
const session = window.panjPanel.sessionContext;
return session.session && session.session.kernel ? session.session.kernel.status : 'none';
"""

RUN_ALL = """
const done = arguments[arguments.length - 1];
(async () => {
  const app = window.jupyterapp, panel = window.panjPanel;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells');
  done(null);
})().catch(error => done(String(error)));
"""

CELL_OUTPUTS = """
const cells = window.panjPanel.content.model.cells, result = [];
for (let i = 0; i < cells.length; i++) {
  const cell = cells.get(i);
  if (cell.type === 'code') result.push({index: i, count: cell.executionCount, outputs: cell.outputs.toJSON()});
}
return {busy: window.panjPanel.sessionContext.session.kernel.status !== 'idle', cells: result};
"""

# JupyterLab draws a Vega-Lite output with vega-embed into a .jp-RenderedVegaLite element, on a
# canvas.marks by default (an svg.marks if the output asks for the SVG renderer). Drawn: the
# surface exists and holds more than one colour. (The svg of the actions menu is no chart.)
CHARTS = "[...window.panjPanel.node.querySelectorAll('.jp-RenderedVegaLite')]"
DRAWN = """
const drawn = chart => {
  const surface = chart.querySelector('.vega-embed .marks');
  if (!surface) return false;
  if (surface.tagName.toLowerCase() === 'svg') return !!surface.querySelector('.role-mark');
  if (!surface.width || !surface.height) return false;
  const pixels = new Uint32Array(surface.getContext('2d').getImageData(0, 0, surface.width, surface.height).data.buffer);
  return pixels.some(p => p !== pixels[0]);
};
"""
CHART_STATE = DRAWN + f"const charts = {CHARTS};" + """
return {total: charts.length, drawn: charts.filter(drawn).length};
"""
DRAWN_CHARTS = DRAWN + f"return {CHARTS}.filter(drawn).map(c => c.querySelector('.vega-embed .marks'));"

IN_VIEW = """
const box = arguments[0].getBoundingClientRect(), view = window.panjPanel.content.node.getBoundingClientRect();
const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
return x > view.left && x < view.right && y > view.top && y < view.bottom;
"""

TOOLTIP_TEXT = """
const tip = document.getElementById('vg-tooltip-element');
return tip && tip.classList.contains('visible') ? tip.textContent : '';
"""

# Find where on a chart Vega shows a tooltip, with synthetic pointer events (fast): try the
# points where something is drawn (on a canvas: pixels unlike the background, most colourful
# first; on an svg: the centres of the marks' items), then go to the middle of the area that
# shows the tooltip, since a real pointer lands within a pixel or so. Returns that point as an
# offset from the surface's centre, or null. Ends on a blank corner, so the tooltip hides again.
FIND_TOOLTIP_POINT = """
const surface = arguments[0], box = surface.getBoundingClientRect(), started = performance.now();
// Only where a real pointer can go next: inside the notebook's visible area.
const view = window.panjPanel.content.node.getBoundingClientRect();
const reachable = (x, y) => box.left + x > view.left + 2 && box.left + x < view.right - 20
                            && box.top + y > view.top + 2 && box.top + y < view.bottom - 20;
const shows = (x, y) => {
  const at = {clientX: box.left + x, clientY: box.top + y, bubbles: true, pointerType: 'mouse'};
  surface.dispatchEvent(new PointerEvent('pointermove', at));
  surface.dispatchEvent(new MouseEvent('mousemove', at));
  const tip = document.getElementById('vg-tooltip-element');
  return !!tip && tip.classList.contains('visible') && tip.textContent.trim() !== '';
};
const middle = (from, limit, test) => { let a = from, b = from;
  while (a > 0 && test(a - 1)) a--; while (b + 1 < limit && test(b + 1)) b++; return Math.round((a + b) / 2); };
let candidates = [];
if (surface.tagName.toLowerCase() === 'canvas') {
  const ratio = surface.width / box.width;
  const pixels = new Uint32Array(surface.getContext('2d').getImageData(0, 0, surface.width, surface.height).data.buffer);
  for (let y = 1; y < box.height; y += 3)
    for (let x = 1; x < box.width; x += 3) {
      const p = pixels[Math.floor(y * ratio) * surface.width + Math.floor(x * ratio)];
      if (p === pixels[0] || !reachable(x, y)) continue;
      const [r, g, b] = [p & 255, (p >> 8) & 255, (p >> 16) & 255];
      candidates.push({x, y, colour: Math.max(r, g, b) - Math.min(r, g, b)});
    }
  candidates.sort((a, b) => b.colour - a.colour);
} else {
  for (const item of surface.querySelectorAll('g.role-mark > :not(g)')) {
    const r = item.getBoundingClientRect();
    const [x, y] = [r.left + r.width / 2 - box.left, r.top + r.height / 2 - box.top];
    if ((r.width || r.height) && reachable(x, y)) candidates.push({x, y});
  }
}
let found = null;
for (const {x, y} of candidates) {
  if (performance.now() - started > 20000) break;
  if (shows(x, y)) {
    const my = middle(Math.round(y), box.height, v => shows(x, v));
    const mx = middle(Math.round(x), box.width, v => shows(v, my));
    found = {dx: Math.round(mx - box.width / 2), dy: Math.round(my - box.height / 2)};
    break;
  }
}
shows(0, 0);
surface.dispatchEvent(new PointerEvent('pointerout', {bubbles: true}));
surface.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
return found;
"""

CLOSE_NOTEBOOK = """
const done = arguments[arguments.length - 1];
(async () => {
  const panel = window.panjPanel;
  await panel.sessionContext.shutdown();
  panel.context.model.dirty = false;
  panel.dispose();
  done(null);
})().catch(error => done(String(error)));
"""


def run_in_lab(browser, path: str, timeout: float = 150) -> list[dict]:
    """Open `path` (relative to the served book/), run all cells; the code cells' outputs."""
    from selenium.webdriver.common.by import By

    assert browser.execute_async_script(OPEN_NOTEBOOK, path) is None
    deadline = time.monotonic() + 60
    while browser.execute_script(KERNEL_STATE) not in ("idle", "busy"):
        # The kernel is preset (scripts/jupyterlab-overrides.json); should a 'Select Kernel'
        # dialog still come up, take its default, the notebook's own kernel.
        for button in browser.find_elements(By.CSS_SELECTOR, ".jp-Dialog .jp-mod-accept"):
            button.click()
        assert time.monotonic() < deadline, f"no kernel started for {path}"
        time.sleep(0.2)
    assert browser.execute_async_script(RUN_ALL) is None
    deadline = time.monotonic() + timeout
    while True:
        state = browser.execute_script(CELL_OUTPUTS)
        ran = all(cell["count"] is not None for cell in state["cells"])
        if (ran and not state["busy"]) or any(o["output_type"] == "error" for c in state["cells"] for o in c["outputs"]):
            return state["cells"]
        assert time.monotonic() < deadline, f"{path} did not finish running in {timeout} s"
        time.sleep(0.5)


def cell_problems(cells: list[dict]) -> list[str]:
    """Every error output and every stderr output, naming the cell."""
    problems = []
    for cell in cells:
        for output in cell["outputs"]:
            if output["output_type"] == "error":
                problems.append(f"cell {cell['index']}: {output['ename']}: {output['evalue']}")
            elif output["output_type"] == "stream" and output["name"] == "stderr":
                text = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
                problems.append(f"cell {cell['index']}: stderr: {text.strip()[:300]}")
    return problems


def wait_for_charts(browser, expected: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = browser.execute_script(CHART_STATE)
        if state["drawn"] >= expected or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def tooltips_on_hover(browser) -> list[str]:
    """For each drawn chart, the text of the Vega tooltip that the real mouse brings up over it
    ('' if none). A quick sweep of synthetic pointer events finds a mark with a tooltip; then
    the mouse, moved there by the browser, must show the tooltip again."""
    from selenium.webdriver.common.action_chains import ActionChains

    texts = []
    toolbar = browser.execute_script("return window.panjPanel.toolbar.node;")
    for surface in browser.execute_script(DRAWN_CHARTS):
        # JupyterLab may still scroll to the active cell after a run: scroll until the chart stays put.
        settled = 0
        for _ in range(40):
            if browser.execute_script(IN_VIEW, surface):
                settled += 1
                if settled == 3:
                    break
            else:
                settled = 0
                browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", surface)
            time.sleep(0.1)
        ActionChains(browser).move_to_element(toolbar).perform()
        point = browser.execute_script(FIND_TOOLTIP_POINT, surface)
        text = ""
        if point is not None:
            assert browser.execute_script(TOOLTIP_TEXT) == "", "the tooltip did not hide"
            ActionChains(browser).move_to_element_with_offset(surface, point["dx"], point["dy"]).perform()
            deadline = time.monotonic() + 3
            while not text.strip() and time.monotonic() < deadline:
                text = browser.execute_script(TOOLTIP_TEXT)
                time.sleep(0.05)
        texts.append(text)
    return texts


def outside_requests(browser) -> list[str]:
    """URLs the page asked for since the last call that are not on this machine."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            url = message["params"].get("request", {}).get("url") or message["params"].get("url", "")
            match = re.match(r"(?:https?|wss?|ftp)://([^/:]+)", url)
            if match and match[1] not in LOCAL_HOSTS:
                urls.append(url)
    return urls


def close_notebook(browser) -> None:
    assert browser.execute_async_script(CLOSE_NOTEBOOK) is None


def test_lab_machinery_on_a_probe_notebook(lab, browser):
    """The checks below see a drawn Vega-Lite chart and its tooltip, stderr and an error."""
    before = notebooks_digest()
    cells = run_in_lab(browser, f"{PROBE_DIR}/probe.ipynb")
    assert cell_problems(cells) == ["cell 1: stderr: a warning", "cell 2: ZeroDivisionError: division by zero"]
    assert sum(VEGA_LITE in o.get("data", {}) for c in cells for o in c["outputs"]) == 1
    assert wait_for_charts(browser, 1) == {"total": 1, "drawn": 1}
    [tooltip] = tooltips_on_hover(browser)
    assert "place" in tooltip and "km" in tooltip
    close_notebook(browser)
    assert outside_requests(browser) == []
    assert notebooks_digest() == before


def test_lab_server_fetches_nothing(lab):
    """The server ends that would reach the internet (news feed, update check) are off, and so
    are the extension manager and news in JupyterLab's settings."""
    base, token = lab[0].split("/lab?token=")

    def get(path: str):
        with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=10) as response:
            return json.load(response)

    assert get("/lab/api/news") == {"news": []}
    assert get("/lab/api/update") == {"notification": None}
    def setting(plugin: str, key: str):
        # What the user set, else the default (which scripts/jupyterlab-overrides.json replaces).
        answer = get(f"/lab/api/settings/{plugin}")
        return answer["settings"].get(key, answer["schema"]["properties"][key]["default"])

    assert setting("@jupyterlab/apputils-extension:notification", "fetchNews") == "false"
    assert setting("@jupyterlab/apputils-extension:notification", "checkForUpdates") is False
    assert setting("@jupyterlab/extensionmanager-extension:plugin", "enabled") is False
    assert "Extension Manager is 'readonly'" in lab[1].read_text(errors="replace")


@pytest.mark.parametrize("chapter", [p.stem for p in chapter_notebooks()])
def test_chapter_runs_and_draws_every_chart_in_lab(lab, browser, chapter):
    before = notebooks_digest()
    # How many charts the chapter makes: its stored outputs, which strict nbval holds to a fresh run.
    expected = chart_outputs(nbformat.read(BOOK_DIR / f"{chapter}.ipynb", as_version=4))
    if chapter in CHARTED_CHAPTERS:
        assert expected >= 1, f"{chapter} stores no {VEGA_LITE} output: its charts would not draw in JupyterLab"

    cells = run_in_lab(browser, f"{chapter}.ipynb")
    assert cell_problems(cells) == []
    made = sum(VEGA_LITE in o.get("data", {}) for c in cells for o in c["outputs"])
    assert made == expected
    state = wait_for_charts(browser, expected)
    assert state == {"total": expected, "drawn": expected}, f"{state['drawn']} of {expected} charts drew"
    tooltips = tooltips_on_hover(browser)
    silent = [i for i, text in enumerate(tooltips) if not text.strip()]
    assert silent == [], f"charts {silent} (in page order) showed no tooltip on hover"
    close_notebook(browser)

    assert outside_requests(browser) == [], "JupyterLab tried to reach the network"
    log = lab[1].read_text(errors="replace")
    foreign = [u for u in re.findall(r"(?:https?|wss?)://[^\s'\"]+", log)
               if re.match(r"[a-z]+://([^/:]+)", u)[1] not in LOCAL_HOSTS]
    assert foreign == [], "the server log names another host"
    assert notebooks_digest() == before, "the repository's notebooks changed"
