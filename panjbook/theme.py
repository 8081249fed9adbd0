"""The house chart theme: one font list, left-aligned titles with the source in the subtitle,
y-grid only, Okabe-Ito colours, and one colour per actor in every chapter."""
from __future__ import annotations

import re
import textwrap

import altair as alt

# A list, never one name: a font that is not installed makes text vanish in vl-convert's PNGs.
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
WIDTH = 560  # the chart body; with axis labels it fits the HTML column (about 650 px)
HEIGHT = 300

# Okabe and Ito's colour-blind-safe palette, in their order. Sky blue is darkened from their
# #56B4E9 (2.31:1 on white) to 3.2:1, because it also draws lines (rivers, ranges), which no
# outline can help (WCAG 1.4.11 asks 3:1 of graphics); darker, orange and yellow would merge
# with vermillion and olive for colour-blind readers, so they stay and are drawn only as fills
# of outlined marks (FILL_ONLY_COLOURS, MARK_OUTLINE).
OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#4797C5",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#8C8C8C"
DARK_GREY = "#5A5A5A"
LIGHT_GREY = "#D9D9D9"
INK = "#222222"

# Colours under 3:1 on white, allowed only as the fill of a mark that the theme outlines.
FILL_ONLY_COLOURS = {OKABE_ITO["orange"], OKABE_ITO["yellow"], LIGHT_GREY}
# The outline of filled marks (6.9:1 on white), so that each has a 3:1 edge whatever its fill.
MARK_OUTLINE = {"stroke": DARK_GREY, "strokeWidth": 1}

# One colour per actor across the book. Eight distinct colours cannot serve more actors than
# that, so the minor actors share grey and are labelled directly where they appear.
ACTOR_COLOURS = {
    "tajikistan": OKABE_ITO["blue"],
    "taliban": OKABE_ITO["vermillion"],
    "afghanistan": OKABE_ITO["vermillion"],
    "russia": OKABE_ITO["black"],
    "csto": DARK_GREY,  # Russia's bloc: a dark grey beside Russia's black
    "china": OKABE_ITO["orange"],
    "pakistan": OKABE_ITO["bluish green"],
    "iran": OKABE_ITO["reddish purple"],
    "uzbekistan": OKABE_ITO["sky blue"],
    "turkmenistan": OKABE_ITO["yellow"],
}
OTHER_ACTOR_COLOUR = GREY

# One colour per event type, in the order of the events table's codebook.
EVENT_TYPES = ["statement", "diplomatic", "military deployment", "exercise", "award", "aid", "incident or clash", "legal or listing"]
EVENT_TYPE_COLOURS = [OKABE_ITO["sky blue"], OKABE_ITO["bluish green"], OKABE_ITO["vermillion"], OKABE_ITO["orange"],
                      OKABE_ITO["yellow"], OKABE_ITO["reddish purple"], OKABE_ITO["black"], GREY]


def event_type_scale() -> alt.Scale:
    return alt.Scale(domain=EVENT_TYPES, range=EVENT_TYPE_COLOURS)


def actor_colour(actor_id: str) -> str:
    return ACTOR_COLOURS.get(actor_id, OTHER_ACTOR_COLOUR)


def actor_colour_scale(actor_ids) -> alt.Scale:
    """A colour scale that gives each actor id its house colour."""
    domain = list(dict.fromkeys(actor_ids))
    return alt.Scale(domain=domain, range=[actor_colour(a) for a in domain])


SUBTITLE_CHARACTERS = 95  # about the chart width at the subtitle's font size
TITLE_CHARACTERS = 64  # about the chart width at the title's font size (bold, 16 px)
# Text of a chart prints at least this size in the PDF, where every chart is set at the text width.
PDF_TEXT_WIDTH_PT = 450
MIN_PRINT_PT = 7.0
TOOLTIP_PROMISE = "each mark's source is in its tooltip; all are under References"
REFERENCES_PROMISE = "all are under References"
# Marks that annotate (labels, rules, the base map) rather than stand for a sourced datum.
ANNOTATION_MARKS = {"text", "rule", "geoshape"}


def lines(text: str, width: int) -> list[str]:
    """Text wrapped into lines at spaces, never inside a word (nor at a word's own hyphen)."""
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False) if text else []


def max_print_width(font_px: float) -> float:
    """The widest chart (CSS px) whose text of ``font_px`` still prints at MIN_PRINT_PT in the PDF."""
    return font_px * PDF_TEXT_WIDTH_PT / MIN_PRINT_PT


