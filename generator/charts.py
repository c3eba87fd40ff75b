"""Inline SVG charts built at build time: no JavaScript, nothing fetched.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that
state the same facts in words, for screen readers and print. Every text and
attribute goes through :func:`xml_escape`; links are built from validated ids.

Each chart is drawn twice, for a phone's column (:data:`NARROW` user units
wide) and for a desktop's (:data:`WIDE`); page CSS shows the one that fits the
screen (:func:`both`), so its text shows at its own size, 12 px or more, and the
chart takes the column's width. A ``width`` attribute of the same size keeps a
wider screen from blowing it up; CSS shrinks it to a narrower column
(``max-width: 100%``). Each row is a label of one or more lines directly above
its mark, on a band of its own; long labels wrap and never run past the edge,
so nothing overlaps or is cut off at any size.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from .dates import Period
from .models import QUALIFIERS, Event, Tally
from .moments import zone_label
from .registry import fragment
from .sheet import Claim, Sheet

NARROW = 350  # a phone's column: a 390 px screen's, less Material's margins
WIDE = 690    # a desktop's column
CHAR = 0.6          # a character's width, at most, in ems: for wrapping and fitting text
TEXT_X = 10         # where labels and headings start
TEXT_RIGHT = 6      # room kept free of text at the right edge
X0 = 18             # the axis's zero (a left arrow and a mark's radius fit before it)
SIZES = {"fs-heading": 14.0, "fs-label": 12.0, "fs-small": 12.0, "fs-label fs-link": 12.0}
LINES = {"fs-heading": 17.0, "fs-label": 15.0, "fs-small": 15.0, "fs-label fs-link": 15.0}
TALL = 5            # a panel of more rows than this has its axis at its top too
PAGE_ROWS = 8       # the most rows of one piece of a panel
HALF_PAGE = 440     # the tallest drawing, in units: under half a printed page (A4 or US Letter)
MARK_BELOW = 11     # from a label's last baseline down to its mark
ROW_TOP = 15        # from the top of a row's band to its label's first baseline
ROW_BOTTOM = 10     # from a mark down to the bottom of its band
ROW_GAP = 6         # between one row's band and the next
R = 5               # a dot's radius
# Presentation attributes rather than CSS, so a chart reads right anywhere
# (copied out of the page, printed); currentColor follows the page's text colour.
INK = 'fill="currentColor"'
DOT = f'r="{R}" fill="currentColor"'
HOLLOW = f'r="{R}" fill="none" stroke="currentColor" stroke-width="2"'
OPEN = 'stroke="currentColor" stroke-width="2" stroke-dasharray="5 3"'
ARROW = 'fill="currentColor"'
BAR = 'fill="currentColor" fill-opacity="0.55"'
APPROX = 'fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3 2"'
RING = 'r="9" fill="none" stroke="currentColor" stroke-width="1.2" stroke-dasharray="2 2"'
AXIS_LINE = 'stroke="currentColor" stroke-opacity="0.45"'
GRID_LINE = 'stroke="currentColor" stroke-opacity="0.12"'
BAND = 'fill="currentColor" fill-opacity="0.07"'
CLEAR_BAND = 'fill="currentColor" fill-opacity="0"'  # still catches a tap, for a link's row
GLUE = "\u00a0"  # a space that ``wrap`` does not break at


def xml_escape(text: str) -> str:
    """Escape text for XML content and double-quoted attributes."""
    return escape(text, quote=True)


def text_width(text: str, size: float) -> float:
    """The most room ``text`` takes at font size ``size``, in user units."""
    return len(text) * CHAR * size


def wrap(text: str, x: float, css: str, keep: Iterable[str] = (), width: float = NARROW) -> list[str]:
    """``text`` in lines that fit between ``x`` and the chart's right edge.

    Lines break between words, but not inside a phrase of ``keep`` (a figure:
    "more than" on one line and "32" on the next misreads) unless it is
    longer than half a line; words longer than a line are split.
    """
    room = max(8, int((width - TEXT_RIGHT - x) / (CHAR * SIZES[css])))
    text = re.sub(r"[ \t\r\n]+", " ", text)  # as SVG shows it: a line break in a title is a space
    for phrase in keep:
        if len(phrase) <= room // 2:
            text = text.replace(phrase, phrase.replace(" ", GLUE))
    lines: list[str] = []
    line = ""
    for word in text.split(" "):  # not str.split(): that breaks at the glue too
        if not word:
            continue
        while len(word) > room:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:room])
            word = word[room:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= room:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return [line.replace(GLUE, " ") for line in lines]


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


@dataclass
class _Svg:
    """Accumulates SVG elements; every text passes through xml_escape."""

    chart_id: str
    parts: list[str]
    width: float = NARROW

    @property
    def x_max(self) -> float:
        """Where the axis's top value is."""
        return self.width - 34

    @property
    def x_open(self) -> float:
        """Where the line of an open-ended claim ends; its arrow head reaches ``x_open + 8``."""
        return self.width - 24

    def text(self, x: float, y: float, content: str, css: str, anchor: str = "start") -> None:
        size = SIZES[css]
        bold = ' font-weight="bold"' if css == "fs-heading" else ""
        self.parts.append(f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" font-size="{size:g}"{bold} {INK} '
                          f'text-anchor="{anchor}">{xml_escape(content)}</text>')

    def lines(self, x: float, y: float, content: str, css: str, keep: Iterable[str] = ()) -> float:
        """``content`` wrapped, its first baseline at ``y``; returns the last baseline."""
        for index, line in enumerate(wrap(content, x, css, keep, self.width)):
            if index:
                y += LINES[css]
            self.text(x, y, line, css)
        return y

    def raw(self, element: str) -> None:
        self.parts.append(element)

    def render(self, height: float, title: str, description: str, role: str = "img") -> str:
        """The finished ``<svg>``; a chart with links is a ``group``, since an ``img`` hides its links."""
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        size = "wide" if self.width == WIDE else "narrow"
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="fs-chart fs-chart--{size}" role="{role}" '
                f'viewBox="0 0 {self.width:g} {height:.0f}" width="{self.width:g}" height="{height:.0f}" '
                f'aria-labelledby="{xml_escape(title_id)} {xml_escape(desc_id)}">'
                f'<title id="{xml_escape(title_id)}">{xml_escape(title)}</title>'
                f'<desc id="{xml_escape(desc_id)}">{xml_escape(description)}</desc>')
        return head + "".join(self.parts) + "</svg>"


