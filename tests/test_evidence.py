"""Quote lookup in archived source text."""

from __future__ import annotations

from generator.evidence import SourceText, normalize


def test_normalize_folds_quote_marks_and_space() -> None:
    assert normalize("  Syria\u2019s \u201cbest\u201d\n officers ") == "Syria's \"best\" officers"


def test_contains_ignores_line_breaks_and_typography() -> None:
    text = SourceText("He said the attacks were a message from the \"sponsors\nof terrorism\".")
    assert text.contains("message from the \u201csponsors of terrorism\u201d")
    assert not text.contains("message from the sponsors of terrorism")
    assert not text.contains("   ")


def test_closest_passage_for_a_near_miss() -> None:
    text = SourceText("Three blasts killed more than 32 people. The sky was blue.")
    assert text.closest("three blasts killed more than 33 people") == "Three blasts killed more than 32 people."
