"""The built site in a real browser: offline from file://, and under a sub-path over HTTP.

Headless Chromium from Debian's ``chromium`` package, driven by Playwright.
A browser that cannot start fails these tests; it never skips them.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, sync_playwright

from generator.registry import KINDS

from .helpers import HOMS, ROOT, load_project, run

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium calls Google hosts at start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".cache" / "npm" / "node_modules" / "vnu-jar" / "build" / "dist"
                              / "vnu.jar"))
# Nu HTML Checker errors that come from Material's own markup (hidden toggle
# checkboxes and their labels), not from this project's pages.
THEME_HTML_ERRORS = {
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
    "or “week”.",
    "Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium) or set CHROMIUM to its path")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class _GitHubPagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like GitHub Pages: the site's 404.html for any missing path."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "repo" / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def http_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site as GitHub Pages publishes it: built with its site_url, under /repo/."""
    root = tmp_path_factory.mktemp("pages")
    handler = functools.partial(_GitHubPagesHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/repo/"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(root / "repo")],
                            cwd=ROOT, capture_output=True, text=True, check=False,
                            env={**os.environ, "SITE_URL": base, "FACTSHEET_CONTACT": "mailto:desk@example.org"})
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def html_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")


class Visit:
    """A page load that records every request, console error and script error.

    Given the browser, the page is a new one; given a page, it goes there
    (:func:`visits`). ``wait=False`` returns once the response has come, before
    the page has loaded: the caller loads several at once and calls :meth:`loaded` on each.
    """

    def __init__(self, browser: Browser | Page, url: str, *, settle: bool = False, wait: bool = True) -> None:
        self.settle = settle
        self.page: Page = browser.new_page() if isinstance(browser, Browser) else browser
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self._listeners: dict[str, Callable[[Any], None]] = {
            "request": lambda r: self.requests.append(r.url),
            "response": lambda r: self.failed.append(r.url) if r.status >= 400 and r.url != url else None,
            "console": lambda m: self.errors.append(m.text) if m.type == "error" else None,
            "pageerror": lambda e: self.errors.append(str(e)),
        }
        for event, listener in self._listeners.items():
            self.page.on(event, listener)  # type: ignore[call-overload]
        self.response = self.page.goto(url, wait_until="commit")
        if wait:
            self.loaded()

    def loaded(self) -> Visit:
        """Wait for the page to load; settling waits for late requests too (the search worker and index)."""
        self.page.wait_for_load_state("networkidle" if self.settle else "load")
        return self

    def stop(self) -> None:
        """Stop recording, so that the page can go on to another address."""
        for event, listener in self._listeners.items():
            self.page.remove_listener(event, listener)

    def foreign(self, origin: str) -> list[str]:
        return [u for u in self.requests if not u.startswith(origin) and not u.startswith(("data:", "blob:"))]


def visits(browser: Browser, urls: list[str], *, settle: bool = False, tabs: int = 8) -> Iterator[list[Visit]]:
    """Loaded :class:`Visit`\\ s of the URLs, in order, ``tabs`` at a time.

    While one page's network goes quiet (half a second, for ``settle``) or its
    scripts run, the others get on; and a tab goes from page to page, as Chromium
    takes a fifth of a second to open a new one. The cache is
    off, so that each page asks for everything it needs, as on a first visit.
    """
    context = browser.new_context()
    pages = [context.new_page() for _ in range(tabs)]
    for page in pages:
        context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        for start in range(0, len(urls), tabs):
            chunk = urls[start:start + tabs]
            group = [Visit(page, url, settle=settle, wait=False) for page, url in zip(pages, chunk, strict=False)]
            yield [visit.loaded() for visit in group]
            for visit in group:
                visit.stop()
    finally:
        context.close()


