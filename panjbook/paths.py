"""Where things are. Everything is resolved from here, never from the working directory,
because notebooks execute with their own folder as working directory.

PANJBOOK_ROOT points the package at another copy of the book (the tests build broken copies
to check that the build refuses them); by default it is the repository holding this package.
"""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = Path(os.environ.get("PANJBOOK_ROOT") or PACKAGE_DIR.parent).resolve()
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
BUILD_DIR = ROOT / "_build"
DATAPACKAGE = DATA_DIR / "datapackage.json"
BIBLIOGRAPHY = BOOK_DIR / "references.bib"
