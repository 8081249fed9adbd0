"""Re-run chapters and store their outputs, so that nbval can hold them strictly.

    python -m panjbook.refresh                       # every chapter in book/
    python -m panjbook.refresh book/background.ipynb

Each notebook runs top to bottom in its own folder, in a fresh kernel; execution counts are
renumbered from 1 and no timing metadata is stored, so running it twice on the same data
writes the same file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from panjbook.paths import BOOK_DIR


def chapter_notebooks() -> list[Path]:
    return sorted(p for p in BOOK_DIR.glob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-run chapters and store their outputs.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    for path in args.notebooks or chapter_notebooks():
        print(f"[refresh] {path}", flush=True)
        refresh(path.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
