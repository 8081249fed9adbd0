"""Execute the chapters in parallel into the cache that the book build reads.

The book builds in myst-nb's ``cache`` mode: a notebook's outputs come from the jupyter-cache
in ``_build/.jupyter_cache`` when one was made from the same code, otherwise myst-nb executes
the notebook itself, one after another. jupyter-cache matches notebooks on their code alone, but
the outputs also depend on the tables a chapter reads, on this package and on the installed
libraries. So:

1. The cache folder carries a stamp of this package and of every installed distribution's
   version (:func:`shared_fingerprint`); when either changes, the whole cache is emptied.
2. Each execution made here records the files of ``data/`` that the chapter opened (the kernel
   reports them, see :func:`panjbook.render.setup`) and their digest, in a manifest. An execution
   whose files changed since is dropped, so a chapter re-executes only when its code, a table it
   reads, the package or the libraries change (:func:`prepare_cache`, called by the build and by
   ``panjbook.sphinx_ext``). An execution made by myst-nb itself, whose reads are unknown, is
   dropped whenever anything in ``data/`` changed.
3. The stored outputs in ``book/*.ipynb`` never reach the book: the cache holds only fresh
   executions, and a notebook missing from it is executed by myst-nb.

:func:`execute_into_cache` runs the missing notebooks side by side, one fresh kernel each,
longest first. A notebook that fails is left out of the cache, so that myst-nb runs it again
and reports the failing cell in the build log.

The build (panjbook.build) starts Sphinx while the chapters still run: each chapter is announced
in a status folder (:func:`announce`) as soon as its execution is settled, and the Sphinx
extension waits for that announcement before it reads the chapter (:func:`wait_for`). Sphinx
reads the chapters in the order of their names, so they are executed in that order.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from panjbook.paths import BOOK_DIR, DATA_DIR, PACKAGE_DIR

STAMP_NAME = "panj-shared.sha256"  # this package and the installed libraries
DATA_STAMP_NAME = "panj-data.sha256"  # all of data/, for executions whose reads are unknown
MANIFEST_NAME = "panj-notebooks.json"  # notebook -> {"stat", "key", "reads", "inputs"}
READS_VARIABLE = "PANJBOOK_READS"  # where a kernel lists the data files it opened
TIMEOUT_SECONDS = 300  # as execute.timeout in _config.yml
STATUS_VARIABLE = "PANJBOOK_EXECUTION_STATUS"  # the folder where the build announces settled executions
ALL_SETTLED = "all-chapters"  # announced once every chapter is settled and the manifest written
BUILD_PID_NAME = "build.pid"  # in the status folder: the build process that announces
# Before the first cell, the kernel imports this package (and leaves no name behind), which spares
# it a costly import that chapters never need (see panjbook/__init__.py): outputs are unchanged.
KERNEL_ARGUMENTS = ["--IPKernelApp.exec_lines=import panjbook as _panjbook", "--IPKernelApp.exec_lines=del _panjbook"]


def inputs_fingerprint(folders: tuple[Path, ...] = (DATA_DIR, PACKAGE_DIR)) -> str:
    """A hash of every file name and byte in the given folders."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def library_versions() -> str:
    """Every installed distribution as 'name==version', one a line, sorted."""
    from importlib.metadata import distributions

    return "\n".join(sorted({f"{d.metadata['Name']}=={d.version}".lower() for d in distributions()}))


def shared_fingerprint() -> str:
    """What every chapter depends on besides its code and its tables: this package and the libraries."""
    return hashlib.sha256((inputs_fingerprint((PACKAGE_DIR,)) + "\n" + library_versions()).encode()).hexdigest()


def reads_digest(reads: list[str] | None, data_dir: Path = DATA_DIR) -> str:
    """A hash of the data files a chapter read (names relative to data/); None: all of data/."""
    if reads is None:
        return inputs_fingerprint((data_dir,))
    digest = hashlib.sha256()
    for name in sorted(reads):
        path = data_dir / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()


def stamp_matches(stamp: Path, fingerprint: str) -> bool:
    """True if the stamp file records this fingerprint of the inputs."""
    return stamp.exists() and stamp.read_text(encoding="utf-8").strip() == fingerprint


