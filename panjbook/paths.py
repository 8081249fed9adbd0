"""Where things are. Everything is resolved from here, never from the working directory alone,
because notebooks execute with their own folder as working directory.

The book's root (the folder holding _config.yml, _toc.yml and data/) is, in this order:

1. ``PANJBOOK_ROOT``, when set: an explicit choice (the build sets it for every process it
   starts; the tests point it at broken copies of the book);
2. the book that holds the working directory: a kernel runs in the notebook's folder (book/),
   a plain ``jupyter-book build .`` in the book's root; so a second clone or git worktree that
   shares this environment reads its own data, not the data of the checkout that installed
   the package;
3. the checkout holding this package, when the working directory is in no book.

``panjbook.sphinx_ext`` refuses to build a book other than this root (a plain
``jupyter-book build other/clone`` started from inside this one), naming both.
"""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_VARIABLE = "PANJBOOK_ROOT"
BOOK_MARKERS = ("_config.yml", "_toc.yml", "data/datapackage.json")


def is_book(folder: Path) -> bool:
    return all((folder / marker).is_file() for marker in BOOK_MARKERS)


def find_root() -> tuple[Path, str]:
    """The book's root and how it was found (for messages)."""
    explicit = os.environ.get(ROOT_VARIABLE)
    if explicit:
        return Path(explicit).resolve(), f"{ROOT_VARIABLE}={explicit}"
    try:
        here = Path.cwd().resolve()
    except OSError:  # the working directory was removed
        here = None
    if here is not None:
        for folder in (here, *here.parents):
            if is_book(folder):
                return folder, f"the book holding the working directory {here}"
    return PACKAGE_DIR.parent, f"the checkout holding the panjbook package (no book holds the working directory {here})"


ROOT, ROOT_FOUND_BY = find_root()
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
BUILD_DIR = ROOT / "_build"
DATAPACKAGE = DATA_DIR / "datapackage.json"
BIBLIOGRAPHY = BOOK_DIR / "references.bib"
