"""The house theme: fonts, palette, titles and the offline Vega bundle (the renderer: test_render.py)."""
from __future__ import annotations

import base64
import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

import panjbook as pb
from panjbook import render, theme
from panjbook.bundle import bundle_stamp, vega_bundle

HEX = re.compile(r"^#[0-9A-F]{6}$")


def _chart(values=(1, 2, 3)):
    frame = pd.DataFrame({"year": [2021, 2022, 2023], "km": list(values)})
    chart = alt.Chart(frame).mark_line().encode(x="year:O", y=alt.Y("km:Q", title="Length (km)"))
    return pb.titled(chart, "A finding", "Unit: km", "Source: Test")


def test_palette_is_valid_hex_and_distinct():
    colours = list(theme.OKABE_ITO.values())
    assert all(HEX.match(c) for c in colours + [theme.GREY, theme.LIGHT_GREY, theme.DARK_GREY])
    assert len(set(colours)) == len(colours) == 8


def test_actor_colours_come_from_the_palette_and_unknown_actors_are_grey():
    allowed = set(theme.OKABE_ITO.values()) | {theme.DARK_GREY}
    assert set(theme.ACTOR_COLOURS.values()) <= allowed
    assert theme.actor_colour("tajikistan") != theme.actor_colour("taliban")
    assert theme.actor_colour("nobody") == theme.GREY
    scale = pb.actor_colour_scale(["taliban", "tajikistan", "taliban"]).to_dict()
    assert scale == {"domain": ["taliban", "tajikistan"], "range": ["#D55E00", "#0072B2"]}


def test_house_theme_is_enabled():
    pb.enable_renderer()
    config = alt.theme.get()()["config"]
    assert alt.theme.active == "panjbook"
    assert config["title"]["anchor"] == "start"
    assert config["axisY"]["grid"] is True and config["axis"]["grid"] is False


def _text_png(font: str) -> bytes:
    spec = {"data": {"values": [{"t": "Across the Panj: 1,344.15 km"}]}, "mark": {"type": "text", "font": font, "fontSize": 24},
            "encoding": {"text": {"field": "t"}}, "width": 400, "height": 60}
    return vl_convert.vegalite_to_png(spec, vl_version=render.VEGALITE_VERSION)


def test_the_themes_first_font_is_installed_and_vl_convert_draws_text_with_it():
    import subprocess

    first = theme.FONT.split(",")[0].strip()
    # fc-match answers every name, with a fallback for a font that is not installed.
    matched = subprocess.run(["fc-match", "-f", "%{family}", first], capture_output=True, text=True, check=True).stdout
    assert first in matched.split(","), f"{first} is not installed (fontconfig offers {matched} instead)"
    drawn = _text_png(first)
    assert drawn != _text_png("No Such Font Panj"), f"vl-convert cannot find {first}: its text vanishes"
    assert drawn != _text_png("DejaVu Sans"), f"vl-convert draws {first} with another font"
    assert _text_png(theme.FONT) == drawn, "the theme's font list draws with its first font"


def test_titled_puts_source_in_subtitle_and_wraps_it():
    long_source = "Sources: " + "; ".join(f"Publisher number {i}" for i in range(12))
    spec = pb.titled(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), "Finding", "Unit", long_source).to_dict()
    subtitle = spec["title"]["subtitle"]
    assert spec["title"]["text"] == "Finding"
    assert subtitle[0] == "Unit" and subtitle[1].startswith("Sources: ")
    assert len(subtitle) > 2 and all(len(line) <= theme.SUBTITLE_CHARACTERS for line in subtitle)


def test_titled_refuses_a_chart_without_source():
    with pytest.raises(ValueError, match="source line"):
        pb.titled(alt.Chart(pd.DataFrame({"a": [1]})).mark_point(), "Finding", "", "")


def test_vega_bundle_defines_vega_embed_without_leaking_names():
    bundle = vega_bundle()
    assert bundle.startswith(bundle_stamp() + "(function () {") and bundle.rstrip().endswith("})();")
    assert "window.vegaEmbed" in bundle
    assert "cdn.jsdelivr" not in bundle


def test_text_numbers_and_hedges():
    assert pb.text.number(1344.15) == "1,344.15"
    assert pb.text.number(1400.0) == "1,400"
    assert pb.text.number(16.549999999999955, 2) == "16.55"
    # Float noise never prints: these are 138.15000000000009, 0.30000000000000004 and 16.549999999999955.
    assert pb.text.number(1344.15 - 1206) == "138.15"
    assert pb.text.number(0.1 + 0.2) == "0.3"
    assert pb.text.number(16.549999999999955) == "16.55"
    assert pb.text.number(123_456_789.125) == "123,456,789.125"
    assert pb.text.number(0.00025) == "0.00025"
    assert pb.text.hedged(1400.0, "almost", "km") == "almost 1,400 km"
    assert pb.text.hedged(1360.7, pd.NA, "km") == "1,360.7 km"
    assert pb.text.hedge_rank("almost") < pb.text.hedge_rank(pd.NA) < pb.text.hedge_rank("more than")


def test_join_words():
    assert pb.text.join_words(["talks"]) == "talks"
    assert pb.text.join_words(["talks", "clashes"]) == "talks and clashes"
    assert pb.text.join_words(["a", "b", "c"]) == "a, b and c"
    with pytest.raises(ValueError):
        pb.text.join_words([])