@pytest.mark.parametrize("where", ["file", "http"])
def test_every_page_loads_with_no_error_and_no_other_host(
        browser: Browser, built_site: Path, http_site: str, where: str) -> None:
    base = built_site.as_uri() + "/" if where == "file" else http_site
    origin = "file://" if where == "file" else http_site[:http_site.index("/", len("http://"))]
    problems = []
    paths = html_pages(built_site)
    loaded = (visit for group in visits(browser, [base + path for path in paths], settle=True) for visit in group)
    for path, visit in zip(paths, loaded, strict=True):
        if where == "http" and (visit.response is None or visit.response.status != 200):
            problems.append(f"{path}: HTTP {visit.response.status if visit.response else 'no response'}")
        if visit.errors:
            problems.append(f"{path}: console errors {visit.errors}")
        if visit.failed:
            problems.append(f"{path}: failed requests {visit.failed}")
        if visit.foreign(origin):
            problems.append(f"{path}: requests to other hosts {visit.foreign(origin)}")
        if not visit.page.locator("article h1").count():
            problems.append(f"{path}: no content")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("where", ["file", "http"])
def test_search_finds_a_person_and_leads_to_their_page(
        browser: Browser, built_site: Path, http_site: str, where: str) -> None:
    base = built_site.as_uri() + "/" if where == "file" else http_site
    visit = Visit(browser, base + "index.html")
    page = visit.page
    page.click("input.md-search__input")
    page.keyboard.type("Daeboul")
    first = page.locator("a.md-search-result__link").first
    first.wait_for(timeout=15_000)
    assert "hassan-daeboul.html" in (first.get_attribute("href") or "")
    first.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path.endswith(f"{HOMS}/actors/hassan-daeboul.html")
    assert page.locator("article h1").inner_text().startswith("Hassan Daeboul")
    assert not visit.foreign("file://" if where == "file" else http_site.rsplit("/repo/", 1)[0])
    page.close()


def test_every_internal_link_and_anchor_resolves_and_every_page_is_reachable(built_site: Path) -> None:
    ids: dict[str, set[str]] = {}
    links: dict[str, list[str]] = {}
    for path in html_pages(built_site):
        soup = BeautifulSoup((built_site / path).read_text(encoding="utf-8"), "html.parser")
        ids[path] = {str(t["id"]) for t in soup.find_all(id=True)}
        links[path] = [str(a["href"]) for a in soup.find_all("a", href=True)]
    broken, seen, queue = [], {"index.html"}, ["index.html"]
    while queue:
        path = queue.pop()
        for href in links[path]:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue  # external links are not followed
            target = os.path.normpath(os.path.join(os.path.dirname(path), unquote(parts.path))) if parts.path \
                else path
            if not (built_site / target).is_file():
                broken.append(f"{path} -> {href}")
                continue
            if parts.fragment and target.endswith(".html") and unquote(parts.fragment) not in ids.get(target, set()):
                broken.append(f"{path} -> {href} (no such anchor)")
            if target.endswith(".html") and target in links and target not in seen:
                seen.add(target)
                queue.append(target)
    assert not broken, "\n".join(broken)
    assert seen == set(html_pages(built_site))


def test_a_reader_gets_from_the_home_page_to_a_timeline_entry_by_clicking(browser: Browser, built_site: Path) -> None:
    page = Visit(browser, built_site.as_uri() + "/index.html").page
    page.locator("article a", has_text="Attacks on two security offices in Homs").first.click()
    page.locator("nav.md-nav--primary a", has_text="Actors").first.click()
    page.locator("article a", has_text="Hassan Daeboul").first.click()
    page.locator("article a", has_text="Head of military intelligence killed").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"{HOMS}/timeline.html#event--daeboul-killed")
    assert page.locator("#event--daeboul-killed").is_visible()
    page.close()


