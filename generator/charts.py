"""Inline SVG charts built at build time: no JavaScript, nothing fetched.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
state the same facts in words, for screen readers and print. Every text and
attribute goes through :func:`xml_escape`; links are built from validated ids.
Rows are laid out one under another, so labels cannot overlap at any size.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from .dates import Period
from .models import ContextItem, Event, Source, Tally
from .registry import fragment, link, url
from .sheet import Claim, Sheet

WIDTH = 680
LEFT = 16
RIGHT = 24
ROW = 34          # one label line and one mark line
AXIS = 34
HEADING = 26
MAX_LABEL = 90    # characters; the full text stays in the row's <title>
# Presentation attributes rather than CSS, so a chart reads right anywhere
# (copied out of the page, printed); currentColor follows the page's text colour.
INK = 'fill="currentColor"'
DOT = 'r="5" fill="currentColor"'
HOLLOW = 'r="5" fill="none" stroke="currentColor" stroke-width="2"'
OPEN = 'stroke="currentColor" stroke-width="2" stroke-dasharray="5 4"'
ARROW = 'fill="currentColor"'
BAR = 'fill="currentColor" fill-opacity="0.55"'
APPROX = 'fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3 2"'
AXIS_LINE = 'stroke="currentColor" stroke-opacity="0.45"'
TEXT_STYLE = {"fs-heading": 'font-size="14" font-weight="bold"', "fs-label": 'font-size="13"',
              "fs-small": 'font-size="11"', "fs-label fs-link": 'font-size="13"'}


def xml_escape(text: str) -> str:
    """Escape text for XML content and double-quoted attributes."""
    return escape(text, quote=True)


def _clip(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


@dataclass
class _Svg:
    """Accumulates SVG elements; every text passes through xml_escape."""

    chart_id: str
    parts: list[str]

    def text(self, x: float, y: float, content: str, css: str, anchor: str = "start") -> None:
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" {TEXT_STYLE[css]} {INK} '
                          f'text-anchor="{anchor}">{xml_escape(content)}</text>')

    def raw(self, element: str) -> None:
        self.parts.append(element)

    def render(self, height: float, title: str, description: str, role: str = "img") -> str:
        """The finished ``<svg>``; a chart with links is a ``group``, since an ``img`` hides its links."""
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="fs-chart" role="{role}" '
                f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}" '
                f'aria-labelledby="{title_id} {desc_id}">'
                f'<title id="{title_id}">{xml_escape(title)}</title>'
                f'<desc id="{desc_id}">{xml_escape(description)}</desc>')
        return head + "".join(self.parts) + "</svg>"


# --- Casualty comparison ------------------------------------------------------

def _figure_mark(svg: _Svg, tally: Tally, x_of: Callable[[float], float], y: float) -> None:
    """Dot for a figure; hollow for "more than" and "fewer than"; arrows for open ends; bars for ranges."""
    low, high = tally.reading
    if tally.qualifier in ("range", "vague"):
        x, end = x_of(low), x_of(high or low)
        style = BAR if tally.qualifier == "range" else APPROX
        svg.raw(f'<rect x="{x:.1f}" y="{y - 4:.1f}" width="{max(end - x, 2):.1f}" height="8" {style}/>')
        return
    x = x_of(tally.value or 0)
    if tally.qualifier in ("at_least", "more_than"):
        svg.raw(f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{y:.1f}" {OPEN}/>'
                f'<path d="M{WIDTH - RIGHT:.1f},{y - 5:.1f} l8,5 l-8,5 z" {ARROW}/>')
    if tally.qualifier in ("at_most", "fewer_than", "nearly"):
        # An upper bound: a dashed line back to the least it allows, an arrow where that is zero.
        start = x_of(low)
        svg.raw(f'<line x1="{start:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y:.1f}" {OPEN}/>')
        if low == 0:
            svg.raw(f'<path d="M{start:.1f},{y - 5:.1f} l-8,5 l8,5 z" {ARROW}/>')
    if tally.qualifier in ("about", "nearly"):
        # "About": a ring around the dot, for a figure that is not exact.
        svg.raw(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="none" stroke="currentColor" stroke-dasharray="2 2"/>')
    shape = HOLLOW if tally.qualifier in ("more_than", "fewer_than") else DOT
    svg.raw(f'<circle cx="{x:.1f}" cy="{y:.1f}" {shape}/>')


def _group_label(tally: Tally, sheet: Sheet) -> str:
    claimant = sheet.claimant_of(tally).label
    part = f"part: {tally.part}" if tally.part else None
    details = [d for d in (part, tally.scope, sheet.place_by_id[tally.where].name if tally.where else None) if d]
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"{claimant}: {tally.figure()}{suffix}"


def casualty_chart(sheet: Sheet, tallies: Sequence[Tally] | None = None, chart_id: str = "figures") -> str:
    """One panel per thing counted, one row per claimant's figure, on a shared axis per panel."""
    chosen = list(tallies if tallies is not None else sheet.event_tallies())
    measures = list(dict.fromkeys((t.counts, t.unit or "") for t in chosen))
    svg = _Svg(chart_id, [])
    y = 8.0
    sentences = []
    for counts, unit in measures:
        rows = sorted((t for t in chosen if (t.counts, t.unit or "") == (counts, unit)),
                      key=lambda t: (t.scope or "", t.where or "", t.floor, t.id))
        heading = f"{counts[:1].upper()}{counts[1:]}" + (f" ({unit})" if unit else "")
        labelled = [(_group_label(t, sheet), t) for t in rows]
        y = _panel(svg, y, heading, labelled)
        sentences.append(f"{counts}" + (f" ({unit})" if unit else "") + ": "
                         + "; ".join(label for label, _ in labelled) + ".")
    y = _legend(svg, y, {t.qualifier for t in chosen})
    title = "Figures by claimant"
    description = ("Each claimant's figure, one row each; open-ended claims ('at least', 'more than') are "
                   "drawn as arrows, ranges as bars. " + " ".join(sentences))
    return svg.render(y + 30, title, description)


