"""The builders' conversion of a stored chart (a Vega-Lite spec, see panjbook.render).

myst-nb finds :class:`VegaLiteOutput` through the entry point group ``myst_nb.mime_renderers``
(pyproject.toml) and asks it to render every ``application/vnd.vegalite.v5+json`` output. It
reads a page once for every builder, so the doctree keeps the spec in a :class:`vegalite_chart`
node, and each builder converts it when it writes:
- HTML writes the offline embed (:func:`html_snippet`);
- LaTeX replaces it with a PNG drawn by vl-convert (:class:`ChartToPng`), cached by the spec's
  hash in ``_build/.chart-png`` so that a rebuild draws only charts that changed. When a LaTeX
  build starts, :class:`BackgroundDrawing` draws every chart of the executed notebooks side by
  side in other processes while Sphinx writes the book, and :func:`copy_pngs` puts them beside
  the .tex file at its end.
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

_SCRIPT = """panjChart("{div_id}", {spec}, {options});"""

# In print, a parenthesis that tells the reader to click, drag, hover or tap (in a legend's or an
# axis's title, or in a subtitle) goes: the paper cannot do it.
WEB_ONLY_PARENTHESIS = re.compile(r"\s*\((?:[^()]*?\b(?:click|clicks|drag|hover|tap|tooltips?)\b[^()]*)\)", re.IGNORECASE)

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


def _meta(spec: dict) -> dict:
    return (spec.get("usermeta") or {}).get("panj") or {}


def _title_parts(spec: dict) -> tuple[str, list[str]]:
    """The chart's title and subtitle as running text (the spec holds them wrapped into lines)."""
    meta = _meta(spec)
    title = spec.get("title", "")
    subtitle = []
    if isinstance(title, dict):
        subtitle = title.get("subtitle", [])
        subtitle = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(title)
    if meta:
        return meta.get("title", title), [text for text in (meta.get("subtitle"), meta.get("source")) if text]
    return title, [" ".join(subtitle)] if subtitle else []


def is_interactive(spec) -> bool:
    """Whether the chart has a selection or a bound input (a legend pick, a brush, a slider)."""
    if isinstance(spec, dict):
        for param in spec.get("params", []) or []:
            if isinstance(param, dict) and ("select" in param or "bind" in param):
                return True
        return any(is_interactive(value) for value in spec.values())
    if isinstance(spec, list):
        return any(is_interactive(item) for item in spec)
    return False


def _has_bound_inputs(spec) -> bool:
    if isinstance(spec, dict):
        for param in spec.get("params", []) or []:
            if isinstance(param, dict) and isinstance(param.get("bind"), dict) and "input" in param["bind"]:
                return True
        return any(_has_bound_inputs(value) for value in spec.values())
    if isinstance(spec, list):
        return any(_has_bound_inputs(item) for item in spec)
    return False


