"""Load the book's tables from data/, validated against data/datapackage.json.

The datapackage is a Frictionless Data Package. This module implements the part of
Table Schema the book uses, so that a bad file stops with one message that names the
file, the line, the column and what was expected:

- field types ``string``, ``integer``, ``number``, ``boolean`` and ``date`` (``YYYY-MM-DD``);
- constraints ``required``, ``unique``, ``enum``, ``pattern``, ``minimum``, ``maximum``;
- ``primaryKey`` and ``foreignKeys`` (scalar fields);
- three extensions, marked ``x-``: ``x-delimiter`` on a string field holding a list of ids
  (loaded as a Python list), ``x-itemForeignKey`` on such a field (every item must exist in
  another table), and ``x-partialDate`` on a string field (``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``, parsed to the first day of the period, within the extension's ``minimum``
  and ``maximum``). So that the precision is not lost,
  the loaded table gains a column ``<field>_precision`` (``year``, ``month`` or ``day``) for
  each such field, unless the file already has a column of that name (events' date_precision,
  which the loader checks against the date instead).

Rules that span columns (a state needs an ISO code, a date's precision must match it)
are in ``ROW_RULES``; rules that span rows (the editions in the order they came out) in ``TABLE_RULES``.
"""
from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path
from typing import Callable

import pandas as pd

from panjbook.errors import DataError  # noqa: F401  (part of this module's interface)
from panjbook.paths import DATA_DIR


def _where(path: Path, data_dir: Path) -> str:
    try:
        return path.relative_to(data_dir.parent).as_posix()
    except ValueError:
        return path.as_posix()


def stance_dimension_names(data_dir: Path = DATA_DIR) -> dict:
    """Each stance dimension's name, in the codebook's order (the stances table's x-scale)."""
    stances = next(r for r in read_package(data_dir)["resources"] if r["name"] == "stances")
    return {dimension: spec["name"] for dimension, spec in stances["x-scale"].items()}


