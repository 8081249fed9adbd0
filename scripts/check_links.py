"""Check the external addresses of the sources (data/sources.csv) and write a report. Not part of
the test suite: it needs a network, and other sites change on their own schedule.

    .venv/bin/python scripts/check_links.py                  # every source, report in bench/results/links.md
    .venv/bin/python scripts/check_links.py --limit 20       # the first 20 addresses only
    .venv/bin/python scripts/check_links.py --delay 2 --timeout 20

Politely: one request at a time, at least --delay seconds between two requests to the same host,
a HEAD request first (a GET, reading at most 64 KB, when a server refuses HEAD), --timeout seconds
at most per request, and a User-Agent that names the book. Without a network (the first addresses
all fail to connect), it writes a report that says so and exits 2. Exit 1 when an address is broken
(4xx or 5xx other than a refusal of robots, or no answer), 0 otherwise. The book's own internal
links are checked offline by the tests (tests/test_links.py).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import socket
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources.csv"
REPORT = ROOT / "bench" / "results" / "links.md"
USER_AGENT = "across-the-panj-link-check/1 (checks the sources of a book; one request at a time)"
# Answers that say the page is there but will not serve a script: counted apart, not as broken.
REFUSED = {401, 403, 429, 451}


def addresses() -> list[tuple[str, str]]:
    """(source_id, url) of every source with an address, in the table's order."""
    with open(SOURCES, encoding="utf-8", newline="") as handle:
        return [(row["source_id"], row["url"]) for row in csv.DictReader(handle) if row["url"].startswith(("http://", "https://"))]


def check(url: str, timeout: float) -> tuple[str, str]:
    """(outcome, detail): outcome is 'ok', 'redirected', 'refused', 'broken' or 'unreachable'."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(65536)
                final = response.geturl()
                if final.rstrip("/") != url.rstrip("/"):
                    return "redirected", f"{response.status} to {final}"
                return "ok", str(response.status)
        except urllib.error.HTTPError as err:
            if method == "HEAD" and err.code in (400, 403, 404, 405, 501):
                continue  # some servers refuse or mishandle HEAD: ask again with GET
            return ("refused" if err.code in REFUSED else "broken"), f"HTTP {err.code} {err.reason}"
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as err:
            reason = getattr(err, "reason", err)
            return "unreachable", f"{type(reason).__name__}: {reason}"
    return "broken", "no answer"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="check only the first N addresses")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds between two requests to one host (default 1)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default 15)")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)

    todo = addresses()[: args.limit] if args.limit else addresses()
    last_request: dict[str, float] = {}
    results = []
    started = time.monotonic()
    for number, (source_id, url) in enumerate(todo, start=1):
        host = urlsplit(url).netloc
        wait = last_request.get(host, -1e9) + args.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        outcome, detail = check(url, args.timeout)
        last_request[host] = time.monotonic()
        results.append((source_id, url, outcome, detail))
        print(f"[links] {number}/{len(todo)} {outcome:11} {url}", flush=True)
        if number == 5 and all(r[2] == "unreachable" for r in results):
            break  # no network: five in a row could not connect

    counts = Counter(r[2] for r in results)
    offline = bool(results) and counts["unreachable"] == len(results) and len(results) < len(todo)
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# External links of the sources",
        "",
        f"Checked {when} by `scripts/check_links.py`: {len(results)} of {len(todo)} addresses of `data/sources.csv`, "
        f"in {time.monotonic() - started:.0f} s (timeout {args.timeout:g} s, at least {args.delay:g} s between requests to one host).",
        "",
    ]
    if offline:
        lines += ["**No network**: the first addresses could not be reached at all, so nothing was checked. "
                  "Run the script again where the network is available.", ""]
    lines += ["| outcome | addresses |", "|---|---:|"]
    lines += [f"| {outcome} | {counts[outcome]} |" for outcome in ("ok", "redirected", "refused", "broken", "unreachable")]
    problems = [r for r in results if r[2] in ("broken", "unreachable")]
    if problems and not offline:
        lines += ["", "## Broken or unreachable", "", "| source | address | what happened |", "|---|---|---|"]
        lines += [f"| `{s}` | {u} | {d.replace('|', '/')} |" for s, u, _, d in problems]
    moved = [r for r in results if r[2] == "redirected"]
    if moved:
        lines += ["", "## Redirected (the address in the data may need updating)", "", "| source | address | to |", "|---|---|---|"]
        lines += [f"| `{s}` | {u} | {d.replace('|', '/')} |" for s, u, _, d in moved]
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"[links] wrote {args.report}")
    if offline:
        return 2
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
