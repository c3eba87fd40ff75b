"""Engines: ProperDocs, the continuation of MkDocs 1.x, builds this project unchanged.

ProperDocs lives in a virtual environment of its own (``tests/run`` makes it:
``.cache/properdocs-venv``, with this package installed editable and the
same versions as here of every package both environments share), because
once imported it stands in for every ``mkdocs`` module. The test fails, never
skips, when that environment is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import HOMS, ROOT, run

pytestmark = pytest.mark.engine

PROPERDOCS_ENV = ROOT / ".cache" / "properdocs-venv"
INSTALL = (f"python3 -m venv {PROPERDOCS_ENV} && {PROPERDOCS_ENV}/bin/pip install 'properdocs>=1.6,<2' -e {ROOT}"
           " (bash tests/run does this)")


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project built with ``properdocs build --strict``."""
    properdocs = PROPERDOCS_ENV / "bin" / "properdocs"
    if not properdocs.is_file():
        pytest.fail(f"ProperDocs is not installed in {PROPERDOCS_ENV}; install it with: {INSTALL}")
    # The plugin must be this checkout's, not a stale copy.
    found = run([str(PROPERDOCS_ENV / "bin" / "python"), "-c", "import generator; print(generator.__file__)"],
                cwd=ROOT)
    assert Path(found.stdout.strip()).parent == ROOT / "generator", (found.stdout, found.stderr, INSTALL)
    out = tmp_path_factory.mktemp("properdocs-site")
    result = run([str(properdocs), "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def pages(site: Path) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("*.html")}


def visible_text(page: Path) -> str:
    """The text of the page's ``<article>``, white space normalised: what a reader reads."""
    article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("article")
    assert article is not None, f"{page} has no <article>"
    return " ".join(article.get_text(" ").split())


def test_properdocs_is_the_engine_that_built_it(properdocs_site: Path) -> None:
    generator = BeautifulSoup((properdocs_site / "index.html").read_text(encoding="utf-8"), "html.parser").find(
        "meta", attrs={"name": "generator"})
    assert generator is not None and "ProperDocs" in str(generator.get("content")), generator


def test_properdocs_builds_the_same_pages_as_mkdocs(properdocs_site: Path, built_site: Path) -> None:
    assert pages(properdocs_site) == pages(built_site)
    assert len(pages(built_site)) >= 50


def test_every_page_reads_the_same_with_either_engine(properdocs_site: Path, built_site: Path) -> None:
    different = []
    for path in sorted(pages(built_site)):
        proper, mkdocs = visible_text(properdocs_site / path), visible_text(built_site / path)
        if proper != mkdocs:
            at = next((i for i, (a, b) in enumerate(zip(proper, mkdocs, strict=False)) if a != b),
                      min(len(proper), len(mkdocs)))
            around = slice(max(at - 40, 0), at + 40)
            different.append(f"{path}: ProperDocs {proper[around]!r}, MkDocs {mkdocs[around]!r}")
    assert not different, "pages whose text differs between the engines:\n" + "\n".join(different)


def test_the_downloads_are_the_same_with_either_engine(properdocs_site: Path, built_site: Path) -> None:
    downloads = [p for p in (built_site / HOMS).rglob("*") if p.is_file() and p.suffix != ".html"]
    downloads.append(built_site / "schema.json")
    assert len(downloads) >= 5
    for path in downloads:
        relative = path.relative_to(built_site)
        assert (properdocs_site / relative).read_bytes() == path.read_bytes(), relative
