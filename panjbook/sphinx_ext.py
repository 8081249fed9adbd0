"""Sphinx extension of the book.

1. Charts draw offline: each builder converts them (panjbook.chart_output); at the end of an
   HTML build, the book's Vega bundle (panjbook.bundle) is written once into ``_static/``, and
   only pages that hold a chart load it.
2. A chapter is re-read when its execution changed: its tables, this package or the libraries
   (see ``panjbook.execute``), because myst-nb's own caching looks only at the notebooks' code.
   Started by the build while the chapters still run, Sphinx reads each chapter once the build
   announces that its execution is settled.
3. The bibliography is written from data/sources.csv before Sphinx reads it, so the
   References page can never drift from the data; citations read as outlet-year labels made
   there (panjbook.bibliography), and the entries give each source's grade (``_panj_style``).
4. Runs of Arabic script and Devanagari are marked for the PDF (panjbook.latex_text).
5. Three repairs of markup the book does not write itself: the menu and contents buttons, whose
   listeners the themes attach to hidden twins; sphinxcontrib-bibtex
   gives its citation list an ARIA list role whose children are not list items, and the theme
   labels its search and colour buttons with names that leave out their visible text.
6. The edition (data/editions.csv) and the published addresses (_config.yml, when set), read
   through panjbook.edition: the role ``{panj-edition}`line``` and the directives
   ``panj-citation`` and ``panj-colophon`` for the pages; the PDF's title page (edition and data
   cut-off) and its colophon on the back of the title page; Open Graph's site address.
7. The PDF's front matter: the front page's text opens a contents entry "Introduction", its
   sections ("Key findings", ...) are sections of it in the contents, and what the PDF gives
   elsewhere (the list of contents, the colophon) is left out there; so are notebook cells tagged
   ``web-only`` (the codebook's tables, which Data and methods points to in print).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from panjbook import bibliography
from panjbook.bundle import BUNDLE_NAME, BUNDLE_READY, bundle_cache, ensure_bundle, is_current
from panjbook.chart_output import setup_builders
from panjbook.execute import (ALL_SETTLED, STAMP_NAME, STATUS_VARIABLE, prepare_cache, read_manifest, reads_digest,
                              wait_for)
from panjbook.latex_text import wrap_scripts_for_latex
from panjbook.paths import DATA_DIR

A11Y_NAME = "panj-a11y.js"
A11Y_SCRIPT = """document.addEventListener("DOMContentLoaded", function () {
  // The menu and contents buttons: pydata-sphinx-theme and sphinx-book-theme each wire only the
  // first .primary-toggle (and .secondary-toggle) of the page, which is pydata's own, hidden in this
  // layout; the buttons a reader sees did nothing, at every width. They now press their wired twin.
  [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
    var wired = document.querySelector(selector);
    document.querySelectorAll(selector).forEach(function (button) {
      if (button !== wired) {
        button.addEventListener("click", function (event) { event.preventDefault(); wired.click(); });
      }
    });
  });
  // The book has one colour mode: its charts are drawn for a white page. The theme's switch goes.
  document.querySelectorAll(".theme-switch-button").forEach(function (button) { button.remove(); });
  // WCAG 2.5.3: an accessible name must contain the visible label; the theme's buttons say only "Search".
  document.querySelectorAll(".search-button__button[aria-label]").forEach(function (button) {
    var visible = button.textContent.replace(/\\s+/g, " ").trim();
    if (visible && button.getAttribute("aria-label").indexOf(visible) === -1) {
      button.setAttribute("aria-label", visible);
    }
  });
});
"""
CSS_NAME = "panj.css"
# myst-nb sets every pasted value in bold; in the key judgments, parts of sentences are pasted.
CSS = """.key-judgments span.pasted-text { font-weight: inherit; }
"""
CHART_MARKER = 'class="panj-chart"'


def _execution_status() -> Path | None:
    """The status folder of the build that started this Sphinx and executes the chapters meanwhile."""
    folder = os.environ.get(STATUS_VARIABLE)
    return Path(folder) if folder else None


def _prepare_notebook_cache(app):
    # Runs after myst-nb has resolved the cache folder (priority 500): never reuse outputs
    # computed from other data, whichever command started the build. The book's build prepares
    # the cache itself before it starts Sphinx, and fills it meanwhile.
    if _execution_status() is None:
        prepare_cache(Path(app.env.mystnb_config.execution_cache_path))


def _wait_for_execution(app, docname, source):
    # Before myst-nb reads a chapter from the cache: the build may still be running it.
    status = _execution_status()
    if status is not None and app.env.doc2path(docname).endswith(".ipynb"):
        wait_for(status, Path(docname).name)


def _draw_chart_pngs(app):
    # The PDF's charts, drawn side by side in other processes while Sphinx writes the book (measured:
    # 25 charts take about 9 s of a 2-core machine, the LaTeX writing 4 s of one core).
    if app.builder.format != "latex":
        return
    from panjbook.chart_output import BackgroundDrawing, notebook_specs, png_cache_dir

    executed = sorted(Path(app.env.mystnb_config.execution_cache_path).glob("executed/*/base.ipynb"))
    app.panj_drawing = BackgroundDrawing(notebook_specs(executed), png_cache_dir(app))


def _finish_chart_pngs(app, exception):
    drawing = getattr(app, "panj_drawing", None)
    if drawing is None:
        return
    app.panj_drawing = None
    from panjbook.chart_output import copy_pngs

    try:
        drawn = drawing.wait()
    except Exception:  # noqa: BLE001  (copy_pngs draws whatever is missing again, and raises its error)
        drawn = 0
    if exception is None:
        copy_pngs(app)
    if drawn:
        print(f"[charts] {drawn} PNG(s) drawn for the PDF", flush=True)


def _latexmk_in_xelatex_mode(app, exception):
    # Sphinx's Makefile runs latexmk with -pdf: each of the three XeLaTeX runs then also writes the
    # PDF, embedding every chart's PNG. With -xelatex (which the Makefile's own comment recommends)
    # the runs write only XDV and xdvipdfmx makes the PDF once, from the last: same pages, about
    # 3 s less (measured, 15.3 -> 12.3 s); the PDF differs only in its /ID, which stays the same
    # from build to build.
    if exception is not None or app.builder.format != "latex":
        return
    makefile = Path(app.outdir) / "Makefile"
    if makefile.exists():
        text = makefile.read_text(encoding="utf-8")
        makefile.write_text(text.replace("\nLATEXMKOPTS ?=\n", "\nLATEXMKOPTS ?= -xelatex\n"), encoding="utf-8")


# What the extension reads from data/ for the pages: the bibliography, the edition and the licence.
PAGE_DATA = ("datapackage.json", "editions.csv", "sources.csv")


def _page_inputs(app, env) -> dict:
    """What each page was built from: a chapter, its execution (package and libraries, code, the data
    files it read); a Markdown page, the package and libraries, the data files the extension reads
    for pages and, when it pastes from the chapters, their executions."""
    cache_dir = Path(app.env.mystnb_config.execution_cache_path)
    manifest = {Path(path).resolve(): entry for path, entry in read_manifest(cache_dir).items()}
    stamp = cache_dir / STAMP_NAME
    shared = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else ""
    current = {}
    markdown = []
    for doc in env.found_docs:
        path = Path(env.doc2path(doc)).resolve()
        if path.suffix == ".ipynb":
            entry = manifest.get(path)
            current[doc] = (shared, entry["key"], entry["inputs"]) if entry else (shared, None, reads_digest(None))
        else:
            markdown.append((doc, path))
    notebooks = tuple(sorted(current.values(), key=repr))
    page_data = reads_digest(list(PAGE_DATA))
    for doc, path in markdown:
        pastes = "{glue" in path.read_text(encoding="utf-8")
        current[doc] = (shared, page_data, notebooks if pastes else ())
    return current


def _mark_pages_outdated(app, env, added, changed, removed):
    # myst-nb re-reads a notebook only when its own text changed. Re-read it also when its
    # execution in the cache changed, and re-read the Markdown pages whenever any of that changed.
    if set(added) >= set(env.found_docs):
        return []  # a new environment: Sphinx reads every page anyway (inputs recorded at env-updated)
    previous = getattr(env, "panj_inputs", {})
    status = _execution_status()
    if status is not None:
        wait_for(status, ALL_SETTLED)
    current = _page_inputs(app, env)
    return sorted(doc for doc in env.found_docs if doc not in changed and previous.get(doc) != current[doc])


def _record_page_inputs(app, env):
    # After reading, when every chapter is settled: what the next build compares against.
    status = _execution_status()
    if status is not None:
        wait_for(status, ALL_SETTLED)
    env.panj_inputs = _page_inputs(app, env)


GENERATED_PAGES = {
    "search": "Search the text of Across the Panj, a sourced and executable report on Tajikistan and the Taliban after 2021.",
    "genindex": "Index of the terms of Across the Panj, a sourced and executable report on Tajikistan and the Taliban after 2021.",
}


def _describe_generated_pages(app, pagename, templatename, context, doctree):
    # sphinxext-opengraph describes the pages made from a document; Sphinx's own search and index
    # pages have none, so they get a fixed description and the same tags here.
    if doctree is not None or pagename not in GENERATED_PAGES:
        return
    from html import escape

    text = escape(GENERATED_PAGES[pagename], quote=True)
    title = escape(f"{context.get('title') or pagename} - {app.config.project}", quote=True)
    tags = [f'<meta name="description" content="{text}" />', f'<meta property="og:title" content="{title}" />',
            f'<meta property="og:type" content="{app.config.ogp_type}" />', f'<meta property="og:description" content="{text}" />']
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


def _add_bundle_to_chart_pages(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    # The citation entries carry role="doc-biblioentry", which a role="list" may not contain.
    body = context["body"] = body.replace('<div role="list" class="citation-list">', '<div class="citation-list">')
    if CHART_MARKER in body:
        from panjbook.web import CHART_JS_NAME

        scripts = "".join(f'<script type="text/javascript" src="{context["pathto"]("_static/" + name, 1)}"></script>\n'
                          for name in (BUNDLE_NAME, CHART_JS_NAME))
        context["body"] = scripts + body


def _write_static_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / BUNDLE_NAME
    # Making the bundle takes seconds: a rebuild keeps the one whose stamp still matches, and a
    # cold build copies the one panjbook.build made while the chapters executed.
    if not is_current(bundle):
        status = _execution_status()
        if status is not None:
            wait_for(status, BUNDLE_READY)  # the build makes it meanwhile, in a process of its own
        cached = bundle_cache(out.parent)
        ensure_bundle(cached)
        shutil.copyfile(cached, bundle)
    (static / A11Y_NAME).write_text(A11Y_SCRIPT, encoding="utf-8")
    (static / CSS_NAME).write_text(CSS, encoding="utf-8")


def _write_data_zip(app, exception):
    # One download of the data for readers, next to the PDF at the site's root.
    if exception is not None or app.builder.format != "html":
        return
    import os

    from panjbook.codebook import DATA_ZIP_NAME, write_data_zip

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    write_data_zip(Path(app.outdir) / DATA_ZIP_NAME, DATA_DIR, int(epoch) if epoch else None)


def _break_points_are_no_characters(app, doctree, docname):
    # The codebook marks where a long identifier may break with a zero-width space: a character
    # that copying carries into the reader's clipboard. Each becomes a break point of the builder's
    # own, which is no character: <wbr> in HTML, zero-width glue in LaTeX.
    from docutils import nodes

    from panjbook.codebook import BREAK_POINT

    mark = {"html": "<wbr>", "latex": r"\hspace{0pt}"}.get(app.builder.format)
    for text in list(doctree.findall(nodes.Text)):
        if BREAK_POINT not in text or isinstance(text.parent, (nodes.literal, nodes.literal_block, nodes.raw)):
            continue
        pieces = str(text).split(BREAK_POINT)
        replacement = [nodes.Text(pieces[0])]
        for piece in pieces[1:]:
            if mark:
                replacement.append(nodes.raw("", mark, format=app.builder.format))
            replacement.append(nodes.Text(piece))
        text.parent.replace(text, replacement)


def _write_bibliography(app, config):
    bibliography.write()


def _register_pybtex_plugins():
    """The book's citation plugins, through pybtex's and sphinxcontrib-bibtex's own registries:

    - the plain-text backend, registered for speed alone: sphinxcontrib-bibtex looks it up once per
      citation, each lookup scanning every installed entry point (about 8 ms; 3 s for the book's citations);
    - the book's entry style "panj" (``_panj_style``), and its short form "panj-tooltip" for the
      hover of each citation: outlet, date, title, relay, grade and standing, without the address,
      kind and note that the References page gives (the long form made every citation 400 bytes);
    - the book's reference style "panj" (``_panj_reference_style``): "(Reuters 2021; TASS 2021a)".
    """
    import pybtex.backends.plaintext
    import pybtex.plugin
    import sphinxcontrib.bibtex.plugin

    pybtex.plugin.register_plugin("pybtex.backends", "plaintext", pybtex.backends.plaintext.Backend, force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "panj", _panj_style(), force=True)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "panj-tooltip", _panj_style(tooltip=True), force=True)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "panj", _panj_reference_style(), force=True
    )


class _FormattedEntries:
    """Formatted bibliography entries, kept in the build's doctree folder between builds, keyed by the
    form, the label and the entry's content; valid only for the code that formats them (this module,
    panjbook.bibliography, pybtex and sphinxcontrib-bibtex)."""

    NAME = "panj-formatted-entries.pickle"

    @staticmethod
    def formatting_stamp() -> str:
        import hashlib
        from importlib.metadata import version

        digest = hashlib.sha256(f"{version('pybtex')} {version('sphinxcontrib-bibtex')}".encode())
        for path in (Path(__file__), Path(bibliography.__file__)):
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def __init__(self):
        self.entries: dict = {}
        self.stamp = ""
        self.loaded = 0

    def load(self, app) -> None:
        import pickle

        self.stamp = self.formatting_stamp()
        self.entries = {}
        try:
            stamp, entries = pickle.loads((Path(app.doctreedir) / self.NAME).read_bytes())
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            stamp, entries = None, {}
        if self.stamp and stamp == self.stamp:
            self.entries = entries
        self.loaded = len(self.entries)

    def save(self, app, exception) -> None:
        import pickle

        if exception is not None or not self.stamp or len(self.entries) == self.loaded:
            return
        path = Path(app.doctreedir) / self.NAME
        partial = path.with_suffix(".part")
        partial.write_bytes(pickle.dumps((self.stamp, self.entries), protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)


FORMATTED_ENTRIES = _FormattedEntries()


def _entry_digest(entry) -> str:
    """A digest of everything an entry's formatting reads: its key, fields and persons."""
    import hashlib

    persons = sorted((role, tuple(str(person) for person in people)) for role, people in entry.persons.items())
    return hashlib.sha256(repr((entry.key, sorted(entry.fields.items()), persons)).encode()).hexdigest()


