"""SVG charts: escaped, described in words, readable on a phone, and free of overlapping or clipped labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from functools import cache
from itertools import pairwise

import pytest

from generator.charts import (
    HALF_PAGE,
    NARROW,
    PAGE_ROWS,
    TALL,
    WIDE,
    both,
    casualty_chart,
    claims_chart,
    timeline_chart,
    wrap,
)
from generator.models import Actor, ContextItem, Event, Evidence, Place, SheetInfo, Source, Tally
from generator.sheet import Sheet

from .helpers import HOMS, ROOT, homs_sheet, load_project

SVG = "{http://www.w3.org/2000/svg}"
EV = [Evidence(source="s", quote="q")]
KARRADA = "karrada-2016-07-03"
PHONE_COLUMN = 350  # CSS px of the content column on a 390 px wide phone
CHAR = 0.6          # the widest average character, in ems
QUALIFIERS = ("exact", "at_least", "more_than", "about", "at_most", "fewer_than", "nearly", "range", "vague")
MARKS = {f"{SVG}{tag}" for tag in ("circle", "line", "path", "rect")}


@cache
def real_sheet(sheet_id: str) -> Sheet:
    return next(s for s in load_project(ROOT / "content").sheets if s.id == sheet_id)


def sheet_with(tallies: list[Tally], events: list[Event], context: list[ContextItem] | None = None,
               name: str = "Claimant") -> Sheet:
    actors = (Actor(id="a", name=name, kind="monitor", description="d", evidence=EV),)
    places = (Place(id="site", name="The Site", kind="building", evidence=EV),)
    sources = (Source(id="s", publishers=["P"], published="2017-02-26", archive="s.txt"),)
    return Sheet(info=SheetInfo(id="s", title="t", summary="s"), items={
        "sources": sources, "actors": actors, "places": places, "tallies": tuple(tallies), "events": tuple(events),
        "context": tuple(context or ())})


def tally(n: int, qualifier: str = "at_least", counts: str = "killed", **extra: object) -> Tally:
    fields: dict[str, object] = {"id": f"t{n}", "counts": counts, "claimant": "a", "qualifier": qualifier,
                                 "evidence": EV, **extra}
    if qualifier == "range":
        fields |= {"low": n, "high": n * 2}
    elif qualifier == "vague":
        fields |= {"amount": "dozens"}
    else:
        fields |= {"value": n}
    return Tally.model_validate(fields)


def event(n: int, value: str, time: str | None = None) -> Event:
    when: str | dict[str, str] = {"value": value, "time": time} if time else value
    return Event.model_validate({"id": f"e{n}", "date": when, "title": f"Event number {n}", "description": "d",
                                 "evidence": EV})


def context(n: int, value: str) -> ContextItem:
    return ContextItem(id=f"c{n}", date=value, title=f"Earlier thing {n}", description="d", evidence=EV)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def drawings(svg: str) -> list[ET.Element]:
    """Each ``<svg>`` of a chart: a chart of many rows comes in pieces a printed page holds whole."""
    return list(ET.fromstring(f"<div>{svg}</div>"))


def panels_of(svg: str) -> dict[str, list[str]]:
    """:func:`panels` across the pieces of a chart; a continued panel's rows join its own."""
    found: dict[str, list[str]] = {}
    for root in drawings(svg):
        for heading, labels in panels(root).items():
            found.setdefault(heading.removesuffix(" (continued)"), []).extend(labels)
    return found


def labels(root: ET.Element) -> list[tuple[float, float, str]]:
    return [(float(t.get("x", 0)), float(t.get("y", 0)), t.text or "") for t in root.iter(f"{SVG}text")]


def view_width(root: ET.Element) -> float:
    return float(root.get("viewBox", "0 0 0 0").split()[2])


def headings(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "fs-heading"]


def rows(root: ET.Element) -> list[ET.Element]:
    """Each row of a chart: a ``g.fs-row`` of figures, or an ``a`` of the timeline."""
    return [e for e in root.iter() if e.get("class") == "fs-row" or e.tag == f"{SVG}a"]


def mark_y(row: ET.Element) -> float:
    """The height of a row's mark: the centre of its dot or bar."""
    for element in row:
        if element.tag == f"{SVG}circle":
            return float(element.get("cy", 0))
        if element.tag == f"{SVG}rect" and element.get("class") != "fs-band":
            return float(element.get("y", 0)) + float(element.get("height", 0)) / 2
    raise AssertionError(f"row without a mark: {ET.tostring(row)!r}")


