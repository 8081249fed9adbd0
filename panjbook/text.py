"""Numbers and hedged figures written the way the prose and the charts print them."""
from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd

QUALIFIER_RANK = {"almost": -1, "about": 0, None: 0, "more than": 1}
# A double holds 15 to 17 significant digits and arithmetic leaves its noise in the last of them
# (1344.15 - 1206 is 138.15000000000009): figures are printed to at most 12.
SIGNIFICANT_DIGITS = 12


def number(value: float, decimals: int | None = None) -> str:
    """1344.15 -> '1,344.15'; 1400.0 -> '1,400'; with ``decimals``, rounded to that many places.
    Without ``decimals``, as many places as the value has within 12 significant digits, so that
    float noise never prints (1344.15 - 1206 -> '138.15')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("number(): no value to print")
    if decimals is None:
        exponent = Decimal(f"{float(value):.{SIGNIFICANT_DIGITS}g}").as_tuple().exponent
        decimals = max(0, -exponent)
    return f"{value:,.{decimals}f}"


def hedged(value: float, qualifier: str | None, unit: str = "") -> str:
    """A figure with the source's own hedge: 'almost 1,400 km', '1,344.15 km'."""
    text = number(value) + (f" {unit}" if unit else "")
    return text if _missing(qualifier) else f"{qualifier} {text}"


def hedge_rank(qualifier: str | None) -> int:
    """Order of hedges at the same figure: 'almost 1,400' < '1,400' < 'more than 1,400'."""
    return QUALIFIER_RANK[None if _missing(qualifier) else qualifier]


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


CURRENCIES = {"USD": "US$", "EUR": "€", "GBP": "£", "CNY": "CNY ", "TJS": "TJS "}


def amount(value: float, unit: str, qualifier: str | None = None) -> str:
    """An amount as a reader says it: 'US$945 million', 'about €1 billion', '1,200 tonnes'."""
    if unit in CURRENCIES:
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if abs(value) >= size:
                text = f"{CURRENCIES[unit]}{number(round(value / size, 3))} {word}"
                break
        else:
            text = f"{CURRENCIES[unit]}{number(value)}"
    else:
        text = f"{number(value)} {unit}"
    return text if _missing(qualifier) else f"{qualifier} {text}"


def join_words(items) -> str:
    """['a'] -> 'a'; ['a', 'b'] -> 'a and b'; ['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if not items:
        raise ValueError("join_words(): nothing to join")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cite(source_ids) -> str:
    """A MyST citation of the given source ids (lists are flattened, repeats dropped), for generated Markdown."""
    flat: list[str] = []
    for item in source_ids:
        for source_id in item if isinstance(item, list) else [item]:
            if source_id not in flat:
                flat.append(source_id)
    if not flat:
        raise ValueError("cite(): no source ids")
    return "{cite:p}`" + ",".join(flat) + "`"


def date_as_given(date, precision: str) -> str:
    """A date to the precision its source gives: '5 December 2026', 'December 2026' or '2026'."""
    form = {"day": "%-d %B %Y", "month": "%B %Y", "year": "%Y"}[precision]
    return date.strftime(form)


_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number_word(count: int) -> str:
    """A small count as a word, as prose writes it at the start of a sentence: 3 -> 'three'."""
    return _WORDS[count] if 0 <= count < len(_WORDS) else number(count)


def lower_first(text: str) -> str:
    """A name set in running text: 'Solidarity with Afghan Tajiks' -> 'solidarity with Afghan Tajiks'."""
    return text[:1].lower() + text[1:]


def verb_for(count: int, singular: str, plural: str) -> str:
    """The verb (or noun) that agrees with a count: verb_for(1, 'is', 'are') -> 'is'."""
    return singular if count == 1 else plural


# --- tables -------------------------------------------------------------------------

# Text that MyST reads as the start of a block when it opens a list-table cell: a lone "-" or "+"
# (a sign, "no") became an empty bullet list, "1." an ordered list, "#" a heading, ">" a quote.
_CELL_BLOCK_START = re.compile(r"[-+*](\s|$)|#{1,6}(\s|$)|>|\||\d{1,9}[.)](\s|$)|:(\s|$)")


def table_cell(text) -> str:
    """A table cell's text as MyST reads it literally at the start of the cell: "-" stays a minus
    sign and "+" a plus, not an empty list. Inline markup inside (citations, emphasis) is kept."""
    text = "" if text is None else str(text)
    if "\n" in text:
        raise ValueError(f"table_cell(): a cell is one line, not {text!r}")
    number = re.match(r"\d{1,9}(?=[.)](\s|$))", text)
    if number:  # a backslash before a digit is no escape: escape the list's dot or bracket
        return text[:number.end()] + "\\" + text[number.end():]
    return "\\" + text if _CELL_BLOCK_START.match(text) else text


def list_table(header, rows, *, title: str = "", name: str = "", widths=None) -> str:
    """The one writer of the book's tables: a MyST list-table with a header row, every cell
    escaped by :func:`table_cell`. ``title`` is the numbered caption; ``name`` its label."""
    header = list(header)
    lines = ["```{list-table}" + (f" {title}" if title else "")]
    if name:
        lines.append(f":name: {name}")
    lines.append(":header-rows: 1")
    if widths:
        if len(widths) != len(header):
            raise ValueError("list_table(): one width per column")
        lines.append(":widths: " + " ".join(str(w) for w in widths))
    lines.append("")
    for row in [header, *rows]:
        row = list(row)
        if len(row) != len(header):
            raise ValueError(f"list_table(): a row of {len(row)} cells under {len(header)} headers: {row!r}")
        lines.append("* - " + table_cell(row[0]))
        lines += ["  - " + table_cell(cell) for cell in row[1:]]
    lines.append("```")
    return "\n".join(lines)


def short_name(name: str, limit: int = 24) -> str:
    """An actor's name for a chart's legend or label, abbreviated by one rule: without its
    parenthesis ("Taliban (Islamic Emirate)" -> "Taliban"), or, where that is still longer than
    ``limit``, the abbreviation the parenthesis gives ("Islamic State Khorasan Province (ISKP)" ->
    "ISKP"). Never cut inside a word."""
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", name)
    if not match:
        return name
    base, inside = match.groups()
    return base if len(base) <= limit or not inside else inside
