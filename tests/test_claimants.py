"""Who claimed it and who reported it: one actor, several jointly, people a report does not name, relays."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from generator.export import facts_csv
from generator.registry import KIND_BY_SECTION

from .helpers import DEMO, load_project, render_project, sheet_with

WIRE = ("CITY -- Three blasts killed more than 32 people on Saturday, the governor said. "
        "Security and medical officials said 35 people were killed. "
        "A police official said 30 people died.\n")
PAPER = "CITY -- A police official said 31 people died, Wire Service reported.\n"
EXTRA = """\
sources:
  - id: paper
    publishers: [The Paper]
    headline: Blasts kill 31
    published: 2017-02-27
    archive: sources/paper.txt
actors:
  - id: doctor
    name: The doctor
    kind: person
    description: A doctor at the city hospital.
    evidence:
      - source: wire
        quote: the governor said
  - id: wire-service
    name: Wire Service
    kind: media-outlet
    description: The agency whose report the paper cites.
    evidence:
      - source: paper
        quote: Wire Service reported
tallies:
  - id: killed-officials
    counts: killed
    unnamed: security and medical officials
    qualifier: exact
    value: 35
    evidence:
      - source: wire
        quote: Security and medical officials said 35 people were killed.
  - id: killed-police-wire
    counts: killed
    unnamed: a police official
    qualifier: exact
    value: 30
    evidence:
      - source: wire
        quote: A police official said 30 people died.
  - id: killed-police-paper
    counts: killed
    unnamed: a police official
    via: [wire-service]
    qualifier: exact
    value: 31
    evidence:
      - source: paper
        quote: A police official said 31 people died
  - id: killed-joint
    counts: wounded
    claimant: [governor, doctor]
    qualifier: more_than
    value: 32
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = sheet_with(tmp_path, None)
    folder = project / DEMO
    (folder / "sources" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "sources" / "paper.txt").write_text(PAPER, encoding="utf-8")
    (folder / "more.yml").write_text(EXTRA, encoding="utf-8")
    return project


def test_unnamed_claimants_are_first_class_and_kept_apart_per_report(project: Path) -> None:
    (sheet,) = load_project(project / "content").sheets
    names = [(c.name, c.anchor_kind) for c in sheet.claimants()]
    # Files are read in name order: more.yml, then the base sheet's tallies.yml.
    assert names == [("security and medical officials", "unnamed"), ("a police official", "unnamed"),
                     ("a police official", "unnamed"), ("The governor and The doctor", "joint"),
                     ("The governor", "claimant")]
    wire, paper = (sheet.claimant_of(next(t for t in sheet.tallies if t.id == i))
                   for i in ("killed-police-wire", "killed-police-paper"))
    assert wire is not paper and wire.report and paper.report
    assert (wire.report.id, paper.report.id) == ("wire", "paper")
    assert not any(a.name in ("a police official", "security and medical officials") for a in sheet.actors)


def test_pages_say_according_to_whom_as_reported_by_whom_citing_whom(project: Path) -> None:
    pages = render_project(load_project(project / "content"), project / "templates")
    casualties = pages["demo/casualties.md"]
    assert ": according to security and medical officials, as reported by Wire Service\n" in casualties
    assert (": according to a police official, as reported by The Paper, citing [Wire Service]"
            "(actors/wire-service.md)\n" in casualties)
    assert "### a police official (Wire Service) { #unnamed--2 }" in casualties
    assert "### a police official (The Paper) { #unnamed--3 }" in casualties
    assert "Not named by the report; as reported by [The Paper](sources.md#source--paper)." in casualties
    assert "[The governor](actors/governor.md) and [The doctor](actors/doctor.md)" in casualties
    assert "Given jointly by [The governor](actors/governor.md) and [The doctor](actors/doctor.md)." in casualties
    assert "more than 32" in pages["demo/actors/doctor.md"]


def test_downloads_keep_joint_unnamed_and_relayed_claims(project: Path) -> None:
    (sheet,) = load_project(project / "content").sheets
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(facts_csv(sheet, KIND_BY_SECTION["tallies"])))}
    assert rows["killed-joint"]["claimant"] == "governor | doctor"
    assert (rows["killed-police-paper"]["unnamed"], rows["killed-police-paper"]["via"]) == ("a police official",
                                                                                          "wire-service")


def test_a_figure_needs_someone_who_claims_it(project: Path) -> None:
    more = project / DEMO / "more.yml"
    more.write_text(EXTRA.replace("    unnamed: security and medical officials\n", ""), encoding="utf-8")
    with pytest.raises(Exception, match="a figure needs `claimant`"):
        load_project(project / "content")


COLLIDING = """\
actors:
""" + "".join(f"""\
  - id: {ident}
    name: Group {ident}
    kind: armed-group
    description: A group.
    evidence:
      - source: wire
        quote: the governor said
""" for ident in ("al", "qaeda-iraq", "al-qaeda", "iraq")) + """\
tallies:
""" + "".join(f"""\
  - id: {ident}
    counts: {counts}
    claimant: {claimants}
    qualifier: exact
    value: 35
    evidence:
      - source: wire
        quote: Security and medical officials said 35 people were killed.
""" for ident, counts, claimants in (("first", "wounded", "[al, qaeda-iraq]"),
                                   ("second", "missing", "[al-qaeda, iraq]")))


def test_joint_claims_whose_ids_join_alike_get_their_own_anchors(project: Path) -> None:
    (project / DEMO / "more.yml").write_text(COLLIDING, encoding="utf-8")
    pages = render_project(load_project(project / "content"), project / "templates")
    casualties = pages["demo/casualties.md"]
    assert "### Group al and Group qaeda-iraq { #joint--al--qaeda-iraq }" in casualties
    assert "### Group al-qaeda and Group iraq { #joint--al-qaeda--iraq }" in casualties