def row_label(row: ET.Element) -> str:
    return " ".join(t.text or "" for t in row.iter(f"{SVG}text"))


def all_charts() -> list[tuple[str, str]]:
    """Every chart the real sheets draw, as the templates call them."""
    found = []
    for sheet_id in (HOMS, KARRADA):
        sheet = real_sheet(sheet_id)
        found.append((f"{sheet_id} casualties", casualty_chart(sheet)))
        found.append((f"{sheet_id} overview", claims_chart(sheet, sheet.in_time_order(sheet.figure_span("killed")),
                                                           "killed")))
        for index, measure in enumerate(sheet.measures(), 1):
            history = sheet.claims_over_time(measure)
            if history:
                chart = claims_chart(sheet, history.flat, f"reported-{index}")
                found.append((f"{sheet_id} {measure} over time", chart))
        found.append((f"{sheet_id} timeline", timeline_chart(sheet)))
    return [(name, svg) for name, svg in found if svg]


def crowded() -> Sheet:
    tallies = [tally(n + 1, QUALIFIERS[n % 9], f"measure {n % 4}") for n in range(50)]
    tallies.append(tally(99, "exact", "killed", scope="a spokesman of the ministry " * 8))
    start = date(2011, 3, 1)
    events = [event(n, (start + timedelta(days=n * 9)).isoformat()) for n in range(150)]
    events += [event(150 + n, f"{2011 + n % 6}") for n in range(50)]
    return sheet_with(tallies, events)


def assert_no_overlap(root: ET.Element) -> None:
    rows_at: dict[float, list[tuple[float, str, float]]] = {}
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size", 0))
        rows_at.setdefault(float(text.get("y", 0)), []).append((float(text.get("x", 0)), text.text or "", size))
    for above, below in pairwise(sorted(rows_at)):
        assert below - above >= 11, f"text lines {above} and {below} overlap"
    for y, items in rows_at.items():
        if len(items) > 1:  # axis ticks and legend entries share a line
            for (x1, t1, size), (x2, _, _) in pairwise(sorted(items)):
                assert x2 - x1 >= len(t1) * CHAR * size * 0.5 + 4, f"labels at y={y} overlap: {items}"


def assert_fits(root: ET.Element) -> None:
    """Every text is at least 12 px on a phone, and none can run past the chart's edges."""
    width = view_width(root)
    assert root.get("width") == f"{width:g}", "the width attribute keeps a wide screen from blowing the chart up"
    scale = min(1, PHONE_COLUMN / width)
    for text in root.iter(f"{SVG}text"):
        size, x, content = float(text.get("font-size", 0)), float(text.get("x", 0)), text.text or ""
        assert size * scale >= 12, f"{content!r} shows at {size * scale:.1f} px on a phone"
        extent = len(content) * CHAR * size
        left, right = {"start": (x, x + extent), "middle": (x - extent / 2, x + extent / 2),
                       "end": (x - extent, x)}[text.get("text-anchor", "start")]
        assert left >= 0 and right <= width, f"{content!r} runs from {left:.0f} to {right:.0f} of {width:g}"
        assert not content.endswith("…"), f"{content!r} is cut off"


# --- Readable on a phone, nothing clipped -----------------------------------------

@pytest.mark.parametrize(("name", "svg"), all_charts(), ids=[name for name, _ in all_charts()])
def test_real_charts_are_readable_on_a_phone_and_clip_nothing(name: str, svg: str) -> None:
    for root in drawings(svg):
        assert_fits(root)
        assert_no_overlap(root)
        assert_labels_sit_with_their_marks(root)


def test_every_chart_of_the_real_sheets_is_drawn() -> None:
    drawn = [name for name, _ in all_charts()]
    assert drawn == [f"{HOMS} casualties", f"{HOMS} overview",
                     f"{KARRADA} casualties", f"{KARRADA} overview", f"{KARRADA} killed over time",
                     f"{KARRADA} wounded over time", f"{KARRADA} timeline"]


