"""The preview equals the build: after any change, what ``factsheet serve`` wrote is what a build writes.

The preview builds "dirty" (generator/preview.py): it writes again only what
changed. Each step below makes one kind of change a newsroom makes while
previewing, rebuilds the preview the way MkDocs' server does (one plugin
instance for the session, the configuration read again, a dirty build into the
same folder), builds the same tree afresh, and compares every file's bytes.
Edits keep their file's size and modification time, as ``cp -p``, ``rsync -t``
or ``tar x`` leave them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.preview import watched

from .helpers import HOMS, copy_project, factsheet, snapshot

ADDRESS = "http://127.0.0.1:8000/"


def rebuild_preview(project: Path, site: Path) -> None:
    """A preview server's rebuild of ``project`` into ``site``: its plugins live on, its configuration is read again."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.site_url = ADDRESS
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, serve_url=ADDRESS, dirty=True)


def build_afresh(project: Path, site: Path) -> None:
    """``factsheet build`` of ``project`` into ``site``, in a process of its own, for the preview's address."""
    result = factsheet("build", "-d", str(site), cwd=project)
    assert result.returncode == 0, result.stderr


def same_size_and_time(path: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` in ``path``, keeping its size and modification time."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The project with one sheet, a configuration it inherits, a linked template folder and docs of its own."""
    # The preview serves at an address, as a published site: with a contact, as its build has.
    monkeypatch.setenv("FACTSHEET_CONTACT", "mailto:desk@example.org")
    monkeypatch.setenv("SITE_URL", ADDRESS)
    project = copy_project(tmp_path / "project")
    for sheet in (project / "content").iterdir():
        if sheet.name != HOMS:
            shutil.rmtree(sheet)
    config = project / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    (project / "base.yml").write_text("copyright: Desk one\n", encoding="utf-8")
    shared = tmp_path / "shared-templates"  # outside the project, as a newsroom's shared partials
    shared.mkdir()
    (shared / "note.j2").write_text("Shared note one.\n", encoding="utf-8")
    (project / "templates" / "parts").symlink_to(shared)
    quotes = project / "templates" / "quotes.md.j2"
    quotes.write_text(quotes.read_text(encoding="utf-8") + '\n{% include "parts/note.j2" %}\n', encoding="utf-8")
    (project / "docs" / "about.md").write_text("# About\n\nWho we are, version one.\n", encoding="utf-8")
    linked = tmp_path / "linked-docs"
    linked.mkdir()
    (linked / "method.md").write_text("# Method\n\nHow we check, version one.\n", encoding="utf-8")
    (project / "docs" / "method").symlink_to(linked)
    return project


def _inherited(project: Path) -> None:
    same_size_and_time(project / "base.yml", "Desk one", "Desk two")


def _linked_template(project: Path) -> None:
    same_size_and_time(project / "templates" / "parts" / "note.j2", "note one", "note two")


def _fact(project: Path) -> None:
    same_size_and_time(project / "content" / HOMS / "quotes.yml", "setting: Skype int", "setting: Skype Int")


def _docs_page(project: Path) -> None:
    same_size_and_time(project / "docs" / "about.md", "version one", "version two")


def _linked_docs_page(project: Path) -> None:
    same_size_and_time(project / "docs" / "method" / "method.md", "version one", "version two")


def _theme_override(project: Path) -> None:
    same_size_and_time(project / "overrides" / "404.html", "Page not found", "Page NOT found")


def _renamed_docs_page(project: Path) -> None:
    (project / "docs" / "about.md").rename(project / "docs" / "who.md")


def _deleted_docs_page(project: Path) -> None:
    (project / "docs" / "who.md").unlink()


def _deleted_template(project: Path) -> None:
    (project / "templates" / "quotes.md.j2").unlink()


CHANGES: list[tuple[str, Callable[[Path], None], str]] = [
    ("a configuration file that mkdocs.yml inherits", _inherited, "Desk two"),
    ("a template included from a linked folder", _linked_template, "note two"),
    ("a fact", _fact, "Skype Interview"),
    ("a page of docs/", _docs_page, "version two"),
    ("a page of a linked docs folder", _linked_docs_page, "version two"),
    ("a theme override", _theme_override, "Page NOT found"),
    ("a renamed page of docs/", _renamed_docs_page, ""),
    ("a deleted page of docs/", _deleted_docs_page, ""),
    ("a deleted template override", _deleted_template, ""),
]


def test_the_preview_after_each_kind_of_change_is_the_build(tree: Path, tmp_path: Path) -> None:
    preview = tmp_path / "preview"
    rebuild_preview(tree, preview)
    for number, (what, change, shown) in enumerate(CHANGES):
        change(tree)
        rebuild_preview(tree, preview)
        fresh = tmp_path / f"build-{number}"
        build_afresh(tree, fresh)
        served, built = snapshot(preview), snapshot(fresh)
        assert sorted(served) == sorted(built), f"after {what}, the preview has other files than the build"
        differing = [name for name in built if served[name] != built[name]]
        assert not differing, f"after {what}, the preview differs from the build in {differing[:5]}"
        if shown:
            assert any(shown.encode() in body for body in built.values()), f"{what}: the change is not built"


def test_the_search_plugin_keeps_its_index_where_the_preview_completes_it() -> None:
    """The preview completes Material's search index in place (generator/preview.py): pin what it relies on."""
    from importlib.metadata import version

    from material.plugins.search.plugin import SearchIndex, SearchPlugin

    major, minor = (int(part) for part in version("mkdocs-material").split(".")[:2])
    assert (9, 5) <= (major, minor) < (10, 0), "pyproject.toml pins mkdocs-material to 9.5 and later 9.x"
    plugin, index = SearchPlugin(), SearchIndex()
    assert plugin.search_index_prev is None and index.entries == []


def test_the_server_watches_linked_folders_and_inherited_configuration(tree: Path, tmp_path: Path) -> None:
    """A watcher does not follow links: each linked folder is watched where it is, each once, loops included."""
    (tmp_path / "shared-templates" / "back").symlink_to(tree / "templates")  # a loop through the link
    found = watched([tree / "templates", tree / "docs"], tree / "mkdocs.yml")
    assert found == [(tree / "templates").resolve(), (tmp_path / "shared-templates").resolve(),
                     (tree / "docs").resolve(), (tmp_path / "linked-docs").resolve(),
                     tree / "mkdocs.yml", tree / "base.yml"]
