"""The bibliography is generated from data/sources.csv, the single truth for citations."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pandas as pd

from panjbook.data import load
from panjbook.paths import BIBLIOGRAPHY, DATA_DIR

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def bibtex(data_dir: Path = DATA_DIR) -> str:
    sources = load("sources", data_dir)
    entries = []
    for row in sources.itertuples(index=False):
        fields = []
        if not pd.isna(row.author):
            fields.append(("author", " and ".join(a.strip() for a in str(row.author).split(";"))))
        fields.append(("title", "{" + _escape(str(row.title)) + "}"))
        fields.append(("howpublished", _escape(str(row.publisher))))
        published = not pd.isna(row.published)
        if published:
            fields.append(("year", str(row.published.year)))
            if row.published_precision in ("month", "day"):
                fields.append(("month", _MONTHS[row.published.month - 1]))
        if not str(row.url).startswith("urn:"):
            # As a URI: letters of other scripts percent-encoded, as most sources already give them.
            fields.append(("url", quote(str(row.url), safe="!#$%&'()*+,-./:;=?@[]_~")))
        notes = [f"Kind: {row.kind}"]
        if not published:
            notes.append("undated")
        if not pd.isna(row.note):
            notes.append(_escape(row.note))
        fields.append(("note", ". ".join(notes)))
        body = ",\n".join(
            f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
        )
        entries.append(f"@misc{{{row.source_id},\n{body}\n}}\n")
    header = "% Generated from data/sources.csv by panjbook.bibliography; do not edit by hand.\n\n"
    return header + "\n".join(entries)


def write(path: Path = BIBLIOGRAPHY, data_dir: Path = DATA_DIR) -> bool:
    """Write the .bib file if it changed; True if it was written."""
    text = bibtex(data_dir)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
