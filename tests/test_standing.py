"""Which figure stands: statuses, roles, the headline, and order over time.

One small sheet tells a revised-down toll: the governor's morning figure, his
evening correction in an update of the same wire story, a hospital's figure it
later withdrew, an armed group's boast about its own attack, and a next-day
paper's figure from unnamed officials. Each test looks at one thing made of it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.dates import parse_date
from generator.errors import DataError
from generator.export import facts_csv, facts_json
from generator.moments import Moment, in_order, moment_of, parse_zone
from generator.registry import KIND_BY_SECTION
from generator.sheet import Sheet
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import load_project, render_project

SHEET = """\
sheet:
  id: demo
  title: Demo
  summary: Blasts hit the city.
  date: {value: 2017-02-25, time: "06:00", timezone: local}
  timezone: UTC+3
sources:
  - id: wire
    publishers: [Wire]
    published: 2017-02-26
    time: "08:00"
    archive: sources/wire.txt
  - id: wire-update
    publishers: [Wire]
    published: 2017-02-26
    time: "20:00"
    archive: sources/wire-update.txt
    update_of: wire
  - id: paper
    publishers: [The Paper]
    published: 2017-02-27
    archive: sources/paper.txt
actors:
  - id: governor
    name: The governor
    kind: person
    description: Gave a toll.
    evidence:
      - source: wire
        quote: the governor said
  - id: army-of-night
    name: Army of Night
    kind: armed-group
    claims_as: perpetrator
    description: Said it carried out the attack.
    evidence:
      - source: wire
        quote: The Army of Night said it killed more than 200.
"""
TEXTS = {
    "wire": "CITY -- Three blasts killed at least 48 people on Saturday, the governor said.\n"
            "The Army of Night said it killed more than 200.\nHospital officials said 40 people died.\n",
    "wire-update": "CITY -- The governor revised the toll down to 34, not 48 as he said earlier.\n",
    "paper": "Officials said 52 people were killed in the blasts.\nThe hospital withdrew its figure of 40.\n",
}
TALLIES = """\
tallies:
  - id: killed-morning
    counts: killed
    claimant: governor
    qualifier: at_least
    value: 48
    evidence:
      - source: wire
        quote: Three blasts killed at least 48 people
  - id: killed-evening
    counts: killed
    claimant: governor
    qualifier: exact
    value: 34
    evidence:
      - source: wire-update
        quote: The governor revised the toll down to 34
    revisions:
      - previous: {qualifier: at_least, value: 48}
        evidence:
          - source: wire
            quote: Three blasts killed at least 48 people
          - source: wire-update
            quote: not 48 as he said earlier
        changed: 2017-02-26
        reason: The governor revised the toll down.
        source: wire-update
  - id: killed-boast
    counts: killed
    claimant: army-of-night
    qualifier: more_than
    value: 200
    evidence:
      - source: wire
        quote: The Army of Night said it killed more than 200.
  - id: killed-hospital
    counts: killed
    unnamed: Hospital officials
    claims_as: medical
    qualifier: exact
    value: 40
    evidence:
      - source: wire
        quote: Hospital officials said 40 people died.
    withdrawn:
      reason: The hospital withdrew its figure.
      evidence:
        - source: paper
          quote: The hospital withdrew its figure of 40.
  - id: killed-paper
    counts: killed
    unnamed: Officials
    qualifier: exact
    value: 52
    evidence:
      - source: paper
        quote: Officials said 52 people were killed in the blasts.
