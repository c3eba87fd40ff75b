"""When something happened or appeared, as an interval of instants: as precise as the source, no more.

A report stamped with a day is somewhere in that day; with a time but no
known zone, somewhere within the 26 hours the world's zones span. Order over
time is only "known" when two intervals do not overlap: :func:`in_order`
groups the rest as "order unknown" instead of inventing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .dates import Period, long_date

# The zone a source may give when its page shows a time whose zone is not known.
UNKNOWN_ZONE = "unknown"
# The world's UTC offsets run from -12:00 to +14:00.
_EAST = timedelta(hours=14)
_WEST = timedelta(hours=12)
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2})(?::?([0-5]\d))?$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*$")
ZONE_HELP = ("`UTC`, `GMT`, an offset from UTC between -12:00 and +14:00 (`UTC+3`, `UTC-04:30`), an IANA name "
             "(`Asia/Baghdad`), or `unknown`")


@dataclass(frozen=True)
class Zone:
    """A time zone as a source writes it; ``clock`` is ``None`` when the zone is unknown."""

    written: str
    clock: tzinfo | None

    @property
    def known(self) -> bool:
        """Whether local times in this zone name one instant."""
        return self.clock is not None


def parse_zone(text: str) -> Zone:
    """The zone a source names, or ``ValueError`` saying what a zone may be."""
    written = text.strip()
    if written.lower() == UNKNOWN_ZONE:
        return Zone(UNKNOWN_ZONE, None)
    if written.upper() in ("UTC", "GMT", "Z"):
        return Zone(written, UTC)
    offset = _OFFSET.match(written)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > (_EAST if sign == "+" else _WEST):
            raise ValueError(f"time zone {written!r} is beyond the world's offsets (-12:00 to +14:00)")
        return Zone(written, timezone(delta if sign == "+" else -delta))
    if _NAME.match(written):
        try:
            return Zone(written, ZoneInfo(written))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValueError(f"unknown time zone {written!r}; write {ZONE_HELP}")


@dataclass(frozen=True)
class Moment:
    """The instants something may have happened at: from ``earliest`` up to, not including, ``latest`` (UTC)."""

    earliest: datetime
    latest: datetime

    def known_before(self, other: Moment) -> bool:
        """True only when every instant of this moment is before every instant of ``other``."""
        return self.latest <= other.earliest

    def local_days(self, zone: Zone) -> list[date]:
        """The calendar days this moment touches in a known zone, in order."""
        clock = zone.clock or UTC
        first = self.earliest.astimezone(clock).date()
        last = (self.latest - timedelta(microseconds=1)).astimezone(clock).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    @property
    def key(self) -> tuple[datetime, datetime]:
        """A sort key: earlier starts first, then the more precise."""
        return self.earliest, self.latest


def moment_of(period: Period, time: str | None, zone: Zone | None) -> Moment:
    """The instants a date (and a time of day, for a day's date) may stand for in ``zone`` (``None``: unknown)."""
    if time is None:
        start = datetime.combine(period.start, datetime.min.time())
        end = datetime.combine(period.end + timedelta(days=1), datetime.min.time())
    else:
        hours, minutes = (int(part) for part in time.split(":"))
        start = datetime.combine(period.start, datetime.min.time()) + timedelta(hours=hours, minutes=minutes)
        end = start + timedelta(minutes=1)
    if zone is None or zone.clock is None:
        # Local time somewhere on earth: from the first zone to start the day to the last.
        return Moment(start.replace(tzinfo=UTC) - _EAST, end.replace(tzinfo=UTC) + _WEST)
    return Moment(start.replace(tzinfo=zone.clock).astimezone(UTC), end.replace(tzinfo=zone.clock).astimezone(UTC))


def zone_label(written: str) -> str:
    """A zone as readers know it: ``Asia/Baghdad`` is "Baghdad time"; an offset or UTC as written."""
    if "/" in written:
        return written.rsplit("/", 1)[1].replace("_", " ") + " time"
    return written


def local_words(day: date, time: str, written: str | None, event_zone: str | None) -> str:
    """A day and time of day in the event place's zone, the way every page says it.

    ``written`` is the zone the time was given in (``None``: the event place's own);
    ``event_zone`` the sheet's zone. "3 July 2016, 02:14 Baghdad time (23:14 GMT, 2 July
    2016)": the time in the event's zone first, then as given when that differs, so a
    reader sees at once how it falls against the event. A time whose zone is not known
    cannot be moved to another zone: it is shown as given, and said to be so.
    """
    zone = written or event_zone
    if zone is None:
        return f"{long_date(day)}, {time} local time"
    if zone == UNKNOWN_ZONE:
        return f"{long_date(day)}, {time} (its time zone is not known)"
    given = parse_zone(zone)
    event = parse_zone(event_zone) if event_zone and event_zone != UNKNOWN_ZONE else None
    if event is None or event.clock is None or given.clock is None:
        return f"{long_date(day)}, {time} {zone_label(zone)}"
    hours, minutes = (int(part) for part in time.split(":"))
    instant = datetime.combine(day, datetime.min.time()).replace(hour=hours, minute=minutes, tzinfo=given.clock)
    there = instant.astimezone(event.clock)
    shown = f"{long_date(there.date())}, {there:%H:%M} {zone_label(event.written)}"
    if zone == event_zone or instant.utcoffset() == there.utcoffset():
        return shown
    other_day = f", {long_date(day)}" if day != there.date() else ""
    return f"{shown} ({time} {zone_label(zone)}{other_day})"


T = TypeVar("T")
# A moment longer than this (a report known only by its month or year) orders nothing: set
# beside every report of its month, it would make the whole month "order unknown".
_PRECISE = timedelta(days=3)


@dataclass(frozen=True)
class Ordered(Generic[T]):
    """Items in groups of known order over time, and those known only to the month or year.

    Within a group the order is unknown; so is the place of the vague items among the others.
    """

    groups: list[list[T]]
    vague: list[T]

    @property
    def flat(self) -> list[T]:
        """Every item, the groups in order, then the vague ones."""
        return [item for group in self.groups for item in group] + self.vague


def in_order(items: Iterable[T], moment: Callable[[T], Moment]) -> Ordered[T]:
    """Items in groups whose order over time is known; within a group it is not.

    Sorted by earliest instant, a new group starts only where an item is
    known to come after every item before it, so no order is invented.
    """
    groups: list[list[T]] = []
    vague: list[T] = []
    reach: datetime | None = None
    for item in sorted(items, key=lambda i: moment(i).key):
        span = moment(item)
        if span.latest - span.earliest > _PRECISE:
            vague.append(item)
        elif groups and reach is not None and reach > span.earliest:
            groups[-1].append(item)
        else:
            groups.append([item])
        if span.latest - span.earliest <= _PRECISE:
            reach = span.latest if reach is None else max(reach, span.latest)
    return Ordered(groups, vague)
