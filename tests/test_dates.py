"""Dates of uneven precision and relative wording."""

from __future__ import annotations

from datetime import date

import pytest

from generator.dates import parse_date, resolve_relative
from generator.moments import local_words

PUBLISHED = date(2017, 2, 26)  # a Sunday


@pytest.mark.parametrize(("value", "start", "end", "precision", "shown"), [
    ("2017-02-25", date(2017, 2, 25), date(2017, 2, 25), "day", "25 February 2017"),
    ("2017-02", date(2017, 2, 1), date(2017, 2, 28), "month", "February 2017"),
    ("2016", date(2016, 1, 1), date(2016, 12, 31), "year", "2016"),
    ("2011/2015", date(2011, 1, 1), date(2015, 12, 31), "interval", "2011 to 2015"),
    ("2012-07~", date(2012, 7, 1), date(2012, 7, 31), "month", "about July 2012"),
])
def test_parse(value: str, start: date, end: date, precision: str, shown: str) -> None:
    period = parse_date(value)
    assert (period.start, period.end, period.precision, period.display()) == (start, end, precision, shown)


@pytest.mark.parametrize(("value", "reason"), [
    ("2017-02-30", "not a real date"),
    ("2015/2011", "ends before it starts"),
    ("25 Feb 2017", "not a date"),
    ("2017-13", "not a real date"),
])
def test_impossible_dates_are_rejected(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(value)


@pytest.mark.parametrize(("words", "expected"), [
    ("Saturday", "2017-02-25"),
    ("early Saturday", "2017-02-25"),
    ("Sunday", "2017-02-26"),
    ("last year", "2016"),
    ("this month", "2017-02"),
    ("last month", "2017-01"),
    ("yesterday", "2017-02-25"),
    ("today", "2017-02-26"),
    ("Today", "2017-02-26"),
    ("earlier today", "2017-02-26"),
    ("tonight", "2017-02-26"),
    ("this morning", "2017-02-26"),
    ("early this morning", "2017-02-26"),
    ("this afternoon", "2017-02-26"),
    ("this evening", "2017-02-26"),
    ("Saturday morning", "2017-02-25"),
    ("last week", "2017-02-13/2017-02-25"),
])
def test_relative_words_resolve_against_publication(words: str, expected: str) -> None:
    resolved = resolve_relative(words, PUBLISHED)
    assert resolved is not None
    assert resolved.same_span(parse_date(expected))


def test_last_week_is_marked_approximate() -> None:
    resolved = resolve_relative("last week", PUBLISHED)
    assert resolved is not None and resolved.approximate


def test_absolute_wording_is_not_resolved() -> None:
    assert resolve_relative("in 2015", PUBLISHED) is None


@pytest.mark.parametrize("words", ["today", "tonight", "this morning", "this afternoon", "this evening"])
def test_words_for_the_day_of_publication_are_that_day_not_another(words: str) -> None:
    resolved = resolve_relative(words, PUBLISHED)
    assert resolved is not None and resolved.precision == "day" and not resolved.approximate
    assert not resolved.same_span(parse_date("2017-02-25"))


@pytest.mark.parametrize(("day", "time", "written", "event", "words"), [
    # In the event's zone, said by its place: no second time when the report's zone tells the same.
    (date(2016, 7, 3), "01:00", "UTC+3", "Asia/Baghdad", "3 July 2016, 01:00 Baghdad time"),
    (date(2016, 7, 3), "01:00", None, "Asia/Baghdad", "3 July 2016, 01:00 Baghdad time"),
    # Another zone: moved to the event's, the report's own in parentheses, its day too when it differs.
    (date(2016, 7, 4), "12:00", "GMT", "Asia/Baghdad", "4 July 2016, 15:00 Baghdad time (12:00 GMT)"),
    (date(2016, 7, 2), "23:14", "GMT", "Asia/Baghdad", "3 July 2016, 02:14 Baghdad time (23:14 GMT, 2 July 2016)"),
    (date(2019, 4, 25), "12:42", "UTC-4", "Asia/Colombo", "25 April 2019, 22:12 Colombo time (12:42 UTC-4)"),
    # A zone not known cannot be moved: shown as given, and said to be so.
    (date(2016, 7, 2), "23:14", "unknown", "Asia/Baghdad", "2 July 2016, 23:14 (its time zone is not known)"),
    # A sheet without a zone: the place's local time, or the report's zone as written.
    (date(2017, 2, 25), "22:40", None, None, "25 February 2017, 22:40 local time"),
    (date(2017, 2, 25), "22:40", "UTC+2", None, "25 February 2017, 22:40 UTC+2"),
])
def test_times_are_shown_in_the_event_places_zone(
        day: date, time: str, written: str | None, event: str | None, words: str) -> None:
    assert local_words(day, time, written, event) == words