def _row(svg: _Svg, y: float, label: str, index: int, css: str = "fs-label",
         keep: Iterable[str] = ()) -> tuple[float, float]:
    """A row's band and its label, wrapped; returns the y of the row's mark and the y below the row.

    The label sits directly above its mark, nearer to it than to the row
    above; every other band is shaded, and each band holds one label and one
    mark, so no label can be read as naming a neighbour's mark.
    """
    slot = len(svg.parts)
    svg.raw("")
    last = svg.lines(TEXT_X, y + ROW_TOP, label, css, keep)
    mark_y = last + MARK_BELOW
    bottom = mark_y + ROW_BOTTOM
    style = BAND if index % 2 == 0 else CLEAR_BAND
    svg.parts[slot] = (f'<rect class="fs-band" x="2" y="{y:.1f}" width="{svg.width - 4:g}" height="{bottom - y:.1f}" '
                       f'{style}/>')
    return mark_y, bottom + ROW_GAP


# --- Marks --------------------------------------------------------------------

def _arrow_right(x: float, y: float) -> str:
    return f'<path d="M{x:.1f},{y - 5:.1f} l8,5 l-8,5 z" {ARROW}/>'


def _arrow_left(x: float, y: float) -> str:
    return f'<path d="M{x:.1f},{y - 5:.1f} l-8,5 l8,5 z" {ARROW}/>'


def _line(x1: float, x2: float, y: float) -> str:
    return f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" {OPEN}/>' if x2 - x1 >= 1 else ""


