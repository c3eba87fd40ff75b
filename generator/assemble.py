"""From checked sheets and their rendered pages to what a build is given (:class:`~generator.output.SiteOutput`).

The navigation, each sheet's footer, structured data and printed header, the
sheets' links for the home page's menu, and the date MkDocs puts on the site:
everything the plugin once worked out from the sheets during a build, now
worked out once, as plain data that can be kept between runs.
"""

from __future__ import annotations

import calendar
import functools
import html
from datetime import date
from importlib.metadata import distribution
from typing import Any

import click

from .dates import long_date
from .docgen import CommandDoc, cli_reference
from .export import json_ld
from .navigation import SHEETS_SECTION
from .output import Settings, SheetMeta, SiteOutput
from .registry import PAGE_BY_NAME, PAGES, url
from .render import GUIDE_PAGES
from .reproducible import EPOCH_RANGE
from .sheet import Project, Sheet


def assemble(project: Project, pages: dict[str, str], files: dict[str, str], settings: Settings) -> SiteOutput:
    """What a build is given: ``pages`` and ``files`` as rendered, and what goes with them from ``project``."""
    overview = url(PAGE_BY_NAME["overview"].path)
    return SiteOutput(
        pages=pages, files=files, nav=project_nav(project, settings.nav_sheets_limit),
        sheet_links=[{"title": s.info.title, "url": f"{s.id}/{overview}"} for s in project.sheets],
        epoch=content_epoch(project, settings),
        sheets={sheet.id: sheet_meta(sheet, settings) for sheet in project.sheets},
        warnings=tuple(project.warnings))


def changed_day(sheet: Sheet, settings: Settings) -> date | None:
    """The day ``sheet``'s facts last changed: its folder's last commit, else the ``updated`` day it gives.

    Never a source's date: a report published in 2017 says nothing of when the sheet was last edited.
    """
    committed = dict(settings.history).get(sheet.id)
    return date.fromisoformat(committed) if committed else sheet.info.updated


def sheet_meta(sheet: Sheet, settings: Settings) -> SheetMeta:
    """What the theme adds to every page of ``sheet``: structured data, provenance and printed header."""
    changed = changed_day(sheet, settings)
    sources = _sources_line(sheet)
    compiled_by = sheet.info.compiled_by or settings.compiled_by
    # How to cite it: who, what, where, when; the theme adds the sheet's URL when the site has one.
    cite = ", ".join(part for part in (compiled_by, f"“{sheet.info.title}”", settings.author,
                                       f"last changed {long_date(changed)}" if changed else "") if part)
    # Who compiled it, from what, when, under what licence, and whom to tell of an error.
    footer = {"compiled_by": compiled_by, "contact": settings.contact, "sources": sources,
              "changed": long_date(changed) if changed else "", "licence": settings.licence,
              "licence_url": settings.licence_url, "cite": cite,
              "overview": f"{sheet.id}/{url(PAGE_BY_NAME['overview'].path)}"}
    menu = [(page.title, page.path) for page in PAGES if page.in_sidebar]
    return SheetMeta(sheet.info.title, json_ld(sheet), footer, css_string(f"{sheet.info.title} · {sources}"), menu)


def project_nav(project: Project, sheets_limit: int = 10) -> list[Any]:
    """Navigation in tabs: the home page, the sheets, and the editors' guide.

    The sheets' tab holds each sheet's pages (up to ``sheets_limit`` sheets); the guide is a
    tab of its own, so readers never meet it in their sidebar. The home page stays at the top
    level, where MkDocs and the theme know it as the home page (the logo links to it).

    Per-actor pages are left out: listing every entity page in the sidebar
    makes Material's build time grow roughly quadratically with page count.
    """
    # Themes print nav titles as HTML, unescaped: escape fact text here.
    sheets = [{html.escape(sheet.info.title): [{page.title: f"{sheet.id}/{page.path}"}
                                               for page in PAGES if page.in_sidebar]}
              for sheet in (project.sheets if len(project.sheets) <= sheets_limit else ())]
    guide = [{title: path} for path, (_, title) in GUIDE_PAGES.items()]
    return [{"Home": "index.md"}, *([{SHEETS_SECTION: sheets}] if sheets else []), {"Guide for editors": guide}]


def content_epoch(project: Project, settings: Settings) -> str:
    """Midnight UTC of the day the newest sheet last changed, as Unix seconds.

    A sheet's day is :func:`changed_day`; a sheet without one is dated by its data
    (:attr:`Sheet.newest_date`).

    Clamped to what a gzip header can hold (1970 to 2106): a sheet about an
    older event still builds, and still reproducibly, dated 1 January 1970.
    """
    days = (changed_day(sheet, settings) or sheet.newest_date for sheet in project.sheets)
    dates = [day for day in days if day is not None]
    if not dates:
        return "0"
    low, high = EPOCH_RANGE
    return str(min(max(calendar.timegm(max(dates).timetuple()), low), high))


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string; every character but letters, digits and spaces hex-escaped.

    Each escape ends in a space, which CSS takes as the escape's end, so the text's own spaces stay.
    """
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x} "
                         for ch in text) + '"'


@functools.cache
def commands() -> list[CommandDoc]:
    """The ``factsheet`` commands, for the guide's command-line page.

    The command line sits above the plugin and this module (it runs builds through
    them), so they find it the way MkDocs finds the plugin: by the package's entry
    point, not by an import that would close a circle.
    """
    # Our own distribution's entry points only: listing every installed one's took 2-5 ms a build.
    (script,) = distribution("factsheet").entry_points.select(group="console_scripts", name="factsheet")
    group = script.load()
    if not isinstance(group, click.Group):
        raise TypeError(f"the factsheet entry point is {type(group).__name__}, not a click group")
    return cli_reference(group)


def _sources_line(sheet: Sheet) -> str:
    """The reports a sheet draws on, in a few words: the one report's outlets and day, or how many."""
    if len(sheet.sources) == 1:
        source = sheet.sources[0]
        return f"from {' / '.join(source.publishers)}, {source.publication.display()}"
    return f"from {len(sheet.sources)} reports ({sheet.stories} independent)"