def claims_chart(sheet: Sheet, claims: Sequence[Claim], chart_id: str) -> str:
    """One count as it was reported over time: a row per figure, oldest first, on one axis."""
    svg = _Svg(chart_id, [])
    counts = claims[0].tally.counts if claims else ""
    labelled = [(f"{_when(c.source)}: {_group_label(c.tally, sheet)}", c.tally) for c in claims]
    y = _panel(svg, 8.0, f"{counts[:1].upper()}{counts[1:]}, as reported over time", labelled)
    y = _legend(svg, y, {c.tally.qualifier for c in claims})
    description = ("Each figure in the order it was first reported, with its claimant and report: "
                   + "; ".join(label for label, _ in labelled) + ".")
    return svg.render(y + 30, f"{counts[:1].upper()}{counts[1:]} as reported over time", description)


def _when(source: Source) -> str:
    when = source.publication.display()
    return f"{when}, {source.time} {source.timezone or 'UTC'}" if source.time else when


def _panel(svg: _Svg, y: float, heading: str, rows: Sequence[tuple[str, Tally]]) -> float:
    """A heading, one labelled row per figure with its mark, and the axis they share; returns the y below."""
    top = max(max(t.reading[1] or 0, t.reading[0], t.value or 0) for _, t in rows)
    step = _nice_step(top * 1.1 or 1)
    axis_max = step * math.ceil((top * 1.1 or 1) / step)
    x_of = _scale(0, axis_max, LEFT, WIDTH - RIGHT - 10)
    svg.text(LEFT, y + 16, heading, "fs-heading")
    y += HEADING
    for label, tally in rows:
        svg.raw(f"<g><title>{xml_escape(label)}</title>")
        svg.text(LEFT, y + 12, _clip(label), "fs-label")
        _figure_mark(svg, tally, x_of, y + 24)
        svg.raw("</g>")
        y += ROW
    return _axis(svg, y, [(x_of(v), f"{v:,.0f}") for v in _frange(0, axis_max, step)])


def _legend(svg: _Svg, y: float, shown: set[str]) -> float:
    """The key to the marks; a second line for the marks of upper bounds and vague amounts, where shown."""
    cy = y + 14
    svg.raw(f'<circle cx="{LEFT + 5}" cy="{cy}" {DOT}/>')
    svg.text(LEFT + 15, cy + 4, "exact, or the lower end", "fs-small")
    svg.raw(f'<circle cx="{LEFT + 170}" cy="{cy}" {HOLLOW}/>')
    svg.text(LEFT + 180, cy + 4, "more than", "fs-small")
    svg.raw(f'<line x1="{LEFT + 260}" y1="{cy}" x2="{LEFT + 290}" y2="{cy}" {OPEN}/>'
            f'<path d="M{LEFT + 290},{cy - 5} l8,5 l-8,5 z" {ARROW}/>')
    svg.text(LEFT + 304, cy + 4, "no upper end", "fs-small")
    svg.raw(f'<rect x="{LEFT + 400}" y="{cy - 4}" width="30" height="8" {BAR}/>')
    svg.text(LEFT + 436, cy + 4, "range", "fs-small")
    if not shown & {"at_most", "fewer_than", "nearly", "vague"}:
        return y
    cy += 20
    svg.raw(f'<path d="M{LEFT + 8},{cy - 5} l-8,5 l8,5 z" {ARROW}/>'
            f'<line x1="{LEFT + 8}" y1="{cy}" x2="{LEFT + 38}" y2="{cy}" {OPEN}/>')
    svg.text(LEFT + 46, cy + 4, "no lower end (at most, fewer than)", "fs-small")
    svg.raw(f'<rect x="{LEFT + 260}" y="{cy - 4}" width="30" height="8" {APPROX}/>')
    svg.text(LEFT + 296, cy + 4, "vague amount, as read", "fs-small")
    return y + 20