def test_not_found_page_links_back_to_the_sheets(browser: Browser, http_site: str) -> None:
    visit = Visit(browser, http_site + "no/such/page.html")
    assert visit.response is not None and visit.response.status == 404
    # The one console error is Chromium reporting the 404 status of the page itself.
    assert visit.errors == ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert not visit.failed, visit.failed
    visit.page.locator("article a", has_text="Attacks on two security offices in Homs").click()
    visit.page.wait_for_load_state()
    assert visit.page.url == f"{http_site}{HOMS}/index.html"
    visit.page.close()


def test_html_is_valid(built_site: Path) -> None:
    if not VNU_JAR.is_file():
        pytest.fail(f"Nu HTML Checker not found at {VNU_JAR}: run `bash tests/run` (it installs vnu-jar from npm) "
                    "or set VNU_JAR")
    result = run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--skip-non-html",
                  str(built_site)], cwd=ROOT)
    messages = json.loads(result.stderr)["messages"]
    unexpected = [f"{m.get('url', '')}: {m['message']} | {m.get('extract', '').strip()[:120]}"
                  for m in messages
                  if not (m["message"] in THEME_HTML_ERRORS and 'class="md-' in m.get("extract", ""))]
    assert not unexpected, "\n".join(unexpected)


def test_no_serious_or_critical_accessibility_violation(browser: Browser, built_site: Path, http_site: str) -> None:
    script = Axe().axe_script
    paths = [*html_pages(built_site), "404.html"]
    problems = []
    done = 0
    for group in visits(browser, [http_site + path for path in paths]):
        # Axe starts on every page of the group before any result is awaited: one page's wait is another's run.
        for visit in group:
            visit.page.evaluate(script)
            visit.page.evaluate("() => { window.axeRun = axe.run(document, {resultTypes: ['violations']}); }")
        for path, visit in zip(paths[done:done + len(group)], group, strict=True):
            for violation in visit.page.evaluate("window.axeRun")["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    problems.append(f"{path}: {violation['id']} ({violation['impact']}): "
                                    f"{violation['nodes'][0]['html'][:120]}")
        done += len(group)
    assert done == len(paths)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_screenshots_fit_the_screen(browser: Browser, built_site: Path, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for label, path in (("home", "index.html"), ("casualties", f"{HOMS}/casualties.html")):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{built_site.as_uri()}/{path}")
        page.wait_for_load_state("networkidle")
        shot = ARTIFACTS / f"{label}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow} px wider than a {width} px screen"
        page.close()


def test_print_shows_content_and_citations_without_navigation(browser: Browser, built_site: Path) -> None:
    page = Visit(browser, f"{built_site.as_uri()}/{HOMS}/print.html").page
    page.emulate_media(media="print")
    for chrome in ("header.md-header", ".md-sidebar--primary", ".md-sidebar--secondary", "footer.md-footer"):
        assert not page.locator(chrome).first.is_visible(), f"{chrome} is printed"
    text = page.locator("article").inner_text()
    for heading in ("Timeline", "Casualties and other figures", "Actors", "Places", "Context", "Quotes", "Sources"):
        assert re.search(rf"^{re.escape(heading)}", text, re.MULTILINE), f"print page lacks {heading}"
    assert "The Associated Press / The Washington Post, 26 February 2017" in text
    assert page.locator("article blockquote").first.is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "homs-print.pdf"))
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    page.close()



# --- Pages as readers see them (issue 13) --------------------------------------------------

SCREENS = [("desktop", 1280), ("phone", 390)]
# What a reader scrolls sideways or loses off the edge: any element inside the article whose
# content is wider than its box, where the box scrolls or clips, and anything past the article's edge.
_OVERFLOW = """() => {
  const article = document.querySelector("article");
  const edge = article.getBoundingClientRect().right + 1;
  const found = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "");
  if (article.scrollWidth > article.clientWidth + 1) found.push("article scrolls sideways");
  for (const el of article.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || getComputedStyle(el).visibility === "hidden") continue;
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll", "hidden"].includes(style.overflowX)) {
      found.push(name(el) + " clips or scrolls " + (el.scrollWidth - el.clientWidth) + " px");
    }
    if (box.right > edge) found.push(name(el) + " runs " + Math.round(box.right - edge) + " px past the article");
  }
  return found;
}"""
# Every chart text as rendered: its font size in user units times the chart's scale on screen.
_CHART_TEXT = """() => [...document.querySelectorAll("article svg.fs-chart text")]
  .filter(t => t.getBoundingClientRect().width > 0)
  .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.closest("svg").getScreenCTM().a])"""
