"""Verifying evidence quotes against the archived source text."""

from __future__ import annotations

import difflib
import re

_QUOTE_MARKS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ",
})
_SPACE = re.compile(r"\s+")
_SENTENCE = re.compile(r"(?<=[.!?\"])\s+")


def normalize(text: str) -> str:
    """Fold typographic quote marks and runs of white space.

    A quote copied from a rendered page then still matches the archived text.
    """
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


class SourceText:
    """An archived source, normalized once, that quotes are looked up in."""

    def __init__(self, text: str) -> None:
        self.normalized = normalize(text)
        self._passages: list[str] | None = None

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim, after normalization."""
        needle = normalize(quote)
        return bool(needle) and needle in self.normalized

    def closest(self, quote: str) -> str | None:
        """The passage of the source most like the quote, for a hint."""
        if self._passages is None:
            self._passages = [p for p in _SENTENCE.split(self.normalized) if p]
        found = difflib.get_close_matches(normalize(quote), self._passages, n=1, cutoff=0.4)
        return found[0] if found else None