def read_manifest(cache_dir: Path) -> dict:
    try:
        return json.loads((cache_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_manifest(cache_dir: Path, manifest: dict) -> None:
    (cache_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def prepare_cache(cache_dir: Path, shared: str | None = None, data_dir: Path = DATA_DIR) -> set[str] | bool:
    """Empty ``cache_dir`` if the package or the libraries changed (returns True); otherwise drop each
    execution whose data files changed and return the paths of the notebooks dropped."""
    shared = shared or shared_fingerprint()
    stamp = cache_dir / STAMP_NAME
    if not stamp_matches(stamp, shared):
        shutil.rmtree(cache_dir, ignore_errors=True)
        cache_dir.mkdir(parents=True)
        stamp.write_text(shared + "\n", encoding="utf-8")
        return True
    manifest = read_manifest(cache_dir)
    stale = {path for path, entry in manifest.items() if reads_digest(entry["reads"], data_dir) != entry["inputs"]}
    data_stamp = cache_dir / DATA_STAMP_NAME
    data_now = inputs_fingerprint((data_dir,))
    data_changed = not stamp_matches(data_stamp, data_now)
    if not stale and not data_changed:
        return set()
    known = {entry["key"] for path, entry in manifest.items() if path not in stale}
    if (cache_dir / "global.db").exists():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        for record in cache.list_cache_records():
            # An execution of unknown reads (myst-nb's own) cannot be trusted once data/ changed.
            if record.hashkey not in known and (data_changed or record.hashkey in {manifest[p]["key"] for p in stale}):
                cache.remove_cache(record.pk)
    _write_manifest(cache_dir, {path: entry for path, entry in manifest.items() if path not in stale})
    data_stamp.write_text(data_now + "\n", encoding="utf-8")
    return stale


def chapter_notebooks(book_dir: Path = BOOK_DIR) -> list[Path]:
    return sorted(p for p in book_dir.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _execute(path: str) -> tuple[str, str | None, float, str | None, list[str] | None]:
    """Run one notebook in a fresh kernel, in its own folder, exactly as myst-nb would; returns
    (path, executed notebook as JSON text or None, seconds, error or None, data files it read)."""
    import nbformat  # imports jsonschema: only when a notebook is to be read

    from jupyter_cache.executors.utils import single_nb_execution

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        reads_file = Path(folder) / "reads.txt"
        reads_file.touch()
        os.environ[READS_VARIABLE] = str(reads_file)  # the kernel inherits it (a worker process of its own)
        started = time.perf_counter()
        try:
            # "immediate": the outputs are complete when the last cell ends, and a graceful shutdown of
            # ipykernel 7 sometimes waits 3.4 s for nothing (measured: 2 to 5 kernels in 12).
            result = single_nb_execution(notebook, cwd=str(Path(path).parent), timeout=TIMEOUT_SECONDS,
                                         allow_errors=False, shutdown_kernel="immediate",
                                         extra_arguments=KERNEL_ARGUMENTS)
        except Exception as error:  # noqa: BLE001  (a kernel that never started: myst-nb runs the chapter again)
            return path, None, time.perf_counter() - started, f"{type(error).__name__}: {error}", None
        finally:
            del os.environ[READS_VARIABLE]
        reads = sorted(set(reads_file.read_text(encoding="utf-8").split()))
    if result.err is not None:
        return path, None, result.time, f"{type(result.err).__name__}: {str(result.err).strip().splitlines()[-1]}", None
    return path, nbformat.writes(result.nb), result.time, None, reads


def longest_first(notebooks: list[Path]) -> list[Path]:
    """Bytes stand in for run time, so that the slowest chapter does not start last."""
    return sorted(notebooks, key=lambda p: (-p.stat().st_size, p.name))


def run_side_by_side(notebooks: list[Path], workers: int | None = None):
    """Execute notebooks in parallel, started in the order given; yields (path, notebook or None, seconds,
    error or None, data files read) for each as soon as it ends."""
    import nbformat  # imports jsonschema: only when a notebook is to be read

    workers = workers or min(len(notebooks), os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=max(workers, 1)) as pool:
        for future in as_completed([pool.submit(_execute, str(p)) for p in notebooks]):
            path, text, seconds, error, reads = future.result()
            yield Path(path), (nbformat.reads(text, as_version=4) if text else None), seconds, error, reads


def announce(status_dir: Path, name: str) -> None:
    """Tell the Sphinx process started by this build that ``name`` (a chapter's stem, ALL_SETTLED or
    another step) is ready to read."""
    flag = status_dir / f"{name}.ready"
    partial = flag.with_suffix(f".{os.getpid()}.part")
    partial.write_text(name + "\n", encoding="utf-8")
    partial.replace(flag)


def wait_for(status_dir: Path, name: str, timeout: float = 2 * TIMEOUT_SECONDS) -> None:
    """Wait until the build announces ``name`` (or that every chapter is settled); RuntimeError if
    the build that would announce it has gone, or after ``timeout`` seconds."""
    flags = (status_dir / f"{name}.ready", status_dir / f"{ALL_SETTLED}.ready")
    build_pid = int((status_dir / BUILD_PID_NAME).read_text(encoding="utf-8"))
    deadline = time.monotonic() + timeout
    while not any(flag.exists() for flag in flags):
        if os.getppid() != build_pid:
            raise RuntimeError(f"the build (process {build_pid}) that executes the chapters has gone; '{name}' never came")
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s for the build to announce '{name}' in {status_dir}")
        time.sleep(0.02)


def _stat_key(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def _all_cached(cache_dir: Path, notebooks: list[Path]) -> bool:
    """True if every notebook is unchanged since it was last found in the cache: the warm path,
    which spares importing jupyter-cache and reading every notebook (about 0.6 s)."""
    manifest = read_manifest(cache_dir)
    for path in notebooks:
        entry = manifest.get(str(path))
        if not entry or entry["stat"] != _stat_key(path):
            return False
        if not (cache_dir / "executed" / entry["key"] / "base.ipynb").exists():
            return False
    return True


def execute_into_cache(cache_dir: Path, notebooks: list[Path] | None = None, workers: int | None = None,
                       data_dir: Path = DATA_DIR, settled: Callable[[Path], None] | None = None) -> dict[str, float]:
    """Execute every notebook the cache lacks, in parallel and in the order of their names, and drop
    executions that match none of them; returns seconds per executed notebook. ``settled(path)`` is
    called for each notebook as soon as the cache holds its execution, or it failed."""
    notebooks = sorted(chapter_notebooks() if notebooks is None else notebooks)
    settled = settled or (lambda path: None)
    if not prepare_cache(cache_dir, data_dir=data_dir) and _all_cached(cache_dir, notebooks):
        for path in notebooks:
            settled(path)
        return {}
    import nbformat  # imports jsonschema: only when a notebook is to be read
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(cache_dir))
    old = read_manifest(cache_dir)
    manifest: dict[str, dict] = {}
    missing = []
    for path in notebooks:
        try:
            key = cache.match_cache_notebook(nbformat.read(path, as_version=4)).hashkey
        except KeyError:
            missing.append(path)
            continue
        entry = old.get(str(path))
        if entry and entry["key"] == key:
            manifest[str(path)] = {**entry, "stat": _stat_key(path)}
        else:  # executed by myst-nb itself: what it read is unknown
            manifest[str(path)] = {"stat": _stat_key(path), "key": key, "reads": None, "inputs": reads_digest(None, data_dir)}
        settled(path)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for path, notebook, run_time, error, reads in run_side_by_side(missing, workers) if missing else []:
        if error is not None:
            # Left out of the cache: myst-nb executes it again and names the failing cell.
            print(f"[execute] {path.name} failed ({error}); the book build will report it", flush=True)
            settled(path)
            continue
        record = cache.cache_notebook_bundle(CacheBundleIn(notebook, str(path), data={"execution_seconds": run_time}),
                                             check_validity=False, overwrite=True)
        manifest[str(path)] = {"stat": _stat_key(path), "key": record.hashkey, "reads": reads,
                               "inputs": reads_digest(reads, data_dir)}
        seconds[path.name] = run_time
        settled(path)
        print(f"[execute] {path.name} in {run_time:.1f} s", flush=True)
    if missing:
        print(f"[execute] {len(missing)} notebook(s) side by side in {time.perf_counter() - started:.1f} s", flush=True)
    # Executions of code that no notebook holds any more (a chapter runs to megabytes): drop them.
    kept = {entry["key"] for entry in manifest.values()}
    for record in cache.list_cache_records():
        if record.hashkey not in kept:
            cache.remove_cache(record.pk)
    _write_manifest(cache_dir, manifest)
    return seconds
