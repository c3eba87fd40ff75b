"""Many reports of one event: copies and updates of one story, times of publication, claims over time.

One demo sheet holds a wire story, an update of it later the same day, and a
paper that reprints the update; each test looks at one thing the pages,
checks or downloads make of that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.errors import DataError

from .helpers import DEMO, TALLY, load_project, render_project, sheet_with

SOURCES = """\
sources:
  - id: wire
    publishers: [Wire Service]
    headline: Blasts hit city
    published: 2017-02-26
    time: "08:00"
    timezone: UTC+3
    archive: sources/wire.txt
    archive_partial: true
    retrieved: 2026-11-29
    found_through: a search for the city's name
  - id: wire-update
    publishers: [Wire Service]
    published: 2017-02-26
    time: "20:00"
    timezone: UTC+3
    archive: sources/wire-update.txt
    update_of: wire
  - id: paper
    publishers: [The Paper]
    headline: Toll rises to 14
    published: 2017-02-27
    archive: sources/paper.txt
    copy_of: wire-update
"""
UPDATE = "CITY -- Three blasts killed 14 people on Saturday, the governor said in the evening.\n"
# The demo sheet's toll (test_checks.TALLY), then the same claimant's later figure.
TALLIES = TALLY + """\
  - id: killed-evening
    counts: killed
    claimant: governor
    qualifier: exact
    value: 14
    evidence:
      - source: paper
        quote: Three blasts killed 14 people
      - source: wire-update
        quote: Three blasts killed 14 people
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = sheet_with(tmp_path, None)
    folder = project / DEMO
    (folder / "sources.yml").write_text(SOURCES, encoding="utf-8")
    (folder / "tallies.yml").write_text(TALLIES, encoding="utf-8")
    for name in ("wire-update", "paper"):
        (folder / "sources" / f"{name}.txt").write_text(UPDATE, encoding="utf-8")
    places = folder / "places.yml"
    places.write_text(places.read_text(encoding="utf-8").replace("    name: City\n",
                                                                  "    name: City\n    aliases: [The City]\n"),
                      encoding="utf-8")
    events = folder / "events.yml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "date: {value: 2017-02-25, as_written: Saturday}",
        'date: {value: 2017-02-25, as_written: Saturday, time: "22:40", timezone: local}'), encoding="utf-8")
    return project


def pages_of(project: Path) -> dict[str, str]:
    return render_project(load_project(project / "content"), project / "templates")


def test_copies_and_updates_of_one_story_count_as_one_independent_report(project: Path) -> None:
    events = project / DEMO / "events.yml"
    events.write_text(events.read_text(encoding="utf-8") + """\
      - source: wire-update
        quote: Three blasts killed 14 people
      - source: paper
        quote: Three blasts killed 14 people
""", encoding="utf-8")
    pages = pages_of(project)
    (sheet,) = load_project(project / "content").sheets
    assert [sheet.story_of(s) for s in ("wire", "wire-update", "paper")] == ["wire"] * 3
    assert "An update of:** [Blasts hit city]" in pages["demo/sources.md"]
    assert "A copy of:** [Report by Wire Service, 26 February 2017]" in pages["demo/sources.md"]
    # The event cites the wire story, its update and a paper's reprint: three sources, one story.
    assert "Evidence (3 sources, one story)" in pages["demo/timeline.md"]
    assert "Evidence (1 source)" in pages["demo/places.md"]


def test_each_count_shows_how_it_was_reported_over_time(project: Path) -> None:
    casualties = pages_of(project)["demo/casualties.md"]
    table = casualties.split("#### Killed, as reported over time", 1)[1]
    morning, evening = table.index("more than 32"), table.index("[14]")
    assert morning < evening
    assert "26 February 2017, 08:00 UTC+3" in table and "26 February 2017, 20:00 UTC+3" in table
    chart = table.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert '<title id="reported-1-title">Killed as reported over time</title>' in "<svg" + chart
    labels = re.findall(r'<g class="fs-row"[^>]*><title>([^<]*)</title>', chart)
    # Each row names the report's outlet: two figures of one claimant are told apart by more than a time.
    assert labels == ["26 February 2017, 08:00 UTC+3, in Wire Service: The governor: more than 32 (superseded)",
                      "26 February 2017, 20:00 UTC+3, in Wire Service: The governor: 14"]


def test_times_aliases_and_partial_archives_reach_the_pages(project: Path) -> None:
    pages = pages_of(project)
    assert "25 February 2017, 22:40 local time (“Saturday”)" in pages["demo/timeline.md"]
    assert "**Also written:** The City" in pages["demo/places.md"]
    sources = pages["demo/sources.md"]
    assert "Archived: the paragraphs that the facts quote" in sources
    # How the editors found a report is theirs: in the data, not on the page.
    assert "**Retrieved:** 29 November 2026" in sources and "Found through" not in sources
    assert "## Report by Wire Service, 26 February 2017" in sources  # no headline: named by outlet and day


def test_a_time_needs_a_day_and_lineage_is_one_of_copy_or_update(project: Path) -> None:
    sources = project / DEMO / "sources.yml"
    sources.write_text(SOURCES.replace("    copy_of: wire-update\n", "    copy_of: wire-update\n    update_of: wire\n"),
                       encoding="utf-8")
    with pytest.raises(DataError, match=r"sources.yml:\d+:\d+: error: a source has one lineage at most"):
        load_project(project / "content")
    sources.write_text(SOURCES, encoding="utf-8")
    events = project / DEMO / "events.yml"
    events.write_text(events.read_text(encoding="utf-8").replace("value: 2017-02-25,", "value: 2017-02,"),
                      encoding="utf-8")
    with pytest.raises(DataError, match="a time of day goes with a date to the day"):
        load_project(project / "content")


def test_a_source_known_only_by_its_month(project: Path) -> None:
    sources = project / DEMO / "sources.yml"
    sources.write_text(SOURCES.replace("    published: 2017-02-27\n", "    published: 2017-02\n"), encoding="utf-8")
    pages = pages_of(project)
    assert "- **Date:** February 2017" in pages["demo/sources.md"]
    assert "[Report by Wire Service, 26 February 2017]" in pages["demo/sources.md"]
    sources.write_text(SOURCES.replace("    published: 2017-02-26\n    time: \"08:00\"",
                                       "    published: 2017-02\n    time: \"08:00\""), encoding="utf-8")
    with pytest.raises(DataError, match="a time of publication goes with a day of publication"):
        load_project(project / "content")
