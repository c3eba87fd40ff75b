"""Which figures stand: each tally is current, superseded by a later one, or withdrawn.

A figure is superseded only by its own claimant: by a later, different figure
for the same thing counted (known to be later, not merely listed later), or by
a revision that names it as the earlier figure. A higher figure from someone
else is a later claim, not a correction, and supersedes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .models import FigureRevision, Source, Tally
from .moments import Moment

Status = Literal["current", "superseded", "withdrawn"]


@dataclass(frozen=True)
class Standing:
    """A figure's status and, when superseded, the tally that replaced it."""

    status: Status
    superseded_by: str | None = None


CURRENT = Standing("current")


def thing(tally: Tally) -> tuple[object, ...]:
    """What a figure counts and covers: only figures for the same thing can replace each other."""
    return tally.counts, tally.coverage, tally.part, tally.scope, tally.where, tally.context, tally.unit


def story_of(sources: Mapping[str, Source], source_id: str) -> str:
    """The first report of the story a source tells: copies, updates, versions and translations lead back to it."""
    seen = {source_id}
    while (earlier := sources[source_id].lineage) is not None and earlier in sources and earlier not in seen:
        seen.add(source_id := earlier)
    return source_id


def stories(sources: Mapping[str, Source]) -> dict[str, str]:
    """:func:`story_of` of every source, in time linear in the number of sources, however long the chains."""
    found: dict[str, str] = {}
    for start in sources:
        path: list[str] = []
        on_path: set[str] = set()
        at = start
        while at not in found:
            path.append(at)
            on_path.add(at)
            earlier = sources[at].lineage
            if earlier is None or earlier not in sources:
                found.update(dict.fromkeys(path, at))
                break
            if earlier in on_path:
                # A cycle, which the check reports: each member's story is where its own walk stops.
                found.update((ident, story_of(sources, ident)) for ident in path)
                break
            at = earlier
        else:
            found.update(dict.fromkeys(path, found[at]))
    return found


def first_report(tally: Tally, sources: Mapping[str, Source],
                 published: Callable[[Source], Moment]) -> Source | None:
    """The report of a figure surely out first, of those the sheet holds.

    A report stamped 20:00 comes before one known only by the next day,
    though that day began earlier somewhere.
    """
    cited = [sources[ev.source] for ev in tally.evidence if ev.source in sources]
    return min(cited, key=lambda s: (published(s).latest, published(s).earliest), default=None)


def claimant_identity(tally: Tally, sources: Mapping[str, Source], published: Callable[[Source], Moment],
                      story: Mapping[str, str]) -> Hashable:
    """Who made a claim, as one body.

    Named actors; the body an unnamed claimant speaks for; else the words in
    one story, that of the figure's first report: "officials" in an agency
    story and its updates are the same officials, in another story they are
    others. ``story`` is the story of each source (:func:`stories`).
    """
    if tally.speaks_for:
        return ("named", (tally.speaks_for,))
    if not tally.unnamed:
        return ("named", tally.claimants)
    first = first_report(tally, sources, published)
    return ("unnamed", tally.claimants, tally.unnamed.casefold(), story[first.id] if first else None)


def earlier_figures(tally: Tally, revision: FigureRevision, tallies: Iterable[Tally]) -> list[Tally]:
    """The sheet's tallies that are the revision's earlier figure: the same thing, one of its reports, its reading."""
    reports = set(revision.earlier_reports)
    return [other for other in tallies if other is not tally and thing(other) == thing(tally)
            and reports & {item.source for item in other.evidence} and other.same_reading(revision.previous)]


def standings(tallies: Sequence[Tally], identity: Callable[[Tally], Hashable],
              before: Callable[[Tally, Tally], bool], moment: Callable[[Tally], Moment]) -> dict[str, Standing]:
    """Every tally's standing, by id.

    ``before(a, b)`` tells whether a is known to come before b; of several
    later figures, the one with the earliest ``moment`` replaced it.
    """
    found: dict[str, Standing] = {t.id: Standing("withdrawn") for t in tallies if t.withdrawn}
    for tally in tallies:
        if tally.withdrawn:
            continue
        for revision in tally.revisions:
            for earlier in earlier_figures(tally, revision, tallies):
                found.setdefault(earlier.id, Standing("superseded", tally.id))
    groups: dict[Hashable, list[Tally]] = {}
    for tally in tallies:
        groups.setdefault((identity(tally), thing(tally)), []).append(tally)
    for group in groups.values():
        for tally in group:
            if tally.id in found:
                continue
            later = [other for other in group if other.withdrawn is None and not other.same_reading(tally)
                     and before(tally, other)]
            if later:
                successor = min(later, key=lambda other: moment(other).key)
                found[tally.id] = Standing("superseded", successor.id)
    return {t.id: found.get(t.id, CURRENT) for t in tallies}
