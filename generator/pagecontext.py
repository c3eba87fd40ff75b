"""What the theme shows on each generated page from its sheet: menu, search titles, data, footer, title.

Pure functions of a page and its sheet's :class:`~generator.output.SheetMeta`;
the plugin's hooks hand their results to MkDocs and the theme.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .navigation import sheet_nav, under
from .output import SheetMeta, published_jsonld
from .registry import PAGE_BY_NAME

# Markdown extensions the generated pages are written for (MkDocs itself always adds toc,
# tables and fenced_code): ids and classes, the summary box, Markdown inside claim cards.
NEEDED_EXTENSIONS = ("attr_list", "def_list", "md_in_html")
# What Markdown leaves in a page's HTML when an extension the page needs did not run:
# attribute lists ({: .class }, {#id}) and blocks meant to hold Markdown.
_UNRENDERED = re.compile(r"\{[:#][^}\n]*\}|<[a-z]+\b[^>]*\smarkdown(?:=\S+)?[\s>]")
# Text that every match of _UNRENDERED holds.
_UNRENDERED_MARKERS = ("{:", "{#", "markdown")
# Where such text is meant literally: charts (SVG, whose text holds fact text as it is) and code.
_LITERAL = re.compile(r"<(svg|code)\b.*?</\1>", re.DOTALL)


def sheet_of(local: str) -> str:
    """The sheet id of a generated page's path (the first folder of ``local``)."""
    return local.split("/", 1)[0]


def page_meta(meta: SheetMeta, local: str, depth: int, site_url: str | None, prefix: str) -> dict[str, Any]:
    """What the theme prints on the generated page ``local`` from its sheet: structured data, footer, header.

    ``depth`` is how many folders deep the page is in the site; ``prefix`` the plugin's folder.
    """
    sheet_id = sheet_of(local)

    def absolute(path: str) -> str:
        return urljoin(site_url, under(prefix, path)) if site_url else "../" * depth + under(prefix, path)

    # The sheet's address, to cite it, only where it is known: a site path alone cites nothing.
    address = absolute(meta.footer["overview"]) if site_url else ""
    # The reports the dataset is based on are listed on its own page, the data page: in the
    # head of every page, a sheet of thousands of reports would cost each page all of them.
    jsonld = meta.jsonld if local == f"{sheet_id}/{PAGE_BY_NAME['data'].path}" else [
        {key: value for key, value in item.items() if key != "isBasedOn"} for item in meta.jsonld]
    return {
        "factsheet_jsonld": published_jsonld(jsonld, absolute),
        "factsheet_sheet": meta.title,
        "factsheet_footer": {**meta.footer, "url": address},
        # The sheet's first page and its print open with who made it, when, and how to cite it.
        "factsheet_provenance": local in (f"{sheet_id}/index.md", f"{sheet_id}/print.md"),
        "factsheet_print_header": meta.print_header,
        "factsheet_feeds": [
            {"title": f"Corrections: {meta.title}", "href": absolute(f"{sheet_id}/corrections.xml")},
            {"title": f"How the reported figures changed: {meta.title}", "href": absolute(f"{sheet_id}/changes.xml")},
        ],
    }


def sheet_menu(nav: Navigation, meta: SheetMeta, local: str, page: Page,
               find: Callable[[str], Page | None], all_sheets: str) -> tuple[Navigation, Page | None]:
    """The navigation as the page ``local`` of a sheet shows it, and the menu entry to light for it.

    ``find`` gives the page of a generated path (or None); ``all_sheets`` is the URL of
    the list of every sheet. A page the menu does not list (an actor's) lights its
    folder's page, which the caller puts out again after the page.
    """
    sheet_id = sheet_of(local)
    pages = {path: find(f"{sheet_id}/{path}") for _, path in meta.menu}
    shown = sheet_nav(nav, html.escape(meta.title), [p for p in pages.values() if p is not None], all_sheets)
    folder = local.removeprefix(f"{sheet_id}/").rpartition("/")[0]
    owner = pages.get(f"{folder}/index.md") if folder else None
    return shown, owner if owner is not None and owner is not page else None


def search_titles(entries: list[dict[str, Any]], url: str, sheet_title: str) -> None:
    """Name the sheet in the search entries of its page at ``url``: "Timeline" alone would not say which event's."""
    title = html.escape(sheet_title)
    for entry in entries:
        if entry["location"] == url and entry["title"] != title:
            entry["title"] = f"{entry['title']} · {title}"


def escaped_title(title: str) -> str:
    """A generated page's title as themes may print it unescaped (``<title>``, breadcrumbs, search).

    MkDocs takes the title from the first heading as plain text, which still holds the
    numeric references that made it literal in Markdown (``&#38;``): decode, then escape once.
    """
    return html.escape(html.unescape(title))


def unrendered(html_text: str) -> str | None:
    """Markdown syntax left in a generated page's HTML, which an extension the pages need should have applied."""
    if not any(marker in html_text for marker in _UNRENDERED_MARKERS):
        return None  # as nearly every page: the regular expressions cost 0.1 s at 1,000 pages
    found = _UNRENDERED.search(_LITERAL.sub("", html_text))
    return found.group(0) if found else None
