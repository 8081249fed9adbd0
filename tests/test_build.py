"""Build the whole book once (HTML and PDF) and check what a reader gets."""
from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from panjbook.data import load
from panjbook.build import check_html, html_dir, latex_log, latex_log_faults, part_captions, pdf_path, pdf_text, toc_files
from panjbook.bundle import BUNDLE_NAME
from panjbook.sphinx_ext import CHART_MARKER

pytestmark = pytest.mark.build

EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


class _Assets(HTMLParser):
    """Collects every address a page loads by itself: scripts, stylesheets, fonts, images, frames."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.loaded.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            rel = (attrs.get("rel") or "").lower()
            if any(word in rel for word in ("stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest")):
                self.loaded.append(attrs["href"])


def _pages(build_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir(build_dir).rglob("*.html") if "_static" not in p.parts)


def test_every_page_of_the_toc_is_built(built_book):
    pages = check_html(built_book)
    assert len(pages) == len(toc_files()) >= 7
    for entry in toc_files():
        text = (html_dir(built_book) / f"{entry}.html").read_text(encoding="utf-8")
        assert "<h1" in text, f"{entry} has no title"


def test_no_page_loads_anything_from_another_host(built_book):
    offenders = []
    for page in _pages(built_book):
        parser = _Assets()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.name}: {src}" for src in parser.loaded if EXTERNAL.match(src)]
    for css in html_dir(built_book).rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url):
                offenders.append(f"{css.name}: {url}")
        for url in re.findall(r"@import\s+['\"]([^'\"]+)", css.read_text(encoding="utf-8", errors="replace")):
            if EXTERNAL.match(url):
                offenders.append(f"{css.name}: {url}")
    assert offenders == []


def test_vega_bundle_is_written_once_and_loaded_only_where_charts_are(built_book):
    bundle = html_dir(built_book) / "_static" / BUNDLE_NAME
    assert bundle.stat().st_size > 500_000
    assert len(list(html_dir(built_book).rglob(BUNDLE_NAME))) == 1
    with_charts = 0
    for page in _pages(built_book):
        text = page.read_text(encoding="utf-8")
        loads_bundle = BUNDLE_NAME in text
        assert loads_bundle == (CHART_MARKER in text), page.name
        with_charts += loads_bundle
    assert with_charts >= 1


def test_charts_have_numbered_captions_and_sources(built_book):
    text = (html_dir(built_book) / "book" / "background.html").read_text(encoding="utf-8")
    assert re.search(r'<span class="caption-number">Fig(ure)? 1\.1', text) or "Figure 1.1" in text or "Fig. 1.1" in text
    assert 'id="fig-border-lengths"' in text
    assert "Source" in text


def test_data_and_methods_links_every_csv(built_book):
    import json

    from panjbook.paths import DATAPACKAGE

    text = (html_dir(built_book) / "book" / "data-and-methods.html").read_text(encoding="utf-8")
    for resource in json.loads(DATAPACKAGE.read_text(encoding="utf-8"))["resources"]:
        match = re.search(r'href="([^"]*/' + re.escape(Path(resource["path"]).name) + ')"', text)
        assert match, f"no download link for {resource['path']}"
        target = (html_dir(built_book) / "book" / match.group(1)).resolve()
        assert target.exists(), f"the link to {resource['path']} points nowhere"


def test_pdf_holds_every_part_and_chapter_and_the_charts(built_book):
    path = pdf_path(built_book)
    text = pdf_text(path).upper()
    for caption in part_captions():
        assert caption.upper() in text
    for title in ("BACKGROUND: A LONG RIVER BORDER", "DATA AND METHODS", "REFERENCES"):
        assert title in " ".join(text.split()), title
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= 1, "the PDF has no chart images"
    assert (html_dir(built_book) / path.name).exists(), "the PDF is not offered in the HTML site"


def test_bibliography_lists_the_seed_articles(built_book):
    text = (html_dir(built_book) / "book" / "references.html").read_text(encoding="utf-8")
    assert "Increasing pressure" in text
    assert "Rhetoric or Threat" in text


def _figure_names() -> list[str]:
    import nbformat

    from panjbook.execute import chapter_notebooks

    names = []
    for path in chapter_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "markdown":
                names += re.findall(r"^:name: (fig-[a-z0-9-]+)$", cell.source, flags=re.MULTILINE)
    return names


def test_every_figure_has_alt_text_and_a_numbered_caption():
    import nbformat

    from panjbook.execute import chapter_notebooks

    for path in chapter_notebooks():
        for cell in nbformat.read(path, as_version=4).cells:
            for block in re.findall(r"```\{glue:figure\}.*?```", cell.source, flags=re.DOTALL):
                assert re.search(r"^:name: fig-", block, flags=re.MULTILINE), f"{path.name}: a figure without :name:"
                alt = re.search(r"^:alt: (.+)$", block, flags=re.MULTILINE)
                assert alt and len(alt.group(1).split()) >= 6, f"{path.name}: a figure without a one-sentence :alt:"
    assert len(_figure_names()) >= 20


def test_charts_expose_their_description_to_screen_readers(built_book):
    for page in _pages(built_book):
        for label in re.findall(r'<div class="panj-chart" id="[^"]+" role="figure" aria-label="([^"]*)"', page.read_text(encoding="utf-8")):
            assert len(label.split()) >= 6, f"{page.name}: chart label too short: {label!r}"


def test_pdf_is_a_finished_book(built_book):
    path = pdf_path(built_book)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, flags=re.MULTILINE).group(1))
    assert 60 <= pages <= 400, pages
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tajikistan, the" in first_page and "Taliban and Central Asia" in first_page
    text = " ".join(pdf_text(path).split())
    assert "LIST OF FIGURES" in text.upper()
    for number in range(1, 8):
        assert f"Figure 1.{number}" in text, f"Figure 1.{number} missing from the PDF"
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.strip().splitlines()) - 2 >= len(_figure_names()), "a chart is missing from the PDF"
    # No line past the margin, no page past its foot (a table that lost rows), no missing glyph.
    assert latex_log_faults(latex_log(built_book)) == []


def test_pdf_sets_persian_and_arabic_titles_right_to_left(built_book):
    tex = (pdf_path(built_book).parent / "across-the-panj.tex").read_text(encoding="utf-8")
    sources = load("sources")
    titles = sources.loc[sources["title"].str.contains("[\u0600-\u06ff]"), "title"]
    assert len(titles) >= 5
    for title in titles:
        assert r"\panjrtl{" + title.split()[0] in tex, f"not set right to left: {title}"
    assert r"\panjrtl{افزایش سرانه تولید ناخالص ملی تاجیکستان در سال \panjltr{2020}}" in tex, "digits stay left to right"


def test_html_offers_the_pdf_and_stays_small(built_book):
    index = (html_dir(built_book) / "book" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]*across-the-panj\.pdf)"', index)
    assert link and (html_dir(built_book) / "book" / link.group(1)).resolve().exists()
    for page in _pages(built_book):
        assert page.stat().st_size <= 1_000_000, f"{page.name} is over 1 MB"


def test_two_builds_of_one_commit_are_byte_identical_and_dated_by_the_edition(built_book, tmp_path_factory):
    """A second build from scratch gives the same PDF and HTML, byte for byte; the PDF is dated by
    the edition (the last commit), to the second, and its title page shows that day, not the build's."""
    import datetime

    from panjbook.build import build, edition_epoch

    again = tmp_path_factory.mktemp("again") / "_build"
    build(again, pdf=True)
    assert pdf_path(again).read_bytes() == pdf_path(built_book).read_bytes(), "the PDFs differ"
    first_html = {p.relative_to(html_dir(built_book)): p.read_bytes() for p in html_dir(built_book).rglob("*") if p.is_file()}
    second_html = {p.relative_to(html_dir(again)): p.read_bytes() for p in html_dir(again).rglob("*") if p.is_file()}
    assert sorted(second_html) == sorted(first_html)
    assert [str(p) for p in first_html if first_html[p] != second_html[p]] == []

    edition = datetime.datetime.fromtimestamp(edition_epoch()[0], datetime.timezone.utc)
    info = subprocess.run(["pdfinfo", "-isodates", str(pdf_path(again))], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^CreationDate:\s+(\S+)$", info, flags=re.MULTILINE).group(1) == edition.strftime("%Y-%m-%dT%H:%M:%SZ")
    title_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf_path(again)), "-"],
                                capture_output=True, text=True, check=True).stdout
    assert f"{edition.day} {edition:%B %Y}" in title_page


