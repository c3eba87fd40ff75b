"""What a figure covers (total, site, part), bounds and vague amounts, in the source's words.

Each test writes one capability into the demo sheet, as an author would, and
looks at what the checks, the span, the pages, the chart and the CSV make of it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.export import facts_csv
from generator.registry import KIND_BY_SECTION

from .helpers import DEMO, TALLY, load_project, render_project, sheet_with

# A report with a total, a part of it, one site's total, an upper bound and a vague amount.
REPORT = (
    "CITY -- Three blasts killed more than 32 people on Saturday, the governor said. "
    "Six policemen were among the dead, a police official said. "
    "At the market, 20 people were killed. "
    "As many as 50 people were wounded, a doctor said. "
    "Dozens were missing.\n"
)

# The demo sheet's toll (test_checks.TALLY), then a part, a site, an upper bound and a vague amount.
FIGURES = TALLY + """\
  - id: killed-police
    counts: killed
    covers: part
    part: police
    claimant: governor
    qualifier: exact
    value: 6
    evidence:
      - source: wire
        quote: Six policemen were among the dead
  - id: killed-market
    counts: killed
    where: market
    claimant: governor
    qualifier: exact
    value: 20
    evidence:
      - source: wire
        quote: At the market, 20 people were killed.
  - id: wounded
    counts: wounded
    claimant: governor
    qualifier: at_most
    value: 50
    words: as many as 50
    evidence:
      - source: wire
        quote: As many as 50 people were wounded
  - id: missing
    counts: missing
    claimant: governor
    qualifier: vague
    amount: dozens
    evidence:
      - source: wire
        quote: Dozens were missing.
places:
  - id: market
    name: The market
    kind: market
    within: city
    evidence:
      - source: wire
        quote: At the market, 20 people were killed.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = sheet_with(tmp_path, None)
    folder = project / DEMO
    (folder / "sources" / "wire.txt").write_text(REPORT, encoding="utf-8")
    (folder / "tallies.yml").write_text(FIGURES, encoding="utf-8")
    return project


def test_the_span_counts_whole_event_totals_only(project: Path) -> None:
    (sheet,) = load_project(project / "content").sheets
    # The police among the dead (6) and the market's dead (20) are below every total: no span starts there.
    assert [t.id for t in sheet.figure_span("killed")] == ["killed"]
    assert [t.coverage for t in sheet.figures("killed")] == ["event", "site", "part"]
    pages = render_project(load_project(project / "content"), project / "templates")
    assert "**Killed: more than 32.**" in pages["demo/index.md"]
    casualties = pages["demo/casualties.md"]
    assert "- [6](#tally--killed-police), police, among all killed" in casualties
    assert casualties.index("- [more than 32]") < casualties.index("- [20]") < casualties.index("- [6]")


def test_bounds_and_vague_amounts_keep_the_source_words_and_a_reading(project: Path) -> None:
    (sheet,) = load_project(project / "content").sheets
    wounded, missing = (next(t for t in sheet.tallies if t.id == i) for i in ("wounded", "missing"))
    assert (wounded.figure(), wounded.reading) == ("as many as 50", (0, 50))
    assert (missing.figure(), missing.reading) == ("dozens", (24, 99))
    pages = render_project(load_project(project / "content"), project / "templates")
    assert "[as many as 50](#tally--wounded)" in pages["demo/casualties.md"]
    assert "[dozens](#tally--missing)" in pages["demo/casualties.md"]
    assert "- [50]" not in pages["demo/casualties.md"]
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(facts_csv(sheet, KIND_BY_SECTION["tallies"])))}
    assert (rows["wounded"]["reading_low"], rows["wounded"]["reading_high"]) == ("0", "50")
    assert (rows["missing"]["amount"], rows["missing"]["reading_low"]) == ("dozens", "24")
    assert (rows["killed"]["reading_low"], rows["killed"]["reading_high"]) == ("33", "")
    assert rows["killed-police"]["coverage"] == "part" and rows["killed-market"]["coverage"] == "site"


@pytest.mark.parametrize(("qualifier", "value", "reading"), [
    ("exact", 10, (10, 10)), ("about", 10, (10, 10)), ("at_least", 10, (10, None)),
    ("more_than", 10, (11, None)), ("at_most", 10, (0, 10)), ("fewer_than", 10, (0, 9)),
    ("nearly", 10, (9, 9)), ("nearly", 100, (90, 99)), ("nearly", 1, (0, 0)),
])
def test_each_qualifier_has_its_documented_reading(qualifier: str, value: int,
                                                   reading: tuple[int, int | None]) -> None:
    tally = KIND_BY_SECTION["tallies"].model.model_validate({
        "id": "t", "counts": "killed", "claimant": "a", "qualifier": qualifier, "value": value,
        "evidence": [{"source": "s", "quote": "quote"}]})
    assert tally.reading == reading  # type: ignore[attr-defined]


def test_the_chart_draws_upper_bounds_and_vague_amounts_with_their_own_marks(project: Path) -> None:
    pages = render_project(load_project(project / "content"), project / "templates")
    chart = pages["demo/casualties.md"]
    assert "at most, from none up" in chart and "vague amount (“dozens”), as read" in chart


def test_words_that_are_not_the_source_words_are_an_error(project: Path) -> None:
    tallies = project / DEMO / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("words: as many as 50", "words: up to 50"),
                       encoding="utf-8")
    with pytest.raises(Exception, match=r"tallies.yml:34:12: error: the figure's words do not occur"):
        load_project(project / "content")


def test_an_upper_bound_takes_its_place_in_the_span_by_its_number(project: Path) -> None:
    tallies = project / DEMO / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("places:\n", """\
  - id: wounded-six
    counts: wounded
    claimant: governor
    qualifier: at_least
    value: 20
    evidence:
      - source: wire
        quote: At the market, 20 people were killed.
    derivation: the market's dead, counted as wounded in this test only
places:
"""), encoding="utf-8")
    (sheet,) = load_project(project / "content").sheets
    # "As many as 50" allows 0, but it is a claim about 50: the span runs from at least 20 to as many as 50.
    assert [t.figure() for t in sheet.figure_span("wounded")] == ["at least 20", "as many as 50"]
