"""The stored chapters are clean: every code cell ran, in order, and printed nothing stray."""
from __future__ import annotations

import re

import nbformat
import pytest

from panjbook.execute import chapter_notebooks


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_chapter_ran_in_order_and_printed_nothing_stray(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]
    assert code, f"{path.name} has no code"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "re-run it with python -m panjbook.refresh"
    assert "pb.setup()" in code[0].source, "the first cell must call pb.setup() (theme, renderer, warnings as errors)"
    for cell in code:
        for output in cell.get("outputs", []):
            assert output["output_type"] not in ("stream", "error"), f"{path.name} cell {cell.get('id')}: {output.get('text', output.get('ename'))}"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_glued_outputs_show_in_the_notebook_and_only_where_the_book_pastes_them(path):
    """A glued chart or value is displayed where the chapter is re-run, in a cell the book removes,
    so the book shows it once, where its prose pastes it."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        glued = [o for o in cell.get("outputs", []) if "scrapbook" in o.get("metadata", {})]
        if glued:
            assert "remove-cell" in cell.metadata.get("tags", []), f"{path.name} cell {cell.id} glues but the book would show it"
        for output in glued:
            name, prefix = output.metadata["scrapbook"]["name"], output.metadata["scrapbook"]["mime_prefix"]
            if prefix:  # a value: the next output shows it as 'name = value'
                shown = cell.outputs[cell.outputs.index(output) + 1]
                assert shown.data["text/markdown"].startswith(f"`{name}` = "), f"{path.name}: {name} is not shown"
            else:  # a chart: drawn by JupyterLab from the Vega-Lite key
                assert "application/vnd.vegalite.v5+json" in output.data, f"{path.name}: {name} has no Vega-Lite output"


def test_stored_outputs_hold_specs_not_images_or_scripts():
    for path in chapter_notebooks():
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                kinds = set(output.get("data", {}))
                assert not any(k.endswith(("image/png", "text/html")) for k in kinds), f"{path.name} {cell.id}: {kinds}"


GEOJSON_STRING = re.compile(r'^\s*"[\w-]+": "\[\{\\"type\\":\\"Feature\\"')


def test_stored_notebooks_stay_small_and_diffable():
    paths = chapter_notebooks()
    assert sum(p.stat().st_size for p in paths) <= 2_000_000, "stored notebooks total more than 2 MB"
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            # One long line is allowed: the map's geometry, a JSON string no data row changes.
            assert len(line) <= 5000 or GEOJSON_STRING.match(line), \
                f"{path.name}:{number} is {len(line)} characters long"


@pytest.mark.parametrize("path", chapter_notebooks(), ids=lambda p: p.name)
def test_prose_lives_in_markdown_and_figures_come_from_data(path):
    """No passage of prose is built in a code cell, and no hand-typed figure ('20,000') sits in code."""
    import ast
    import re

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                prose = re.sub(r"[`{}]", "", text)
                assert not (len(prose) > 400 and ". " in prose), f"{path.name} {cell.id}: prose in code: {text[:80]}..."
                assert not re.search(r"(?<![\w.-])\d{1,3}(?:,\d{3})+(?![\w])", text), f"{path.name} {cell.id}: typed figure in {text[:80]!r}"
