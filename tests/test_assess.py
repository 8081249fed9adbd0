"""The judgment layer (panjbook.assess): the scale, the indicators, the scenario model and the matrix
compute what their definitions say, and a judgment that disagrees with its model stops the build."""
from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from panjbook import assess
from panjbook.data import DataError, load
from panjbook.paths import BOOK_DIR, DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the book's real data, to change in one test."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _rewrite(path: Path, change):
    """Apply ``change(row)`` to every row of a CSV file, keeping its header and quoting."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the likelihood scale -------------------------------------------------------------------

@pytest.mark.parametrize("percent, term", [(1, "almost no chance"), (4.9, "almost no chance"), (5, "very unlikely"),
                                           (45, "roughly even chance"), (55, "likely"), (80, "very likely"),
                                           (95, "almost certain"), (99, "almost certain"), (100, "almost certain")])
def test_a_probability_takes_the_term_whose_band_holds_it(percent, term):
    assert assess.term_for(percent) == term


def test_a_gap_in_the_scale_is_refused(data_copy):
    path = data_copy / "likelihood_scale.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("unlikely,20,45", "unlikely,25,45"), encoding="utf-8")
    with pytest.raises(DataError, match="must start where 'very unlikely' ends"):
        assess.scale(data_copy)


# --- indicators ----------------------------------------------------------------------------

def test_an_indicator_counts_a_new_event_its_rules_select(data_copy):
    before = assess.readings(data_copy).set_index("indicator_id").loc["clashes", "count"]
    year = int(assess.readings(data_copy).set_index("indicator_id").loc["clashes", "window"])
    with (data_copy / "events.csv").open("a", encoding="utf-8") as f:
        f.write(f"{year}-06-01-test-clash,{year}-06-01,day,,taliban,tajikistan,incident or clash,A test clash.,odni-nd-icd-203,,\n")
    after = assess.readings(data_copy).set_index("indicator_id").loc["clashes", "count"]
    assert after == before + 1


def test_an_alternative_version_of_an_event_is_not_counted(data_copy):
    before = assess.readings(data_copy).set_index("indicator_id").loc["clashes", "count"]
    year = int(assess.readings(data_copy).set_index("indicator_id").loc["clashes", "window"])
    counted = assess.indicator_events("clashes", data_copy)
    original = counted[counted["date"].dt.year == year]["event_id"].iloc[0]
    with (data_copy / "events.csv").open("a", encoding="utf-8") as f:
        f.write(f"{year}-06-02-test-version,{year}-06-02,day,,taliban,tajikistan,incident or clash,Another version.,odni-nd-icd-203,{original},\n")
    assert assess.readings(data_copy).set_index("indicator_id").loc["clashes", "count"] == before


def test_a_threshold_decides_whether_an_indicator_is_met(data_copy):
    count = int(assess.readings(data_copy).set_index("indicator_id").loc["talks", "count"])
    _rewrite(data_copy / "indicators.csv", lambda r: r.update(threshold=str(count + 1)) if r["indicator_id"] == "talks" else None)
    assert not assess.readings(data_copy).set_index("indicator_id").loc["talks", "met"]
    _rewrite(data_copy / "indicators.csv", lambda r: r.update(threshold=str(count)) if r["indicator_id"] == "talks" else None)
    assert assess.readings(data_copy).set_index("indicator_id").loc["talks", "met"]


# --- scenarios -----------------------------------------------------------------------------

@pytest.mark.parametrize("weights", [None, {"talks": 0, "deals": 2}, {"tajik_envoy": 0, "regional_envoys": 0.5}])
def test_scenario_probabilities_add_up_to_100(weights):
    table = assess.probabilities(weights=weights)
    assert table["percent"].sum() == pytest.approx(100)
    assert table["whole_percent"].sum() == 100


def test_the_model_follows_its_written_method():
    """prior x product of p_met (met) or 1 - p_met (not met), normalised: recomputed here by hand."""
    scenarios = load("scenarios").set_index("scenario_id")
    likelihoods = load("indicator_likelihoods")
    met = assess.readings().set_index("indicator_id")["met"]
    raw = {}
    for scenario_id, prior in scenarios["prior_weight"].items():
        value = prior
        for row in likelihoods[likelihoods["scenario_id"] == scenario_id].itertuples():
            value *= row.p_met if met[row.indicator_id] else 1 - row.p_met
        raw[scenario_id] = value
    total = sum(raw.values())
    model = assess.probabilities().set_index("scenario_id")["percent"]
    for scenario_id, value in raw.items():
        assert model[scenario_id] == pytest.approx(100 * value / total)


def test_a_reading_that_flips_moves_the_probabilities_its_way():
    base = assess.probabilities().set_index("scenario_id")["percent"]
    envoy = assess.probabilities(met={"tajik_envoy": True}).set_index("scenario_id")["percent"]
    assert envoy["normalisation"] > base["normalisation"]
    clashes = assess.probabilities(met={"clashes": True}).set_index("scenario_id")["percent"]
    assert clashes["confrontation"] > base["confrontation"]


def test_a_scenario_judgment_that_disagrees_with_the_model_stops_the_build(data_copy):
    model = assess.probabilities(data_copy).set_index("scenario_id")
    wrong = next(t for t in assess.scale(data_copy)["term"] if t != model.loc["confrontation", "term"])
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(
        likelihood=wrong, statement=r["statement"].replace(model.loc["confrontation", "term"], wrong))
        if r["judgment_id"] == "ol-confrontation" else None)
    with pytest.raises(DataError, match=r"data/judgments\.csv, line \d+, column 'likelihood': expected 'very unlikely'"):
        assess.judgments(data_copy)


def test_a_statement_must_hold_its_likelihood_word(data_copy):
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(statement="No likelihood word here.")
             if r["judgment_id"] == "bg-border-rounding" else None)
    with pytest.raises(DataError, match="column 'statement': expected the likelihood word 'almost certain'"):
        assess.judgments(data_copy)


# --- competing hypotheses ------------------------------------------------------------------

def test_inconsistency_scores_count_i_once_and_ii_twice():
    evidence = load("ach_evidence")
    scores = assess.ach_scores().set_index("hypothesis_id")["inconsistency"]
    for hypothesis_id, score in scores.items():
        marks = evidence[hypothesis_id]
        assert score == (marks == "I").sum() + 2 * (marks == "II").sum()


def test_a_judgment_must_reject_the_most_contradicted_hypothesis(data_copy):
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(rejects_hypothesis_id="deterrence")
             if r["judgment_id"] == "ol-motive" else None)
    with pytest.raises(DataError, match="column 'rejects_hypothesis_id': expected one of the most contradicted"):
        assess.judgments(data_copy)


def test_the_matrix_is_scored_for_each_period_and_the_periods_add_up_to_the_whole():
    evidence = load("ach_evidence")
    periods = assess.ach_periods()
    assert periods == ["crisis", "aftermath"] and set(evidence["period"]) == set(periods)
    whole = assess.ach_scores().set_index("hypothesis_id")
    parts = sum(assess.ach_scores(period=p).set_index("hypothesis_id")[["inconsistency", "inconsistency_strong"]]
                for p in periods)
    assert (parts == whole[["inconsistency", "inconsistency_strong"]]).all().all()
    for period in periods:
        mine = evidence[evidence["period"] == period]
        scores = assess.ach_scores(period=period).set_index("hypothesis_id")["inconsistency"]
        for hypothesis_id, score in scores.items():
            assert score == (mine[hypothesis_id] == "I").sum() + 2 * (mine[hypothesis_id] == "II").sum()
        assert set(assess.ach_diagnostic(period=period).index) == set(mine["evidence_id"])


def test_each_items_events_fall_within_its_period():
    bounds = assess.ach_period_bounds()
    dates = load("events").set_index("event_id")["date"]
    for item in assess.ach_evidence().itertuples():
        first, last = bounds[item.period]
        assert all(first <= dates[e] <= last for e in item.event_ids), item.evidence_id


def test_an_item_with_an_event_outside_its_period_stops_the_build(data_copy):
    _rewrite(data_copy / "ach_evidence.csv", lambda r: r.update(period="aftermath") if r["evidence_id"] == "e01" else None)
    with pytest.raises(DataError, match=r"ach_evidence.csv, line 2, column 'event_ids': expected events from 2022-02-01 "
                                        r"to 2026-12-31, the period 'aftermath'; '2021-07-05-tajik-reservists-mobilised'"):
        assess.ach_evidence(data_copy)


def test_a_rejected_hypothesis_must_be_the_most_contradicted_in_every_period(data_copy):
    # Backing the resistance made the most contradicted hypothesis of the later years only: the judgment that
    # rejects an intent to confront no longer follows from the whole matrix, and the build says which period fails.
    _rewrite(data_copy / "ach_evidence.csv", lambda r: r.update(proxy="II") if r["period"] == "aftermath" else None)
    assert assess.most_contradicted(data_copy, "crisis") == ["confront"]
    assert assess.most_contradicted(data_copy, "aftermath") == ["proxy"]
    with pytest.raises(DataError, match="rejects_hypothesis_id': expected one of the most contradicted hypotheses "
                                        r"in the period 'aftermath' \(proxy\), got 'confront'"):
        assess.judgments(data_copy)


def test_every_hypothesis_needs_its_column_of_marks(data_copy):
    with (data_copy / "hypotheses.csv").open("a", encoding="utf-8") as f:
        f.write("surprise,A surprise,threat,Something else entirely.\n")
    with pytest.raises(DataError, match="column 'surprise': expected a column of marks"):
        assess.ach_matrix(data_copy)


# --- judgments in the book -----------------------------------------------------------------

def _markdown(notebook: str) -> str:
    cells = json.loads((BOOK_DIR / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("chapter", ["background", "dispute", "stances", "outlook"])
def test_each_chapter_prints_its_judgments_from_the_table_and_no_others(chapter):
    table = assess.judgments()
    expected = {j.replace("-", "_") for j in table.loc[table["chapter"] == chapter, "judgment_id"]}
    prose = _markdown(chapter)
    printed = set(re.findall(r"\{glue:md\}`judgment_([a-z0-9_]+):myst`", prose))
    assert printed == expected
    # A judgment typed into prose would escape the table: the label is printed only through glue.
    typed = re.findall(r"\*\*Judgment\*\* \(|\*\*Judgment\.\*\*", prose)
    assert not typed


def test_the_front_page_lists_every_key_judgment():
    keyed = assess.judgments()["key_rank"].dropna().astype(int).tolist()
    front = (BOOK_DIR / "index.md").read_text(encoding="utf-8")
    listed = sorted({int(k) for k in re.findall(r"outlook\.ipynb::kj(\d+)_statement", front)})
    assert listed == sorted(keyed)
    assert 4 <= len(keyed) <= 6


def test_every_assumption_and_watch_item_names_a_judgment_that_exists():
    ids = set(assess.judgments()["judgment_id"])
    for table in ("assumptions", "watchlist"):
        for judgment_ids in load(table)["judgment_ids"]:
            assert set(judgment_ids) <= ids


def _stored_chart(notebook: str, name: str) -> dict:
    """A glued chart's Vega-Lite spec as the notebook stores it."""
    from panjbook.chart_output import VEGALITE_MIME

    cells = json.loads((BOOK_DIR / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.get("metadata", {}).get("scrapbook", {}).get("name") == name:
                return output["data"][VEGALITE_MIME]
    raise AssertionError(f"no stored chart {name} in {notebook}")


@pytest.mark.parametrize("weights", [{}, {"tajik_envoy": 0, "talks": 2, "deals": 2, "clashes": 0}])
def test_the_scenario_chart_names_the_leader_under_the_readers_weights(weights):
    import vl_convert

    spec = _stored_chart("outlook", "fig_scenarios")
    for param in spec["params"]:
        indicator = param["name"].removeprefix("w_")
        if indicator in weights:
            param["value"] = weights[indicator]
    leader = assess.probabilities(weights=weights).sort_values("percent").iloc[-1]["name"]
    svg = vl_convert.vegalite_to_svg(json.dumps(spec))
    assert f"{leader} leads" in svg


def test_the_title_spans_the_years_the_data_cover():
    import yaml

    from panjbook.paths import ROOT

    title = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["latex"]["latex_documents"]["title"]
    last_year = load("editions").iloc[-1]["data_as_of"].year
    assert title.endswith(f"2021-{last_year}")
    assert f"2021-{last_year}**" in (BOOK_DIR / "index.md").read_text(encoding="utf-8")


def test_a_confidence_above_what_its_sources_allow_stops_the_build(data_copy):
    """High confidence needs three sources graded A-C behind the judgment: raise one that has fewer."""
    table = assess.judgments(data_copy)
    weak = next(j for j in table.itertuples() if assess._strong_sources(j, data_copy) < 3 and assess.source_ids_behind(j, data_copy))
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(confidence="high") if r["judgment_id"] == weak.judgment_id else None)
    with pytest.raises(DataError, match=r"column 'confidence': expected at most the level its sources allow"):
        assess.judgments(data_copy)


def test_every_judgment_prints_its_alternative_and_its_change_since_the_last_edition():
    for judgment_id in assess.judgments()["judgment_id"]:
        text = assess.judgment_markdown(judgment_id)
        assert "*Alternative weighed:*" in text and "*Why it matters:*" in text
        assert re.search(r"\*(New|Changed|Unchanged) in edition \d+\.\d+\.\d+", text)


def test_probability_ranges_hold_the_model_under_every_weighting_tried():
    """The ranges (all weights 0.5, 1 or 1.5) contain the default probabilities and those of any such
    weighting, computed one by one with the model itself."""
    import itertools

    ranges = assess.probability_ranges()
    ids = list(assess.readings().query("bears_on == 'scenarios'")["indicator_id"])
    for values in list(itertools.product([0.5, 1.5], repeat=len(ids)))[::7] + [tuple([1.0] * len(ids))]:
        model = assess.probabilities(weights=dict(zip(ids, values))).set_index("scenario_id")["percent"]
        for scenario_id, percent in model.items():
            assert ranges.loc[scenario_id, "low"] - 1e-9 <= percent <= ranges.loc[scenario_id, "high"] + 1e-9
    corner = dict(zip(ids, [0.5] * len(ids)))
    assert assess.probabilities(weights=corner)["percent"].min() >= ranges["low"].min() - 1e-9


def test_a_judgment_not_on_a_scenario_must_say_why_it_has_its_band(data_copy):
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(likelihood_reason="")
             if r["judgment_id"] == "bg-border-rounding" else None)
    with pytest.raises(DataError, match=r"line \d+, column 'likelihood_reason': expected why this band was chosen"):
        assess.judgments(data_copy)


