"""Where the generated pages go in a site's navigation, beside the site's own pages.

The plugin publishes its pages under one folder of the site (the ``path`` option;
empty for the site root). A site without a ``nav:`` of its own gets its own pages
as MkDocs would list them, then the fact sheets and the editors' guide. A site
with a ``nav:`` keeps it, with the fact sheets and the guide added at its end,
unless it already lists one of the generated pages: then it placed them itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mkdocs import utils
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

HOME = "index.md"
SHEETS_SECTION = "Fact sheets"


def nav_paths(nav: Any) -> Iterator[str]:
    """Every page path in a nav structure."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_paths(item)


def under(prefix: str, path: str) -> str:
    """``path`` of a generated file as a path of the site: inside ``prefix``, the plugin's folder."""
    return f"{prefix}/{path}" if prefix else path


def _prefixed(nav: Any, prefix: str) -> Any:
    if isinstance(nav, str):
        return under(prefix, nav)
    if isinstance(nav, dict):
        return {title: _prefixed(value, prefix) for title, value in nav.items()}
    return [_prefixed(item, prefix) for item in nav]


def _nested(paths: list[str]) -> list[Any]:
    """Pages as MkDocs lists them in a site without a ``nav:``: a section per folder."""
    return list(utils.nest_paths(paths))  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped


def site_nav(ours: list[Any], prefix: str, user_nav: list[Any] | None, user_pages: list[str]) -> list[Any]:
    """The navigation of the whole site.

    ``ours`` is the generated pages' navigation as if they were the whole site (a
    ``Home`` entry first, then sections); ``prefix`` the folder they are published in;
    ``user_nav`` the site's ``nav:`` if it has one, and ``user_pages`` the site's own
    Markdown pages, in MkDocs' order.
    """
    home, *sections = _prefixed(ours, prefix)
    if user_nav is not None:
        if set(nav_paths([home, *sections])) & set(nav_paths(user_nav)):
            return user_nav
        return [*user_nav, *_sheets_first(home, sections)]
    if not prefix:
        # At the site's root, the home page (the site's own index.md, if it has one) stays first.
        return [home, *_nested([page for page in user_pages if page != HOME]), *sections]
    return [*_nested(user_pages), *_sheets_first(home, sections)]


def _sheets_first(home: dict[str, str], sections: list[Any]) -> list[Any]:
    """Our sections inside someone else's site: the list of every sheet opens the sheets' section."""
    (home_path,) = home.values()
    if not sections or SHEETS_SECTION not in sections[0]:
        return [{SHEETS_SECTION: [{"All fact sheets": home_path}]}, *sections]
    first, *rest = sections
    return [{SHEETS_SECTION: [{"All fact sheets": home_path}, *first[SHEETS_SECTION]]}, *rest]


def sheet_nav(nav: Navigation, title: str, pages: list[Page], all_sheets: str) -> Navigation:
    """The site's navigation as a page of one sheet shows it.

    Its *Fact sheets* section holds a link to ``all_sheets`` (the URL of the list of
    every sheet) and this sheet's ``pages`` under its ``title``, and no other sheet:
    a reader of one sheet is never shown, nor sent to, another sheet's pages. The
    section is open (active) whether or not the page itself is listed.
    """
    sheet = Section(title, list(pages))
    group = Section(SHEETS_SECTION, [Link("All fact sheets", all_sheets), sheet])
    sheet.active = group.active = True
    items = [group if isinstance(item, Section) and item.title == SHEETS_SECTION else item for item in nav.items]
    if group not in items:
        # Too many sheets to list: the site's navigation has no section of them.
        items.insert(1 if items and isinstance(items[0], Page) else 0, group)
    return Navigation(items, nav.pages)
