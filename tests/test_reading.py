"""Pages for readers: the summary box, quotes shown once, dates, the footer and the print header."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from generator.assemble import css_string
from generator.models import DateSpec
from generator.render import _emphasise, _nested
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import HOMS, ROOT, SHEET, TALLY, factsheet, load_project, only, render_project, write_sheet


def test_a_quotation_inside_a_quotation_takes_single_marks() -> None:
    assert _nested('called it a "heavy blow" to “sponsors”') == "called it a ‘heavy blow’ to ‘sponsors’"
    # A pair around the quotation is still a pair after the quotation is set in bold.
    shown = _emphasise('"Every time we had talks," he said.', "Every time we had talks")
    assert shown == "‘**Every time we had talks**,’ he said."
    # Text around the quotation is escaped like any fact text.
    assert _emphasise("a <b> said “go”", "go") == "a &#60;b&#62; said ‘**go**’"


def test_each_quotation_shows_once_with_its_speaker_and_source() -> None:
    pages = render_project(load_project(ROOT / "content"), PACKAGE_TEMPLATES)
    quotes = pages[f"{HOMS}/quotes.md"]
    section = quotes.split("{ #quote--de-mistura-tragic }", 1)[1].split("\n## ", 1)[0]
    assert section.count("tragic") == 1 and "**tragic**" in section
    assert section.count("The Associated Press / The Washington Post, 26 February 2017") == 1
    # Two passages of one report cite it once, after the last.
    section = quotes.split("{ #quote--jaafari-sponsors-of-terrorism }", 1)[1].split("\n## ", 1)[0]
    assert section.count("**sponsors of terrorism**") == 2
    assert section.count("](sources.md#source--ap-wapo-2017-02-26)") == 1


def test_the_sources_words_for_a_date_show_only_when_they_add_to_it() -> None:
    assert DateSpec(value="2017-02-25", as_written="Saturday").words_add
    assert DateSpec(value="2016-07-07", as_written="on Thursday (July 7)").words_add
    assert not DateSpec(value="2012-07", as_written="July 2012").words_add
    assert not DateSpec(value="2015", as_written="in 2015").words_add
    context = render_project(load_project(ROOT / "content"), PACKAGE_TEMPLATES)[f"{HOMS}/context.md"]
    assert "(“July 2012”)" not in context and "(“last year”)" in context


def test_the_summary_box_gives_each_line_with_a_note_and_each_count_as_a_span() -> None:
    overview = render_project(load_project(ROOT / "content"), PACKAGE_TEMPLATES)[f"{HOMS}/index.md"]
    box = overview.split('<div class="fs-infobox" markdown>', 1)[1].split("</div>", 1)[0]
    assert "Claimed by\n:   An al-Qaida-linked insurgent coalition: [Levant Liberation Committee]" in box
    killed = "[at least 32 to at least 42, depending on who gave the figure](casualties.md#counts--1)"
    assert f"Killed\n:   {killed}\n" in box
    assert "Reports\n:   [1 report](sources.md), collected up to 26 February 2017" in box
    # Every note a line refers to exists, with the quotes of that line.
    for number in re.findall(r"\(#note--(\d+)\)", box):
        assert f'<div class="fs-note" id="note--{number}" markdown>' in overview
    assert box.index("Target") < box.index("Killed")
    # The summary's quotes are notes at the end, after the figures, not before them.
    assert overview.index("## Key figures") < overview.index("In synchronized attacks, insurgents stormed")


def test_a_summary_line_naming_an_unknown_actor_is_an_error(tmp_path: Path) -> None:
    sheet = SHEET.replace("  summary: Something happened.\n", """\
  summary: Something happened.
  claimed_by:
    text: Nobody known
    actors: [governer]
    evidence:
      - source: wire
        quote: the governor said
""")
    write_sheet(tmp_path, {"sheet.yml": sheet, "tallies.yml": TALLY})
    problem = only(tmp_path)
    assert problem.code == "unknown-id" and "governer" in problem.message and "governor" in (problem.hint or "")
    assert (problem.line, problem.col) == (7, 14)


def test_every_sheet_page_ends_with_who_compiled_it_when_and_where_to_report_an_error(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "contact: !ENV [FACTSHEET_CONTACT, null]", "contact: mailto:desk@example.org?subject=Correction"),
        encoding="utf-8")
    # Not a git checkout: the day the sheet gives is its last change, never a source's date.
    sheet = project / "content" / HOMS / "sheet.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("sheet:\n", "sheet:\n  updated: 2026-12-01\n", 1),
                     encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    for page in (project / "site" / HOMS).rglob("*.html"):
        footer = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article .fs-provenance")
        assert footer is not None, page
        text = " ".join(footer.get_text().split())
        assert text.startswith("Compiled by the factsheet editors from The Associated Press / The Washington Post,")
        assert "Facts last changed 1 December 2026." in text and "changed 26 February 2017" not in text
        link = footer.find("a")
        assert link is not None and link["href"] == "mailto:desk@example.org?subject=Correction"
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.select_one(".fs-provenance") is None


def test_a_contact_that_is_not_a_link_is_refused(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "contact: !ENV [FACTSHEET_CONTACT, null]", "contact: javascript:alert(1)"), encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 1
    assert "contact in mkdocs.yml must be an http, https or mailto URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_printed_header_is_a_css_string_no_title_can_end() -> None:
    title = 'Blasts "here" } </style><script>\\ · 5'
    escaped = css_string(title)
    assert re.fullmatch(r'"[A-Za-z0-9 \\]*"', escaped), escaped
    decoded = re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), escaped[1:-1])
    assert decoded == title
