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


def test_pdf_is_written_once_from_the_last_xelatex_run(built_book):
    # XeLaTeX runs write XDV only; xdvipdfmx embeds the charts once (panjbook.sphinx_ext).
    latex = pdf_path(built_book).parent
    assert "LATEXMKOPTS ?= -xelatex" in (latex / "Makefile").read_text(encoding="utf-8")
    assert (latex / "across-the-panj.xdv").exists()
    assert sorted(p.name for p in latex.glob("*.png")) == sorted(p.name for p in (built_book / ".chart-png").glob("*.png"))


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


# Publishing: links, sharing tags, the edition, the PDF's front matter.

def test_every_internal_link_and_anchor_resolves(built_book):
    from panjbook.links import broken_links

    assert broken_links(html_dir(built_book)) == []


class _Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs.get("name")] = attrs.get("content") or ""


def test_every_page_has_a_description_and_open_graph_tags_and_loads_nothing_for_them(built_book):
    from panjbook import edition

    online = edition.addresses().online
    checked = 0
    for page in _pages(built_book):
        text = page.read_text(encoding="utf-8")
        if re.search(r'<meta http-equiv="Refresh"', text, flags=re.IGNORECASE) and "<main" not in text:
            continue  # the site's root, a redirect to book/index.html
        parser = _Meta()
        parser.feed(text)
        meta = parser.meta
        checked += 1
        where = page.relative_to(html_dir(built_book)).as_posix()
        assert len(meta.get("description", "").split()) >= 8, f"{where}: no description"
        assert meta.get("og:title") and meta.get("og:type") == "website", where
        assert meta.get("og:description") == meta["description"], where
        assert "og:image" not in meta, f"{where}: an image for sharing would be fetched from elsewhere"
        if online:
            assert meta["og:url"].startswith(online), where
        else:  # no address is set: none is invented
            assert not EXTERNAL.match(meta.get("og:url", "")), where
    assert checked == len(toc_files()) + 2  # the book's pages, the search page and the index


def test_the_front_page_and_the_changelog_show_the_edition_from_the_data(built_book):
    from panjbook import edition

    current = edition.current()
    index = " ".join(re.sub(r"<[^>]+>", " ", (html_dir(built_book) / "book" / "index.html").read_text(encoding="utf-8")).split())
    assert edition.edition_line(current) in index
    before, title, after = edition.citation_text()
    assert f"{before.strip()} {title}{after}".replace(" .", ".") in index.replace(" .", ".")
    changelog = (html_dir(built_book) / "book" / "changelog.html").read_text(encoding="utf-8")
    editions_table = changelog.split('id="judgments-that-moved"')[0]  # the first table lists the editions
    shown = re.findall(r"<td><p>(\d+\.\d+\.\d+)</p></td>", editions_table)
    assert shown == [e.version for e in reversed(edition.editions())], "the editions, newest first"
    assert 'id="judgments-that-moved"' in changelog


def _pdf_page(path: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_pdf_title_page_and_colophon_give_the_edition_and_its_cut_off(built_book):
    from panjbook import edition

    current = edition.current()
    title = " ".join(_pdf_page(pdf_path(built_book), 1).split())
    assert edition.edition_line(current) in title
    colophon = " ".join(_pdf_page(pdf_path(built_book), 2).split())
    assert colophon.startswith("Colophon"), colophon[:80]
    assert f"released {edition.day(current.released)}" in colophon and "CC-BY-4.0" in colophon
    where = edition.addresses()
    for address in (where.online, where.data, where.repository):
        assert (address is None) or (address in colophon)
    if where.online is None:
        assert "http" not in colophon, "an address that _config.yml does not set"


def test_pdf_contents_list_the_introduction_and_its_sections(built_book):
    path = pdf_path(built_book)
    contents = " ".join(_pdf_page(path, 3).split())
    for entry in ("Introduction", "Key judgments", "Who it is for and how to read it", "How to cite"):
        assert re.search(re.escape(entry) + r"[ .]*\d+", contents), f"'{entry}' is not in the contents"
    text = pdf_text(path)
    pages = text.split("\f")
    intro = next(i for i, page in enumerate(pages) if "INTRODUCTION" in page and "Key judgments" in page)
    assert "LIST OF FIGURES" not in pages[intro].upper().replace("INTRODUCTION", "")
    # The front page's web-only parts (its list of contents, its colophon) are not repeated in print.
    assert "Colophon" not in " ".join(pages[intro:intro + 3])


def test_pdf_points_to_the_codebook_instead_of_printing_it(built_book):
    text = " ".join(pdf_text(pdf_path(built_book)).split())
    assert "Each row is identified by" not in text
    assert "is printed in the online edition" in text
    web = (html_dir(built_book) / "book" / "data-and-methods.html").read_text(encoding="utf-8")
    assert web.count("Each row is identified by") == len(_tabular_names())


def _tabular_names() -> list[str]:
    from panjbook.data import resource_names

    return resource_names()
