"""The book's judgment layer, computed from data/: the likelihood scale, indicators, the scenario model,
the matrix of competing hypotheses, and the judgments that print from them.

Every input is a table with a codebook entry (data/datapackage.json); nothing here is an analytic literal.
A judgment whose likelihood the model gives, or whose rejected hypothesis the matrix names, is checked
against it: a disagreement stops the build with the file, line and column to fix.
"""
from __future__ import annotations

import math
from functools import lru_cache

import pandas as pd

from .data import load, read_package, state_key
from .errors import DataError
from .paths import DATA_DIR

MARK_SCORE = {"CC": 0, "C": 0, "N": 0, "I": 1, "II": 2}
STRONG_GRADES = ("A", "B", "C")


# --- likelihood -----------------------------------------------------------------------

def scale(data_dir=DATA_DIR) -> pd.DataFrame:
    table = load("likelihood_scale", data_dir).sort_values("lower_percent").reset_index(drop=True)
    for before, after in zip(table.itertuples(), table.iloc[1:].itertuples()):
        if before.upper_percent != after.lower_percent:
            raise DataError(f"data/likelihood_scale.csv: the band of '{after.term}' must start where '{before.term}' ends "
                            f"({before.upper_percent:g}), got {after.lower_percent:g}")
    return table


def term_for(percent: float, data_dir=DATA_DIR) -> str:
    """The likelihood word whose band holds ``percent`` (lower bound inclusive; the last band closed)."""
    table = scale(data_dir)
    for row in table.itertuples():
        if row.lower_percent <= percent < row.upper_percent:
            return row.term
    last, first = table.iloc[-1], table.iloc[0]
    return last.term if percent >= last.lower_percent else first.term


def band(term: str, data_dir=DATA_DIR) -> str:
    row = scale(data_dir).set_index("term").loc[term]
    return f"{row.lower_percent:g}-{row.upper_percent:g} per cent"


# --- indicators -----------------------------------------------------------------------

def counted_events(data_dir=DATA_DIR) -> pd.DataFrame:
    """The events the book counts: each event once, in the version the book uses."""
    events = load("events", data_dir)
    return events[events["alternative_to"].isna()].copy()


def complete_years(events: pd.DataFrame) -> list[int]:
    """Years from 2021 to the last complete year of the data (the table runs into the next January)."""
    last = events["date"].max()
    end = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    return list(range(2021, end + 1))


def _rule_matches(events: pd.DataFrame, rule) -> pd.Series:
    return ((events["event_type"] == rule.event_type) & events["actor_id"].isin(rule.actor_ids)
            & events["counterpart_id"].isin(rule.counterpart_ids or []))


def indicator_events(indicator_id: str, data_dir=DATA_DIR) -> pd.DataFrame:
    """The counted events an events indicator selects, in any year."""
    events = counted_events(data_dir)
    rules = load("indicator_rules", data_dir)
    lines = rules[(rules["indicator_id"] == indicator_id) & (rules["table"] == "events")]
    chosen = pd.Series(False, index=events.index)
    for rule in lines.itertuples():
        chosen |= _rule_matches(events, rule)
    return events[chosen]


def per_year(data_dir=DATA_DIR) -> pd.DataFrame:
    """Events per complete year for every events indicator: indicator_id, year, events."""
    years = complete_years(counted_events(data_dir))
    rules = load("indicator_rules", data_dir)
    ids = list(dict.fromkeys(rules.loc[rules["table"] == "events", "indicator_id"]))
    rows = []
    for indicator_id in ids:
        chosen = indicator_events(indicator_id, data_dir)
        for year in years:
            rows.append({"indicator_id": indicator_id, "year": year, "events": int((chosen["date"].dt.year == year).sum())})
    return pd.DataFrame(rows)


