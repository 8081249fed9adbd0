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