# Citations: outlet-year labels in the text and in the PDF, entries a reader can judge.
LABEL = r"\S(?:.*?\S)? (?:\d{4}[a-z]*|n\.d\.(?:-[a-z]+)?)"
PRODUCTION_WORDING = re.compile(r"\bfact [A-Z0-9]|search tool|title from (the )?URL|date from (the )?URL|title not shown",
                                re.IGNORECASE)


class _Citations(HTMLParser):
    """The in-text citations of a page: for each, its text and the links' (text, title, href)."""

    def __init__(self):
        super().__init__()
        self.citations: list[dict] = []
        self._depth = 0
        self._link = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._depth:
            self._depth += tag == "span"
            if tag == "a":
                self._link = {"text": "", "title": attrs.get("title") or "", "href": attrs.get("href") or ""}
        elif tag == "span" and "bibtex-citation" in (attrs.get("class") or "").split():
            self._depth = 1
            self.citations.append({"text": "", "links": []})

    def handle_endtag(self, tag):
        if self._depth:
            if tag == "a" and self._link is not None:
                self.citations[-1]["links"].append(self._link)
                self._link = None
            self._depth -= tag == "span"

    def handle_data(self, data):
        if self._depth:
            self.citations[-1]["text"] += data
            if self._link is not None:
                self._link["text"] += data


