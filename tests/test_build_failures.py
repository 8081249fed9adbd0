"""A broken book must not build: a bad data file or a failing cell stops the build with a
message that says where, and nothing half-built is left as the published HTML."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from panjbook.paths import ROOT

pytestmark = pytest.mark.build


def _copy_book(target: Path) -> Path:
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "book", target / "book", ignore=shutil.ignore_patterns("*.bib", ".ipynb_checkpoints"))
    return target


def _build(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PANJBOOK_ROOT": str(root)}
    return subprocess.run([sys.executable, "-m", "panjbook.build", "--html"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900)


def test_a_bad_data_file_stops_the_build_naming_file_line_and_column(tmp_path):
    root = _copy_book(tmp_path)
    events = root / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    date = lines[5].split(",")[1]
    lines[5] = lines[5].replace(f",{date},", ",2021-13-45,", 1)
    events.write_text("".join(lines), encoding="utf-8")
    result = _build(root)
    assert result.returncode == 1
    assert "BUILD FAILED: data/events.csv, line 6, column 'date': expected a date" in result.stderr
    assert "got '2021-13-45'" in result.stderr
    assert not (root / "_build" / "html").exists()


def test_a_failing_cell_stops_the_build_and_leaves_nothing_published(tmp_path):
    root = _copy_book(tmp_path)
    path = root / "book" / "background.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "code" and "pb.load" in c.source)
    cell.source += '\nraise ValueError("deliberate failure for the test")'
    nbformat.write(notebook, path)
    result = _build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "deliberate failure for the test" in output
    summary = result.stderr.split("BUILD FAILED:", 1)[1]
    assert "notebook " in summary and "background.ipynb, cell In[" in summary
    assert "ValueError: deliberate failure for the test" in summary
    assert not (root / "_build" / "html").exists()
    assert (root / "_build" / "failed-html").exists()


def test_stale_stored_outputs_and_old_data_never_reach_the_book(tmp_path):
    """The build reads outputs from its notebook cache: a stored output in book/ is never used,
    and a change in data/ empties the cache so that the page shows the new figure."""
    root = _copy_book(tmp_path)
    path = root / "book" / "background.ipynb"
    notebook = nbformat.read(path, as_version=4)
    stale = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("data", {}).get("application/papermill.record/text/plain") == "'1,206 km'":
                output["data"]["application/papermill.record/text/plain"] = "'STALE-OUTPUT'"
                stale += 1
    assert stale, "the test expects background.ipynb to glue the shortest border figure, 1,206 km"
    nbformat.write(notebook, path)
    result = _build(root)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (root / "_build" / "html" / "book" / "background.html").read_text(encoding="utf-8")
    assert "STALE-OUTPUT" not in page and "1,206" in page

    lengths = root / "data" / "border_lengths.csv"
    lengths.write_text(lengths.read_text(encoding="utf-8").replace("tajikistan,1206,", "tajikistan,1205,"), encoding="utf-8")
    result = _build(root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[execute] background.ipynb in" in result.stdout, "a data change re-executes the chapters"
    page = (root / "_build" / "html" / "book" / "background.html").read_text(encoding="utf-8")
    assert "1,205" in page and "1,206" not in page
    read = set(re.findall(r"reading sources\.\.\. .*?\] (book/[\w-]+)", re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)))
    assert "book/background" in read and "book/index" in read, "the changed chapter and the page that pastes from it"
    assert not read & {"book/glossary", "book/references"}, f"pages that read neither the table nor a chapter: {sorted(read)}"
