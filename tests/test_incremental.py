"""The workspace re-reads and re-renders only sheets whose files changed, with the same result."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.docgen import cli_reference
from generator.errors import DataError
from generator.pipeline import Pipeline
from generator.shipped import PACKAGE_TEMPLATES
from generator.vocabulary import DEFAULT_COUNTS, count_vocabulary

from .conftest import HOMS, ROOT, load_project, render_project
from .test_checks import SHEET, TALLY, write_sheet

COMMANDS = cli_reference(main)


def test_unchanged_sheets_are_reused_and_the_output_is_the_same(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / HOMS, content / HOMS)
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, templates)
    workspace = Pipeline()

    first = workspace.render(workspace.load(content), templates, COMMANDS)
    assert workspace.rendered_sheets == 2
    assert first == render_project(load_project(content), templates)

    again = workspace.render(workspace.load(content), templates, COMMANDS)
    assert workspace.rendered_sheets == 0 and again == first

    tallies = content / "demo" / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("value: 32", "value: 33"), encoding="utf-8")
    edited = workspace.render(workspace.load(content), templates, COMMANDS)
    assert workspace.rendered_sheets == 1
    assert edited == render_project(load_project(content), templates)
    assert edited["demo/casualties.md"] != first["demo/casualties.md"]
    assert edited[f"{HOMS}/casualties.md"] == first[f"{HOMS}/casualties.md"]

    template = templates / "quotes.md.j2"
    stat = template.stat()
    template.write_text(template.read_text(encoding="utf-8") + "\nChanged.\n", encoding="utf-8")
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    workspace.render(workspace.load(content), templates, COMMANDS)
    assert workspace.rendered_sheets == 2


def test_a_removed_sheet_disappears(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET})
    workspace = Pipeline()
    assert [s.id for s in workspace.load(content).sheets] == ["demo"]
    shutil.rmtree(content / "demo")
    assert workspace.load(content).sheets == ()


def test_downloads_are_made_again_only_for_changed_sheets(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    workspace = Pipeline()
    first = workspace.files(workspace.load(content), "Sheets", None)
    assert workspace.files(workspace.load(content), "Sheets", None)["demo/facts.json"] is first["demo/facts.json"]
    assert "<name>Other</name>" in workspace.files(workspace.load(content), "Other", None)["demo/changes.xml"]
    tallies = content / "demo" / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("value: 32", "value: 33"), encoding="utf-8")
    edited = workspace.files(workspace.load(content), "Sheets", None)
    assert '"value": 33' in edited["demo/facts.json"] and "schema.json" in edited


def test_a_changed_vocabulary_checks_unchanged_sheets_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("counts: killed", "counts: hostages")})
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, templates)
    workspace = Pipeline()
    with pytest.raises(DataError, match=r"unknown kind of count 'hostages' \[unknown-count\]"):
        workspace.load(content)
    extended = count_vocabulary(["hostages"])
    (sheet,) = workspace.load(content, extended).sheets
    assert workspace.load(content, list(extended)).sheets[0] is sheet  # the same words: nothing read again
    workspace.render(workspace.load(content, extended), templates, COMMANDS)
    # No file changed: the word was taken out of mkdocs.yml, and the cached sheet is wrong now.
    with pytest.raises(DataError, match=r"\[unknown-count\]"):
        workspace.load(content, DEFAULT_COUNTS)
    again = workspace.load(content, extended)
    assert again.sheets[0] is not sheet and again.sheets[0].tallies == sheet.tallies
    assert "hostages" in workspace.render(again, templates, COMMANDS)["demo/casualties.md"].lower()
