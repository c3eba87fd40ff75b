"""Deterministic synthetic content for the benchmark: sheets of realistic shape.

Each sheet has actors (one page each), places, events, tallies from several
claimants, quotes and context, every fact with evidence quoted from a
generated source text, so the full checks run as on real content.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

ACTORS_PER_SHEET = 40
KINDS = ["person", "government-body", "security-agency", "armed-group", "coalition", "media-outlet", "monitor"]
WORDS = ["attack", "offices", "city", "officials", "said", "reported", "security", "forces", "killed", "wounded",
         "blast", "checkpoint", "monitor", "talks", "envoy", "government", "opposition", "neighborhood",
         "statement", "group", "troops", "people"]


class _Source:
    """Collects sentences; each fact quotes the sentence made for it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sentences: list[str] = []

    def quote(self, subject: str) -> dict[str, str]:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(8, 16)))
        sentence = f"{subject} {words}."
        self.sentences.append(sentence)
        return {"source": "wire", "quote": sentence}


def sheet(index: int, actors: int = ACTORS_PER_SHEET) -> dict[str, object]:
    """One sheet's facts as a fact file (a dict), plus its source text under ``_source``."""
    rng = random.Random(index)
    src = _Source(rng)
    sid = f"sheet-{index:04d}"
    places = [{"id": f"p{i}", "name": f"Place {index}-{i}", "kind": "neighborhood" if i else "city",
               **({"within": "p0"} if i else {}), "evidence": [src.quote(f"Place {index}-{i} lies here")]}
              for i in range(12)]
    people = [{"id": f"a{i}", "name": f"Actor {index}-{i}", "kind": KINDS[i % len(KINDS)],
               "role": f"Role {i}", "description": f"Actor {i} of sheet {index}.",
               **({"affiliation": f"a{i % 5}"} if i >= 5 else {}),
               "evidence": [src.quote(f"Actor {index}-{i} was named")]} for i in range(actors)]
    events = [{"id": f"e{i}", "date": f"2017-02-{1 + i % 28:02d}", "title": f"Event {i}",
               "description": f"Event {i} of sheet {index} happened.",
               "actors": [f"a{(i * 7) % actors}", f"a{(i * 3 + 1) % actors}"], "places": [f"p{i % 12}"],
               "evidence": [src.quote(f"Event {index}-{i} happened")]} for i in range(30)]
    qualifiers = ["at_least", "more_than", "exact", "about"]
    values = [10 + rng.randint(0, 90) for _ in range(20)]
    # Each claim's sentence states its figure, as real evidence does.
    tallies = [{"id": f"t{i}", "counts": ["killed", "wounded", "attackers"][i % 3], "claimant": f"a{i % 8}",
                "qualifier": qualifiers[i % 4], "value": str(value),
                **({"where": f"p{i % 12}"} if i % 5 == 0 else {}),
                "evidence": [src.quote(f"Claim {index}-{i} counted {value}")]} for i, value in enumerate(values)]
    quotes = []
    for i in range(10):
        ev = src.quote(f"Quote {index}-{i} said")
        quotes.append({"id": f"q{i}", "speaker": f"a{i}", "text": ev["quote"], "evidence": [ev]})
    context = [{"id": f"c{i}", "date": f"{2011 + i}", "title": f"Background {i}",
                "description": f"Background {i} of sheet {index}.", "actors": [f"a{i}"],
                "evidence": [src.quote(f"Background {index}-{i} recalled")]} for i in range(6)]
    return {
        "sheet": {"id": sid, "title": f"Synthetic sheet {index}", "summary": f"Synthetic event {index}.",
                  "date": "2017-02-25", "place": "p0", "evidence": [src.quote(f"Sheet {index} summary")]},
        "sources": [{"id": "wire", "publishers": ["Wire"], "headline": f"Report {index}",
                     "published": "2017-02-26", "archive": "sources/wire.txt"}],
        "actors": people, "places": places, "events": events, "tallies": tallies, "quotes": quotes,
        "context": context, "_source": "\n".join(src.sentences) + "\n",
    }


def write_content(content: Path, entity_pages: int) -> int:
    """Write sheets to ``content`` until they hold about ``entity_pages`` actor pages; return the sheet count."""
    count = max(1, round(entity_pages / ACTORS_PER_SHEET))
    for index in range(count):
        data = sheet(index)
        folder = content / str(data["sheet"]["id"])  # type: ignore[index]
        (folder / "sources").mkdir(parents=True, exist_ok=True)
        (folder / "sources" / "wire.txt").write_text(str(data.pop("_source")), encoding="utf-8")
        (folder / "facts.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return count
