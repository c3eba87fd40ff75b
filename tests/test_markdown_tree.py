"""`factsheet render -d DIR`: the generated Markdown and downloads, written like a built site."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import cli
from generator.outputdir import STAMP, TREE_STAMP

from .helpers import HOMS, ROOT, factsheet, snapshot

GOLDEN = Path(__file__).parent / "golden"
DOWNLOADS = ("schema.json", f"{HOMS}/facts.json", f"{HOMS}/corrections.xml", f"{HOMS}/actors.csv",
             f"{HOMS}/tallies.csv")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project's tree, rendered once, as a user would."""
    out = tmp_path_factory.mktemp("tree") / "markdown"
    result = factsheet("render", "-d", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert f"into {out}/" in result.stdout
    return out


def test_the_tree_holds_every_generated_page_as_reviewed(tree: Path) -> None:
    """Every page, guide and home page included, is the reviewed Markdown of tests/golden, and no other."""
    pages = {str(p.relative_to(tree)): p.read_text(encoding="utf-8") for p in tree.rglob("*.md")}
    golden = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(golden)
    assert {"index.md", "guide/cli.md", f"{HOMS}/index.md", f"{HOMS}/actors/bashar-assad.md"} <= set(pages)
    for path, text in golden.items():
        assert pages[path] == text, path


def test_the_downloads_are_those_of_the_built_site(tree: Path, built_site: Path) -> None:
    others = {str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert set(DOWNLOADS) | {TREE_STAMP} <= others and STAMP not in others
    for path in others - {TREE_STAMP}:
        assert (tree / path).read_bytes() == (built_site / path).read_bytes(), path


def test_render_is_deterministic_and_replaces_its_own_tree(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    for _ in range(2):  # the second run replaces the stamped tree of the first
        result = factsheet("render", "-d", str(out), cwd=ROOT)
        assert result.returncode == 0, result.stderr
        assert snapshot(out) == snapshot(tree)


@pytest.mark.parametrize(("target", "why"), [
    (".", "the project folder"),
    ("content", "the content folder"),
    ("templates", "the templates folder"),
    ("docs/markdown", "the docs_dir"),
    ("overrides", "custom_dir"),
    ("content/markdown", "the content folder"),
])
def test_render_refuses_the_project_folders(project: Path, target: str, why: str) -> None:
    before = snapshot(project)
    result = factsheet("render", "-d", target, cwd=project)
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr and why in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_render_refuses_a_folder_of_yours_and_a_file(project: Path, tmp_path: Path) -> None:
    yours = tmp_path / "notes"
    yours.mkdir()
    (yours / "todo.md").write_text("mine\n", encoding="utf-8")
    result = factsheet("render", "-d", str(yours), cwd=project)
    assert result.returncode == 1 and f"no {TREE_STAMP} stamp" in result.stderr, result.stderr
    assert snapshot(yours) == {"todo.md": b"mine\n"}
    a_file = tmp_path / "file.md"
    a_file.write_text("mine\n", encoding="utf-8")
    result = factsheet("render", "-d", str(a_file), cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert a_file.read_text(encoding="utf-8") == "mine\n"


def test_render_leaves_the_environment_as_it_found_it(tree: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin sets SOURCE_DATE_EPOCH for MkDocs; with no build to unset it, render puts it back."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli.main, ["render", "-d", str(tmp_path / "markdown")])
    assert result.exit_code == 0, result.output
    assert "SOURCE_DATE_EPOCH" not in os.environ
    assert snapshot(tmp_path / "markdown") == snapshot(tree)


def test_render_needs_a_folder(project: Path) -> None:
    result = factsheet("render", cwd=project)
    assert result.returncode == 2 and "Missing option '-d'" in result.stderr


@pytest.mark.parametrize(("path", "old", "new", "message"), [
    (f"content/{HOMS}/quotes.yml", "speaker: bebars-al-talawy", "speaker: bebars", "[unknown-id]"),
    ("templates/quotes.md.j2", "Direct quotations, verbatim", "{{ 1/0 }}", "ZeroDivisionError"),
])
def test_an_error_leaves_the_tree_as_it_was(project: Path, tmp_path: Path, path: str, old: str, new: str,
                                            message: str) -> None:
    out = tmp_path / "markdown"
    assert factsheet("render", "-d", str(out), cwd=project).returncode == 0
    before = snapshot(out)
    broken = project / path
    text = broken.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = factsheet("render", "-d", str(out), cwd=project)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".markdown.")], "a work folder was left behind"
