"""Text from facts lands on pages as text: never as markup, links, attributes or template code.

A property test fills every text field of a sheet with generated text, the
dangerous cases included, builds the site, and compares the HTML with a build
of the same sheet filled with plain words.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_site
from generator.dates import resolve_relative

from .helpers import copy_project

DANGEROUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"https://evil.example\">click</a>",
    "[click](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "<https://evil.example>",
    "# Heading",
    "| a | b |",
    "<!-- hidden -->",
    "{{ 7*7 }}",
    "{% for x in y %}",
    "*em* _under_ `code` **strong** ~~del~~",
    "&amp; &#60;script&#62; &lt;",
    "javascript:alert(1)",
    "back\\slash\\",
    "1. item",
    "- item",
    "> quote",
    "[^1]: note",
    "{: #id .class onclick=alert(1) }",
    "]](https://evil.example)",
    "--- \u2028 ===",
]
# Refused at validation (catalogue: text-bidi-*, text-not-xml), so never generated here.
REFUSED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"

text = st.one_of(
    st.sampled_from(DANGEROUS),
    st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=REFUSED), min_size=1, max_size=30),
    st.lists(st.sampled_from(DANGEROUS), min_size=2, max_size=3).map(" ".join),
).filter(lambda s: bool(s.strip()) and resolve_relative(s, __import__("datetime").date(2017, 2, 26)) is None)

FIELDS = 24
EVIDENCE_LEAD = "The wire said"


def sheet_files(t: list[str]) -> dict[str, Any]:
    """A sheet with every free-text field set from ``t``; evidence quotes are t[0..2]."""
    # Led by plain words, so that an evidence quote is long enough however short t[0] is.
    ev = [{"source": "wire", "quote": f"{EVIDENCE_LEAD} {t[0]}"}]
    return {
        "sheet.yml": {"sheet": {
            "id": "demo", "title": t[3], "summary": t[4], "date": {"value": "2017-02-25", "as_written": t[5]},
            "place": "city", "evidence": ev, "figures_note": {"text": t[6], "evidence": ev}}},
        "sources.yml": {"sources": [{
            "id": "wire", "publishers": [t[7], t[8]], "headline": t[9], "subheadline": t[10], "section": t[11],
            "published": "2017-02-26", "dateline": t[12], "contributors": t[13], "archive": "sources/wire.txt"}]},
        "actors.yml": {"actors": [{
            "id": "governor", "name": t[14], "aliases": [t[15]], "kind": "person", "role": t[16],
            "description": t[17], "evidence": ev}]},
        "places.yml": {"places": [{"id": "city", "name": t[18], "kind": t[19], "description": t[20],
                                   "evidence": ev}]},
        "events.yml": {"events": [{"id": "blasts", "date": "2017-02-25", "title": t[21], "description": t[22],
                                   "actors": ["governor"], "places": ["city"], "evidence": ev}]},
        "tallies.yml": {"tallies": [{
            "id": "killed", "counts": t[23], "scope": t[1], "claimant": "governor", "qualifier": "at_least",
            "value": "32", "unit": t[2], "note": t[5], "where": "city", "evidence": ev}]},
        "quotes.yml": {"quotes": [{"id": "q", "speaker": "governor", "text": t[0], "setting": t[1],
                                   "evidence": ev}]},
        "context.yml": {"context": [{"id": "before", "title": t[2], "description": t[1], "evidence": ev}]},
    }


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def build(root: Path, t: list[str]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    project = copy_project(root, with_content=False)
    # What a tally counts is free text too, once a project adds it to its kinds of count.
    counts = yaml.dump([t[23]], Dumper=_NoAliases, allow_unicode=True, default_flow_style=True, width=10**9)
    assert counts.count("\n") == 1, counts
    config = project / "mkdocs.yml"
    plugin = "      content_dir: content\n"
    config.write_text(config.read_text(encoding="utf-8").replace(plugin, f"{plugin}      counts: {counts}"),
                      encoding="utf-8")
    folder = project / "content" / "demo"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources" / "wire.txt").write_text(" ".join([EVIDENCE_LEAD, *t[:3]]), encoding="utf-8")
    for name, data in sheet_files(t).items():
        (folder / name).write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True), encoding="utf-8")
    return build_site(project / "mkdocs.yml", site_dir=root / "out", strict=True)


def structure(html: str) -> Counter[str]:
    """Every element with its attributes; values of ids, titles and in-page links vary with fact text.

    Inside a chart, longer text wraps onto more lines and moves the marks below it: there only
    which kinds of element occur, with which attribute names, is compared.
    """
    found: Counter[str] = Counter()
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert isinstance(tag, Tag)
        if tag.name == "svg":
            found[f"<svg {' '.join(sorted(tag.attrs))}>"] += 1  # as many charts, of any height
            continue
        if tag.find_parent("svg") is not None:
            found[f"<svg:{tag.name} {' '.join(sorted(tag.attrs))}>"] = 1
            continue
        attrs = []
        for name, value in sorted(tag.attrs.items()):
            shown = " ".join(value) if isinstance(value, list) else str(value)
            # Values that hold text by design: ids, in-page links, a feed link's title (the sheet's).
            if name in ("id", "title") or (name == "href" and shown.startswith("#")):
                shown = "*"
            attrs.append(f"{name}={shown}")
        found[f"<{tag.name} {' '.join(attrs)}>"] += 1
    return found


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" "))


def pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_plain_words_build(tmp_path: Path) -> None:
    site = build(tmp_path / "plain", [f"plain words {i}" for i in range(FIELDS)])
    assert "plain words 17" in visible((site / "demo" / "actors" / "governor.html").read_text(encoding="utf-8"))


@pytest.mark.slow  # two builds for each of 12 examples: 25 s or more
@settings(max_examples=12, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(text, min_size=FIELDS, max_size=FIELDS))
def test_fact_text_never_becomes_markup(tmp_path: Path, t: list[str]) -> None:
    baseline = pages(build(tmp_path / "plain", [f"plain words {i}" for i in range(FIELDS)]))
    fuzzed = pages(build(tmp_path / "fuzz", t))
    assert sorted(fuzzed) == sorted(baseline)
    for path, html in fuzzed.items():
        assert structure(html) == structure(baseline[path]), f"{path}: markup differs from the plain build"
    everything = " ".join(visible(html) for html in fuzzed.values())
    for value in t:
        assert re.sub(r"\s+", " ", value).strip() in everything, f"{value!r} is not shown as written"