def readings(data_dir=DATA_DIR) -> pd.DataFrame:
    """Each indicator's count over its window, its threshold and whether it is met."""
    indicators = load("indicators", data_dir)
    rules = load("indicator_rules", data_dir)
    stances = load("stances", data_dir)
    counts = per_year(data_dir)
    years = complete_years(counted_events(data_dir))
    rows = []
    for ind in indicators.itertuples():
        lines = rules[rules["indicator_id"] == ind.indicator_id]
        if (lines["table"] == "events").all():
            window = years[-ind.years:]
            mine = counts[(counts["indicator_id"] == ind.indicator_id) & counts["year"].isin(window)]
            count = int(mine["events"].sum())
            span = str(window[0]) if len(window) == 1 else f"{window[0]}-{window[-1]}"
        else:
            latest = stances[stances["period"] == "latest"]
            actors = set()
            for rule in lines.itertuples():
                hit = latest[(latest["dimension"] == rule.dimension) & latest["actor_id"].isin(rule.actor_ids)
                             & (latest["level"] >= rule.level_min)]
                actors |= set(hit["actor_id"])
            count = len(actors)
            span = "latest coding"
        rows.append({"indicator_id": ind.indicator_id, "name": ind.name, "short_name": ind.short_name,
                     "definition": ind.definition, "window": span, "count": count, "threshold": int(ind.threshold),
                     "met": count >= ind.threshold, "bears_on": ind.bears_on})
    return pd.DataFrame(rows)


def scenario_reading_events(data_dir=DATA_DIR) -> pd.DataFrame:
    """The counted events behind the scenario model's readings: those each events indicator that
    bears on the scenarios selects in the years it reads."""
    indicators = load("indicators", data_dir)
    rules = load("indicator_rules", data_dir)
    years = complete_years(counted_events(data_dir))
    chosen = []
    for ind in indicators[indicators["bears_on"] == "scenarios"].itertuples():
        if (rules.loc[rules["indicator_id"] == ind.indicator_id, "table"] == "events").all():
            events = indicator_events(ind.indicator_id, data_dir)
            chosen.append(events[events["date"].dt.year.isin(years[-ind.years:])])
    return pd.concat(chosen)


# --- scenarios ------------------------------------------------------------------------

def scenario_factors(data_dir=DATA_DIR, met: dict | None = None) -> pd.DataFrame:
    """One row per scenario and indicator: the natural log of the factor the reading gives the scenario."""
    read = readings(data_dir).set_index("indicator_id")["met"].to_dict()
    read.update(met or {})
    like = load("indicator_likelihoods", data_dir)
    like["met"] = like["indicator_id"].map(read)
    like["log_factor"] = [math.log(p if m else 1 - p) for p, m in zip(like["p_met"], like["met"])]
    return like


def _model_percent(logs, weights, log_prior):
    """The model itself: prior times each factor to its weight, normalised to 100. ``logs`` holds the
    log factors (scenarios x indicators), ``weights`` one row per weighting (weightings x indicators);
    the result has one row of probabilities per weighting."""
    import numpy as np

    scores = np.atleast_2d(weights) @ logs.T + log_prior
    odds = np.exp(scores - scores.max(axis=1, keepdims=True))
    return 100 * odds / odds.sum(axis=1, keepdims=True)


def _model_inputs(data_dir=DATA_DIR, met: dict | None = None, prior: dict | None = None):
    """The scenarios (in file order), the ids of the indicators that bear on them, their log factors
    and the log prior, as ``_model_percent`` takes them."""
    import numpy as np

    scenarios = load("scenarios", data_dir)
    if prior:
        scenarios["prior_weight"] = scenarios["scenario_id"].map(prior)
    factors = scenario_factors(data_dir, met).pivot(index="scenario_id", columns="indicator_id", values="log_factor")
    ids = list(factors.columns)
    logs = factors.loc[scenarios["scenario_id"], ids].to_numpy()
    return scenarios, ids, logs, np.log(scenarios["prior_weight"].to_numpy(dtype=float))


def probabilities(data_dir=DATA_DIR, weights: dict | None = None, met: dict | None = None,
                  prior: dict | None = None) -> pd.DataFrame:
    """Scenario probabilities in per cent, adding up to 100, with whole-number shares that also add up to 100.
    ``weights`` (per indicator), ``met`` (readings) and ``prior`` (per scenario) override the data's, for
    the sensitivity the chapter shows."""
    scenarios, ids, logs, log_prior = _model_inputs(data_dir, met, prior)
    row = [(weights or {}).get(i, 1.0) for i in ids]
    scenarios["percent"] = _model_percent(logs, row, log_prior)[0]
    scenarios["whole_percent"] = _largest_remainder(scenarios["percent"])
    scenarios["term"] = scenarios["percent"].map(lambda p: term_for(p, data_dir))
    return scenarios


