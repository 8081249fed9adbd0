"""Citation labels and reference entries, without a build: the label making (outlet, year, letters,
undated), the outlet of a relayed item, the dates, and the text of real entries as pybtex formats them."""
from __future__ import annotations

import json
import re

import pytest

from panjbook import bibliography
from panjbook.bibliography import LabelItem, date_text, letters, make_labels
from panjbook.data import load
from panjbook.paths import DATAPACKAGE

PRODUCTION_WORDING = re.compile(r"\bfact [A-Z0-9]|search tool|title from (the )?URL|date from (the )?URL|title not shown",
                                re.IGNORECASE)


def test_letters_run_past_z():
    assert [letters(n) for n in (0, 1, 25, 26, 27, 51, 52)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def test_one_item_of_an_outlet_in_a_year_has_no_letter():
    labels = make_labels([LabelItem("r1", "Reuters", "2021-08-16", "X"), LabelItem("t1", "TASS", "2021", "Y")])
    assert labels == {"r1": "Reuters 2021", "t1": "TASS 2021"}


def test_several_items_of_one_outlet_and_year_are_lettered_by_date_then_title():
    labels = make_labels([
        LabelItem("late", "Asia-Plus", "2021-09-01", "A"),
        LabelItem("early-b", "Asia-Plus", "2021-03-05", "Zebra"),
        LabelItem("early-a", "Asia-Plus", "2021-03-05", "apple"),
        LabelItem("year-only", "Asia-Plus", "2021", "M"),
        LabelItem("other-year", "Asia-Plus", "2022-01-01", "Q"),
    ])
    assert labels == {
        "year-only": "Asia-Plus 2021a", "early-a": "Asia-Plus 2021b", "early-b": "Asia-Plus 2021c",
        "late": "Asia-Plus 2021d", "other-year": "Asia-Plus 2022",
    }
    # The order of the input does not matter.
    assert make_labels(reversed([LabelItem("b", "X", "2021-02", "t"), LabelItem("a", "X", "2021-01", "t")])) == \
        {"a": "X 2021a", "b": "X 2021b"}


def test_undated_items_read_n_d_and_come_after_the_dated_ones():
    labels = make_labels([
        LabelItem("k-nd-2", "Khovar", None, "Second"),
        LabelItem("k-2021", "Khovar", "2021-08-24", "Dated"),
        LabelItem("k-nd-1", "Khovar", None, "First"),
        LabelItem("solo", "Kun.uz", None, "Only"),
    ])
    assert labels == {"k-2021": "Khovar 2021", "k-nd-1": "Khovar n.d.-a", "k-nd-2": "Khovar n.d.-b", "solo": "Kun.uz n.d."}
    assert list(labels) == ["k-2021", "k-nd-1", "k-nd-2", "solo"]


def test_labels_sort_by_outlet_without_regard_to_case_or_accents():
    labels = make_labels([LabelItem("z", "Xinhua", "2021", "t"), LabelItem("e", "Élysée", "2021", "t"),
                          LabelItem("d", "dpa", "2021", "t"), LabelItem("a", "AFP", "2021", "t")])
    assert list(labels.values()) == ["AFP 2021", "dpa 2021", "Élysée 2021", "Xinhua 2021"]


def test_dates_print_to_their_precision_or_undated():
    assert date_text("2021-08-06") == "6 August 2021"
    assert date_text("2021-08") == "August 2021"
    assert date_text("2021") == "2021"
    assert date_text(None) == "undated"


def test_grade_meanings_are_the_codebooks():
    resource = next(r for r in json.loads(DATAPACKAGE.read_text(encoding="utf-8"))["resources"] if r["name"] == "sources")
    rules = next(f for f in resource["schema"]["fields"] if f["name"] == "grade")["description"]
    for grade, meaning in bibliography.GRADE_MEANINGS.items():
        assert f"{grade}, {meaning}:" in rules


@pytest.fixture(scope="module")
def sources():
    return load("sources")


@pytest.fixture(scope="module")
def labels(sources):
    return bibliography.source_labels(sources)


def test_every_source_has_one_unique_label(sources, labels):
    assert sorted(labels) == sorted(sources["source_id"])
    assert len(set(labels.values())) == len(labels)
    assert all(re.fullmatch(r".+ (\d{4}[a-z]*|n\.d\.(-[a-z]+)?)", label) for label in labels.values())


def test_a_relayed_wire_story_is_labelled_by_its_agency_not_the_paper(sources, labels):
    row = sources.set_index("source_id").loc["africanews-2025-01-26"]
    assert (row["originator"], row["read_via"], row["short_name"]) == ("AP", "Africanews", "Africanews")
    assert labels["africanews-2025-01-26"].startswith("AP 2025")
    assert labels["reuters-2021-07-29"].startswith("Reuters 2021")
    assert labels["wiki-org-nd-ismoili-somoni"].startswith("Wikipedia n.d.")


def test_lettered_labels_come_in_full_runs(labels):
    """Where an outlet-year is lettered, its letters are a, b, c, ... with none missing or repeated."""
    runs: dict[str, list[str]] = {}
    for label in labels.values():
        match = re.fullmatch(r"(.+ (?:\d{4}|n\.d\.-))([a-z]+)", label)
        if match:
            runs.setdefault(match.group(1), []).append(match.group(2))
    assert runs, "no lettered label: the data has several items of one outlet in a year"
    for stem, suffixes in runs.items():
        assert suffixes == [letters(n) for n in range(len(suffixes))], stem
        assert stem.removesuffix("-") not in labels.values(), f"{stem} is both lettered and not"


@pytest.fixture(scope="module")
def formatted():
    """Every entry as the book's pybtex style formats it: source id -> (label, plain text)."""
    import pybtex.backends.plaintext
    import pybtex.plugin
    from pybtex.database import parse_string

    from panjbook import sphinx_ext

    sphinx_ext._register_pybtex_plugins()
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "panj")()
    backend = pybtex.backends.plaintext.Backend()
    bib = parse_string(bibliography.bibtex(), "bibtex")
    return {entry.key: (entry.label, entry.text.render(backend)) for entry in style.format_entries(bib.entries.values())}