def _panj_style(tooltip: bool = False):
    """The pybtex style of the References page and, with ``tooltip``, the short one of each citation's hover.

    Labels and order come from the .bib file (``shorthand`` and ``sortkey``, made by
    panjbook.bibliography for all sources at once, so that they never depend on which entries a
    list holds). An entry reads: outlet (with its authors), date or "undated", title, address,
    "Read via" the relay, the grade with its meaning and the standing, the kind, the reader's note.
    Each entry is formatted once per form (list, tooltip) and kept between builds (FORMATTED_ENTRIES):
    sphinxcontrib-bibtex formats every entry again at every build, about 0.4 s of a rebuild.
    """
    import re

    from pybtex.richtext import Text
    from pybtex.style.formatting import BaseStyle, toplevel
    from pybtex.style.labels import BaseLabelStyle
    from pybtex.style.sorting import BaseSortingStyle
    from pybtex.style.template import FieldIsMissing, first_of, href, join, names, node, optional, sentence

    class Labels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                yield str(Text.from_latex(entry.fields["shorthand"]))

    class Sorting(BaseSortingStyle):
        def sorting_key(self, entry):
            return entry.fields["sortkey"]

        def sort(self, entries):
            return sorted(entries, key=self.sorting_key)

    latex = re.compile(r"[\\{}$~^%&#_]|--|``|''")

    @node
    def field(children, data, name, raw=False):
        # pybtex's field(), with plain text taken as it is: parsing every field as LaTeX took
        # most of the time of formatting the entries (latexcodec), and few fields hold any.
        try:
            value = data["entry"].fields[name]
        except KeyError:
            raise FieldIsMissing(name, data["entry"]) from None
        return value if raw else Text.from_latex(value) if latex.search(value) else Text(value)

    @node
    def published(children, data):
        return Text(bibliography.date_text(data["entry"].fields.get("date")))

    @node
    def grade(children, data):
        letter = data["entry"].fields["grade"]
        return Text(f"Grade {letter} ({bibliography.GRADE_MEANINGS[letter]})")

    url = field("url", raw=True)
    outlet = sentence(sep=", by ")[field("publisher"), optional[names("author", sep=", ", sep2=" and ", last_sep=", and ")]]
    relay = optional[sentence[join["Read via ", field("readvia")]]]
    if tooltip:
        template = toplevel[outlet, sentence[published], sentence[field("title")], relay, sentence[grade, field("standing")]]
    else:
        template = toplevel[
            outlet,
            sentence[published],
            sentence[field("title")],
            sentence[first_of[optional[href(url)[url]], optional[field("addendum")]]],
            relay,
            sentence[grade, field("standing")],
            sentence[join["Kind: ", field("kind")]],
            optional[sentence(capfirst=True)[field("note")]],
        ]

    class Style(BaseStyle):
        default_label_style = Labels
        default_sorting_style = Sorting

        def get_misc_template(self, entry):
            return template

        def format_entry(self, label, entry, bib_data=None):
            key = (tooltip, label, _entry_digest(entry))
            if key not in FORMATTED_ENTRIES.entries:
                FORMATTED_ENTRIES.entries[key] = super().format_entry(label, entry, bib_data=bib_data)
            return FORMATTED_ENTRIES.entries[key]

    return Style


