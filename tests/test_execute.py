"""The notebook cache that the build reads: filled side by side, emptied when the package or the
libraries change, re-executing a chapter only when a data file it read changed, and never
holding a failed execution."""
from __future__ import annotations

import json

import nbformat

from panjbook.execute import (MANIFEST_NAME, STAMP_NAME, execute_into_cache, inputs_fingerprint,
                              prepare_cache, shared_fingerprint)


def _notebook(path, *sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)
    return path


def _cached_outputs(cache_dir, path):
    key = json.loads((cache_dir / MANIFEST_NAME).read_text(encoding="utf-8"))[str(path)]["key"]
    executed = nbformat.read(cache_dir / "executed" / key / "base.ipynb", as_version=4)
    return [output.get("text", "") for cell in executed.cells for output in cell.get("outputs", [])]


def test_fingerprint_follows_every_byte_and_name_of_the_inputs(data_dir):
    before = inputs_fingerprint((data_dir,))
    assert inputs_fingerprint((data_dir,)) == before
    events = data_dir / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Drills start.", "Drills begin."), encoding="utf-8")
    edited = inputs_fingerprint((data_dir,))
    assert edited != before
    events.rename(data_dir / "events-renamed.csv")
    assert inputs_fingerprint((data_dir,)) not in (before, edited)


def test_a_cache_made_with_another_package_or_other_libraries_is_emptied(tmp_path):
    cache = tmp_path / ".jupyter_cache"
    assert prepare_cache(cache, "inputs-a") is True
    (cache / "executed").mkdir()
    assert prepare_cache(cache, "inputs-a") == set(), "the same inputs keep the cache"
    assert (cache / "executed").exists()
    assert prepare_cache(cache, "inputs-b") is True
    assert not (cache / "executed").exists()
    assert (cache / STAMP_NAME).read_text(encoding="utf-8").strip() == "inputs-b"


def test_notebooks_run_once_then_again_only_when_edited(tmp_path):
    cache = tmp_path / ".jupyter_cache"
    first = _notebook(tmp_path / "first.ipynb", "print(6 * 7)")
    second = _notebook(tmp_path / "second.ipynb", "import os\nprint(os.getcwd())")
    ran = execute_into_cache(cache, [first, second])
    assert sorted(ran) == ["first.ipynb", "second.ipynb"]
    assert _cached_outputs(cache, first) == ["42\n"]
    assert _cached_outputs(cache, second) == [f"{tmp_path}\n"], "a notebook runs in its own folder"
    assert execute_into_cache(cache, [first, second]) == {}, "nothing changed, nothing runs"
    _notebook(first, "print(6 * 9)")
    assert sorted(execute_into_cache(cache, [first, second])) == ["first.ipynb"]
    assert _cached_outputs(cache, first) == ["54\n"]
    assert len(list((cache / "executed").iterdir())) == 2, "the execution of the old code is dropped"


