"""The Atom feeds of a sheet: how its reported figures changed, and the editors' corrections.

Built with ElementTree, which escapes every text and attribute, so fact text
cannot become markup. Deterministic: ids are name-based UUIDs and dates come
from the content, never from the clock.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urljoin

from .models import Source
from .registry import PAGE_BY_NAME, link, url
from .sheet import Sheet

ATOM = "http://www.w3.org/2005/Atom"


def _id(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "factsheet:" + "/".join(parts)).urn


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _cite(source: Source) -> str:
    return f"{', '.join(source.publishers)}, {source.title} ({source.published})"


class _Feed:
    """One feed of a sheet, its page and its file; links relative to the feed, or absolute under ``base_url``."""

    def __init__(self, sheet: Sheet, name: str, title: str, author: str, base_url: str | None,
                 dates: list[date]) -> None:
        ET.register_namespace("", ATOM)
        self.folder = f"{base_url.rstrip('/')}/{sheet.id}/" if base_url else ""
        self.root = ET.Element(f"{{{ATOM}}}feed")
        # A feed with no entry yet is dated by the reports, so that it too is the same on every build.
        dated = dates or [s.publication.start for s in sheet.sources] or [date(1970, 1, 1)]
        _add(self.root, "id", _id(sheet.id, name))
        _add(self.root, "title", f"{title}: {sheet.info.title}")
        _add(self.root, "updated", _stamp(max(dated)))
        _add(_add(self.root, "author"), "name", author)
        _add(self.root, "link", rel="alternate", type="text/html", href=self.href(url(PAGE_BY_NAME[name].path)))
        _add(self.root, "link", rel="self", type="application/atom+xml", href=self.href(f"{name}.xml"))

    def href(self, path: str) -> str:
        return urljoin(self.folder, path) if self.folder else path

    def text(self) -> str:
        ET.indent(self.root)
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(self.root, encoding="unicode") + "\n"


def changes_feed(sheet: Sheet, author: str, base_url: str | None = None) -> str:
    """Atom 1.0 feed of how the reported figures changed: every revision by a later report, newest first.

    Links are relative to the feed (``<sheet>/changes.xml``); with ``base_url`` (the URL
    of the folder the generated files are in) they are absolute, as feed readers that
    copy entries elsewhere need them.
    """
    corrections = sheet.changes()
    feed = _Feed(sheet, "changes", "How the reported figures changed", author, base_url,
                 [c.revision.changed for c in corrections])
    href = feed.href
    for correction in corrections:
        entry = _add(feed.root, "entry")
        revision = correction.revision
        _add(entry, "id", _id(sheet.id, correction.fact.id, revision.changed.isoformat(), revision.earlier))
        _add(entry, "title", f"Revised: {correction.subject}, as reported by {correction.outlet}")
        _add(entry, "updated", _stamp(revision.changed))
        where = url(link(correction.fact.id, correction.kind.singular))
        _add(entry, "link", rel="alternate", type="text/html", href=href(where))
        source = sheet.source_by_id[revision.source]
        earlier = "; ".join(_cite(sheet.source_by_id[ident]) for ident in revision.earlier_reports)
        before = f" ({earlier})" if earlier else ""
        change = f" ({correction.change})" if correction.change else ""
        _add(entry, "summary", f"Now: {correction.current}{change}. Revised from: {revision.earlier}{before}. "
                               f"Reason: {revision.reason} Source: {_cite(source)}.")
    return feed.text()


def corrections_feed(sheet: Sheet, author: str, base_url: str | None = None) -> str:
    """Atom 1.0 feed of the editors' corrections to the sheet, newest first; links as :func:`changes_feed`'s."""
    log = sorted(sheet.info.corrections, key=lambda c: c.fixed, reverse=True)
    feed = _Feed(sheet, "corrections", "Corrections", author, base_url, [c.fixed for c in log])
    page = feed.href(url(PAGE_BY_NAME["corrections"].path))
    for correction in log:
        entry = _add(feed.root, "entry")
        _add(entry, "id", _id(sheet.id, "correction", correction.fixed.isoformat(), correction.wrong))
        _add(entry, "title", f"Corrected on {correction.fixed.isoformat()}: {correction.wrong}")
        _add(entry, "updated", _stamp(correction.fixed))
        _add(entry, "link", rel="alternate", type="text/html", href=page)
        _add(entry, "summary", f"Was wrong: {correction.wrong} Now: {correction.now} Why: {correction.why}")
    return feed.text()
