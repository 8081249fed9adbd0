"""How strong the sources behind a claim are, by the grading scheme of data/sources.csv.

Two definitions, used by the chapters, the Data and methods page and the tests:

- A source is **weak** when it is graded E or F, or when it points at an aggregator or mirror.
- A source **points at an aggregator or mirror** when its standing is 'aggregator or mirror' (the
  site produced the item or does not name its producer) or when the copy read was relayed by one
  (read_via_kind 'aggregator or mirror': a repost, content farm, blog, forum or unofficial mirror).

A claim rests on **weak sources only** when every source it cites is weak; the prose then says so
beside the claim (``weak_note``). A **chapter citation** is one link from a row of a data table to one
of its sources: every figure, chart mark and generated citation in the chapters is drawn from such rows,
and each row names its sources (``citation_links``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from panjbook.data import DataError, load, load_all
from panjbook.paths import DATA_DIR

WEAK_GRADES = ("E", "F")
AGGREGATOR = "aggregator or mirror"

# Edition 1 of the book (commit e08566b), measured on 5 December 2026 with the definitions above:
# 311 of 1,421 chapter citations pointed at an aggregator or mirror, and 191 data rows rested on weak
# sources only. Issue 13 asks for the share to be at least halved.
EDITION_1_MEASURED = "5 December 2026"
EDITION_1_AGGREGATOR_LINKS = 311
EDITION_1_LINKS = 1421
EDITION_1_WEAK_ONLY_ROWS = 191


def _sources(sources: pd.DataFrame | None, data_dir: Path) -> pd.DataFrame:
    frame = load("sources", data_dir) if sources is None else sources
    return frame.set_index("source_id") if "source_id" in frame.columns else frame


def _flat(source_ids) -> list[str]:
    if isinstance(source_ids, str):
        return [source_ids]
    flat: list[str] = []
    for item in source_ids:
        for source_id in ([item] if isinstance(item, str) else item):
            if source_id not in flat:
                flat.append(source_id)
    return flat


def points_at_aggregator(source: pd.Series) -> bool:
    """True when the source's standing is 'aggregator or mirror' or its copy was read through one."""
    return source["standing"] == AGGREGATOR or (not pd.isna(source.get("read_via_kind")) and source["read_via_kind"] == AGGREGATOR)


def is_weak(source: pd.Series) -> bool:
    """True when the source is graded E or F or points at an aggregator or mirror."""
    return source["grade"] in WEAK_GRADES or points_at_aggregator(source)


def weak_only(source_ids, sources: pd.DataFrame | None = None, data_dir: Path = DATA_DIR) -> bool:
    """True when every one of the given sources (a list, or lists of lists, of source ids) is weak."""
    table = _sources(sources, data_dir)
    ids = _flat(source_ids)
    if not ids:
        raise DataError("weak_only(): no source ids")
    missing = [i for i in ids if i not in table.index]
    if missing:
        raise DataError(f"data/sources.csv: no source with id {', '.join(missing)}")
    return all(is_weak(table.loc[i]) for i in ids)


def why_weak(source: pd.Series) -> str:
    """'grade E', 'grade D, read via UrduPoint', 'an aggregator or mirror, grade E'."""
    parts = []
    if source["standing"] == AGGREGATOR:
        parts.append("an aggregator or mirror")
    parts.append(f"grade {source['grade']}")
    if not pd.isna(source.get("read_via")) and source.get("read_via_kind") == AGGREGATOR:
        parts.append(f"read via {source['read_via']}")
    return ", ".join(parts)


def weak_note(source_ids, sources: pd.DataFrame | None = None, data_dir: Path = DATA_DIR) -> str:
    """The note the prose prints beside a claim whose sources are all weak, else an empty string:
    '(weak sources only: Wikipedia, grade E, read via piglix.com; Danso.info, an aggregator or mirror, grade E)'.
    Each source is named by its originator, once."""
    table = _sources(sources, data_dir)
    if not weak_only(source_ids, table):
        return ""
    named: dict[str, str] = {}
    for source_id in _flat(source_ids):
        source = table.loc[source_id]
        text = f"{source['originator']}, {why_weak(source)}"
        named.setdefault(text, text)
    return "(weak sources only: " + "; ".join(named) + ")"


