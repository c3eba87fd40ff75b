"""Shared fixtures: the real project, throwaway copies of it, and one built site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from generator.docgen import cli_reference
from generator.pipeline import Pipeline
from generator.sheet import Project, Sheet
from generator.shipped import PACKAGE_TEMPLATES, PACKAGE_THEME

ROOT = Path(__file__).resolve().parent.parent
HOMS = "homs-2017-02-25"
# Where the package's own templates and theme files are, by the project folder that overrides them.
SHIPPED = {"templates": PACKAGE_TEMPLATES, "overrides": PACKAGE_THEME}

# Material for MkDocs prints a notice about MkDocs 2.0 on every build.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite tests/golden from the current output instead of comparing.")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def copy_project(target: Path, *, with_content: bool = True) -> Path:
    """A copy of the project's configuration, docs folder and (optionally) content.

    Like a newsroom's project, it overrides one page template (``templates/quotes.md.j2``)
    and one theme file (``overrides/404.html``, the theme's ``custom_dir``) with copies of
    the package's; every other template comes from the package.
    """
    target.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in config
    (target / "mkdocs.yml").write_text(config.replace("theme:\n  name: material\n",
                                                      "theme:\n  name: material\n  custom_dir: overrides\n"),
                                       encoding="utf-8")
    shutil.copytree(ROOT / "docs", target / "docs")
    for folder, name in (("templates", "quotes.md.j2"), ("overrides", "404.html")):
        (target / folder).mkdir()
        shutil.copy(SHIPPED[folder] / name, target / folder / name)
    if with_content:
        shutil.copytree(ROOT / "content", target / "content")
    else:
        (target / "content").mkdir()
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the whole project, Homs sheet included."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A writable copy of the project with no sheets."""
    return copy_project(tmp_path / "project", with_content=False)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command the way a user would, capturing its output."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def factsheet(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed ``factsheet`` command."""
    return run([sys.executable, "-m", "generator", *args], cwd=cwd)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real project built once with ``mkdocs build --strict``, as a user would."""
    out = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    yield out


def load_project(content: Path) -> Project:
    """Every sheet under ``content``, read and checked the way every command does."""
    return Pipeline().load(content)


def render_project(project: Project, templates: Path) -> dict[str, str]:
    """Every generated page of ``project``, rendered afresh the way the plugin does."""
    return Pipeline().render(project, templates, cli_reference(main))


def homs_sheet() -> Sheet:
    """The Homs sheet of the project's content."""
    return next(sheet for sheet in load_project(ROOT / "content").sheets if sheet.id == HOMS)
