"""Write CITATION.cff at the repository root from data/editions.csv (the current edition) and
_config.yml (title, authors, the published addresses when set). Run after cutting an edition:

    .venv/bin/python scripts/write_citation.py           # rewrite CITATION.cff
    .venv/bin/python scripts/write_citation.py --check   # exit 1 if the committed file differs

tests/test_publishing.py checks that the committed file is this script's output and that it
validates against the Citation File Format 1.2.0 schema.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from panjbook import edition  # noqa: E402
from panjbook.paths import DATA_DIR, ROOT  # noqa: E402

TARGET = ROOT / "CITATION.cff"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escaping is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def cff_text(root: Path = ROOT, data_dir: Path = DATA_DIR) -> str:
    f = edition.citation_fields(root, data_dir)
    lines = [
        "# Written by scripts/write_citation.py from data/editions.csv and _config.yml: edit those, not this file.",
        "cff-version: 1.2.0",
        'message: "If you use this book or its data, please cite it as below."',
        "type: dataset",
        f"title: {_q(f['title'])}",
        "authors:",
        f"  - name: {_q(f['authors'])}",
        f"version: {_q(f['version'])}",
        f"date-released: {f['released'].isoformat()}",
        f"license: {f['licence']['name']}",
    ]
    if f["url"]:
        lines.append(f"url: {_q(f['url'])}")
    if f["repository"]:
        lines.append(f"repository-code: {_q(f['repository'])}")
    lines += [
        f"abstract: {_q('An executable analytical report, with its sourced data, on Tajikistan and the Taliban after August 2021. ' + edition.edition_line(edition.current(data_dir)) + '.')}",
        "preferred-citation:",
        "  type: report",
        f"  title: {_q(f['title'])}",
        "  authors:",
        f"    - name: {_q(f['authors'])}",
        f"  edition: {_q(str(f['edition']))}",
        f"  version: {_q(f['version'])}",
        f"  year: {f['released'].year}",
        f"  date-released: {f['released'].isoformat()}",
        f"  license: {f['licence']['name']}",
    ]
    if f["url"]:
        lines.append(f"  url: {_q(f['url'])}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if CITATION.cff is not the generated text")
    args = parser.parse_args(argv)
    text = cff_text()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is out of date: run python scripts/write_citation.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print("wrote", TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