def citation_links(tables: dict[str, pd.DataFrame] | None = None, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every link from a row of a data table to one of its sources: columns table, row (the row's
    position in its table), source_id. The sources table itself is not a citation."""
    tables = load_all(data_dir) if tables is None else tables
    links = []
    for name, frame in tables.items():
        if name == "sources":
            continue
        column = "source_ids" if "source_ids" in frame.columns else "source_id" if "source_id" in frame.columns else None
        if column is None:
            continue
        for row, value in enumerate(frame[column]):
            if not isinstance(value, list) and pd.isna(value):
                continue  # an optional source list left empty (a judgment resting on events only)
            for source_id in _flat(value if isinstance(value, list) else [value]):
                links.append((name, row, source_id))
    return pd.DataFrame(links, columns=["table", "row", "source_id"])


def aggregator_share(tables: dict[str, pd.DataFrame] | None = None, data_dir: Path = DATA_DIR) -> float:
    """The share of chapter citations (``citation_links``) whose source points at an aggregator or mirror."""
    tables = load_all(data_dir) if tables is None else tables
    links = citation_links(tables)
    sources = tables["sources"].set_index("source_id")
    flags = sources.apply(points_at_aggregator, axis=1)
    return float(links["source_id"].map(flags).mean())


def weak_only_rows(tables: dict[str, pd.DataFrame] | None = None, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The data rows whose sources are all weak: columns table, row, source_ids."""
    tables = load_all(data_dir) if tables is None else tables
    sources = tables["sources"].set_index("source_id")
    weak = sources.apply(is_weak, axis=1)
    links = citation_links(tables)
    links["weak"] = links["source_id"].map(weak)
    grouped = links.groupby(["table", "row"]).agg(weak=("weak", "all"), source_ids=("source_id", list)).reset_index()
    return grouped[grouped["weak"]].drop(columns="weak").reset_index(drop=True)


SHORT_NOTE = "(weak sources only)"


def cite_noted(source_ids, sources: pd.DataFrame | None = None, data_dir: Path = DATA_DIR, short: bool = False) -> str:
    """A MyST citation of the given sources followed, when every one of them is weak, by the weak-sources
    note: what the prose pastes (with pb.glue_cite) beside a claim, so that a reader sees the warning
    where the claim is made. ``short`` gives the note without the sources' names and grades, for table
    cells too narrow for long outlet names (the citation beside it names them, the References give grades)."""
    from panjbook.text import cite

    note = weak_note(source_ids, sources, data_dir)
    if note and short:
        note = SHORT_NOTE
    return cite(_flat(source_ids)) + (f" {note}" if note else "")


# --- the front page's key figures ------------------------------------------------------------
# The figures book/index.md pastes about the world (not the counts of the data itself: data_as_of,
# n_events_counted, n_sources), each with the rows of data/ it is computed from. A figure rests on
# weak sources only when every source of every one of its rows is weak.

def _rows(frame: pd.DataFrame, mask) -> list[list[str]]:
    column = "source_ids" if "source_ids" in frame.columns else "source_id"
    return [v if isinstance(v, list) else [v] for v in frame.loc[mask, column]]


def key_figure_rows(tables: dict[str, pd.DataFrame] | None = None, data_dir: Path = DATA_DIR) -> dict[str, list[list[str]]]:
    """For each key figure of the front page (its glue name), the source ids of the rows behind it.
    The front page leads with judgments; their sources are checked by ``weak_judgments``."""
    t = load_all(data_dir) if tables is None else tables
    events = t["events"][t["events"]["alternative_to"].isna()]
    return {"date_taliban_enter_kabul": _rows(events, events["event_id"] == "2021-08-15-taliban-enter-kabul")}


def weak_judgments(data_dir: Path = DATA_DIR) -> list[str]:
    """The labelled judgments whose sources, all of them, are weak (a judgment naming no source is
    checked by its basis, not here)."""
    from .assess import judgments, source_ids_behind

    sources = load("sources", data_dir).set_index("source_id")
    weak = []
    for row in judgments(data_dir).itertuples():
        ids = source_ids_behind(row, data_dir)
        if ids and weak_only([ids], sources):
            weak.append(row.judgment_id)
    return weak


def weak_key_figures(tables: dict[str, pd.DataFrame] | None = None, data_dir: Path = DATA_DIR) -> list[str]:
    """The key figures of the front page that rest on weak sources only."""
    t = load_all(data_dir) if tables is None else tables
    sources = t["sources"].set_index("source_id")
    return [name for name, rows in key_figure_rows(t).items() if not rows or weak_only(rows, sources)]