def test_a_scenario_judgment_takes_its_reason_from_the_model_not_the_table(data_copy):
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(likelihood_reason="Because we say so.")
             if r["judgment_id"] == "ol-confrontation" else None)
    with pytest.raises(DataError, match=r"column 'likelihood_reason': expected empty: the scenario model gives the reason"):
        assess.judgments(data_copy)


@pytest.mark.parametrize("judgment_id", ["ol-coexistence", "ol-normalisation", "ol-confrontation"])
def test_a_scenario_judgments_reason_gives_the_models_probability_and_range(judgment_id):
    from panjbook.text import number

    row = assess.judgments().set_index("judgment_id").loc[judgment_id]
    row.name = judgment_id
    scenario = row.scenario_id
    model = assess.probabilities().set_index("scenario_id").loc[scenario]
    low, high = assess.probability_ranges().loc[scenario, ["low", "high"]]
    reason = assess.likelihood_reason(row)
    assert f"{model['whole_percent']} per cent" in reason
    assert f"{number(low, 0)}-{number(high, 0)} per cent" in reason
    reached = {assess.term_for(low), assess.term_for(high)} - {row.likelihood}
    for term in reached:
        assert f"'{term}'" in reason
    assert ("holds across" in reason) == (not reached)
    assert "*Why this likelihood:* " + reason in assess.judgment_markdown(judgment_id)


