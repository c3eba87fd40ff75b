"""Verifying evidence quotes against the archived source text."""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from collections import Counter, deque

from .numbers import is_word_character, number_around

# Typographic quote marks, dashes and the ellipsis are folded to what a
# keyboard types: a quote copied from a rendered page, or typed by hand,
# still matches. Hyphen, non-breaking hyphen, figure dash, en and em dash,
# horizontal bar and minus sign all become "-"; the ellipsis (U+2026) "...".
_FOLDED = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ",
    **{chr(dash): "-" for dash in (*range(0x2010, 0x2016), 0x2212)},
    "\u2026": "...",
})
_SPACE = re.compile(r"\s+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# A quote shorter than this many letters or digits proves nothing: ".", "a",
# "32" or "the" occur in almost any source. Four still admits a one-word
# dateline such as "CITY" as the evidence that a source names a place.
MIN_QUOTE_LETTERS = 4


# Invisible format characters that a copy from a web page or a PDF may add or
# drop: bidirectional marks and controls, zero-width spaces, soft hyphens.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def normalize(text: str) -> str:
    """Fold Unicode normal forms, typographic quote marks, dashes, the ellipsis, invisible characters, white space.

    A quote copied from a rendered page, or typed on a keyboard that composes
    accents differently (NFD against NFC), then still matches the archived text.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text.translate(_FOLDED)).strip()


class SourceText:
    """An archived source, normalized once, that quotes are looked up in."""

    def __init__(self, text: str) -> None:
        self.normalized = normalize(text)
        self._passages_left = CLOSEST_PASSAGES

    def contains(self, quote: str) -> bool:
        """True when the quote occurs verbatim, after normalization, as whole words and whole numbers.

        A quote that begins (or ends) with a letter or digit must not begin (or
        end) inside a word of the source: "more than 3" is not in "more than 32".
        No quote may begin or end inside a number as the source writes it
        (:func:`~generator.numbers.number_around`): "killed 1" is not in
        "killed 1,500 people", nor "killed 10" in "killed 10-15 people".
        """
        needle = normalize(quote)
        return bool(needle) and _occurs_whole(needle, self.normalized)

    def cut(self, quote: str) -> tuple[str, bool] | None:
        """The source's text around the quote when it occurs only by cutting a word or a number; else ``None``.

        Also says whether a number was cut. ``"more than 3"`` in ``"... more than
        32 people"`` gives ``("more than 32", True)``; ``"he governor"`` in ``"the
        governor"`` gives ``("the governor", False)``.
        """
        needle = normalize(quote)
        start = self.normalized.find(needle) if needle else -1
        if start < 0 or self.contains(quote):
            return None
        text = self.normalized
        end = start + len(needle)
        number = False
        if (span := number_around(text, start)) is not None:
            start, number = span[0], True
        if (span := number_around(text, end)) is not None:
            end, number = span[1], True
        while start > 0 and is_word_character(text[start - 1]):
            start -= 1
        while end < len(text) and is_word_character(text[end]):
            end += 1
        return text[start:end], number

    def closest(self, quote: str) -> str | None:
        """The passage of the source most like the quote, however unlike it is, for a hint.

        Passages are runs of about as many words as the quote (one fewer, as
        many, one more). Every run is scored in one pass by the words it
        shares with the quote, keeping only the best few of each length and
        the last few words: memory does not grow with the source. The best
        are then ranked by difflib's similarity ratio. ``None`` when either
        has no words, and once :data:`CLOSEST_PASSAGES` have been given: each
        is a pass over the whole text.
        """
        needle = normalize(quote)
        if not needle or not self._passages_left:
            return None
        self._passages_left -= 1
        wanted = Counter(key for key in map(_word_key, needle.split(" ")) if key)
        size = needle.count(" ") + 1
        runs = [_Runs(length, wanted) for length in sorted({max(1, n) for n in (size - 1, size, size + 1)})]
        # The spans and keys of the last words, as many as the longest run and the word it drops.
        window: deque[tuple[int, int, str]] = deque(maxlen=runs[-1].length + 1)
        count = 0
        for count, found in enumerate(_NON_SPACE.finditer(self.normalized), 1):
            window.append((found.start(), found.end(), _word_key(found.group())))
            for run in runs:
                run.add(window, count)
        if not count:
            return None
        candidates = [candidate for run in runs for candidate in run.best(count)]
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(needle)

        def score(candidate: tuple[int, int, int, int]) -> tuple[float, int, int]:
            shared, first, start, end = candidate
            matcher.set_seq1(self.normalized[start:end])
            return matcher.ratio(), shared, -first

        _, _, start, end = max(candidates, key=score)
        return self.normalized[start:end]


class _Runs:
    """The runs of one length of words, scored by the words they share with the quote; the best few kept."""

    def __init__(self, length: int, wanted: Counter[str]) -> None:
        self.length, self.wanted = length, wanted
        self.have: Counter[str] = Counter()
        self.shared = 0
        self.first_start = -1  # where the text's first word starts, for a text shorter than a run
        self.last_end = 0
        # (shared, -first word's index, start, end): a min-heap of the best runs, earlier runs first among equals.
        self.heap: list[tuple[int, int, int, int]] = []

    def add(self, window: deque[tuple[int, int, str]], count: int) -> None:
        """Take in the text's ``count``-th word, the last of ``window``."""
        start, end, key = window[-1]
        if self.first_start < 0:
            self.first_start = start
        if key in self.wanted:
            self.shared += self.have[key] < self.wanted[key]
            self.have[key] += 1
        if count > self.length:
            gone = window[-self.length - 1][2]
            if gone in self.wanted:
                self.have[gone] -= 1
                self.shared -= self.have[gone] < self.wanted[gone]
        if count >= self.length:
            item = (self.shared, -(count - self.length), window[-self.length][0], end)
            if len(self.heap) < _CANDIDATES:
                heapq.heappush(self.heap, item)
            elif item[:2] > self.heap[0][:2]:
                heapq.heapreplace(self.heap, item)
        self.last_end = end

    def best(self, count: int) -> list[tuple[int, int, int, int]]:
        """The best runs, best first, as (shared words, first word's index, start, end)."""
        if count < self.length:  # the whole text is shorter than a run: it is the one run
            return [(self.shared, 0, self.first_start, self.last_end)]
        return [(shared, -negated, start, end) for shared, negated, start, end in sorted(self.heap, reverse=True)]


# How many quotes not found in one source get its closest passage as a hint.
CLOSEST_PASSAGES = 20
# How many runs of each length are compared closely for the closest passage.
_CANDIDATES = 12
_NON_SPACE = re.compile(r"\S+")
_NOT_WORD = re.compile(r"\W+")


def _word_key(word: str) -> str:
    """A word as compared for the closest passage: lower case, without punctuation."""
    return _NOT_WORD.sub("", word.lower())


# Characters that print like another one: kept apart by matching (they are
# different text), but named in the hint when a passage looks like the quote.
_LOOKALIKE = str.maketrans({
    "\u02bc": "'", "\u02b9": "'", "\u02bb": "'", "\u00b4": "'", "\u2035": "'", "\u02ba": '"',
    "\u2043": "-", "\u2027": ".", "\u0391": "A", "\u0392": "B", "\u0395": "E", "\u0396": "Z", "\u0397": "H",
    "\u0399": "I", "\u039a": "K", "\u039c": "M", "\u039d": "N", "\u039f": "O", "\u03a1": "P", "\u03a4": "T",
    "\u03a5": "Y", "\u03a7": "X", "\u03bf": "o", "\u0410": "A", "\u0412": "B", "\u0415": "E", "\u041a": "K",
    "\u041c": "M", "\u041d": "H", "\u041e": "O", "\u0420": "P", "\u0421": "C", "\u0422": "T", "\u0425": "X",
    "\u0430": "a", "\u0435": "e", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0443": "y", "\u0445": "x",
    "\u0455": "s", "\u0456": "i", "\u0458": "j", "\u04bb": "h", "\u0501": "d",
})


def _skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` as it looks printed (compatibility forms, look-alikes, no invisible characters).

    Also gives, for each character of the result, the index of the character of ``text`` it comes from.
    """
    shown: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        for folded in unicodedata.normalize("NFKC", char).translate(_LOOKALIKE):
            shown.append(folded)
            origin.append(index)
    return "".join(shown), origin


def looks(text: str) -> str:
    """``text`` as it looks printed: two texts with the same look can only be told apart by their code points."""
    return _skeleton(text)[0]


def first_difference(text: str, other: str) -> str:
    """Where two different texts first differ: ``character 2 is U+0456 (...), not U+0069 (...)``."""
    opcodes = difflib.SequenceMatcher(None, text, other, autojunk=False).get_opcodes()
    _, start, end, other_start, other_end = next(op for op in opcodes if op[0] != "equal")
    return f"character {start + 1} is {_named(text[start:end])}, not {_named(other[other_start:other_end])}"


def _named(chars: str) -> str:
    if not chars:
        return "nothing"
    named = [f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in chars[:3]]
    return " ".join(named) + (" ..." if len(chars) > 3 else "")


def difference(quote: str, passage: str) -> str | None:
    """What differs when ``passage`` holds text that looks printed just like the quote; else ``None``.

    ``"differs at character 6 of the quote: source has U+02BC (MODIFIER LETTER
    APOSTROPHE), quote has U+0027 (APOSTROPHE)"``: an author who sees the
    passage in a hint could not otherwise tell it from the quote.
    """
    needle = normalize(quote)
    wanted = _skeleton(needle)[0]
    shown, origin = _skeleton(passage)
    at = shown.find(wanted) if wanted else -1
    if at < 0:
        return None
    region = passage[origin[at]:origin[at + len(wanted) - 1] + 1]
    changes = [op for op in difflib.SequenceMatcher(None, region, needle, autojunk=False).get_opcodes()
               if op[0] != "equal"]
    if not changes:
        return None
    _, start, end, quote_start, quote_end = changes[0]
    return (f"differs at character {quote_start + 1} of the quote: source has {_named(region[start:end])}, "
            f"quote has {_named(needle[quote_start:quote_end])}")


def too_short(quote: str) -> bool:
    """True when an evidence quote has fewer than :data:`MIN_QUOTE_LETTERS` letters or digits."""
    return len(_LETTER_OR_DIGIT.findall(quote)) < MIN_QUOTE_LETTERS


def _occurs_whole(needle: str, text: str) -> bool:
    # Word boundaries only where the quote itself starts or ends with a word
    # character: a quote that opens with a quote mark or ends with a full stop
    # already has its edge there. Numbers are whole whatever the quote's edge
    # is: ",500 people" cuts "1,500". A plain search, not a regular expression
    # per quote: compiling one was most of the time a check took.
    bounded_start = is_word_character(needle[0])
    bounded_end = is_word_character(needle[-1])
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        starts_word = not bounded_start or start == 0 or not is_word_character(text[start - 1])
        ends_word = not bounded_end or end == len(text) or not is_word_character(text[end])
        if starts_word and ends_word and number_around(text, start) is None and number_around(text, end) is None:
            return True
        start = text.find(needle, start + 1)
    return False
