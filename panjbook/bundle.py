"""The book's own copy of Vega, Vega-Lite and Vega-Embed, which every chart page loads (no CDN).

Made by vl-convert for the Vega-Lite version Altair writes; about 0.9 MB and 2 s to make, so a
build keeps it in its build folder and makes it again only when the versions change. Light to
import: panjbook.build asks whether it is current without importing vl-convert or Altair.
"""
from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path

BUNDLE_NAME = "panj-vega.js"
BUNDLE_READY = "vega-bundle"  # what the build announces once the bundle in its folder is current (panjbook.execute.announce)


def bundle_cache(build_dir: Path) -> Path:
    """Where a build keeps the bundle between builds: beside the builders' output folders."""
    return build_dir / ".vega-bundle" / BUNDLE_NAME


def bundle_stamp() -> str:
    """First line of the bundle: the versions it was made from (made again when they change)."""
    # Altair's version fixes the Vega-Lite version.
    return f"/* Vega bundle for the book: vl-convert {version('vl-convert-python')}, altair {version('altair')} */\n"


def vega_bundle() -> str:
    # Wrapped in a function so the bundle's top-level names stay out of the page's scope;
    # vl-convert's default snippet puts vegaEmbed, vegaLite and vega on window.
    import vl_convert

    from panjbook.render import VEGALITE_VERSION

    code = vl_convert.javascript_bundle(vl_version=VEGALITE_VERSION)
    return bundle_stamp() + "(function () {\n" + code + "\n})();\n"


def is_current(path: Path) -> bool:
    if not path.exists():
        return False
    with open(path, encoding="utf-8") as handle:
        return handle.readline() == bundle_stamp()


def ensure_bundle(path: Path) -> bool:
    """Write the bundle to ``path`` unless the one there is current; True if written."""
    if is_current(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.part")  # another process may be writing it too
    partial.write_text(vega_bundle(), encoding="utf-8")
    partial.replace(path)  # never a half-written bundle
    return True
