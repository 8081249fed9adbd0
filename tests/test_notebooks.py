"""The stored chapters are clean: every code cell ran, in order, and printed nothing stray."""
from __future__ import annotations

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
