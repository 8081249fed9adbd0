"""Numbers and hedged figures written the way the prose and the charts print them."""
from __future__ import annotations

import math

import pandas as pd

QUALIFIER_RANK = {"almost": -1, "about": 0, None: 0, "more than": 1}


def number(value: float, decimals: int | None = None) -> str:
    """1344.15 -> '1,344.15'; 1400.0 -> '1,400'; with ``decimals``, rounded to that many places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("number(): no value to print")
    if decimals is None:
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
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
