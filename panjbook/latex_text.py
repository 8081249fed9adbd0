"""Text in other scripts, for the PDF.

The body font (DejaVu Sans) has Arabic letters but XeLaTeX sets them left to right and
unjoined unless told otherwise, and it has no Devanagari at all. A few source titles are in
Persian, Arabic or Marathi. Before the LaTeX writer runs, each run of such text is wrapped in a
macro defined in ``_config.yml``: ``\\panjrtl`` (Arabic script: shaped, right to left, with
digits kept left to right by ``\\panjltr``) or ``\\panjdevanagari`` (a font that has it).
HTML needs none of this: browsers shape and order the text themselves.
"""
from __future__ import annotations

import re

from docutils import nodes

ARABIC = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
DEVANAGARI = "\u0900-\u097f\ua8e0-\ua8ff"
# A run starts with a letter of the script and ends with one (or, for Arabic script, with a number
# that follows it, which the Unicode bidi algorithm also sets inside the right-to-left run); it may
# hold spaces, digits and the punctuation found inside titles, so that a phrase is reversed as a
# whole, not word by word.
_RUNS = re.compile(
    rf"(?P<rtl>[{ARABIC}](?:[{ARABIC}\s\d.,:()«»\-]*[{ARABIC}\d])?)"
    rf"|(?P<devanagari>[{DEVANAGARI}](?:[{DEVANAGARI}\s\d.,\-]*[{DEVANAGARI}])?)"
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def split_runs(text: str) -> list[tuple[str, str]]:
    """(kind, text) pieces of ``text``: kind is "plain", "rtl" or "devanagari"."""
    pieces, start = [], 0
    for match in _RUNS.finditer(text):
        if match.start() > start:
            pieces.append(("plain", text[start:match.start()]))
        pieces.append((match.lastgroup, match.group()))
        start = match.end()
    if start < len(text):
        pieces.append(("plain", text[start:]))
    return pieces


def _wrap(kind: str, text: str) -> list[nodes.Node]:
    if kind == "plain":
        return [nodes.Text(text)]
    if kind == "devanagari":
        return [nodes.raw("", r"\panjdevanagari{", format="latex"), nodes.Text(text), nodes.raw("", "}", format="latex")]
    parts: list[nodes.Node] = [nodes.raw("", r"\panjrtl{", format="latex")]
    start = 0
    for digits in _DIGITS.finditer(text):
        if digits.start() > start:
            parts.append(nodes.Text(text[start:digits.start()]))
        parts += [nodes.raw("", r"\panjltr{", format="latex"), nodes.Text(digits.group()), nodes.raw("", "}", format="latex")]
        start = digits.end()
    if start < len(text):
        parts.append(nodes.Text(text[start:]))
    return parts + [nodes.raw("", "}", format="latex")]


def wrap_scripts_for_latex(app, doctree, docname) -> None:
    """doctree-resolved handler: wrap runs of Arabic script and Devanagari for the LaTeX writer."""
    if app.builder.format != "latex":
        return
    for text in list(doctree.findall(nodes.Text)):
        if isinstance(text.parent, (nodes.FixedTextElement, nodes.raw)) or not _RUNS.search(text):
            continue
        replacement = [node for kind, piece in split_runs(str(text)) for node in _wrap(kind, piece)]
        text.parent.replace(text, replacement)