# The width of every chart shown, as a share of the article's text column.
_CHART_SHARE = """() => {
  const column = document.querySelector("article").clientWidth;
  return [...document.querySelectorAll("article svg.fs-chart")]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .map(svg => svg.getBoundingClientRect().width / column);
}"""


def sheet_pages(site: Path) -> list[str]:
    """Every page of every sheet but the per-actor pages, which share one template (one is checked)."""
    found = []
    for sheet in sorted(p for p in site.iterdir() if (p / "index.html").is_file() and p.name != "guide"):
        found += sorted(str(p.relative_to(site)) for p in sheet.glob("*.html"))
        found.append(str(sorted((sheet / "actors").glob("*.html"))[-1].relative_to(site)))
    return found


def evidence_quotes() -> dict[str, list[str]]:
    """Every evidence quote of every sheet in content/, by sheet id."""
    found: dict[str, list[str]] = {}
    for sheet in load_project(ROOT / "content").sheets:
        items = [sheet.info, *(item for kind in KINDS for item in sheet.of(kind.section))]
        found[sheet.id] = list(dict.fromkeys(ev.quote for item in items for _, ev in item.evidence_items()))
    return found


def flat(text: str) -> str:
    """Text compared as words: ligatures unfolded, every quote mark alike, spaces collapsed, and no
    hyphens or dashes, since pdftotext joins a word broken at a hyphen ("6-year-" + "old": "6-yearold")."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\u201c\u201d\u2018\u2019\"'`]", "'", text)
    text = re.sub(r"[-\u2010-\u2015]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_nothing_in_the_article_is_clipped_or_scrolls_sideways(
        browser: Browser, built_site: Path, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    problems = []
    page = browser.new_page(viewport={"width": width, "height": 900})
    for path in sheet_pages(built_site):
        page.goto(f"{built_site.as_uri()}/{path}")
        problems += [f"{path}: {p}" for p in page.evaluate(_OVERFLOW)]
        if "/actors/" not in path:
            page.screenshot(path=str(ARTIFACTS / f"{path.replace('/', '-')[:-5]}-{name}.png"), full_page=True)
    page.close()
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_the_overview_gives_its_figures_before_any_evidence_quote(
        browser: Browser, built_site: Path, name: str, width: int) -> None:
    for sheet in evidence_quotes():
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{built_site.as_uri()}/{sheet}/index.html")
        box = page.locator("article .fs-infobox")
        assert "Killed" in box.inner_text()
        figures_end = box.bounding_box()
        quote = page.locator("article blockquote").first.bounding_box()
        assert figures_end is not None and quote is not None
        assert figures_end["y"] + figures_end["height"] <= quote["y"], f"{sheet}: a quote comes before the figures"
        # On a phone the box starts on the first screen.
        assert figures_end["y"] < 900, f"{sheet}: the summary box starts below the first screen"
        # Every value keeps its place beside (or, on a phone, under) its label: none squeezed to a sliver.
        for value in box.locator("dd").all():
            rect = value.bounding_box()
            assert rect is not None and rect["width"] >= figures_end["width"] / 2, f"{sheet}: a value is squeezed"
        page.close()


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_chart_text_renders_at_12_px_or_more_and_charts_take_the_column(
        browser: Browser, built_site: Path, name: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    small, narrow, seen = [], [], 0
    for path in sheet_pages(built_site):
        page.goto(f"{built_site.as_uri()}/{path}")
        sizes = page.evaluate(_CHART_TEXT)
        seen += len(sizes)
        small += [f"{path}: {text!r} at {size:.2f} px" for text, size in sizes if size < 11.9]  # 12, less rounding
        # Each chart shown fills most of the text column (it was 420 px in a 690 px column).
        narrow += [f"{path}: a chart {share:.0%} of the column" for share in page.evaluate(_CHART_SHARE) if share < 0.9]
    page.close()
    assert seen > 50, "no chart text found: are the charts on the pages?"
    assert not small, "\n".join(small[:20])
    assert not narrow, "\n".join(narrow[:20])


def printed(browser: Browser, url: str, name: str, paper: str = "A4") -> Path:
    """The page at ``url`` printed to a PDF on ``paper``, kept in the test artifacts as ``name``."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    pdf = ARTIFACTS / name
    page.pdf(path=str(pdf), format=paper, display_header_footer=False)
    page.close()
    return pdf