def _panj_reference_style():
    """sphinxcontrib-bibtex's label style with round brackets and "; " between sources."""
    from dataclasses import dataclass, field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

    def brackets():
        return BracketStyle(left="(", right=")", sep="; ")

    @dataclass
    class ReferenceStyle(LabelReferenceStyle):
        bracket_parenthetical: BracketStyle = field(default_factory=brackets)
        bracket_textual: BracketStyle = field(default_factory=brackets)
        bracket_label: BracketStyle = field(default_factory=brackets)

    return ReferenceStyle


# In a table cell, a citation label may break inside a long word: a narrow "Source" column cannot
# hold "(Jobs4Pakistan" or "(China.org.cn" whole, and TeX neither hyphenates a word holding a digit
# or a dot nor one that opens a cell. A run of letters this long may break with a hyphen between its
# letters (two at least on either side); a word may break without one after a dot or a digit that
# three letters follow (not in "2021ab" or "n.d.").
_LABEL_RUN_BREAKABLE = 5
_LABEL_RUN_SIDE = 2
HYPHEN, PLAIN = "hyphen", "plain"


def label_break_points(text: str) -> list[tuple[str, str]]:
    """The label cut where a line may break inside a word: pieces, each with the break that follows
    it (HYPHEN, PLAIN, or "" for the last). "Jobs4Pakistan" -> [("Jobs4", PLAIN), ("Pa", HYPHEN),
    ("k", HYPHEN), ...]. TeX takes such a break only where a line needs it."""
    import re

    cuts: dict[int, str] = {}
    for run in re.finditer(r"[^\W\d_]+", text):
        if len(run.group()) >= _LABEL_RUN_BREAKABLE:
            for cut in range(run.start() + _LABEL_RUN_SIDE, run.end() - _LABEL_RUN_SIDE + 1):
                cuts[cut] = HYPHEN
    for match in re.finditer(r"[.\d](?=[^\W\d_]{3})", text):
        if match.start() > 0 and not text[match.start() - 1].isspace():
            cuts[match.end()] = PLAIN
    bounds = sorted(cuts)
    return [(text[a:b], cuts.get(b, "")) for a, b in zip([0, *bounds], [*bounds, len(text)])]


