"""Sphinx extension of the book.

1. Charts draw offline: at the end of an HTML build, vl-convert's bundle of Vega, Vega-Lite
   and Vega-Embed is written once into ``_static/``, and only pages that hold a chart load it.
2. A change in ``data/`` or in this package re-reads (so re-executes) every notebook, because
   myst-nb's own caching looks only at the notebooks' code.
3. The bibliography is written from data/sources.csv before Sphinx reads it, so the
   References page can never drift from the data.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import vl_convert

from panjbook import bibliography
from panjbook.paths import DATA_DIR, PACKAGE_DIR, ROOT
from panjbook.render import VEGALITE_VERSION

BUNDLE_NAME = "panj-vega.js"
CHART_MARKER = 'class="panj-chart"'


def bundle_stamp() -> str:
    """First line of the bundle: the versions it was made from (regenerated when they change)."""
    return f"/* Vega bundle for the book: vl-convert {vl_convert.__version__}, Vega-Lite {VEGALITE_VERSION} */\n"


def vega_bundle() -> str:
    # Wrapped in a function so the bundle's top-level names stay out of the page's scope;
    # vl-convert's default snippet puts vegaEmbed, vegaLite and vega on window.
    code = vl_convert.javascript_bundle(vl_version=VEGALITE_VERSION)
    return bundle_stamp() + "(function () {\n" + code + "\n})();\n"


def _first_line(path: Path) -> str:
    if not path.exists():
        return ""
    with open(path, encoding="utf-8") as handle:
        return handle.readline()


def inputs_fingerprint() -> str:
    """A hash of everything that notebooks read besides their own code."""
    digest = hashlib.sha256()
    for folder in (DATA_DIR, PACKAGE_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _mark_notebooks_outdated(app, env, added, changed, removed):
    fingerprint = inputs_fingerprint()
    if getattr(env, "panj_inputs_fingerprint", None) == fingerprint:
        return []
    env.panj_inputs_fingerprint = fingerprint
    return sorted(doc for doc in env.found_docs if str(env.doc2path(doc)).endswith(".ipynb") and doc not in changed)


def _add_bundle_to_chart_pages(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if CHART_MARKER in body:
        src = context["pathto"]("_static/" + BUNDLE_NAME, 1)
        context["body"] = f'<script type="text/javascript" src="{src}"></script>\n' + body


def _write_static_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    static = out / "_static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = static / BUNDLE_NAME
    # Making the bundle takes seconds; a warm rebuild keeps the one whose stamp still matches.
    if _first_line(bundle) != bundle_stamp():
        bundle.write_text(vega_bundle(), encoding="utf-8")


def _write_bibliography(app, config):
    bibliography.write()


def _standard_latex_class(app, config):
    # Runs after sphinx-jupyterbook-latex's own config-inited handler (priority 500).
    config["latex_theme"] = "manual"


def setup(app):
    app.connect("config-inited", _write_bibliography, priority=100)
    app.connect("config-inited", _standard_latex_class, priority=900)
    app.connect("env-get-outdated", _mark_notebooks_outdated)
    app.connect("html-page-context", _add_bundle_to_chart_pages)
    app.connect("build-finished", _write_static_files)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
