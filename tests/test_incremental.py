"""The workspace reuses what did not change within one process, with the result a fresh one gives."""

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

from .helpers import HOMS, ROOT, SHEET, TALLY, load_project, render_project, write_sheet

COMMANDS = cli_reference(main)


def keep_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Edit ``path`` as ``cp -p`` or ``rsync -t`` would leave it: same size, same modification time."""
    assert len(old) == len(new)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_every_edit_gives_what_a_fresh_workspace_gives(tmp_path: Path) -> None:
    """Edits that keep size and modification time too: change is judged by bytes."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / HOMS, content / HOMS)
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, templates)
    workspace = Pipeline()

    def rendered() -> dict[str, str]:
        return workspace.render(workspace.load(content), templates, COMMANDS)

    first = rendered()
    assert first == render_project(load_project(content), templates)
    assert rendered() == first

    keep_size_and_mtime(content / "demo" / "tallies.yml", "value: 32", "value: 33")
    edited = rendered()
    assert edited == render_project(load_project(content), templates)
    assert edited["demo/casualties.md"] != first["demo/casualties.md"]
    assert edited[f"{HOMS}/casualties.md"] == first[f"{HOMS}/casualties.md"]

    keep_size_and_mtime(templates / "quotes.md.j2", "verbatim", "VERBATIM")
    assert rendered() == render_project(load_project(content), templates)
    assert "VERBATIM" in rendered()[f"{HOMS}/quotes.md"]


def test_a_template_in_a_linked_folder_is_followed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    templates, shared = tmp_path / "templates", tmp_path / "shared"
    templates.mkdir()
    shared.mkdir()
    (shared / "note.j2").write_text("First note.\n", encoding="utf-8")
    (templates / "parts").symlink_to(shared)
    (templates / "quotes.md.j2").write_text(
        (PACKAGE_TEMPLATES / "quotes.md.j2").read_text(encoding="utf-8") + '{% include "parts/note.j2" %}\n',
        encoding="utf-8")
    workspace = Pipeline()
    assert "First note." in workspace.render(workspace.load(content), templates, COMMANDS)["demo/quotes.md"]
    keep_size_and_mtime(shared / "note.j2", "First", "Other")
    assert "Other note." in workspace.render(workspace.load(content), templates, COMMANDS)["demo/quotes.md"]


def test_a_removed_sheet_disappears(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET})
    workspace = Pipeline()
    assert [s.id for s in workspace.load(content).sheets] == ["demo"]
    shutil.rmtree(content / "demo")
    assert workspace.load(content).sheets == ()


def test_downloads_follow_edits_and_settings(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_sheet(content, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    workspace = Pipeline()
    first = workspace.files(workspace.load(content), "Sheets", None)
    assert workspace.files(workspace.load(content), "Sheets", None) == first
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
