"""What the HTML pages need beyond Sphinx's defaults, and what only they may say.

1. Web-only words: the ``{web}`` role marks a phrase that only makes sense on a screen ("hover
   over a dot for its source"); the HTML shows it, every other builder (the PDF) leaves it out.
   Whole paragraphs use MyST's ``{only} html`` directive, and a sentence that begins "On the web, "
   is left out of the PDF as well.
2. The page's assets: each inline script once (sphinx-thebe and sphinx-togglebutton register
   theirs twice, and a second ``const THEBE_JS_URL`` is a SyntaxError on every page); no
   Font Awesome script (1.5 MB of JavaScript that swaps every icon for an SVG), because the
   theme's stylesheet already draws the same icons from its web font.
3. The charts' own stylesheet and script (:data:`CHART_CSS`, :data:`CHART_JS`): each chart's
   title above a frame that scrolls sideways on a narrow screen, its controls (a Reset button,
   the sliders) ahead of the drawing in the tab order.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes

FONT_AWESOME_SCRIPT = re.compile(r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?')
SEARCH_SCRIPTS = re.compile(r'[ \t]*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)"></script>\n?')
THEME_CSS = Path("_static") / "styles" / "pydata-sphinx-theme.css"
# One icon's rule in the theme's stylesheet: '.fa-bars:before,.fa-navicon:before{content:"\f0c9"}'.
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"[^"]*"\}')
CHART_CSS_NAME = "panj-charts.css"
CHART_JS_NAME = "panj-charts.js"

CHART_CSS = """/* The book's charts (panjbook.web). */
.panj-chart-block { margin: 0 0 0.5rem 0; max-width: 100%; text-align: left; }
.panj-chart-title { font: bold 1rem/1.3 "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #222222; margin: 0 0 0.2rem 0; }
.panj-chart-subtitle { font: 0.8rem/1.35 "Liberation Sans", "DejaVu Sans", Arial, sans-serif; color: #555555; margin: 0 0 0.4rem 0; }
.panj-chart-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 1rem; margin: 0 0 0.4rem 0; font-size: 0.8rem; }
.panj-chart-controls:empty { display: none; }
.panj-chart-reset { font: inherit; padding: 0.15rem 0.6rem; border: 1px solid #5A5A5A; border-radius: 3px; background: #FFFFFF; color: #222222; cursor: pointer; }
.panj-chart-reset:focus-visible, .panj-chart-frame:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.panj-chart-bindings .vega-bind { display: flex; align-items: center; gap: 0.4rem; }
.panj-chart-bindings .vega-bind-name { min-width: 9rem; }
.panj-chart-bindings { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0.1rem 1rem; width: 100%; }
.panj-chart-bindings:empty { display: none; }
/* Wider than the screen: the drawing scrolls inside its frame, the page never does. */
.panj-chart-frame { max-width: 100%; overflow-x: auto; overflow-y: hidden; -webkit-overflow-scrolling: touch; }
.panj-chart-frame > .panj-chart { width: max-content; }
figure:has(.panj-chart-block) { max-width: 100%; }
.bd-article, .bd-article-container { min-width: 0; }
/* A long address or identifier with no break point (the References) widened a phone's page. */
.bd-article { overflow-wrap: break-word; }
"""

CHART_JS = """/* The book's charts (panjbook.web): draw one chart; its Reset button draws it again,
   which clears a legend pick or a brush and puts the sliders back to their starting values. */
window.panjChart = function (id, spec, options) {
  var el = document.getElementById(id);
  var bindings = document.getElementById(id + "-bindings");
  var reset = document.getElementById(id + "-reset");
  if (typeof vegaEmbed === "undefined") {
    el.textContent = "This interactive chart needs the book's Vega bundle, which is loaded on the book's HTML pages.";
    return;
  }
  var current = null;
  function draw() {
    if (bindings) { bindings.textContent = ""; options = Object.assign({}, options, {bind: bindings}); }
    current = vegaEmbed(el, spec, options).then(function (result) {
      // The brush is an input layer, not content: keep it out of the accessibility tree.
      el.querySelectorAll("g[class*='_brush']").forEach(function (g) { g.setAttribute("aria-hidden", "true"); });
      // A tap shows the mark's tooltip: a touch screen's pointer leaves the mark as the finger lifts,
      // which hides a tooltip shown on hover; the click that follows a tap shows it again.
      var view = result.view;
      view.addEventListener("click", function (event, item) {
        if (item && item.tooltip != null && view.tooltip()) { view.tooltip()(view, event, item, item.tooltip); }
      });
      return result;
    }).catch(function (err) {
      el.textContent = "Chart error: " + err;
      console.error(err);
    });
    return current;
  }
  draw();
  if (reset) {
    reset.addEventListener("click", function () {
      current.then(function (result) {
        if (result && result.finalize) { result.finalize(); }
        return draw();
      });
    });
  }
};
"""


class web_only(nodes.inline):  # noqa: N801 (docutils names nodes in lower case)
    """A phrase for screen readers of the HTML only: instructions to hover, click, drag or tap."""


def web_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [web_only(rawtext, text, classes=["panj-web-only"])], []


def _visit_web_html(translator, node):
    translator.body.append(translator.starttag(node, "span", ""))


def _depart_web_html(translator, node):
    translator.body.append("</span>")


def _skip(translator, node):
    raise nodes.SkipNode


ON_THE_WEB = re.compile(r"(?:(?<=^)|(?<=[.!?:;]\s))On the web, [^.!?]*[.!?](?:\s+|$)")


def _web_sentences_stay_on_the_web(app, doctree, docname):
    # A sentence that begins "On the web, " speaks to the screen's reader: every other builder
    # leaves it out, as it leaves out the {web} role.
    if app.builder.format == "html":
        return
    for text in list(doctree.findall(nodes.Text)):
        if "On the web, " in text and not isinstance(text.parent, (nodes.literal, nodes.literal_block, nodes.raw)):
            kept = ON_THE_WEB.sub("", str(text))
            if kept != str(text):
                text.parent.replace(text, nodes.Text(kept.rstrip() if not kept.strip() else kept))


# Assets a page loads only when it uses them: sphinx-design's (cards, tabs) where the page has one,
# sphinx-thebe's never (the book has no live-code buttons: launch_buttons.thebe is false).
_DESIGN_ASSETS = ("sphinx-design", "design-tabs.js")
# A page uses sphinx-design when an element carries one of its sd-* classes; a bare "sd-" in the text
# (an address such as ".../eu-weighs-usd-700-million-...") is no use of it.
_DESIGN_CLASS = re.compile(r'class="[^"]*(?<![\w-])sd-')
_THEBE_ASSETS = ("sphinx-thebe", "THEBE_JS_URL", "thebe_selector")


def _asset_key(asset) -> str:
    return str(getattr(asset, "filename", asset)) + " " + str(getattr(asset, "attributes", {}).get("body", ""))


def uses_sphinx_design(body: str) -> bool:
    """True when the page body has an element with a sphinx-design class (sd-card, sd-tab-set, ...)."""
    return bool(_DESIGN_CLASS.search(body))


def _one_of_each_script(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    unused = _THEBE_ASSETS + (() if uses_sphinx_design(body) else _DESIGN_ASSETS)

    def wanted(asset):
        return not any(marker in _asset_key(asset) for marker in unused)

    scripts = context.get("script_files") or []
    seen, kept = set(), []
    for script in scripts:
        key = _asset_key(script)
        if key not in seen and wanted(script):
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept
    context["css_files"] = [css for css in context.get("css_files") or [] if wanted(css)]


def _no_font_awesome_script(app):
    # The theme's layout loads the script from a macro no context variable reaches: the page is
    # taken as the template renders it. The icons stay: the theme's CSS draws them from its web font.
    if app.builder.format != "html" or not hasattr(app.builder, "templates"):
        return
    templates = app.builder.templates
    render = templates.render

    # The theme loads Sphinx's search index on every page for its search-as-you-type box; with that
    # box switched off, the search page loads the index itself and the other pages need none of it.
    inline_search = bool(getattr(app.builder, "theme_options", {}).get("search_as_you_type")) or \
        bool(app.config.html_theme_options.get("search_as_you_type"))

    def render_without_font_awesome(template, context):
        page = FONT_AWESOME_SCRIPT.sub("", render(template, context))
        if not inline_search and context.get("pagename") != "search":
            page = SEARCH_SCRIPTS.sub("", page)
        return page

    templates.render = render_without_font_awesome


def _write_chart_files(app):
    # Before the pages are written, so that each page's link carries the file's checksum.
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / CHART_CSS_NAME).write_text(CHART_CSS, encoding="utf-8")
    (static / CHART_JS_NAME).write_text(CHART_JS, encoding="utf-8")


def _icons_in_use(outdir: Path) -> set[str]:
    used = set()
    for page in outdir.rglob("*.html"):
        used |= set(re.findall(r"\bfa-[a-z0-9-]+", page.read_text(encoding="utf-8", errors="replace")))
    return used


def _trim_icon_rules(css: str, used: set[str]) -> str:
    """The stylesheet without the rules of icons no page shows (about 1,900 of them, 87 KB)."""
    def keep(match):
        names = re.findall(r"\.(fa-[a-z0-9-]+):", match.group(1))
        return match.group(0) if any(name in used for name in names) else ""
    return ICON_RULE.sub(keep, css)


def _drop_font_awesome_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    css = Path(app.outdir) / THEME_CSS
    if css.exists():
        css.write_text(_trim_icon_rules(css.read_text(encoding="utf-8"), _icons_in_use(Path(app.outdir))), encoding="utf-8")
    static = Path(app.outdir) / "_static"
    for name in ("fontawesome.js", "fontawesome.js.map", "fontawesome.js.LICENSE.txt"):
        (static / "scripts" / name).unlink(missing_ok=True)


def setup(app):
    app.add_node(web_only, html=(_visit_web_html, _depart_web_html), latex=(_skip, None), text=(_skip, None),
                 man=(_skip, None), texinfo=(_skip, None))
    app.add_role("web", web_role)
    app.add_css_file(CHART_CSS_NAME)
    app.connect("html-page-context", _one_of_each_script, priority=900)  # after every handler that adds one
    app.connect("doctree-resolved", _web_sentences_stay_on_the_web)
    app.connect("builder-inited", _no_font_awesome_script)
    app.connect("builder-inited", _write_chart_files)
    app.connect("build-finished", _drop_font_awesome_files)
