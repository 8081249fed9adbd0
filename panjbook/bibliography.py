"""The bibliography is generated from data/sources.csv, the single truth for citations.

Citations read as outlet-year labels, "(Reuters 2021)": the outlet is the short name of the
source's originator (for a wire story printed by a newspaper, the agency, not the newspaper), the
year that of publication, or "n.d." for an undated item. When one outlet has several items in a
year, they are told apart by letters in the order of their dates, then titles: "Asia-Plus 2021a",
"Asia-Plus 2021b"; several undated items read "Khovar n.d.-a", "Khovar n.d.-b". The labels are made
here, once, for every source, and written into the .bib file (the ``shorthand`` field, with a
``sortkey`` that orders the References page by label); the book's pybtex style
(panjbook.sphinx_ext) prints them and formats each entry with its outlet, date, title, address,
the relay read ("read via"), the reliability grade and the standing.
"""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import quote

import pandas as pd

from panjbook.data import load
from panjbook.paths import BIBLIOGRAPHY, DATA_DIR

_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_ESCAPES = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
            "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}

# The Admiralty (NATO) source-reliability scale, as the codebook words it (scripts/write_datapackage.py).
GRADE_MEANINGS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
UNDATED = "n.d."
# What an entry says in place of an address the book does not know (the seed articles read from stored copies).
NO_ADDRESS = "Address not known: read from a stored copy"


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


@dataclass(frozen=True)
class LabelItem:
    """What a label is made from: the source, its outlet's short name, its date as ISO text of any
    precision ("2021", "2021-08", "2021-08-16") or None when undated, and its title (to order items
    of one outlet and year that share a date)."""

    source_id: str
    outlet: str
    published: Optional[str]
    title: str


def letters(number: int) -> str:
    """The number-th disambiguating suffix, from 0: a, b, ..., z, aa, ab, ... (spreadsheet columns)."""
    text = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("a") + rest) + text
    return text


def _outlet_sort_key(outlet: str) -> str:
    # Accents and case do not move an outlet: "Élysée" sorts with E, "dpa" with D.
    return "".join(ch for ch in unicodedata.normalize("NFKD", outlet) if not unicodedata.combining(ch)).casefold()


def make_labels(items: Iterable[LabelItem]) -> dict[str, str]:
    """Source id -> label, in the order of the References page (outlet, then year, undated last, then
    letter). Letters are given only where one outlet has several items in one year (or several undated
    ones), in the order of their dates, then titles, then ids, so that they are stable."""
    groups: dict[tuple[str, str], list[LabelItem]] = defaultdict(list)
    for item in items:
        year = item.published[:4] if item.published else UNDATED
        groups[(item.outlet, year)].append(item)

    def group_order(key: tuple[str, str]):
        outlet, year = key
        return (_outlet_sort_key(outlet), outlet, year == UNDATED, year)

    labels: dict[str, str] = {}
    for outlet, year in sorted(groups, key=group_order):
        members = sorted(groups[(outlet, year)], key=lambda i: (i.published or "", i.title.casefold(), i.source_id))
        for number, item in enumerate(members):
            if len(members) == 1:
                suffix = ""
            else:
                suffix = ("-" if year == UNDATED else "") + letters(number)
            labels[item.source_id] = f"{outlet} {year}{suffix}"
    return labels


def outlet_names(sources: pd.DataFrame) -> dict[str, str]:
    """Originator -> the short name that labels its items.

    The short name is that of the rows where the originator is the outlet read (no relay, or a relay
    the row's publisher names as the originator itself): for Reuters in the National Post, "Reuters",
    from Reuters' own rows. Where those rows disagree (CABAR.asia and CABAR), the commonest wins, then
    the one that is the originator's own name, then the shorter. An originator with no such row (a
    wire agency read only through newspapers) is named by itself."""
    own = sources[sources["read_via"].isna() | (sources["publisher"] == sources["originator"])]
    names: dict[str, str] = {}
    for originator, group in own.groupby("originator", sort=True):
        counts = Counter(group["short_name"])
        names[originator] = min(counts, key=lambda name: (-counts[name], name != originator, len(name), name))
    for originator in sources["originator"]:
        names.setdefault(originator, originator)
    return names


def iso_date(published, precision) -> Optional[str]:
    """The publication date as ISO text of its own precision; None when undated."""
    if pd.isna(published):
        return None
    return published.strftime({"day": "%Y-%m-%d", "month": "%Y-%m"}.get(precision, "%Y"))


def date_text(iso: Optional[str]) -> str:
    """'16 August 2021', 'August 2021', '2021' or 'undated', from ISO text of any precision."""
    if not iso:
        return "undated"
    parts = iso.split("-")
    if len(parts) == 1:
        return parts[0]
    month = _MONTH_NAMES[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Source id -> label for the sources table, in the order of the References page."""
    names = outlet_names(sources)
    return make_labels(
        LabelItem(row.source_id, names[row.originator], iso_date(row.published, row.published_precision), str(row.title))
        for row in sources.itertuples(index=False)
    )


def bibtex(data_dir: Path = DATA_DIR) -> str:
    sources = load("sources", data_dir)
    labels = source_labels(sources)
    order = {source_id: number for number, source_id in enumerate(labels)}
    entries = []
    for row in sources.itertuples(index=False):
        relayed = not pd.isna(row.read_via)
        fields = [("shorthand", _escape(labels[row.source_id])), ("sortkey", f"{order[row.source_id]:05d}")]
        if not pd.isna(row.author):
            fields.append(("author", " and ".join(a.strip() for a in str(row.author).split(";"))))
        fields.append(("title", _escape(str(row.title))))
        # The outlet: for a relayed copy, the originator (the relay is read_via); otherwise the
        # publisher as the book names it, which may say more ("ITAR-TASS", "Belarus 1 (news.by)").
        fields.append(("publisher", _escape(str(row.originator if relayed else row.publisher))))
        iso = iso_date(row.published, row.published_precision)
        if iso:
            fields.append(("year", iso[:4]))
            fields.append(("date", iso))
        if str(row.url).startswith("urn:"):
            fields.append(("addendum", NO_ADDRESS))
        else:
            # As a URI: letters of other scripts percent-encoded, as most sources already give them.
            fields.append(("url", quote(str(row.url), safe="!#$%&'()*+,-./:;=?@[]_~")))
        if relayed:
            fields.append(("readvia", _escape(str(row.read_via))))
        fields.append(("grade", str(row.grade)))
        fields.append(("standing", _escape(str(row.standing))))
        fields.append(("kind", _escape(str(row.kind))))
        if not pd.isna(row.note):
            fields.append(("note", _escape(str(row.note))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
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