def test_long_labels_wrap_instead_of_being_cut() -> None:
    name = "The Ministry of Health of the Republic and its regional directorate of emergency medicine"
    root = parse(casualty_chart(sheet_with([tally(7, "exact", scope="people killed " * 6, where="site")], [],
                                           name=name)))
    assert_fits(root)
    (row,) = rows(root)
    lines = [t.text or "" for t in row.iter(f"{SVG}text")]
    assert len(lines) >= 3
    title = row.find(f"{SVG}title")
    assert title is not None and row_label(row) == title.text
    assert name in row_label(row)


def test_a_figure_is_not_split_across_lines() -> None:
    label = "26 February 2017, 08:00 UTC+3: The governor: more than 32"
    assert wrap(label, 10, "fs-label", ["more than 32"]) == [
        "26 February 2017, 08:00 UTC+3: The governor:", "more than 32"]
    assert wrap("a\nb  c", 10, "fs-label") == ["a b c"]
    long_word = "x" * 200
    assert "".join(wrap(long_word, 10, "fs-label", [long_word])) == long_word


def test_fifty_tallies_and_two_hundred_events_do_not_overlap() -> None:
    sheet = crowded()
    timeline = parse(timeline_chart(sheet))
    for root in [*drawings(casualty_chart(sheet)), timeline]:
        assert_no_overlap(root)
        assert_fits(root)
        assert_labels_sit_with_their_marks(root)
    assert len(timeline.findall(f".//{SVG}a")) == 200


# --- Each label belongs to its own mark ----------------------------------------------

def assert_labels_sit_with_their_marks(root: ET.Element) -> None:
    """A label is right above its mark, nearer to it than to the mark of the row above, on a band of its own."""
    previous_mark: float | None = None
    previous_bottom: float | None = None
    for row in rows(root):
        texts = [(float(t.get("y", 0)), float(t.get("font-size", 0))) for t in row.iter(f"{SVG}text")]
        first, last = texts[0][0], texts[-1][0]
        centre = last - 0.35 * texts[-1][1]  # the middle of the letters, not their baseline
        mark = mark_y(row)
        own = mark - centre
        assert 0 < own <= 16, f"{row_label(row)!r}: its mark is {own} below it"
        band = next(e for e in row.iter(f"{SVG}rect") if e.get("class") == "fs-band")
        top, bottom = float(band.get("y", 0)), float(band.get("y", 0)) + float(band.get("height", 0))
        assert top < first - texts[0][1] and mark + 5 <= bottom, "label and mark lie on their row's band"
        if previous_mark is not None and previous_bottom is not None and previous_mark < mark:
            assert previous_bottom < top, "bands do not overlap"
            above = first - 0.35 * texts[0][1] - previous_mark
            if len(texts) == 1:
                assert own * 1.5 <= above, f"{row_label(row)!r} is {own} from its mark, {above} from the one above"
            else:
                assert own < above + 15 * (len(texts) - 1)
        previous_mark, previous_bottom = mark, bottom


def test_rows_are_banded_alternately() -> None:
    root = parse(casualty_chart(sheet_with([tally(n + 1, "exact") for n in range(4)], [])))
    shades = [next(e for e in row.iter(f"{SVG}rect") if e.get("class") == "fs-band").get("fill-opacity")
              for row in rows(root)]
    assert shades[0::2] == ["0.07", "0.07"] and shades[1::2] == ["0", "0"]
    assert_labels_sit_with_their_marks(root)


# --- Marks ---------------------------------------------------------------------------

def signature(row: ET.Element) -> tuple[tuple[str, ...], ...]:
    """What a row's mark is made of: each shape with its fill, stroke and dashes, and which way it points."""
    shapes = [e for e in row if e.tag in MARKS and e.get("class") != "fs-band"]
    dot = next((float(c.get("cx", 0)) for c in shapes if c.tag == f"{SVG}circle" and c.get("r") == "5"), None)

    def side(element: ET.Element) -> str:
        if element.tag == f"{SVG}path":
            return "points right" if " l8," in (element.get("d") or "") else "points left"
        if element.tag == f"{SVG}line" and dot is not None:
            return "right of the dot" if float(element.get("x1", 0)) >= dot else "left of the dot"
        return ""

    return tuple(sorted((e.tag.removeprefix(SVG), e.get("fill", ""), e.get("fill-opacity", ""),
                         e.get("stroke-dasharray", ""), e.get("r", ""), side(e)) for e in shapes))