def _labels() -> dict[str, str]:
    from panjbook import bibliography

    return bibliography.source_labels(load("sources"))


def test_citations_in_the_text_read_as_outlet_year_labels_with_the_grade_in_the_hover(built_book):
    from panjbook import bibliography

    sources = load("sources").set_index("source_id")
    by_label = {label: source_id for source_id, label in _labels().items()}
    count = 0
    for page in _pages(built_book):
        parser = _Citations()
        parser.feed(page.read_text(encoding="utf-8"))
        for citation in parser.citations:
            count += 1
            text = " ".join(citation["text"].split())
            assert re.fullmatch(rf"\({LABEL}(; {LABEL})*\)", text), f"{page.name}: {text!r}"
            assert not re.search(r"\(\d+\)|\[\d+\]", text), f"{page.name}: a numbered citation {text!r}"
            assert citation["links"], f"{page.name}: {text!r} links nowhere"
            for link in citation["links"]:
                assert link["text"] in by_label, f"{page.name}: {link['text']!r} is not a source's label"
                row = sources.loc[by_label[link["text"]]]
                grade = f"Grade {row['grade']} ({bibliography.GRADE_MEANINGS[row['grade']]}), {row['standing']}."
                assert grade in link["title"], f"{page.name}: no grade in the hover of {link['text']}"
                assert "references.html#" in link["href"]
    assert count >= 300, count


def test_every_reference_entry_has_its_label_a_grade_and_no_production_note(built_book):
    from panjbook import bibliography

    labels = _labels()
    sources = load("sources").set_index("source_id")
    text = (html_dir(built_book) / "book" / "references.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="citation" id="[^"]+" role="doc-biblioentry">\s*<span class="label">'
                         r'<span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]</span></span>\s*<p>(.*?)</p>',
                         text, flags=re.DOTALL)
    shown = [label for label, _ in entries]
    assert shown == list(labels.values()), "the References page is not the labels, in label order"
    assert len(set(shown)) == len(shown) == len(sources)
    by_label = {label: source_id for source_id, label in labels.items()}
    relayed = 0
    for label, body in entries:
        row = sources.loc[by_label[label]]
        plain = " ".join(re.sub(r"<[^>]+>", "", body).split())
        assert f"Grade {row['grade']} ({bibliography.GRADE_MEANINGS[row['grade']]}), {row['standing']}." in plain, label
        assert not PRODUCTION_WORDING.search(plain), f"{label}: {plain}"
        if isinstance(row["read_via"], str):
            assert f"Read via {row['read_via']}." in plain, label
            relayed += 1
        else:
            assert "Read via" not in plain, label
    assert relayed >= 100, relayed


def test_pdf_cites_and_lists_sources_by_their_labels(built_book):
    labels = _labels()
    text = " ".join(pdf_text(pdf_path(built_book)).split())
    assert [label for label in labels.values() if f"[{label}]" not in text] == [], "a reference entry without its label"
    assert f"({labels['seed-chia-zheng-2021']})" in text and f"({labels['seed-gafarli-2021']}" in text
    assert not re.search(r"\[\d{1,3}\]", text), "a numbered citation in the PDF"
    cited = re.findall(rf"\(({LABEL}(?:; {LABEL})*)\)", text)
    assert len(cited) >= 100, len(cited)
