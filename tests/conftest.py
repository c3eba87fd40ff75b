"""Shared fixtures: the real project, throwaway copies of it, and one built site.

The helpers they use, and that test modules share, are in tests/helpers.py.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import ROOT, copy_project, run

# Material for MkDocs prints a notice about MkDocs 2.0 on every build.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Compiled templates go to a cache folder of the test session's, never the developer's (and commands run
    by the tests inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
        patch.delenv("FACTSHEET_CACHE", raising=False)
        yield


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="Rewrite tests/golden from the current output instead of comparing.")


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the whole project, Homs sheet included."""
    return copy_project(tmp_path / "project")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A writable copy of the project with no sheets."""
    return copy_project(tmp_path / "project", with_content=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The real project built once with ``mkdocs build --strict``, as a user would."""
    out = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    yield out
