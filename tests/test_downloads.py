"""Data downloads: facts.json against its schema, CSV round trips, JSON-LD, schema.json kept current."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.export import fact_file, facts_csv, facts_json, json_ld, json_schema, spreadsheet_cell
from generator.models import Actor, Event, Place, Quote, Tally
from generator.output import SheetMeta
from generator.pagecontext import page_meta
from generator.registry import CSV_KINDS, Kind
from generator.sheet import Sheet
from generator.yamlsource import Document, parse

from .helpers import HOMS, ROOT, homs_sheet


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    found = homs_sheet()
    return found


def test_committed_schema_is_current() -> None:
    assert (ROOT / "schema.json").read_text(encoding="utf-8") == json_schema(), \
        "schema.json is stale: run `factsheet schema > schema.json`"


def test_published_facts_json_is_valid_against_the_published_schema(built_site: Path, sheet: Sheet) -> None:
    schema = json.loads((built_site / "schema.json").read_text(encoding="utf-8"))
    facts = json.loads((built_site / HOMS / "facts.json").read_text(encoding="utf-8"))
    jsonschema.validate(facts, schema, cls=jsonschema.Draft202012Validator)
    assert len(facts["tallies"]) == len(sheet.tallies)
    assert {t["id"]: t.get("value") for t in facts["tallies"]}["killed-observatory"] == 42
    assert facts["sheet"]["figures_note"]["evidence"][0]["source"] == "ap-wapo-2017-02-26"


@settings(deadline=None)  # a whole sheet is revalidated and written for each example
@given(title=st.text(), description=st.text())
def test_facts_json_is_the_text_json_dumps_writes(sheet: Sheet, title: str, description: str) -> None:
    # facts.json is written by pydantic's JSON writer; Python's json module, which wrote it
    # before, is the oracle for every character a fact may hold (controls, quotes, any script).
    event = sheet.events[0].model_copy(update={"description": description})
    changed = replace(sheet, info=sheet.info.model_copy(update={"title": title}),
                      items={**sheet.items, "events": (event, *sheet.events[1:])})
    data = fact_file(changed).model_dump(mode="json", exclude_none=True)
    assert facts_json(changed) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_every_fact_file_validates_against_the_schema_for_editors() -> None:
    schema = json.loads(json_schema())
    validator = jsonschema.Draft202012Validator(schema)
    for file in sorted((ROOT / "content" / HOMS).glob("*.yml")):
        doc = parse(str(file), file.read_text(encoding="utf-8"))
        assert isinstance(doc, Document)
        # Editors see YAML 1.2 types: numbers are numbers there.
        data = json.loads(json.dumps(doc.data), parse_int=int)
        _numbers(data)
        errors = sorted(validator.iter_errors(data), key=str)
        assert not errors, f"{file.name}: {errors[0].message}"


def _numbers(node: object) -> None:
    """Turn the numeric fields back into numbers, as a YAML 1.2 editor reads them."""
    if isinstance(node, dict):
        numeric = ("value", "low", "high") if "qualifier" in node else ()
        for key, value in node.items():
            if key in numeric and isinstance(value, str) and value.isdigit():
                node[key] = int(value)
            else:
                _numbers(value)
    elif isinstance(node, list):
        for item in node:
            _numbers(item)


@pytest.mark.parametrize("kind", CSV_KINDS, ids=lambda k: k.section)
def test_csv_round_trips(sheet: Sheet, kind: Kind) -> None:
    text = facts_csv(sheet, kind)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    groups: dict[str, tuple[Tally | Event | Actor | Place | Quote, ...]] = {
        "tallies": sheet.tallies, "events": sheet.events, "actors": sheet.actors, "places": sheet.places,
        "quotes": sheet.quotes}
    items = groups[kind.section]
    assert sorted(r["id"] for r in rows) == sorted(i.id for i in items)
    by_id = {r["id"]: r for r in rows}
    for item in items:
        row = by_id[item.id]
        assert row["evidence_quotes"].split(" | ")[0] == item.evidence[0].quote
        assert row["evidence_sources"].split(" | ")[0] == item.evidence[0].source
    if kind.section == "tallies":
        assert by_id["executed-saydnaya"]["low"] == "5000" and by_id["executed-saydnaya"]["high"] == "13000"
        assert by_id["killed-governor"]["qualifier"] == "more_than"
    if kind.section == "quotes":
        assert by_id["hariri-al-bab"]["text"].startswith("Our fighters have succeeded")


def test_csv_text_that_looks_like_a_formula_is_defused() -> None:
    assert spreadsheet_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_cell("-1 dead") == "'-1 dead"
    assert spreadsheet_cell("@sum") == "'@sum"
    assert spreadsheet_cell("42 killed") == "42 killed"
    assert spreadsheet_cell(None) == ""


def test_downloads_are_published_and_linked(built_site: Path) -> None:
    data = BeautifulSoup((built_site / HOMS / "data.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {str(a["href"]) for a in data.select("article a[href]")}
    for name in ("facts.json", *(f"{k.section}.csv" for k in CSV_KINDS), "changes.xml", "corrections.xml",
                 "../schema.json"):
        assert name in hrefs
        assert (built_site / HOMS / name).resolve().is_file()
    raw = (built_site / HOMS / "tallies.csv").read_bytes()
    raw.decode("utf-8")
    assert raw.startswith(b"id,counts,coverage,part,scope")


def test_every_sheet_page_has_json_ld_for_the_event_and_the_dataset(built_site: Path) -> None:
    for page in sorted((built_site / HOMS).rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        blocks = [json.loads(s.get_text()) for s in soup.select('head script[type="application/ld+json"]')]
        assert [b["@type"] for b in blocks] == ["Event", "Dataset"], page
        event, dataset = blocks
        assert event["startDate"] == "2017-02-25" and event["location"]["name"] == "Homs"
        assert event["location"]["containedInPlace"]["name"] == "Syria"
        # The reports behind the data are named on the data page, not in every page's head.
        assert ("isBasedOn" in dataset) == (page.name == "data.html"), page
        formats = sorted(d["encodingFormat"] for d in dataset["distribution"])
        assert formats == ["application/json"] + ["text/csv"] * len(CSV_KINDS)
        for download in dataset["distribution"]:
            assert (page.parent / download["contentUrl"]).resolve().is_file(), download


def test_a_pages_json_ld_does_not_grow_with_the_sheets_sources() -> None:
    sheet = homs_sheet()
    meta = SheetMeta(sheet.info.title, json_ld(sheet), {"overview": f"{HOMS}/index.md"}, "", [])
    many = replace(meta, jsonld=[{**item, "isBasedOn": [f"https://example.org/{i}" for i in range(10_000)]}
                                 if item["@type"] == "Dataset" else item for item in meta.jsonld])
    for local in (f"{HOMS}/actors/hassan-daeboul.md", f"{HOMS}/timeline.md"):
        size = len(json.dumps(page_meta(meta, local, 2, None, "")["factsheet_jsonld"]))
        assert len(json.dumps(page_meta(many, local, 2, None, "")["factsheet_jsonld"])) == size, local
    data = page_meta(many, f"{HOMS}/data.md", 1, None, "")["factsheet_jsonld"]
    assert len(data[1]["isBasedOn"]) == 10_000


def test_json_ld_cannot_end_its_script_element() -> None:
    from jinja2 import Environment

    rendered = Environment(autoescape=True).from_string("{{ d|tojson }}").render(d={"name": "</script><b>x"})
    assert "</script>" not in rendered and json.loads(rendered)["name"] == "</script><b>x"
