"""What the facts give a build, as plain data made by :mod:`generator.assemble`.

The plugin hands MkDocs only this: text, lists and mappings, which the theme
and MkDocs take as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostic

# The JSON-LD fields that hold one of the site's own paths; each page publishes them as its URLs.
_SITE_PATHS = frozenset({"url", "contentUrl"})


@dataclass(frozen=True)
class Settings:
    """What the output depends on besides the files of the content and templates folders.

    ``counts`` are the kinds of count tallies may give; ``author`` and ``base_url``
    (the site's name and URL) date and link the corrections feeds; ``history`` is the
    day each sheet's folder last changed in the project's git history, as pairs
    (:func:`generator.history.changed_days`). ``template_cache`` is the folder compiled
    templates are kept in (:func:`generator.templatecache.cache_folder`), if any.
    """

    content_dir: str
    templates_dir: str
    counts: tuple[str, ...]
    nav_sheets_limit: int
    compiled_by: str
    contact: str
    author: str
    base_url: str | None
    licence: str = ""
    licence_url: str = ""
    history: tuple[tuple[str, str], ...] = ()
    template_cache: str | None = None


@dataclass(frozen=True)
class SheetMeta:
    """What the theme adds to every page of one sheet, from the sheet itself."""

    title: str
    jsonld: list[dict[str, Any]]  # schema.org data whose own URLs are site paths: see :func:`published_jsonld`
    footer: dict[str, str]
    print_header: str  # a CSS string
    menu: list[tuple[str, str]]  # the sheet's pages in its sidebar: (title, path within the sheet)


@dataclass(frozen=True)
class SiteOutput:
    """Every generated page and file, the navigation, and what each sheet's pages show of it.

    ``epoch`` is the day the newest sheet last changed, in Unix seconds (the date
    MkDocs gives the sitemap); ``warnings`` are those of the check.
    """

    pages: dict[str, str]
    files: dict[str, str]
    nav: list[Any]
    sheet_links: list[dict[str, str]]
    epoch: str
    sheets: dict[str, SheetMeta]
    warnings: tuple[Diagnostic, ...]


def published_jsonld(items: list[dict[str, Any]], absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """A sheet's JSON-LD as one page publishes it: each site path made a URL by ``absolute``."""
    def publish(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {name: publish(inner, name) for name, inner in value.items()}
        if isinstance(value, list):
            return [publish(inner) for inner in value]
        return absolute(value) if key in _SITE_PATHS and isinstance(value, str) else value

    return [publish(item) for item in items]
