"""Issue 15, the book on paper and on a phone: tables that print every cell, charts that print
legibly and whole, web-only words kept off paper, every chart's sources in print, and the data
download (the browser half is in tests/test_browser.py)."""
from __future__ import annotations

import json
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from panjbook import text, theme
from panjbook.build import html_dir, latex_log, pdf_path, pdf_text
from panjbook.chart_output import chart_title, notebook_specs, print_source_note, print_spec, vegalite_version
from panjbook.codebook import DATA_ZIP_NAME
from panjbook.execute import chapter_notebooks

# --- tables ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, written", [("-", "\\-"), ("+", "\\+"), ("* x", "\\* x"), ("# 1", "\\# 1"), ("> a", "\\> a"),
                                           ("1. first", "1\\. first"), ("2021", "2021"), ("not a member", "not a member"),
                                           ("{cite:p}`a`", "{cite:p}`a`"), ("", "")])
def test_table_cells_that_open_a_block_are_escaped(cell, written):
    assert text.table_cell(cell) == written


def test_list_table_escapes_every_cell_and_parses_to_text():
    from docutils.core import publish_doctree
    from docutils import nodes
    from myst_parser.parsers.docutils_ import Parser

    table = text.list_table(["Sign", "Reading"], [("+", "-"), ("1. x", "not a member")], title="Signs", name="table-signs")
    doctree = publish_doctree(table, parser=Parser(), settings_overrides={"report_level": 5})
    assert not list(doctree.findall(nodes.bullet_list)) and not list(doctree.findall(nodes.enumerated_list))
    cells = [entry.astext() for entry in doctree.findall(nodes.entry)]
    assert cells == ["Sign", "Reading", "+", "-", "1. x", "not a member"]
    with pytest.raises(ValueError):
        text.list_table(["a", "b"], [("only one",)])


def test_short_names_abbreviate_by_the_rule():
    assert text.short_name("Taliban (Islamic Emirate)") == "Taliban"
    assert text.short_name("Islamic State Khorasan Province (ISKP)") == "ISKP"
    assert text.short_name("Russia") == "Russia"


class _Tables(HTMLParser):
    """Every table cell of a page: its text and whether it holds a list with an empty item."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.empty_items = 0
        self._cell = None
        self._item = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "li" and self._cell is not None:
            self._item = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "li" and self._item is not None:
            self.empty_items += not self._item.strip()
            self._item = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._item is not None:
            self._item += data


def _pages(build_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir(build_dir).rglob("*.html") if "_static" not in p.parts)


@pytest.mark.build
def test_no_table_cell_is_an_empty_list_on_any_page_or_in_the_pdf(built_book):
    for page in _pages(built_book):
        parser = _Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.empty_items == 0, f"{page.name}: a table cell shows an empty list item"
    tex = (pdf_path(built_book).parent / "across-the-panj.tex").read_text(encoding="utf-8")
    assert not re.search(r"\\item\s*(\{\})?\s*\\end\{itemize\}", tex), "an empty list item in the PDF"
    # The scenario table's signs and the memberships table's "not a member" print as text.
    plain = subprocess.run(["pdftotext", str(pdf_path(built_book)), "-"], capture_output=True, text=True, check=True).stdout
    assert "notamember" in _squash(plain)


def _squash(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.lower())


@pytest.mark.build
def test_every_row_of_every_table_is_in_the_pdf(built_book):
    """Each body row's first cell (its first words) is in the PDF's text: no table lost rows."""
    printed = _squash(subprocess.run(["pdftotext", str(pdf_path(built_book)), "-"], capture_output=True, text=True, check=True).stdout)
    missing, rows = [], 0
    for page in _pages(built_book):
        if page.stem in ("genindex", "search"):
            continue
        parser = _Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        for row in parser.rows[1:]:
            if not row or not row[0]:
                continue
            rows += 1
            words = _squash(" ".join(row[0].split()[:3]))[:24]
            if words and words not in printed:
                missing.append(f"{page.name}: {row[0][:60]}")
    assert rows >= 100, rows
    assert missing == []


# --- charts in print ----------------------------------------------------------------------------


def _chart_specs() -> list[tuple[str, dict]]:
    return [(path.stem, spec) for path in chapter_notebooks() for spec in notebook_specs([path])]


def _svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(print_spec(spec), vl_version=vegalite_version(spec))


def test_every_chart_prints_its_text_at_7_pt_or_more_and_cuts_no_word():
    """In the PDF each chart's PNG (PNG_SCALE x its CSS width) is set at the text width; so a text of
    s px prints at s x text width / CSS width. No text may end in Vega's ellipsis (a label or title cut)."""
    smallest = []
    for chapter, spec in _chart_specs():
        svg = _svg(spec)
        width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert sizes, f"{chapter}: no text found in the chart"
        printed_pt = min(sizes) * theme.PDF_TEXT_WIDTH_PT / width
        title = spec["usermeta"]["panj"]["title"] if "usermeta" in spec else spec.get("title")
        smallest.append((round(printed_pt, 1), chapter, str(title)[:50]))
        assert printed_pt >= theme.MIN_PRINT_PT, f"{chapter}: '{title}' prints text at {printed_pt:.1f} pt ({width:.0f} px wide)"
        cut = [t for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.DOTALL) if "…" in t]
        assert cut == [], f"{chapter}: '{title}' cuts {cut}"
    print("smallest printed chart text:", min(smallest))