def _break_long_labels_in_tables(app, doctree, docname):
    # PDF only: in a table cell, a citation label may break inside a long word (see above).
    if app.builder.format != "latex":
        return
    from docutils import nodes

    marks = {HYPHEN: r"\-", PLAIN: r"\allowbreak{}"}
    for citation in doctree.findall(nodes.inline):
        if "bibtex-citation" not in citation["classes"]:
            continue
        if not any(isinstance(parent, nodes.entry) for parent in _ancestors(citation)):
            continue
        for text in list(citation.findall(nodes.Text)):
            pieces = label_break_points(str(text))
            if len(pieces) == 1:
                continue
            replacement = []
            for piece, mark in pieces:
                replacement.append(nodes.Text(piece))
                if mark:
                    replacement.append(nodes.raw("", marks[mark], format="latex"))
            text.parent.replace(text, replacement)


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def check_book_root(book_dir: Path) -> None:
    """Refuse to build a book whose root is not the one panjbook reads its data from: a second
    clone built from inside the first would otherwise show the first clone's data."""
    from sphinx.errors import ConfigError

    from panjbook import paths

    book_dir = Path(book_dir).resolve()
    if book_dir != paths.ROOT:
        raise ConfigError(
            f"Sphinx is building the book in {book_dir}, but panjbook reads its data from {paths.ROOT} "
            f"(found by {paths.ROOT_FOUND_BY}). Run the build from {book_dir}, or set "
            f"{paths.ROOT_VARIABLE}={book_dir}."
        )


