"""Numbers are atoms: no evidence quote may start or end inside a number as its source writes it.

Numbers are generated in every written form (digits of several scripts with
thousands separators, decimals, ranges, fractions, percentages, scale words,
numbers in words) inside source sentences, and quotes are cut at every position
inside them: none verifies, and each says that a number was cut. The whole
number, and a number next to another, still verify ("and" is left out between
them: "one hundred and twenty-one" is one number).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.evidence import SourceText

SCRIPTS = ["0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
           "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
           "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19"]
# Thousands and decimal separators: Latin, Swiss, Arabic, fullwidth.
SEPARATORS = [",", ".", "'", "\u2019", "\u066c", "\uff0c"]
DASHES = ["-", "\u2013", "\u2014", "\u2212"]
UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ["hundred", "thousand", "million", "billion", "dozen"]

small = st.integers(0, 999).map(str)
grouped = st.builds(lambda n, sep: f"{n:,}".replace(",", sep), st.integers(1000, 10**12), st.sampled_from(SEPARATORS))
decimal = st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 999), st.integers(0, 999))
digits = st.builds(lambda text, script: text.translate(str.maketrans("0123456789", script)),
                   st.one_of(grouped, decimal, small), st.sampled_from(SCRIPTS))
ranged = st.builds(lambda a, dash, b: f"{a}{dash}{b}", st.one_of(small, grouped), st.sampled_from(DASHES),
                   st.one_of(small, grouped))
fraction = st.builds(lambda a, b: f"{a}/{b}", small, small)
percent = st.builds(lambda a: f"{a}%", st.one_of(small, decimal))
scaled = st.builds(lambda a, scale: f"{a} {scale}", st.one_of(small, decimal), st.sampled_from(SCALES))
tens_unit = st.builds(lambda t, u: f"{t}-{u}", st.sampled_from(TENS), st.sampled_from(UNITS))
ordinal_words = st.builds(lambda t, o: f"{t}-{o}", st.sampled_from(TENS), st.sampled_from(["first", "third", "ninth"]))
in_words = st.one_of(
    tens_unit, ordinal_words,
    st.builds(lambda u, t: f"{u} hundred and {t}", st.sampled_from(UNITS), st.one_of(tens_unit, st.sampled_from(TENS))),
    st.builds(lambda u, s: f"{u} {s}", st.sampled_from(UNITS), st.sampled_from(SCALES)),
    st.builds(lambda u, f: f"{u}-{f}", st.sampled_from(UNITS), st.sampled_from(["thirds", "quarters", "half"])),
)
NUMBERS = st.one_of(digits, ranged, fraction, percent, scaled, in_words).filter(lambda n: len(n) > 1)
BEFORE = st.sampled_from(["Officials said that", "The toll rose to", "Police counted"])
AFTER = st.sampled_from(["people were killed.", "dead, the ministry said", "wounded"])


@settings(max_examples=400, deadline=None)
@given(NUMBERS, BEFORE, AFTER)
def test_no_quote_starts_or_ends_inside_a_number(number: str, before: str, after: str) -> None:
    source = SourceText(f"{before} {number} {after}")
    assert source.contains(f"{before} {number}")
    assert source.contains(f"{number} {after}")
    for at in range(1, len(number)):
        for quote in (f"{before} {number[:at]}", f"{number[at:]} {after}"):
            assert not source.contains(quote), quote
            cut = source.cut(quote)
            assert cut is not None and cut[1], (quote, cut)


@settings(max_examples=200, deadline=None)
@given(NUMBERS, NUMBERS, BEFORE, st.sampled_from([", ", "; ", ". ", " to ", " or "]))
def test_a_whole_number_beside_another_still_verifies(first: str, second: str, before: str, between: str) -> None:
    source = SourceText(f"{before} {first}{between}{second} died.")
    assert source.contains(f"{before} {first}")
    assert source.contains(f"{second} died")