def test_every_qualifier_has_a_mark_of_its_own() -> None:
    sheet = sheet_with([tally(10 * (n + 1), q) for n, q in enumerate(QUALIFIERS)], [])
    root = ET.fromstring(f"<div>{casualty_chart(sheet)}</div>")  # every drawing of the chart
    by_qualifier = {row.get("data-mark"): signature(row) for row in rows(root)}
    assert set(by_qualifier) == set(QUALIFIERS)
    assert len(set(by_qualifier.values())) == len(QUALIFIERS), by_qualifier
    # The key draws each the same way as the rows do.
    key = {g.get("data-mark"): signature(g) for g in root.iter(f"{SVG}g") if g.get("class") == "fs-key"}
    assert key == by_qualifier


@pytest.mark.parametrize("other", [3, 3000])
@pytest.mark.parametrize("qualifier", QUALIFIERS)
def test_no_line_runs_through_a_dot(qualifier: str, other: int) -> None:
    """A dashed line through an open circle reads as the letter G: lines stop at a dot's edge."""
    root = parse(casualty_chart(sheet_with([tally(10, qualifier), tally(other, "exact")], [])))
    for group in [*rows(root), *(g for g in root.iter(f"{SVG}g") if g.get("class") == "fs-key")]:
        dots = [(float(c.get("cx", 0)), float(c.get("r", 0))) for c in group.iter(f"{SVG}circle")]
        for line in group.iter(f"{SVG}line"):
            x1, x2 = sorted((float(line.get("x1", 0)), float(line.get("x2", 0))))
            for cx, r in dots:
                assert x2 <= cx - r + 0.01 or x1 >= cx + r - 0.01, f"{qualifier}: a line crosses the dot at {cx}"


def test_open_and_closed_ends_follow_the_qualifier() -> None:
    sheet = sheet_with([tally(10, "exact"), tally(20, "at_least"), tally(30, "more_than"), tally(40, "range")], [])
    root = parse(casualty_chart(sheet))
    kinds = {}
    for row in rows(root):
        shapes = {e.tag.removeprefix(SVG) for e in row if e.tag in MARKS and e.get("class") != "fs-band"}
        hollow = any(c.get("fill") == "none" for c in row.iter(f"{SVG}circle"))
        kinds[row.get("data-mark")] = (shapes, hollow)
    assert kinds == {"exact": ({"circle"}, False), "at_least": ({"circle", "line", "path"}, False),
                     "more_than": ({"circle", "line", "path"}, True), "range": ({"rect"}, False)}


@pytest.mark.parametrize("shown", [("exact",), ("at_least", "more_than"), ("range", "vague", "nearly"), QUALIFIERS])
def test_the_key_shows_only_the_marks_in_the_chart(shown: tuple[str, ...]) -> None:
    pieces = drawings(casualty_chart(sheet_with([tally(5 * (n + 1), q) for n, q in enumerate(shown)], [])))
    root = pieces[-1]  # the key ends the chart
    key = [g.get("data-mark", "") for g in root.iter(f"{SVG}g") if g.get("class") == "fs-key"]
    assert sorted(key) == sorted(shown)
    key_words = [t.text or "" for g in root.iter(f"{SVG}g") if g.get("class") == "fs-key" for t in g]
    assert ("range, low to high" in key_words) == ("range" in shown)
    for piece in pieces:
        assert_fits(piece)


def test_the_homs_overview_keys_only_its_two_marks() -> None:
    sheet = homs_sheet()
    root = parse(casualty_chart(sheet, sheet.figure_span("killed"), "killed"))
    assert [g.get("data-mark") for g in root.iter(f"{SVG}g") if g.get("class") == "fs-key"] == [
        "at_least", "more_than"]


# --- Whole-event totals apart from sites and parts --------------------------------

def panels(root: ET.Element) -> dict[str, list[str]]:
    """Each panel's heading (its lines joined, when it wraps) and the labels of its rows, in document order."""
    found: dict[str, list[str]] = {}
    heading: list[str] = []
    current = ""
    for element in root.iter():
        if element.get("class") == "fs-heading":
            heading.append(element.text or "")
            continue
        if heading:
            current, heading = " ".join(heading), []
            found[current] = []
        if element.get("class") == "fs-row" or element.tag == f"{SVG}a":
            title = element.find(f"{SVG}title")
            found[current].append(title.text or "" if title is not None else "")
    return found


