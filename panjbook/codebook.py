"""The codebook of every table, written from data/datapackage.json for the Data and methods page."""
from __future__ import annotations

from panjbook.data import load, read_package
from panjbook.paths import DATA_DIR


def _breakable(token: str) -> str:
    """A zero-width space after each underscore lets long identifiers wrap in narrow columns."""
    return token.replace("_", "_\u200b")


def _constraints(field: dict) -> str:
    c = field.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append("required")
    if c.get("unique"):
        parts.append("unique")
    if "enum" in c:
        parts.append("one of: " + ", ".join(_breakable(v) for v in c["enum"]))
    bounds = {**c, **(field["x-partialDate"] if isinstance(field.get("x-partialDate"), dict) else {})}
    if "minimum" in bounds or "maximum" in bounds:
        parts.append(f"from {bounds.get('minimum', '…')} to {bounds.get('maximum', '…')}")
    if "x-itemForeignKey" in field:
        ref = field["x-itemForeignKey"]
        parts.append(f"each an id of `{ref['resource']}`")
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
        out.append("```{list-table}\n:header-rows: 1\n:widths: 27 10 10 28 25\n")
        out.append("* - Field\n  - Type\n  - Unit\n  - Description\n  - Rules")
        for field in resource["schema"]["fields"]:
            cells = [f"`{field['name']}`", _type(field), field.get("unit", ""), field["description"], _constraints(field)]
            out.append("* - " + "\n  - ".join(_cell(c) for c in cells))
        out.append("```\n")
    return "\n".join(out)
