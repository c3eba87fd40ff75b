"""The validated sheet's queries, and how pages present several sources."""

from __future__ import annotations

import json
from pathlib import Path

from generator.assemble import project_nav
from generator.registry import KINDS
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import HOMS, ROOT, SHEET, TALLY, homs_sheet, load_project, render_project, write_sheet

SECOND_SOURCE = """\
  - id: paper
    publishers: [Paper]
    headline: Toll rises
    published: 2017-02-27
    archive: sources/paper.txt
"""


def two_source_sheet(content: Path) -> Path:
    sheet = SHEET.replace("actors:\n", SECOND_SOURCE + "actors:\n")
    tallies = TALLY + "      - source: paper\n        quote: more than 32 people\n"
    folder = write_sheet(content, {"sheet.yml": sheet, "tallies.yml": tallies})
    (folder / "sources" / "paper.txt").write_text("Blasts killed more than 32 people.\n", encoding="utf-8")
    return folder


def test_the_span_is_ordered_smallest_first_across_claimants() -> None:
    sheet = homs_sheet()
    figures = [(t.qualifier, t.floor) for t in sheet.figure_span("killed")]
    assert figures == [("at_least", 32), ("more_than", 33), ("at_least", 42)]  # more than 32: 33 at least


def test_mentions_collect_every_kind_of_fact() -> None:
    sheet = homs_sheet()
    mentions = sheet.mentions("syrian-observatory")
    assert {t.id for t in mentions.of("tallies")} >= {"killed-observatory", "killed-observatory-state-security"}
    assert "rami-abdurrahman" in {a.id for a in mentions.of("actors")}
    assert mentions.count == sum(len(mentions.of(kind.section)) for kind in KINDS)


def test_nav_lists_sheet_pages_but_not_entity_pages() -> None:
    project = load_project(ROOT / "content")
    nav = project_nav(project)
    assert nav[0] == {"Home": "index.md"}
    # The editors' guide is a tab of its own, after the sheets', with none of the sheets' pages.
    assert [next(iter(tab)) for tab in nav] == ["Home", "Fact sheets", "Guide for editors"]
    assert not [p for p in json.dumps(nav[2]).split('"') if p.startswith(f"{HOMS}/")]
    (sheets,) = nav[1].values()
    (section,) = sheets[0].values()
    paths = [next(iter(item.values())) for item in section]
    assert f"{HOMS}/casualties.md" in paths
    assert not [p for p in paths if p.startswith(f"{HOMS}/actors/") and not p.endswith("index.md")]


def test_page_says_how_many_sources_support_a_fact(tmp_path: Path) -> None:
    two_source_sheet(tmp_path)
    pages = render_project(load_project(tmp_path), PACKAGE_TEMPLATES)
    casualties = pages["demo/casualties.md"]
    assert "— [Wire, 26 February 2017](sources.md#source--wire)" in casualties
    assert "— [Paper, 27 February 2017](sources.md#source--paper)" in casualties
    governor = pages["demo/actors/governor.md"]
    assert "Evidence (1 source)" in governor
    assert "## Toll rises { #source--paper }" in pages["demo/sources.md"]


def test_evidence_count_counts_distinct_sources(tmp_path: Path) -> None:
    folder = two_source_sheet(tmp_path)
    events = """\
events:
  - id: blasts
    date: 2017-02-25
    title: Blasts
    description: Three blasts.
    evidence:
      - {source: wire, quote: Three blasts}
      - {source: wire, quote: more than 32 people}
      - {source: paper, quote: Blasts killed}
"""
    (folder / "events.yml").write_text(events, encoding="utf-8")
    timeline = render_project(load_project(tmp_path), PACKAGE_TEMPLATES)["demo/timeline.md"]
    assert "Evidence (2 sources)" in timeline
