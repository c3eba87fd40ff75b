"""Data downloads of a sheet: facts.json, CSV per kind of fact, and JSON-LD.

Pure functions returning text; the plugin publishes them as site files.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from typing import Any

from .models import Strict
from .registry import CSV_KINDS, KINDS, PAGE_BY_NAME, FactFile, Kind, url
from .sheet import Sheet

# Spreadsheet programs run a cell that starts with one of these as a formula;
# such text gets a leading apostrophe, which they show as plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def fact_file(sheet: Sheet) -> Strict:
    """The whole sheet as one fact file: the shape of facts.json and of schema.json."""
    return FactFile.model_validate({"sheet": sheet.info, **{kind.section: list(sheet.of(kind.section))
                                                             for kind in KINDS}})


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


def facts_csv(sheet: Sheet, kind: Kind) -> str:
    """One CSV table of a kind of fact: a header row, then one row per fact in reading order, UTF-8."""
    if not kind.columns:
        raise ValueError(f"{kind.section} has no CSV columns")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in kind.columns])
    writer.writerows([[spreadsheet_cell(column.value(item)) for column in kind.columns]
                      for item in sheet.in_order(kind.section)])
    return out.getvalue()


def downloads(sheet: Sheet) -> dict[str, str]:
    """Every download of one sheet, keyed by path relative to the site root."""
    files = {f"{sheet.id}/facts.json": facts_json(sheet)}
    for kind in CSV_KINDS:
        files[f"{sheet.id}/{kind.section}.csv"] = facts_csv(sheet, kind)
    return files


def json_ld(sheet: Sheet) -> list[dict[str, Any]]:
    """schema.org ``Event`` for the incident and ``Dataset`` for its downloads.

    Its own URLs (``url``, ``contentUrl``) are site paths, which each page
    publishes as URLs (:func:`generator.output.published_jsonld`).
    """
    overview = url(PAGE_BY_NAME["overview"].path)
    event: dict[str, Any] = {"@context": "https://schema.org", "@type": "Event", "name": sheet.info.title,
                             "description": sheet.info.summary, "url": f"{sheet.id}/{overview}"}
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
        "url": f"{sheet.id}/{url(PAGE_BY_NAME['data'].path)}",
        "isBasedOn": [s.url for s in sheet.sources if s.url] or [s.title for s in sheet.sources],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "application/json",
             "contentUrl": f"{sheet.id}/facts.json"},
            *({"@type": "DataDownload", "encodingFormat": "text/csv",
               "contentUrl": f"{sheet.id}/{k.section}.csv"} for k in CSV_KINDS),
        ],
    }
    return [event, dataset]
