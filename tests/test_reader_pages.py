"""What readers of the built site meet: navigation, search, provenance and the words pages use."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from .conftest import ROOT

SHEETS = sorted(path.name for path in (ROOT / "content").iterdir() if (path / "sheet.yml").is_file())


def soup(site: Path, path: Path | str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def sidebar(page: BeautifulSoup) -> Tag:
    nav = page.select_one("nav.md-nav--primary")
    assert nav is not None
    return nav


def sheet_title(site: Path, sheet: str) -> str:
    heading = soup(site, f"{sheet}/index.html").select_one("article h1")
    assert heading is not None
    return heading.get_text(" ", strip=True).rstrip("¶").strip()


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_page_of_a_sheet_shows_that_sheets_menu_and_no_other(built_site: Path, sheet: str) -> None:
    title = sheet_title(built_site, sheet)
    others = [other for other in SHEETS if other != sheet]
    pages = sorted((built_site / sheet).rglob("*.html"))
    assert any(path.parent.name == "actors" and path.name != "index.html" for path in pages)
    for path in pages:
        nav = sidebar(soup(built_site, path))
        labels = [re.sub(r"\s+", " ", a.get_text(" ", strip=True)) for a in nav.find_all("a")]
        hrefs = [str(a["href"]) for a in nav.find_all("a", href=True)]
        where = path.relative_to(built_site)
        assert "All fact sheets" in labels, where
        assert title in nav.get_text(" "), where
        for name in ("Timeline", "Casualties", "Actors", "Sources", "Corrections"):
            assert name in labels, (where, name)
        assert not any(other in href for href in hrefs for other in others), where


def test_an_actors_page_lights_up_the_sheets_actors_entry(built_site: Path) -> None:
    sheet = SHEETS[0]
    actor = next(path for path in sorted((built_site / sheet / "actors").glob("*.html")) if path.name != "index.html")
    nav = sidebar(soup(built_site, actor))
    leaves = [li for li in nav.select("li.md-nav__item--active") if not li.select("li")]
    active = [re.sub(r"\s+", " ", li.get_text(" ", strip=True)) for li in leaves]
    assert active == ["Actors"]


def test_search_names_the_sheet_of_every_hit_and_leaves_out_the_whole_sheet_page(built_site: Path) -> None:
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [doc for doc in docs if "print.html" in doc["location"]]
    for sheet in SHEETS:
        title = html.escape(sheet_title(built_site, sheet))
        entries = [doc for doc in docs if doc["location"].startswith(f"{sheet}/") and "#" not in doc["location"]]
        assert len(entries) > 10
        assert [doc["title"] for doc in entries if title not in doc["title"]] == []
        timeline = next(doc for doc in entries if doc["location"] == f"{sheet}/timeline.html")
        assert timeline["title"] == f"Timeline · {title}"


def test_a_sheets_page_names_its_sheet_in_the_browsers_title(built_site: Path) -> None:
    sheet = SHEETS[0]
    page = soup(built_site, f"{sheet}/timeline.html")
    assert page.title is not None
    assert page.title.get_text() == f"Timeline · {sheet_title(built_site, sheet)} - Fact sheets"


# The data model's and the editors' words, which readers should not meet (they stay in the data and the guide).
EDITORS_WORDS = re.compile(r"found through|factsheet check|claimants?\b|whole event|part of the total|\bcopies\b"
                           r"|\bby sum\b|\(0 facts\)|\b1 (?:direct quotations|figures|reports|sources|rows)\b", re.I)


def reader_text(site: Path, path: Path) -> str:
    body = soup(site, path).select_one("article")
    assert body is not None, path
    return re.sub(r"\s+", " ", body.get_text(" "))


@pytest.mark.parametrize("sheet", SHEETS)
def test_reader_pages_speak_plainly_and_say_the_copyright_once(built_site: Path, sheet: str) -> None:
    for path in sorted((built_site / sheet).rglob("*.html")):
        text = reader_text(built_site, path)
        assert [m.group(0) for m in EDITORS_WORDS.finditer(text)] == [], path.relative_to(built_site)
        assert text.count("copyrighted") <= 1, path.relative_to(built_site)
    assert reader_text(built_site, built_site / sheet / "sources.html").count("copyrighted") == 1


def test_an_editors_note_stays_in_the_data_and_never_reaches_a_page(built_site: Path) -> None:
    tallies = (ROOT / "content" / "karrada-2016-07-03" / "tallies.yml").read_text(encoding="utf-8")
    assert "editors_note: >-\n      The next paragraph" in tallies
    for path in built_site.rglob("*.html"):
        assert "The next paragraph, on where most of them died" not in path.read_text(encoding="utf-8"), path
    # A note for readers does.
    assert "still missing and feared dead" in reader_text(built_site, built_site / "karrada-2016-07-03/casualties.html")
