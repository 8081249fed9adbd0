"""The book's one Altair renderer.

Each chart's output carries three things:
- ``text/html``: a div with an id derived from the spec's hash (never a random id, so
  stored outputs are deterministic and nbval can compare them strictly), and a script that
  draws it with the ``vegaEmbed`` that the book's own static bundle defines (no CDN);
- ``image/png``: the same chart drawn by vl-convert at twice its size, for the PDF;
- ``text/plain``: the title, for readers of plain output.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json

import altair as alt
import vl_convert

RENDERER = "panjbook"
PNG_SCALE = 2
VEGALITE_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])

_EMBED_OPTIONS = {"actions": False, "renderer": "svg"}

_SCRIPT = """(function () {{
  var el = document.getElementById("{div_id}");
  if (typeof vegaEmbed === "undefined") {{
    el.textContent = "This interactive chart needs the book's Vega bundle, which is loaded on the book's HTML pages.";
    return;
  }}
  vegaEmbed(el, {spec}, {options}).then(function () {{
    // The brush is an input layer, not content: keep it out of the accessibility tree.
    el.querySelectorAll("g[class*='_brush']").forEach(function (g) {{ g.setAttribute("aria-hidden", "true"); }});
  }}).catch(function (err) {{
    el.textContent = "Chart error: " + err;
    console.error(err);
  }});
}})();"""


def spec_id(spec: dict) -> str:
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "panj-chart-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def chart_title(spec: dict) -> str:
    title = spec.get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    return title or "Chart"


def html_snippet(spec: dict) -> str:
    div_id = spec_id(spec)
    # "</" inside a script would end it early; JSON allows the escaped form.
    spec_json = json.dumps(spec, sort_keys=True, ensure_ascii=False).replace("</", "<\\/")
    script = _SCRIPT.format(div_id=div_id, spec=spec_json, options=json.dumps(_EMBED_OPTIONS, sort_keys=True))
    label = html.escape(spec.get("description") or chart_title(spec), quote=True)
    return (
        f'<div class="panj-chart" id="{div_id}" role="figure" aria-label="{label}"></div>\n'
        f'<script type="text/javascript">\n{script}\n</script>'
    )


def png_bytes(spec: dict) -> bytes:
    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE, vl_version=VEGALITE_VERSION)


def mimebundle(spec: dict, **_metadata) -> dict:
    return {
        "text/html": html_snippet(spec),
        "image/png": base64.b64encode(png_bytes(spec)).decode("ascii"),
        "text/plain": f"<Chart: {chart_title(spec)}>",
    }


alt.renderers.register(RENDERER, mimebundle)


def setup() -> None:
    """What every chapter's first cell calls: the house theme and renderer, and warnings as errors,
    so that a deprecation or a silent coercion stops the chapter instead of passing unseen."""
    import warnings

    enable()
    warnings.simplefilter("error")
    # Pending deprecations are notices about the future (ipykernel emits one at shutdown), not faults.
    warnings.simplefilter("default", PendingDeprecationWarning)


def enable() -> None:
    """Make every chart render through the book's renderer (house theme included)."""
    import panjbook.theme  # noqa: F401  (registers and enables the theme)

    alt.renderers.enable(RENDERER)
    alt.data_transformers.disable_max_rows()
