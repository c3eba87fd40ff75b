"""Quote lookup in archived source text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.evidence import MIN_QUOTE_LETTERS, SourceText, difference, normalize, too_short
from generator.numbers import WRITTEN_NUMBER, is_word_character, number_around, numbers_in


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
    assert ARTICLE.cut(quote) is not None


def test_cut_names_the_whole_words_and_whether_a_number_was_cut() -> None:
    assert ARTICLE.cut("Three blasts killed more than 3") == ("Three blasts killed more than 32", True)
    assert ARTICLE.cut("hree blasts") == ("Three blasts", True)  # "three" is a number too
    assert ARTICLE.cut("lasts killed") == ("blasts killed", False)
    assert ARTICLE.cut("Three blasts") is None  # found whole
    assert ARTICLE.cut("Four blasts") is None  # not there at all


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


def test_a_whole_word_occurrence_after_a_cut_one_is_found() -> None:
    # The first "more than 3" ends inside "32"; the second stands whole.
    text = SourceText("Police said more than 32 died; doctors said more than 3 of them were children.")
    assert text.contains("more than 3")
    assert not SourceText("Police said more than 32 died; more than 35 were hurt.").contains("more than 3")


# Letters, digits (Arabic-Indic among them), a combining accent, marks, the underscore and space,
# the separators numbers are written with, and letters of number words.
WORDS_AND_MARKS = "ab 3.\"é_-ß\u0301\u0663\n\u2019,/%\u066cone"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=WORDS_AND_MARKS, max_size=30), st.text(alphabet=WORDS_AND_MARKS, min_size=1, max_size=6))
def test_whole_word_matching_agrees_with_its_definition(text: str, quote: str) -> None:
    # The definition: an occurrence with no word character just before a quote that starts with
    # one, nor just after a quote that ends with one, whose ends are not strictly inside a number
    # the whole text writes (found in one pass over all of it, not near each position).
    needle, haystack = normalize(quote), SourceText(text).normalized
    if not needle:
        return
    before = r"(?<!\w)" if re.match(r"\w", needle[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", needle[-1]) else ""
    numbers = [m.span() for m in WRITTEN_NUMBER.finditer(haystack)]
    occurrences = [m.start() for m in re.finditer(f"(?={before}{re.escape(needle)}{after})", haystack)]
    expected = any(not any(a < edge < b for a, b in numbers for edge in (start, start + len(needle)))
                   for start in occurrences)
    assert SourceText(text).contains(quote) == expected


def test_a_word_character_is_one_that_a_regular_expression_calls_one() -> None:
    # Quotes' edges and numbers are judged by it, and the definitions of both use \w: every code point.
    word = re.compile(r"\w")
    assert all(is_word_character(c) == bool(word.match(c)) for c in map(chr, range(0x110000)))


# Pieces of numbers and of what stands near them: digits of two scripts, number words in two
# cases, scale words, "and", separators, a percent sign, and words and marks that are no number.
NUMBER_PIECES = ["1", "500", "\u0663", "one", "Twenty", "seventy", "first", "thirds", "half", "hundred", "and",
                 "million", "dozen", "a", "x", "seven_", "people", ",", ".", "-", "/", ":", "'", "%", " ", "\n",
                 "\u066c", "\u2019", "\"", "é", "one hundred", " and ", "twenty-one", "4.2 million", "1,500"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(NUMBER_PIECES), max_size=10).map("".join))  # at most 110 characters
@example("six hundred and one people")
@example("two thirds, one-half")
def test_the_number_around_a_position_is_the_one_a_search_of_the_whole_text_finds(text: str) -> None:
    # Its oracle: every number the whole text writes, found in one pass, and for each
    # position the one it falls strictly inside. The texts are shorter than the 120
    # characters it looks at on each side, so it sees them whole too.
    numbers = [m.span() for m in WRITTEN_NUMBER.finditer(text)]
    for at in range(len(text) + 1):
        expected = next((span for span in numbers if span[0] < at < span[1]), None)
        assert number_around(text, at) == expected, (text, at)


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


DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_and_the_minus_sign_fold_to_a_hyphen(dash: str) -> None:
    assert normalize(f"al{dash}Waer, 5{dash}7") == "al-Waer, 5-7"
    assert SourceText(f"the al{dash}Waer district").contains("al-Waer district")
    assert SourceText("the al-Waer district").contains(f"al{dash}Waer district")


def test_the_ellipsis_character_folds_to_three_full_stops() -> None:
    assert normalize("and then\u2026 nothing") == "and then... nothing"
    assert SourceText("He said: \u201cWe will\u2026 win.\u201d").contains('"We will... win."')
    assert SourceText("We will... win.").contains("We will\u2026 win.")


def test_folding_keeps_whole_word_matching_and_its_hint() -> None:
    # normalize() lengthens the text (one character to three): cut() must widen the folded text alike.
    text = SourceText("Wait\u2026 more than 32 people \u2014 the governor said.")
    assert not text.contains("more than 3")
    assert text.cut("Wait... more than 3") == ("Wait... more than 32", True)
    assert text.cut("people - the gov") == ("people - the governor", False)


def test_the_closest_passage_is_shown_however_unlike_the_quote() -> None:
    text = SourceText("CITY -- Three blasts killed more than 32 people on Saturday, the governor said. "
                      "He said the attackers wore suicide belts.")
    # Far below difflib's usual cutoff, and still the passage an author would look for.
    assert text.closest("the governor insisted") == "the governor said."
    assert text.closest("the attackers had suicide vests") == "the attackers wore suicide belts."
    assert text.closest("nothing at all alike") is not None


def test_the_closest_passage_spans_sentences_when_the_quote_does() -> None:
    text = SourceText("Three blasts killed more than 32 people. He called it a message. The sky was blue.")
    assert text.closest("32 people. He called it the message.") == "32 people. He called it a message."


@pytest.mark.parametrize(("source", "quote", "said"), [
    ("Syria\u02bcs army said", "Syria's army said",
     "differs at character 6 of the quote: source has U+02BC (MODIFIER LETTER APOSTROPHE), "
     "quote has U+0027 (APOSTROPHE)"),
    ("the \u0430rmy said", "the army said",
     "differs at character 5 of the quote: source has U+0430 (CYRILLIC SMALL LETTER A), "
     "quote has U+0061 (LATIN SMALL LETTER A)"),
    ("the army said", "the ar\u200dmy said",
     "differs at character 7 of the quote: source has nothing, quote has U+200D (ZERO WIDTH JOINER)"),
])
def test_a_passage_that_looks_like_the_quote_says_what_differs(source: str, quote: str, said: str) -> None:
    text = SourceText(f"Later {source} it was over.")
    assert not text.contains(quote)
    passage = text.closest(quote)
    assert passage is not None and source in passage
    assert difference(quote, passage) == said


def test_a_passage_that_looks_different_needs_no_explanation() -> None:
    assert difference("three blasts killed 33", "Three blasts killed more than 32 people") is None