def test_the_printed_sheet_holds_every_evidence_quote(browser: Browser, built_site: Path) -> None:
    for sheet, quotes in evidence_quotes().items():
        pdf = printed(browser, f"{built_site.as_uri()}/{sheet}/print.html", f"{sheet}-print.pdf")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = text.split("\f")
        assert re.search(r"Page 1 of \d+", pages[0]), "no page numbers on paper"
        # The running header and the page numbers interrupt a quote that spans two pages.
        header = flat(pages[0].strip().split("\n", 1)[0])
        assert header.startswith(flat(sheet_title(built_site, sheet)[:20])), f"no running header: {header!r}"
        body = flat(re.sub(r"Page \d+ of \d+", " ", text.replace("\f", " "))).replace(header, " ")
        body = re.sub(r"\s+", " ", body)
        missing = [q for q in quotes if flat(q) not in body]
        assert not missing, f"{sheet}: {len(missing)} of {len(quotes)} quotes not in the PDF: {missing[:5]}"
        contents = re.search(r"Contents(.*?)\n\n", text, re.DOTALL)
        assert contents and "Sources" in text.split("Contents", 1)[1][:3000], "the contents stop short"


def sheet_title(site: Path, sheet: str) -> str:
    soup = BeautifulSoup((site / sheet / "print.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("article h1")
    assert heading is not None
    return heading.get_text().rstrip("¶").strip()


# --- Reader pages (issue 21) -------------------------------------------------------------------

# Every quoted passage as rendered: its text, font size, and contrast against what lies behind it
# (WCAG's relative luminance; a translucent colour is laid over the background first).
_QUOTES = """() => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const lum = rgb => rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = el => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const body = parseFloat(getComputedStyle(document.querySelector("article")).fontSize);
  return [...document.querySelectorAll("article blockquote p")].map(p => {
    const style = getComputedStyle(p);
    const [r, g, b, a = 1] = parse(style.color);
    const bg = behind(p);
    const fg = [r, g, b].map((v, i) => v * a + bg[i] * (1 - a));
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return [p.textContent.slice(0, 50), parseFloat(style.fontSize), body, (hi + 0.05) / (lo + 0.05)];
  });
}"""


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_quotes_are_at_body_size_with_contrast_of_7_to_1(
        browser: Browser, built_site: Path, name: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems, seen = [], 0
    for sheet in evidence_quotes():
        for path in (f"{sheet}/index.html", f"{sheet}/casualties.html", f"{sheet}/timeline.html"):
            page.goto(f"{built_site.as_uri()}/{path}")
            for text, size, body, ratio in page.evaluate(_QUOTES):
                seen += 1
                if size < body or ratio < 7:
                    problems.append(f"{path}: {text!r} at {size} px (body {body} px), contrast {ratio:.1f}:1")
    page.close()
    assert seen > 100
    assert not problems, "\n".join(problems[:10])


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_note_references_are_tap_targets_of_24_px(browser: Browser, built_site: Path, name: str, width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    sizes = []
    for sheet in evidence_quotes():
        page.goto(f"{built_site.as_uri()}/{sheet}/index.html")
        sizes += [(sheet, box["width"], box["height"]) for link in page.locator("article sup a").all()
                  if (box := link.bounding_box()) is not None]
    page.close()
    assert len(sizes) >= 6
    assert [s for s in sizes if s[1] < 24 or s[2] < 24] == []


def test_page_one_of_the_print_says_who_compiled_it_when_and_where_it_lives(browser: Browser, http_site: str) -> None:
    for sheet in evidence_quotes():
        pdf = printed(browser, f"{http_site}{sheet}/print.html", f"{sheet}-print-provenance.pdf", "Letter")
        first = subprocess.run(["pdftotext", "-l", "1", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout
        first = re.sub(r"\s+", " ", first)
        assert "Compiled by the factsheet editors" in first and "Facts last changed" in first, first[:600]
        assert "Cite as:" in first and f"{http_site}{sheet}/index.html" in first, first[:600]
        assert "Report a correction" in first and "CC BY 4.0" in first, first[:600]


@pytest.mark.parametrize(("name", "width"), SCREENS)
def test_the_index_of_events_sorts_by_a_click_from_file(
        browser: Browser, built_site: Path, name: str, width: int) -> None:
    visit = Visit(browser, f"{built_site.as_uri()}/index.html", settle=True)
    page = visit.page
    page.set_viewport_size({"width": width, "height": 900})
    table = page.locator("article table.fs-sortable")
    assert table.locator("tbody tr").count() == len(evidence_quotes())

    def column(label: str) -> list[str]:
        return [str(cell.get_attribute("data-sort")) for cell in table.locator(f"tbody td[data-label='{label}']").all()]

    # Sorted by date at first, oldest first: ISO dates sort as text.
    assert column("Date") == sorted(column("Date"))
    heading = table.locator("thead th", has_text="Killed")
    heading.click()
    killed = [float(v) for v in column("Killed")]
    assert killed == sorted(killed) and len(set(killed)) > 1
    heading.press("Enter")  # by keyboard too, the other way
    assert [float(v) for v in column("Killed")] == sorted(killed, reverse=True)
    assert not visit.errors and not visit.foreign("file://")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the index scrolls sideways"
    page.close()


def _filled(pdf: Path) -> list[float]:
    """How far down each printed page its content reaches, as a share of the page inside its margins.

    The pages are rendered to greyscale (PGM) by poppler's pdftoppm; the running header and the
    page number, in the margins, are left out.
    """
    folder = pdf.parent / f"{pdf.stem}-pages"
    folder.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "30", "-gray", str(pdf), str(folder / "p")], check=True)
    shares = []
    for page in sorted(folder.glob("p-*.pgm")):
        header, size, _, pixels = page.read_bytes().split(b"\n", 3)
        assert header == b"P5"
        width, height = (int(n) for n in size.split())
        top, bottom = int(height * 0.10), int(height * 0.92)
        inked = [y for y in range(top, bottom) if min(pixels[y * width:(y + 1) * width]) < 235]
        shares.append(((max(inked) if inked else top) - top) / (bottom - top))
    return shares


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_no_printed_page_but_the_last_is_more_than_half_empty(browser: Browser, built_site: Path, paper: str) -> None:
    for sheet in evidence_quotes():
        shares = _filled(printed(browser, f"{built_site.as_uri()}/{sheet}/print.html", f"{sheet}-print-{paper}.pdf",
                                 paper))
        assert len(shares) > 10
        empty = [f"page {n}: {share:.0%}" for n, share in enumerate(shares[:-1], 1) if share < 0.5]
        assert not empty, f"{sheet} on {paper}: {empty}"
