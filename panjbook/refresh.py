"""Re-run chapters and store their outputs, so that nbval can hold them strictly.

    python -m panjbook.refresh                       # every chapter in book/
    python -m panjbook.refresh book/background.ipynb

Each notebook runs top to bottom in its own folder, in a fresh kernel, side by side with the
others (panjbook.execute, as in the build); no timing metadata is stored, so running it twice on
the same data writes the same file. A notebook that fails is left as it was.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from panjbook.execute import chapter_notebooks, longest_first, run_side_by_side


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-run chapters and store their outputs.")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    failed = []
    for path, notebook, seconds, error, _reads in run_side_by_side(longest_first([p.resolve() for p in args.notebooks] or chapter_notebooks())):
        if error is not None:
            print(f"[refresh] {path}: FAILED, left unchanged: {error}", file=sys.stderr, flush=True)
            failed.append(path)
            continue
        notebook.metadata.pop("widgets", None)
        nbformat.write(notebook, path)
        print(f"[refresh] {path} in {seconds:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