def _mark(qualifier: str, y: float, low: float, value: float, high: float, open_end: float, from_zero: bool) -> str:
    """The mark of one figure at height ``y``, from x positions of its reading.

    A filled dot is a figure the claim includes, an open dot one it excludes
    (more than, fewer than, nearly). No line ever runs through a dot: the
    line of an open-ended claim starts at the dot's edge and ends in an arrow
    (no upper end) or, for an upper bound, runs back to zero and ends in an
    arrow there, or to the least "nearly" allows and ends in a bar. A dashed
    ring marks "about"; a solid bar is a range; a dashed box a vague amount.
    """
    if qualifier in ("range", "vague"):
        style = BAR if qualifier == "range" else APPROX
        return f'<rect x="{low:.1f}" y="{y - 4:.1f}" width="{max(high - low, 3):.1f}" height="8" {style}/>'
    hollow = QUALIFIERS[qualifier].hollow
    edge = R + (1 if hollow else 0)
    parts = []
    if qualifier in ("at_least", "more_than"):
        parts.append(_line(value + edge, open_end, y) + _arrow_right(open_end, y))
    elif qualifier in ("at_most", "fewer_than"):
        parts.append(_line(low, value - edge, y))
        if from_zero:
            parts.append(_arrow_left(low, y))
    elif qualifier == "nearly":
        # The bar at the least it allows stays clear of the dot, however close the two are on the axis.
        end = min(low, value - edge - 4)
        parts.append(_line(end, value - edge, y)
                     + f'<line x1="{end:.1f}" y1="{y - 5:.1f}" x2="{end:.1f}" y2="{y + 5:.1f}" '
                     'stroke="currentColor" stroke-width="2"/>')
    if qualifier == "about":
        parts.append(f'<circle cx="{value:.1f}" cy="{y:.1f}" {RING}/>')
    parts.append(f'<circle cx="{value:.1f}" cy="{y:.1f}" {HOLLOW if hollow else DOT}/>')
    return "".join(parts)


def _figure_mark(svg: _Svg, tally: Tally, x_of: Callable[[float], float], y: float) -> None:
    low, high = tally.reading
    value = tally.value if tally.value is not None else low
    svg.raw(_mark(tally.qualifier, y, x_of(low), x_of(value), x_of(high or low), svg.x_open, low == 0))


KEY_ICON = 34  # the width of a mark in the key; a lone dot takes less


def _key_icon(qualifier: str, x: float, y: float) -> tuple[str, float]:
    """A qualifier's mark for the key, starting at ``x``, and the width it takes."""
    if qualifier in ("range", "vague"):
        return _mark(qualifier, y, x, x, x + KEY_ICON, 0, False), KEY_ICON
    if qualifier in ("at_least", "more_than"):
        return _mark(qualifier, y, x, x + 6, x, x + KEY_ICON - 8, False), KEY_ICON
    if qualifier in ("at_most", "fewer_than", "nearly"):
        left = x + (8 if qualifier != "nearly" else 1)
        return _mark(qualifier, y, left, x + KEY_ICON - 6, x, 0, qualifier != "nearly"), KEY_ICON
    radius = 9 if qualifier == "about" else R
    return _mark(qualifier, y, x, x + radius + 1, x, 0, False), 2 * radius + 2


def _legend(svg: _Svg, y: float, shown: Iterable[str]) -> float:
    """The key to the marks that this chart shows, and to no others, flowed into lines; returns the y below."""
    present = set(shown)
    items = [q for q in QUALIFIERS if q in present]
    if not items:
        return y
    css = "fs-small"
    line_height = 20.0
    x, cy = float(TEXT_X), y + 12
    for qualifier in items:
        words = QUALIFIERS[qualifier].key
        icon_width = _key_icon(qualifier, 0, 0)[1]
        width = icon_width + 6 + text_width(words, SIZES[css])
        if x > TEXT_X and x + width > svg.width - TEXT_RIGHT:
            x, cy = float(TEXT_X), cy + line_height
        svg.raw(f'<g class="fs-key" data-mark="{xml_escape(qualifier)}">' + _key_icon(qualifier, x, cy)[0])
        svg.text(x + icon_width + 6, cy + 4, words, css)
        svg.raw("</g>")
        x += width + 12
    return cy + 12


# --- Casualty comparison ------------------------------------------------------

def _where(tally: Tally, sheet: Sheet) -> str | None:
    return f"at {sheet.place_by_id[tally.where].name}" if tally.where else None