def _tooltip_layers(spec):
    """(mark type, tooltip) of every view in a chart's spec that has a tooltip."""
    if isinstance(spec, dict):
        if "mark" in spec and isinstance(spec.get("encoding"), dict) and spec["encoding"].get("tooltip") is not None:
            mark = spec["mark"]["type"] if isinstance(spec["mark"], dict) else spec["mark"]
            tooltip = spec["encoding"]["tooltip"]
            yield mark, tooltip if isinstance(tooltip, list) else [tooltip]
        for value in spec.values():
            yield from _tooltip_layers(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _tooltip_layers(item)


def tooltips_name_sources(spec: dict) -> bool:
    """Whether every mark that stands for a datum names its source in its tooltip (a field titled
    'Source' or 'Sources'); annotations (text, rules, shaded periods) aside."""
    def names_source(item):
        return isinstance(item, dict) and bool(re.search(r"\bsources?\b", str(item.get("title") or item.get("field") or ""), re.I))
    layers = [(mark, tooltip) for mark, tooltip in _tooltip_layers(spec) if mark not in ANNOTATION_MARKS]
    return bool(layers) and all(any(names_source(item) for item in tooltip) for _, tooltip in layers)


def titled(chart, title: str, subtitle: str, source: str, source_ids: list[str] | None = None):
    """Set the finding as title (wrapped, never cut); the unit or scope, then 'Source: ...', as
    wrapped subtitle lines. When the source line names only the most cited publishers, it says where
    the rest are: in each mark's tooltip only if every mark's tooltip names its source. The spec
    keeps, in ``usermeta.panj``, what the builders need: the texts unwrapped, the ids of every
    source (``source`` from panjbook.data.source_line carries them; or give ``source_ids``), and
    the line the PDF prints, which lists them all under the chart (panjbook.chart_output)."""
    if not title or not source:
        raise ValueError("every chart needs a title that states the finding and a source line")
    ids = list(source_ids or getattr(source, "source_ids", []) or [])
    source_text = str(source)
    print_source = source_text
    if getattr(source, "omitted", 0):
        promise = TOOLTIP_PROMISE if tooltips_name_sources(chart.to_dict(validate=False)) else REFERENCES_PROMISE
        source_text = f"{source.head} ({promise})"
        print_source = f"{source.head} (all are listed under the chart)"
    title_lines = lines(title, TITLE_CHARACTERS)
    meta = {"title": title, "subtitle": subtitle or "", "source": source_text, "print_source": print_source}
    if ids:
        meta["source_ids"] = ids
    return chart.properties(
        title=alt.Title(text=title_lines if len(title_lines) > 1 else title,
                        subtitle=lines(subtitle, SUBTITLE_CHARACTERS) + lines(source_text, SUBTITLE_CHARACTERS)),
        usermeta={"panj": meta})


@alt.theme.register("panjbook", enable=True)
def panjbook_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"continuousWidth": WIDTH, "continuousHeight": HEIGHT, "stroke": None},
            "background": "#FFFFFF",
            "padding": {"left": 5, "right": 15, "top": 5, "bottom": 5},
            "title": {
                "anchor": "start", "fontSize": 16, "fontWeight": "bold", "color": INK,
                "subtitleFontSize": 12, "subtitleColor": "#555555", "subtitlePadding": 4,
                "offset": 12, "limit": WIDTH + 60,
            },
            "axis": {
                "labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
                "labelColor": INK, "titleColor": INK, "tickColor": GREY,
                "domain": False, "grid": False,
            },
            "axisY": {"grid": True, "gridColor": "#E5E5E5"},
            "axisX": {"domain": True, "domainColor": GREY},
            "axisBand": {"grid": False},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "top", "titleFontWeight": "normal"},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "text": {"fontSize": 12, "color": INK},
            "range": {"category": list(OKABE_ITO.values())},
            "bar": {"color": OKABE_ITO["blue"], **MARK_OUTLINE},
            "point": {"color": OKABE_ITO["blue"], "size": 60, "filled": True, **MARK_OUTLINE},
            "square": dict(MARK_OUTLINE),
            "circle": dict(MARK_OUTLINE),
            "rect": dict(MARK_OUTLINE),
            "line": {"color": OKABE_ITO["blue"], "strokeWidth": 2},
            "rule": {"color": GREY},
        }
    }
