"""The book's edition and where it is published, each read from one place.

- The editions are the rows of ``data/editions.csv``, oldest first; the last is the current one.
  The edition number is the major version (2.0.0 and 2.1.0 are both edition 2).
- The addresses come from ``_config.yml``, and only when set there: the online edition is
  ``html.baseurl`` (Jupyter Book's key, Sphinx's ``html_baseurl``), the data are the zip
  ``across-the-panj-data.zip`` beside the book's front page, the source is ``repository.url``.

The title page and colophon of the PDF, the front page (edition line, "How to cite", colophon),
the Changelog page and ``CITATION.cff`` (scripts/write_citation.py) all read these functions.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from panjbook.paths import DATA_DIR, ROOT

DATA_ZIP = "across-the-panj-data.zip"
PDF_NAME = "across-the-panj.pdf"


@dataclass(frozen=True)
class Edition:
    version: str
    released: dt.date
    data_as_of: dt.date
    summary: str

    @property
    def number(self) -> int:
        return int(self.version.split(".")[0])

    @property
    def tag(self) -> str:
        """The git tag of the release: 'v' and the version."""
        return f"v{self.version}"


def day(value: dt.date) -> str:
    """'5 December 2026'."""
    return f"{value.day} {value:%B %Y}"


def editions(data_dir: Path = DATA_DIR) -> list[Edition]:
    """Every edition, oldest first, validated by the loader (which refuses them out of order)."""
    from panjbook.data import load

    frame = load("editions", data_dir)
    return [Edition(row.version, row.released.date(), row.data_as_of.date(), row.summary)
            for row in frame.itertuples(index=False)]


def current(data_dir: Path = DATA_DIR) -> Edition:
    return editions(data_dir)[-1]


def edition_line(edition: Edition) -> str:
    """'Edition 2 (version 2.0.0), data as of 12 January 2026'."""
    return f"Edition {edition.number} (version {edition.version}), data as of {day(edition.data_as_of)}"


# --- configuration -------------------------------------------------------------------

def config(root: Path = ROOT) -> dict:
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def _text(value) -> str | None:
    value = (value or "").strip() if isinstance(value, str) else None
    return value or None


def full_title(root: Path = ROOT) -> str:
    """The title with its subtitle, as the title page prints it (``latex.latex_documents.title``)."""
    conf = config(root)
    return _text(((conf.get("latex") or {}).get("latex_documents") or {}).get("title")) or conf["title"]


def authors(root: Path = ROOT) -> str:
    return config(root)["author"]


@dataclass(frozen=True)
class Addresses:
    online: str | None       # the online edition's front page
    data: str | None         # the data zip
    pdf: str | None          # the PDF
    repository: str | None   # the source repository


def addresses(root: Path = ROOT) -> Addresses:
    """The published addresses, each None unless _config.yml sets it (none is ever guessed)."""
    conf = config(root)
    base = _text((conf.get("html") or {}).get("baseurl"))
    repository = _text((conf.get("repository") or {}).get("url"))
    if base and not base.endswith("/"):
        base += "/"
    return Addresses(online=base, data=base + DATA_ZIP if base else None, pdf=base + PDF_NAME if base else None,
                     repository=repository)


def licence(data_dir: Path = DATA_DIR) -> dict:
    """The licence of the text and data, as the data package gives it: {'name': 'CC-BY-4.0', 'title': ..., 'path': ...}."""
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    return package["licenses"][0]


# --- what the pages print ---------------------------------------------------------

def citation_fields(root: Path = ROOT, data_dir: Path = DATA_DIR) -> dict:
    """The fields of a citation, shared by CITATION.cff and the front page's "How to cite"."""
    edition = current(data_dir)
    where = addresses(root)
    return {
        "authors": authors(root),
        "title": full_title(root),
        "edition": edition.number,
        "version": edition.version,
        "released": edition.released,
        "data_as_of": edition.data_as_of,
        "licence": licence(data_dir),
        "url": where.online,
        "repository": where.repository,
    }


def citation_text(root: Path = ROOT, data_dir: Path = DATA_DIR) -> tuple[str, str, str]:
    """The citation in three pieces: before the title, the title (set in italics), after it."""
    f = citation_fields(root, data_dir)
    after = (f". Edition {f['edition']}, version {f['version']}, released {day(f['released'])}; "
             f"data as of {day(f['data_as_of'])}.")
    if f["url"]:
        after += f" {f['url']}"
    return f"{f['authors']} ({f['released'].year}). ", f["title"], after


def colophon_lines(root: Path = ROOT, data_dir: Path = DATA_DIR) -> list[tuple[str, str | None]]:
    """The colophon, line by line: (text, address or None). Address lines only when set."""
    f = citation_fields(root, data_dir)
    where = addresses(root)
    lines: list[tuple[str, str | None]] = [
        (f"{f['title']}. {edition_line(current(data_dir))}; released {day(f['released'])}.", None),
    ]
    if where.online:
        lines.append(("Online edition: ", where.online))
    if where.data:
        lines.append(("Data (every table, with its codebook): ", where.data))
    if where.repository:
        lines.append(("Source of the book and its data: ", where.repository))
    lines.append((f"Text and compiled data: {f['licence']['title']} ({f['licence']['name']}). "
                  "The facts belong to their sources, listed under References.", None))
    return lines