def _refuse_another_book(app, config):
    # Sphinx's configuration folder is the folder of _config.yml, the root of the book being built.
    check_book_root(Path(app.confdir or app.srcdir))


def _tables_break_across_pages(app, doctree, docname):
    # A tabular cannot break across pages: a table taller than a page ran past its foot and lost
    # rows (Overfull \vbox). In the PDF every table is a longtable, its header repeated on each page.
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for table in doctree.findall(nodes.table):
        if "longtable" not in table["classes"]:
            table["classes"].append("longtable")


def _lone_list_markers_stay_text(app, doctree):
    # A table cell whose whole text is "-", "+" or "*" is read by MyST as a list with one empty
    # item: the cell then shows an empty bullet, or nothing, where the table meant a sign. Tables
    # written by panjbook.text.list_table escape such cells; this puts the marker back as text in
    # any other table (on both builders, since it runs on the doctree as read).
    from docutils import nodes

    for entry in list(doctree.findall(nodes.entry)):
        if len(entry.children) != 1 or not isinstance(entry[0], nodes.bullet_list):
            continue
        items = entry[0].children
        if len(items) == 1 and not items[0].astext().strip():
            entry[0].replace_self(nodes.paragraph("", entry[0].get("bullet", "-")))


UCHARCLASSES = r"\usepackage[Latin,Greek]{ucharclasses}"


