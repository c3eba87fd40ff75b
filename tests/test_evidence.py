"""Quote lookup in archived source text."""

from __future__ import annotations

import unicodedata

import pytest

from generator.evidence import MIN_QUOTE_LETTERS, SourceText, normalize, too_short
from generator.numbers import numbers_in


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


ARTICLE = SourceText('Three blasts killed more than 32 people. He called it "a message".')


@pytest.mark.parametrize("quote", [
    "Three blasts killed more than 3",  # ends inside "32"
    "hree blasts killed",  # starts inside "Three"
    "killed more than 32 peop",
    "He call",
])
def test_a_quote_must_not_start_or_end_inside_a_word(quote: str) -> None:
    assert not ARTICLE.contains(quote)
    assert ARTICLE.partial_word(quote) is not None


def test_partial_word_names_the_whole_words() -> None:
    assert ARTICLE.partial_word("Three blasts killed more than 3") == "Three blasts killed more than 32"
    assert ARTICLE.partial_word("hree blasts") == "Three blasts"
    assert ARTICLE.partial_word("Three blasts") is None  # found whole
    assert ARTICLE.partial_word("Four blasts") is None  # not there at all


@pytest.mark.parametrize("quote", [
    "Three blasts killed more than 32",
    "more than 32 people.",  # ends in punctuation
    '"a message".',  # starts with a quote mark
    "\u201ca message\u201d",  # typographic quote marks
    "32 people. He",  # across a sentence end
    "called it \"a",
])
def test_whole_word_quotes_still_match(quote: str) -> None:
    assert ARTICLE.contains(quote)


@pytest.mark.parametrize(("quote", "short"), [
    (".", True), ("a", True), ("32", True), ("the", True), ("  ...  ", True), ("a b", True),
    ("CITY", False), ("32 people", False), ("He said", False),
])
def test_a_quote_needs_at_least_four_letters_or_digits(quote: str, short: bool) -> None:
    assert MIN_QUOTE_LETTERS == 4
    assert too_short(quote) is short


@pytest.mark.parametrize(("text", "numbers"), [
    ("Three blasts killed more than 32 people", {3, 32}),
    ("thirty-two dead", {32}),
    ("thirty two dead", {32}),
    ("a dozen dead, two dozen wounded, half a dozen missing", {12, 24, 6}),
    ("hundreds of people, dozens more, thousands fled", set()),
    ("between 5,000 and 13,000 people", {5000, 13000}),
    ("an estimated 200,000 people had fled", {200000}),
    ("a hundred and twenty", {120}),
    ("three hundred and fifty", {350}),
    ("two thousand three hundred", {2300}),
    ("1.2 million", {1200000}),
    ("1.2 miles apart", set()),
    ("a senior officer and at least 31 others", {31}),
    ("one two", {1, 2}),
])
def test_numbers_in_digits_and_words(text: str, numbers: set[int]) -> None:
    assert numbers_in(text) == numbers


def test_a_huge_run_of_digits_is_no_number_and_no_crash() -> None:
    assert numbers_in("1" * 5000 + " and 32 people") == {32}


def test_unicode_normal_forms_and_invisible_marks_do_not_matter() -> None:
    composed = "Le préfet a dit"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert SourceText(f"{decomposed} que trois explosions.").contains(composed)
    assert SourceText(f"{composed} que trois explosions.").contains(decomposed)
    assert SourceText("al-\u200fWaer district, said").contains("al-Waer district")
