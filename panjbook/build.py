"""Build the whole book, HTML and PDF, from the data; refuse to leave a half-built book.

    python -m panjbook.build            # HTML and PDF into _build/
    python -m panjbook.build --html     # HTML only

Steps: validate every table (a bad file stops here with file, line and column; skipped when
data/ and the package are byte for byte those that the last build validated); execute the
chapters side by side into the notebook cache (panjbook.execute) while the HTML build, with
warnings as errors, starts up, regenerates the bibliography from data/sources.csv
(panjbook.sphinx_ext) and reads each chapter as soon as its execution is settled; check that every
page of the table of contents was built; build the PDF; check it holds every part. On any
failure the partial HTML is moved to ``_build/failed-html`` (kept for diagnosis, never
published) and the command exits non-zero with the reason.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from panjbook.bundle import BUNDLE_READY, bundle_cache, is_current
from panjbook.errors import DataError
from panjbook.execute import (ALL_SETTLED, BUILD_PID_NAME, STATUS_VARIABLE, announce, execute_into_cache, inputs_fingerprint,
                              stamp_matches)
from panjbook.paths import BIBLIOGRAPHY, BOOK_DIR, BUILD_DIR, DATA_DIR, PACKAGE_DIR, ROOT, ROOT_VARIABLE

VALIDATED_STAMP = "panj-validated.sha256"

PDF_NAME = "across-the-panj.pdf"


class BuildError(RuntimeError):
    pass


def toc_files(root: Path = ROOT) -> list[str]:
    """Every file of _toc.yml, root first, without suffix (e.g. 'book/background')."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files += [section["file"] for section in chapter.get("sections", [])]
    return files


def part_captions(root: Path = ROOT) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [part["caption"] for part in toc.get("parts", [])]


def html_dir(build_dir: Path = BUILD_DIR) -> Path:
    return build_dir / "html"


def pdf_path(build_dir: Path = BUILD_DIR) -> Path:
    return build_dir / "latex" / PDF_NAME


def check_html(build_dir: Path = BUILD_DIR) -> list[Path]:
    """The built page of every toc entry; BuildError if any is missing or empty."""
    pages = []
    for entry in toc_files():
        page = html_dir(build_dir) / f"{entry}.html"
        if not page.exists():
            raise BuildError(f"the HTML build has no page for '{entry}' of _toc.yml (expected {page})")
        if page.stat().st_size < 2000 or "<main" not in page.read_text(encoding="utf-8"):
            raise BuildError(f"the built page {page} is empty or has no main content")
        pages.append(page)
    if not (html_dir(build_dir) / "index.html").exists():
        raise BuildError("the HTML build has no index.html")
    return pages


def pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def check_pdf(build_dir: Path = BUILD_DIR) -> Path:
    path = pdf_path(build_dir)
    if not path.exists() or path.stat().st_size < 10_000:
        raise BuildError(f"the PDF build produced no book at {path}")
    text = pdf_text(path)
    for caption in part_captions():
        if caption.upper() not in text.upper():
            raise BuildError(f"the PDF {path} lacks the part '{caption}'")
    # A page whose content runs past its foot loses it; a line past the margin is cut: not published.
    log = path.with_suffix(".log")
    faults = latex_log_faults(log.read_text(encoding="utf-8", errors="replace")) if log.exists() else []
    if faults:
        more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
        raise BuildError(f"the PDF {path} would lose or cut text: {faults[0]}{more}; see {log}")
    return path


def latex_log_faults(log: str) -> list[str]:
    """What the LaTeX log says went wrong on the page: a line past the margin (Overfull \\hbox), a
    page whose content runs past its foot and is lost (Overfull \\vbox), a character no font has."""
    faults = re.findall(r"^Overfull \\[hv]box .*$", log, flags=re.MULTILINE)
    faults += sorted(set(re.findall(r"^Missing character: There is no .*$", log, flags=re.MULTILINE)))
    return faults


def latex_log(build_dir: Path = BUILD_DIR) -> str:
    path = pdf_path(build_dir).with_suffix(".log")
    return path.read_text(encoding="utf-8", errors="replace")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failure_summary(log: str) -> str:
    """The notebook, cell and error of a failed execution, or the first Sphinx warning, from the log."""
    text = _ANSI.sub("", log)
    notebook = re.search(r"ExecutionError: (\S+\.ipynb)", text)
    if notebook:
        cell = re.search(r"Cell In\[(\d+)\], line (\d+)", text)
        error = re.findall(r"^(\w+(?:Error|Exception)): (.+)$", text, flags=re.MULTILINE)
        where = f", cell In[{cell.group(1)}] line {cell.group(2)}" if cell else ""
        what = f": {error[-1][0]}: {error[-1][1]}" if error else ""
        return f"notebook {notebook.group(1)}{where}{what}"
    warning = re.search(r"^(.*(?:WARNING|ERROR):.*)$", text, flags=re.MULTILINE)
    return warning.group(1).strip() if warning else "see the messages above"