def test_a_failing_notebook_stays_out_of_the_cache(tmp_path, capsys):
    cache = tmp_path / ".jupyter_cache"
    broken = _notebook(tmp_path / "broken.ipynb", "raise ValueError('deliberate')")
    assert execute_into_cache(cache, [broken]) == {}
    assert "broken.ipynb failed (CellExecutionError" in capsys.readouterr().out
    assert str(broken) not in json.loads((cache / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert not (cache / "executed").exists() or not any((cache / "executed").iterdir())


def test_the_build_validates_data_again_whenever_it_changed(tmp_path):
    import shutil

    import pytest

    from panjbook.build import validate_data
    from panjbook.data import DataError
    from panjbook.paths import DATA_DIR

    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    build_dir = tmp_path / "_build"
    assert validate_data(build_dir, data_dir) is True
    assert validate_data(build_dir, data_dir) is False, "the same bytes were validated by the last build"
    events = data_dir / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    date = lines[5].split(",")[1]
    lines[5] = lines[5].replace(f",{date},", ",2021-10-32,", 1)
    events.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match="events.csv, line 6, column 'date'"):
        validate_data(build_dir, data_dir)
    with pytest.raises(DataError):
        validate_data(build_dir, data_dir)  # a failed check leaves no stamp behind


def test_shared_fingerprint_follows_the_installed_library_versions(monkeypatch):
    import panjbook.execute as execute

    before = shared_fingerprint()
    monkeypatch.setattr(execute, "library_versions", lambda: "altair==0.0.1")
    assert shared_fingerprint() != before


def _reading_notebook(path, table):
    """A chapter that reads one table of data/ through the book's loader, as the real ones do."""
    return _notebook(path, "import panjbook as pb\npb.setup()",
                     f"print(len(pb.load({table!r})))")


def test_a_chapter_reexecutes_only_when_a_table_it_read_changed(tmp_path, data_dir, monkeypatch):
    monkeypatch.setenv("PANJBOOK_ROOT", str(data_dir.parent))  # the kernels read this miniature data/
    cache = tmp_path / ".jupyter_cache"
    reads_events = _reading_notebook(tmp_path / "events_chapter.ipynb", "events")
    reads_borders = _reading_notebook(tmp_path / "borders_chapter.ipynb", "border_lengths")
    notebooks = [reads_events, reads_borders]
    assert sorted(execute_into_cache(cache, notebooks, data_dir=data_dir)) == ["borders_chapter.ipynb", "events_chapter.ipynb"]
    manifest = json.loads((cache / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert "events.csv" in manifest[str(reads_events)]["reads"]
    assert "border_lengths.csv" not in manifest[str(reads_events)]["reads"]
    assert execute_into_cache(cache, notebooks, data_dir=data_dir) == {}
    borders = data_dir / "border_lengths.csv"
    borders.write_text(borders.read_text(encoding="utf-8").replace("1135.3", "1135.4"), encoding="utf-8")
    assert sorted(execute_into_cache(cache, notebooks, data_dir=data_dir)) == ["borders_chapter.ipynb"]
    sources = data_dir / "sources.csv"  # both tables cite sources: both chapters read it
    sources.write_text(sources.read_text(encoding="utf-8").replace("with a comma", "with two commas"), encoding="utf-8")
    assert sorted(execute_into_cache(cache, notebooks, data_dir=data_dir)) == ["borders_chapter.ipynb", "events_chapter.ipynb"]


def test_sphinx_waits_for_each_chapter_until_the_build_announces_it(tmp_path):
    import os
    import threading

    import pytest

    from panjbook.execute import ALL_SETTLED, BUILD_PID_NAME, announce, wait_for

    (tmp_path / BUILD_PID_NAME).write_text(str(os.getppid()), encoding="utf-8")  # this process's parent: "the build"
    threading.Timer(0.2, announce, (tmp_path, "background")).start()
    wait_for(tmp_path, "background", timeout=10)
    assert (tmp_path / "background.ready").exists()
    with pytest.raises(RuntimeError, match="waited 0 s for the build to announce 'outlook'"):
        wait_for(tmp_path, "outlook", timeout=0.1)
    announce(tmp_path, ALL_SETTLED)
    wait_for(tmp_path, "outlook", timeout=0.1)  # every chapter is settled: a failed one is myst-nb's to run


def test_sphinx_stops_waiting_when_the_build_that_would_announce_has_gone(tmp_path):
    import os

    import pytest

    from panjbook.execute import BUILD_PID_NAME, wait_for

    (tmp_path / BUILD_PID_NAME).write_text(str(os.getpid()), encoding="utf-8")  # not this process's parent
    with pytest.raises(RuntimeError, match="has gone; 'background' never came"):
        wait_for(tmp_path, "background", timeout=10)


def test_chapters_are_settled_in_the_order_sphinx_reads_them_and_all_are_announced(tmp_path):
    cache = tmp_path / ".jupyter_cache"
    notebooks = [_notebook(tmp_path / f"{name}.ipynb", "print(1)") for name in ("b_second", "a_first", "c_broken")]
    _notebook(notebooks[2], "raise ValueError('deliberate')")
    settled = []
    execute_into_cache(cache, notebooks, workers=1, settled=lambda path: settled.append(path.name))
    assert settled == ["a_first.ipynb", "b_second.ipynb", "c_broken.ipynb"], "a failed chapter is announced too"
    settled.clear()
    execute_into_cache(cache, notebooks, workers=1, settled=lambda path: settled.append(path.name))
    assert settled == ["a_first.ipynb", "b_second.ipynb", "c_broken.ipynb"], "cached chapters are announced at once"


def test_a_kernel_that_never_starts_leaves_the_chapter_to_myst_nb(tmp_path, capsys):
    cache = tmp_path / ".jupyter_cache"
    notebook = _notebook(tmp_path / "no_kernel.ipynb", "print(1)")
    spec = nbformat.read(notebook, as_version=4)
    spec.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "None", "language": "python"}
    nbformat.write(spec, notebook)
    settled = []
    assert execute_into_cache(cache, [notebook], settled=lambda path: settled.append(path.name)) == {}
    assert "no_kernel.ipynb failed (NoSuchKernel" in capsys.readouterr().out
    assert settled == ["no_kernel.ipynb"], "announced, so that Sphinx goes on and myst-nb reports it"
