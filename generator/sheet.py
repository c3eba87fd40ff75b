"""A validated sheet as a whole, and the questions pages ask of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .errors import Diagnostic
from .models import Actor, ContextItem, Event, Evidence, Item, Place, Quote, Revision, SheetInfo, Source, Tally
from .registry import KINDS, Kind


class Facts:
    """The items of some kinds that name one actor or place, by section: ``facts.of("events")``."""

    def __init__(self, found: Mapping[str, list[Any]]) -> None:
        self._found = found

    def of(self, section: str) -> list[Any]:
        """The items of one section, in reading order."""
        return self._found.get(section, [])

    @property
    def count(self) -> int:
        """How many items there are in all."""
        return sum(len(group) for group in self._found.values())


@dataclass(frozen=True)
class Correction:
    """One revision of one fact, with the kind of fact it is."""

    fact: Event | Tally | Quote
    revision: Revision
    kind: Kind
    subject: str  # the fact in words, for headings and feed titles
    outlet: str  # who published the new value

    @property
    def current(self) -> str:
        """What the fact says now."""
        return self.fact.current


@dataclass(frozen=True, eq=False)  # one object per claimant (see Sheet._claimants): identity is equality
class Claimant:
    """Who made some claims: one actor, several jointly, or people a report does not name."""

    key: str  # the fragment id's second part: an actor's id, joint actors' ids, or a number for the unnamed
    anchor_kind: str  # "claimant", "joint" or "unnamed": each its own namespace of anchors
    name: str
    actors: tuple[Actor, ...]
    unnamed: str | None
    report: Source | None  # for unnamed claimants, the report that speaks of them

    @property
    def label(self) -> str:
        """The name, with the report for people it does not name: ``a police official (The Paper)``."""
        return f"{self.name} ({' / '.join(self.report.publishers)})" if self.report else self.name

    @property
    def role(self) -> str | None:
        """A single named claimant's role, as the source states it."""
        return self.actors[0].role if len(self.actors) == 1 and not self.unnamed else None


@dataclass(frozen=True)
class Claim:
    """One figure as first reported: the tally, and the earliest report that carries it."""

    tally: Tally
    source: Source