def axes(root: ET.Element) -> list[float]:
    """The y of each axis line."""
    return [float(line.get("y1", 0)) for line in root.iter(f"{SVG}line")
            if line.get("stroke-opacity") == "0.45" and line.get("y1") == line.get("y2")]


def test_sites_and_parts_are_not_on_the_axis_of_whole_event_totals() -> None:
    sheet = sheet_with([tally(30), tally(300, "exact"), tally(120, "exact", where="site"),
                        tally(15, "exact", covers="part", part="children")], [])
    root = parse(casualty_chart(sheet))
    found = panels(root)
    assert list(found) == ["Killed — in all", "Killed — at one site, or one part of the count"]
    assert found["Killed — in all"] == ["Claimant: at least 30", "Claimant: 300"]
    assert found["Killed — at one site, or one part of the count"] == [
        "Claimant: 120 (at The Site)", "Claimant: 15 (part: children)"]
    # One axis per panel, each below its own rows and above the next heading.
    # Each heading's first line (a long one wraps).
    heading_ys = [y for _, y, text in labels(root) if text.startswith("Killed — ")]
    lines = axes(root)
    assert len(lines) == 2 and heading_ys[0] < lines[0] < heading_ys[1] < lines[1]
    # The whole-event axis runs to 300; the other one, drawn for 120 at most, stops well short of that.
    ticks = [(y, text) for _, y, text in labels(root) if text.replace(",", "").isdigit()]
    first_axis = max(int(t.replace(",", "")) for y, t in ticks if y < heading_ys[1])
    second_axis = max(int(t.replace(",", "")) for y, t in ticks if y > heading_ys[1])
    assert first_axis >= 300 and second_axis < 300


@pytest.mark.parametrize(("extra", "words"), [({"where": "site"}, "at one site"),
                                             ({"covers": "part", "part": "police"}, "one part of the count")])
def test_a_panel_says_what_its_figures_cover(extra: dict[str, str], words: str) -> None:
    root = parse(casualty_chart(sheet_with([tally(8, "exact"), tally(3, "exact", **extra)], [])))
    assert headings(root) == ["Killed — in all", f"Killed — {words}"]


def test_karrada_keeps_sites_and_parts_off_the_whole_event_axis() -> None:
    sheet = real_sheet(KARRADA)
    found = panels_of(casualty_chart(sheet))
    whole = {t.id for t in sheet.event_tallies("killed") if t.coverage == "event" and not t.unit}
    assert len(found["Killed — in all"]) == len(whole)
    apart = found["Killed — at one site, or one part of the count"]
    assert any("(at Karrada)" in label for label in apart) and any("part: children" in label for label in apart)
    assert not any("at Karrada" in label or "part:" in label for label in found["Killed — in all"])


# --- Timeline ------------------------------------------------------------------------

def test_timeline_marks_follow_precision() -> None:
    events = [event(1, "2017-02-25"), event(2, "2017-02"), event(3, "2016/2017"), event(4, "2017-01~")]
    root = parse(timeline_chart(sheet_with([], events)))
    marks = {a.get("href"): [c.tag.removeprefix(SVG) for c in a
                             if c.tag in (f"{SVG}circle", f"{SVG}rect") and c.get("class") != "fs-band"]
             for a in root.findall(f".//{SVG}a")}
    assert marks["#event--e1"] == ["circle"]
    assert marks["#event--e2"] == ["rect"] and marks["#event--e3"] == ["rect"]
    approx = [r for r in root.findall(f".//{SVG}a[@href='#event--e4']/{SVG}rect") if r.get("class") != "fs-band"]
    assert approx and approx[0].get("stroke-dasharray")


def test_the_timeline_shows_the_events_own_days_and_leaves_background_to_context() -> None:
    background = [context(1, "2012-07"), context(2, "2015")]
    root = parse(timeline_chart(sheet_with([], [event(1, "2017-02-25"), event(2, "2017-02-27")], background)))
    assert headings(root) == ["The event"]
    assert {a.get("href") for a in root.findall(f".//{SVG}a")} == {"#event--e1", "#event--e2"}
    ticks = [text for _, _, text in labels(root) if text.endswith(" Feb")]
    assert ticks and not [text for _, _, text in labels(root) if text in ("2012", "2015")]
    # Its marks are links, so it is a group (an img would hide them from assistive technology).
    assert root.get("role") == "group" and root.find(f"{SVG}desc") is not None
    assert_fits(root)


