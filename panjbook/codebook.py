"""The codebook of every table, written from data/datapackage.json: for the Data and methods page
(MyST), and as plain files for readers (``codebook.md``, ``codebook.csv``), which go with every
table and ``datapackage.json`` into the one download, ``across-the-panj-data.zip``."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from panjbook.paths import DATA_DIR

DATA_ZIP_NAME = "across-the-panj-data.zip"
CODEBOOK_COLUMNS = ["Field", "Type", "Unit", "Description", "Rules"]
# A line break may fall after each underscore of a long identifier in a narrow column: marked by
# this character in the page's text; the Sphinx extension turns it into a break point that is no
# character (<wbr> in HTML, a zero-width glue in LaTeX), so copied values carry nothing invisible.
BREAK_POINT = "\u200b"


def _breakable(token: str) -> str:
    return token.replace("_", "_" + BREAK_POINT)


def _constraints(field: dict, breakable=_breakable, code=lambda name: f"`{name}`") -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of: " + ", ".join(breakable(v) for v in c["enum"]))
    bounds = {**c, **(field["x-partialDate"] if isinstance(field.get("x-partialDate"), dict) else {})}
    if "minimum" in bounds or "maximum" in bounds:
        parts.append(f"from {bounds.get('minimum', '…')} to {bounds.get('maximum', '…')}")
    if "x-itemForeignKey" in field:
        ref = field["x-itemForeignKey"]
        parts.append(f"each an id of {code(ref['resource'])}")
    return "; ".join(parts)


def _type(field: dict) -> str:
    if field.get("x-partialDate"):
        return "date"
    if "x-delimiter" in field:
        return "list of ids"
    return field["type"]


def _cell(text: str) -> str:
    return text.replace("\n", " ")


def markdown(data_dir=DATA_DIR) -> str:
    """The codebook as MyST for the Data and methods page: each table's description, download and
    fields (a list-table per table)."""
    from panjbook.data import load, read_package
    from panjbook.text import list_table

    package = read_package(data_dir)
    out = []
    for resource in package["resources"]:
        if "schema" not in resource:  # the map geometry: described, not tabulated
            licences = ", ".join(f"[{l['title']}]({l['path']})" for l in resource.get("licenses", []))
            out.append(f"### {resource['title']}\n\n{resource['description']}\n")
            out.append(f"File: {{download}}`{resource['path']} <../data/{resource['path']}>`. Licence: {licences}.\n")
            continue
        table = load(resource["name"], data_dir)
        licences = ", ".join(f"[{l['title']}]({l['path']})" for l in resource.get("licenses", package.get("licenses", [])))
        out.append(f"### {resource['title']}\n")
        out.append(f"{resource['description']}\n")
        out.append(
            f"File: {{download}}`{resource['path']} <../data/{resource['path']}>` "
            f"({len(table)} rows). Licence: {licences}.\n"
        )
        keys = resource["schema"].get("primaryKey")
        keys = [keys] if isinstance(keys, str) else keys
        out.append(f"Each row is identified by {', '.join(f'`{k}`' for k in keys)}.\n")
        if "x-verdicts" in resource:  # the verdict words of the claims and the rule for each
            out.append("The verdicts (`x-verdicts`), in the order of the scale:\n")
            out.append("\n".join(f"- **{v['verdict']}**: {v['rule']}" for v in resource["x-verdicts"]) + "\n")
        if "x-region" in resource:  # the countries whose exercises count as held in the region
            out.append("Countries of the region (`x-region`): " + ", ".join(f"`{a}`" for a in resource["x-region"]) + ".\n")
        # A list-table with set widths: Markdown tables let LaTeX squeeze the field names.
        rows = [[f"`{field['name']}`", _type(field), field.get("unit", ""), _cell(field["description"]), _cell(_constraints(field))]
                for field in resource["schema"]["fields"]]
        out.append(list_table(CODEBOOK_COLUMNS, rows, widths=[27, 10, 10, 28, 25]) + "\n")
    return "\n".join(out)


def rows(data_dir=DATA_DIR) -> list[dict[str, str]]:
    """One row per field of every table, in plain text: table, field, type, unit, description, rules."""
    from panjbook.data import read_package

    out = []
    for resource in read_package(data_dir)["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            out.append({"table": resource["path"], "field": field["name"], "type": _type(field), "unit": field.get("unit", ""),
                        "description": _cell(field["description"]),
                        "rules": _cell(_constraints(field, breakable=str, code=str))})
    return out


def codebook_csv(data_dir=DATA_DIR) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["table", "field", "type", "unit", "description", "rules"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(data_dir))
    return buffer.getvalue()


def codebook_plain_markdown(data_dir=DATA_DIR) -> str:
    """The codebook as plain Markdown (GitHub tables), for reading outside the book."""
    from panjbook.data import read_package

    package = read_package(data_dir)

    def cell(text: str) -> str:
        return _cell(text).replace("|", "\\|")

    out = [f"# Codebook: {package.get('title', 'Data')}\n", f"{package.get('description', '')}\n",
           "Each table is a CSV file (UTF-8, one header row) described by `datapackage.json` (a Frictionless Data Package).\n"]
    for resource in package["resources"]:
        out.append(f"## {resource['title']} (`{resource['path']}`)\n\n{_cell(resource['description'])}\n")
        if "schema" not in resource:
            continue
        keys = resource["schema"].get("primaryKey")
        keys = [keys] if isinstance(keys, str) else keys
        out.append(f"Each row is identified by {', '.join(f'`{k}`' for k in keys)}.\n")
        out.append("| " + " | ".join(CODEBOOK_COLUMNS) + " |\n|" + "---|" * len(CODEBOOK_COLUMNS))
        for field in resource["schema"]["fields"]:
            cells = [f"`{field['name']}`", _type(field), field.get("unit", ""), field["description"],
                     _constraints(field, breakable=str)]
            out.append("| " + " | ".join(cell(c) for c in cells) + " |")
        out.append("")
    return "\n".join(out) + "\n"


def write_data_zip(target: Path, data_dir: Path = DATA_DIR, epoch: int | None = None) -> Path:
    """One zip of every file of the data package (each table, the map), ``datapackage.json`` and the
    codebook as Markdown and CSV, under one folder. The same bytes for the same data: entries in a
    fixed order, each dated ``epoch`` (the edition's date) or 1 January 1980."""
    import datetime

    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    folder = Path(DATA_ZIP_NAME).stem
    members = {"datapackage.json": (data_dir / "datapackage.json").read_bytes()}
    for resource in package["resources"]:
        members[resource["path"]] = (data_dir / resource["path"]).read_bytes()
    for license_ in package.get("licenses", []):
        path = license_.get("path", "")
        if path and "://" not in path and (data_dir / path).is_file():
            members[path] = (data_dir / path).read_bytes()
    members["codebook.md"] = codebook_plain_markdown(data_dir).encode("utf-8")
    members["codebook.csv"] = codebook_csv(data_dir).encode("utf-8")
    when = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc) if epoch else datetime.datetime(1980, 1, 1)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second // 2 * 2)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name])
    partial.replace(target)
    return target
