"""Data downloads of a sheet: facts.json, CSV per kind of fact, and JSON-LD.

Pure functions returning text; the plugin publishes them as site files.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from .models import Evidence, FactFile
from .sheet import Sheet

# Spreadsheet programs run a cell that starts with one of these as a formula;
# such text gets a leading apostrophe, which they show as plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_KINDS = ("tallies", "events", "actors", "places", "quotes")


def fact_file(sheet: Sheet) -> FactFile:
    """The whole sheet as one fact file: the shape of facts.json and of schema.json."""
    return FactFile(sheet=sheet.info, sources=list(sheet.sources), actors=list(sheet.actors),
                    places=list(sheet.places), events=list(sheet.events), tallies=list(sheet.tallies),
                    quotes=list(sheet.quotes), context=list(sheet.context))


def facts_json(sheet: Sheet) -> str:
    """The normalized sheet as JSON, valid against :func:`json_schema`."""
    data = fact_file(sheet).model_dump(mode="json", exclude_none=True)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@functools.cache
def json_schema() -> str:
    """JSON Schema of a fact file and of facts.json, generated from the models."""
    schema = FactFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "factsheet fact file"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def spreadsheet_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as the text written, never runs."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _evidence_columns(evidence: Iterable[Evidence]) -> list[str]:
    items = list(evidence)
    return [" | ".join(e.source for e in items), " | ".join(e.quote for e in items)]


def _rows(sheet: Sheet, kind: str) -> tuple[list[str], list[list[object]]]:
    evidence = ["evidence_sources", "evidence_quotes"]
    if kind == "tallies":
        return (["id", "counts", "scope", "where", "claimant", "qualifier", "value", "low", "high", "unit", "note",
                 "derivation", "context", "date", "revised_from", *evidence],
                [[t.id, t.counts, t.scope, t.where, t.claimant, t.qualifier, t.value, t.low, t.high, t.unit, t.note,
                  t.derivation, t.context, t.date.value if t.date else None, _revised_from(t.revisions),
                  *_evidence_columns(t.evidence)] for t in sheet.tallies])
    if kind == "events":
        return (["id", "date", "date_as_written", "start", "end", "title", "description", "actors", "places",
                 "revised_from", *evidence],
                [[e.id, e.date.value, e.date.as_written, e.date.period.start.isoformat(),
                  e.date.period.end.isoformat(), e.title, e.description, " | ".join(e.actors), " | ".join(e.places),
                  _revised_from(e.revisions), *_evidence_columns(e.evidence)] for e in sheet.timeline()])
    if kind == "actors":
        return (["id", "name", "aliases", "kind", "role", "affiliation", "description", *evidence],
                [[a.id, a.name, " | ".join(a.aliases), a.kind, a.role, a.affiliation, a.description,
                  *_evidence_columns(a.evidence)] for a in sheet.actors])
    if kind == "places":
        return (["id", "name", "kind", "within", "description", *evidence],
                [[p.id, p.name, p.kind, p.within, p.description, *_evidence_columns(p.evidence)]
                 for p in sheet.places])
    return (["id", "speaker", "text", "setting", "date", "revised_from", *evidence],
            [[q.id, q.speaker, q.text, q.setting, q.date.value if q.date else None, _revised_from(q.revisions),
              *_evidence_columns(q.evidence)] for q in sheet.quotes])


def _revised_from(revisions: Iterable[Any]) -> str:
    return " | ".join(f"{r.previous} (until {r.changed.isoformat()})" for r in revisions)


def facts_csv(sheet: Sheet, kind: str) -> str:
    """One CSV table of a kind of fact: a header row, then one row per fact, UTF-8."""
    header, rows = _rows(sheet, kind)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[spreadsheet_cell(cell) for cell in row] for row in rows])
    return out.getvalue()


def downloads(sheet: Sheet) -> dict[str, str]:
    """Every download of one sheet, keyed by path relative to the site root."""
    files = {f"{sheet.id}/facts.json": facts_json(sheet)}
    for kind in CSV_KINDS:
        files[f"{sheet.id}/{kind}.csv"] = facts_csv(sheet, kind)
    return files


def json_ld(sheet: Sheet, absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """schema.org ``Event`` for the incident and ``Dataset`` for its downloads.

    ``absolute`` turns a site path into the URL to publish (absolute when the
    site's URL is known, relative to the page otherwise).
    """
    event: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event", "name": sheet.info.title,
                             "description": sheet.info.summary, "url": absolute(f"{sheet.id}/index.html")}
    if sheet.info.date:
        period = sheet.info.date.period
        event["startDate"] = period.start.isoformat()
        event["endDate"] = period.end.isoformat()
    if sheet.info.place:
        place = sheet.place_by_id[sheet.info.place]
        event["location"] = {"@type": "Place", "name": place.name}
        if place.within:
            event["location"]["containedInPlace"] = {"@type": "Place", "name": sheet.place_by_id[place.within].name}
    dataset = {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": f"Facts: {sheet.info.title}", "description": sheet.info.summary,
        "url": absolute(f"{sheet.id}/data.html"),
        "isBasedOn": [s.url for s in sheet.sources if s.url] or [s.headline for s in sheet.sources],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "application/json",
             "contentUrl": absolute(f"{sheet.id}/facts.json")},
            *({"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": absolute(f"{sheet.id}/{k}.csv")}
              for k in CSV_KINDS),
        ],
    }
    return [event, dataset]
