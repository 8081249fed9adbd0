"""Chart builders that more than one chapter uses. Each returns an Altair chart without
title; chapters add the finding as title with ``pb.titled``."""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

from panjbook import theme
from panjbook.data import load, load_geometry


# Actors grouped into the rows of the book's timelines.
ACTOR_GROUPS = {
    "Tajikistan": ["tajikistan"],
    "Taliban": ["taliban"],
    "Afghan opposition": ["afghan_republic", "nrf", "northern_alliance"],
    "Russia and the CSTO": ["russia", "csto", "armenia", "belarus"],
    "China": ["china"],
    "Pakistan": ["pakistan"],
    "Iran": ["iran"],
    "Central Asian neighbours": ["uzbekistan", "turkmenistan", "kazakhstan", "kyrgyzstan"],
    "US and EU": ["united_states", "european_union", "france"],
    "India": ["india"],
    "UN and regional bodies": ["un", "wfp", "unhcr", "sco", "cis", "world_bank"],
    "Militant groups": ["iskp", "jamaat_ansarullah", "al_qaeda", "etim", "unidentified_attackers"],
}
OTHER_GROUP = "Others"


def actor_group(actor_id: str) -> str:
    for group, members in ACTOR_GROUPS.items():
        if actor_id in members:
            return group
    return OTHER_GROUP


def with_source_labels(frame: pd.DataFrame, column: str = "source_ids") -> pd.DataFrame:
    """Add 'source' (short publisher names), 'source_title' and 'source_year' for tooltips and axis labels."""
    sources = load("sources").set_index("source_id")
    first = frame[column].map(lambda ids: ids[0] if isinstance(ids, list) else ids)
    out = frame.copy()
    out["source"] = frame[column].map(
        lambda ids: "; ".join(dict.fromkeys(sources.loc[i, "short_name"] for i in (ids if isinstance(ids, list) else [ids]))))
    out["source_title"] = first.map(sources["title"])
    out["source_year"] = first.map(sources["published"]).dt.strftime("%Y").fillna("n.d.")
    return out


LABEL_CHARACTERS = 40  # a row label's line, about 230 px at 12 px
LINE_HEIGHT = 14  # of a 12 px label


