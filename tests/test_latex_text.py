"""Runs of other scripts are found whole, for the PDF; the bibliography's addresses are URIs."""
from __future__ import annotations

from docutils import nodes

from panjbook.bibliography import bibtex
from panjbook.latex_text import _wrap, split_runs


def test_a_persian_phrase_is_one_run_with_its_spaces_and_digits():
    title = "افزایش سرانه تولید ناخالص ملی تاجیکستان در سال 2020"
    assert split_runs(title) == [("rtl", title)]


def test_runs_stop_at_the_last_letter_of_their_script():
    assert split_runs("چه تعداد؟. Amwaj. Kind: newspaper") == [("rtl", "چه تعداد؟"), ("plain", ". Amwaj. Kind: newspaper")]
    assert split_runs("दुशांबे [Dushanbe]. Wikipedia") == [("devanagari", "दुशांबे"), ("plain", " [Dushanbe]. Wikipedia")]
    assert split_runs("No other script here, 2021.") == [("plain", "No other script here, 2021.")]


def test_digits_inside_right_to_left_text_stay_left_to_right():
    pieces = _wrap("rtl", "أكثر من 6 ملايين")
    latex = "".join(node.astext() if isinstance(node, nodes.raw) else f"<{node}>" for node in pieces)
    assert latex == r"\panjrtl{<أكثر من >\panjltr{<6>}< ملايين>}"


def test_bibliography_addresses_are_ascii_uris():
    text = bibtex()
    urls = [line.split("=", 1)[1] for line in text.splitlines() if line.strip().startswith("url = ")]
    assert urls and all(url.isascii() for url in urls)
    assert "https://mr.wikipedia.org/wiki/%E0%A4%A6%E0%A5%81" in text