"""


def write(content: Path, sheet: str = SHEET, tallies: str = TALLIES, texts: dict[str, str] = TEXTS) -> Path:
    folder = content / "demo"
    (folder / "sources").mkdir(parents=True)
    for name, text in texts.items():
        (folder / "sources" / f"{name}.txt").write_text(text, encoding="utf-8")
    (folder / "sheet.yml").write_text(sheet, encoding="utf-8")
    (folder / "tallies.yml").write_text(tallies, encoding="utf-8")
    return folder


@pytest.fixture
def sheet(tmp_path: Path) -> Sheet:
    write(tmp_path)
    return load_project(tmp_path).sheets[0]


def test_each_figure_has_its_status(sheet: Sheet) -> None:
    found = {t.id: (sheet.status(t), sheet.standing(t).superseded_by) for t in sheet.tallies}
    assert found == {"killed-morning": ("superseded", "killed-evening"), "killed-evening": ("current", None),
                     "killed-boast": ("current", None), "killed-hospital": ("withdrawn", None),
                     "killed-paper": ("current", None)}


def test_roles_come_from_the_actor_or_the_unnamed_claimant(sheet: Sheet) -> None:
    roles = {t.id: sheet.role_of(t) for t in sheet.tallies}
    assert roles == {"killed-morning": "other", "killed-evening": "other", "killed-boast": "perpetrator",
                     "killed-hospital": "medical", "killed-paper": "other"}


def test_no_superseded_withdrawn_or_boasted_figure_ends_the_span(sheet: Sheet) -> None:
    assert [t.id for t in sheet.figure_span("killed")] == ["killed-evening", "killed-paper"]


def test_the_headline_leads_with_the_latest_and_keeps_the_boast_apart(sheet: Sheet) -> None:
    headline = sheet.headline("killed")
    assert [t.id for t in headline.latest] == ["killed-paper"]
    assert [t.id for t in headline.first] == ["killed-morning"]
    assert [t.id for t in headline.own_acts] == ["killed-boast"]
    assert [t.id for t in headline.replaced] == ["killed-morning", "killed-hospital"]


def test_the_summary_box_says_latest_and_first_and_shows_the_boast_apart(tmp_path: Path) -> None:
    write(tmp_path / "content")
    pages = render_project(load_project(tmp_path / "content"), PACKAGE_TEMPLATES)
    box = pages["demo/index.md"].split('<div class="fs-infobox" markdown>')[1].split("</div>")[0]
    figures, own_acts = box.split("Killed\n")[1].split("\n\n")[:2]
    assert "latest: 52 (Officials (The Paper), 27 February 2017); first reported: at least 48" in figures
    assert "200" not in figures and "40" not in figures
    # A second paragraph of the same value, not a second value.
    assert own_acts.startswith("    Claimed by a party to the violence") and "more than 200 (Army of Night)" in own_acts
    assert "Reports\n:   [3 reports, 2 of them independent](sources.md), collected up to " \
        "27 February 2017" in box


def test_a_revision_says_its_direction_on_the_corrections_page(tmp_path: Path) -> None:
    write(tmp_path / "content")
    pages = render_project(load_project(tmp_path / "content"), PACKAGE_TEMPLATES)
    corrections = pages["demo/changes.md"]
    assert "**Change:** revised down from at least 48 to 34" in corrections
    # One revision is one correction, whichever reports carried the figures.
    assert corrections.count("## ") == 1
    assert "- **Before:** at least 48 ([Wire, 26 February 2017](sources.md#source--wire); [Wire, 26 February " \
        "2017](sources.md#source--wire-update))" in corrections
    assert "Withdrawn**: The hospital withdrew its figure." in pages["demo/casualties.md"]
    # The claimant's own page links its replaced figure to the one that replaced it.
    assert "**Superseded** by a later figure from the same source: [34](../casualties.md#tally--killed-evening)" in \
        pages["demo/actors/governor.md"]


def test_facts_json_and_csv_say_which_figure_stands(sheet: Sheet) -> None:
    tallies = {t["id"]: t for t in json.loads(facts_json(sheet))["tallies"]}
    assert tallies["killed-morning"]["status"] == "superseded"
    assert tallies["killed-morning"]["superseded_by"] == "killed-evening"
    assert tallies["killed-hospital"]["status"] == "withdrawn"
    assert tallies["killed-boast"]["claimant_role"] == "perpetrator"
    # 08:00 at UTC+3 is 05:00 UTC, to the minute.
    assert tallies["killed-morning"]["reported"] == {"earliest": "2017-02-26T05:00:00Z",
                                                     "latest": "2017-02-26T05:01:00Z"}
    # The paper gives only its day, in the event place's zone.
    assert tallies["killed-paper"]["reported"] == {"earliest": "2017-02-26T21:00:00Z",
                                                   "latest": "2017-02-27T21:00:00Z"}
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(facts_csv(sheet, KIND_BY_SECTION["tallies"])))}
    assert (rows["killed-morning"]["status"], rows["killed-morning"]["superseded_by"]) == ("superseded",
                                                                                          "killed-evening")
    assert rows["killed-boast"]["claimant_role"] == "perpetrator"


def test_a_later_figure_from_someone_else_supersedes_nothing(tmp_path: Path) -> None:
    # Without the revision, the governor's 48 is still replaced by his own later 34;
    # nobody's figure is replaced by the paper's officials, who are someone else.
    tallies = TALLIES.split("    revisions:")[0] + TALLIES.split("        source: wire-update\n")[1]
    write(tmp_path, tallies=tallies)
    sheet = load_project(tmp_path).sheets[0]
    assert sheet.standing(sheet.tally_by_id["killed-morning"]).superseded_by == "killed-evening"
    assert sheet.status(sheet.tally_by_id["killed-paper"]) == "current"


def test_reports_whose_order_is_unknown_supersede_nothing(tmp_path: Path) -> None:
    # Both of the governor's reports on one day without a time: which came first is unknown.
    sheet_text = SHEET.replace('    time: "08:00"\n', "").replace('    time: "20:00"\n', "").replace(
        "    update_of: wire\n", "    version_of: wire\n")
    tallies = TALLIES.split("    revisions:")[0] + TALLIES.split("        source: wire-update\n")[1]
    write(tmp_path, sheet=sheet_text, tallies=tallies)
    sheet = load_project(tmp_path).sheets[0]
    assert sheet.status(sheet.tally_by_id["killed-morning"]) == "current"
    assert sheet.status(sheet.tally_by_id["killed-evening"]) == "current"


def test_unnamed_claimants_speaking_for_one_body_are_that_body(tmp_path: Path) -> None:
    sheet_text = SHEET + """\
  - id: ministry
    name: The ministry
    kind: government-body
    description: Gave the toll.
    evidence:
      - source: paper
        quote: Officials said 52 people were killed
