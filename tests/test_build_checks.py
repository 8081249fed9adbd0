"""The build's own checks of what it produced, on made-up outputs: no book is built here."""
from __future__ import annotations

import pytest

from panjbook.build import BuildError, check_html, latex_log_faults


def test_check_html_refuses_a_partial_build(tmp_path):
    partial = tmp_path / "_build"
    (partial / "html" / "book").mkdir(parents=True)
    (partial / "html" / "index.html").write_text("<main>" + "x" * 3000, encoding="utf-8")
    with pytest.raises(BuildError, match="no page for 'book/index'"):
        check_html(partial)


def test_latex_log_faults_finds_lines_past_the_margin_pages_past_their_foot_and_missing_glyphs():
    # Lines as XeLaTeX writes them; the \vbox is the one of the dispute chapter's exercises table.
    log = "\n".join([
        "[25] [26]",
        "Overfull \\vbox (1131.38838pt too high) has occurred while \\output is active []",
        "Underfull \\hbox (badness 10000) in paragraph at lines 521--523",
        "Overfull \\hbox (12.0pt too wide) in paragraph at lines 10--12",
        "Missing character: There is no \u0628 in font DejaVu Sans!",
        "Missing character: There is no \u0628 in font DejaVu Sans!",
    ])
    assert latex_log_faults(log) == [
        "Overfull \\vbox (1131.38838pt too high) has occurred while \\output is active []",
        "Overfull \\hbox (12.0pt too wide) in paragraph at lines 10--12",
        "Missing character: There is no \u0628 in font DejaVu Sans!",
    ]
    assert latex_log_faults("Underfull \\hbox (badness 10000)\nOutput written on across-the-panj.xdv") == []


def test_the_editions_date_is_the_last_commit_in_a_git_checkout(monkeypatch):
    import subprocess

    from panjbook.build import edition_epoch
    from panjbook.paths import ROOT

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    last_commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    assert edition_epoch(ROOT) == (int(last_commit), "the last commit")


def test_outside_git_the_editions_date_is_the_newest_sources_date(data_dir, monkeypatch):
    import datetime

    from panjbook.build import edition_epoch

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # data_dir's parent is a temporary folder, not a git checkout; its newest source is of 2025-05-18.
    epoch, origin = edition_epoch(data_dir.parent)
    assert datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc) == \
        datetime.datetime(2025, 5, 18, tzinfo=datetime.timezone.utc)
    assert origin == "the newest source's date, 2025-05-18 (not a git checkout)"
    assert edition_epoch(data_dir.parent) == (epoch, origin), "the same tree, the same date"


def test_an_explicit_source_date_epoch_is_kept(data_dir, monkeypatch):
    from panjbook.build import build_environment, edition_epoch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert edition_epoch(data_dir.parent) == (1700000000, "SOURCE_DATE_EPOCH as set")
    assert build_environment()["SOURCE_DATE_EPOCH"] == "1700000000"


def test_the_builders_get_the_editions_date_and_the_books_root(monkeypatch):
    from panjbook.build import build_environment, edition_epoch
    from panjbook.paths import ROOT, ROOT_VARIABLE

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    environment = build_environment()
    assert environment["SOURCE_DATE_EPOCH"] == str(edition_epoch()[0])
    assert environment[ROOT_VARIABLE] == str(ROOT)


def test_a_page_loads_sphinx_design_only_when_an_element_uses_its_classes():
    """An address such as '...eu-weighs-usd-700-million...' in a citation's title is no sd-* class."""
    from panjbook.web import uses_sphinx_design

    assert uses_sphinx_design('<div class="sd-card sd-shadow-sm docutils">')
    assert uses_sphinx_design('<div class="docutils sd-tab-set">')
    assert not uses_sphinx_design('<a href="https://x.com/eu-weighs-usd-700-million" title="usd-700 sd-">x</a>')
    assert not uses_sphinx_design('<span class="usd-rate">')


def test_a_pdf_that_loses_text_is_not_published(tmp_path, monkeypatch):
    """check_pdf refuses a PDF whose LaTeX log reports a page overflowing its foot."""
    from panjbook import build

    latex = tmp_path / "_build" / "latex"
    latex.mkdir(parents=True)
    pdf = latex / "across-the-panj.pdf"
    pdf.write_bytes(b"%PDF-1.5\n" + b"0" * 20_000)
    (latex / "across-the-panj.log").write_text("[31]\nOverfull \\vbox (87.5pt too high) has occurred while \\output is active []\n")
    monkeypatch.setattr(build, "pdf_path", lambda build_dir=None: pdf)
    monkeypatch.setattr(build, "pdf_text", lambda path: " ".join(build.part_captions()))
    import pytest

    with pytest.raises(build.BuildError, match=r"would lose or cut text: Overfull \\vbox"):
        build.check_pdf(tmp_path / "_build")
