"""Fragment ids of facts on pages: one namespace per kind, apart from heading ids.

Markdown's table of contents gives headings ids made from their text
(``by-claimant``), and fact ids are slugs of the same alphabet, so a fact
named ``by-claimant`` once shared an id with a heading. Fact anchors are
``<kind>--<id>``: a heading id never holds two hyphens in a row (the slug
function folds them into one), and neither does a fact id, so no anchor can
equal a heading's id or another kind's anchor.
"""

from __future__ import annotations

import re

KINDS = frozenset({"source", "place", "event", "tally", "quote", "context", "claimant", "figure"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def fragment(ident: str, kind: str) -> str:
    """The fragment id of fact ``ident`` of ``kind`` (``event--suicide-attack``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown anchor kind {kind!r}")
    if not _SLUG.match(ident):
        raise ValueError(f"not a safe id: {ident!r}")
    return f"{kind}--{ident}"