"""
    tallies = TALLIES.replace("    unnamed: Officials\n", "    unnamed: Officials\n    speaks_for: ministry\n")
    tallies += """\
  - id: killed-wire-ministry
    counts: killed
    unnamed: Hospital officials
    speaks_for: ministry
    qualifier: exact
    value: 40
    evidence:
      - source: wire
        quote: Hospital officials said 40 people died.
"""
    write(tmp_path, sheet=sheet_text, tallies=tallies)
    sheet = load_project(tmp_path).sheets[0]
    earlier, later = sheet.tally_by_id["killed-wire-ministry"], sheet.tally_by_id["killed-paper"]
    assert sheet.claimant_of(earlier) is sheet.claimant_of(later)
    assert sheet.standing(earlier).superseded_by == "killed-paper"
    assert sheet.role_of(later) == "official"


def test_a_time_zone_must_be_one_the_world_has() -> None:
    for good, offset in (("Asia/Baghdad", 3), ("UTC+3", 3), ("GMT-5", -5), ("+05:30", 5.5), ("UTC", 0)):
        clock = parse_zone(good).clock
        assert clock is not None
        shift = clock.utcoffset(datetime(2017, 2, 26))
        assert shift is not None and shift.total_seconds() == offset * 3600
    assert not parse_zone("unknown").known
    for bad in ("banana", "UTC+99", "UTC-13", "MYT", "../etc/passwd", "Asia/Nowhere"):
        with pytest.raises(ValueError):
            parse_zone(bad)


def test_a_time_with_an_unknown_zone_spans_the_worlds_offsets() -> None:
    moment = moment_of(parse_date("2016-07-02"), "23:14", parse_zone("unknown"))
    assert moment == Moment(datetime(2016, 7, 2, 9, 14, tzinfo=UTC), datetime(2016, 7, 3, 11, 15, tzinfo=UTC))


def test_order_is_known_only_where_moments_do_not_overlap() -> None:
    zone = parse_zone("UTC+3")
    moments = {"a": moment_of(parse_date("2017-02-26"), "08:00", zone),
               "b": moment_of(parse_date("2017-02-26"), None, zone),  # the whole day: overlaps a and c
               "c": moment_of(parse_date("2017-02-26"), "20:00", zone),
               "d": moment_of(parse_date("2017-02-27"), "09:00", zone),
               "e": moment_of(parse_date("2017-02"), None, zone)}  # the month: orders nothing
    ordered = in_order(moments, moments.__getitem__)
    assert ordered.groups == [["b", "a", "c"], ["d"]]
    assert ordered.vague == ["e"]


def test_a_weekday_is_read_at_the_event_place_for_a_report_stamped_in_another_zone(tmp_path: Path) -> None:
    # 23:20 on Wednesday 15 February at UTC-7 is already Thursday the 16th in Tokyo.
    sheet_text = SHEET.replace("  timezone: UTC+3\n", "  timezone: Asia/Tokyo\n").replace(
        'date: {value: 2017-02-25, time: "06:00", timezone: local}', "date: {value: 2017-02-16, as_written: Thursday}"
    ).replace('    published: 2017-02-26\n    time: "08:00"\n',
              '    published: 2017-02-15\n    time: "23:20"\n    timezone: UTC-7\n')
    sheet_text = sheet_text.split("  - id: wire-update")[0] + "actors:" + sheet_text.split("actors:")[1]
    tallies = TALLIES.split("  - id: killed-evening")[0].replace(
        "    value: 48\n", "    value: 48\n    date: {value: 2017-02-16, as_written: Thursday}\n")
    write(tmp_path, sheet=sheet_text, tallies=tallies, texts={"wire": TEXTS["wire"]})
    assert load_project(tmp_path).sheets[0].info.date is not None
    # Without the event's zone, the report's own day (Wednesday) is all there is.
    (tmp_path / "demo" / "sheet.yml").write_text(sheet_text.replace("  timezone: Asia/Tokyo\n", ""), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_project(tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["date-mismatch"]


def test_an_editors_reading_is_shown_first_and_labelled_as_theirs(tmp_path: Path) -> None:
    reading = """\
  editors_reading:
    - counts: killed
      low: 34
      best: 34
      high: 52
      reasoning: The governor's corrected toll; the paper's officials may count the wounded who died.
      rests_on: [killed-evening, killed-paper]
