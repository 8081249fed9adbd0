"""The book's written rules that more than one page or test applies, read from the codebook.

- ``verdicts()``: the verdict words of ``data/claims.csv`` in scale order, each with its rule
  (the claims resource's ``x-verdicts``).
- ``exercise_region()`` and ``exercises_counted()``: the rule by which the exercises of 2021 are
  counted (the exercises resource's description and ``x-region``): each exercise once, an exercise
  that is part of a larger one counted with it, and only those held in the region.
"""
from __future__ import annotations

import pandas as pd

from panjbook.data import read_package
from panjbook.paths import DATA_DIR


def _resource(name: str, data_dir=DATA_DIR) -> dict:
    return next(r for r in read_package(data_dir)["resources"] if r["name"] == name)


def verdicts(data_dir=DATA_DIR) -> list[dict]:
    """[{'verdict': ..., 'rule': ...}, ...] in the order of the scale, from supported to contradicted."""
    return list(_resource("claims", data_dir)["x-verdicts"])


def exercise_region(data_dir=DATA_DIR) -> list[str]:
    """Actor ids of the countries whose exercises count as held in the region."""
    return list(_resource("exercises", data_dir)["x-region"])


def exercises_counted(exercises: pd.DataFrame, data_dir=DATA_DIR) -> pd.DataFrame:
    """One row per exercise_id (first version's name, country and parent) with a boolean ``counted``:
    held in the region and not part of a larger exercise."""
    one = exercises.groupby("exercise_id", sort=True).agg(
        name=("name", "first"), location_country_id=("location_country_id", "first"),
        parent_exercise_id=("parent_exercise_id", "first")).reset_index()
    region = set(exercise_region(data_dir))
    one["in_region"] = one["location_country_id"].isin(region)
    one["is_part"] = one["parent_exercise_id"].notna()
    one["counted"] = one["in_region"] & ~one["is_part"]
    return one