def test_entries_are_listed_in_label_order_with_the_labels_made_here(formatted, labels):
    assert list(formatted) == list(labels)
    assert {key: label for key, (label, _) in formatted.items()} == labels


def test_every_entry_names_outlet_date_title_address_grade_and_standing(formatted, sources):
    for row in sources.itertuples(index=False):
        label, text = formatted[row.source_id]
        grade = f"Grade {row.grade} ({bibliography.GRADE_MEANINGS[row.grade]}), {row.standing}."
        assert grade in text, row.source_id
        expected_date = date_text(bibliography.iso_date(row.published, row.published_precision))
        assert f". {expected_date}. " in text, row.source_id
        if row.url.startswith("urn:"):
            assert bibliography.NO_ADDRESS in text
        else:
            assert "http" in text, row.source_id
        assert not PRODUCTION_WORDING.search(text), f"{row.source_id}: {text}"


def test_a_relayed_entry_names_its_originator_and_the_relay(formatted):
    _, text = formatted["africanews-2025-01-26"]
    assert text.startswith("AP. 26 January 2025. ")
    assert "Read via Africanews." in text
    assert "Grade B (usually reliable), independent media." in text


def test_the_isas_brief_says_its_address_is_not_known(formatted):
    label, text = formatted["seed-chia-zheng-2021"]
    assert label == "ISAS 2021"
    assert "Address not known" in text and "Rhetoric or Threat?" in text
    assert "urn:" not in text


def test_label_break_points_only_split_long_words():
    from panjbook.sphinx_ext import HYPHEN, PLAIN, label_break_points

    for label in ("TASS 2021", "Asia-Plus 2025d", "TASS n.d.-b", "24.kg 2021a", "Kun.uz n.d.-aj"):
        assert label_break_points(label) == [(label, "")], label
    assert label_break_points("Jobs4Pakistan 2021")[:3] == [("Jobs4", PLAIN), ("Pa", HYPHEN), ("k", HYPHEN)]
    assert ("na.", PLAIN) in label_break_points("China.org.cn 2015")
    for label in ("US Embassy Dushanbe 2022", "China.org.cn 2015", "Jobs4Pakistan 2021"):
        pieces = label_break_points(label)
        assert "".join(piece for piece, _ in pieces) == label
        assert all(len(piece) >= 1 for piece, _ in pieces) and pieces[-1][1] == ""


def test_formatted_entries_are_kept_between_builds_only_for_the_same_entry_and_code(tmp_path):
    from types import SimpleNamespace

    from pybtex.database import Entry, Person

    from panjbook import sphinx_ext

    entry = Entry("misc", fields={"title": "Drills", "publisher": "TASS"}, persons={"author": [Person("Ivanov, Ivan")]})
    digest = sphinx_ext._entry_digest(entry)
    assert sphinx_ext._entry_digest(Entry("misc", fields={"title": "Drills", "publisher": "TASS"},
                                          persons={"author": [Person("Ivanov, Ivan")]})) == digest
    assert sphinx_ext._entry_digest(Entry("misc", fields={"title": "Drills!", "publisher": "TASS"},
                                          persons={"author": [Person("Ivanov, Ivan")]})) != digest
    app = SimpleNamespace(doctreedir=str(tmp_path))
    store = sphinx_ext._FormattedEntries()
    store.load(app)
    store.entries[(False, "TASS 2021", digest)] = "formatted"
    store.save(app, None)
    again = sphinx_ext._FormattedEntries()
    again.load(app)
    assert again.entries == {(False, "TASS 2021", digest): "formatted"}
    again.formatting_stamp = lambda: "other code"  # the style changed: nothing kept
    again.load(app)
    assert again.entries == {}
