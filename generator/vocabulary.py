"""The kinds of count a tally may give: a default vocabulary that a project extends in ``mkdocs.yml``.

Pages and charts group the event's figures by what they count, so a
misspelt kind (``wouned``) would silently open a group of its own.
:mod:`generator.checks` refuses a ``counts`` outside the vocabulary, with the
closest word as a hint; the ``counts`` option of the factsheet plugin adds a
project's own words to these.
"""

from __future__ import annotations

from collections.abc import Iterable

# One word per thing counted: a synonym (`injured` beside `wounded`) would
# split one count into two groups. Documented in the README and the guide.
DEFAULT_COUNTS: tuple[str, ...] = (
    "killed", "wounded", "missing", "executed",
    "arrested", "detained", "kidnapped", "released",
    "displaced", "fled", "evacuated",
    "attackers", "attacks", "detonations",
    "destroyed", "damaged",
)


def count_vocabulary(extra: Iterable[str] = ()) -> frozenset[str]:
    """The default kinds of count and a project's own (the plugin's ``counts`` option)."""
    return frozenset(DEFAULT_COUNTS).union(extra)