def _frange(start: float, stop: float, step: float) -> Iterable[float]:
    count = round((stop - start) / step)
    return (start + i * step for i in range(count + 1))


def _scale(low: float, high: float, x0: float, x1: float) -> Callable[[float], float]:
    span = (high - low) or 1
    return lambda v: x0 + (v - low) / span * (x1 - x0)


def _axis(svg: _Svg, y: float, ticks: Sequence[tuple[float, str]]) -> float:
    svg.raw(f'<line x1="{LEFT}" y1="{y + 4:.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{y + 4:.1f}" {AXIS_LINE}/>')
    for x, label in ticks:
        svg.raw(f'<line x1="{x:.1f}" y1="{y + 4:.1f}" x2="{x:.1f}" y2="{y + 8:.1f}" {AXIS_LINE}/>')
        svg.text(x, y + 20, label, "fs-small", "middle")
    return y + AXIS


# --- Timeline -----------------------------------------------------------------

def _day_ticks(first: date, last: date) -> list[tuple[date, str]]:
    days = (last - first).days
    if days <= 62:
        step = max(1, math.ceil(days / 6))
        days_shown = [first + timedelta(d) for d in range(0, days + 1, step)]
        return [(d, f"{d.day} {calendar.month_abbr[d.month]}") for d in days_shown]
    if days <= 3 * 366:
        months = []
        cursor = date(first.year, first.month, 1)
        while cursor <= last:
            if cursor >= first:
                months.append(cursor)
            cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        step = max(1, math.ceil(len(months) / 6))
        return [(m, f"{calendar.month_abbr[m.month]} {m.year}") for m in months[::step]]
    years = list(range(first.year + (first != date(first.year, 1, 1)), last.year + 1))
    step = max(1, math.ceil(len(years) / 7))
    return [(date(y, 1, 1), str(y)) for y in years[::step]]


def _lane(svg: _Svg, y: float, heading: str, items: Sequence[tuple[Event | ContextItem, Period]],
          href: dict[str, str]) -> float:
    first = min(p.start for _, p in items)
    last = max(p.end for _, p in items) + timedelta(days=1)
    total = max((last - first).days, 1)
    x0, x1 = LEFT + 6, WIDTH - RIGHT - 6

    def x_of(day: date) -> float:
        return x0 + (day - first).days / total * (x1 - x0)

    svg.text(LEFT, y + 16, heading, "fs-heading")
    y += HEADING
    for item, period in items:
        label = f"{period.display()}: {item.title}"
        svg.raw(f'<a href="{xml_escape(href[item.id])}"><title>{xml_escape(label)}</title>')
        svg.text(LEFT, y + 12, _clip(label), "fs-label fs-link")
        if period.precision == "day" and not period.approximate:
            svg.raw(f'<circle cx="{(x_of(period.start) + x_of(period.start + timedelta(days=1))) / 2:.1f}" '
                    f'cy="{y + 24:.1f}" {DOT}/>')
        else:
            start, end = x_of(period.start), x_of(period.end + timedelta(days=1))
            style = APPROX if period.approximate else BAR
            svg.raw(f'<rect x="{start:.1f}" y="{y + 20:.1f}" width="{max(end - start, 3):.1f}" height="8" {style}/>')
        svg.raw("</a>")
        y += ROW
    daily = (last - first).days <= 62
    half = (x_of(first + timedelta(days=1)) - x0) / 2 if daily else 0
    return _axis(svg, y, [(x_of(day) + half, text) for day, text in _day_ticks(first, last - timedelta(days=1))])


def timeline_chart(sheet: Sheet, chart_id: str = "timeline") -> str:
    """Events and dated background on their own time axes; a day is a point, anything longer a span."""
    svg = _Svg(chart_id, [])
    events = [(e, e.date.period) for e in sheet.timeline()]
    background = [(c, c.date.period) for c in sheet.context_in_order() if c.date is not None]
    href = ({e.id: f"#{fragment(e.id, 'event')}" for e, _ in events}
            | {c.id: url(link(c.id, "context")) for c, _ in background})
    y = 8.0
    if events:
        y = _lane(svg, y, "The event", events, href)
    if background:
        y = _lane(svg, y + 8, "Background", background, href)
    words = "; ".join(f"{p.display()}: {e.title}" for e, p in events)
    before = "; ".join(f"{p.display()}: {c.title}" for c, p in background)
    description = (f"Events: {words or 'none'}. Background: {before or 'none'}. A dot is a single day; a bar is "
                   "a longer or less precise period; a dashed outline is approximate.")
    return svg.render(y + 8, "Timeline of the event and its background", description, role="group")
