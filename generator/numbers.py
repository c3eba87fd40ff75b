"""The numbers a passage writes: the whole numbers it states, and where each number is written.

A figure's evidence should state its number: ``32``, ``200,000``, ``three``,
``thirty-two``, ``a dozen``, ``two dozen``, ``5 million``. Plurals such as
``hundreds`` or ``dozens`` are not numbers, and neither are ordinals.

An evidence quote may not begin or end inside a number as the source writes it
(:func:`number_around`): "killed 1" is not in "killed 1,500 people".
"""

from __future__ import annotations

import re
from fractions import Fraction

_UNITS = {word: value for value, word in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {word: 10 * value for value, word in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2)}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Words that a leading "a" turns into a number: "a dozen", "a hundred".
_AFTER_A = {"dozen", "hundred", *_SCALES}
# Digits with or without thousands separators, a decimal part for "1.2 million", or a word.
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[a-z]+")
_DIGITS = re.compile(r"[\d,.]+")
# Longer runs of digits are no figure (tallies stop at 10^12), and Python
# refuses to convert more than 4,300 digits to a number.
_MAX_DIGITS = 40


def numbers_in(text: str) -> set[int]:
    """Every whole number the text states; a number written in words counts once, as a whole."""
    tokens = _TOKEN.findall(text.lower())
    found: set[int] = set()
    index = 0
    while index < len(tokens):
        value, after = _read_number(tokens, index)
        if value is None:
            index += 1
        else:
            found.add(value)
            index = after
    return found


def _read_number(tokens: list[str], start: int) -> tuple[int | None, int]:
    """The longest number phrase at ``start``, and the index after it; ``None`` if there is none."""
    if tokens[start:start + 3] == ["half", "a", "dozen"]:
        return 6, start + 3
    total, group, last = Fraction(0), Fraction(0), ""
    index = start
    if tokens[index] == "a" and index + 1 < len(tokens) and tokens[index + 1] in _AFTER_A:
        group, last, index = Fraction(1), "a", index + 1
    while index < len(tokens):
        step = _step(tokens[index], group, last)
        if step is None:
            if tokens[index] == "and" and last in ("hundred", "scale") and _next_is_small(tokens, index):
                index += 1  # "three hundred and fifty"
                continue
            break
        group, last = step
        if last == "scale":
            total, group = total + group * _SCALES[tokens[index]], Fraction(0)
        index += 1
    value = total + group
    if index == start or last in ("", "a") or value.denominator != 1:
        return None, start
    return int(value), index


def _step(word: str, group: Fraction, last: str) -> tuple[Fraction, str] | None:
    """The group's value after reading ``word``, and the word's kind; ``None`` if it ends the number."""
    started = last not in ("", "scale")
    if _DIGITS.fullmatch(word):
        return (Fraction(word.replace(",", "")), "digits") if last == "" and len(word) <= _MAX_DIGITS else None
    if word in _UNITS:
        # "twenty two", "three hundred five"; "two three" are two numbers.
        fits = not started or last in ("a", "hundred") or (last == "tens" and _UNITS[word] < 10)
        return (group + _UNITS[word], "unit") if fits else None
    if word in _TENS:
        return (group + _TENS[word], "tens") if not started or last == "hundred" else None
    if word == "hundred":
        return (group * 100, "hundred") if last in ("a", "unit", "tens", "digits") and group % 100 else None
    if word == "dozen":
        return (group * 12, "dozen") if last in ("a", "unit", "tens", "digits") and group else None
    if word in _SCALES:
        return (group, "scale") if last in ("a", "unit", "tens", "hundred", "digits", "dozen") and group else None
    return None


def _next_is_small(tokens: list[str], index: int) -> bool:
    return index + 1 < len(tokens) and (tokens[index + 1] in _UNITS or tokens[index + 1] in _TENS)


# -- Numbers as written, which a quote may not cut -------------------------------------------------

def _any(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_FRACTIONS = ["half", "halves", "thirds?", "quarters?", "fourths?", "fifths?", "sixths?", "sevenths?", "eighths?",
              "ninths?", "tenths?"]
# Between digits: thousands and decimal separators (Latin, Arabic, fullwidth), and what
# joins the two ends of a range, a fraction, a time or a date ("10-15", "2/3", "10:30").
# Dashes were folded to "-" and typographic apostrophes to "'" (generator.evidence.normalize).
_JOINERS = re.escape(".,':/-\u066b\u066c\uff0c\uff0e")
# Digits of any script ("\d" is every decimal digit), joined, with a percent sign.
_WRITTEN_DIGITS = rf"\d+(?:[{_JOINERS}]\d+)*%?"
# "twenty-one", "twenty-first", "seven", "two-thirds", "one half".
_NUMBER_WORD = (rf"(?:{_any(list(_TENS))}(?:-(?:{_any(list(_UNITS)[1:10])}|{_any(_ORDINALS)}))?"
                rf"|{_any(list(_UNITS))}(?:[ -]{_any(_FRACTIONS)})?)")
# A number as a text writes it, a quote's edge never inside: digits or words, with their scale
# words ("4.2 million", "one hundred and fifty thousand", "two dozen").
WRITTEN_NUMBER = re.compile(rf"(?<!\w)(?:{_WRITTEN_DIGITS}|{_NUMBER_WORD})"
                            rf"(?:[ -]{_any([*_SCALES, 'hundred', 'dozen'])}(?:(?: and)?[ -]{_NUMBER_WORD})?)*(?!\w)",
                            re.IGNORECASE)
# How far around a position numbers are looked for: longer than any number written in
# words ("nine hundred and ninety-nine thousand nine hundred and ninety-nine" is 66 characters).
_REACH = 120


# Each word of a number WRITTEN_NUMBER finds: its digits between separators, or one of its words.
_NUMBER_PART = re.compile(
    rf"\d+|{_any([*_UNITS, *_TENS, *_ORDINALS, *_FRACTIONS, *_SCALES, 'hundred', 'dozen', 'and'])}", re.IGNORECASE)


def number_around(text: str, at: int) -> tuple[int, int] | None:
    """The span of the number written in ``text`` that position ``at`` falls strictly inside, if any.

    A position between two characters of one number (``1|,500``, ``4.|2 million``,
    ``10-|15``, ``twenty|-one``) is inside it; one at its start or end is not. Only
    ``text`` near ``at`` is looked at, so the cost does not grow with the text.
    """
    if at <= 0 or at >= len(text):
        return None
    # A number holds whole words, and each of its characters that is not a word character
    # follows one of its words: so a number around ``at`` holds the word at ``at - 1`` or,
    # if that is no word character, the word just before it. Most quotes' edges are beside
    # no word that can be part of a number: looking at that word first spares them the
    # search below, which was a quarter of the time a check took.
    low, high = max(0, at - _REACH), min(len(text), at + _REACH)
    end = at if is_word_character(text[at - 1]) else at - 1
    start = end
    while start > low and is_word_character(text[start - 1]):
        start -= 1
    while end < high and is_word_character(text[end]):
        end += 1
    if not _NUMBER_PART.fullmatch(text, start, end):
        return None
    for found in WRITTEN_NUMBER.finditer(text, low, high):
        if found.start() >= at:
            return None
        if at < found.end():
            return found.span()
    return None


def is_word_character(character: str) -> bool:
    r"""Whether ``character`` is one that ``\w`` matches in a regular expression of text: a letter, digit or ``_``."""
    return character.isalnum() or character == "_"