def edition_epoch(root: Path = ROOT) -> tuple[int, str]:
    """The edition's date, in seconds since 1970 (UTC), and where it comes from, in this order:
    SOURCE_DATE_EPOCH when already set; the time of the last commit when ``root`` is the top of a
    git checkout; otherwise (an exported tree) midnight UTC of the newest publication date in
    data/sources.csv, the newest thing the edition cites. Never the build's own time, so that two
    builds of the same tree give the same bytes and the title page shows the edition's date."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"]), "SOURCE_DATE_EPOCH as set"
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, check=True).stdout.strip()
        if Path(top).resolve() == root.resolve():
            last = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                                  capture_output=True, text=True, check=True).stdout.strip()
            return int(last), "the last commit"
    except (OSError, subprocess.CalledProcessError, ValueError):
        pass  # not a git checkout, or git is missing, or the checkout has no commit yet
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as handle:
        dates = [row["published"] for row in csv.DictReader(handle) if row["published"]]
    newest = max(dates)  # YYYY, YYYY-MM or YYYY-MM-DD: the newest sorts last as text
    parts = [int(p) for p in newest.split("-")] + [1, 1]
    day = datetime.datetime(parts[0], parts[1], parts[2], tzinfo=datetime.timezone.utc)
    return int(day.timestamp()), f"the newest source's date, {newest} (not a git checkout)"


def build_environment() -> dict[str, str]:
    """The environment of the jupyter-book processes: the book's root stated explicitly, so that
    Sphinx and every kernel it starts read this book's data; and the edition's date as
    SOURCE_DATE_EPOCH, which Sphinx takes as 'today' (the title page) and XeTeX and xdvipdfmx as
    the PDF's dates, /ID and font-subset tags, so that two builds of one commit are byte-identical."""
    epoch, _ = edition_epoch()
    return {**os.environ, ROOT_VARIABLE: str(ROOT), "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1"}


# jupyter-book's command line, run after importing this package (see panjbook/__init__.py). It ends
# without tearing the interpreter down: freeing the build's millions of objects one by one took
# about 0.6 s of every build (measured), and every file is closed by then.
JUPYTER_BOOK = (
    "import os, sys, panjbook\n"
    "from jupyter_book.cli.main import main\n"
    "try:\n    main()\n    code = 0\n"
    "except SystemExit as end:\n    code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)\n"
    "sys.stdout.flush(); sys.stderr.flush()\n"
    "os._exit(code)\n"
)


class JupyterBookRun:
    """jupyter-book's own command (JUPYTER_BOOK) in a process of its own; its output is echoed as it
    comes, and kept to name the failure at the end."""

    def __init__(self, build_dir: Path, builder: str, environment: dict[str, str] | None = None):
        command = [
            sys.executable, "-c", JUPYTER_BOOK, "build", str(ROOT),
            "--path-output", str(build_dir.parent), "--builder", builder,
            "-W", "-n", "--keep-going",
        ]
        self.build_dir, self.builder = build_dir, builder
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ROOT, env={**build_environment(), **(environment or {})},
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._echo = threading.Thread(target=self._echo_output, daemon=True)
        self._echo.start()

    def _echo_output(self) -> None:
        for line in self.process.stdout:
            sys.stdout.write(line)
            self.lines.append(line)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
        self._echo.join()

    def wait(self) -> None:
        """Wait for the build; BuildError naming the failing notebook cell or warning."""
        returncode = self.process.wait()
        self._echo.join()
        if returncode != 0:
            raise BuildError(
                f"jupyter-book {self.builder} build failed (exit {returncode}) at {failure_summary(''.join(self.lines))}; "
                f"execution reports are kept in {self.build_dir / 'failed-html' / 'reports'}"
            )
        print(f"[build] {self.builder} built in {time.perf_counter() - self.started:.1f} s", flush=True)


def _jupyter_book(build_dir: Path, builder: str) -> None:
    JupyterBookRun(build_dir, builder).wait()


def _html_while_executing(build_dir: Path) -> None:
    """The HTML build, started at once: Sphinx starts up while the data are validated and the chapters
    run, and reads each chapter as soon as its execution is settled (announced in a status folder,
    see panjbook.execute); the Vega bundle is made meanwhile, in a process of its own. A bad data
    file stops the build once the chapters have run, naming file, line and column, and nothing is
    published."""
    status = build_dir / "execution-status"
    shutil.rmtree(status, ignore_errors=True)
    status.mkdir(parents=True)
    (status / BUILD_PID_NAME).write_text(str(os.getpid()), encoding="utf-8")
    sphinx = JupyterBookRun(build_dir, "html", {STATUS_VARIABLE: str(status)})
    bundle = None
    # The data are validated in a thread while the chapters start: a bad data file stops the build
    # when the chapters are done (or fail on it), naming file, line and column, and nothing is published.
    validation = ThreadPoolExecutor(max_workers=1).submit(validate_data, build_dir)
    try:
        bundle = None if is_current(bundle_cache(build_dir)) else subprocess.Popen(
            [sys.executable, "-c", "import sys; from pathlib import Path; from panjbook.bundle import ensure_bundle; "
             "ensure_bundle(Path(sys.argv[1]))", str(bundle_cache(build_dir))], env=build_environment())
        if bundle is None:
            announce(status, BUNDLE_READY)
        try:
            execute_into_cache(build_dir / ".jupyter_cache", settled=lambda path: announce(status, path.stem))
            validation.result()  # raises the data's error, if any
        finally:
            announce(status, ALL_SETTLED)  # a failed chapter is then executed by myst-nb, which names the cell
        if bundle is not None:
            bundle.wait()  # a failure here is not fatal: the Sphinx extension then makes the bundle itself
            announce(status, BUNDLE_READY)
        # Sphinx keeps one core busy: the other draws the PDF's chart images meanwhile, as many
        # as it can before the HTML is done (the PDF build draws the rest).
        drawing = _start_drawing_pngs(build_dir)
        try:
            sphinx.wait()
        finally:
            drawing.stop()
    except BaseException:
        sphinx.stop()
        if bundle is not None and bundle.poll() is None:
            bundle.terminate()
        raise
    finally:
        shutil.rmtree(status, ignore_errors=True)