def test_homs_timeline_has_no_chart_of_its_events_all_on_one_day() -> None:
    sheet = homs_sheet()
    assert len({e.date.period.start for e in sheet.events}) == 1 and not any(e.date.time for e in sheet.events)
    assert sheet.context and timeline_chart(sheet) == ""


def test_karrada_timeline_places_its_events_by_time_of_day() -> None:
    root = parse(timeline_chart(real_sheet(KARRADA)))
    assert headings(root) == ["The event (Baghdad time)"]
    ticks = [text for _, _, text in labels(root) if text.endswith(":00") or text.endswith(" Jul")]
    assert "3 Jul" in ticks and "12:00" in ticks


def test_events_on_one_day_are_placed_by_their_times() -> None:
    events = [event(1, "2020-05-01", "22:40"), event(2, "2020-05-01", "06:15"), event(3, "2020-05-01")]
    root = parse(timeline_chart(sheet_with([], events)))
    assert headings(root) == ["The event"]
    x = {a.get("href"): a.find(f"{SVG}circle") for a in root.findall(f".//{SVG}a")}
    dot_late, dot_early = x["#event--e1"], x["#event--e2"]
    assert dot_late is not None and dot_early is not None
    assert float(dot_early.get("cx", 0)) < float(dot_late.get("cx", 0))
    # An event of the same day with no time could be at any hour: a bar across the day.
    assert x["#event--e3"] is None
    assert "1 May 2020, 22:40 local time: Event number 1" in row_label(rows(root)[1]) + row_label(rows(root)[0])


def test_events_on_several_days_get_a_lane() -> None:
    events = [event(1, "2020-05-01"), event(2, "2020-05-01"), event(3, "2020-05-04")]
    root = parse(timeline_chart(sheet_with([], events)))
    assert headings(root) == ["The event"]
    assert len(root.findall(f".//{SVG}a")) == 3


@pytest.mark.parametrize("background", [[], [context(1, "2012")], [context(1, "2012"), context(2, "2012")]])
def test_a_timeline_with_nothing_to_show_is_empty(background: list[ContextItem]) -> None:
    events = [event(n, "2020-05-01") for n in range(10)] + [event(10, "2020-05-01/2020-05-02")]
    assert timeline_chart(sheet_with([], events, background)) == ""
    assert timeline_chart(sheet_with([], [])) == ""


# --- Words and safety ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "a & b \"quoted\" 'single'", "]]></svg><svg onload=x>"])
def test_text_is_escaped_and_described(name: str) -> None:
    root = parse(casualty_chart(sheet_with([tally(5)], [], name=name)))
    assert root.get("role") == "img"  # no links inside: one image with a text alternative
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert name in (desc.text or "")
    assert any(name in row_label(row) for row in rows(root))
    assert not root.findall(f".//{SVG}script")
    for element in root.iter():
        assert not any(attr.startswith("on") for attr in element.attrib)


def test_the_description_states_the_panels_and_marks_in_words() -> None:
    sheet = sheet_with([tally(30, "more_than"), tally(12, "exact", where="site")], [])
    desc = parse(casualty_chart(sheet)).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "Killed — in all: Claimant: more than 30." in desc.text
    assert "Killed — at one site: Claimant: 12 (at The Site)." in desc.text
    assert "more than, no upper end: an open dot with an arrow to the right" in desc.text
    assert "range" not in desc.text


def test_charts_are_deterministic_and_empty_without_figures() -> None:
    sheet = real_sheet(KARRADA)
    assert casualty_chart(sheet) == casualty_chart(sheet)
    assert timeline_chart(sheet) == timeline_chart(sheet)
    assert casualty_chart(sheet_with([], [])) == ""
    assert claims_chart(sheet, [], "x") == ""