def equal_prior_probabilities(data_dir=DATA_DIR) -> pd.DataFrame:
    """The scenario probabilities with every scenario given the same prior weight: the model without
    the book's persistence assumption (a08)."""
    return probabilities(data_dir, prior={s: 1.0 for s in load("scenarios", data_dir)["scenario_id"]})


def probability_ranges(data_dir=DATA_DIR, low: float = 0.5, high: float = 1.5) -> pd.DataFrame:
    """Each scenario's lowest and highest probability when every indicator's weight ranges from ``low``
    to ``high`` (all combinations of low, 1 and high): how far the authors' weighting alone moves it."""
    import itertools

    scenarios, ids, logs, log_prior = _model_inputs(data_dir)
    percent = _model_percent(logs, list(itertools.product([low, 1.0, high], repeat=len(ids))), log_prior)
    return pd.DataFrame({"low": percent.min(axis=0), "high": percent.max(axis=0)}, index=scenarios["scenario_id"])


def _largest_remainder(percent: pd.Series) -> pd.Series:
    floors = percent.map(math.floor)
    short = 100 - int(floors.sum())
    order = (percent - floors).sort_values(ascending=False).index[:short]
    floors.loc[order] += 1
    return floors.astype(int)


# --- competing hypotheses -------------------------------------------------------------

def ach_period_bounds(data_dir=DATA_DIR) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The periods the matrix is scored for, in the codebook's order, with the first and last day of each
    (data/datapackage.json, ach_evidence, field 'period', x-periods)."""
    resource = next(r for r in read_package(data_dir)["resources"] if r["name"] == "ach_evidence")
    field = next(f for f in resource["schema"]["fields"] if f["name"] == "period")
    return {p: (pd.Timestamp(b["first_day"]), pd.Timestamp(b["last_day"])) for p, b in field["x-periods"].items()}


def ach_evidence(data_dir=DATA_DIR) -> pd.DataFrame:
    """The evidence items, checked: every event of an item falls within the item's period."""
    evidence = load("ach_evidence", data_dir)
    dates = load("events", data_dir).set_index("event_id")["date"]
    bounds = ach_period_bounds(data_dir)
    for row, line in zip(evidence.itertuples(), _lines("ach_evidence.csv", data_dir)):
        first, last = bounds[row.period]
        outside = [e for e in row.event_ids if not first <= dates[e] <= last]
        if outside:
            raise DataError(f"data/ach_evidence.csv, line {line}, column 'event_ids': expected events from "
                            f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, the period '{row.period}'; "
                            f"'{outside[0]}' is dated {dates[outside[0]]:%Y-%m-%d}")
    return evidence


def ach_periods(data_dir=DATA_DIR) -> list[str]:
    """The periods that hold evidence, in the codebook's order."""
    held = set(ach_evidence(data_dir)["period"])
    return [p for p in ach_period_bounds(data_dir) if p in held]


def ach_matrix(data_dir=DATA_DIR, period: str | None = None) -> pd.DataFrame:
    """Long table of the matrix: evidence, its period, hypothesis, mark, and the best grade of the evidence's
    sources; only the items of ``period`` when one is given."""
    hypotheses = load("hypotheses", data_dir)
    evidence = ach_evidence(data_dir)
    if period is not None:
        evidence = evidence[evidence["period"] == period].copy()
    events = load("events", data_dir).set_index("event_id")
    sources = load("sources", data_dir)
    # The seed articles are what the book checks, so they do not count as evidence for their own claims.
    grades = sources[sources["kind"] != "seed article"].set_index("source_id")["grade"]
    missing = [h for h in hypotheses["hypothesis_id"] if h not in evidence.columns]
    if missing:
        raise DataError(f"data/ach_evidence.csv, line 1, column '{missing[0]}': expected a column of marks for every "
                        "hypothesis of data/hypotheses.csv")
    evidence["best_grade"] = [min((grades[s] for e in ids for s in events.loc[e, "source_ids"] if s in grades), default="none")
                              for ids in evidence["event_ids"]]
    long = evidence.melt(id_vars=["evidence_id", "period", "evidence", "best_grade"], value_vars=list(hypotheses["hypothesis_id"]),
                         var_name="hypothesis_id", value_name="mark")
    long["inconsistency"] = long["mark"].map(MARK_SCORE)
    return long.merge(hypotheses[["hypothesis_id", "name", "answer"]], on="hypothesis_id")