def validate_data(build_dir: Path, data_dir: Path = DATA_DIR) -> bool:
    """Validate every table (DataError names file, line and column), unless data/ and this package
    are byte for byte those of the last build that validated them; True if it validated."""
    stamp = build_dir / VALIDATED_STAMP
    fingerprint = inputs_fingerprint((data_dir, PACKAGE_DIR))
    if stamp_matches(stamp, fingerprint):
        return False
    from panjbook.data import load_all  # imports pandas: only when there is something to check

    load_all(data_dir)
    build_dir.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return True


def sources_fingerprint() -> str:
    """Everything a build reads: the configuration, the chapters and pages, data/, this package and
    the installed libraries. A builder whose last successful build saw the same has nothing to do."""
    from panjbook.execute import library_versions

    digest = hashlib.sha256(inputs_fingerprint((DATA_DIR, PACKAGE_DIR)).encode())
    for path in sorted(BOOK_DIR.glob("*")):
        if path.is_file() and path != BIBLIOGRAPHY:  # the bibliography is written by the build, from data/
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in ("_config.yml", "_toc.yml"):
        digest.update((ROOT / name).read_bytes())
    digest.update(library_versions().encode())
    digest.update(str(edition_epoch()[0]).encode())  # the edition's date is on every page
    return digest.hexdigest()


def _built_stamp(build_dir: Path, builder: str) -> Path:
    return build_dir / f"panj-built-{builder}.sha256"


def _up_to_date(build_dir: Path, builder: str, fingerprint: str, output: Path) -> bool:
    if output.exists() and stamp_matches(_built_stamp(build_dir, builder), fingerprint):
        print(f"[build] {builder}: nothing changed since the last build", flush=True)
        return True
    return False


def _start_drawing_pngs(build_dir: Path):
    from panjbook.chart_output import PNG_CACHE_NAME, BackgroundDrawing, notebook_specs

    executed = sorted((build_dir / ".jupyter_cache").glob("executed/*/base.ipynb"))
    return BackgroundDrawing(notebook_specs(executed), build_dir / PNG_CACHE_NAME, workers=1)


def build(build_dir: Path = BUILD_DIR, pdf: bool = True) -> None:
    if build_dir.name != "_build":
        raise BuildError("the build directory must be named _build (jupyter-book writes <path-output>/_build)")
    failed = build_dir / "failed-html"
    shutil.rmtree(failed, ignore_errors=True)
    fingerprint = sources_fingerprint()
    html_current = _up_to_date(build_dir, "html", fingerprint, html_dir(build_dir) / "index.html")
    if html_current:
        validate_data(build_dir)  # for the PDF: the data are those the last build validated, unless broken since
    try:
        if not html_current:
            for builder in ("html", "latex"):  # neither output is current until this build succeeds
                _built_stamp(build_dir, builder).unlink(missing_ok=True)
            _html_while_executing(build_dir)
            check_html(build_dir)
            _built_stamp(build_dir, "html").write_text(fingerprint + "\n", encoding="utf-8")
        if pdf and not _up_to_date(build_dir, "latex", fingerprint, pdf_path(build_dir)):
            _jupyter_book(build_dir, "pdflatex")
            built = check_pdf(build_dir)
            shutil.copy2(built, html_dir(build_dir) / PDF_NAME)
            _built_stamp(build_dir, "latex").write_text(fingerprint + "\n", encoding="utf-8")
    except Exception:
        if html_dir(build_dir).exists():
            shutil.move(str(html_dir(build_dir)), failed)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--html", action="store_true", help="build the HTML book only")
    parser.add_argument("--build-dir", type=Path, default=BUILD_DIR, help="default: _build in the repository")
    args = parser.parse_args(argv)
    try:
        build(args.build_dir.resolve(), pdf=not args.html)
    except (DataError, BuildError) as err:
        print(f"\nBUILD FAILED: {err}\nNothing was published.", file=sys.stderr)
        return 1
    print(f"[build] HTML: {html_dir(args.build_dir.resolve()) / 'index.html'}")
    if not args.html:
        print(f"[build] PDF:  {pdf_path(args.build_dir.resolve())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
