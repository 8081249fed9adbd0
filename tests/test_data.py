"""Tests over the real data in data/: it validates, the codebook makes every table cite its
sources and bounds every date, every source is used, and the bibliography is the sources table.
What the loader itself enforces (columns, types, ranges, required cells) is tested in
test_loader.py, not restated here."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from panjbook import bibliography
from panjbook.data import load_all, load_geometry, read_package
from panjbook.paths import DATA_DIR

BOOK_START, BOOK_END = pd.Timestamp("1990-01-01"), pd.Timestamp("2026-04-30")
# Tables that record the book itself rather than facts of the world, and so cite no source: the
# sources (the list cited) and the editions (the book's releases).
BOOK_RECORDS = {"sources", "editions"}
# The judgment layer: the authors' judgments and their inputs (scales, hypotheses and marks, scenarios,
# indicator rules and likelihoods, thresholds). They are not facts of the world, so they need no source
# column; where they rest on evidence they name it by its events (ach_evidence) or by optional
# event and source lists (judgments), and the likelihood scale cites ICD 203 at the level of the table.
JUDGMENT_LAYER = {"likelihood_scale", "judgments", "judgment_changes", "assumptions", "hypotheses", "ach_evidence",
                  "scenarios", "indicators", "indicator_rules", "indicator_likelihoods", "stance_groups",
                  "stance_second_coding", "record_changes"}


@pytest.fixture(scope="module")
def tables():
    return load_all()


def _cited(tables) -> set[str]:
    cited = set()
    for name, frame in tables.items():
        if name == "sources":
            continue
        if "source_id" in frame:
            cited |= set(frame["source_id"])
        if "source_ids" in frame:
            cited |= {s for ids in frame["source_ids"] if isinstance(ids, list) for s in ids}
    # A table may cite one source for all its rows (the likelihood scale, one published standard).
    for resource in read_package()["resources"]:
        for source in resource.get("sources", []):
            cited |= set(source.get("x-source-ids", []))
    return cited


def test_a_table_cites_its_own_sources_only_from_sources_csv(tables):
    named = {s for r in read_package()["resources"] for source in r.get("sources", []) for s in source.get("x-source-ids", [])}
    assert named and named <= set(tables["sources"]["source_id"])


def _tabular():
    return [r for r in read_package()["resources"] if "schema" in r]


def test_the_real_data_validates(tables):
    # The fixture's load_all raises DataError, naming file, line and column, on the first bad cell.
    assert tables


def test_map_geometry_loads_with_both_countries_and_their_provinces():
    collection = load_geometry()
    layers = {}
    for feature in collection["features"]:
        layers.setdefault(feature["properties"]["layer"], set()).add(feature["properties"]["name"])
    assert {"Tajikistan", "Afghanistan"} <= layers["country"]
    assert {"Badakhshan", "Takhar", "Kunduz", "Panjshir", "Daykundi"} <= layers["province"]
    assert any("Gorno-Badakhshan" in name for name in layers["province"])


def test_package_is_a_valid_frictionless_package():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(DATA_DIR / "datapackage.json"))
    errors = [f"{e.type}: {e.note}" for task in report.tasks for e in task.errors] + [
        f"{e.type}: {e.note}" for e in report.errors]
    assert report.valid, errors[:10]


def test_codebook_describes_every_field_and_lists_every_file():
    for resource in _tabular():
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
        assert resource.get("licenses"), f"{resource['name']} has no licence"
    listed = {r["path"] for r in read_package()["resources"]}
    assert {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.suffix in (".csv", ".geojson")} == listed


def test_the_codebook_makes_every_row_of_every_table_cite_a_source():
    """The loader enforces what the codebook says; this checks that the codebook says it, for
    every table: a required source_id(s) column whose ids must be rows of data/sources.csv."""
    for resource in _tabular():
        if resource["name"] in BOOK_RECORDS | JUDGMENT_LAYER:
            continue
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        column = "source_ids" if "source_ids" in fields else "source_id"
        assert column in fields, f"{resource['name']} has no source column"
        assert fields[column].get("constraints", {}).get("required") is True, f"{resource['name']}.{column} is not required"
        links = [fk["reference"] for fk in resource["schema"].get("foreignKeys", []) if fk["fields"] == column]
        links += [fields[column]["x-itemForeignKey"]] if "x-itemForeignKey" in fields[column] else []
        assert {"resource": "sources", "field": "source_id"} in [
            {"resource": link.get("resource"), "field": link.get("field") or link.get("fields")} for link in links
        ], f"{resource['name']}.{column} is not checked against data/sources.csv"


def test_every_source_is_used(tables):
    unused = set(tables["sources"]["source_id"]) - _cited(tables)
    assert unused == set()


def test_no_column_is_entirely_empty(tables):
    for name, frame in tables.items():
        empty = [c for c in frame.columns if frame[c].isna().all()]
        assert empty == [], f"{name}: {empty}"


def test_the_codebook_bounds_every_date_within_the_books_range():
    """The loader refuses dates outside a field's bounds; this checks that every date field has
    bounds, and that they lie in the years the book covers (sources may be dated to the end of 2026)."""
    for resource in _tabular():
        for field in resource["schema"]["fields"]:
            if "x-partialDate" not in field:
                continue
            bounds = field["x-partialDate"]
            where = f"{resource['name']}.{field['name']}"
            assert isinstance(bounds, dict) and {"minimum", "maximum"} <= set(bounds), f"{where} has no bounds"
            # Sources may be dated to the end of 2026; the watch list holds coming events, to 2030.
            latest = {"sources": pd.Timestamp("2026-12-31"), "watchlist": pd.Timestamp("2030-12-31")}.get(resource["name"], BOOK_END)
            assert BOOK_START <= pd.Timestamp(bounds["minimum"]) <= pd.Timestamp(bounds["maximum"]) <= latest, where


def _period_end(start: pd.Timestamp, precision: str) -> pd.Timestamp:
    return start + {"year": pd.DateOffset(years=1), "month": pd.DateOffset(months=1), "day": pd.DateOffset(days=1)}[precision]


def test_stances_and_verdicts_cite_no_event_after_their_date(tables):
    """A stance coded as of a date, or a claim's verdict, rests only on events up to that date."""
    events = tables["events"].set_index("event_id")
    for name, column in (("stances", "event_ids"), ("claims", "evidence_event_ids")):
        for row in tables[name].itertuples(index=False):
            end = _period_end(row.as_of, row.as_of_precision)
            later = [e for e in (getattr(row, column) or []) if events.loc[e, "date"] >= end]
            assert later == [], f"{name}: {row[:3]} as of {row.as_of.date()} cites later events {later}"