def _standard_latex_class(app, config):
    # Runs after sphinx-jupyterbook-latex's own config-inited handler (priority 500).
    config["latex_theme"] = "manual"
    # That extension also loads ucharclasses, which hooks every character to switch fonts by script
    # and slows each XeLaTeX run by about a third (6.6 s -> 4.8 s here); the book switches fonts
    # for Arabic script and Devanagari itself (panjbook.latex_text).
    elements = config["latex_elements"]
    elements["preamble"] = elements.get("preamble", "").replace(UCHARCLASSES, "")


# --- the edition, the addresses and the front matter ------------------------------------

def _latex_escape(text: str) -> str:
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(table.get(char, char) for char in text)


def _latex_url(address: str) -> str:
    return r"\url{" + address.replace("\\", "/").replace("%", r"\%").replace("#", r"\#").replace("{", "").replace("}", "") + "}"


def latex_front_matter() -> str:
    """Preamble lines: the edition under the title on the title page, and the colophon on its back."""
    from panjbook import edition

    current = edition.current()
    lines = []
    for text, address in edition.colophon_lines():
        lines.append(r"\noindent " + _latex_escape(text) + (_latex_url(address) if address else "") + r"\par\smallskip")
    before, title, after = edition.citation_text()
    lines.append(r"\noindent How to cite: " + _latex_escape(before) + r"\emph{" + _latex_escape(title) + "}"
                 + _latex_escape(after) + r"\par")
    return "\n".join([
        "% The edition and the colophon, from data/editions.csv and _config.yml (panjbook.edition).",
        r"\setreleaseinfo{" + _latex_escape(edition.edition_line(current)) + "}",
        r"\newcommand{\sphinxbackoftitlepage}{%",
        r"\thispagestyle{empty}\vspace*{\fill}{\small",
        r"\noindent\textbf{Colophon}\par\medskip",
        *lines,
        r"}\clearpage}",
    ])


