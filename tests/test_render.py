"""Rendering: pure, escaped, and identical to the reviewed golden pages."""

from __future__ import annotations

import difflib
import html as html_lib
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.pagecontext import _LITERAL, _UNRENDERED, unrendered
from generator.registry import PAGES
from generator.render import markdown_escape
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import HOMS, ROOT, load_project, render_project

GOLDEN = Path(__file__).parent / "golden"


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list"])


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](data:image/png;base64,AAAA)",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "a | b | c",
    "<!-- comment -->",
    "*emphasis* _under_ `code` **strong**",
    "{{ 7*7 }} {% if x %}",
    "back\\slash & ampersand",
])
def test_escaped_text_renders_as_the_same_visible_text(text: str) -> None:
    html = to_html(markdown_escape(text))
    assert html.startswith("<p>") and html.endswith("</p>")
    inner = html[len("<p>"):-len("</p>")]
    assert "<" not in inner, inner  # no element came from the text
    assert html_lib.unescape(inner) == text


def test_escape_collapses_line_breaks_into_one_line() -> None:
    assert "\n" not in markdown_escape("one\n\n# two\n    three")


def test_render_is_pure_and_covers_every_page() -> None:
    project = load_project(ROOT / "content")
    pages = render_project(project, PACKAGE_TEMPLATES)
    again = render_project(project, PACKAGE_TEMPLATES)
    assert pages == again
    sheet_pages = [page.path for page in PAGES if not page.each]
    assert len(sheet_pages) == 12
    expected = {"index.md", "guide/authoring.md", "guide/reference.md", "guide/errors.md", "guide/cli.md"}
    for sheet in project.sheets:
        expected |= {f"{sheet.id}/{p}" for p in sheet_pages}
        expected |= {f"{sheet.id}/actors/{a.id}.md" for a in sheet.actors}
    # One page for each actor that several sheets name.
    expected |= {f"actors/{shared}.md" for shared in project.shared_actors}
    assert {sheet.id for sheet in project.sheets} >= {HOMS}
    assert set(pages) == expected


def test_golden_markdown(update_goldens: bool) -> None:
    """The generated Markdown equals tests/golden; run pytest --update-goldens to accept a change."""
    pages = render_project(load_project(ROOT / "content"), PACKAGE_TEMPLATES)
    if update_goldens:
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stored = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(stored) == sorted(pages), "pages added or removed; run pytest --update-goldens"
    for path, text in pages.items():
        if text != stored[path]:
            diff = "".join(difflib.unified_diff(stored[path].splitlines(True), text.splitlines(True),
                                                f"golden/{path}", f"rendered/{path}"))
            pytest.fail(f"{path} differs from its golden copy (pytest --update-goldens to accept):\n{diff}")


def test_a_derived_figure_shows_how_it_was_derived_wherever_it_shows() -> None:
    pages = render_project(load_project(ROOT / "content"), PACKAGE_TEMPLATES)
    derived = "(added up: a senior officer and at least 31 others)"
    assert f"**at least 32 killed** {derived}" in pages[f"{HOMS}/index.md"]
    assert f"**at least 32 killed** {derived}" in pages[f"{HOMS}/actors/syrian-state-media-and-officials.md"]
    assert f"**at least 32 killed** {derived}, according to" in pages[f"{HOMS}/casualties.md"]  # the card
    assert f"[at least 32](#tally--killed-state-media) {derived}" in pages[f"{HOMS}/casualties.md"]  # the list
    assert pages[f"{HOMS}/casualties.md"].count(derived) == 2
    # No other figure of the sheet is derived.
    sheet_pages = [text for path, text in pages.items() if path.startswith(HOMS)]
    assert sum(text.count("(added up: ") for text in sheet_pages) == sum(text.count(derived) for text in sheet_pages)


# Pieces of HTML a page may hold: what an extension should have applied, charts and code (where
# such text is meant literally), and text around them.
_PIECES = ["{: .note }", "{#anchor}", "{:", "{#", "}", "<div markdown>", '<div class="x" markdown="1">',
           "<p markdown>", "markdown", "<svg>", "</svg>", "<code>", "</code>", "<p>", "</p>", "\n", " ", "text"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_a_page_is_found_to_render_wrong_exactly_when_syntax_is_left_outside_charts_and_code(page: str) -> None:
    # The quick look for the markers must not hide a leftover that the full search finds.
    outside = _UNRENDERED.search(_LITERAL.sub("", page))
    assert unrendered(page) == (outside.group(0) if outside else None)
