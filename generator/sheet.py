"""A validated sheet as a whole, and the questions pages ask of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from .anchors import fragment
from .errors import Diagnostic
from .models import Actor, ContextItem, Event, Place, Quote, Revision, SheetInfo, Source, Tally

T = TypeVar("T", Actor, Place, Event, Tally, Quote, ContextItem, Source)


def _index(items: Sequence[T]) -> dict[str, T]:
    return {item.id: item for item in items}


@dataclass(frozen=True)
class Mentions:
    """Every fact of a sheet that names one actor."""

    events: list[Event]
    tallies: list[Tally]
    quotes: list[Quote]
    context: list[ContextItem]
    members: list[Actor]

    @property
    def count(self) -> int:
        """How many facts name the actor."""
        return sum(len(group) for group in (self.events, self.tallies, self.quotes, self.context, self.members))


QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about "}


def figure_text(tally: Tally) -> str:
    """A figure as a reader says it: ``at least 32``, ``5,000 to 13,000``, ``more than 70 percent``."""
    if tally.qualifier == "range":
        text = f"{tally.low:,} to {tally.high:,}"
    else:
        text = f"{QUALIFIER_WORDS[tally.qualifier]}{tally.value:,}"
    return f"{text} {tally.unit}" if tally.unit else text


@dataclass(frozen=True)
class Correction:
    """One revision of one fact, with where the fact is shown."""

    fact: Event | Tally | Quote
    revision: Revision
    page: str  # page of the sheet that shows the fact, without suffix: ``casualties``

    @property
    def anchor(self) -> str:
        """The fact's fragment id on its page."""
        kind = "tally" if isinstance(self.fact, Tally) else "quote" if isinstance(self.fact, Quote) else "event"
        return fragment(self.fact.id, kind)

    @property
    def current(self) -> str:
        """What the fact says now."""
        if isinstance(self.fact, Tally):
            return figure_text(self.fact)
        if isinstance(self.fact, Quote):
            return self.fact.text
        return self.fact.description

    @property
    def subject(self) -> str:
        """A short name of the fact for headings and feed titles."""
        if isinstance(self.fact, Tally):
            return f"{self.fact.counts} ({self.fact.id})"
        if isinstance(self.fact, Quote):
            return f"quote {self.fact.id}"
        return self.fact.title


@dataclass(frozen=True)
class PlaceFacts:
    """Every fact of a sheet that names one place."""

    events: list[Event]
    tallies: list[Tally]
    context: list[ContextItem]

    @property
    def count(self) -> int:
        """How many facts name the place."""
        return len(self.events) + len(self.tallies) + len(self.context)


