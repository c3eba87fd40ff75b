"""Dates of uneven precision, and the relative words sources use for them.

Values are a small subset of EDTF: ``2017-02-25`` (day), ``2017-02`` (month),
``2016`` (year), ``2011/2015`` (interval of any two of those), each optionally
followed by ``~`` for approximate.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Precision = Literal["day", "month", "year", "interval"]

# Every date a sheet may hold. Bounded so that date arithmetic (relative
# words, chart axes, day ticks) can never leave what Python's dates hold.
YEAR_MIN, YEAR_MAX = 1000, 2999
_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(~)?$")
_WEEKDAYS = [d.lower() for d in calendar.day_name]
_MONTHS = list(calendar.month_name)
# Words that mean the day of publication itself.
_SAME_DAY = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b")


@dataclass(frozen=True, order=True)
class Period:
    """A resolved date: the first and last day it may cover, and how precise it is."""

    start: date
    end: date
    precision: Precision
    approximate: bool = False
    # For intervals: how precisely each end was written (``2011/2015-06``).
    start_precision: Precision = "day"
    end_precision: Precision = "day"

    def same_span(self, other: Period) -> bool:
        """True when both cover exactly the same days."""
        return (self.start, self.end) == (other.start, other.end)

    def display(self) -> str:
        """Words for a reader: ``25 February 2017``, ``February 2017``, ``2011 to 2015``."""
        if self.precision == "interval":
            start = _display_part(self.start, self.start_precision)
            text = f"{start} to {_display_part(self.end, self.end_precision)}"
        else:
            text = _display_part(self.start, self.precision)
        return f"about {text}" if self.approximate else text

    def iso(self) -> str:
        """The EDTF-style value that denotes this period."""
        if self.precision == "interval":
            text = f"{self.start.isoformat()}/{self.end.isoformat()}"
        elif self.precision == "year":
            text = f"{self.start.year:04d}"
        elif self.precision == "month":
            text = f"{self.start.year:04d}-{self.start.month:02d}"
        else:
            text = self.start.isoformat()
        return text + ("~" if self.approximate else "")


def long_date(day: date) -> str:
    """A day in words: ``25 February 2017``."""
    return _display_part(day, "day")


def _display_part(day: date, precision: Precision) -> str:
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{_MONTHS[day.month]} {day.year}"
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def _parse_part(text: str, *, first: bool) -> tuple[date, Precision, bool]:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD, optionally ending in ~")
    year, month, day, approx = match.groups()
    y = int(year)
    if not YEAR_MIN <= y <= YEAR_MAX:
        raise ValueError(f"{text!r} is out of range: years go from {YEAR_MIN} to {YEAR_MAX}")
    try:
        if day is not None:
            return date(y, int(month), int(day)), "day", bool(approx)
        if month is not None:
            m = int(month)
            moment = date(y, m, 1) if first else date(y, m, calendar.monthrange(y, m)[1])
            return moment, "month", bool(approx)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date: {exc}") from None
    return (date(y, 1, 1) if first else date(y, 12, 31)), "year", bool(approx)


@functools.lru_cache(maxsize=8192)
def parse_date(value: str) -> Period:
    """Parse an EDTF-subset value into a :class:`Period`; raise ``ValueError`` with a readable reason."""
    value = value.strip()
    if "/" in value:
        left, _, right = value.partition("/")
        start, start_precision, approx_start = _parse_part(left, first=True)
        end, end_precision, approx_end = _parse_part(right, first=False)
        if end < start:
            raise ValueError(f"interval {value!r} ends before it starts")
        return Period(start, end, "interval", approx_start or approx_end, start_precision, end_precision)
    start, precision, approx = _parse_part(value, first=True)
    end = _parse_part(value, first=False)[0]
    return Period(start, end, precision, approx, precision, precision)


def check_year(day: date) -> date:
    """``day`` itself, or ``ValueError`` when it lies outside the years a sheet may hold."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise ValueError(f"{day.isoformat()} is out of range: years go from {YEAR_MIN} to {YEAR_MAX}")
    return day


def resolve_relative(as_written: str, anchor: date) -> Period | None:
    """Resolve a source's relative wording against its publication date.

    Returns ``None`` for wording that is not relative (``in 2015``) or not
    known; the rules are documented in the README's authoring notes.
    """
    words = re.findall(r"[a-z]+", as_written.lower())
    phrase = " ".join(words)
    for index, name in enumerate(_WEEKDAYS):
        if name in words:
            # A weekday named in a report is the latest such day up to publication.
            back = (anchor.weekday() - index) % 7
            day = anchor - timedelta(days=back)
            return parse_date(day.isoformat())
    if "yesterday" in words:
        return parse_date((anchor - timedelta(days=1)).isoformat())
    if _SAME_DAY.search(phrase):
        # "today", "tonight", "this morning": the day the report was published.
        return parse_date(anchor.isoformat())
    if "last year" in phrase:
        return parse_date(f"{anchor.year - 1:04d}")
    if "this year" in phrase:
        return parse_date(f"{anchor.year:04d}")
    if "this month" in phrase:
        return parse_date(f"{anchor.year:04d}-{anchor.month:02d}")
    if "last month" in phrase:
        previous = anchor.replace(day=1) - timedelta(days=1)
        return parse_date(f"{previous.year:04d}-{previous.month:02d}")
    if "last week" in phrase:
        # News usage is loose: from the Monday of the previous calendar week up
        # to the day before publication, and marked approximate.
        monday = anchor - timedelta(days=anchor.weekday() + 7)
        return parse_date(f"{monday.isoformat()}/{(anchor - timedelta(days=1)).isoformat()}~")
    return None
