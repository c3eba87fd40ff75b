"""End to end: `mkdocs build --strict` of the real project, read back from the HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from .helpers import HOMS, ROOT


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def article(site: Path, path: str) -> Tag:
    found = page(site, path).select_one("article")
    assert found is not None, path
    return found


def text_of(node: Tag) -> str:
    return re.sub(r"\s+", " ", node.get_text(" "))


def card_of(site: Path, path: str, anchor: str) -> str:
    """Text of the figure's card: the element with id ``tally--<anchor>``."""
    card = article(site, path).find(id=f"tally--{anchor}")
    assert card is not None, f"{path}#{anchor} missing"
    assert "fs-claim" in (card.get("class") or [])
    return text_of(card)


@pytest.mark.parametrize(("anchor", "figure", "claimant_quote"), [
    ("killed-state-media", "at least 32", "killing a senior officer and at least 31 others, state media outlets"),
    ("killed-governor", "more than 32", "Talal Barzani, said three blasts killed more than 32 people"),
    ("killed-observatory", "at least 42", "killed at least 42 security officers and personnel"),
    ("killed-observatory-military-intelligence", "at least 30", "That attack killed at least 30 people"),
    ("killed-observatory-state-security", "at least 12", "where at least 12 people were killed"),
    ("attackers-al-ikhbariya", "at least 6", "at least six assailants attacked"),
    ("detonations-al-ikhbariya", "at least 2", "at least two of them detonated explosive vests"),
    ("attackers-llc", "5", "said five attackers stormed the two security offices"),
])
def test_each_claimants_figure_is_shown_with_its_evidence(
        built_site: Path, anchor: str, figure: str, claimant_quote: str) -> None:
    card = card_of(built_site, f"{HOMS}/casualties.html", anchor)
    assert figure in card
    assert claimant_quote in card
    assert "The Associated Press / The Washington Post, 26 February 2017" in card


def test_overview_gives_the_span_not_a_picked_number(built_site: Path) -> None:
    text = text_of(article(built_site, f"{HOMS}/index.html"))
    assert "Killed: at least 32 to at least 42, depending on who gave the figure." in text
    box = article(built_site, f"{HOMS}/index.html").select_one(".fs-infobox")
    assert box is not None
    assert "Killed at least 32 to at least 42, depending on who gave the figure Attackers" in text_of(box)
    assert "could not be immediately reconciled" in text


def test_killed_head_of_military_intelligence(built_site: Path) -> None:
    text = text_of(article(built_site, f"{HOMS}/actors/hassan-daeboul.html"))
    assert "Maj. Gen, head of military intelligence" in text
    assert "Daeboul was killed by one of the suicide bombers, according to Syrian Arab News Agency." in text
    timeline = article(built_site, f"{HOMS}/timeline.html")
    entry = timeline.find(id="event--daeboul-killed")
    assert entry is not None and "Head of military intelligence killed" in entry.get_text()


def test_critically_wounded_head_of_state_security(built_site: Path) -> None:
    text = text_of(article(built_site, f"{HOMS}/actors/ibrahim-darwish.html"))
    assert "head of the state security agency" in text
    assert "Brig. Ibrahim Darwish, head of the agency, was also critically wounded, according to al-Ikhbariya." in text


def test_saydnaya_report_figures(built_site: Path) -> None:
    text = text_of(article(built_site, f"{HOMS}/context.html"))
    assert "5,000 to 13,000 executed" in text
    assert "between 5,000 and 13,000 people were executed in mass hangings" in text
    card = card_of(built_site, f"{HOMS}/casualties.html", "executed-saydnaya")
    assert "Amnesty International" in card and "5,000 to 13,000" in card


def test_every_fact_block_on_every_page_shows_evidence(built_site: Path) -> None:
    for path in ("timeline.html", "context.html", "quotes.html", "places.html"):
        body = article(built_site, f"{HOMS}/{path}")
        for heading in body.find_all("h2"):
            section = []
            for sibling in heading.find_next_siblings():
                if sibling.name == "h2":
                    break
                section.append(sibling)
            assert any(s.name == "blockquote" and s.find("a", href=re.compile(r"sources\.html#")) for s in section), \
                f"{path}: '{heading.get_text()}' has no evidence"


def test_relative_dates_keep_the_sources_words(built_site: Path) -> None:
    text = text_of(article(built_site, f"{HOMS}/context.html"))
    assert "2016 (“last year”)" in text
    assert "February 2017 (“this month”)" in text


def test_actor_directory_groups_by_kind_and_links_every_actor(built_site: Path) -> None:
    body = article(built_site, f"{HOMS}/actors/index.html")
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in body.find_all("h2")]
    assert headings[:3] == ["People", "Government bodies", "Security agencies"]
    links = {a["href"] for a in body.find_all("a", href=True)}
    actor_pages = {p.name for p in (built_site / HOMS / "actors").glob("*.html")} - {"index.html"}
    assert actor_pages and actor_pages <= links


def test_entity_pages_stay_out_of_the_sidebar(built_site: Path) -> None:
    nav = page(built_site, "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    hrefs = [str(a["href"]) for a in nav.find_all("a", href=True)]
    assert any(h.endswith("casualties.html") for h in hrefs)
    assert not any("actors/" in h and not h.endswith("index.html") for h in hrefs)


def test_archived_source_text_is_not_published(built_site: Path) -> None:
    archive = (ROOT / "content" / HOMS / "sources" / "ap-wapo-2017-02-26.txt").read_bytes()
    # A passage that no fact quotes: if it is anywhere on the site, the article is.
    unquoted = b"Upcoming Events"
    assert unquoted in archive
    for file in built_site.rglob("*"):
        if file.is_file():
            data = file.read_bytes()
            assert data != archive and unquoted not in data, f"{file} publishes the archived article"
    assert not list(built_site.rglob("*.yml"))


def test_blocks_are_not_run_together(built_site: Path) -> None:
    """Each evidence label, date line and list item stands on its own, on every page."""
    for html in built_site.rglob("*.html"):
        body = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if body is None:
            continue
        for label in body.select(".fs-evidence-label"):
            assert label.parent is not None and label.parent.name == "p"
            assert text_of(label.parent).strip() == text_of(label).strip(), f"{html}: label shares a paragraph"
        for item in body.select("li"):
            assert item.get_text().count("\n- ") == 0, f"{html}: list items run together"
    context = article(built_site, f"{HOMS}/context.html")
    for date_line in context.select("h2 + p"):
        assert date_line.find("strong") or date_line.find("em"), "the date of a context item is its own paragraph"
        assert len(text_of(date_line)) < 80