def read_package(data_dir: Path = DATA_DIR) -> dict:
    package_path = data_dir / "datapackage.json"
    if not package_path.exists():
        raise DataError(f"{_where(package_path, data_dir)}: file not found")
    try:
        return json.loads(package_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{_where(package_path, data_dir)}: not valid UTF-8 JSON ({err})") from err


def resource_names(data_dir: Path = DATA_DIR) -> list[str]:
    """The tables of the package (resources with a schema); the map geometry is not a table."""
    return [r["name"] for r in read_package(data_dir)["resources"] if "schema" in r]


def _resource(name: str, data_dir: Path) -> dict:
    for resource in read_package(data_dir)["resources"]:
        if resource["name"] == name:
            return resource
    known = ", ".join(resource_names(data_dir))
    raise DataError(f"data/datapackage.json: no resource named '{name}' (known: {known})")


# --- reading the raw text --------------------------------------------------------------

def _read_rows(path: Path, data_dir: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of every row; line numbers count the header as 1."""
    where = _where(path, data_dir)
    if not path.exists():
        raise DataError(f"{where}: file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{where}, line {line}: expected UTF-8 text, found byte 0x{raw[err.start]:02x} "
            f"at byte offset {err.start}"
        ) from err
    if text.startswith("\ufeff"):
        raise DataError(f"{where}, line 1: expected UTF-8 without a byte-order mark")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{where}: the file is empty; expected a header row and data rows") from None
    rows = []
    start = reader.line_num + 1
    for cells in reader:
        if cells:  # a blank line is not a row
            rows.append((start, cells))
        start = reader.line_num + 1
    return header, rows


# --- text that could be read as MyST -------------------------------------------------

# Chapters place table text into generated MyST (list-table cells, paragraphs), so a cell must be
# plain text on one line: a line break lets what follows start new blocks (a blank line and
# '## heading' add a heading to the page), and these open markup wherever they stand.
_MYST_ANYWHERE = [
    (re.compile(r"\{[^{}\s]*\}`"), "a MyST role ('{name}`...`')"),
    (re.compile(r"```|~~~|:::"), "a MyST fence ('```', '~~~' or ':::') that opens a code block or directive"),
    (re.compile(r"\{\{|\}\}"), "a MyST substitution ('{{' or '}}')"),
    (re.compile(r"<[A-Za-z/!?]"), "raw HTML ('<' before a tag name, '/', '!' or '?')"),
]
# These are markup only where a block starts, which is where a value lands in a list-table cell.
_MYST_AT_START = [
    (re.compile(r"#{1,6}(\s|$)"), "a MyST heading ('#')"),
    (re.compile(r">"), "a block quote ('>')"),
    (re.compile(r"[-+*](\s|$)"), "a bullet list marker ('-', '+' or '*')"),
    (re.compile(r"([-*_])\s*\1\s*\1[\s\-*_]*$"), "a thematic break"),
    (re.compile(r"\|"), "a table row ('|')"),
    (re.compile(r":(\s|$)"), "a definition ('::')"),
    (re.compile(r"\([^()]*\)="), "a MyST target ('(label)=')"),
    (re.compile(r"\+\+\+"), "a MyST block break ('+++')"),
    (re.compile(r"\[[^\]]*\]:"), "a link or footnote definition ('[label]:')"),
    (re.compile(r"\$\$"), "display math ('$$')"),
]
# Not refused: '%' at the start (a MyST comment) begins a real unit, '% of GDP'; a chapter that
# starts a block with such a value must escape it.
# A number with a dot starts an ordered list, but its text is kept ('928. Do U.S. sanctions ...',
# a source's title): what follows it is checked as a block start of its own.
_ORDERED_LIST_MARKER = re.compile(r"\d{1,9}[.)]\s+")
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def myst_markup(text: str) -> str | None:
    """What in ``text`` MyST would read as markup rather than plain text on one line, or None."""
    if _LINE_BREAK.search(text):
        return "a line break (it would let what follows start new MyST blocks)"
    for pattern, what in _MYST_ANYWHERE:
        if pattern.search(text):
            return what
    start = _ORDERED_LIST_MARKER.sub("", text, count=1) if _ORDERED_LIST_MARKER.match(text) else text
    for pattern, what in _MYST_AT_START:
        if pattern.match(start):
            return what + " at the start"
    return None


# --- cell parsers ------------------------------------------------------------------

_PRECISION = {4: "year", 7: "month", 10: "day"}
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class MystMarkup(ValueError):
    """Text that MyST would read as markup; the message says which."""


class NoSuchDate(ValueError):
    """Written as a date, but no such day exists (2021-02-30); the message says why."""


def parse_partial_date(text: str) -> dt.date:
    """'2021', '2021-09' or '2021-09-23' -> the first day of that period; ValueError if not
    written as a date, NoSuchDate if written as one that does not exist."""
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise NoSuchDate(f"there is no month {month:02d}")
    if day is not None:
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise NoSuchDate(f"{calendar.month_name[month]} {year} has {days} days")
    return dt.date(year, month or 1, day or 1)


def _parse_cell(value: str, field: dict) -> object:
    kind = field.get("type", "string")
    if kind == "string":
        if field.get("x-partialDate"):
            return parse_partial_date(value)
        if "x-delimiter" in field:
            items = value.split(field["x-delimiter"])
            if any(item == "" or item != item.strip() for item in items):
                raise ValueError(value)
            return items
        markup = myst_markup(value)
        if markup:
            raise MystMarkup(markup)
        return value
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise ValueError
        return int(value)
    if kind == "number":
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            raise ValueError
        return float(value)
    if kind == "boolean":
        if value not in ("true", "false"):
            raise ValueError
        return value == "true"
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        return parse_partial_date(value)
    raise DataError(f"data/datapackage.json: field '{field['name']}' has unsupported type '{kind}'")


def _expected(field: dict) -> str:
    kind = field.get("type", "string")
    if field.get("x-partialDate"):
        return "a date written YYYY-MM-DD, YYYY-MM or YYYY"
    if "x-delimiter" in field:
        return f"ids separated by '{field['x-delimiter']}' with no spaces or empty items"
    return {
        "integer": "a whole number such as 1344",
        "number": "a number such as 1344.15 (a dot for decimals, no thousands separator)",
        "boolean": "true or false",
        "date": "a date written YYYY-MM-DD",
    }.get(kind, "text")


def _check_constraints(value: object, raw: str, field: dict) -> str | None:
    """The reason a parsed value breaks its constraints, or None."""
    constraints = field.get("constraints", {})
    items = value if isinstance(value, list) else [value]
    raws = raw.split(field["x-delimiter"]) if isinstance(value, list) else [raw]
    if field.get("type") == "date":  # bounds written as dates
        constraints = {k: parse_partial_date(v) if k in ("minimum", "maximum") else v for k, v in constraints.items()}
    for item, item_raw in zip(items, raws):
        if "enum" in constraints and item_raw not in constraints["enum"]:
            allowed = ", ".join(f"'{v}'" for v in constraints["enum"])
            return f"expected one of {allowed}, got '{item_raw}'"
        if "pattern" in constraints and not isinstance(value, list) and not re.fullmatch(constraints["pattern"], item_raw):
            return f"expected text matching {constraints['pattern']}, got '{item_raw}'"
        if "minimum" in constraints and item < constraints["minimum"]:
            return f"expected a value at least {constraints['minimum']}, got '{item_raw}'"
        if "maximum" in constraints and item > constraints["maximum"]:
            return f"expected a value at most {constraints['maximum']}, got '{item_raw}'"
    return None


def _check_date_range(value: object, raw: str, field: dict) -> str | None:
    bounds = field.get("x-partialDate")
    if not isinstance(value, dt.date) or not isinstance(bounds, dict):
        return None
    if "minimum" in bounds and value < parse_partial_date(bounds["minimum"]):
        return f"expected a date on or after {bounds['minimum']}, got '{raw}'"
    if "maximum" in bounds and value > parse_partial_date(bounds["maximum"]):
        return f"expected a date on or before {bounds['maximum']}, got '{raw}'"
    return None


# --- rules across columns -------------------------------------------------------------

RowRule = Callable[[dict], "tuple[str, str] | None"]


def _state_needs_iso3(row: dict):
    if row.get("kind") == "state" and row.get("iso3") is None:
        return "iso3", "an ISO 3166-1 alpha-3 code for a state"
    if row.get("kind") != "state" and row.get("iso3") is not None:
        return "iso3", "no ISO code for an actor that is not a state"
    return None


def _precision_matches_date(row: dict):
    raw = row["_raw"]["date"]
    expected = {"day": 10, "month": 7, "year": 4}.get(row.get("date_precision"))
    if expected is not None and len(raw) != expected:
        return "date_precision", f"'{ {10: 'day', 7: 'month', 4: 'year'}.get(len(raw), 'day') }' for the date '{raw}'"
    return None


def _end_after_start(row: dict):
    end = row.get("end_date")
    if end is not None and end < row["date"]:
        return "end_date", f"a date on or after {row['_raw']['date']}, got '{row['_raw']['end_date']}'"
    return None


def _until_after_since(row: dict):
    if row.get("since") is not None and row.get("until") is not None and row["until"] < row["since"]:
        return "until", f"a date on or after {row['_raw']['since']}"
    return None


def _data_before_release(row: dict):
    if row.get("data_as_of") is not None and row.get("released") is not None and row["data_as_of"] > row["released"]:
        return "data_as_of", f"a date on or before the release, {row['_raw']['released']}"
    return None


ROW_RULES: dict[str, list[RowRule]] = {
    "actors": [_state_needs_iso3],
    "events": [_precision_matches_date, _end_after_start],
    "memberships": [_until_after_since],
    "watchlist": [_precision_matches_date],
    "editions": [_data_before_release],
}


def semver(text: str) -> tuple[int, int, int]:
    """'2.10.0' -> (2, 10, 0), to compare versions as numbers."""
    major, minor, patch = (int(part) for part in text.split("."))
    return major, minor, patch


# Rules across rows: (rows in file order) -> (row, column, what was expected) or None.
TableRule = Callable[[list], "tuple[dict, str, str] | None"]


def _editions_in_order(rows: list):
    """Each edition after the one before it: a higher version, released and cut off no earlier."""
    for before, row in zip(rows, rows[1:]):
        if semver(row["version"]) <= semver(before["version"]):
            return row, "version", f"a version above {before['version']} of line {before['_line']} (editions in the order they came out)"
        for column in ("released", "data_as_of"):
            if row[column] < before[column]:
                return row, column, f"a date on or after {before['_raw'][column]} of line {before['_line']} (editions in the order they came out)"
    return None


TABLE_RULES: dict[str, list[TableRule]] = {
    "editions": [_editions_in_order],
}


# --- the loader ----------------------------------------------------------------------

def _dtype(field: dict) -> str | None:
    if field.get("x-partialDate") or field.get("type") == "date":
        return "datetime64[s]"
    if "x-delimiter" in field:
        return None  # a column of lists
    return {"string": "string", "integer": "Int64", "number": "Float64",
            "boolean": "boolean"}.get(field.get("type", "string"))


_VALIDATED: dict[tuple, tuple[dict, list[dict]]] = {}


def _data_state(data_dir: Path) -> tuple:
    """Name, size and modification time of every file in data/: validation results stay valid while it holds."""
    state = []
    with os.scandir(data_dir) as entries:
        for entry in entries:
            if entry.is_file():
                stat = entry.stat()
                state.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(state))


def state_key(name: str, data_dir: Path) -> tuple | None:
    """A key for a result computed from data/ (``name`` says which), valid while data/ is unchanged;
    None when data_dir is not a folder (nothing can be cached)."""
    data_dir = Path(data_dir)
    return (name, str(data_dir.resolve()), _data_state(data_dir)) if data_dir.is_dir() else None


def _validated_rows(name: str, data_dir: Path, seen: tuple[str, ...]) -> tuple[dict, list[dict]]:
    # Tables are validated once per state of data/: foreign-key checks would otherwise validate
    # sources.csv again for every table that cites it.
    key = state_key(name, data_dir)
    if key in _VALIDATED:
        return _VALIDATED[key]
    result = _validate(name, data_dir, seen)
    if key is not None:
        _VALIDATED[key] = result
    return result


def _validate(name: str, data_dir: Path, seen: tuple[str, ...]) -> tuple[dict, list[dict]]:
    resource = _resource(name, data_dir)
    path = data_dir / resource["path"]
    where = _where(path, data_dir)
    fields = resource["schema"]["fields"]
    names = [f["name"] for f in fields]
    header, raw_rows = _read_rows(path, data_dir)

    missing = [n for n in names if n not in header]
    unknown = [h for h in header if h not in names]
    if missing:
        raise DataError(f"{where}, line 1: missing column '{missing[0]}'; expected columns {', '.join(names)}")
    if unknown:
        raise DataError(f"{where}, line 1, column '{unknown[0]}': unknown column; expected columns {', '.join(names)}")
    if header != names:
        raise DataError(f"{where}, line 1: columns in the wrong order; expected {', '.join(names)}")
    if not raw_rows:
        raise DataError(f"{where}: the table is empty; expected at least one data row")

    rows = []
    for line, cells in raw_rows:
        if len(cells) != len(names):
            raise DataError(f"{where}, line {line}: expected {len(names)} cells, found {len(cells)}")
        row: dict = {"_line": line, "_raw": dict(zip(names, cells))}
        for field, raw in zip(fields, cells):
            column = field["name"]
            if raw != raw.strip():
                raise DataError(f"{where}, line {line}, column '{column}': expected no leading or trailing spaces, got '{raw}'")
            if raw == "":
                if field.get("constraints", {}).get("required"):
                    raise DataError(f"{where}, line {line}, column '{column}': expected a value, the cell is empty")
                row[column] = None
                continue
            try:
                value = _parse_cell(raw, field)
            except MystMarkup as err:
                shown = raw.encode("unicode_escape").decode("ascii") if _LINE_BREAK.search(raw) else raw
                raise DataError(f"{where}, line {line}, column '{column}': expected plain text on one line, "
                                f"got '{shown}', which holds {err}") from None
            except NoSuchDate as err:
                raise DataError(f"{where}, line {line}, column '{column}': expected a date that exists, "
                                f"got '{raw}', which does not exist ({err})") from None
            except ValueError:
                raise DataError(f"{where}, line {line}, column '{column}': expected {_expected(field)}, got '{raw}'") from None
            problem = _check_constraints(value, raw, field) or _check_date_range(value, raw, field)
            if problem:
                raise DataError(f"{where}, line {line}, column '{column}': {problem}")
            row[column] = value
        for rule in ROW_RULES.get(name, []):
            broken = rule(row)
            if broken:
                column, expected = broken
                raise DataError(f"{where}, line {line}, column '{column}': expected {expected}")
        rows.append(row)

    for rule in TABLE_RULES.get(name, []):
        broken = rule(rows)
        if broken:
            row, column, expected = broken
            raise DataError(f"{where}, line {row['_line']}, column '{column}': expected {expected}, got '{row['_raw'][column]}'")

    schema = resource["schema"]
    key = schema.get("primaryKey")
    keys = [key] if isinstance(key, str) else list(key or [])
    unique_sets = [keys] if keys else []
    unique_sets += [[f["name"]] for f in fields if f.get("constraints", {}).get("unique")]
    for columns in unique_sets:
        first_line: dict = {}
        for row in rows:
            value = tuple(row["_raw"][c] for c in columns)
            if value in first_line:
                label = " + ".join(f"'{c}'" for c in columns)
                raise DataError(
                    f"{where}, line {row['_line']}, column {label}: expected a unique key, "
                    f"'{'/'.join(value)}' is already on line {first_line[value]}"
                )
            first_line[value] = row["_line"]

    _check_foreign_keys(name, resource, rows, where, data_dir, seen)
    return resource, rows


def _check_foreign_keys(name, resource, rows, where, data_dir, seen):
    links = []  # (column, target resource, target field, is_list)
    for fk in resource["schema"].get("foreignKeys", []):
        target = fk["reference"].get("resource") or name
        links.append((fk["fields"], target, fk["reference"]["fields"], False))
    for field in resource["schema"]["fields"]:
        if "x-itemForeignKey" in field:
            ref = field["x-itemForeignKey"]
            links.append((field["name"], ref.get("resource") or name, ref["field"], True))
    for column, target, target_field, is_list in links:
        if target == name:
            known = {row["_raw"][target_field] for row in rows}
        elif target in seen:
            continue  # a cycle: the other side checks this link
        else:
            _, target_rows = _validated_rows(target, data_dir, seen + (name,))
            known = {row["_raw"][target_field] for row in target_rows}
        target_path = _resource(target, data_dir)["path"]
        for row in rows:
            value = row.get(column)
            if value is None:
                continue
            for item in value if is_list else [value]:
                if item not in known:
                    raise DataError(
                        f"{where}, line {row['_line']}, column '{column}': expected an id from "
                        f"column '{target_field}' of data/{target_path}, got '{item}', which is not there"
                    )


_FRAMES: dict[tuple, pd.DataFrame] = {}


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The table ``name`` as a typed DataFrame, after validating it; DataError if the file is bad.

    Each call returns a frame of its own (a copy), made once per state of data/: the judgments of
    the Outlook load the same tables hundreds of times, and typing the columns is what costs."""
    data_dir = Path(data_dir)
    key = state_key(name, data_dir)
    if key is not None and key in _FRAMES:
        return _FRAMES[key].copy()
    frame = _typed_frame(name, data_dir)
    if key is not None:
        _FRAMES[key] = frame
        return frame.copy()
    return frame


def _typed_frame(name: str, data_dir: Path) -> pd.DataFrame:
    resource, rows = _validated_rows(name, data_dir, ())
    fields = resource["schema"]["fields"]
    frame = pd.DataFrame({f["name"]: [row[f["name"]] for row in rows] for f in fields})
    for field in fields:
        dtype = _dtype(field)
        if dtype:
            frame[field["name"]] = frame[field["name"]].astype(dtype)
        companion = f"{field['name']}_precision"
        if field.get("x-partialDate") and companion not in frame:
            precision = [_PRECISION.get(len(row["_raw"][field["name"]])) for row in rows]
            frame[companion] = pd.array(precision, dtype="string")
    return frame


def load_all(data_dir: Path = DATA_DIR) -> dict[str, pd.DataFrame]:
    """Every table of the package, each validated."""
    return {name: load(name, data_dir) for name in resource_names(data_dir)}


def load_geometry(name: str = "region_map", data_dir: Path = DATA_DIR) -> dict:
    """A GeoJSON FeatureCollection of the package, checked for the properties the book's maps use."""
    resources = {r["name"]: r for r in read_package(data_dir)["resources"]}
    if name not in resources or resources[name].get("format") != "geojson":
        raise DataError(f"data/datapackage.json: no GeoJSON resource named '{name}'")
    path = data_dir / resources[name]["path"]
    where = _where(path, data_dir)
    if not path.exists():
        raise DataError(f"{where}: file not found")
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{where}: expected UTF-8 GeoJSON ({err})") from err
    if collection.get("type") != "FeatureCollection" or not collection.get("features"):
        raise DataError(f"{where}: expected a FeatureCollection with features")
    for number, feature in enumerate(collection["features"], start=1):
        props = feature.get("properties") or {}
        if props.get("layer") not in ("country", "province", "river") or not props.get("id"):
            raise DataError(f"{where}, feature {number}: expected properties 'layer' (country, province or river) and 'id'")
    return collection


class SourceLine(str):
    """The text of a chart's source line, which also knows every source it stands for:
    ``source_ids`` (in order of first use), ``head`` (the line without its parenthesis) and
    ``omitted`` (how many publishers the line counts rather than names)."""

    source_ids: list[str]
    head: str
    omitted: int


def source_line(frame: pd.DataFrame, data_dir: Path = DATA_DIR, max_names: int = 10) -> SourceLine:
    """'Sources: A; B; C' with the short publisher names of the sources the rows cite, in order of first
    use. Past ``max_names`` publishers, the most cited are named and the rest counted; the chart's
    title (panjbook.theme.titled) then says where a reader finds them all."""
    sources = load("sources", data_dir).set_index("source_id")
    ids: list[str] = []
    for column in ("source_id", "source_ids"):
        if column in frame:
            for value in frame[column]:
                ids += value if isinstance(value, list) else [value]
    if not ids:
        raise DataError("source_line: the rows carry no 'source_id' or 'source_ids' column")
    uses: dict[str, int] = {}
    for source_id in ids:
        short = sources.loc[source_id, "short_name"]
        uses[short] = uses.get(short, 0) + 1
    names = list(uses)  # insertion order = order of first use
    omitted = 0
    if len(names) == 1:
        head = text = f"Source: {names[0]}"
    elif len(names) <= max_names:
        head = text = "Sources: " + "; ".join(names)
    else:
        most = sorted(names, key=lambda n: (-uses[n], names.index(n)))[:max_names]
        omitted = len(names) - len(most)
        others = "1 other" if omitted == 1 else f"{omitted} others"
        head = f"Sources: {'; '.join(most)} and {others}"
        text = f"{head} (each mark's source is in its tooltip; all are under References)"
    line = SourceLine(text)
    line.source_ids = list(dict.fromkeys(ids))
    line.head = head
    line.omitted = omitted
    return line


def event_day(event_id: str, year: bool = True, data_dir: Path = DATA_DIR) -> str:
    """An event's date as the prose prints it: '25 August 2021', or 'August 2021' when the source
    gives only the month; without the year when ``year`` is false ('25 August')."""
    events = load("events", data_dir).set_index("event_id")
    if event_id not in events.index:
        raise DataError(f"data/events.csv: no event with id {event_id}")
    event = events.loc[event_id]
    form = "%-d %B" if event["date_precision"] == "day" else "%B"
    return event["date"].strftime(form + (" %Y" if year else ""))


def event_when(event_id: str, data_dir: Path = DATA_DIR) -> str:
    """An event's date with the preposition prose needs: 'on 16 May 2022', or 'in August 2025' when
    the source gives only the month."""
    events = load("events", data_dir).set_index("event_id")
    if event_id not in events.index:
        raise DataError(f"data/events.csv: no event with id {event_id}")
    return ("on " if events.loc[event_id, "date_precision"] == "day" else "in ") + event_day(event_id, data_dir=data_dir)


def cite_events(*event_ids: str, data_dir: Path = DATA_DIR, noted: bool = False) -> str:
    """A MyST citation of the sources of the given events, for prose generated from the events table.
    With ``noted``, followed by the weak-sources note when every source is weak (panjbook.sourcing)."""
    from panjbook.text import cite

    events = load("events", data_dir).set_index("event_id")
    missing = [e for e in event_ids if e not in events.index]
    if missing:
        raise DataError(f"data/events.csv: no event with id {', '.join(missing)}")
    ids = [events.loc[e, "source_ids"] for e in event_ids]
    if noted:
        from panjbook.sourcing import cite_noted

        return cite_noted(ids, data_dir=data_dir)
    return cite(ids)


# --- sources: reliability grades -------------------------------------------------------
# The rules of the grading scheme that the sources table itself can show (the scheme is in the
# descriptions of 'grade' and 'standing' in data/datapackage.json). Kept apart from ROW_RULES above.

def _source_grade_rules(row: dict):
    grade, standing = row.get("grade"), row.get("standing")
    originator, read_via = row.get("originator"), row.get("read_via")
    if read_via is not None and read_via == originator:
        return "read_via", (f"a relay other than the originator '{originator}', or an empty cell when the copy "
                            f"read is the original, got '{read_via}'")
    read_via_kind = row.get("read_via_kind")
    if (read_via is None) != (read_via_kind is None):
        return "read_via_kind", ("what the relay is when read_via is set, and an empty cell when it is not, got "
                                 f"'{read_via_kind or ''}' for read_via '{read_via or ''}'")
    if standing == "aggregator or mirror" and grade not in ("E", "F"):
        return "grade", f"E or F for a source whose standing is 'aggregator or mirror', got '{grade}'"
    if grade == "A" and standing != "government or intergovernmental body":
        return "grade", f"A only for a government or intergovernmental body, got 'A' for standing '{standing}'"
    if standing == "state-controlled media" and grade not in ("C", "D", "E"):
        return "grade", f"C, D or E for state-controlled media, got '{grade}'"
    return None


ROW_RULES.setdefault("sources", []).append(_source_grade_rules)
