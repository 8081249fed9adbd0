"""The renderer stores a chart as a Vega-Lite spec, and the builders convert it: an offline embed
for HTML, a PNG drawn once per spec for the PDF."""
from __future__ import annotations

import dataclasses
import json
from types import SimpleNamespace

import altair as alt
import nbformat
import pandas as pd
import pytest
import vl_convert
from docutils import nodes
from myst_nb.core.render import MimeData

import panjbook as pb
from panjbook import chart_output, render, theme


def _chart(values=(1, 2, 3)):
    frame = pd.DataFrame({"year": [2021, 2022, 2023], "km": list(values)})
    chart = alt.Chart(frame).mark_line().encode(x="year:O", y=alt.Y("km:Q", title="Length (km)"), tooltip=["km:Q"])
    return pb.titled(chart, "A finding", "Unit: km", "Source: Test")


def _bundle(chart):
    pb.enable_renderer()
    return chart._repr_mimebundle_()


def test_a_chart_output_is_its_spec_under_the_mimetype_jupyterlab_draws():
    bundle = _bundle(_chart())
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}, "no PNG, no script in stored outputs"
    spec = bundle["application/vnd.vegalite.v5+json"]
    assert isinstance(spec, dict) and spec["title"]["text"] == "A finding"
    assert bundle["text/plain"] == "<Chart: A finding>"


def test_stored_outputs_are_deterministic_and_carry_the_data():
    assert _bundle(_chart()) == _bundle(_chart())
    changed = _bundle(_chart((1, 2, 4)))
    assert changed != _bundle(_chart())
    assert 4 in [row["km"] for rows in changed["application/vnd.vegalite.v5+json"]["datasets"].values() for row in rows]


def test_a_one_value_change_shows_on_its_own_line_in_the_stored_notebook():
    def stored(values):
        notebook = nbformat.v4.new_notebook()
        output = nbformat.v4.new_output("display_data", data=_bundle(_chart(values)))
        notebook.cells = [nbformat.v4.new_code_cell("chart", outputs=[output])]
        return nbformat.writes(notebook).splitlines()

    before, after = stored((1, 2, 3)), stored((1, 2, 4))
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(before) == len(after)
    assert [b.strip().rstrip(",") for _, b in changed if '"km"' in b] == ['"km": 4'], changed


def test_html_embed_needs_no_network_and_labels_the_chart():
    html = chart_output.html_snippet(_chart().to_dict())
    assert "http://" not in html and "https://" not in html.replace("https://vega.github.io/schema", "")
    assert "cdn" not in html.lower()
    assert 'role="figure"' in html and 'aria-label="A finding"' in html
    assert "panjChart(" in html and chart_output.spec_id(_chart().to_dict()) in html
    from panjbook.web import CHART_JS
    assert "vegaEmbed(el, spec, options)" in CHART_JS  # the book's own Vega, loaded by the page, draws it


def test_script_cannot_be_closed_by_data():
    frame = pd.DataFrame({"x": [1], "label": ["</script><b>"]})
    chart = pb.titled(alt.Chart(frame).mark_text().encode(x="x:Q", text="label:N"), "T", "", "Source: X")
    assert chart_output.html_snippet(chart.to_dict()).count("</script>") == 1


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_pdf_png_is_drawn_at_twice_the_size_once_per_spec(tmp_path):
    spec = _chart().to_dict()
    png = chart_output.cached_png(spec, tmp_path)
    once = vl_convert.vegalite_to_png(spec, scale=1, vl_version=render.VEGALITE_VERSION)
    assert _png_size(png) == tuple(2 * n for n in _png_size(once))
    assert _png_size(png)[1] > 2 * theme.HEIGHT
    assert len(list(tmp_path.glob("*.png"))) == 1
    other = _chart((1, 2, 4)).to_dict()
    assert chart_output.draw_missing_pngs([spec, other, other], tmp_path) == 1, "only the new spec is drawn"
    assert chart_output.draw_missing_pngs([spec, other], tmp_path) == 0
    assert chart_output.png_key(spec) != chart_output.png_key(other)


def test_several_pngs_are_drawn_side_by_side(tmp_path):
    specs = [_chart((1, 2, n)).to_dict() for n in range(4, 8)]
    assert chart_output.draw_missing_pngs(specs, tmp_path, workers=2) == 4
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(chart_output.png_key(s) for s in specs)
    assert not list(tmp_path.glob("*.part")), "no half-written PNG is left"


def test_a_chart_output_becomes_a_node_that_html_writes_as_the_embed():
    spec = json.loads(json.dumps(_chart().to_dict()))
    data = MimeData("application/vnd.vegalite.v5+json", spec)
    [node] = chart_output.VegaLiteOutput.handle_mime(None, data, False)
    assert isinstance(node, chart_output.vegalite_chart) and node["spec"] == spec
    translator = SimpleNamespace(body=[])
    with pytest.raises(nodes.SkipNode):
        chart_output.visit_chart_html(translator, node)
    assert translator.body == [chart_output.html_snippet(spec)]
    assert chart_output.VegaLiteOutput.handle_mime(None, dataclasses.replace(data, mime_type="text/plain", content="x"), False) is None


def test_png_version_comes_from_the_spec():
    assert chart_output.vegalite_version({"$schema": "https://vega.github.io/schema/vega-lite/v6.4.1.json"}) == "6.4"
    with pytest.raises(ValueError, match="schema"):
        chart_output.vegalite_version({})


def test_a_stored_chart_keeps_only_the_columns_it_names():
    import altair as alt
    import pandas as pd

    from panjbook.chart_output import VEGALITE_MIME
    from panjbook.render import mimebundle

    frame = pd.DataFrame({"year": [2021, 2022], "value": [1.0, 2.0], "unused_note": ["x", "y"], "ratio": [3, 4]})
    chart = alt.Chart(frame).mark_point().encode(x="year:O", y="value:Q").transform_calculate(double="2 * datum.ratio")
    stored = mimebundle(chart.to_dict())[VEGALITE_MIME]
    rows = next(iter(stored["datasets"].values()))
    assert set(rows[0]) == {"year", "value", "ratio"}  # the note no part of the chart names is gone
    assert [r["value"] for r in rows] == [1.0, 2.0]

def test_pngs_drawn_in_the_background_are_those_drawn_in_the_foreground(tmp_path):
    specs = [_chart((1, 3, n)).to_dict() for n in range(4, 7)]
    drawing = chart_output.BackgroundDrawing(specs + specs[:1], tmp_path / "background", workers=2)
    assert drawing.wait() == 3
    assert chart_output.draw_missing_pngs(specs, tmp_path / "foreground") == 3
    for spec in specs:
        name = f"{chart_output.png_key(spec)}.png"
        assert (tmp_path / "background" / name).read_bytes() == (tmp_path / "foreground" / name).read_bytes()
    assert chart_output.BackgroundDrawing(specs, tmp_path / "background").wait() == 0, "nothing left to draw"


def test_a_stopped_background_drawing_leaves_whole_pngs_and_the_rest_to_draw(tmp_path):
    specs = [_chart((2, 3, n)).to_dict() for n in range(4, 9)]
    drawing = chart_output.BackgroundDrawing(specs, tmp_path, workers=1)
    drawing.stop()
    assert not list(tmp_path.glob("*.part")), "no half-written PNG is left"
    drawn = len(list(tmp_path.glob("*.png")))
    assert drawn < len(specs), "drawings not yet started are left"
    assert chart_output.draw_missing_pngs(specs, tmp_path) == len(specs) - drawn