def ach_scores(data_dir=DATA_DIR, period: str | None = None) -> pd.DataFrame:
    """Inconsistency score per hypothesis, on all evidence and on evidence with an independent source
    (not a seed article) graded A-C; over the items of ``period`` when one is given, else over all."""
    long = ach_matrix(data_dir, period)
    strong = long[long["best_grade"].isin(STRONG_GRADES)]
    order = load("hypotheses", data_dir)["hypothesis_id"]
    scores = pd.DataFrame({
        "inconsistency": long.groupby("hypothesis_id")["inconsistency"].sum(),
        "inconsistency_strong": strong.groupby("hypothesis_id")["inconsistency"].sum(),
        "inconsistent_items": long[long["inconsistency"] > 0].groupby("hypothesis_id").size(),
    }).reindex(order).fillna(0).astype(int)
    names = load("hypotheses", data_dir).set_index("hypothesis_id")
    return scores.join(names[["name", "answer"]]).reset_index()


def ach_diagnostic(data_dir=DATA_DIR, period: str | None = None) -> pd.Series:
    """Per evidence item, whether it helps choose between hypotheses: its inconsistency differs from one
    hypothesis to another. An item that fits (or contradicts) all of them alike adds the same to every
    score, so it cannot move the ranking (Heuer's diagnosticity)."""
    long = ach_matrix(data_dir, period)
    spread = long.groupby("evidence_id", sort=False)["inconsistency"].agg(lambda s: s.max() > s.min())
    return spread.rename("diagnostic")


def most_contradicted(data_dir=DATA_DIR, period: str | None = None) -> list[str]:
    scores = ach_scores(data_dir, period)
    return list(scores.loc[scores["inconsistency"] == scores["inconsistency"].max(), "hypothesis_id"])


def least_contradicted(data_dir=DATA_DIR, period: str | None = None) -> list[str]:
    scores = ach_scores(data_dir, period)
    return list(scores.loc[scores["inconsistency"] == scores["inconsistency"].min(), "hypothesis_id"])


# --- judgments ------------------------------------------------------------------------

_CHECKED_JUDGMENTS: dict[tuple, pd.DataFrame] = {}


def judgments(data_dir=DATA_DIR) -> pd.DataFrame:
    """The judgments table, checked against the models it rests on (once per state of data/: each
    judgment printed asks for the table again); a frame of its own at each call."""
    key = state_key("judgments", data_dir)
    if key is None:
        return _checked_judgments(data_dir)
    if key not in _CHECKED_JUDGMENTS:
        _CHECKED_JUDGMENTS[key] = _checked_judgments(data_dir)
    return _CHECKED_JUDGMENTS[key].copy()