def test_charts_promise_tooltip_sources_only_when_their_tooltips_name_them():
    for chapter, spec in _chart_specs():
        subtitle = " ".join(spec.get("title", {}).get("subtitle", [])) if isinstance(spec.get("title"), dict) else ""
        if "tooltip" in subtitle:
            assert theme.tooltips_name_sources(spec), f"{chapter}: '{chart_title(spec)}' promises sources in tooltips it lacks"


def test_chart_captions_that_promise_tooltip_sources_have_them():
    """A figure whose caption sends the reader to the tooltips for sources pastes a chart that has them."""
    import nbformat

    specs = {}
    for path in chapter_notebooks():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
                name = output.get("metadata", {}).get("scrapbook", {}).get("name")
                if spec is not None and name:
                    specs[name] = spec
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for name, caption in re.findall(r"```\{glue:figure\} (\S+)\n(.*?)```", cell.source, flags=re.DOTALL):
                if re.search(r"(tooltip|hover)[^.]*source|source[^.]*(tooltip|hover)", caption, flags=re.IGNORECASE) and name in specs:
                    assert theme.tooltips_name_sources(specs[name]), f"{path.name}: {name}'s caption promises sources in its tooltips"


def _shown_texts(spec) -> list[str]:
    """Titles, subtitles and labels a chart prints (not its data, nor its encoding's keys)."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("data", "datasets", "usermeta"):
                continue
            if key in ("title", "subtitle", "text") and isinstance(value, (str, list)):
                found += [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
            found += _shown_texts(value)
    elif isinstance(spec, list):
        for item in spec:
            found += _shown_texts(item)
    return found


def test_print_drops_web_instructions_and_points_to_the_note():
    for chapter, spec in _chart_specs():
        shown = " ".join(_shown_texts(print_spec(spec)))
        assert not re.search(r"\b(click|drag|hover|tap|tooltips?)\b", shown, flags=re.IGNORECASE), (chapter, shown[:300])


@pytest.mark.build
def test_pdf_prints_the_sources_of_every_chart_under_it_and_no_web_instruction(built_book):
    plain = " ".join(subprocess.run(["pdftotext", str(pdf_path(built_book)), "-"], capture_output=True, text=True, check=True).stdout.split())
    # Lower case or opening a sentence: "TAP" (the Turkmenistan-Afghanistan-Pakistan power line) is a name.
    verbs = r"\b([Hh]over|[Cc]lick|[Dd]rag|[Tt]ap)(s|ping|ped|ged|ging|ed|ing)?\b"
    found = re.search(r".{0,60}" + verbs + r".{0,60}", plain)
    assert not found, found.group(0)
    executed = sorted((built_book / ".jupyter_cache").glob("executed/*/base.ipynb"))
    notes = [note for note in (print_source_note(spec) for spec in notebook_specs(executed)) if note]
    assert len(notes) >= 10
    assert plain.count("Sources of the chart above, as listed under References:") == len(notes)


@pytest.mark.build
def test_pdf_sets_every_chart_at_the_text_width(built_book):
    """The premise of the 7 pt test: each chart image is printed across the text width."""
    listing = subprocess.run(["pdfimages", "-list", str(pdf_path(built_book))], capture_output=True, text=True, check=True).stdout
    widths = [int(cols[3]) / int(cols[12]) * 72 for cols in (line.split() for line in listing.splitlines()[2:]) if cols[2] == "image"]
    assert widths and all(abs(w - theme.PDF_TEXT_WIDTH_PT) < 3 for w in widths), widths
    assert "Overfull \\vbox" not in latex_log(built_book)


# --- data for readers ---------------------------------------------------------------------------

INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


@pytest.mark.build
def test_one_zip_holds_every_table_the_package_and_the_codebook(built_book):
    from panjbook.paths import DATA_DIR, DATAPACKAGE

    archive = html_dir(built_book) / DATA_ZIP_NAME
    assert archive.exists() and (html_dir(built_book) / "across-the-panj.pdf").exists()
    names = zipfile.ZipFile(archive).namelist()
    folder = Path(DATA_ZIP_NAME).stem
    package = json.loads(DATAPACKAGE.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert f"{folder}/{resource['path']}" in names
        assert zipfile.ZipFile(archive).read(f"{folder}/{resource['path']}") == (DATA_DIR / resource["path"]).read_bytes()
    for name in ("datapackage.json", "codebook.md", "codebook.csv"):
        assert f"{folder}/{name}" in names
    codebook = zipfile.ZipFile(archive).read(f"{folder}/codebook.csv").decode("utf-8")
    assert not INVISIBLE.search(codebook) and "source_id" in codebook
    page = (html_dir(built_book) / "book" / "data-and-methods.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]*' + re.escape(DATA_ZIP_NAME) + ')"', page)
    assert link and (html_dir(built_book) / "book" / link.group(1)).resolve() == archive.resolve()


@pytest.mark.build
def test_no_page_text_carries_invisible_characters(built_book):
    for page in _pages(built_book):
        body = re.sub(r"<script.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        found = INVISIBLE.search(body)
        assert not found, f"{page.name}: U+{ord(found.group(0)):04X} near {body[max(0, found.start() - 60):found.start()]!r}"