def test_an_evidence_item_is_diagnostic_only_when_its_marks_differ_between_hypotheses():
    evidence = load("ach_evidence").set_index("evidence_id")
    hypotheses = list(load("hypotheses")["hypothesis_id"])
    diagnostic = assess.ach_diagnostic()
    for evidence_id, marks in evidence[hypotheses].iterrows():
        scores = {assess.MARK_SCORE[m] for m in marks}
        assert diagnostic[evidence_id] == (len(scores) > 1)
    # Items that are not diagnostic add the same to every hypothesis: the ranking on diagnostic items alone is the same.
    long = assess.ach_matrix()
    kept = long[long["evidence_id"].map(diagnostic)]
    by_all = assess.ach_scores().set_index("hypothesis_id")["inconsistency"]
    by_diagnostic = kept.groupby("hypothesis_id")["inconsistency"].sum().reindex(by_all.index)
    assert list((by_all - by_diagnostic).unique()) == [(by_all - by_diagnostic).iloc[0]]


def test_every_change_between_editions_has_a_cause_that_fits_it():
    changes = load("judgment_changes")
    assert ((changes["change"] == "new") == (changes["cause"] == "new judgment")).all()
    assert set(changes.loc[changes["cause"] == "presentation", "change"]) <= {"wording"}