def test_the_key_figures_chart_is_in_order_of_time_and_names_the_outlet_on_every_row() -> None:
    sheet = real_sheet(KARRADA)
    claims = sheet.in_time_order(sheet.figure_span("killed"))
    titles = [row.findtext(f"{SVG}title") or "" for piece in drawings(claims_chart(sheet, claims, "killed"))
              for row in rows(piece)]
    assert len(titles) == len(claims) > 10
    days = [sheet.published(c.source).earliest for c in claims]
    assert days[:-1] == sorted(days[:-1])  # the last is known only to its month: after the rest
    for title, claim in zip(titles, claims, strict=True):
        assert " / ".join(claim.source.publishers) in title, title
    # Two figures of one claimant in two reports are told apart by their outlets.
    ministry = [t for t in titles if "Iraq's Health Ministry" in t]
    assert len(ministry) == len(set(ministry))


def test_a_tall_panel_has_its_axis_at_top_and_bottom_and_a_short_one_at_the_bottom() -> None:
    tall = parse(casualty_chart(sheet_with([tally(10 * n + 1, "exact") for n in range(TALL + 1)], []), width=WIDE))
    short = parse(casualty_chart(sheet_with([tally(10 * n + 1, "exact") for n in range(TALL)], []), width=WIDE))
    for root, count in ((tall, 2), (short, 1)):
        lines = axes(root)
        assert len(lines) == count
        marks = [float(c.get("cy", 0)) for row in rows(root) for c in row.iter(f"{SVG}circle")]
        # The last axis is below every mark; a top axis is above every mark, with its numbers.
        assert lines[-1] > max(marks)
        if count == 2:
            assert lines[0] < min(marks)
            numbers = [y for _, y, text in labels(root) if text.replace(",", "").isdigit()]
            assert any(y < lines[0] for y in numbers) and any(y > lines[-1] for y in numbers)


@pytest.mark.parametrize("width", [NARROW, WIDE])
def test_each_chart_comes_for_a_phone_and_a_desktop_with_ids_of_its_own(width: float) -> None:
    sheet = real_sheet(KARRADA)
    root = drawings(casualty_chart(sheet, None, "figures", width))[0]
    assert root.get("width") == f"{width:g}" and f"fs-chart--{'wide' if width == WIDE else 'narrow'}" in str(
        root.get("class"))
    if width == NARROW:
        assert_fits(root)  # the wide one is not shown on a phone
    assert_no_overlap(root)
    drawn = both(lambda ident, w: casualty_chart(sheet, None, ident, w), "figures")
    ids = re.findall(r' id="([^"]+)"', drawn)
    assert len(ids) == len(set(ids)) == 2 * 2 * len(drawings(casualty_chart(sheet)))


def test_a_chart_of_many_rows_comes_in_drawings_under_half_a_page_repeating_heading_and_scale() -> None:
    sheet = sheet_with([tally(10 * n + 1, "exact") for n in range(PAGE_ROWS + 5)], [])
    pieces = drawings(casualty_chart(sheet, width=WIDE))
    assert len(pieces) == 2
    counts = [len(rows(piece)) for piece in pieces]
    assert sum(counts) == PAGE_ROWS + 5 and abs(counts[0] - counts[1]) <= 1  # even, not 8 and a lone 5
    assert headings(pieces[0]) == ["Killed — in all"] and headings(pieces[1]) == ["Killed — in all (continued)"]
    # Each under half a printed page, the key aside: a drawing that moves to the next page leaves less blank.
    key = 60
    assert all(float(piece.get("height", 0)) <= HALF_PAGE + key for piece in pieces)
    # The same scale in both: the same numbers on their axes.
    def numbers(piece: ET.Element) -> set[str]:
        return {text for _, _, text in labels(piece) if text.replace(",", "").isdigit()}
    assert numbers(pieces[0]) == numbers(pieces[1])
    titles = [piece.findtext(f"{SVG}title") for piece in pieces]
    assert titles == ["Figures, by who gave them", "Figures, by who gave them (continued)"]
    # The key once, at the end; ids of their own.
    assert not pieces[0].findall(f".//{SVG}g[@class='fs-key']") and pieces[1].findall(f".//{SVG}g[@class='fs-key']")
    assert pieces[0].get("aria-labelledby") != pieces[1].get("aria-labelledby")


def test_small_panels_share_a_drawing() -> None:
    sheet = sheet_with([tally(11, "exact"), tally(22, "exact"), tally(5, "exact", where="site")], [])
    assert len(drawings(casualty_chart(sheet, width=WIDE))) == 1
