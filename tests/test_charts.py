"""SVG charts: escaped, described in words, and free of overlapping labels at any size."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from itertools import pairwise

import pytest

from generator.charts import casualty_chart, timeline_chart
from generator.models import Actor, ContextItem, Event, Evidence, SheetInfo, Tally
from generator.sheet import Sheet

SVG = "{http://www.w3.org/2000/svg}"
EV = [Evidence(source="s", quote="q")]


def sheet_with(tallies: list[Tally], events: list[Event], context: list[ContextItem] | None = None,
               name: str = "Claimant") -> Sheet:
    actors = (Actor(id="a", name=name, kind="monitor", description="d", evidence=EV),)
    return Sheet(info=SheetInfo(id="s", title="t", summary="s"), items={
        "actors": actors, "tallies": tuple(tallies), "events": tuple(events), "context": tuple(context or ())})


def tally(n: int, qualifier: str = "at_least", counts: str = "killed") -> Tally:
    if qualifier == "range":
        return Tally(id=f"t{n}", counts=counts, claimant="a", qualifier="range", low=n, high=n * 2, evidence=EV)
    return Tally(id=f"t{n}", counts=counts, claimant="a", qualifier=qualifier, value=n, evidence=EV)


def event(n: int, value: str) -> Event:
    return Event(id=f"e{n}", date=value, title=f"Event number {n}", description="d", evidence=EV)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def labels(root: ET.Element) -> list[tuple[float, float, str]]:
    return [(float(t.get("x", 0)), float(t.get("y", 0)), t.text or "") for t in root.iter(f"{SVG}text")]


def assert_no_overlap(root: ET.Element) -> None:
    width = float(root.get("viewBox", "0 0 0 0").split()[2])
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in labels(root):
        rows.setdefault(y, []).append((x, text))
    ys = sorted(rows)
    for above, below in pairwise(ys):
        assert below - above >= 11, f"text lines {above} and {below} overlap"
    for y, items in rows.items():
        if len(items) > 1:  # axis ticks and legend entries share a line
            xs = sorted(items)
            for (x1, t1), (x2, _) in pairwise(xs):
                assert x2 - x1 >= len(t1) * 5.5 * (0.5 if t1.isdigit() or len(t1) < 8 else 1) or x2 - x1 >= 30, \
                    f"labels at y={y} overlap: {items}"
    for x, _, _ in labels(root):
        assert 0 <= x <= width


def test_fifty_tallies_and_two_hundred_events_do_not_overlap() -> None:
    tallies = [tally(n + 1, ("at_least", "more_than", "exact", "about", "range")[n % 5], f"measure {n % 4}")
               for n in range(50)]
    start = date(2011, 3, 1)
    events = [event(n, (start + timedelta(days=n * 9)).isoformat()) for n in range(150)]
    events += [event(150 + n, f"{2011 + n % 6}") for n in range(50)]
    sheet = sheet_with(tallies, events)
    figures = parse(casualty_chart(sheet))
    timeline = parse(timeline_chart(sheet))
    assert_no_overlap(figures)
    assert_no_overlap(timeline)
    assert len(timeline.findall(f".//{SVG}a")) == 200


def test_marks_follow_the_qualifier() -> None:
    sheet = sheet_with([tally(10, "exact"), tally(20, "at_least"), tally(30, "more_than"), tally(40, "range")], [])
    root = parse(casualty_chart(sheet))
    groups = root.findall(f"{SVG}g")
    kinds = []
    for group in groups:
        shapes = {child.tag.removeprefix(SVG) for child in group}
        hollow = any(c.get("fill") == "none" for c in group.iter(f"{SVG}circle"))
        kinds.append((shapes - {"title", "text"}, hollow))
    assert kinds == [({"circle"}, False), ({"circle", "line", "path"}, False), ({"circle", "line", "path"}, True),
                     ({"rect"}, False)]


def test_timeline_marks_follow_precision() -> None:
    events = [event(1, "2017-02-25"), event(2, "2017-02"), event(3, "2016/2017"), event(4, "2017-01~")]
    root = parse(timeline_chart(sheet_with([], events)))
    marks = [[c.tag.removeprefix(SVG) for c in a if c.tag in (f"{SVG}circle", f"{SVG}rect")]
             for a in root.findall(f"{SVG}a")]
    by_href = dict(zip([a.get("href") for a in root.findall(f"{SVG}a")], marks, strict=True))
    assert by_href["#event--e1"] == ["circle"]
    assert by_href["#event--e2"] == ["rect"] and by_href["#event--e3"] == ["rect"]
    approx = root.find(f"{SVG}a[@href='#event--e4']/{SVG}rect")
    assert approx is not None and approx.get("stroke-dasharray")


def test_background_goes_in_its_own_lane_linking_to_context() -> None:
    background = [ContextItem(id="c1", date="2012-07", title="Earlier", description="d", evidence=EV)]
    root = parse(timeline_chart(sheet_with([], [event(1, "2017-02-25")], background)))
    headings = [t for _, _, t in labels(root) if t in ("The event", "Background")]
    assert headings == ["The event", "Background"]
    assert {a.get("href") for a in root.findall(f"{SVG}a")} == {"#event--e1", "context.html#context--c1"}
    # Its marks are links, so it is a group (an img would hide them from assistive technology).
    assert root.get("role") == "group" and root.find(f"{SVG}desc") is not None


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "a & b \"quoted\" 'single'", "]]></svg><svg onload=x>"])
def test_text_is_escaped_and_described(name: str) -> None:
    root = parse(casualty_chart(sheet_with([tally(5)], [], name=name)))
    assert root.get("role") == "img"  # no links inside: one image with a text alternative
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert name in (desc.text or "")
    assert any(name in t for _, _, t in labels(root))
    assert not root.findall(f".//{SVG}script")
    for element in root.iter():
        assert not any(attr.startswith("on") for attr in element.attrib)
