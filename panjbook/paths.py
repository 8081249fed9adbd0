"""Where things are. Everything is resolved from this file, never from the working directory,
because notebooks execute with their own folder as working directory."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
BOOK_DIR = ROOT / "book"
BUILD_DIR = ROOT / "_build"
DATAPACKAGE = DATA_DIR / "datapackage.json"
BIBLIOGRAPHY = BOOK_DIR / "references.bib"
