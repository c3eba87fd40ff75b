"""A revised tally and event: shown on their pages, on the Corrections page, and in the Atom feed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .helpers import copy_project

FIXTURE = Path(__file__).parent / "fixtures" / "revised"
ATOM = "{http://www.w3.org/2005/Atom}"


def build(tmp: Path, site_url: str | None = None) -> Path:
    project = copy_project(tmp / "project", with_content=False)
    shutil.copytree(FIXTURE / "demo", project / "content" / "demo")
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if site_url:
        # A published site (it has an address) needs a contact.
        env.update(SITE_URL=site_url, FACTSHEET_CONTACT="mailto:desk@example.org")
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build(tmp_path_factory.mktemp("revised"))


def article_text(site: Path, path: str) -> str:
    soup = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("article")
    assert found is not None
    return " ".join(found.get_text(" ").split())


def test_the_fact_shows_its_current_value_and_what_it_was(site: Path) -> None:
    casualties = article_text(site, "demo/casualties.html")
    card = casualties.split("Who gave which figure", 1)[1]
    assert "Revised up from more than 32 to more than 40 on 28 February 2017" in card
    timeline = article_text(site, "demo/timeline.html")
    assert "Three blasts hit the city, the market first." in timeline
    assert "Revised from “Three blasts hit the city.” on 28 February 2017 : Officials said where" in timeline


def test_changes_page_lists_revisions_newest_first(site: Path) -> None:
    soup = BeautifulSoup((site / "demo" / "changes.html").read_text(encoding="utf-8"), "html.parser")
    headings = [" ".join(h.get_text(" ").split()).rstrip("¶ ") for h in soup.select("article h2")]
    # In words: the claimant and the outlet by name, never an internal id.
    assert headings == ["28 February 2017: killed, according to The governor, as reported by Wire Service",
                        "28 February 2017: Three blasts, as reported by Wire Service"]
    text = article_text(site, "demo/changes.html")
    assert re.search(r"Before: more than 32 \( ?Wire Service, 26 February 2017 ?\)", text), text
    assert "Now: more than 40" in text
    assert "Toll rises after blasts" not in text or "Wire Service, 28 February 2017" in text


def test_feed_is_valid_atom_with_relative_safe_links(site: Path) -> None:
    root = ET.parse(site / "demo" / "changes.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.findtext(f"{ATOM}updated") == "2017-02-28T00:00:00Z"
    assert root.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2017-02-28T00:00:00Z", "2017-02-28T00:00:00Z"]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Revised: killed, according to The governor, as reported by Wire Service",
        "Revised: Three blasts, as reported by Wire Service"]
    summary = entries[0].findtext(f"{ATOM}summary", "")
    assert "Now: more than 40 (revised up from more than 32 to more than 40). Revised from: more than 32 (Wire " \
        "Service, Blasts hit city (2017-02-26))." in summary
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{required}"), required
        link = entry.find(f"{ATOM}link")
        assert link is not None
        href = link.get("href", "")
        page, _, anchor = href.partition("#")
        assert not href.startswith(("/", "http")) and (site / "demo" / page).is_file()
        assert f'id="{anchor}"' in (site / "demo" / page).read_text(encoding="utf-8")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)


def test_feed_is_deterministic_and_absolute_under_a_site_url(tmp_path: Path, site: Path) -> None:
    again = build(tmp_path / "again")
    for feed in ("changes.xml", "corrections.xml"):
        assert (again / "demo" / feed).read_bytes() == (site / "demo" / feed).read_bytes()
    published = build(tmp_path / "published", "https://example.org/sheets/")
    root = ET.parse(published / "demo" / "changes.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
    # Absolute, as feed readers that copy entries elsewhere need them; no xml:base to rely on.
    assert links["self"] == "https://example.org/sheets/demo/changes.xml"
    assert str(links["alternate"]).startswith("https://example.org/sheets/demo/")
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") is None
    # Every page of the sheet advertises both feeds to feed readers, at those addresses.
    for page, where in [(published / "demo" / "index.html", "https://example.org/sheets/demo/"),
                        (published / "demo" / "timeline.html", "https://example.org/sheets/demo/"),
                        (site / "demo" / "actors" / "index.html", "../../demo/")]:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head is not None
        # As a feed reader reads rel: a list of words, one of them "alternate".
        corrections, changes = head.find_all("link", rel="alternate", type="application/atom+xml")
        assert corrections["href"] == f"{where}corrections.xml" and str(corrections["title"]).startswith(
            "Corrections: "), page
        assert changes["href"] == f"{where}changes.xml" and str(changes["title"]).startswith(
            "How the reported figures changed: "), page
        # Material's script fetches a sitemap beside every link whose rel is exactly "alternate".
        raw = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser", multi_valued_attributes=None).head
        assert raw is not None and not raw.select('link[rel="alternate"]'), page


def test_sheet_without_corrections_says_so(built_site: Path) -> None:
    text = article_text(built_site, "homs-2017-02-25/corrections.html")
    assert "No corrections: the editors have not corrected this sheet." in text
    changes = article_text(built_site, "homs-2017-02-25/changes.html")
    assert "No changes: no later report has changed any fact" in changes
    for feed in ("corrections.xml", "changes.xml"):
        root = ET.parse(built_site / "homs-2017-02-25" / feed).getroot()
        assert root.findall(f"{ATOM}entry") == []


def test_the_editors_corrections_log_has_its_page_and_feed_apart_from_the_figures_changes(built_site: Path) -> None:
    sheet = "karrada-2016-07-03"
    text = article_text(built_site, f"{sheet}/corrections.html")
    # Newest first: what was wrong, what it says now, why.
    assert text.index("Fixed on 30 November 2026") < text.index("Fixed on 29 November 2026")
    assert "Was wrong: The Pacific Tribune report was dated 4 July 2016." in text
    assert "Now: It is dated July 2016" in text and "Why: The day had been inferred" in text
    # Figure revisions are not on it: they are on the other page.
    assert "Revised" not in text and "Adela Hmoud" not in text
    changes = article_text(built_site, f"{sheet}/changes.html")
    assert "Pacific Tribune report was dated" not in changes and "324" in changes
    root = ET.parse(built_site / sheet / "corrections.xml").getroot()
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2026-11-30T00:00:00Z", "2026-11-29T00:00:00Z"]
    assert root.findtext(f"{ATOM}updated") == "2026-11-30T00:00:00Z"
    summary = entries[1].findtext(f"{ATOM}summary", "")
    assert summary.startswith("Was wrong: The Pacific Tribune report was dated 4 July 2016. Now: It is dated")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2