def _group_label(tally: Tally, sheet: Sheet) -> str:
    claimant = sheet.claimant_of(tally).label
    part = f"part: {tally.part}" if tally.part else None
    details = [d for d in (part, tally.scope, _where(tally, sheet)) if d]
    suffix = f" ({'; '.join(details)})" if details else ""
    return f"{claimant}: {tally.figure()}{suffix}"


def _capital(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}"


def _measure(tally: Tally) -> str:
    return _capital(tally.counts) + (f" ({tally.unit})" if tally.unit else "")


def _coverage_words(tallies: Iterable[Tally]) -> str:
    """What a panel's figures cover, in plain words."""
    kinds = {t.coverage for t in tallies}
    if kinds == {"event"}:
        return "in all"
    if kinds == {"site"}:
        return "at one site"
    if kinds == {"part"}:
        return "one part of the count"
    return "at one site, or one part of the count"


def _panels(tallies: Sequence[Tally]) -> list[list[Tally]]:
    """The tallies by what they count and in what unit, and then whole-event totals apart from the rest.

    A site's total or a part of the count (the children among the dead) never
    shares an axis with whole-event totals: side by side, it would read as a
    claim about the whole event.
    """
    groups: dict[tuple[str, str, bool], list[Tally]] = {}
    for tally in tallies:
        groups.setdefault((tally.counts, tally.unit or "", tally.coverage != "event"), []).append(tally)
    order = list(dict.fromkeys((t.counts, t.unit or "") for t in tallies))
    return [groups[(*measure, apart)] for measure in order for apart in (False, True) if (*measure, apart) in groups]


def _heading(rows: Sequence[Tally]) -> str:
    return f"{_measure(rows[0])} — {_coverage_words(rows)}"


def casualty_chart(sheet: Sheet, tallies: Sequence[Tally] | None = None, chart_id: str = "figures",
                   width: float = NARROW) -> str:
    """One panel per thing counted and coverage, one row per claimant's figure, each panel on its own axis.

    Whole-event totals are one panel, ordered from the smallest figure; the
    same count at one site or for one part (children, police) is another,
    grouped by site and part. Empty when there is no figure to draw.
    """
    chosen = list(tallies if tallies is not None else sheet.event_tallies())
    if not chosen:
        return ""
    rank = {"event": 0, "site": 1, "part": 2}
    panels = []
    for panel in _panels(chosen):
        rows = sorted(panel, key=lambda t: (rank[t.coverage], t.part or "", _where(t, sheet) or "", t.magnitude,
                                            t.floor, t.id))
        panels.append((_heading(rows), [(_group_label(t, sheet), t) for t in rows]))
    intro = ("Each figure with who gave it, one row each, with totals for the whole attack apart from figures "
             "for one site or one part of the count.")
    return _drawn(chart_id, width, "Figures, by who gave them", intro, panels, {t.qualifier for t in chosen})


def _key_words(qualifiers: AbstractSet[str]) -> str:
    return "Marks: " + "; ".join(f"{meaning.key}: {meaning.mark}" for q, meaning in QUALIFIERS.items()
                                 if q in qualifiers) + "."


def _reported(sheet: Sheet, claim: Claim) -> str:
    """A row of a chart over time: when, in which outlet (unless the claimant's name says it), who, what.

    The outlet tells apart two rows of one claimant ("Iraq's Health Ministry: 292" in two reports).
    """
    outlet = " / ".join(claim.source.publishers)
    who = _group_label(claim.tally, sheet)
    where = "" if who.startswith(outlet) or f"({outlet})" in who else f", in {outlet}"
    return f"{sheet.appeared(claim.source)}{where}: {who}{_standing(sheet, claim.tally)}"


def claims_chart(sheet: Sheet, claims: Sequence[Claim], chart_id: str, width: float = NARROW) -> str:
    """One count as it was reported over time: a row per figure, oldest first, one axis per coverage and unit."""
    if not claims:
        return ""
    counts = claims[0].tally.counts
    label_of = {c.tally.id: _reported(sheet, c) for c in claims}
    panels = [(f"{_heading(panel)}, as reported over time", [(label_of[t.id], t) for t in panel])
              for panel in _panels([c.tally for c in claims])]
    intro = ("Each figure by when it was first reported, as far as the reports' dates and times tell (reports "
             "of one day without a time may have come in any order), with who gave it and the report.")
    return _drawn(chart_id, width, f"{_capital(counts)} as reported over time", intro, panels,
                  {c.tally.qualifier for c in claims})


