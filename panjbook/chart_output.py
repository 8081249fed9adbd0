"""The builders' conversion of a stored chart (a Vega-Lite spec, see panjbook.render).

myst-nb finds :class:`VegaLiteOutput` through the entry point group ``myst_nb.mime_renderers``
(pyproject.toml) and asks it to render every ``application/vnd.vegalite.v5+json`` output. It
reads a page once for every builder, so the doctree keeps the spec in a :class:`vegalite_chart`
node, and each builder converts it when it writes:
- HTML writes the offline embed (:func:`html_snippet`);
- LaTeX replaces it with a PNG drawn by vl-convert (:class:`ChartToPng`), cached by the spec's
  hash in ``_build/.chart-png`` so that a rebuild draws only charts that changed. Before a LaTeX
  build, :func:`draw_missing_pngs` draws every chart of the executed notebooks side by side.
"""
from __future__ import annotations

import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docutils import nodes

# The v5 key, not v6: JupyterLab 4 draws v5 outputs, also when the spec's $schema is Vega-Lite 6,
# and draws nothing for v6.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
PNG_SCALE = 2

PNG_CACHE_NAME = ".chart-png"

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


def _canonical(spec: dict) -> str:
    return json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def spec_id(spec: dict) -> str:
    return "panj-chart-" + hashlib.sha256(_canonical(spec).encode("utf-8")).hexdigest()[:16]


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


def vegalite_version(spec: dict) -> str:
    """'6.4' from the spec's own $schema ('.../vega-lite/v6.4.1.json')."""
    match = re.search(r"/vega-lite/v(\d+)\.(\d+)", spec.get("$schema", ""))
    if not match:
        raise ValueError("a chart spec must name its Vega-Lite version in $schema")
    return f"{match.group(1)}.{match.group(2)}"


def png_bytes(spec: dict) -> bytes:
    """The chart drawn by vl-convert at PNG_SCALE times its size, for the PDF."""
    import vl_convert

    return vl_convert.vegalite_to_png(spec, scale=PNG_SCALE, vl_version=vegalite_version(spec))


def png_key(spec: dict) -> str:
    """The spec's hash, with the versions and scale that decide the pixels."""
    import vl_convert

    digest = hashlib.sha256(f"{vl_convert.__version__} scale={PNG_SCALE}\n{_canonical(spec)}".encode("utf-8"))
    return digest.hexdigest()


def _draw(job: tuple[dict, str]) -> None:
    spec, path = job
    temporary = Path(path + ".part")
    temporary.write_bytes(png_bytes(spec))
    temporary.replace(path)  # never a half-written PNG in the cache


def cached_png(spec: dict, cache_dir: Path) -> bytes:
    path = cache_dir / f"{png_key(spec)}.png"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        _draw((spec, str(path)))
    return path.read_bytes()


def notebook_specs(notebook_paths) -> list[dict]:
    """Every chart spec stored in the given notebooks' outputs."""
    specs = []
    for path in notebook_paths:
        for cell in json.loads(Path(path).read_text(encoding="utf-8")).get("cells", []):
            for output in cell.get("outputs", []):
                spec = output.get("data", {}).get(VEGALITE_MIME)
                if spec is not None:
                    specs.append(spec)
    return specs


def draw_missing_pngs(specs: list[dict], cache_dir: Path, workers: int | None = None) -> int:
    """Draw the PNG of every spec not yet in the cache, several side by side; returns how many."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    jobs = {}
    for spec in specs:
        path = cache_dir / f"{png_key(spec)}.png"
        if not path.exists():
            jobs[str(path)] = (spec, str(path))
    if len(jobs) == 1:
        _draw(next(iter(jobs.values())))
    elif jobs:
        # Fresh processes, not forks: vl-convert's engine, once started in this process, hangs in a fork.
        with ProcessPoolExecutor(max_workers=min(len(jobs), workers or os.cpu_count() or 1),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            list(pool.map(_draw, jobs.values()))
    return len(jobs)


class vegalite_chart(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """A chart in the doctree: its Vega-Lite spec, converted by the builder that writes it."""


class VegaLiteOutput:
    """myst-nb mime renderer plugin for the book's charts."""

    # Above every other type a chart output carries, for every builder.
    mime_priority_overrides = [("*", VEGALITE_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != VEGALITE_MIME:
            return None
        return [vegalite_chart(spec=json.loads(json.dumps(data.content)))]


def visit_chart_html(translator, node):
    translator.body.append(html_snippet(node["spec"]))
    raise nodes.SkipNode


def visit_chart_text(translator, node):
    # Builders without a chart conversion (text, man, ...): the chart's title.
    if hasattr(translator, "add_text"):
        translator.add_text(f"[Chart: {chart_title(node['spec'])}]")
    raise nodes.SkipNode


def png_cache_dir(app) -> Path:
    # Beside the builders' output folders, so that it survives between the HTML and PDF builds.
    return Path(app.outdir).parent / PNG_CACHE_NAME


def _chart_to_png_transform():
    # Defined on demand: Sphinx is imported by the builders, never by a chapter's kernel.
    from sphinx.transforms.post_transforms import SphinxPostTransform

    class ChartToPng(SphinxPostTransform):
        """LaTeX: each chart becomes its PNG, taken from the cache and copied beside the .tex file."""

        builders = ("latex",)
        default_priority = 100

        def run(self, **kwargs):
            cache_dir = png_cache_dir(self.app)
            for node in list(self.document.findall(vegalite_chart)):
                name = f"{png_key(node['spec'])}.png"
                cached_png(node["spec"], cache_dir)
                target = Path(self.app.outdir) / name
                if not target.exists():
                    shutil.copyfile(cache_dir / name, target)
                node.replace_self(nodes.image(uri=name, candidates={"*": name}, alt=chart_title(node["spec"])))

    return ChartToPng


def setup_builders(app) -> None:
    """Register the chart node with each builder's conversion (called by panjbook.sphinx_ext)."""
    app.add_node(vegalite_chart, html=(visit_chart_html, None), latex=(visit_chart_text, None),
                 text=(visit_chart_text, None), man=(visit_chart_text, None), texinfo=(visit_chart_text, None))
    app.add_post_transform(_chart_to_png_transform())