def used_columns_only(spec: dict) -> dict:
    """The spec with each dataset's rows cut to the columns the chart names somewhere (a field, a
    tooltip, an expression): Altair ships every column of the frame, most of which no mark shows."""
    datasets = spec.get("datasets")
    if not isinstance(datasets, dict):
        return spec
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, ensure_ascii=False)
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", rest))
    trimmed = {}
    for name, rows in datasets.items():
        if isinstance(rows, list) and rows and all(isinstance(row, dict) for row in rows):
            keep = {column for row in rows for column in row if column in named or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", column)}
            trimmed[name] = [{k: v for k, v in row.items() if k in keep} for row in rows]
        else:
            trimmed[name] = rows
    return {**spec, "datasets": trimmed}


def html_snippet(spec: dict) -> str:
    """The chart on a web page: its title and subtitle as text above the drawing (they wrap to any
    screen), its controls next (a Reset button for an interactive chart, then its sliders: early in
    the tab order), and the drawing in a frame that scrolls sideways when the screen is narrower
    than the chart. Drawn by panjChart (panjbook.web) with the book's own Vega."""
    div_id = spec_id(spec)
    title, subtitle = _title_parts(spec)
    drawn = used_columns_only({key: value for key, value in spec.items() if key not in ("title", "usermeta")})
    # A title computed from the reader's inputs (an expression over a chart's sliders) must stay in
    # the drawing to follow them; the page shows only the subtitle above it.
    title_text = (spec.get("title") or {}).get("text") if isinstance(spec.get("title"), dict) else None
    dynamic = isinstance(title_text, dict) and "expr" in title_text
    if dynamic:
        drawn["title"] = {"text": title_text, "anchor": "start"}
    # "</" inside a script would end it early; JSON allows the escaped form.
    spec_json = json.dumps(drawn, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    script = _SCRIPT.format(div_id=div_id, spec=spec_json, options=json.dumps(_EMBED_OPTIONS, sort_keys=True))
    label = html.escape(spec.get("description") or chart_title(spec), quote=True)
    heading = ("" if dynamic else f'<p class="panj-chart-title">{html.escape(title)}</p>\n') + "".join(
        f'<p class="panj-chart-subtitle">{html.escape(text)}</p>\n' for text in subtitle)
    controls = ""
    if is_interactive(spec):
        controls += (f'<button type="button" class="panj-chart-reset" id="{div_id}-reset" '
                     f'aria-controls="{div_id}">Reset the chart</button>')
    if _has_bound_inputs(spec):
        controls += f'<div class="panj-chart-bindings" id="{div_id}-bindings"></div>'
    return (
        f'<div class="panj-chart-block">\n{heading}'
        f'<div class="panj-chart-controls">{controls}</div>\n'
        f'<div class="panj-chart-frame" tabindex="0" role="region" aria-label="{html.escape(title, quote=True)}: chart">'
        f'<div class="panj-chart" id="{div_id}" role="figure" aria-label="{label}"></div></div>\n'
        f'</div>\n<script type="text/javascript">\n{script}\n</script>'
    )


def _without_web_words(value):
    if isinstance(value, str):
        return WEB_ONLY_PARENTHESIS.sub("", value)
    if isinstance(value, list):
        return [_without_web_words(item) for item in value]
    if isinstance(value, dict):
        return {key: (item if key in ("data", "datasets", "usermeta") else _without_web_words(item)) for key, item in value.items()}
    return value


def print_spec(spec: dict) -> dict:
    """The chart as the PDF draws it: no instruction to click, drag, hover or tap, and a source
    line that sends the reader to the note under the chart rather than to the tooltips."""
    from panjbook.theme import SUBTITLE_CHARACTERS, lines

    printed = _without_web_words(json.loads(json.dumps(spec)))
    meta = _meta(spec)
    if meta and isinstance(printed.get("title"), dict):
        printed["title"]["subtitle"] = (lines(WEB_ONLY_PARENTHESIS.sub("", meta.get("subtitle", "")), SUBTITLE_CHARACTERS)
                                        + lines(meta.get("print_source", meta.get("source", "")), SUBTITLE_CHARACTERS))
    return printed


def print_source_note(spec: dict) -> str | None:
    """'Sources of the chart above: ...' with the label of every source (as under References), when
    the chart's own source line names only some of them; None when it names them all."""
    meta = _meta(spec)
    if not meta.get("source_ids") or meta.get("print_source") == meta.get("source"):
        return None
    from panjbook import bibliography
    from panjbook.data import load

    labels = bibliography.source_labels(load("sources"))
    return "Sources of the chart above, as listed under References: " + "; ".join(
        labels[source_id] for source_id in meta["source_ids"]) + "."


def vegalite_version(spec: dict) -> str:
    """'6.4' from the spec's own $schema ('.../vega-lite/v6.4.1.json')."""
    match = re.search(r"/vega-lite/v(\d+)\.(\d+)", spec.get("$schema", ""))
    if not match:
        raise ValueError("a chart spec must name its Vega-Lite version in $schema")
    return f"{match.group(1)}.{match.group(2)}"


def png_bytes(spec: dict) -> bytes:
    """The chart drawn by vl-convert at PNG_SCALE times its size, for the PDF."""
    import vl_convert

    return vl_convert.vegalite_to_png(print_spec(spec), scale=PNG_SCALE, vl_version=vegalite_version(spec))


def png_key(spec: dict) -> str:
    """The spec's hash, with the versions and scale that decide the pixels."""
    import vl_convert

    digest = hashlib.sha256(f"{vl_convert.__version__} scale={PNG_SCALE}\n{_canonical(print_spec(spec))}".encode("utf-8"))
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


def _missing_jobs(specs: list[dict], cache_dir: Path) -> list[tuple[dict, str]]:
    cache_dir.mkdir(parents=True, exist_ok=True)
    jobs = {}
    for spec in specs:
        path = cache_dir / f"{png_key(spec)}.png"
        if not path.exists():
            jobs[str(path)] = (spec, str(path))
    return list(jobs.values())


def draw_missing_pngs(specs: list[dict], cache_dir: Path, workers: int | None = None) -> int:
    """Draw the PNG of every spec not yet in the cache, several side by side; returns how many."""
    jobs = _missing_jobs(specs, cache_dir)
    if len(jobs) == 1:
        _draw(jobs[0])
    elif jobs:
        with _drawing_pool(len(jobs), workers) as pool:
            list(pool.map(_draw, jobs))
    return len(jobs)


def _drawing_pool(jobs: int, workers: int | None = None) -> ProcessPoolExecutor:
    # Fresh processes, not forks: vl-convert's engine, once started in this process, hangs in a fork.
    return ProcessPoolExecutor(max_workers=min(jobs, workers or os.cpu_count() or 1),
                               mp_context=multiprocessing.get_context("spawn"))


class BackgroundDrawing:
    """The PNGs missing from the cache, drawn side by side in other processes while the caller goes
    on (the LaTeX builder writes the book meanwhile); :meth:`wait` returns how many were drawn."""

    def __init__(self, specs: list[dict], cache_dir: Path, workers: int | None = None):
        jobs = _missing_jobs(specs, cache_dir)
        self.count = len(jobs)
        self._cache_dir = cache_dir
        self._pool = _drawing_pool(len(jobs), workers) if jobs else None
        self._futures = [self._pool.submit(_draw, job) for job in jobs] if jobs else []

    def stop(self) -> None:
        """Leave the drawings not finished to whoever needs them later: those under way are stopped
        (a chart takes up to a second; the HTML build should not wait for the PDF's images) and
        their half-written files removed; the finished PNGs stay in the cache."""
        if self._pool is None:
            return
        workers = list(self._pool._processes.values())  # noqa: SLF001  (the executor offers no way to stop them)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()
        for process in workers:
            process.join()
        self._pool = None
        for partial in self._cache_dir.glob("*.part"):
            partial.unlink(missing_ok=True)

    def wait(self) -> int:
        """Wait for every drawing; a failed one raises here (``cached_png`` would then draw it again)."""
        if self._pool is None:
            return 0
        try:
            for future in self._futures:
                future.result()
        finally:
            self._pool.shutdown()
            self._pool = None
        return self.count


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


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


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
            for node in list(self.document.findall(vegalite_chart)):
                name = f"{png_key(node['spec'])}.png"
                # Copied beside the .tex file at the end of the build (copy_pngs), once drawn.
                self.app.panj_pngs = {**getattr(self.app, "panj_pngs", {}), name: node["spec"]}
                note = print_source_note(node["spec"])
                figure = next((n for n in _ancestors(node) if isinstance(n, nodes.figure)), None)
                node.replace_self(nodes.image(uri=name, candidates={"*": name}, alt=chart_title(node["spec"])))
                if note and figure is not None:
                    # Under the figure, as a paragraph of small type that may break across pages.
                    # Figures stay where they stand in the PDF (figure_align H), so it stays under its chart.
                    index = figure.parent.index(figure)
                    figure.parent[index + 1:index + 1] = [
                        nodes.raw("", "{\\footnotesize", format="latex"),
                        nodes.paragraph("", note, classes=["panj-chart-sources"]),
                        nodes.raw("", "\\par}", format="latex")]

    return ChartToPng


def copy_pngs(app) -> int:
    """Put each chart's PNG that the LaTeX build names beside the .tex file (drawing any the cache
    still lacks); returns how many."""
    cache_dir = png_cache_dir(app)
    pngs = getattr(app, "panj_pngs", {})
    for name, spec in sorted(pngs.items()):
        target = Path(app.outdir) / name
        if not target.exists():
            cached_png(spec, cache_dir)
            shutil.copyfile(cache_dir / name, target)
    return len(pngs)


def setup_builders(app) -> None:
    """Register the chart node with each builder's conversion (called by panjbook.sphinx_ext)."""
    app.add_node(vegalite_chart, html=(visit_chart_html, None), latex=(visit_chart_text, None),
                 text=(visit_chart_text, None), man=(visit_chart_text, None), texinfo=(visit_chart_text, None))
    app.add_post_transform(_chart_to_png_transform())
