"""Strict nbval must really compare stored outputs: a chapter whose stored figure no longer
matches what its code computes from the data has to fail."""
from __future__ import annotations

import shutil
import subprocess
import sys

import nbformat

from panjbook.paths import BOOK_DIR


def test_strict_nbval_fails_when_a_stored_output_is_stale(tmp_path):
    copy = tmp_path / "background.ipynb"
    shutil.copy2(BOOK_DIR / "background.ipynb", copy)
    notebook = nbformat.read(copy, as_version=4)
    glued = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
        if output.get("metadata", {}).get("scrapbook", {}).get("name") == "border_official"
    ]
    assert len(glued) == 1, "the background chapter no longer glues border_official"
    data = glued[0]["data"]
    key = next(k for k in data if k.endswith("text/plain"))
    data[key] = "'9,999 km'"
    nbformat.write(notebook, copy)
    # Run from the book folder so the copy executes as the chapter would.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-q",
         "-o", "addopts=", str(copy)],
        cwd=BOOK_DIR, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1, result.stdout[-2000:]
    assert "9,999 km" in result.stdout
