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

from .conftest import copy_project

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


def test_corrections_page_lists_revisions_newest_first(site: Path) -> None:
    soup = BeautifulSoup((site / "demo" / "corrections.html").read_text(encoding="utf-8"), "html.parser")
    headings = [" ".join(h.get_text(" ").split()).rstrip("¶ ") for h in soup.select("article h2")]
    # In words: the claimant and the outlet by name, never an internal id.
    assert headings == ["28 February 2017: killed, according to The governor, as reported by Wire Service",
                        "28 February 2017: Three blasts, as reported by Wire Service"]
    text = article_text(site, "demo/corrections.html")
    assert re.search(r"Before: more than 32 \( ?Wire Service, 26 February 2017 ?\)", text), text
    assert "Now: more than 40" in text
    assert "Toll rises after blasts" not in text or "Wire Service, 28 February 2017" in text


def test_feed_is_valid_atom_with_relative_safe_links(site: Path) -> None:
    root = ET.parse(site / "demo" / "corrections.xml").getroot()
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
    assert (again / "demo" / "corrections.xml").read_bytes() == (site / "demo" / "corrections.xml").read_bytes()
    published = build(tmp_path / "published", "https://example.org/sheets/")
    root = ET.parse(published / "demo" / "corrections.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in root.iter(f"{ATOM}link")}
    # Absolute, as feed readers that copy entries elsewhere need them; no xml:base to rely on.
    assert links["self"] == "https://example.org/sheets/demo/corrections.xml"
    assert str(links["alternate"]).startswith("https://example.org/sheets/demo/")
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") is None
    # Every page of the sheet advertises the feed to feed readers, at that address.
    for page, where in [(published / "demo" / "index.html", "https://example.org/sheets/demo/corrections.xml"),
                        (published / "demo" / "timeline.html", "https://example.org/sheets/demo/corrections.xml"),
                        (site / "demo" / "actors" / "index.html", "../../demo/corrections.xml")]:
        head = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head
        assert head is not None
        # As a feed reader reads rel: a list of words, one of them "alternate".
        (feed,) = head.find_all("link", rel="alternate", type="application/atom+xml")
        assert feed["href"] == where and str(feed["title"]).startswith("Corrections: "), page
        # Material's script fetches a sitemap beside every link whose rel is exactly "alternate".
        raw = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser", multi_valued_attributes=None).head
        assert raw is not None and not raw.select('link[rel="alternate"]'), page


def test_sheet_without_corrections_says_so(built_site: Path) -> None:
    text = article_text(built_site, "homs-2017-02-25/corrections.html")
    assert "No corrections" in text
    root = ET.parse(built_site / "homs-2017-02-25" / "corrections.xml").getroot()
    assert root.findall(f"{ATOM}entry") == []
