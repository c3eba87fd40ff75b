"""What readers of the built site meet: navigation, search, provenance and the words pages use."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from generator.history import changed_days

from .helpers import HOMS, ROOT, load_project

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


def git(folder: Path, *args: str, day: str = "2026-01-01") -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "GIT_AUTHOR_NAME": "Ed", "GIT_AUTHOR_EMAIL": "e@x",
           "GIT_COMMITTER_NAME": "Ed", "GIT_COMMITTER_EMAIL": "e@x", "PATH": os.environ["PATH"], "HOME": str(folder)}
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def test_a_sheets_last_change_is_its_folders_last_commit(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for sheet in ("one", "two"):
        (content / sheet).mkdir(parents=True)
        (content / sheet / "sheet.yml").write_text("sheet: {}\n", encoding="utf-8")
    assert changed_days(content) == {}  # not a checkout: no history
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "both", day="2026-03-01")
    (content / "two" / "sheet.yml").write_text("sheet: {id: two}\n", encoding="utf-8")
    (tmp_path / "README").write_text("not a sheet\n", encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "two", day="2026-04-15")
    assert changed_days(content) == {"one": "2026-03-01", "two": "2026-04-15"}


def test_a_sheet_opens_with_its_provenance_and_its_print_too(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "content")
    git(project, "commit", "-qm", "facts", day="2026-11-30")
    env = {**os.environ, "SITE_URL": "https://example.org/facts/", "FACTSHEET_CONTACT": "mailto:desk@example.org"}
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    for name in ("index.html", "print.html"):
        page = soup(project / "site", f"{HOMS}/{name}")
        tops = page.select("article .fs-provenance--top")
        assert len(tops) == 1 and not page.select("article footer.fs-provenance"), name
        # Right under the title, before anything else of the page.
        assert tops[0].find_previous_sibling("h1") is not None, name
        text = re.sub(r"\s+", " ", tops[0].get_text(" "))
        assert "Compiled by the factsheet editors" in text and "Facts last changed 30 November 2026." in text
        assert (f"Cite as: the factsheet editors, “{sheet_title(project / 'site', HOMS)}”, Fact sheets, last changed "
                f"30 November 2026, https://example.org/facts/{HOMS}/index.html .") in text
        assert "Text and data: CC BY 4.0 ; the quoted passages remain their publishers' work." in text
        links = {str(a["href"]) for a in tops[0].find_all("a")}
        assert links == {"mailto:desk@example.org", f"https://example.org/facts/{HOMS}/index.html",
                         "https://creativecommons.org/licenses/by/4.0/"}
    # Other pages end with the short form.
    footer = soup(project / "site", f"{HOMS}/timeline.html").select_one("article footer.fs-provenance")
    assert footer is not None and "30 November 2026" in footer.get_text()


def test_a_published_site_without_a_contact_fails_a_strict_build(project: Path) -> None:
    env = {**os.environ, "SITE_URL": "https://example.org/facts/"}
    env.pop("FACTSHEET_CONTACT", None)
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "no contact in mkdocs.yml: readers of the sheets have no way to report an error" in result.stderr
    assert "Traceback" not in result.stderr
    # A local build (no site address) only says so.
    env.pop("SITE_URL")
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_time_of_day_is_in_the_event_places_zone_in_one_style(built_site: Path) -> None:
    zones = {"homs-2017-02-25": "Damascus time", "karrada-2016-07-03": "Baghdad time",
             "sri-lanka-2019-04-21": "Colombo time"}
    seen = 0
    for sheet, zone in zones.items():
        for path in sorted((built_site / sheet).rglob("*.html")):
            article = soup(built_site, path).select_one("article")
            assert article is not None
            for chart in article.select("svg"):
                chart.decompose()  # a chart's axis in hours is headed by its zone (test_charts)
            text = re.sub(r"\s+", " ", article.get_text(" "))
            for found in re.finditer(r"(?<![\d:])(\d{2}:\d{2})(?![\d:])(.{0,30})", text):
                seen += 1
                after = found.group(2)
                # Either the event place's zone, or the report's own given in parentheses after it.
                assert after.startswith((f" {zone}", " (its time zone is not known)", " UTC", " GMT")), \
                    (path.relative_to(built_site), found.group(0))
                if after.startswith((" UTC", " GMT")):
                    assert text[found.start() - 1] == "(", (path.relative_to(built_site), found.group(0))
    assert seen > 10


def test_the_home_page_is_an_index_of_every_event_with_its_standing_figures(built_site: Path) -> None:
    table = soup(built_site, "index.html").select_one("article table.fs-sortable")
    assert table is not None
    rows = {}
    for row in table.select("tbody tr"):
        link = row.select_one("td[data-label=Event] a")
        assert link is not None
        rows[str(link["href"]).split("/")[0]] = row
    assert sorted(rows) == SHEETS
    karrada = {str(td["data-label"]): td.get_text(" ", strip=True) for td in rows["karrada-2016-07-03"].select("td")}
    # The latest figure, not the first reported nor every figure ever given.
    assert karrada == {"Date": "3 July 2016", "Event": "Truck bombing in Karrada, Baghdad, 3 July 2016",
                       "Place": "Karrada", "Killed": "324", "Wounded": "200 to more than 200",
                       "Claimed by": "Islamic State"}
    homs = rows["homs-2017-02-25"].select_one("td[data-label=Killed]")
    assert homs is not None and homs.get_text(strip=True) == "at least 32 to at least 42" and homs["data-sort"] == "42"


def test_an_actor_several_sheets_name_has_one_site_wide_page_linked_from_each(built_site: Path) -> None:
    declared: dict[str, list[str]] = {}
    for sheet in SHEETS:
        actors = (ROOT / "content" / sheet / "actors.yml").read_text(encoding="utf-8")
        for actor_id, shared in re.findall(r"^  - id: (\S+)\n    shared: (\S+)$", actors, re.MULTILINE):
            declared.setdefault(shared, []).append(f"{sheet}/actors/{actor_id}.html")
    assert "islamic-state" in declared and len(declared["islamic-state"]) == len(SHEETS)
    for shared, pages in declared.items():
        page = soup(built_site, f"actors/{shared}.html").select_one("article")
        assert page is not None
        hrefs = {str(a["href"]) for a in page.find_all("a", href=True)}
        # What each sheet says of the actor comes with its evidence, as on the sheet's own page.
        assert len(page.select("blockquote")) >= len(pages) and len(page.select(".fs-evidence-label")) == len(pages)
        for path in pages:
            sheet = path.split("/")[0]
            # Its part in each event, linked to the sheet and to the actor's page there.
            assert f"../{path}" in hrefs and f"../{sheet}/index.html" in hrefs, (shared, path)
            back = soup(built_site, path).select_one("article")
            assert back is not None and f"../../actors/{shared}.html" in {str(a["href"]) for a in back.find_all("a")}
    claimed = reader_text(built_site, built_site / "actors" / "islamic-state.html")
    assert claimed.count("Claimed the attack:") == 2  # Karrada and Sri Lanka; in Homs it is background


def test_an_actor_declared_shared_in_one_sheet_only_gets_no_site_wide_page() -> None:
    project = load_project(ROOT / "content")
    assert set(project.shared_actors) == {"afp", "ap", "islamic-state", "reuters", "upi"}
    homs = next(sheet for sheet in project.sheets if sheet.id == HOMS)
    lone = next(actor for actor in homs.actors if actor.shared is None)
    assert project.shared_of(homs, lone) is None
    single = type(project)(project.sheets[:1])
    assert single.shared_actors == {}


@pytest.mark.parametrize("sheet", SHEETS)
def test_the_print_gives_each_figure_once_in_its_card(built_site: Path, sheet: str) -> None:
    printed = soup(built_site, f"{sheet}/print.html").select_one("article")
    screen = soup(built_site, f"{sheet}/casualties.html").select_one("article")
    assert printed is not None and screen is not None
    cards = [str(card["id"]) for card in printed.select(".fs-claim[id^='tally--']")]
    assert cards and len(cards) == len(set(cards)) == len(screen.select(".fs-claim[id^='tally--']"))
    # No second list of the same figures: not the overview's, not the side-by-side lists.
    for svg in printed.select("svg"):
        svg.decompose()
    figure_links = [a for a in printed.select("li a[href*='#tally--']") if a.find_parent(class_="fs-claim") is None]
    assert figure_links == []
    # The screen keeps its lists, for a reader who jumps to one figure.
    assert screen.select("li a[href^='#tally--']")


@pytest.mark.parametrize("sheet", SHEETS)
def test_the_print_gives_each_quote_in_full_once_and_names_it_after(built_site: Path, sheet: str) -> None:
    printed = soup(built_site, f"{sheet}/print.html").select_one("article")
    assert printed is not None
    full: list[str] = []
    named = 0
    for paragraph in printed.select("blockquote p"):
        for line in paragraph.get_text().split("\n"):
            text = re.sub(r"\s+", " ", line).strip()
            again = re.match(r"“(.+?)…?”, quoted in full above", text)  # a short one is named whole
            if again:
                named += 1
                # Named by its first words, after the passage itself was printed in full.
                assert any(quote.startswith(f"“{again.group(1)}") for quote in full), text
            elif text.startswith("“"):
                quote = text.split("” — ", 1)[0]
                assert quote not in full, f"printed twice: {quote}"
                full.append(quote)
    assert named > 10 and len(full) > 50
    # The screen keeps every passage in full where it supports a fact.
    assert "quoted in full above" not in (built_site / sheet / "casualties.html").read_text(encoding="utf-8")