def _edition_config(app, config):
    # After jupyter-book has turned _config.yml into Sphinx's configuration.
    from panjbook import edition

    config["latex_elements"]["preamble"] = config["latex_elements"].get("preamble", "") + "\n" + latex_front_matter() + "\n"
    online = edition.addresses().online
    if online and not config["ogp_site_url"]:
        config["ogp_site_url"] = online  # set only when _config.yml sets html.baseurl; never guessed


def _edition_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{panj-edition}`line` -> 'Edition 2 (version 2.0.0), data as of 12 January 2026';
    also `version`, `number`, `released`, `data_as_of`."""
    from docutils import nodes

    from panjbook import edition

    current = edition.current()
    values = {"line": edition.edition_line(current), "version": current.version, "number": str(current.number),
              "released": edition.day(current.released), "data_as_of": edition.day(current.data_as_of)}
    if text not in values:
        message = inliner.reporter.error(f"panj-edition: unknown field '{text}' (known: {', '.join(values)})", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    return [nodes.inline(rawtext, values[text], classes=["panj-edition"])], []


def _address_paragraph(text: str, address: str | None):
    from docutils import nodes

    paragraph = nodes.paragraph()
    paragraph += nodes.Text(text)
    if address:
        paragraph += nodes.reference(address, address, refuri=address)
    return paragraph


def _directives():
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    from panjbook import edition

    class Citation(SphinxDirective):
        """How to cite the current edition: the fields of CITATION.cff."""

        def run(self):
            self.env.note_dependency(str(edition.DATA_DIR / "editions.csv"))
            before, title, after = edition.citation_text()
            paragraph = nodes.paragraph(classes=["panj-citation"])
            paragraph += [nodes.Text(before), nodes.emphasis(title, title), nodes.Text(after)]
            return [paragraph]

    class Colophon(SphinxDirective):
        """The edition, the published addresses (only those set in _config.yml) and the licence."""

        def run(self):
            self.env.note_dependency(str(edition.DATA_DIR / "editions.csv"))
            container = nodes.container(classes=["panj-colophon"])
            container += [_address_paragraph(text, address) for text, address in edition.colophon_lines()]
            return [container]

    return Citation, Colophon


WEB_ONLY = "tag_web-only"


def _leave_web_only_cells_out_of_the_pdf(app, doctree, docname):
    # A notebook cell tagged 'web-only' is left out of the PDF: Data and methods' codebook, a table
    # per dataset (some twenty pages), which the page points to in print instead.
    if app.builder.format != "latex":
        return
    from docutils import nodes

    for cell in list(doctree.findall(nodes.container)):
        if WEB_ONLY in cell.get("classes", []) and cell.parent is not None:
            cell.parent.remove(cell)


PDF_LEAVES_OUT = {"Contents", "Colophon"}  # the PDF has its own contents, and its colophon after the title page


def _front_matter_transform():
    from docutils import nodes
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class FrontMatterHeadings(SphinxPostTransform):
        """The PDF: the front page's text under a contents entry 'Introduction', each of its sections
        ('Key findings', ...) a section of that entry; the sections in PDF_LEAVES_OUT left out.
        After sphinx-jupyterbook-latex's transform (700), which turns those headings into RootHeader
        nodes with no contents entry, and before its list of contents is made (999)."""

        default_priority = 800
        formats = ("latex",)

        def run(self, **kwargs):
            try:
                from sphinx_jupyterbook_latex.nodes import RootHeader
            except ImportError:
                return
            if self.app.project.path2doc(self.document["source"]) != self.config.root_doc:
                return
            headers = list(self.document.findall(RootHeader))
            if not headers:
                return
            section = headers[0].parent
            start = 1 if section.children and isinstance(section.children[0], nodes.title) else 0
            section.insert(start, nodes.raw("", r"\chapter*{Introduction}\addcontentsline{toc}{chapter}{Introduction}"
                                               r"\markboth{Introduction}{Introduction}" + "\n", format="latex"))
            for header in headers:
                title = header.astext().strip()
                if title in PDF_LEAVES_OUT:
                    parent = header.parent
                    index = parent.index(header)
                    following = parent.children[index + 1:]
                    end = next((i for i, child in enumerate(following) if isinstance(child, RootHeader)), len(following))
                    for child in [header, *following[:end]]:
                        if isinstance(child, nodes.compound) and "toctree-wrapper" in child.get("classes", []):
                            continue  # the parts of the book
                        parent.remove(child)
                    continue
                latex = _latex_escape(title)
                header.replace_self(nodes.raw("", rf"\section*{{{latex}}}\addcontentsline{{toc}}{{section}}{{{latex}}}" + "\n",
                                              format="latex"))

    return FrontMatterHeadings


class _DoctreesReadOnce:
    """A build environment whose ``get_doctree`` unpickles each page at most once, for look-ups that
    only read the tree; everything else is the environment's own."""

    def __init__(self, env, trees: dict):
        self._env, self._trees = env, trees

    def get_doctree(self, docname: str):
        if docname not in self._trees:
            self._trees[docname] = self._env.get_doctree(docname)
        return self._trees[docname]

    def __getattr__(self, name: str):
        return getattr(self._env, name)