# --- the second coder -------------------------------------------------------------------------

def test_weighted_kappa_is_one_for_identical_codings_and_falls_with_larger_gaps():
    levels = [0, 1, 2, 3, 4, 2, 1, 3]
    assert assess.weighted_kappa(levels, levels) == pytest.approx(1.0)
    one_off = [min(4, v + 1) if i % 2 else v for i, v in enumerate(levels)]
    two_off = [min(4, v + 2) if i % 2 else v for i, v in enumerate(levels)]
    assert assess.weighted_kappa(levels, two_off) < assess.weighted_kappa(levels, one_off) < 1.0
    # Worked by hand: observed [[2, 1], [0, 1]]; margins 3, 1 and 2, 2 give expected off-diagonal mass
    # 3 * 2 / 4 + 1 * 2 / 4 = 2 against 1 observed, so kappa = 1 - 1 / 2.
    assert assess.weighted_kappa([0, 0, 0, 1], [0, 0, 1, 1], levels=2) == pytest.approx(0.5)


def test_the_agreement_counts_the_cells_the_two_files_hold():
    pairs = assess.coder_pairs()
    agreement = assess.coder_agreement()
    assert agreement["cells"] == len(load("stances").dropna(subset=["level"]))
    assert agreement["exact"] == int((pairs["level_first"] == pairs["level_second"]).sum())


