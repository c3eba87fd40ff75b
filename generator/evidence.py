"""Verifying evidence quotes against the archived source text."""

from __future__ import annotations

import difflib
import re
import unicodedata

_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ",
})
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?\"])\s+")
_WORD_CHAR = re.compile(r"\w")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# A quote shorter than this many letters or digits proves nothing: ".", "a",
# "32" or "the" occur in almost any source. Four still admits a one-word
# dateline such as "CITY" as the evidence that a source names a place.
MIN_QUOTE_LETTERS = 4


# Invisible format characters that a copy from a web page or a PDF may add or
# drop: bidirectional marks and controls, zero-width spaces, soft hyphens.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalize(text: str) -> str:
    """Fold Unicode normal forms, typographic quote marks, invisible format characters and white space.

    A quote copied from a rendered page, or typed on a keyboard that composes
    accents differently (NFD against NFC), then still matches the archived text.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


class SourceText:
    """An archived source, normalized once, that quotes are looked up in."""

    def __init__(self, text: str) -> None:
        self.normalized = normalize(text)
        self._passages: list[str] | None = None

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim, after normalization, as whole words.

        A quote that begins (or ends) with a letter or digit must not begin (or
        end) inside a word of the source: "more than 3" is not in "more than 32".
        """
        needle = normalize(quote)
        return bool(needle) and _whole_words(needle).search(self.normalized) is not None

    def partial_word(self, quote: str) -> str | None:
        """The source's words around the quote when it occurs only by cutting a word; else ``None``.

        ``"more than 3"`` in ``"... more than 32 people"`` gives ``"more than 32"``.
        """
        needle = normalize(quote)
        start = self.normalized.find(needle) if needle else -1
        if start < 0 or self.contains(quote):
            return None
        end = start + len(needle)
        while start > 0 and _WORD_CHAR.match(self.normalized[start - 1]):
            start -= 1
        while end < len(self.normalized) and _WORD_CHAR.match(self.normalized[end]):
            end += 1
        return self.normalized[start:end]

    def closest(self, quote: str) -> str | None:
        """The passage of the source most like the quote, for a hint."""
        if self._passages is None:
            self._passages = [p for p in _SENTENCE.split(self.normalized) if p]
        found = difflib.get_close_matches(normalize(quote), self._passages, n=1, cutoff=0.4)
        return found[0] if found else None


def too_short(quote: str) -> bool:
    """True when an evidence quote has fewer than :data:`MIN_QUOTE_LETTERS` letters or digits."""
    return len(_LETTER_OR_DIGIT.findall(quote)) < MIN_QUOTE_LETTERS


def _whole_words(needle: str) -> re.Pattern[str]:
    # Boundaries only where the quote itself starts or ends with a word
    # character: a quote that opens with a quote mark or ends with a full stop
    # already has its edge there.
    before = r"(?<!\w)" if _WORD_CHAR.match(needle[0]) else ""
    after = r"(?!\w)" if _WORD_CHAR.match(needle[-1]) else ""
    return re.compile(before + re.escape(needle) + after)
