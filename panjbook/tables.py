"""MyST list-tables generated from data, for cells tagged remove-input."""
from __future__ import annotations

import re

# A cell that starts like a Markdown block (a list item '-', '+', '*', '1.', a heading, a quote)
# would render as that block, e.g. an empty bullet for '-': escape its first character.
_BLOCK_START = re.compile(r"^([-+*#>]|\d+[.)](\s|$))")


def cell(text) -> str:
    text = str(text)
    return "\\" + text if _BLOCK_START.match(text) else text


def list_table(rows: list[list], header: list[str], caption: str, name: str, widths: list[int]) -> str:
    """A MyST list-table: ``rows`` of cells (Markdown allowed), escaped where a cell would start a block."""
    if len(header) != len(widths) or any(len(r) != len(header) for r in rows):
        raise ValueError("list_table(): every row needs one cell per header and per width")
    lines = [f"```{{list-table}} {caption}", f":name: {name}", ":header-rows: 1",
             ":widths: " + " ".join(str(w) for w in widths), ""]
    for row in [header] + rows:
        lines.append("* - " + cell(row[0]))
        lines += ["  - " + cell(c) for c in row[1:]]
    return "\n".join(lines) + "\n```"