def test_a_cell_missing_from_the_second_coding_stops_the_build(data_copy):
    path = data_copy / "stance_second_coding.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:1] + lines[2:]), encoding="utf-8")
    with pytest.raises(DataError, match=r"data/stance_second_coding\.csv: expected the cell china, border_security_posture, late_2021"):
        assess.coder_pairs(data_copy)


def test_a_watch_item_due_before_the_release_must_be_followed_up(data_copy):
    _rewrite(data_copy / "watchlist.csv", lambda r: r.update(follow_up="") if r["watch_id"] == "w01" else None)
    with pytest.raises(DataError, match=r"data/watchlist\.csv, line \d+, column 'follow_up': expected what was found on this item, due by 2026-11-11"):
        assess.watchlist(data_copy)


def test_a_watch_item_dated_to_a_month_is_due_at_its_end(data_copy):
    """w02 is dated December 2026: not due before a release on 5 December 2026, due after a release in January."""
    assert pd.isna(assess.watchlist(data_copy).set_index("watch_id").loc["w02", "follow_up"])  # not yet due: accepted
    _rewrite(data_copy / "editions.csv", lambda r: r.update(released="2027-01-10") if r["version"] == "2.0.0" else None)
    with pytest.raises(DataError, match=r"line \d+, column 'follow_up': .*due by 2026-12-31"):
        assess.watchlist(data_copy)


