"""What the facts give a build, as plain data: made by :mod:`generator.assemble`, or read back from the cache.

The plugin hands MkDocs only this. Being plain data (text, lists, mappings), it
can be kept between runs (:mod:`generator.outputcache`) and read back without
importing the models, the checks or the templates, which is most of what our
part of a build would otherwise cost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from .errors import Diagnostic

# gzip headers (sitemap.xml.gz) hold the time as an unsigned 32-bit number.
EPOCH_RANGE = (0, 2**32 - 1)
# The JSON-LD fields that hold one of the site's own paths; each page publishes them as its URLs.
_SITE_PATHS = frozenset({"url", "contentUrl"})


@dataclass(frozen=True)
class Settings:
    """What the output depends on besides the files of the content and templates folders.

    ``counts`` are the kinds of count tallies may give; ``author`` and ``base_url``
    (the site's name and URL) date and link the corrections feeds; ``history`` is the
    day each sheet's folder last changed in the project's git history, as pairs
    (:func:`generator.history.changed_days`).
    """

    content_dir: str
    templates_dir: str
    project_folder: str
    counts: tuple[str, ...]
    nav_sheets_limit: int
    compiled_by: str
    contact: str
    author: str
    base_url: str | None
    licence: str = ""
    licence_url: str = ""
    history: tuple[tuple[str, str], ...] = ()


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

    def to_json(self) -> str:
        """The output as JSON, which :meth:`from_json` reads back equal, in the same order.

        Order matters: MkDocs lists the pages, and so the search index its entries, in it.
        """
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SiteOutput:
        """Read back what :meth:`to_json` wrote; ``ValueError`` (or ``KeyError``, ``TypeError``) if it is not that."""
        data = json.loads(text)
        return cls(pages=data["pages"], files=data["files"], nav=data["nav"], sheet_links=data["sheet_links"],
                   epoch=data["epoch"], sheets={sheet: _sheet_meta(meta) for sheet, meta in data["sheets"].items()},
                   warnings=tuple(Diagnostic(**warning) for warning in data["warnings"]))


def _sheet_meta(data: dict[str, Any]) -> SheetMeta:
    """A sheet's :class:`SheetMeta` from JSON, whose pairs came back as lists."""
    return SheetMeta(**{**data, "menu": [(title, path) for title, path in data["menu"]]})


def published_jsonld(items: list[dict[str, Any]], absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """A sheet's JSON-LD as one page publishes it: each site path made a URL by ``absolute``."""
    def publish(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {name: publish(inner, name) for name, inner in value.items()}
        if isinstance(value, list):
            return [publish(inner) for inner in value]
        return absolute(value) if key in _SITE_PATHS and isinstance(value, str) else value

    return [publish(item) for item in items]