def test_rows_are_in_their_stable_order():
    """Files are sorted by their primary key (or the order below): numbers as numbers, everything
    else (dates too) as written, so an event dated only to a month comes before the days of that month."""
    orders = {"events": ["date", "event_id"], "border_lengths": ["neighbour_id", "length_km", "source_id"],
              "editions": ["released"], "likelihood_scale": ["lower_percent"]}  # the loader checks that versions rise with them
    for resource in _tabular():
        key = resource["schema"]["primaryKey"]
        columns = orders.get(resource["name"], [key] if isinstance(key, str) else key)
        numeric = {f["name"] for f in resource["schema"]["fields"] if f["type"] in ("number", "integer")}
        with open(DATA_DIR / resource["path"], encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        keys = [tuple((float(r[c]) if r[c] else -1.0) if c in numeric else r[c] for c in columns) for r in rows]
        assert keys == sorted(keys), resource["name"]


def test_alternative_versions_point_to_a_counted_event(tables):
    events = tables["events"].set_index("event_id")
    alternatives = events[events["alternative_to"].notna()]
    for event_id, target in alternatives["alternative_to"].items():
        assert pd.isna(events.loc[target, "alternative_to"]), f"{event_id} points to another alternative"


def test_the_seed_articles_are_sources(tables):
    seeds = tables["sources"][tables["sources"]["kind"] == "seed article"]
    assert set(seeds["source_id"]) == {"seed-gafarli-2021", "seed-chia-zheng-2021"}


def test_the_official_tajik_border_figure_is_in_the_data(tables):
    borders = tables["border_lengths"]
    official = borders[(borders["neighbour_id"] == "tajikistan") & (borders["stated_by_id"] == "tajikistan")
                       & (borders["basis"] == "official survey")]
    assert len(official) == 1


def test_bibliography_has_exactly_one_entry_per_source(tables, tmp_path):
    text = bibliography.bibtex()
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@misc{")]
    assert sorted(keys) == sorted(tables["sources"]["source_id"])
    target = tmp_path / "references.bib"
    assert bibliography.write(target) is True
    assert bibliography.write(target) is False  # unchanged data, unchanged file


def test_stances_cover_every_actor_dimension_and_period_with_defined_levels(tables):
    stances = tables["stances"]
    resource = next(r for r in read_package()["resources"] if r["name"] == "stances")
    scale = resource["x-scale"]
    dimensions = resource["schema"]["fields"][1]["constraints"]["enum"]
    actors = resource["schema"]["fields"][0]["constraints"]["enum"]
    assert set(scale) == set(dimensions)
    assert len(stances) == len(actors) * len(dimensions) * 2
    for dimension, spec in scale.items():
        assert [lvl["level"] for lvl in spec["levels"]] == [0, 1, 2, 3, 4], dimension
        assert all(lvl["label"] and lvl["rule"] for lvl in spec["levels"])
    late = stances[stances["period"] == "late_2021"]
    assert (late["as_of"] <= pd.Timestamp("2021-12-31")).all(), "late_2021 stances are dated in 2021"
    assert (stances.loc[stances["period"] == "latest", "as_of"] > pd.Timestamp("2021-12-31")).all()


def test_only_the_book_records_cite_no_source():
    """The exemption above is for the book's records alone (sources.csv has its own ids): any other
    table without a source column fails."""
    uncited = {r["name"] for r in _tabular() if not {"source_id", "source_ids"} & {f["name"] for f in r["schema"]["fields"]}}
    assert uncited == (BOOK_RECORDS | JUDGMENT_LAYER) - {"sources", "judgments", "assumptions"}
    # A judgment, and an assumption that rests on published work, may name its sources: the source list
    # is optional, and checked against sources.csv.
    for name in ("judgments", "assumptions"):
        resource = next(r for r in _tabular() if r["name"] == name)
        field = next(f for f in resource["schema"]["fields"] if f["name"] == "source_ids")
        assert field["x-itemForeignKey"] == {"resource": "sources", "field": "source_id"}


def test_the_current_edition_is_cut_off_at_the_newest_event(tables):
    """The last row of editions.csv is the current edition; its data_as_of is the newest dated event,
    so when events are added the edition's cut-off must follow (and the title page with it)."""
    editions, events = tables["editions"], tables["events"]
    assert editions["data_as_of"].iloc[-1] == events["date"].max(), (
        f"data/editions.csv: the current edition ({editions['version'].iloc[-1]}) has data_as_of "
        f"{editions['data_as_of'].iloc[-1].date()}, but the newest event in data/events.csv is dated {events['date'].max().date()}")


def test_stance_dimension_names_follow_the_codebook_order():
    from panjbook.data import stance_dimension_names

    resource = next(r for r in read_package()["resources"] if r["name"] == "stances")
    names = stance_dimension_names()
    assert list(names) == list(resource["x-scale"]) == resource["schema"]["fields"][1]["constraints"]["enum"]
    assert all(isinstance(n, str) and n for n in names.values())
