"""A second checkout (a clone or git worktree sharing this environment) reads its own data:
in a kernel started in its book/ folder, and in a plain ``jupyter-book build .`` of it; a build of
another book than the one panjbook reads is refused."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from panjbook.paths import PACKAGE_DIR, ROOT, ROOT_VARIABLE

SHORTEST_BORDER = "tajikistan,1206,"  # background.ipynb glues the shortest border figure


def _second_checkout(target: Path) -> Path:
    """A copy of the book without the package (the package comes from this environment), whose
    shortest border figure reads 1,205 km instead of 1,206 km."""
    target.mkdir()
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    shutil.copytree(ROOT / "book", target / "book", ignore=shutil.ignore_patterns("*.bib", ".ipynb_checkpoints"))
    lengths = target / "data" / "border_lengths.csv"
    text = lengths.read_text(encoding="utf-8")
    assert SHORTEST_BORDER in text, "the test expects the shortest border figure 1,206 km in the data"
    lengths.write_text(text.replace(SHORTEST_BORDER, "tajikistan,1205,"), encoding="utf-8")
    return target


def _environment_without_root() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != ROOT_VARIABLE}


def _root_seen_from(cwd: Path, env: dict[str, str]) -> Path:
    result = subprocess.run([sys.executable, "-c", "import panjbook.paths as p; print(p.ROOT)"],
                            cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return Path(result.stdout.strip())


def test_the_root_is_the_book_holding_the_working_directory(tmp_path):
    other = _second_checkout(tmp_path / "clone")
    env = _environment_without_root()
    assert _root_seen_from(other / "book", env) == other.resolve(), "a kernel runs in book/"
    assert _root_seen_from(other, env) == other.resolve(), "jupyter-book build . runs in the root"
    assert _root_seen_from(other / "data", env) == other.resolve()


def test_outside_any_book_the_root_is_the_packages_checkout(tmp_path):
    assert _root_seen_from(tmp_path, _environment_without_root()) == PACKAGE_DIR.parent


def test_panjbook_root_wins_over_the_working_directory(tmp_path):
    other = _second_checkout(tmp_path / "clone")
    env = {**_environment_without_root(), ROOT_VARIABLE: str(other)}
    assert _root_seen_from(PACKAGE_DIR.parent / "book", env) == other.resolve()


def test_a_notebook_of_a_second_checkout_reads_that_checkouts_data(tmp_path, monkeypatch):
    """What JupyterLab does when a notebook of the second clone is opened: a kernel in its book/."""
    from jupyter_cache.executors.utils import single_nb_execution

    other = _second_checkout(tmp_path / "clone")
    monkeypatch.delenv(ROOT_VARIABLE, raising=False)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(
        "import panjbook as pb\n"
        "borders = pb.load('border_lengths')\n"
        "print(pb.ROOT, borders.loc[borders['neighbour_id'] == 'tajikistan', 'length_km'].min())")]
    result = single_nb_execution(notebook, cwd=str(other / "book"), timeout=120, allow_errors=False)
    assert result.err is None, result.err
    printed = result.nb.cells[0].outputs[0]["text"]
    assert printed == f"{other.resolve()} 1205.0\n"


def test_the_sphinx_extension_refuses_a_book_it_does_not_read(tmp_path):
    from sphinx.errors import ConfigError

    from panjbook.sphinx_ext import check_book_root

    check_book_root(ROOT)  # the book panjbook reads: accepted
    other = _second_checkout(tmp_path / "clone")
    with pytest.raises(ConfigError) as info:
        check_book_root(other)
    message = str(info.value)
    assert f"building the book in {other.resolve()}, but panjbook reads its data from {ROOT}" in message
    assert f"set {ROOT_VARIABLE}={other.resolve()}" in message


def _jupyter_book(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", *args]
    return subprocess.run(command, cwd=cwd, env=_environment_without_root(), capture_output=True, text=True,
                          timeout=900)


@pytest.mark.build
def test_jupyter_book_started_in_one_checkout_refuses_to_build_another(tmp_path):
    other = _second_checkout(tmp_path / "clone")
    result = _jupyter_book(str(other), cwd=ROOT)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"but panjbook reads its data from {ROOT}" in output
    assert not (other / "_build" / "html" / "book").exists()


@pytest.mark.build
def test_a_plain_jupyter_book_build_of_a_second_checkout_shows_its_own_data(tmp_path):
    other = _second_checkout(tmp_path / "clone")
    result = _jupyter_book(".", cwd=other)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    page = (other / "_build" / "html" / "book" / "background.html").read_text(encoding="utf-8")
    assert "1,205" in page and "1,206" not in page
    assert "build succeeded." in result.stdout, "the copy builds without a Sphinx warning, as the book itself does"
