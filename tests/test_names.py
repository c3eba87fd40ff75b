"""Every name generated from ids is one-to-one: anchors, keys of joint claims, page files, sheet folders."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator.pipeline import Pipeline
from generator.registry import KIND_BY_SINGULAR, SITE_FOLDERS, fragment, group_key
from generator.vocabulary import DEFAULT_COUNTS

from .helpers import ROOT, SHEET, TALLY, load_project, only, render_project, write_sheet

# Ids whose hyphens make naive joins collide: "al" + "qaeda-iraq" and "al-qaeda" + "iraq".
PIECES = ["a", "b", "a-b", "b-a", "al", "qaeda", "iraq", "al-qaeda", "qaeda-iraq", "al-qaeda-iraq", "1", "a-1"]
GROUPS = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4, unique=True), min_size=1, max_size=30,
                  unique_by=tuple)


@given(GROUPS)
def test_claimant_anchors_never_collide(groups: list[list[str]]) -> None:
    anchors = [fragment(group_key(g), "claimant" if len(g) == 1 else "joint") for g in groups]
    assert len(set(anchors)) == len(groups)
    assert all(group_key(g).split("--") == g for g in groups)


@given(st.lists(st.tuples(st.sampled_from(sorted(KIND_BY_SINGULAR)), st.sampled_from(PIECES)), unique=True))
def test_anchors_of_items_of_every_kind_never_collide(items: list[tuple[str, str]]) -> None:
    assert len({fragment(ident, kind) for kind, ident in items}) == len(items)


def test_a_sheet_may_not_take_the_name_of_a_folder_of_the_site(tmp_path: Path) -> None:
    # Every folder the generated pages use, besides the sheets' own, is one no sheet may take.
    project = load_project(ROOT / "content")
    pages = render_project(project, ROOT / "templates")
    folders = {path.split("/")[0] for path in pages if "/" in path} - {sheet.id for sheet in project.sheets}
    assert folders == SITE_FOLDERS
    for name in sorted(SITE_FOLDERS):
        content = tmp_path / name
        folder = write_sheet(content, {"sheet.yml": SHEET.replace("id: demo", f"id: {name}")}).rename(content / name)
        d = only(content)
        assert (d.code, d.line, d.col) == ("reserved-id", 2, 7), d
        assert Path(d.path) == folder / "sheet.yml"


def test_a_kind_of_count_that_prints_like_another_is_a_warning_naming_both(tmp_path: Path) -> None:
    tally = TALLY.replace("counts: killed", "counts: k\u0456lled")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    (sheet,) = Pipeline().load(tmp_path, [*DEFAULT_COUNTS, "k\u0456lled"]).sheets
    (warning,) = sheet.warnings
    assert (warning.code, warning.line, warning.col) == ("confusable", 3, 13)
    assert warning.message == "kind of count 'k\u0456lled' prints like 'killed' but is other text"
    assert "U+0456 (CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), not U+0069 (LATIN SMALL LETTER I)" in str(
        warning.hint)


# Latin letters and a letter of another script that prints like each.
LOOKALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "i": "\u0456",
              "A": "\u0391", "O": "\u039f", "T": "\u0422", "H": "\u041d"}


@given(st.text(alphabet="aeopciAOTH rlmns", min_size=3, max_size=20).filter(lambda name: name.strip() == name
                                                                              and any(c in LOOKALIKES for c in name)),
       st.data())
def test_an_actor_named_like_another_in_another_script_is_a_warning(name: str, data: st.DataObject) -> None:
    at = data.draw(st.sampled_from([i for i, c in enumerate(name) if c in LOOKALIKES]))
    lookalike = name[:at] + LOOKALIKES[name[at]] + name[at + 1:]
    actors = "".join(f"""  - id: actor-{i}
    name: "{who}"
    kind: person
    description: Someone.
    evidence:
      - source: wire
        quote: the governor said
""" for i, who in enumerate((name, lookalike)))
    with tempfile.TemporaryDirectory() as folder:
        write_sheet(Path(folder), {"sheet.yml": SHEET + actors})
        (sheet,) = load_project(Path(folder)).sheets
    found = [w for w in sheet.warnings if w.code == "confusable"]
    assert [w.line for w in found] == [SHEET.count("\n") + 9], found
    assert f"character {at + 1} is U+{ord(LOOKALIKES[name[at]]):04X}" in str(found[0].hint)