def test_amount_reads_like_prose():
    assert pb.text.amount(945_000_000, "USD") == "US$945 million"
    assert pb.text.amount(1_000_000_000, "EUR", "about") == "about €1 billion"
    assert pb.text.amount(1200, "tonnes") == "1,200 tonnes"
    assert pb.text.amount(8_500_000, "USD") == "US$8.5 million"


def test_cite_flattens_and_deduplicates():
    assert pb.text.cite([["a", "b"], "b", "c"]) == "{cite:p}`a,b,c`"


def test_palettes_stay_distinct_for_colour_blind_readers():
    from panjbook import colour
    palettes = {
        "event types": theme.EVENT_TYPE_COLOURS,
        "actors": sorted(set(theme.ACTOR_COLOURS.values()) | {theme.OTHER_ACTOR_COLOUR}),
    }
    for name, colours in palettes.items():
        difference, a, b, vision = colour.weakest_pair(colours)
        # CIE76 difference of 8 or more: clearly distinct (2.3 is just noticeable).
        assert difference >= 8, f"{name}: {a} and {b} are too close under {vision} ({difference:.1f})"


def test_colour_vision_simulation_is_real():
    from panjbook import colour
    # The red and green of many default palettes collapse for a deuteranope but not for normal vision.
    red, green = "#D62728", "#2CA02C"
    normal = colour.distance(colour._rgb(red), colour._rgb(green))
    deutan = colour.distance(colour.simulate(red, "deuteranopia"), colour.simulate(green, "deuteranopia"))
    assert normal > 100 and deutan < 10


def test_chart_text_meets_wcag_aa_contrast():
    from panjbook import colour
    config = theme.panjbook_theme()["config"]
    for text_colour in (config["title"]["color"], config["title"]["subtitleColor"], config["axis"]["labelColor"], config["text"]["color"]):
        assert colour.contrast_ratio(text_colour) >= 4.5, text_colour
    assert round(colour.contrast_ratio("#000000"), 1) == 21.0


def _theme_mark_colours() -> dict[str, str]:
    """Every colour the theme offers for data marks: its named colours, palettes and scales,
    and the colours of its mark and range configuration."""
    found: dict[str, str] = {}
    for name, value in vars(theme).items():
        if name.startswith("_") or name in ("MARK_OUTLINE", "FILL_ONLY_COLOURS"):
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else [("", value)]
        for key, item in items:
            if isinstance(item, str) and HEX.match(item):
                found[f"{name}[{key}]" if key != "" else name] = item
    config = theme.panjbook_theme()["config"]
    for key, item in enumerate(config["range"]["category"]):
        found[f"config.range.category[{key}]"] = item
    for mark in ("point", "square", "circle", "bar", "rect", "line", "rule", "tick", "area", "trail", "geoshape"):
        for prop in ("color", "fill", "stroke"):
            if prop in config.get(mark, {}):
                found[f"config.{mark}.{prop}"] = config[mark][prop]
    return found


def test_every_mark_colour_has_3_to_1_contrast_itself_or_through_an_outline():
    """WCAG 1.4.11: a graphic needs 3:1 against white. A colour under that is allowed only as a
    fill, and only if the theme outlines every filled mark with a colour that has 3:1."""
    from panjbook import colour
    config = theme.panjbook_theme()["config"]
    colours = _theme_mark_colours()
    assert {theme.OKABE_ITO["yellow"], theme.OKABE_ITO["orange"], theme.LIGHT_GREY} <= set(colours.values())
    faint = {name: c for name, c in colours.items() if colour.contrast_ratio(c) < 3}
    assert {name: c for name, c in faint.items() if c not in theme.FILL_ONLY_COLOURS} == {}, \
        "under 3:1 and not drawn only as an outlined fill"
    for mark in ("point", "square", "circle", "bar", "rect"):
        outline = config.get(mark, {})
        assert outline.get("stroke") and colour.contrast_ratio(outline["stroke"]) >= 3, f"{mark} has no 3:1 outline"
        assert outline.get("strokeWidth", 0) >= 1, f"{mark}'s outline is thinner than 1 px"
    assert colour.contrast_ratio(theme.OKABE_ITO["sky blue"]) >= 3, "sky blue draws lines (rivers): it needs 3:1 itself"


def test_filled_marks_are_drawn_with_the_outline():
    """The outline reaches vl-convert's drawing: a yellow bar and a yellow dot are edged in the outline colour."""
    pb.enable_renderer()
    frame = pd.DataFrame({"x": [1, 2], "y": [1, 2], "kind": ["yellow", "orange"]})
    scale = alt.Scale(domain=["yellow", "orange"], range=[theme.OKABE_ITO["yellow"], theme.OKABE_ITO["orange"]])
    for mark in (alt.Chart(frame).mark_bar(), alt.Chart(frame).mark_point(filled=True)):
        spec = mark.encode(x="x:Q", y="y:Q", color=alt.Color("kind:N", scale=scale)).to_dict()
        svg = vl_convert.vegalite_to_svg(spec, vl_version=render.VEGALITE_VERSION)
        edged = re.findall(r'fill="(#F0E442|#E69F00)"[^>]*stroke="([^"]+)"[^>]*stroke-width="([^"]+)"', svg)
        assert {(f, s) for f, s, _ in edged} == {("#F0E442", theme.DARK_GREY), ("#E69F00", theme.DARK_GREY)}, svg[:2000]
        assert all(float(width) >= 1 for _, _, width in edged)