def _drawn(chart_id: str, width: float, title: str, intro: str,
           panels: Sequence[tuple[str, Sequence[tuple[str, Tally]]]], qualifiers: AbstractSet[str]) -> str:
    """Panels in pieces of at most :data:`PAGE_ROWS` rows, in ``<svg>`` drawings of at most :data:`HALF_PAGE` units.

    Paper breaks between drawings, never through one; a drawing that does not fit the rest
    of a page moves to the next and leaves less than half of it blank. A panel cut in two
    repeats its heading ("continued") and keeps its axis's scale; every drawing has its own
    title and description, the last the key.
    """
    pieces: list[tuple[str, Sequence[tuple[str, Tally]], float]] = []
    for heading, rows in panels:
        top = _top(rows)
        count = math.ceil(len(rows) / PAGE_ROWS)
        size = math.ceil(len(rows) / count)  # pieces of even size: no lone row at the end
        pieces += [(heading if n == 0 else f"{heading} (continued)", rows[n * size:(n + 1) * size], top)
                   for n in range(count)]
    drawings: list[list[tuple[str, Sequence[tuple[str, Tally]], float]]] = [[]]
    height = 0.0
    for piece in pieces:
        # How tall the piece is, drawn on its own at this width.
        own = _panel(_Svg("", [], width), 0.0, *piece) + 10
        if drawings[-1] and height + own > HALF_PAGE:
            drawings.append([])
            height = 0.0
        drawings[-1].append(piece)
        height += own
    drawn = []
    for number, drawing in enumerate(drawings, 1):
        svg = _Svg(chart_id if number == 1 else f"{chart_id}-{number}", [], width)
        y = 4.0
        for heading, rows, top in drawing:
            y = _panel(svg, y, heading, rows, top) + 10
        last = number == len(drawings)
        if last:
            y = _legend(svg, y, qualifiers)
        said = " ".join(f"{heading}: " + "; ".join(label for label, _ in rows) + "." for heading, rows, _ in drawing)
        description = " ".join(part for part in (intro if number == 1 else "", said,
                                                 _key_words(qualifiers) if last else "") if part)
        drawn.append(svg.render(y + 6, title if number == 1 else f"{title} (continued)", description))
    return "".join(drawn)


def _top(rows: Sequence[tuple[str, Tally]]) -> float:
    """The largest value a panel's axis must reach."""
    return max(max(t.reading[1] or 0, t.reading[0], t.value or 0) for _, t in rows)


def _standing(sheet: Sheet, tally: Tally) -> str:
    status = sheet.status(tally)
    return "" if status == "current" else f" ({status})"


def _value_axis(top: float, svg: _Svg) -> tuple[float, float]:
    """The axis's top value and its step: as many ticks as fit with their numbers apart."""
    span = max(top * 1.1, 1)
    for ticks in (5, 4, 3, 2, 1):
        step = max(1, _nice_step(span, ticks))  # counts are whole: no tick between two numbers
        axis_max = step * math.ceil(span / step)
        gap = (svg.x_max - X0) * step / axis_max
        if gap >= text_width(f"{axis_max:,.0f}", SIZES["fs-small"]) + 10:
            break
    return axis_max, step


