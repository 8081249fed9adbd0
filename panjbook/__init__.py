"""Shared logic of the book "Across the Panj".

Notebooks import from here so that they stay thin: load a table, shape it,
chart it with the house theme, glue the numbers into the prose.

Names are imported on first use (PEP 562), so that the build and the Sphinx extension,
which need only paths and data, do not pay for importing Altair.
"""
import sys
from importlib import import_module

# jsonschema (imported by Altair, nbformat and Jupyter Book) imports rfc3987_syntax when it is
# installed, as the test environment has it (for JupyterLab), and compiles 38 Lark grammars on
# import (0.7 s in every kernel and build process) only to check the string formats "iri" and
# "iri-reference", which no schema the book validates against uses (Vega-Lite, nbformat, Jupyter
# Book's configuration). The book's processes go without it, as the build environment, which
# lacks it, always does; jsonschema then skips those two formats.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)

_SUBMODULES = {"assess", "charts", "codebook", "data", "execute", "rules", "sourcing", "text", "theme", "render"}
_NAMES = {
    "DataError": "panjbook.data", "cite_events": "panjbook.data", "event_day": "panjbook.data", "load": "panjbook.data",
    "load_all": "panjbook.data", "source_line": "panjbook.data",
    "BOOK_DIR": "panjbook.paths", "BUILD_DIR": "panjbook.paths", "DATA_DIR": "panjbook.paths", "ROOT": "panjbook.paths",
    "ACTOR_COLOURS": "panjbook.theme", "actor_colour_scale": "panjbook.theme", "titled": "panjbook.theme",
    "setup": "panjbook.render", "glue": "panjbook.render", "glue_cite": "panjbook.render",
    "glue_events": "panjbook.render", "glue_judgments": "panjbook.render",
    "weak_note": "panjbook.sourcing",
}
_ALIASES = {"enable_renderer": ("panjbook.render", "enable")}

__all__ = sorted(_SUBMODULES | set(_NAMES) | set(_ALIASES))


def __getattr__(name: str):
    if name in _SUBMODULES:
        return import_module(f"panjbook.{name}")
    if name in _NAMES:
        return getattr(import_module(_NAMES[name]), name)
    if name in _ALIASES:
        module, attribute = _ALIASES[name]
        return getattr(import_module(module), attribute)
    raise AttributeError(f"module 'panjbook' has no attribute '{name}'")


def __dir__() -> list[str]:
    return __all__