@dataclass(frozen=True)
class Sheet:
    """One fact sheet after every check passed. Items keep the order of the files."""

    info: SheetInfo
    sources: tuple[Source, ...] = ()
    actors: tuple[Actor, ...] = ()
    places: tuple[Place, ...] = ()
    events: tuple[Event, ...] = ()
    tallies: tuple[Tally, ...] = ()
    quotes: tuple[Quote, ...] = ()
    context: tuple[ContextItem, ...] = ()
    # Problems that do not stop the build, such as a figure no quote states.
    warnings: tuple[Diagnostic, ...] = field(default=(), repr=False, compare=False)
    source_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    actor_by_id: dict[str, Actor] = field(init=False, repr=False, compare=False)
    place_by_id: dict[str, Place] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "source_by_id", _index(self.sources))
        object.__setattr__(self, "actor_by_id", _index(self.actors))
        object.__setattr__(self, "place_by_id", _index(self.places))

    @property
    def id(self) -> str:
        """The sheet's id, which is also its folder and URL prefix."""
        return self.info.id

    def timeline(self) -> list[Event]:
        """Events in date order; events of the same date keep file order."""
        return list(self._timeline)

    @cached_property
    def _timeline(self) -> tuple[Event, ...]:
        return tuple(sorted(self.events, key=lambda e: (e.date.period.start, e.date.period.end)))

    def context_in_order(self) -> list[ContextItem]:
        """Context items by date, undated ones last, otherwise in file order."""
        return list(self._context_in_order)

    @cached_property
    def _context_in_order(self) -> tuple[ContextItem, ...]:
        return tuple(sorted(self.context, key=lambda c: (c.date is None, c.date.period.start if c.date else None)))

    def event_tallies(self) -> list[Tally]:
        """Figures about the event itself, not background."""
        return [t for t in self.tallies if t.context is None]

    def context_tallies(self, context_id: str) -> list[Tally]:
        """Figures that belong to one context item."""
        return [t for t in self.tallies if t.context == context_id]

    def claimants(self) -> list[Actor]:
        """Actors who made a claim about the event, in order of first claim."""
        seen: dict[str, Actor] = {}
        for tally in self.event_tallies():
            seen.setdefault(tally.claimant, self.actor_by_id[tally.claimant])
        return list(seen.values())

    def tallies_by(self, claimant: str) -> list[Tally]:
        """One claimant's figures about the event."""
        return [t for t in self.event_tallies() if t.claimant == claimant]

    def headline(self, counts: str = "killed") -> list[Tally]:
        """Whole-event figures for one measure, smallest first: the span across claimants."""
        found = [t for t in self.event_tallies() if t.counts == counts and t.where is None]
        return sorted(found, key=lambda t: (t.floor, t.qualifier != "exact"))

    def measures(self) -> list[str]:
        """What the event's figures count, in order of first appearance."""
        return list(dict.fromkeys(t.counts for t in self.event_tallies()))

    def children(self, place_id: str | None) -> list[Place]:
        """Places directly within ``place_id`` (top-level places for ``None``)."""
        return [p for p in self.places if p.within == place_id]

    def at_place(self, place_id: str) -> PlaceFacts:
        """Events, figures and context that name a place."""
        return PlaceFacts(
            events=[e for e in self.timeline() if place_id in e.places],
            tallies=[t for t in self.tallies if t.where == place_id],
            context=[c for c in self.context_in_order() if place_id in c.places],
        )

    def mentions(self, actor_id: str) -> Mentions:
        """Every fact that names an actor: their page lists these."""
        return self._mentions.get(actor_id, Mentions([], [], [], [], []))

    @cached_property
    def _mentions(self) -> dict[str, Mentions]:
        # One pass over the facts for all actors, instead of one per actor page.
        found = {a.id: Mentions([], [], [], [], []) for a in self.actors}
        for event in self._timeline:
            for actor_id in dict.fromkeys(event.actors):
                found[actor_id].events.append(event)
        for tally in self.tallies:
            found[tally.claimant].tallies.append(tally)
        for quote in self.quotes:
            found[quote.speaker].quotes.append(quote)
        for item in self._context_in_order:
            for actor_id in dict.fromkeys(item.actors):
                found[actor_id].context.append(item)
        for actor in self.actors:
            if actor.affiliation:
                found[actor.affiliation].members.append(actor)
        return found

    def corrections(self) -> list[Correction]:
        """Every revision of every fact, newest first."""
        found = [Correction(t, r, "casualties") for t in self.tallies for r in t.revisions]
        found += [Correction(e, r, "timeline") for e in self.events for r in e.revisions]
        found += [Correction(q, r, "quotes") for q in self.quotes for r in q.revisions]
        return sorted(found, key=lambda c: (c.revision.changed, c.fact.id), reverse=True)

    def fact_counts(self) -> dict[str, int]:
        """How many facts of each kind the sheet holds."""
        return {
            "actors": len(self.actors), "places": len(self.places), "events": len(self.events),
            "tallies": len(self.tallies), "quotes": len(self.quotes), "context": len(self.context),
        }


@dataclass(frozen=True)
class Project:
    """Every sheet under the content folder, ordered by id."""

    sheets: tuple[Sheet, ...]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings of every sheet, in order."""
        return sorted(w for sheet in self.sheets for w in sheet.warnings)