def _panel(svg: _Svg, y: float, heading: str, rows: Sequence[tuple[str, Tally]], top: float) -> float:
    """A heading, one row per figure (its label over its mark), and the axis they share; returns the y below.

    ``top`` is the largest value of the whole panel, of which ``rows`` may be a piece.
    """
    axis_max, step = _value_axis(top, svg)
    x_of = _scale(0, axis_max, X0, svg.x_max)
    y = svg.lines(TEXT_X, y + 16, heading, "fs-heading") + 8
    ticks = [(x_of(v), f"{v:,.0f}") for v in _frange(0, axis_max, step)]
    if len(rows) > TALL:
        # A tall panel is read from its top too, and may be printed across a page break.
        y = _axis(svg, y, ticks, above=True)
    grid = len(svg.parts)
    svg.raw("")
    first = y
    for index, (label, tally) in enumerate(rows):
        svg.raw(f'<g class="fs-row" data-mark="{xml_escape(tally.qualifier)}"><title>{xml_escape(label)}</title>')
        mark_y, y = _row(svg, y, label, index, keep=(tally.figure(),))
        _figure_mark(svg, tally, x_of, mark_y)
        svg.raw("</g>")
    svg.parts[grid] = "".join(f'<line x1="{x:.1f}" y1="{first:.1f}" x2="{x:.1f}" y2="{y:.1f}" {GRID_LINE}/>'
                              for x, _ in ticks)
    return _axis(svg, y, ticks)


def _frange(start: float, stop: float, step: float) -> Iterable[float]:
    count = round((stop - start) / step)
    return (start + i * step for i in range(count + 1))


def _scale(low: float, high: float, x0: float, x1: float) -> Callable[[float], float]:
    span = (high - low) or 1
    return lambda v: x0 + (v - low) / span * (x1 - x0)


def _axis(svg: _Svg, y: float, ticks: Sequence[tuple[float, str]], *, above: bool = False) -> float:
    """An axis line with its ticks, labels below it (``above``: over it, to head a tall panel); returns the y below.

    Labels are thinned until they stand apart, and kept inside the chart.
    """
    if above:
        line_y, tick_y, label_y = y + 18, y + 14, y + 11
    else:
        line_y, tick_y, label_y = y, y + 4, y + 16
    svg.raw(f'<line x1="{X0 - 8}" y1="{line_y:.1f}" x2="{svg.x_open + 8:.1f}" y2="{line_y:.1f}" {AXIS_LINE}/>')
    size = SIZES["fs-small"]
    widest = max((text_width(text, size) for _, text in ticks), default=0)
    every = 1
    while every < len(ticks) and any(b[0] - a[0] < widest + 8 for a, b in zip(ticks[::every], ticks[every::every],
                                                                               strict=False)):
        every += 1
    for x, label in ticks[::every]:
        svg.raw(f'<line x1="{x:.1f}" y1="{line_y:.1f}" x2="{x:.1f}" y2="{tick_y:.1f}" {AXIS_LINE}/>')
        half = text_width(label, size) / 2
        svg.text(min(max(x, half + 2), svg.width - half - 2), label_y, label, "fs-small", "middle")
    return y + 24


# --- Timeline -----------------------------------------------------------------

def _day_ticks(first: date, last: date) -> list[tuple[date, str]]:
    days = (last - first).days
    if days <= 62:
        step = max(1, math.ceil(days / 5))
        days_shown = [first + timedelta(d) for d in range(0, days + 1, step)]
        return [(d, f"{d.day} {calendar.month_abbr[d.month]}") for d in days_shown]
    if days <= 3 * 366:
        months = []
        cursor = date(first.year, first.month, 1)
        while cursor <= last:
            if cursor >= first:
                months.append(cursor)
            cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        step = max(1, math.ceil(len(months) / 5))
        return [(m, f"{calendar.month_abbr[m.month]} {m.year}") for m in months[::step]]
    years = list(range(first.year + (first != date(first.year, 1, 1)), last.year + 1))
    step = max(1, math.ceil(len(years) / 6))
    return [(date(y, 1, 1), str(y)) for y in years[::step]]


@dataclass(frozen=True)
class _Dated:
    """An event on the timeline: its period, and its time of day if the source gives one."""

    item: Event
    period: Period
    time: str | None
    when: str  # the date in words, a time in the event place's zone (Sheet.when)

    @property
    def minute(self) -> int | None:
        if self.time is None:
            return None
        hours, minutes = self.time.split(":")
        return int(hours) * 60 + int(minutes)

    @property
    def label(self) -> str:
        return f"{self.when}: {self.item.title}"


def _shows_something(items: Sequence[_Dated]) -> bool:
    """True when the items do not all sit on one spot: they start on several days, or some give a time of day."""
    return len({(d.period.start, d.minute) for d in items}) > 1


