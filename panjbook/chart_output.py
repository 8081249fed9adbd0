"""The builders' conversion of a stored chart (a Vega-Lite spec, see panjbook.render).

myst-nb finds :class:`VegaLiteOutput` through the entry point group ``myst_nb.mime_renderers``
(pyproject.toml) and asks it to render every ``application/vnd.vegalite.v5+json`` output:
- for HTML, the offline embed (:func:`panjbook.render.html_snippet`);
- for LaTeX, a PNG drawn by vl-convert, cached by the spec's hash in ``_build/.chart-png`` so that
  a rebuild draws only charts that changed. Before a LaTeX build reads the chapters,
  :func:`draw_missing_pngs` draws every chart of the executed notebooks side by side.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from base64 import b64encode
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from panjbook.render import PNG_SCALE, VEGALITE_MIME

PNG_CACHE_NAME = ".chart-png"


def png_key(spec: dict) -> str:
    """The spec's hash, with the versions and scale that decide the pixels."""
    import vl_convert

    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(f"{vl_convert.__version__} scale={PNG_SCALE}\n{canonical}".encode("utf-8"))
    return digest.hexdigest()


def _draw(job: tuple[dict, str]) -> None:
    from panjbook.render import png_bytes

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
        with ProcessPoolExecutor(max_workers=min(len(jobs), workers or os.cpu_count() or 1)) as pool:
            list(pool.map(_draw, jobs.values()))
    return len(jobs)


class VegaLiteOutput:
    """myst-nb mime renderer plugin for the book's charts."""

    # Above every other type a chart output carries, for every builder.
    mime_priority_overrides = [("*", VEGALITE_MIME, 1)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != VEGALITE_MIME:
            return None
        app = renderer.renderer.sphinx_env.app
        spec = dict(data.content)
        if app.builder.format == "html":
            from panjbook.render import html_snippet

            return renderer.render_text_html(dataclasses.replace(data, mime_type="text/html", content=html_snippet(spec)))
        if app.builder.format == "latex":
            png = cached_png(spec, png_cache_dir(app))
            return renderer.render_image(dataclasses.replace(data, mime_type="image/png", content=b64encode(png).decode("ascii")))
        return None


def png_cache_dir(app) -> Path:
    # Beside the builders' output folders, so that it survives between the HTML and PDF builds.
    return Path(app.outdir).parent / PNG_CACHE_NAME