def estimates(frame: pd.DataFrame, *, label: str, low: str, high: str | None, x_title: str,
              colour: str, colour_domain: list[str], colour_range: list[str], colour_title: str,
              tooltip: list, claim_field: str | None = None, x_format: str = ",d",
              row_height: int = 24, width: int = theme.WIDTH - 200, legend_columns: int | None = None,
              label_characters: int = LABEL_CHARACTERS) -> alt.Chart:
    """One row per source's estimate: a dot, or a bar from low to high when the source gives a range.
    Rows where ``claim_field`` is true are drawn hollow: claims, not measurements. A long row label
    wraps onto lines of at most ``label_characters`` (never cut inside a word); a label that
    already holds '|' is taken as its own lines."""
    data = frame.copy()
    data["_hollow"] = data[claim_field].astype(bool) if claim_field else False
    data[label] = [text if "|" in text else "|".join(theme.lines(text, label_characters) or [text]) for text in data[label]]
    most_lines = max([text.count("|") + 1 for text in data[label]] or [1])
    row_height = max(row_height, LINE_HEIGHT * most_lines + 6)
    order = data[label].tolist()
    y = alt.Y(f"{label}:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelExpr=f"split(datum.label, '|')"))
    colour_scale = alt.Scale(domain=colour_domain, range=colour_range)
    x = alt.X(f"{low}:Q", title=x_title, axis=alt.Axis(format=x_format, tickCount=6), scale=alt.Scale(zero=False, padding=16))
    layers = []
    ranged = data[data[high].notna() & (data[high] != data[low])] if high else data.iloc[0:0]
    if len(ranged):  # an empty layer would leave an unlabelled mark group in the SVG
        layers.append(alt.Chart(ranged).mark_rule(strokeWidth=4, opacity=0.8).encode(
            y=y, x=x, x2=f"{high}:Q", color=alt.Color(f"{colour}:N", scale=colour_scale, legend=None), tooltip=tooltip))
    point = dict(size=110, strokeWidth=2, opacity=1)
    layers.append(alt.Chart(data[~data["_hollow"]]).mark_point(filled=True, **point).encode(
        y=y, x=x, color=alt.Color(f"{colour}:N", scale=colour_scale, title=colour_title,
                                  legend=alt.Legend(orient="top", direction="horizontal", labelLimit=0,
                                                    **({"columns": legend_columns} if legend_columns else {}))), tooltip=tooltip))
    if data["_hollow"].any():
        layers.append(alt.Chart(data[data["_hollow"]]).mark_point(filled=False, **point).encode(
            y=y, x=x, color=alt.Color(f"{colour}:N", scale=colour_scale, legend=None), tooltip=tooltip))
    return alt.layer(*layers).properties(width=width, height=row_height * len(data))


# Coordinates drawn to 0.01 degree (about 1 km: a pixel of the maps on screen), and a point within
# MAP_STEP of the last one kept is dropped: the page carries a fraction of the geometry's digits.
MAP_DECIMALS = 2


MAP_STEP = 0.02  # degrees: a point nearer than this to the last one kept is dropped (about a pixel on screen)


def _rounded_ring(ring):
    out = []
    last = len(ring) - 1
    for index, (lon, lat, *_) in enumerate(ring):
        point = [round(lon, MAP_DECIMALS), round(lat, MAP_DECIMALS)]
        if out and index != last and abs(point[0] - out[-1][0]) < MAP_STEP and abs(point[1] - out[-1][1]) < MAP_STEP:
            continue
        if not out or point != out[-1]:
            out.append(point)
    return out


def _rounded_geometry(geometry: dict) -> dict:
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        return {"type": kind, "coordinates": [round(c, MAP_DECIMALS) for c in coordinates[:2]]}
    if kind == "LineString":
        return {"type": kind, "coordinates": _rounded_ring(coordinates)}
    if kind in ("Polygon", "MultiLineString"):
        rings = [_rounded_ring(ring) for ring in coordinates]
        if kind == "Polygon":
            rings = [ring for ring in rings if len(ring) >= 4]
        return {"type": kind, "coordinates": rings}
    if kind == "MultiPolygon":
        polygons = [[r for r in (_rounded_ring(ring) for ring in polygon) if len(r) >= 4] for polygon in coordinates]
        return {"type": kind, "coordinates": [p for p in polygons if p]}
    return geometry


REGION_BOX = (64.5, 34.2, 75.5, 40.8)  # west, south, east, north: the Tajik-Afghan border and its hinterland


def region_map(places: pd.DataFrame | None = None, fill: dict[str, str] | None = None,
               highlight_provinces: list[str] | None = None, labels: dict[str, tuple[str, int, int]] | None = None,
               width: int = theme.WIDTH, height: int = 430, box: tuple[float, float, float, float] = REGION_BOX,
               values: dict[str, float] | None = None, value_title: str = "", value_scale: alt.Scale | None = None,
               value_tooltip: str = "", show_provinces: bool = True) -> alt.LayerChart:
    """The region from data/geo/region.geojson: countries, provinces, the Panj, and places.
    ``fill`` maps country names to colours (others light grey); ``values`` instead colours countries
    by a number on ``value_scale``, with a legend; ``labels`` maps a place_id to (align, dx, dy) for
    its label (places not in it are drawn unlabelled)."""
    features = load_geometry()["features"]
    fill = fill or {}
    countries = [f for f in features if f["properties"]["layer"] == "country"]
    provinces = [f for f in features if f["properties"]["layer"] == "province"]
    rivers = [f for f in features if f["properties"]["layer"] == "river"]
    for f in countries:
        f["properties"]["fill"] = fill.get(f["properties"]["name"], "#EFEFEF")
    highlight = set(highlight_provinces or [])
    country_of_code = {"AF": "Afghanistan", "TJ": "Tajikistan"}
    for f in provinces:
        f["properties"]["highlight"] = f["properties"]["name"] in highlight
        f["properties"]["country"] = country_of_code[f["properties"]["id"][:2]]
    west, south, east, north = box
    # Clockwise, as Vega expects for fitting.
    extent = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
        [[west, south], [west, north], [east, north], [east, south], [west, south]]]}, "properties": {}}

    def geo(items):
        # One JSON string rather than nested lists: Altair copies and walks every coordinate of
        # a list (about 2 s for this map), while Vega parses the string as it would the list.
        items = [{**f, "geometry": _rounded_geometry(f["geometry"])} for f in items]
        return alt.InlineData(values=json.dumps(items, separators=(",", ":"), ensure_ascii=False),
                              format=alt.DataFormat(type="json"))

    layers = [
        alt.Chart(geo(countries)).mark_geoshape(stroke="#555555", strokeWidth=0.8).encode(
            fill=alt.Fill("properties.fill:N", scale=None),
            tooltip=[alt.Tooltip("properties.name:N", title="Country")]),
    ]
    if values:
        valued = [f for f in countries if f["properties"]["name"] in values]
        for f in valued:
            f["properties"]["value"] = values[f["properties"]["name"]]
        layers.append(alt.Chart(geo(valued)).mark_geoshape(stroke="#555555", strokeWidth=0.8).encode(
            # color, not fill: the base layer's fill holds literal colours and the two must not share a scale.
            color=alt.Color("properties.value:Q", title=value_title, scale=value_scale or alt.Scale(scheme="blues"),
                          legend=alt.Legend(orient="bottom-left", direction="horizontal", fillColor="#FFFFFF", padding=6, gradientLength=160)),
            tooltip=[alt.Tooltip("properties.name:N", title="Country"), alt.Tooltip("properties.value:Q", title=value_tooltip or value_title)]))
    if show_provinces:
        layers.append(alt.Chart(geo(provinces)).mark_geoshape(fillOpacity=0, stroke="#9A9A9A", strokeWidth=0.4).encode(
            tooltip=[alt.Tooltip("properties.name:N", title="Province"), alt.Tooltip("properties.country:N", title="Country")]))
    if highlight:
        layers.append(alt.Chart(geo([f for f in provinces if f["properties"]["highlight"]])).mark_geoshape(
            fill="#000000", fillOpacity=0.08, stroke=theme.INK, strokeWidth=1.0).encode(
            tooltip=[alt.Tooltip("properties.name:N", title="Province"), alt.Tooltip("properties.country:N", title="Country")]))
    layers.append(alt.Chart(geo(rivers)).mark_geoshape(filled=False, stroke=theme.OKABE_ITO["sky blue"], strokeWidth=2.2).encode(
        tooltip=[alt.Tooltip("properties.name:N", title="River")]))
    if places is not None and len(places):
        inside = places[places["lon"].between(west, east) & places["lat"].between(south, north)].copy()
        inside["label"] = inside["name"].str.replace(r" \(.*$", "", regex=True).str.replace(r",.*$", "", regex=True)
        base = alt.Chart(inside).encode(longitude="lon:Q", latitude="lat:Q")
        kinds = ["city", "town", "crossing", "airbase"]
        layers.append(base.mark_point(filled=True, size=40, color=theme.INK, opacity=1).encode(
            shape=alt.Shape("kind:N", title="Place", scale=alt.Scale(domain=kinds, range=["circle", "square", "triangle-up", "diamond"]),
                            legend=alt.Legend(orient="bottom-right", fillColor="#FFFFFF", padding=6)),
            tooltip=[alt.Tooltip("name:N", title="Place"), alt.Tooltip("kind:N", title="Kind"),
                     alt.Tooltip("source:N", title="Source of coordinates")]))
        placements: dict[tuple, list[str]] = {}
        for place_id, position in (labels or {}).items():
            placements.setdefault(position, []).append(place_id)
        for (align, dx, dy), ids in sorted(placements.items()):
            chosen = alt.Chart(inside[inside["place_id"].isin(ids)]).encode(longitude="lon:Q", latitude="lat:Q", text="label:N")
            style = dict(align=align, dx=dx, dy=dy, fontSize=11, color=theme.INK)
            layers.append(chosen.mark_text(stroke="#FFFFFF", strokeWidth=3, strokeOpacity=0.9, **style))
            layers.append(chosen.mark_text(**style))
    return alt.layer(*layers).project(type="mercator", fit=extent, clipExtent=[[0, 0], [width, height]]).properties(
        width=width, height=height)
