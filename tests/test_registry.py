"""Every kind of fact and every page of the registry reaches every output that should carry it.

Outputs derive from generator.registry; these tests fail when one of them
leaves a kind or a page out, which used to drop data without a word.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.assemble import project_nav
from generator.docgen import DOCUMENTED_MODELS
from generator.export import csv_columns
from generator.registry import KINDS, PAGES, Kind, Page, link, url
from generator.scaffold import new_sheet
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import HOMS, ROOT, homs_sheet, load_project, render_project

KIND_IDS = [kind.section for kind in KINDS]
PAGE_IDS = [page.name for page in PAGES]


def html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_each_kind_is_in_facts_json_the_schema_the_reference_and_the_scaffold(
        built_site: Path, kind: Kind, tmp_path: Path) -> None:
    facts = json.loads((built_site / HOMS / "facts.json").read_text(encoding="utf-8"))
    sheet = homs_sheet()
    assert len(facts[kind.section]) == len(sheet.of(kind.section)) > 0
    schema = json.loads((ROOT / "schema.json").read_text(encoding="utf-8"))
    assert kind.section in schema["properties"]
    assert (kind.section, kind.model) in DOCUMENTED_MODELS
    folder = new_sheet(tmp_path / "content", "demo")
    assert f"\n{kind.section}: []\n" in (folder / "sheet.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", [k for k in KINDS if k.columns], ids=[k.section for k in KINDS if k.columns])
def test_each_kind_with_columns_has_a_csv_file_linked_from_the_data_page(built_site: Path, kind: Kind) -> None:
    rows = (built_site / HOMS / f"{kind.section}.csv").read_text(encoding="utf-8").splitlines()
    sheet = homs_sheet()
    assert rows[0].split(",") == [column.name for column in csv_columns(kind)]
    assert len(rows) == len(sheet.of(kind.section)) + 1
    data = html(built_site, f"{HOMS}/data.html")
    assert f"{kind.section}.csv" in {str(a["href"]) for a in data.select("article a[href]")}


@pytest.mark.parametrize("kind", [k for k in KINDS if k.page], ids=[k.section for k in KINDS if k.page])
def test_each_kind_links_to_where_its_items_are_shown(built_site: Path, kind: Kind) -> None:
    sheet = homs_sheet()
    for item in sheet.of(kind.section):
        page, _, fragment = url(link(item.id, kind.singular)).partition("#")
        target = html(built_site, f"{HOMS}/{page}")
        assert target.select_one("article") is not None
        if fragment:
            assert target.find(id=fragment) is not None, f"{page}#{fragment}"


def test_the_sources_page_counts_every_kind_of_fact(built_site: Path) -> None:
    sources = html(built_site, f"{HOMS}/sources.html")
    counted = {row.select("td")[0].get_text() for row in sources.select("article table tbody tr")}
    assert counted == {kind.label for kind in KINDS if kind.is_fact}


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_each_page_is_rendered_and_listed_where_the_page_map_says(page: Page) -> None:
    project = load_project(ROOT / "content")
    sheet = next(s for s in project.sheets if s.id == HOMS)
    pages = render_project(project, PACKAGE_TEMPLATES)
    paths = [page.path_of(item.id) for item in sheet.of(page.each)] if page.each else [page.path]
    assert paths and all(f"{HOMS}/{path}" in pages for path in paths)
    menu_line = pages[f"{HOMS}/timeline.md"].split("\n")[3]
    assert (f"[{page.label}]({page.path})" in menu_line) == page.in_menu
    sidebar = json.dumps(project_nav(project))
    assert (f'"{HOMS}/{page.path}"' in sidebar) == page.in_sidebar
    home = pages["index.md"]
    assert (f"[{page.label}]({HOMS}/{page.path})" in home) == page.on_home
    if page.in_print:
        # On the whole-sheet page each page is a section under the sheet's title; the overview is named so.
        heading = pages[f"{HOMS}/{page.path}"].split("\n# ", 1)[1].split("\n", 1)[0]
        heading = "Overview" if page.name == "overview" else heading
        assert f"\n## {heading}\n" in pages[f"{HOMS}/print.md"]
