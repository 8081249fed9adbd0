"""The book's one Altair renderer.

A chart's stored output is standard notebook data that JupyterLab and VS Code draw natively:
- ``application/vnd.vegalite.v5+json``: the Vega-Lite spec as a JSON object (nbformat writes it
  one value a line, so a changed data value shows on its own line in a diff; the map's geometry
  stays one compact JSON string, which no data row changes). The v5 key, not v6:
  JupyterLab 4 draws v5 outputs, also when the spec's ``$schema`` is Vega-Lite 6, and draws
  nothing for v6;
- ``text/plain``: the title, for readers of plain output.

No PNG and no script are stored: the builders convert the spec (panjbook.chart_output).
"""
from __future__ import annotations

import altair as alt

from panjbook.chart_output import VEGALITE_MIME, chart_title, used_columns_only

RENDERER = "panjbook"
VEGALITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])

def mimebundle(spec: dict, **_metadata) -> dict:
    # Only the columns the chart names are stored: Altair ships every column of the frame.
    return {VEGALITE_MIME: used_columns_only(spec), "text/plain": f"<Chart: {chart_title(spec)}>"}


alt.renderers.register(RENDERER, mimebundle)


def setup() -> None:
    """What every chapter's first cell calls: the house theme and renderer, and warnings as errors,
    so that a deprecation or a silent coercion stops the chapter instead of passing unseen."""
    import warnings

    enable()
    _report_data_reads()
    warnings.simplefilter("error")
    # Pending deprecations are notices about the future (ipykernel emits one at shutdown), not faults.
    warnings.simplefilter("default", PendingDeprecationWarning)


def _report_data_reads() -> None:
    """When the book's executor asks (panjbook.execute), list every file of data/ this kernel opens,
    so that the chapter re-executes only when one of them changes."""
    import os
    import sys
    from pathlib import Path

    from panjbook.execute import READS_VARIABLE
    from panjbook.paths import DATA_DIR

    target = os.environ.get(READS_VARIABLE)
    if not target:
        return
    data_dir = str(DATA_DIR) + os.sep
    seen: set[str] = set()
    busy = []

    def hook(event, args):
        if event != "open" or busy or not isinstance(args[0], (str, os.PathLike)):
            return
        opened = os.path.abspath(os.fspath(args[0]))
        if not opened.startswith(data_dir):
            return
        name = Path(opened).relative_to(DATA_DIR).as_posix()
        if name not in seen:
            seen.add(name)
            busy.append(True)  # writing the list opens a file too
            try:
                with open(target, "a", encoding="utf-8") as handle:
                    handle.write(name + "\n")
            finally:
                busy.pop()

    sys.addaudithook(hook)


def enable() -> None:
    """Make every chart render through the book's renderer (house theme included)."""
    import panjbook.theme  # noqa: F401  (registers and enables the theme)

    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()


def glue(name: str, value) -> None:
    """Glue a chart or a value for the book's prose, and show it where the chapter is re-run.

    A chart is glued as a displayed output: JupyterLab draws the spec and myst-nb pastes the same
    output wherever ``{glue:figure}`` names it. A value is glued as myst-nb's hidden record (so
    ``{glue:text}`` formats it as before) and shown as one line, ``name = value``. Glue only in cells
    tagged ``remove-cell``, so the book shows a glued output where its prose pastes it, not twice.
    """
    from IPython.display import display
    from myst_nb import glue as myst_glue

    if isinstance(value, alt.TopLevelMixin):
        myst_glue(name, value, display=True)
        return
    myst_glue(name, value, display=False)
    shown = getattr(value, "data", value)  # a Markdown object shows its text
    display({"text/markdown": f"`{name}` = {shown}"}, raw=True)


def glue_cite(name: str, citation: str) -> None:
    """Glue generated MyST (a citation from pb.text.cite or pb.cite_events, a judgment) for
    ``{glue:md}`name:myst```, so that prose in Markdown cells prints what the data hold."""
    from IPython.display import Markdown

    glue(name, Markdown(citation))


def glue_events(keys: dict, year: bool = True) -> None:
    """For each ``key: event_id``, glue the event's day as ``<key>_day`` and the citation of its
    sources (with the weak-sources note) as ``<key>_cite``, for prose that names the event."""
    from panjbook.data import cite_events, event_day

    for key, event_id in keys.items():
        glue(f"{key}_day", event_day(event_id, year=year))
        glue_cite(f"{key}_cite", cite_events(event_id, noted=True))


def glue_judgments(chapter: str) -> None:
    """Glue each judgment of a chapter, printed from data/judgments.csv, as ``judgment_<id>``
    (hyphens as underscores), for ``{glue:md}`judgment_<id>:myst``` in its prose."""
    from . import assess

    table = assess.judgments()
    for judgment_id in table.loc[table["chapter"] == chapter, "judgment_id"]:
        glue_cite("judgment_" + judgment_id.replace("-", "_"), assess.judgment_markdown(judgment_id))
