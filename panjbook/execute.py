"""Execute the chapters in parallel into the cache that the book build reads.

The book builds in myst-nb's ``cache`` mode: a notebook's outputs come from the jupyter-cache
in ``_build/.jupyter_cache`` when one was made from the same code, otherwise myst-nb executes
the notebook itself, one after another. Two rules keep that cache honest:

1. jupyter-cache matches notebooks on their code alone, but the outputs also depend on
   ``data/`` and on this package. The cache folder carries a stamp of those inputs
   (:func:`inputs_fingerprint`); a cache made from other inputs is emptied before use
   (:func:`prepare_cache`, called by the build and by ``panjbook.sphinx_ext``).
2. The stored outputs in ``book/*.ipynb`` never reach the book: the cache holds only fresh
   executions, and a notebook missing from it is executed by myst-nb.

:func:`execute_into_cache` runs the missing notebooks side by side, one fresh kernel each,
longest first. A notebook that fails is left out of the cache, so that myst-nb runs it again
and reports the failing cell in the build log.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from panjbook.paths import BOOK_DIR, DATA_DIR, PACKAGE_DIR

STAMP_NAME = "panj-inputs.sha256"
MANIFEST_NAME = "panj-notebooks.json"  # notebook -> [bytes, mtime in ns, cache key]
TIMEOUT_SECONDS = 300  # as execute.timeout in _config.yml


def inputs_fingerprint(folders: tuple[Path, ...] = (DATA_DIR, PACKAGE_DIR)) -> str:
    """A hash of everything that notebooks read besides their own code: data/ and this package."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp_matches(stamp: Path, fingerprint: str) -> bool:
    """True if the stamp file records this fingerprint of the inputs."""
    return stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint


def prepare_cache(cache_dir: Path, fingerprint: str | None = None) -> bool:
    """Empty ``cache_dir`` unless it was made from the current inputs; True if it was emptied."""
    fingerprint = fingerprint or inputs_fingerprint()
    stamp = cache_dir / STAMP_NAME
    if stamp_matches(stamp, fingerprint):
        return False
    shutil.rmtree(cache_dir, ignore_errors=True)
    cache_dir.mkdir(parents=True)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return True


def chapter_notebooks(book_dir: Path = BOOK_DIR) -> list[Path]:
    return sorted(p for p in book_dir.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _execute(path: str) -> tuple[str, str | None, float, str | None]:
    """Run one notebook in a fresh kernel, in its own folder, exactly as myst-nb would; returns
    (path, executed notebook as JSON text or None, seconds, error or None)."""
    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.read(path, as_version=4)
    # "immediate": the outputs are complete when the last cell ends, and a graceful shutdown of
    # ipykernel 7 sometimes waits 3.4 s for nothing (measured: 2 to 5 kernels in 12).
    result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=TIMEOUT_SECONDS,
                                 allow_errors=False, shutdown_kernel="immediate")
    if result.err is not None:
        return path, None, result.time, f"{type(result.err).__name__}: {str(result.err).strip().splitlines()[-1]}"
    return path, nbformat.writes(result.nb), result.time, None


def run_side_by_side(notebooks: list[Path], workers: int | None = None):
    """Execute notebooks in parallel, longest first; yields (path, notebook or None, seconds, error or None)."""
    # Bytes stand in for run time, so that the slowest chapter does not start last.
    ordered = sorted(notebooks, key=lambda p: (-p.stat().st_size, p.name))
    workers = workers or min(len(ordered), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=max(workers, 1)) as pool:
        for path, text, seconds, error in pool.map(_execute, [str(p) for p in ordered]):
            yield Path(path), (nbformat.reads(text, as_version=4) if text else None), seconds, error


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _all_cached(cache_dir: Path, notebooks: list[Path]) -> bool:
    """True if every notebook is unchanged since it was last found in the cache: the warm path,
    which spares importing jupyter-cache and reading every notebook (about 0.6 s)."""
    try:
        manifest = json.loads((cache_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    for path in notebooks:
        entry = manifest.get(str(path))
        if not entry or entry[:2] != _stat_key(path):
            return False
        if not (cache_dir / "executed" / entry[2] / "base.ipynb").exists():
            return False
    return True


def execute_into_cache(cache_dir: Path, notebooks: list[Path] | None = None, workers: int | None = None) -> dict[str, float]:
    """Execute every notebook the cache lacks, in parallel, and drop executions that match none of
    them; returns seconds per executed notebook."""
    notebooks = chapter_notebooks() if notebooks is None else notebooks
    if not prepare_cache(cache_dir) and _all_cached(cache_dir, notebooks):
        return {}
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    hashkeys: dict[Path, str] = {}
    missing = []
    for path in notebooks:
        try:
            hashkeys[path] = cache.match_cache_notebook(nbformat.read(path, as_version=4)).hashkey
        except KeyError:
            missing.append(path)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for path, notebook, run_time, error in run_side_by_side(missing, workers) if missing else []:
        if error is not None:
            # Left out of the cache: myst-nb executes it again and names the failing cell.
            print(f"[execute] {path.name} failed ({error}); the book build will report it", flush=True)
            continue
        record = cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path), data={"execution_seconds": run_time}),
                                             check_validity=False, overwrite=True)
        hashkeys[path] = record.hashkey
        seconds[path.name] = run_time
        print(f"[execute] {path.name} in {run_time:.1f} s", flush=True)
    if missing:
        print(f"[execute] {len(missing)} notebook(s) side by side in {time.perf_counter() - started:.1f} s", flush=True)
    # Executions of code that no notebook holds any more (a chapter runs to megabytes): drop them.
    for record in cache.list_cache_records():
        if record.hashkey not in hashkeys.values():
            cache.remove_cache(record.pk)
    manifest = {str(path): _stat_key(path) + [key] for path, key in sorted(hashkeys.items())}
    (cache_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return seconds