@dataclass(frozen=True)
class Sheet:
    """One fact sheet after every check passed: its items by section, each in file order."""

    info: SheetInfo
    items: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    # Problems that do not stop the build, such as a figure no quote states.
    warnings: tuple[Diagnostic, ...] = field(default=(), repr=False, compare=False)

    @property
    def id(self) -> str:
        """The sheet's id, which is also its folder and URL prefix."""
        return self.info.id

    def of(self, section: str) -> tuple[Any, ...]:
        """The items of one section (``"tallies"``), in file order."""
        return self.items.get(section, ())

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sheet's sources."""
        return self.of("sources")

    @property
    def actors(self) -> tuple[Actor, ...]:
        """The sheet's actors."""
        return self.of("actors")

    @property
    def places(self) -> tuple[Place, ...]:
        """The sheet's places."""
        return self.of("places")

    @property
    def events(self) -> tuple[Event, ...]:
        """The sheet's events, in file order."""
        return self.of("events")

    @property
    def tallies(self) -> tuple[Tally, ...]:
        """The sheet's figures."""
        return self.of("tallies")

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """The sheet's quotations."""
        return self.of("quotes")

    @property
    def context(self) -> tuple[ContextItem, ...]:
        """The sheet's background items."""
        return self.of("context")

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}

    @cached_property
    def actor_by_id(self) -> dict[str, Actor]:
        """Actors by id."""
        return {a.id: a for a in self.actors}

    @cached_property
    def place_by_id(self) -> dict[str, Place]:
        """Places by id."""
        return {p.id: p for p in self.places}

    @cached_property
    def context_by_id(self) -> dict[str, ContextItem]:
        """Background items by id."""
        return {c.id: c for c in self.context}

    def story_of(self, source_id: str) -> str:
        """The first report of the story a source tells: copies and updates lead back to it."""
        seen = {source_id}
        while (earlier := self.source_by_id[source_id].lineage) is not None and earlier not in seen:
            seen.add(source_id := earlier)
        return source_id

    def independent_reports(self, evidence: Iterable[Evidence]) -> int:
        """How many independent reports some evidence cites: copies and updates of one story count once."""
        return len({self.story_of(item.source) for item in evidence})

    @property
    def stories(self) -> int:
        """How many independent reports the sheet draws on: copies and updates of one story count once."""
        return len({self.story_of(source.id) for source in self.sources})

    def cited(self, evidence: Iterable[Evidence]) -> list[tuple[Source, list[str]]]:
        """Quotes grouped by source, sources in order of first citation: each source is cited once."""
        grouped: dict[str, list[str]] = {}
        for item in evidence:
            grouped.setdefault(item.source, []).append(item.quote)
        return [(self.source_by_id[source], quotes) for source, quotes in grouped.items()]

    def in_order(self, section: str) -> list[Any]:
        """The items of one section in reading order (events by date, context dated first)."""
        return list(self._in_order[section])

    @cached_property
    def _in_order(self) -> dict[str, tuple[Any, ...]]:
        return {kind.section: tuple(kind.ordered(self.of(kind.section))) for kind in KINDS}

    def timeline(self) -> list[Event]:
        """Events in date order; events of the same date keep file order."""
        return self.in_order("events")

    def context_in_order(self) -> list[ContextItem]:
        """Context items by date, undated ones last, otherwise in file order."""
        return self.in_order("context")

    def event_tallies(self, counts: str | None = None) -> list[Tally]:
        """Figures about the event itself, not background; only those counting ``counts`` if given."""
        return [t for t in self.tallies if t.context is None and counts in (None, t.counts)]

    def figures(self, counts: str) -> list[Tally]:
        """The event's figures for one measure: whole-event totals, then sites' totals, then parts of a total."""
        rank = {"event": 0, "site": 1, "part": 2}
        return sorted(self.event_tallies(counts), key=lambda t: rank[t.coverage])

    def claims_over_time(self, counts: str) -> list[Claim]:
        """Every whole-event total for one measure in the order it was first reported; empty when all came at once.

        A figure's first report is the earliest of its evidence sources (by
        publication day and time); a table of one moment would show nothing.
        """
        claims = []
        for tally in self.event_tallies(counts):
            if tally.coverage != "event":
                continue  # sites and parts are no toll of the event: they stay in the table above
            claims.append(Claim(tally, self.report_of(tally)))
        claims.sort(key=lambda c: c.source.moment)
        return claims if len({c.source.moment for c in claims}) > 1 else []

    def background_tallies(self) -> list[Tally]:
        """Figures that belong to context items."""
        return [t for t in self.tallies if t.context is not None]

    def context_tallies(self, context_id: str) -> list[Tally]:
        """Figures that belong to one context item."""
        return [t for t in self.tallies if t.context == context_id]

    def claims_of(self, actor_id: str) -> list[Tally]:
        """The figures an actor claimed, alone or jointly."""
        return [t for t in self.tallies if actor_id in t.claimants]

    def relayed_by(self, actor_id: str) -> list[Tally]:
        """The figures a report attributes to an outlet it cites (``citing Reuters``)."""
        return [t for t in self.tallies if actor_id in t.via]

    def report_of(self, tally: Tally) -> Source:
        """The report that carries a figure: the earliest of its evidence sources."""
        return min((self.source_by_id[ev.source] for ev in tally.evidence), key=lambda s: s.moment)

    def claimant_of(self, tally: Tally) -> Claimant:
        """Who made a claim; unnamed claimants are told apart by the report that names them so."""
        return self._claimants[tally.id]

    def claimants(self) -> list[Claimant]:
        """Everyone who made a claim about the event, in order of first claim."""
        return list(dict.fromkeys(self.claimant_of(t) for t in self.event_tallies()))

    def tallies_by(self, claimant: Claimant) -> list[Tally]:
        """One claimant's figures about the event."""
        return [t for t in self.event_tallies() if self.claimant_of(t) == claimant]

    @cached_property
    def _claimants(self) -> dict[str, Claimant]:
        found: dict[tuple[object, ...], Claimant] = {}
        by_tally: dict[str, Claimant] = {}
        for tally in self.tallies:
            report = self.report_of(tally) if tally.unnamed else None
            actors = tuple(self.actor_by_id[i] for i in tally.claimants)
            # A named claimant is the same in every report; "a police official" is not.
            identity = (tally.claimants, tally.unnamed, report.id if report else None)
            if identity not in found:
                if tally.unnamed:
                    key, kind = str(sum(1 for c in found.values() if c.unnamed) + 1), "unnamed"
                else:
                    key, kind = "-".join(tally.claimants), "claimant" if len(actors) == 1 else "joint"
                found[identity] = Claimant(key, kind, tally.claimed_by(lambda i: self.actor_by_id[i].name), actors,
                                           tally.unnamed, report)
            by_tally[tally.id] = found[identity]
        return by_tally

    def figure_span(self, counts: str = "killed") -> list[Tally]:
        """Whole-event totals for one measure, smallest first: the span across claimants.

        Sites' totals and parts of a total (the police among the dead) are left
        out: a part is no total, and the span would start below every total.
        """
        found = [t for t in self.event_tallies(counts) if t.coverage == "event"]
        return sorted(found, key=lambda t: (t.magnitude, t.floor, t.qualifier != "exact"))

    def measures(self) -> list[str]:
        """What the event's figures count, in order of first appearance."""
        return list(dict.fromkeys(t.counts for t in self.event_tallies()))

    def children(self, place_id: str | None) -> list[Place]:
        """Places directly within ``place_id`` (top-level places for ``None``)."""
        return [p for p in self.places if p.within == place_id]

    def at_place(self, place_id: str) -> Facts:
        """The facts that name a place (not the places within it: see :meth:`children`)."""
        return self._naming["place"].get(place_id) or Facts({})

    def mentions(self, actor_id: str) -> Facts:
        """Every fact that names an actor, members of it included: their page lists these."""
        return self._naming["actor"].get(actor_id) or Facts({})

    @cached_property
    def _naming(self) -> dict[str, dict[str, Facts]]:
        # One pass over the facts for every actor and place, instead of one per page.
        found: dict[str, dict[str, dict[str, list[Item]]]] = {"actor": {}, "place": {}}
        for kind in KINDS:
            for item in self._in_order[kind.section]:
                for target in dict.fromkeys((k, ref) for _, k, ref in item.references() if k in found):
                    if target[0] == "place" and kind.singular == "place":
                        continue  # a place within another is listed as contained, not as a mention
                    by_section = found[target[0]].setdefault(target[1], {})
                    by_section.setdefault(kind.section, []).append(item)
        return {k: {ident: Facts(groups) for ident, groups in named.items()} for k, named in found.items()}

    def corrections(self) -> list[Correction]:
        """Every revision of every fact, newest first."""
        def name_of(actor_id: str) -> str:
            return self.actor_by_id[actor_id].name

        found = [Correction(item, revision, kind, item.subject(name_of),
                            " / ".join(self.source_by_id[revision.source].publishers))
                 for kind in KINDS if kind.revisable for item in self.of(kind.section) for revision in item.revisions]
        return sorted(found, key=lambda c: (c.revision.changed, c.fact.id), reverse=True)

    @cached_property
    def last_changed(self) -> date | None:
        """The newest date the data gives for its own making: a source's publication or retrieval, a revision.

        Taken from the data rather than the clock, so the same facts build the same pages.
        """
        dates = [d for s in self.sources for d in (s.publication.start, s.retrieved) if d is not None]
        dates += [c.revision.changed for c in self.corrections()]
        return max(dates, default=None)

    def notes(self) -> list[str]:
        """The overview's numbered notes, in reading order: each summary-box line's evidence, then the summary's."""
        return list(self.info.summary_lines()) + (["summary"] if self.info.evidence else [])

    def totals(self) -> dict[str, list[Tally]]:
        """Each count that has whole-event totals, with them smallest first: the summary box's figures."""
        spans = {measure: self.figure_span(measure) for measure in self.measures()}
        return {measure: span for measure, span in spans.items() if span}

    def fact_counts(self) -> dict[str, int]:
        """How many facts of each kind the sheet holds."""
        return {kind.section: len(self.of(kind.section)) for kind in KINDS if kind.is_fact}


@dataclass(frozen=True)
class Project:
    """Every sheet under the content folder, ordered by id."""

    sheets: tuple[Sheet, ...]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings of every sheet, in order."""
        return sorted(w for sheet in self.sheets for w in sheet.warnings)