def _standard_domain_reading_each_page_once():
    from sphinx.domains.std import StandardDomain

    class StandardDomainReadingEachPageOnce(StandardDomain):
        # Sphinx's standard domain unpickles a page's whole doctree for every {numref} to it, only to
        # read the target's type, number and title (measured: 60 references, about 1 s of a build).
        # Here a page is unpickled once per build for these look-ups; pages are not re-read after
        # the reading phase, and the cache is emptied when it ends. Output is unchanged.
        def __init__(self, env):
            super().__init__(env)
            self.numref_trees: dict = {}

        def _resolve_numref_xref(self, env, *args):
            return super()._resolve_numref_xref(_DoctreesReadOnce(env, self.numref_trees), *args)

    return StandardDomainReadingEachPageOnce


def _forget_numref_trees(app, env):
    trees = getattr(env.get_domain("std"), "numref_trees", None)
    if trees is not None:
        trees.clear()


def _collect_garbage_less_often() -> None:
    # A build holds a few hundred thousand long-lived objects (the environment, doctrees of charts'
    # data), which Python's cycle collector otherwise scans again and again: measured, the HTML
    # build then spends about a quarter of its CPU time in it. Objects that exist at set-up stay
    # out of its scans, and it runs after 50,000 allocations instead of 700. Output is unchanged.
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 20, 1000)


def setup(app):
    _collect_garbage_less_often()
    _register_pybtex_plugins()
    app.add_role("panj-edition", _edition_role)
    citation, colophon = _directives()
    app.add_directive("panj-citation", citation)
    app.add_directive("panj-colophon", colophon)
    app.add_post_transform(_front_matter_transform())
    app.connect("config-inited", _edition_config, priority=800)
    app.connect("doctree-resolved", _leave_web_only_cells_out_of_the_pdf)
    app.connect("config-inited", _refuse_another_book, priority=50)  # before anything reads data/
    app.connect("doctree-resolved", _tables_break_across_pages)
    app.connect("doctree-read", _lone_list_markers_stay_text)
    app.add_js_file(A11Y_NAME)
    app.add_css_file(CSS_NAME)
    app.connect("config-inited", _write_bibliography, priority=100)
    app.connect("config-inited", _standard_latex_class, priority=900)
    app.connect("builder-inited", _prepare_notebook_cache, priority=900)
    app.connect("builder-inited", FORMATTED_ENTRIES.load, priority=950)
    app.connect("build-finished", FORMATTED_ENTRIES.save)
    app.connect("builder-inited", _draw_chart_pngs, priority=950)
    app.connect("build-finished", _finish_chart_pngs, priority=100)
    app.connect("build-finished", _latexmk_in_xelatex_mode)
    setup_builders(app)
    app.connect("env-get-outdated", _mark_pages_outdated)
    app.connect("env-updated", _record_page_inputs)
    app.add_domain(_standard_domain_reading_each_page_once(), override=True)
    app.connect("env-updated", _forget_numref_trees)
    app.connect("source-read", _wait_for_execution)
    app.connect("html-page-context", _add_bundle_to_chart_pages)
    app.connect("html-page-context", _describe_generated_pages)
    app.connect("doctree-resolved", wrap_scripts_for_latex)
    app.connect("doctree-resolved", _break_long_labels_in_tables)
    app.connect("build-finished", _write_static_files)
    app.connect("build-finished", _write_data_zip)
    app.connect("doctree-resolved", _break_points_are_no_characters)
    from panjbook import web

    web.setup(app)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}