def _checked_judgments(data_dir) -> pd.DataFrame:
    table = load("judgments", data_dir)
    lines = _lines("judgments.csv", data_dir)
    model = probabilities(data_dir).set_index("scenario_id")
    # A judgment from the matrix rests on all its evidence: it may reject only a hypothesis that is the most
    # contradicted in every period the matrix scores.
    periods = ach_periods(data_dir)
    rejected_in = {p: most_contradicted(data_dir, p) for p in periods}
    for row, line in zip(table.itertuples(), lines):
        where = f"data/judgments.csv, line {line}"
        if row.likelihood not in row.statement:
            raise DataError(f"{where}, column 'statement': expected the likelihood word '{row.likelihood}' in the statement")
        if pd.notna(row.scenario_id):
            p = model.loc[row.scenario_id, "percent"]
            if model.loc[row.scenario_id, "term"] != row.likelihood:
                raise DataError(f"{where}, column 'likelihood': expected '{model.loc[row.scenario_id, 'term']}', the scenario "
                                f"model gives '{row.scenario_id}' {p:.1f} per cent; got '{row.likelihood}'")
        if pd.isna(row.scenario_id) == pd.isna(row.likelihood_reason):
            expected = "empty: the scenario model gives the reason" if pd.notna(row.scenario_id) else "why this band was chosen"
            raise DataError(f"{where}, column 'likelihood_reason': expected {expected}")
        for_readers = pd.notna(row.key_rank) or pd.notna(row.implication_for)
        if for_readers == pd.isna(row.for_programmes):
            expected = ("what it means for programmes on the border, for a key judgment or an implication" if for_readers
                        else "empty: only key judgments and implications say what they mean for programmes")
            raise DataError(f"{where}, column 'for_programmes': expected {expected}")
        for period in periods if pd.notna(row.rejects_hypothesis_id) else []:
            if row.rejects_hypothesis_id not in rejected_in[period]:
                raise DataError(f"{where}, column 'rejects_hypothesis_id': expected one of the most contradicted hypotheses "
                                f"in the period '{period}' ({', '.join(rejected_in[period])}), got '{row.rejects_hypothesis_id}'")
        strong = _strong_sources(row, data_dir)
        floor = {"high": 3, "moderate": 1, "low": 0}[row.confidence]
        named = bool(source_ids_behind(row, data_dir))
        if named and strong < floor or row.confidence == "high" and not named:
            raise DataError(f"{where}, column 'confidence': expected at most the level its sources allow (high needs three "
                            f"sources graded A-C behind it, moderate one); it has {strong}, got '{row.confidence}'")
        if named and row.confidence != "low" and _weak_grade_share(row, data_dir) > 0.5:
            raise DataError(f"{where}, column 'confidence': expected 'low' for a judgment that rests mainly on sources graded "
                            f"D-F (more than half of those behind it), got '{row.confidence}'")
    ranks = table["key_rank"].dropna()
    if ranks.duplicated().any():
        raise DataError(f"data/judgments.csv, column 'key_rank': expected each rank once, got {sorted(ranks.astype(int))}")
    return table


def _weak_grade_share(judgment, data_dir=DATA_DIR) -> float:
    """The share of the sources behind a judgment that are graded D, E or F."""
    ids = source_ids_behind(judgment, data_dir)
    grades = load("sources", data_dir).set_index("source_id").loc[ids, "grade"]
    return float((~grades.isin(STRONG_GRADES)).mean())


def _strong_sources(judgment, data_dir=DATA_DIR) -> int:
    """How many of the sources behind a judgment are graded A-C."""
    ids = source_ids_behind(judgment, data_dir)
    grades = load("sources", data_dir).set_index("source_id").loc[ids, "grade"] if ids else pd.Series(dtype=str)
    return int(grades.isin(STRONG_GRADES).sum())


def _lines(filename: str, data_dir) -> list[int]:
    """File line of each data row, for messages (rows are one line each: the loader refuses line breaks)."""
    with open(data_dir / filename, encoding="utf-8") as f:
        return list(range(2, 1 + sum(1 for _ in f)))


def event_ids_behind(judgment, data_dir=DATA_DIR) -> list[str]:
    """The events a judgment names; a judgment from the matrix rests on all the matrix's evidence."""
    event_ids = list(judgment.event_ids) if isinstance(judgment.event_ids, list) else []
    if pd.notna(judgment.rejects_hypothesis_id):
        event_ids += [e for ids in ach_evidence(data_dir)["event_ids"] for e in ids]
    return list(dict.fromkeys(event_ids))


def source_ids_behind(judgment, data_dir=DATA_DIR) -> list[str]:
    """The sources a judgment names, directly and through its events, each once, without the seed articles."""
    ids = list(judgment.source_ids) if isinstance(judgment.source_ids, list) else []
    events = load("events", data_dir).set_index("event_id")
    ids += [s for e in event_ids_behind(judgment, data_dir) for s in events.loc[e, "source_ids"]]
    # The seed articles are what the book checks: they are not evidence for its judgments.
    seeds = set(load("sources", data_dir).query("kind == 'seed article'")["source_id"])
    return [s for s in dict.fromkeys(ids) if s not in seeds]


