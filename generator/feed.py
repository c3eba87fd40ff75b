"""The Atom feed of a sheet's corrections.

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


def corrections_feed(sheet: Sheet, author: str, base_url: str | None = None) -> str:
    """Atom 1.0 feed of every correction of a sheet, newest first.

    Links are relative to the feed (``<sheet>/corrections.xml``); with
    ``base_url`` (the URL of the folder the generated files are in) they are absolute,
    as feed readers that copy entries elsewhere need them.
    """
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    folder = f"{base_url.rstrip('/')}/{sheet.id}/" if base_url else ""

    def href(path: str) -> str:
        return urljoin(folder, path) if folder else path

    corrections = sheet.corrections()
    dates = ([c.revision.changed for c in corrections] or [s.publication.start for s in sheet.sources]
             or [date(1970, 1, 1)])
    _add(feed, "id", _id(sheet.id, "corrections"))
    _add(feed, "title", f"Corrections: {sheet.info.title}")
    _add(feed, "updated", _stamp(max(dates)))
    _add(_add(feed, "author"), "name", author)
    _add(feed, "link", rel="alternate", type="text/html", href=href(url(PAGE_BY_NAME["corrections"].path)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=href("corrections.xml"))
    for correction in corrections:
        entry = _add(feed, "entry")
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
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