def test_a_recorded_change_that_changes_nothing_stops_the_build(data_copy):
    _rewrite(data_copy / "record_changes.csv", lambda r: r.update(before="1")
             if r["record_id"] == "russia|border_security_posture|latest" else None)
    with pytest.raises(DataError, match=r"data/record_changes\.csv, line \d+, column 'before': expected a value other than"):
        assess.record_changes(data_copy)


def test_every_recorded_change_names_a_record_that_exists_and_reads_its_value_now():
    changes = assess.record_changes()
    verdicts = load("claims").set_index("claim_id")["verdict"]
    for row in changes[changes["table"] == "claims"].itertuples():
        assert row.now == verdicts[row.record_id]


def test_a_grade_summary_counts_originators_when_sources_share_one():
    sources = load("sources")
    shared = sources[sources.duplicated("originator", keep=False)].sort_values("originator")
    pair = list(shared["source_id"].iloc[:2])
    assert sources.set_index("source_id").loc[pair, "originator"].nunique() == 1
    assert assess.grade_summary(pair).startswith("2 sources from 1 originator, graded ")
    distinct = list(sources.drop_duplicates("originator")["source_id"].iloc[:2])
    assert assess.grade_summary(distinct).startswith("2 sources, graded ")


def test_a_judgment_resting_mainly_on_weak_grades_must_be_held_with_low_confidence(data_copy):
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(confidence="moderate")
             if r["judgment_id"] == "dp-peak-bilateral" else None)
    with pytest.raises(DataError, match=r"column 'confidence': expected 'low' for a judgment that rests mainly on sources graded D-F"):
        assess.judgments(data_copy)


def test_the_newest_evidence_behind_a_judgment_is_dated_to_the_precision_it_gives(data_dir):
    assert assess.newest_evidence(["mid-tj-2013-03-01", "menafn-2025-05-18", "tass-2021-10-14"], [], data_dir) == "18 May 2025"
    sources = data_dir / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(",2025-05-18,", ",2025-05,"), encoding="utf-8")
    assert assess.newest_evidence(["menafn-2025-05-18", "tass-2021-10-14"], [], data_dir) == "May 2025"
    assert assess.sources_behind(["tass-2021-10-14"], [], data_dir) == "1 source, graded D 1; the newest evidence dated 14 October 2021"


def test_an_undated_source_is_counted_and_its_event_dates_the_evidence(data_dir):
    from panjbook.data import load

    events = load("events", data_dir)
    event = events.sort_values("date").iloc[-1]
    sources = data_dir / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(",2021-10-14,", ",,"), encoding="utf-8")
    text = assess.sources_behind(["tass-2021-10-14", "mid-tj-2013-03-01"], [event["event_id"]], data_dir)
    assert text.startswith("2 sources, graded B 1 and D 1, 1 of them undated; the newest evidence dated ")
    assert text.endswith(event["date"].strftime("%Y"))


def test_key_judgments_and_implications_say_what_they_mean_for_programmes_and_others_do_not(data_copy):
    table = assess.judgments(data_copy)
    key = table.dropna(subset=["key_rank"]).iloc[0]["judgment_id"]
    other = table[table["key_rank"].isna() & table["implication_for"].isna()].iloc[0]["judgment_id"]
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(for_programmes="") if r["judgment_id"] == key else None)
    with pytest.raises(DataError, match=r"column 'for_programmes': expected what it means for programmes on the border"):
        assess.judgments(data_copy)
    _rewrite(data_copy / "judgments.csv", lambda r: r.update(for_programmes="Risk: x.") if r["judgment_id"] in (key, other) else None)
    with pytest.raises(DataError, match=r"column 'for_programmes': expected empty"):
        assess.judgments(data_copy)