def grade_summary(source_ids: list[str], data_dir=DATA_DIR) -> str:
    """'3 sources, graded B 1 and C 2', or '3 sources from 2 originators, ...' when several sources carry one
    originator's content (TASS read in two outlets), so that the count does not overstate corroboration."""
    chosen = load("sources", data_dir).set_index("source_id").loc[source_ids]
    grades = chosen["grade"].value_counts().sort_index()
    parts = [f"{g} {n}" for g, n in grades.items()]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    originators = chosen["originator"].nunique()
    origin = f" from {originators} {'originator' if originators == 1 else 'originators'}" if originators < len(chosen) else ""
    return f"{len(source_ids)} {'source' if len(source_ids) == 1 else 'sources'}{origin}, graded {listed}"


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def newest_evidence(source_ids: list[str], event_ids: list[str], data_dir=DATA_DIR) -> str:
    """The date of the newest evidence among the given events and dated sources, to the precision it is
    given ('12 February 2026', 'March 2026'), so that a reader sees how old a judgment's basis is; ''
    if nothing is dated. Events count, because many sources carry no date of their own. A date given
    as a month or a year counts from its first day: never newer than it may be."""
    from .text import date_as_given

    sources = load("sources", data_dir).set_index("source_id").loc[source_ids]
    dated = [(d, p) for d, p in zip(sources["published"], sources["published_precision"]) if pd.notna(d)]
    if event_ids:
        events = load("events", data_dir).set_index("event_id").loc[event_ids]
        dated += list(zip(events["date"], events["date_precision"]))
    if not dated:
        return ""
    date, precision = max(dated, key=lambda item: (item[0], _PRECISION_RANK[item[1]]))
    return date_as_given(date, precision)


def sources_graded(source_ids: list[str], data_dir=DATA_DIR) -> str:
    """'40 sources from 19 originators, graded B 10 and C 30, 12 of them undated'."""
    undated = int(load("sources", data_dir).set_index("source_id").loc[source_ids, "published"].isna().sum())
    text = grade_summary(source_ids, data_dir)
    if undated:
        text += f", {undated} of them undated" if len(source_ids) > 1 else ", undated"
    return text


def sources_behind(source_ids: list[str], event_ids: list[str] | None = None, data_dir=DATA_DIR) -> str:
    """'40 sources from 19 originators, graded B 10 and C 30, 12 of them undated; the newest evidence
    dated 12 February 2026'."""
    newest = newest_evidence(source_ids, event_ids or [], data_dir)
    return sources_graded(source_ids, data_dir) + (f"; the newest evidence dated {newest}" if newest else "; no evidence dated")


def sensitivity(judgment, data_dir=DATA_DIR) -> str:
    """For a judgment on a scenario, the model's one large sensitivity, computed: who would lead with equal priors."""
    if pd.isna(judgment.scenario_id):
        return ""
    model = probabilities(data_dir)
    if model.loc[model["percent"].idxmax(), "scenario_id"] != judgment.scenario_id:
        return ""  # the sensitivity concerns the scenario that leads
    equal = equal_prior_probabilities(data_dir)
    lead = equal.loc[equal["percent"].idxmax()]
    if lead["scenario_id"] == judgment.scenario_id:
        return ""
    return f" With equal prior weights for the scenarios, {lead['name'].lower()} would lead instead ({lead['whole_percent']} per cent)."


def likelihood_reason(judgment, data_dir=DATA_DIR) -> str:
    """Why the judgment has its band: the table's reason, or for a judgment on a scenario the model's
    probability and its range across the indicator weights, with the bands the range reaches."""
    if pd.isna(judgment.scenario_id):
        return judgment.likelihood_reason
    from .text import number

    model = probabilities(data_dir).set_index("scenario_id").loc[judgment.scenario_id]
    low, high = probability_ranges(data_dir).loc[judgment.scenario_id, ["low", "high"]]
    terms = list(dict.fromkeys([term_for(low, data_dir), judgment.likelihood, term_for(high, data_dir)]))
    others = [t for t in terms if t != judgment.likelihood]
    reach = (f"so the band holds across those weights" if not others
             else "which reaches into " + " and ".join(f"'{t}'" for t in others))
    equal = equal_prior_probabilities(data_dir)
    equal = equal.set_index("scenario_id").loc[judgment.scenario_id]
    equal_term = term_for(equal["percent"], data_dir)
    prior = "within the same band" if equal_term == judgment.likelihood else f"which is '{equal_term}'"
    return (f"It is the band of the scenario model's probability, {model['whole_percent']} per cent. With every indicator's "
            f"weight between 0.5 and 1.5 the probability ranges over {number(low, 0)}-{number(high, 0)} per cent, {reach}. "
            f"With equal prior weights for the scenarios, instead of the book's assumption that relations persist "
            f"(a08), it would be {equal['whole_percent']} per cent, {prior}.")


