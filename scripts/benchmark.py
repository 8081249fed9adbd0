"""Benchmark the book's build; checks the speed and size targets (not part of the tests).

    .venv/bin/python scripts/benchmark.py

Measures, each in a fresh build folder:
- a cold full HTML build and a warm rebuild with nothing changed, three times each (the
  median counts), both by the README's build command in HTML mode (``python -m panjbook.build --html``:
  validate the data, execute the chapters side by side, build with warnings as errors, check
  the pages);
- the cold HTML build of the same book by plain ``jupyter-book build .``, what a Jupyter Book
  user would run instead (myst-nb executes the chapters one after another), three times;
- the cold build of a floor twin of the book (same table of contents and configuration,
  notebooks without code cells, built by jupyter-book alone), three times; cold real, plain
  and floor builds run in turn, so that a slow spell of the machine weighs on all three;
- the rebuild after one row of data/opium.csv changes (in a copy of the book), and which
  chapters it executed;
- the PDF build after the HTML, and the strict nbval run;
- the bytes of the stored notebooks, of every built HTML page and of the shared Vega bundle.
Wall seconds and peak memory of the largest process for each step. Writes
bench/results/benchmark.md and exits 1 when a target is missed.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"

REPEATS = 3  # a single cold build on this shared machine varies by up to a third (floor: 8.6 to 12.4 s)
TARGETS = {"cold_vs_plain": 0.6, "cold_vs_floor": 2.5, "edit_vs_cold": 0.5, "warm_seconds": 3.0, "pdf_seconds": 20.0,
           "notebook_bytes": 2_000_000, "page_bytes": 1_000_000, "peak_mb": 1536}
EDITED_TABLE = "opium.csv"

# Runs a command and prints the peak resident memory of its largest descendant (kB on Linux).
_MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)"
)


def measure(label: str, command: list[str], cwd: Path, env: dict | None = None) -> dict:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"benchmark: '{label}' failed")
    peak_kb = int(result.stdout.rsplit("PEAK_KB", 1)[1].split()[0])
    print(f"{label:<32} {seconds:7.1f} s  {peak_kb / 1024:7.0f} MB", flush=True)
    executed = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("[execute]") and " in " in line
                and line.split()[1].endswith(".ipynb")]
    return {"label": label, "seconds": seconds, "peak_mb": peak_kb / 1024, "executed": executed}


def readme_build(path_output: Path) -> list[str]:
    """The README's build command, HTML only, into <path_output>/_build."""
    return [str(BIN / "python"), "-m", "panjbook.build", "--html", "--build-dir", str(path_output / "_build")]


def book_copy(target: Path) -> Path:
    """The book's sources (configuration, chapters, data), to change a data row without touching the repository."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "book", target / "book", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def change_one_row(table: Path) -> None:
    """Add one to the first number of the first data row: a one-row data edit."""
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    for index, cell in enumerate(cells):
        if cell.isdigit():
            cells[index] = str(int(cell) + 1)
            break
    else:
        raise SystemExit(f"benchmark: no number in the first row of {table}")
    lines[1] = ",".join(cells)
    table.write_text("".join(lines), encoding="utf-8")


def book_build(source: Path, out: Path, builder: str = "html", strict: bool = True) -> list[str]:
    command = [str(BIN / "jupyter-book"), "build", str(source), "--path-output", str(out), "--builder", builder, "--quiet"]
    return command + (["-W", "-n", "--keep-going"] if strict else [])


def floor_twin(target: Path) -> Path:
    """The same book with every code cell removed: what Sphinx alone costs (its data stays: the
    bibliography is written from it)."""
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "book", target / "book", ignore=shutil.ignore_patterns("*.bib", ".ipynb_checkpoints"))
    for path in (target / "book").glob("*.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells = [c for c in notebook.cells if c.cell_type != "code"]
        for cell in notebook.cells:  # glue needs the code cells: keep the text, drop the glue roles
            cell.source = cell.source.replace("{glue:text}", "").replace("{glue:figure}", "{note}")
            cell.source = "\n".join(line for line in cell.source.splitlines() if not line.startswith(":alt:"))
        nbformat.write(notebook, path)
    shutil.copy2(ROOT / "book" / "references.bib", target / "book" / "references.bib")
    return target


def median_of(label: str, runs: list[dict]) -> dict:
    seconds = sorted(r["seconds"] for r in runs)
    return {"label": label, "seconds": statistics.median(seconds), "peak_mb": max(r["peak_mb"] for r in runs),
            "runs": ", ".join(f"{r['seconds']:.1f}" for r in runs)}


def page_weights(html: Path) -> dict[str, int]:
    """Bytes each page of the table of contents loads with its assets, in headless Chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import offline_chromium

    from panjbook.build import toc_files

    with tempfile.TemporaryDirectory(prefix="panj-bench-chromium-") as profile:
        driver = offline_chromium(Path(profile), "1280,800")
        try:
            return page_weight.weights(driver, html, toc_files())
        finally:
            driver.quit()


