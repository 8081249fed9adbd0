"""The loader returns typed tables from valid files, and stops on bad ones with a message
that names the file, the line, the column and what was expected."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from panjbook.data import DataError, event_day, load, load_all, parse_partial_date, source_line


def _replace(data_dir, name, old, new):
    path = data_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: '{old}' not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(data_dir, table):
    with pytest.raises(DataError) as info:
        load(table, data_dir)
    return str(info.value)


# --- valid files --------------------------------------------------------------------------

def test_valid_tables_load_with_types(data_dir):
    tables = {name: load(name, data_dir) for name in ("sources", "actors", "memberships", "events", "border_lengths")}
    borders = tables["border_lengths"]
    assert str(borders["length_km"].dtype) == "Float64"
    assert borders["length_km"].tolist() == [1344.15, 1400.0]
    assert borders["qualifier"].isna().tolist() == [True, False]
    events = tables["events"]
    assert str(events["date"].dtype).startswith("datetime64")
    assert events["date"].tolist() == [pd.Timestamp("2021-09-01"), pd.Timestamp("2021-10-18"), pd.Timestamp("2021-10-19")]
    assert events.loc[1, "source_ids"] == ["tass-2021-10-14", "mid-tj-2013-03-01"]
    sources = tables["sources"]
    assert sources.loc[1, "title"] == "Drills, with a comma"
    assert sources["grade"].tolist() == ["B", "D", "D", "E", "A"]
    assert sources["read_via"].isna().tolist() == [True, True, False, True, False]


def test_partial_dates_parse_to_period_start():
    assert str(parse_partial_date("2021")) == "2021-01-01"
    assert str(parse_partial_date("2021-09")) == "2021-09-01"
    with pytest.raises(ValueError, match="February 2021 has 28 days"):
        parse_partial_date("2021-02-30")


def test_source_line_names_publishers_in_order_of_use(data_dir):
    events = load("events", data_dir)
    assert source_line(events.iloc[[1]], data_dir) == "Sources: TASS; Tajik MFA"
    assert source_line(events.iloc[[0]], data_dir) == "Source: TASS"


def test_source_line_names_the_most_cited_and_counts_the_rest(data_dir):
    # Tajik MFA is cited once, TASS three times: past the cap, the most cited is named first.
    rows = pd.DataFrame({"source_ids": [["mid-tj-2013-03-01"], ["tass-2021-10-14"], ["tass-2021-10-14"], ["tass-2021-10-14"]]})
    assert source_line(rows, data_dir, max_names=2) == "Sources: Tajik MFA; TASS"
    line = source_line(rows, data_dir, max_names=1)
    assert line.startswith("Sources: TASS and 1 other (")


# --- malformed files: one test per failure the issue names -------------------------------

def test_missing_file(data_dir):
    (data_dir / "events.csv").unlink()
    assert re.search(r"data/events\.csv: file not found", _error(data_dir, "events"))


def test_missing_column(data_dir):
    _replace(data_dir, "border_lengths.csv", "neighbour_id,length_km,", "neighbour_id,")
    message = _error(data_dir, "border_lengths")
    assert "data/border_lengths.csv, line 1: missing column 'length_km'" in message
    assert "expected columns neighbour_id, length_km" in message


def test_unknown_column(data_dir):
    _replace(data_dir, "border_lengths.csv", ",note\n", ",note,extra\n")
    _replace(data_dir, "border_lengths.csv", "mid-tj-2013-03-01,\n", "mid-tj-2013-03-01,,x\n")
    _replace(data_dir, "border_lengths.csv", "tass-2021-10-14,\n", "tass-2021-10-14,,x\n")
    assert "data/border_lengths.csv, line 1, column 'extra': unknown column" in _error(data_dir, "border_lengths")


def test_wrong_type(data_dir):
    _replace(data_dir, "border_lengths.csv", "1344.15", "1,344.15")
    message = _error(data_dir, "border_lengths")
    assert "data/border_lengths.csv, line 2" in message  # the quoted-less comma shifts cells: caught as a row error
    _replace(data_dir, "border_lengths.csv", "1,344.15", "about 1344")
    message = _error(data_dir, "border_lengths")
    assert "data/border_lengths.csv, line 2, column 'length_km': expected a number" in message
    assert "got 'about 1344'" in message


def test_unparseable_date(data_dir):
    _replace(data_dir, "events.csv", "2021-10-18,day", "18.10.2021,day")
    message = _error(data_dir, "events")
    assert "data/events.csv, line 3, column 'date': expected a date written YYYY-MM-DD" in message
    assert "got '18.10.2021'" in message


@pytest.mark.parametrize("written, why", [
    ("2021-02-30", "February 2021 has 28 days"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2021-10-32", "October 2021 has 31 days"),
    ("2021-10-00", "October 2021 has 31 days"),
    ("2021-13-01", "there is no month 13"),
    ("2021-00", "there is no month 00"),
])
def test_impossible_date_is_named_as_such_not_blamed_on_the_format(data_dir, written, why):
    precision = "day" if len(written) == 10 else "month"
    _replace(data_dir, "events.csv", "2021-10-18,day", f"{written},{precision}")
    message = _error(data_dir, "events")
    assert f"data/events.csv, line 3, column 'date': expected a date that exists, got '{written}', which does not exist ({why})" in message
    assert "YYYY" not in message


def test_value_outside_enum(data_dir):
    _replace(data_dir, "events.csv", "tajikistan,exercise,Drills start", "tajikistan,drill,Drills start")
    message = _error(data_dir, "events")
    assert "data/events.csv, line 3, column 'event_type': expected one of 'statement'" in message
    assert "got 'drill'" in message


def test_value_outside_range(data_dir):
    _replace(data_dir, "border_lengths.csv", "1400,almost", "14000,almost")
    message = _error(data_dir, "border_lengths")
    assert "data/border_lengths.csv, line 3, column 'length_km': expected a value at most 5000, got '14000'" in message


def test_date_outside_range(data_dir):
    _replace(data_dir, "events.csv", "2021-10-18,day", "2027-10-18,day")
    assert "line 3, column 'date': expected a date on or before 2026-04-30, got '2027-10-18'" in _error(data_dir, "events")


def test_duplicate_key(data_dir):
    _replace(data_dir, "events.csv", "2021-10-19-drills-start-b,", "2021-10-18-drills-start,")
    message = _error(data_dir, "events")
    assert "data/events.csv, line 4, column 'event_id': expected a unique key" in message
    assert "already on line 3" in message


def test_foreign_key_to_missing_actor(data_dir):
    _replace(data_dir, "events.csv", "csto,taliban,exercise", "csto,talibans,exercise")
    message = _error(data_dir, "events")
    assert "data/events.csv, line 4, column 'counterpart_id': expected an id from column 'actor_id' of data/actors.csv" in message
    assert "got 'talibans'" in message


def test_foreign_key_to_missing_source_in_a_list(data_dir):
    _replace(data_dir, "events.csv", "tass-2021-10-14;mid-tj-2013-03-01", "tass-2021-10-14;mid-tj-2099")
    message = _error(data_dir, "events")
    assert "data/events.csv, line 3, column 'source_ids': expected an id from column 'source_id' of data/sources.csv" in message
    assert "got 'mid-tj-2099'" in message


def test_foreign_key_checked_through_a_bad_referenced_file(data_dir):
    _replace(data_dir, "sources.csv", "wire,state-controlled", "telegram,state-controlled")
    message = _error(data_dir, "events")
    assert "data/sources.csv, line 3, column 'kind': expected one of" in message


def test_empty_table(data_dir):
    (data_dir / "memberships.csv").write_text(
        "organisation_id,member_id,status,since,until,source_ids\n", encoding="utf-8")
    assert "data/memberships.csv: the table is empty" in _error(data_dir, "memberships")


def test_not_utf8(data_dir):
    path = data_dir / "actors.csv"
    path.write_bytes(path.read_bytes().replace("Taliban,armed".encode(), "Tal\xefban,armed".encode("latin-1")))
    message = _error(data_dir, "actors")
    assert "data/actors.csv, line 4: expected UTF-8 text, found byte 0xef" in message


def test_required_cell_empty(data_dir):
    _replace(data_dir, "events.csv", "Drills start.,tass-2021-10-14;mid-tj-2013-03-01", "Drills start.,")
    assert "data/events.csv, line 3, column 'source_ids': expected a value, the cell is empty" in _error(data_dir, "events")


def test_state_without_iso_code(data_dir):
    _replace(data_dir, "actors.csv", "state,TJK", "state,")
    assert "data/actors.csv, line 3, column 'iso3': expected an ISO 3166-1 alpha-3 code" in _error(data_dir, "actors")


def test_precision_must_match_date(data_dir):
    _replace(data_dir, "events.csv", "2021-10-18,day", "2021-10-18,month")
    assert "data/events.csv, line 3, column 'date_precision': expected 'day' for the date '2021-10-18'" in _error(data_dir, "events")


def test_end_date_before_start(data_dir):
    _replace(data_dir, "events.csv", "2021-10-18,day,2021-10-23", "2021-10-18,day,2021-10-01")
    assert "data/events.csv, line 3, column 'end_date': expected a date on or after 2021-10-18" in _error(data_dir, "events")


def test_ragged_row(data_dir):
    _replace(data_dir, "actors.csv", "tajikistan,Tajikistan,state,TJK,mid-tj-2013-03-01", "tajikistan,Tajikistan,state,TJK")
    assert "data/actors.csv, line 3: expected 5 cells, found 4" in _error(data_dir, "actors")


def test_unknown_table(data_dir):
    with pytest.raises(DataError, match="no resource named 'poppies'"):
        load("poppies", data_dir)


def test_every_table_of_the_package_must_be_there(data_dir):
    with pytest.raises(DataError, match=r"data/\w+\.csv: file not found"):
        load_all(data_dir)


def test_cite_events_cites_the_sources_of_each_event(data_dir):
    from panjbook.data import cite_events

    assert cite_events("2021-10-18-drills-start", "2021-09-2021-drills-announced", data_dir=data_dir) == \
        "{cite:p}`tass-2021-10-14,mid-tj-2013-03-01`"
    with pytest.raises(DataError, match="no event with id 2099-01-01-nothing"):
        cite_events("2099-01-01-nothing", data_dir=data_dir)


# --- reliability grades of sources --------------------------------------------------------

def test_grade_outside_the_scale(data_dir):
    _replace(data_dir, "sources.csv", "state-controlled media,D,TASS", "state-controlled media,G,TASS")
    message = _error(data_dir, "sources")
    assert "data/sources.csv, line 3, column 'grade': expected one of 'A', 'B', 'C', 'D', 'E', 'F', got 'G'" in message


def test_standing_outside_the_list(data_dir):
    _replace(data_dir, "sources.csv", "wire,state-controlled media,D,TASS", "wire,state media,D,TASS")
    message = _error(data_dir, "sources")
    assert "data/sources.csv, line 3, column 'standing': expected one of 'independent media', 'state-controlled media'" in message
    assert "got 'state media'" in message


def test_grade_and_standing_are_required(data_dir):
    _replace(data_dir, "sources.csv", "official,party to the dispute,B,", "official,party to the dispute,,")
    assert "data/sources.csv, line 2, column 'grade': expected a value, the cell is empty" in _error(data_dir, "sources")


def test_relay_must_differ_from_originator(data_dir):
    _replace(data_dir, "sources.csv", "D,Sputnik,UrduPoint,", "D,Sputnik,Sputnik,")
    message = _error(data_dir, "sources")
    assert ("data/sources.csv, line 4, column 'read_via': expected a relay other than the originator 'Sputnik', "
            "or an empty cell when the copy read is the original, got 'Sputnik'") in message


def test_a_relay_needs_its_kind_and_only_a_relay_has_one(data_dir):
    _replace(data_dir, "sources.csv", "D,Sputnik,UrduPoint,aggregator or mirror,", "D,Sputnik,UrduPoint,,")
    assert ("data/sources.csv, line 4, column 'read_via_kind': expected what the relay is when read_via is set, "
            "and an empty cell when it is not, got '' for read_via 'UrduPoint'") in _error(data_dir, "sources")


def test_no_relay_kind_without_a_relay(data_dir):
    _replace(data_dir, "sources.csv", "state-controlled media,D,TASS,,,", "state-controlled media,D,TASS,,established outlet,")
    assert ("data/sources.csv, line 3, column 'read_via_kind': expected what the relay is when read_via is set, "
            "and an empty cell when it is not, got 'established outlet' for read_via ''") in _error(data_dir, "sources")


def test_a_relay_kind_comes_from_the_codebook(data_dir):
    _replace(data_dir, "sources.csv", "UrduPoint,aggregator or mirror,", "UrduPoint,repost,")
    assert "data/sources.csv, line 4, column 'read_via_kind': expected one of 'established outlet'" in _error(data_dir, "sources")


def test_aggregator_must_be_graded_e_or_f(data_dir):
    _replace(data_dir, "sources.csv", "aggregator or mirror,E,MENAFN", "aggregator or mirror,C,MENAFN")
    message = _error(data_dir, "sources")
    assert "data/sources.csv, line 5, column 'grade': expected E or F for a source whose standing is 'aggregator or mirror', got 'C'" in message


def test_grade_a_only_for_a_government_or_intergovernmental_body(data_dir):
    _replace(data_dir, "sources.csv", "party to the dispute,B,", "party to the dispute,A,")
    message = _error(data_dir, "sources")
    assert ("data/sources.csv, line 2, column 'grade': expected A only for a government or intergovernmental body, "
            "got 'A' for standing 'party to the dispute'") in message


def test_state_controlled_media_graded_c_to_e(data_dir):
    _replace(data_dir, "sources.csv", "state-controlled media,D,TASS", "state-controlled media,B,TASS")
    message = _error(data_dir, "sources")
    assert "data/sources.csv, line 3, column 'grade': expected C, D or E for state-controlled media, got 'B'" in message


def test_a_bad_grade_stops_the_tables_that_cite_the_source(data_dir):
    _replace(data_dir, "sources.csv", "aggregator or mirror,E,MENAFN", "aggregator or mirror,B,MENAFN")
    assert "data/sources.csv, line 5, column 'grade': expected E or F" in _error(data_dir, "events")
# --- free text cannot become MyST markup --------------------------------------------------

@pytest.mark.parametrize("text, what", [
    ('"Drills start.\n\n## Injected heading"', "a line break"),
    ('"Drills start.\r\nSecond line"', "a line break"),
    ("Drills start {cite:p}`tass-2021-10-14`", "a MyST role"),
    ("Drills start {ref}`fig-exercises`", "a MyST role"),
    ("Drills ```{raw} html", "a MyST fence"),
    ("Drills :::{note}", "a MyST fence"),
    ("Drills {{ substitution }}", "a MyST substitution"),
    ("Drills <script>alert(1)</script>", "raw HTML"),
    ("Drills <!-- hidden -->", "raw HTML"),
    ("## Injected heading", "a MyST heading ('#') at the start"),
    ("> quoted", "a block quote ('>') at the start"),
    ("- listed", "a bullet list marker"),
    ("1. ## heading inside a numbered item", "a MyST heading ('#') at the start"),
    ("(injected-target)=", "a MyST target"),
    ("+++ break", "a MyST block break"),
    ("[label]: https://example.org", "a link or footnote definition"),
    ("---", "a thematic break"),
    ("| a | b |", "a table row"),
])
def test_free_text_that_myst_would_read_as_markup_is_refused(data_dir, text, what):
    _replace(data_dir, "events.csv", "Drills start.", text)
    message = _error(data_dir, "events")
    assert "data/events.csv, line 3, column 'description': expected plain text on one line, got '" in message
    assert f"which holds {what}" in message


@pytest.mark.parametrize("text", [
    "928. Do U.S. sanctions on the Taliban prohibit humanitarian assistance?",  # a real source title
    "% of GDP",  # a real unit
    "GDP (World Bank data) | Tajikistan",  # a real source title
    "[Report on an NRF office in Dushanbe]",  # a translated title, as the sources give them
    "US$945 m; 5 < 6; a_b *emphasis* #3",
    "Drills start {between} braces",
])
def test_plain_text_like_the_real_data_loads(data_dir, text):
    _replace(data_dir, "events.csv", "Drills start.", f'"{text}"')
    assert load("events", data_dir).loc[1, "description"] == text


def test_a_line_break_in_free_text_is_shown_escaped_in_the_message(data_dir):
    _replace(data_dir, "events.csv", "Drills start.", '"Drills start.\n\n## Injected heading"')
    assert r"got 'Drills start.\n\n## Injected heading'" in _error(data_dir, "events")


def test_event_day_prints_only_the_precision_the_source_gives(data_dir):
    assert event_day("2021-10-18-drills-start", data_dir=data_dir) == "18 October 2021"
    assert event_day("2021-10-18-drills-start", year=False, data_dir=data_dir) == "18 October"
    assert event_day("2021-09-2021-drills-announced", data_dir=data_dir) == "September 2021"
    with pytest.raises(DataError, match="no event with id nothing-here"):
        event_day("nothing-here", data_dir=data_dir)


# --- editions: typed dates, in the order they came out ---------------------------------------

def test_editions_load_with_dates(data_dir):
    editions = load("editions", data_dir)
    assert editions["version"].tolist() == ["1.0.0", "2.0.0"]
    assert str(editions["released"].dtype).startswith("datetime64")
    assert editions["released"].tolist() == [pd.Timestamp("2026-11-22"), pd.Timestamp("2026-12-05")]


@pytest.mark.parametrize("old, new, expected", [
    ("2.0.0,2026-12-05", "0.9.0,2026-12-05", "line 3, column 'version': expected a version above 1.0.0 of line 2"),
    ("2.0.0,2026-12-05", "10.0.0,2026-11-01", "line 3, column 'released': expected a date on or after 2026-11-22 of line 2"),
    ("2026-12-05,2026-01-12", "2026-12-05,2026-01-05", "line 3, column 'data_as_of': expected a date on or after 2026-01-12 of line 2"),
    ("2.0.0,2026-12-05,2026-01-12", "2.0.0,2026-12-05,2026-12-06", "line 3, column 'data_as_of': expected a date on or before the release"),
    ("2.0.0,", "2.0,", "line 3, column 'version': expected text matching"),
    ("2026-12-05,2026-01-12", "2026-12,2026-01-12", "line 3, column 'released': expected a date written YYYY-MM-DD, got '2026-12'"),
    ("2026-12-05,2026-01-12", "2026-02-30,2026-01-12", "does not exist (February 2026 has 28 days)"),
])
def test_editions_out_of_order_or_malformed_are_refused(data_dir, old, new, expected):
    _replace(data_dir, "editions.csv", old, new)
    message = _error(data_dir, "editions")
    assert message.startswith("data/editions.csv"), message
    assert expected in message, message


def test_versions_compare_as_numbers_not_text(data_dir):
    # 10.0.0 sorts before 2.0.0 as text; the loader compares numbers, so it follows 2.0.0.
    path = data_dir / "editions.csv"
    path.write_text(path.read_text(encoding="utf-8") + "10.0.0,2026-12-06,2026-01-12,A later edition.\n", encoding="utf-8")
    assert load("editions", data_dir)["version"].tolist() == ["1.0.0", "2.0.0", "10.0.0"]