def changes_since_last_edition(judgment_id: str, data_dir=DATA_DIR, short: bool = False) -> str:
    """'New in edition 2.0.0.' or 'Changed in edition 2.0.0: likelihood (before: ...); ...', from judgment_changes.csv;
    ``short`` names only what changed ('Changed in edition 2.0.0: likelihood and wording.'), for the front page."""
    changes = load("judgment_changes", data_dir)
    current = load("editions", data_dir)["version"].iloc[-1]
    mine = changes[(changes["judgment_id"] == judgment_id) & (changes["version"] == current)]
    if mine.empty:
        return f"Unchanged in edition {current}."
    if (mine["change"] == "new").any():
        return f"New in edition {current}."
    if short:
        from .text import join_words

        return f"Changed in edition {current}: {join_words(mine['change'])}."
    parts = [c.change + (f" (before: {c.before})" if isinstance(c.before, str) else "") for c in mine.itertuples()]
    return f"Changed in edition {current}: " + "; ".join(parts) + " (see the changelog)."


def judgment_markdown(judgment_id: str, data_dir=DATA_DIR, label: str = "Judgment") -> str:
    """The judgment as the book prints it: statement and band; confidence, basis and sources; why it
    matters; the alternative weighed; signposts; change since the last edition. Likelihood and
    confidence stand in separate sentences, as ICD 203 asks."""
    from .text import cite

    row = judgments(data_dir).set_index("judgment_id").loc[judgment_id]
    row.name = judgment_id
    ids = source_ids_behind(row, data_dir)
    # A judgment from the matrix rests on the sources of all its items, which the matrix's table cites item by item.
    cited = (cite(ids) if pd.isna(row.rejects_hypothesis_id)
             else "(each cited with its item in the matrix of competing hypotheses)")
    sources = (f" Sources behind it: {sources_behind(ids, event_ids_behind(row, data_dir), data_dir)} {cited}." if ids
               else " It names no source of its own.")
    programmes = f"*For programmes on the border:* {row.for_programmes} " if pd.notna(row.for_programmes) else ""
    return (f"**{label}.** {row.statement} (*{row.likelihood}*: {band(row.likelihood, data_dir)}.) "
            f"*Why this likelihood:* {likelihood_reason(row, data_dir)} "
            f"*Confidence:* {row.confidence}. *Basis:* {row.basis}{sensitivity(row, data_dir)}{sources} "
            f"*Why it matters:* {row.why_it_matters} {programmes}*Alternative weighed:* {row.alternative} "
            f"*What would change it:* {row.would_change} *{changes_since_last_edition(judgment_id, data_dir)}*")


def key_judgments(data_dir=DATA_DIR) -> list[dict]:
    """The front page's key judgments in rank order, as plain-text parts that the front page sets:
    a short label, the statement, likelihood with its band and why, confidence, basis, the grades of
    its sources, why it matters, and the chapter that argues it (with the alternative weighed and what
    would change it). (Glue can paste Markdown only within one document.)"""
    table = judgments(data_dir)
    keyed = table[table["key_rank"].notna()].sort_values("key_rank")
    parts = []
    for row in keyed.itertuples():
        ids = source_ids_behind(row, data_dir)
        parts.append({"short": row.short_name, "term": row.likelihood,
                      "statement": row.statement, "likelihood": f"{row.likelihood}: {band(row.likelihood, data_dir)}",
                      "reason": likelihood_reason(row, data_dir),
                      "confidence": row.confidence, "basis": row.basis + sensitivity(row, data_dir),
                      "sources": sources_graded(ids, data_dir) if ids else "none listed",
                      "newest": newest_evidence(ids, event_ids_behind(row, data_dir), data_dir) or "none dated",
                      "why": row.why_it_matters, "programmes": row.for_programmes, "chapter": row.chapter,
                      "edition": changes_since_last_edition(row.judgment_id, data_dir, short=True)})
    return parts


# --- stance coding: a second coder ----------------------------------------------------------

KEYS = ["actor_id", "dimension", "period"]