"""
    write(tmp_path / "content", sheet=SHEET.replace("  timezone: UTC+3\n", "  timezone: UTC+3\n" + reading))
    pages = render_project(load_project(tmp_path / "content"), PACKAGE_TEMPLATES)
    overview = pages["demo/index.md"]
    box = overview.split('<div class="fs-infobox" markdown>')[1].split("</div>")[0]
    assert "[editors' reading: best 34 (34 to 52); latest: 52" in box
    key = overview.split("## Key figures", 1)[1]
    assert key.index("**The editors' reading of the dead: best 34 (34 to 52).**") < key.index("**Killed: the latest")
    assert "This is the editors' own reading, not a figure any source gave." in key
    assert "[34](casualties.md#tally--killed-evening), [52](casualties.md#tally--killed-paper)" in key


def test_an_editors_reading_rests_on_figures_the_sheet_holds(tmp_path: Path) -> None:
    reading = "  editors_reading:\n    - {counts: killed, best: 40, reasoning: Ours., rests_on: [killed-nowhere]}\n"
    write(tmp_path, sheet=SHEET.replace("  timezone: UTC+3\n", "  timezone: UTC+3\n" + reading))
    with pytest.raises(DataError) as caught:
        load_project(tmp_path)
    assert [(d.code, d.line) for d in caught.value.diagnostics] == [("unknown-id", 8)]


def test_versions_translations_and_copies_of_an_unarchived_story_are_one_report(tmp_path: Path) -> None:
    sheet_text = SHEET.replace("    update_of: wire\n", "    version_of: wire\n").replace(
        "    archive: sources/paper.txt\n", "    archive: sources/paper.txt\n    translation_of: agency\n").replace(
        "actors:\n", "  - id: agency\n    publishers: [Agency]\n    published: 2017-02-27\n"
                     "    url: https://example.org/agency-story\nactors:\n")
    write(tmp_path / "content", sheet=sheet_text)
    sheet = load_project(tmp_path / "content").sheets[0]
    # wire and its version are one story; the paper translates the agency's story, which is not archived.
    assert sheet.stories == 2
    assert sheet.independent_reports(sheet.tally_by_id["killed-evening"].revisions[0].evidence) == 1
    pages = render_project(load_project(tmp_path / "content"), PACKAGE_TEMPLATES)
    sources = pages["demo/sources.md"]
    assert "**Another version of:** [Report by Wire, 26 February 2017](sources.md#source--wire)" in sources
    assert "**A translation of:** [Report by Agency, 27 February 2017](sources.md#source--agency)" in sources
    assert "**Not quoted:**" in sources
    assert "- **Figures it carries:** [at least 48 killed](casualties.md#tally--killed-morning) (superseded)" in sources
    # A card counts independent reports: the wire story and its version are one.
    assert "One report carries it." in pages["demo/casualties.md"]


def test_an_unarchived_story_cannot_be_cited(tmp_path: Path) -> None:
    sheet_text = SHEET.replace("actors:\n", "  - id: agency\n    publishers: [Agency]\n    published: 2017-02-27\n"
                               "actors:\n")
    cited = TALLIES.replace("      - source: paper\n        quote: Officials said 52",
                            "      - source: agency\n        quote: Officials said 52")
    write(tmp_path, sheet=sheet_text, tallies=cited)
    with pytest.raises(DataError) as caught:
        load_project(tmp_path)
    assert [d.code for d in caught.value.diagnostics] == ["source-not-archived"]
