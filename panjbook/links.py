"""Links of the built HTML book, checked offline: every internal link and anchor must resolve.

    broken_links(Path("_build/html"))   # -> ["book/index.html: href 'x.html#y' (no id 'y' in book/x.html)", ...]

Internal means no scheme and no host: ``page.html``, ``../data/x.csv``, ``#anchor``. Links to other
hosts are not followed here (scripts/check_links.py checks the sources' addresses when a network
is there).
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Where each tag names an address the reader follows or the page loads.
LINK_ATTRIBUTES = {"a": "href", "link": "href", "area": "href", "img": "src", "script": "src",
                   "iframe": "src", "source": "src", "audio": "src", "video": "src", "embed": "src"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, address)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and attrs.get(attribute) is not None:
            self.links.append((attribute, attrs[attribute]))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def is_internal(address: str) -> bool:
    parts = urlsplit(address)
    return not parts.scheme and not parts.netloc


def broken_links(html_dir: Path) -> list[str]:
    """Every internal link or anchor of every page under ``html_dir`` that points nowhere."""
    html_dir = Path(html_dir).resolve()
    parsed: dict[Path, _Page] = {}

    def page(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    broken = []
    for source in sorted(html_dir.rglob("*.html")):
        if "_static" in source.relative_to(html_dir).parts:
            continue  # the theme's template fragments, not pages
        where = source.relative_to(html_dir).as_posix()
        for attribute, address in page(source).links:
            if not is_internal(address) or address.startswith(("javascript:", "data:")):
                continue
            parts = urlsplit(address)
            target = source if not parts.path else (source.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if html_dir not in target.parents and target != html_dir:
                broken.append(f"{where}: {attribute} {address!r} (outside the site)")
                continue
            if not target.exists():
                broken.append(f"{where}: {attribute} {address!r} (no file {target.relative_to(html_dir).as_posix()})")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in page(target).ids:
                broken.append(f"{where}: {attribute} {address!r} (no id {fragment!r} in {target.relative_to(html_dir).as_posix()})")
    return broken