def _lane(svg: _Svg, y: float, heading: str, items: Sequence[_Dated], href: dict[str, str]) -> float:
    """A heading, one linked row per item (its label over its mark), and a time axis; returns the y below.

    With a time of day and a span of three days or less, the axis is in hours:
    a timed item is a dot at its time, and a day without a time a bar across
    that day. Otherwise a day is a dot and anything longer a bar.
    """
    first = min(d.period.start for d in items)
    last = max(d.period.end for d in items) + timedelta(days=1)
    total = max((last - first).days, 1) * 1440
    hourly = total <= 3 * 1440 and any(d.time for d in items)
    x0, x1 = X0 - 4, svg.x_open + 4

    def x_of(day: date, minute: float = 0) -> float:
        return x0 + ((day - first).days * 1440 + minute) / total * (x1 - x0)

    y = svg.lines(TEXT_X, y + 16, heading, "fs-heading") + 8
    for index, dated in enumerate(items):
        period, item = dated.period, dated.item
        svg.raw(f'<a href="{xml_escape(href[item.id])}"><title>{xml_escape(dated.label)}</title>')
        mark_y, y = _row(svg, y, dated.label, index, "fs-label fs-link", (period.display(),))
        if dated.minute is not None:
            svg.raw(f'<circle cx="{x_of(period.start, dated.minute):.1f}" cy="{mark_y:.1f}" {DOT}/>')
        elif period.precision == "day" and not period.approximate and not hourly:
            svg.raw(f'<circle cx="{x_of(period.start, 720):.1f}" cy="{mark_y:.1f}" {DOT}/>')
        else:
            start, end = x_of(period.start), x_of(period.end + timedelta(days=1))
            style = APPROX if period.approximate else BAR
            svg.raw(f'<rect x="{start:.1f}" y="{mark_y - 4:.1f}" width="{max(end - start, 3):.1f}" height="8" '
                    f'{style}/>')
        svg.raw("</a>")
    if hourly:
        every = next(h for h in (1, 2, 3, 6, 12, 24) if total / 60 / h <= 8)
        moments = [(first + timedelta(days=m // 1440), m % 1440) for m in range(0, total + 1, every * 60)]
        ticks = [(x_of(day, minute), f"{day.day} {calendar.month_abbr[day.month]}" if minute == 0
                  else f"{minute // 60:02d}:00") for day, minute in moments]
    else:
        noon = 720 if (last - first).days <= 62 else 0
        ticks = [(x_of(day, noon), text) for day, text in _day_ticks(first, last - timedelta(days=1))]
    return _axis(svg, y, ticks)


def timeline_chart(sheet: Sheet, chart_id: str = "timeline", width: float = NARROW) -> str:
    """The event's own days on a time axis (background stays on the Context page, in words).

    Empty when the events all sit on one spot (every event on one day, none with a
    time of day): a row of identical dots says nothing the list below does not.
    """
    svg = _Svg(chart_id, [], width)
    events = [_Dated(e, e.date.period, e.date.time, sheet.when(e.date)) for e in sheet.timeline()]
    if not _shows_something(events):
        return ""
    href = {d.item.id: f"#{fragment(d.item.id, 'event')}" for d in events}
    # An axis in hours is in the event place's zone, as every time the pages give.
    zone = f" ({zone_label(sheet.info.timezone)})" if sheet.info.timezone and any(d.time for d in events) else ""
    y = _lane(svg, 4.0, f"The event{zone}", events, href) + 10
    description = ("; ".join(d.label for d in events) + ". A dot is a single day, or a time of day; a bar is a "
                   "longer or less precise period; a dashed outline is approximate.")
    return svg.render(y, "Timeline of the event", description, role="group")



def both(make: Callable[[str, float], str], chart_id: str) -> str:
    """A chart drawn by ``make(id, width)`` for a phone's column and for a desktop's, each with ids of its own.

    Page CSS shows one (``fs-chart--narrow`` or ``--wide``) and hides the other, from
    screen readers too. Empty when there is nothing to draw.
    """
    narrow = make(chart_id, NARROW)
    return narrow + make(f"{chart_id}-wide", WIDE) if narrow else ""
