"""What a reader's browser loads for each page: the page and every asset it fetched, in bytes, as the
browser counts them (the Resource Timing API) from a local HTTP server. Used by the browser test
(at most PAGE_WEIGHT_LIMIT a chapter page) and by scripts/benchmark.py (the table)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from pathlib import Path

PAGE_WEIGHT_LIMIT = 2_000_000

_LOADED_BYTES = """
const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
return entries.map(e => [e.name, e.encodedBodySize || e.transferSize || 0]);
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def served(folder: Path):
    """The folder on http://127.0.0.1:<port>/ while the block runs; yields the base address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def page_weight(driver, url: str, settle: float = 1.5) -> tuple[int, list[tuple[str, int]]]:
    """Open the page with an empty cache, let it load its fonts and charts, and sum what it loaded."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.get(url)
    time.sleep(settle)
    loaded = driver.execute_script(_LOADED_BYTES)
    return sum(size for _, size in loaded), sorted(loaded, key=lambda item: -item[1])


def weights(driver, html_dir: Path, pages: list[str]) -> dict[str, int]:
    """page (toc entry) -> bytes loaded."""
    with served(html_dir) as base:
        return {page: page_weight(driver, f"{base}{page}.html")[0] for page in pages}


def table(measured: dict[str, int]) -> list[str]:
    """Markdown lines: each page's weight against the limit."""
    lines = ["| page | bytes loaded (page and assets) | limit | met |", "|---|---:|---:|---|"]
    lines += [f"| {page} | {size:,} | {PAGE_WEIGHT_LIMIT:,} | {'yes' if size <= PAGE_WEIGHT_LIMIT else 'NO'} |"
              for page, size in measured.items()]
    return lines
