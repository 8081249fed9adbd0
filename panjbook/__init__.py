"""Shared logic of the book "Across the Panj".

Notebooks import from here so that they stay thin: load a table, shape it,
chart it with the house theme, glue the numbers into the prose.
"""
from panjbook import charts, codebook, text, theme
from panjbook.data import DataError, cite_events, load, load_all, source_line
from panjbook.paths import BOOK_DIR, BUILD_DIR, DATA_DIR, ROOT
from panjbook.theme import ACTOR_COLOURS, actor_colour_scale, titled
from panjbook.render import enable as enable_renderer
from panjbook.render import setup

__all__ = [
    "ACTOR_COLOURS", "BOOK_DIR", "BUILD_DIR", "DATA_DIR", "DataError", "ROOT", "cite_events",
    "actor_colour_scale", "charts", "codebook", "text", "theme", "enable_renderer", "load", "load_all", "setup", "source_line", "titled",
]
