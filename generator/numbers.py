"""The whole numbers a passage states, in digits or in English words.

A figure's evidence should state its number: ``32``, ``200,000``, ``three``,
``thirty-two``, ``a dozen``, ``two dozen``, ``5 million``. Plurals such as
``hundreds`` or ``dozens`` are not numbers, and neither are ordinals.
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