def main() -> int:
    sizes = []
    with tempfile.TemporaryDirectory(prefix="panj-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "floor-src").mkdir()
        twin = floor_twin(tmp / "floor-src")
        colds, plains, floors = [], [], []
        # Real, plain and floor builds alternate, so that a slow spell of the machine weighs on all.
        for run in range(1, REPEATS + 1):
            colds.append(measure(f"cold HTML build, run {run}", readme_build(tmp / f"real-{run}"), ROOT))
            # What a Jupyter Book user runs: no -W, myst-nb executes the chapters itself.
            plains.append(measure(f"plain jupyter-book build ., run {run}",
                                  book_build(ROOT, tmp / f"plain-{run}", strict=False), ROOT))
            # Not strict: without their code, the floor's glue references cannot resolve.
            floors.append(measure(f"floor twin, cold HTML build, run {run}",
                                  book_build(twin, tmp / f"floor-{run}", strict=False), twin, {"PANJBOOK_ROOT": str(twin)}))
        real = tmp / f"real-{REPEATS}"
        warms = [measure(f"warm rebuild, nothing changed, run {run}", readme_build(real), ROOT) for run in range(1, REPEATS + 1)]
        (tmp / "edit-src").mkdir()
        copy = book_copy(tmp / "edit-src")
        copy_env = {"PANJBOOK_ROOT": str(copy)}
        measure("cold HTML build of a copy", readme_build(copy), copy, copy_env)
        change_one_row(copy / "data" / EDITED_TABLE)
        edit = measure(f"rebuild after one row of {EDITED_TABLE} changed", readme_build(copy), copy, copy_env)
        pdf = measure("PDF build (after HTML)", book_build(ROOT, real, "pdflatex"), ROOT)
        nbval = measure("nbval, strict, all chapters", [str(BIN / "python"), "-m", "pytest", "-q", "book", "-p", "no:cacheprovider"], ROOT)
        html = real / "_build" / "html"
        for page in sorted(html.rglob("*.html")):
            if "_static" not in page.parts:
                sizes.append((page.relative_to(html).as_posix(), page.stat().st_size))
        bundle = html / "_static" / "panj-vega.js"
        sizes.append(("_static/panj-vega.js (shared Vega bundle)", bundle.stat().st_size))
        loaded = page_weights(html)

    cold = median_of(f"cold HTML build (median of {REPEATS})", colds)
    plain = median_of(f"plain jupyter-book build ., cold HTML (median of {REPEATS})", plains)
    floor = median_of(f"floor twin, cold HTML build (median of {REPEATS})", floors)
    warm = median_of(f"warm rebuild, nothing changed (median of {REPEATS})", warms)
    edit["label"] += f" (executed: {', '.join(edit['executed']) or 'none'})"
    rows = [cold, plain, floor, warm, edit, pdf, nbval]
    vs_plain, vs_floor = cold["seconds"] / plain["seconds"], cold["seconds"] / floor["seconds"]
    vs_cold = edit["seconds"] / cold["seconds"]
    notebooks = sum(p.stat().st_size for p in (ROOT / "book").glob("*.ipynb"))
    sizes.insert(0, ("book/*.ipynb (stored notebooks, total)", notebooks))
    largest_page = max(size for name, size in sizes if name.endswith(".html"))
    peak = max(r["peak_mb"] for r in rows)
    checks = [
        ("cold build / plain jupyter-book build (medians)", f"{vs_plain:.2f}", f"<= {TARGETS['cold_vs_plain']}", vs_plain <= TARGETS["cold_vs_plain"]),
        ("cold build / floor build (medians)", f"{vs_floor:.2f}", f"<= {TARGETS['cold_vs_floor']}", vs_floor <= TARGETS["cold_vs_floor"]),
        ("one-row data edit rebuild / cold build", f"{vs_cold:.2f}", f"<= {TARGETS['edit_vs_cold']}", vs_cold <= TARGETS["edit_vs_cold"]),
        ("warm no-change rebuild (s)", f"{warm['seconds']:.1f}", f"<= {TARGETS['warm_seconds']}", warm["seconds"] <= TARGETS["warm_seconds"]),
        ("PDF build after HTML (s)", f"{pdf['seconds']:.1f}", f"<= {TARGETS['pdf_seconds']}", pdf["seconds"] <= TARGETS["pdf_seconds"]),
        ("stored notebooks (bytes)", f"{notebooks:,}", f"<= {TARGETS['notebook_bytes']:,}", notebooks <= TARGETS["notebook_bytes"]),
        ("largest HTML page (bytes)", f"{largest_page:,}", f"<= {TARGETS['page_bytes']:,}", largest_page <= TARGETS["page_bytes"]),
        ("peak memory (MB)", f"{peak:.0f}", f"<= {TARGETS['peak_mb']}", peak <= TARGETS["peak_mb"]),
    ]
    lines = ["# Benchmark", "", f"Machine: {os.cpu_count()} CPUs. Cold, plain, floor and warm builds run {REPEATS} times each (cold real, plain and floor builds in turn); medians count.", "",
             "| step | wall seconds | each run (s) | peak memory (MB) |", "|---|---:|---:|---:|"]
    lines += [f"| {r['label']} | {r['seconds']:.1f} | {r.get('runs', '')} | {r['peak_mb']:.0f} |" for r in rows]
    lines += ["", "| file | bytes |", "|---|---:|"] + [f"| {n} | {s:,} |" for n, s in sizes]
    lines += ["", "What the browser loads for each page, page and assets (headless Chromium, local HTTP server, empty cache):", ""]
    lines += page_weight.table(loaded)
    checks.append(("heaviest page with its assets (bytes)", f"{max(loaded.values()):,}", f"<= {page_weight.PAGE_WEIGHT_LIMIT:,}",
                   max(loaded.values()) <= page_weight.PAGE_WEIGHT_LIMIT))
    lines += ["", "| target | measured | limit | met |", "|---|---:|---:|---|"]
    lines += [f"| {name} | {value} | {limit} | {'yes' if ok else 'NO'} |" for name, value, limit, ok in checks]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "benchmark.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / "benchmark.json").write_text(json.dumps({"steps": rows, "cold_runs": colds, "plain_runs": plains, "floor_runs": floors, "warm_runs": warms, "sizes": sizes}, indent=2), encoding="utf-8")
    print("\n".join(lines))
    return 0 if all(ok for *_, ok in checks) else 1


sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import page_weight  # noqa: E402  (tests/page_weight.py: shared with the browser test)

if __name__ == "__main__":
    sys.exit(main())