def coder_pairs(data_dir=DATA_DIR) -> pd.DataFrame:
    """Each stance cell with the first coder's level (data/stances.csv), the second coder's
    (data/stance_second_coding.csv) and the first coder's rationale; both files must hold the same cells."""
    first = load("stances", data_dir)
    second = load("stance_second_coding", data_dir)
    merged = first.merge(second, on=KEYS, how="outer", suffixes=("_first", "_second"), indicator=True)
    odd = merged[merged["_merge"] != "both"]
    if not odd.empty:
        cell = odd.iloc[0]
        where = "stance_second_coding.csv" if cell["_merge"] == "left_only" else "stances.csv"
        raise DataError(f"data/{where}: expected the cell {cell['actor_id']}, {cell['dimension']}, {cell['period']}, "
                        "which the other coder's file holds; both files must code the same cells")
    coded = merged.dropna(subset=["level_first"])
    return coded[KEYS + ["level_first", "level_second", "rationale", "note"]].reset_index(drop=True)


def weighted_kappa(first, second, levels: int = 5) -> float:
    """Cohen's kappa with quadratic weights: 1 - sum(w * observed) / sum(w * expected), w = (i - j)^2."""
    import numpy as np

    observed = np.zeros((levels, levels))
    for i, j in zip(first, second):
        observed[int(i), int(j)] += 1
    weights = np.subtract.outer(np.arange(levels), np.arange(levels)) ** 2
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / observed.sum()
    return float(1 - (weights * observed).sum() / (weights * expected).sum())


def coder_agreement(data_dir=DATA_DIR) -> dict:
    """How far the two coders agree: cells, exact agreements, cells more than one level apart, the
    weighted kappa, and exact agreement by dimension (share of cells)."""
    pairs = coder_pairs(data_dir)
    gap = (pairs["level_first"] - pairs["level_second"]).abs()
    by_dimension = (gap == 0).groupby(pairs["dimension"]).mean()
    return {"cells": len(pairs), "exact": int((gap == 0).sum()), "far": int((gap > 1).sum()),
            "kappa": weighted_kappa(pairs["level_first"], pairs["level_second"]), "by_dimension": by_dimension}


# --- the watch list --------------------------------------------------------------------------

def watchlist(data_dir=DATA_DIR) -> pd.DataFrame:
    """The watch list in date order, checked: every item due before the current edition's release
    says what was found when it was followed up."""
    table = load("watchlist", data_dir)
    released = load("editions", data_dir)["released"].iloc[-1]
    # An item dated to a month or a year is due by the end of it.
    ends = {"day": pd.offsets.Day(0), "month": pd.offsets.MonthEnd(0), "year": pd.offsets.YearEnd(0)}
    for row, line in zip(table.itertuples(), _lines("watchlist.csv", data_dir)):
        due = row.date + ends[row.date_precision]
        if due < released and pd.isna(row.follow_up):
            raise DataError(f"data/watchlist.csv, line {line}, column 'follow_up': expected what was found on this item, "
                            f"due by {due:%Y-%m-%d}, before the edition's release on {released:%Y-%m-%d}")
    return table.sort_values(["date", "watch_id"]).reset_index(drop=True)


# --- verdicts and levels that changed between editions -----------------------------------------

def record_changes(data_dir=DATA_DIR) -> pd.DataFrame:
    """data/record_changes.csv with each record's value now, read from its table; the build stops
    when a record does not exist or its value now equals the value before (no change to explain)."""
    changes = load("record_changes", data_dir)
    verdicts = load("claims", data_dir).set_index("claim_id")["verdict"]
    stances = load("stances", data_dir)
    levels = {f"{r.actor_id}|{r.dimension}|{r.period}": str(int(r.level)) for r in stances.dropna(subset=["level"]).itertuples()}
    now = []
    for row, line in zip(changes.itertuples(), _lines("record_changes.csv", data_dir)):
        values = verdicts if row.table == "claims" else levels
        if row.record_id not in values:
            raise DataError(f"data/record_changes.csv, line {line}, column 'record_id': expected a record of data/{row.table}.csv, "
                            f"got '{row.record_id}'")
        if str(values[row.record_id]) == str(row.before):
            raise DataError(f"data/record_changes.csv, line {line}, column 'before': expected a value other than the one "
                            f"data/{row.table}.csv holds now ('{row.before}'): a change must change something")
        now.append(str(values[row.record_id]))
    return changes.assign(now=now)
