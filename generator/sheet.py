"""A validated sheet as a whole, and the questions pages ask of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .errors import Diagnostic
from .models import (
    ACTOR_KIND_LABELS,
    LOCAL_ZONE,
    Actor,
    ClaimantRole,
    ContextItem,
    DateSpec,
    EditorsReading,
    Event,
    Evidence,
    FigureRevision,
    Item,
    Place,
    Quote,
    Revision,
    SheetInfo,
    Source,
    Tally,
)
from .moments import Moment, Ordered, Zone, in_order, local_words, parse_zone
from .registry import KINDS, Kind, group_key
from .standing import Standing, claimant_identity, first_report, standings, stories


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
    revision: Revision | FigureRevision
    kind: Kind
    subject: str  # the fact in words, for headings and feed titles
    outlet: str  # who published the new value

    @property
    def current(self) -> str:
        """What the fact says now."""
        return self.fact.current

    @property
    def change(self) -> str | None:
        """A figure's change in words (``revised down from 48 to 34``); ``None`` for other facts."""
        if isinstance(self.fact, Tally) and isinstance(self.revision, FigureRevision):
            return self.revision.direction(self.fact)
        return None


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
class Headline:
    """What the summary box says of one count.

    ``span``: the current figures from claimants who are no party to the
    violence, smallest first. When the toll changed over time, ``latest`` holds
    the current figures of the last reports and ``first`` those of the first
    reports. ``own_acts`` are claims by parties to the violence about their own
    acts, shown apart; ``reading`` is the editors' own, when they give one.
    """

    counts: str
    span: list[Tally]
    latest: list[Tally]
    first: list[Tally]
    own_acts: list[Tally]
    replaced: list[Tally]  # superseded and withdrawn figures of claimants no party to the violence
    reading: EditorsReading | None

    @property
    def changed_over_time(self) -> bool:
        """Whether the toll rose or fell between the first reports and the last."""
        return bool(self.latest)

    @property
    def current(self) -> list[Tally]:
        """The figures that stand now: the latest reports' when the toll changed over time, else the span."""
        return self.latest or self.span

    @property
    def sort_value(self) -> int | None:
        """The largest figure that stands now (a range by its top), to sort events by; ``None`` without one."""
        return max((v for t in self.current for v in (t.value, t.high, t.low) if v is not None), default=None)


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
        """The first report of the story a source tells: copies, updates, versions and translations lead to it."""
        return self._stories[source_id]

    @cached_property
    def _stories(self) -> dict[str, str]:
        return stories(self.source_by_id)

    @cached_property
    def zone(self) -> Zone | None:
        """The event place's time zone, if the sheet gives it."""
        return parse_zone(self.info.timezone) if self.info.timezone else None

    def published(self, source: Source) -> Moment:
        """When a report was published, as an interval: as precise as its stamp."""
        return source.moment(self.zone)

    def moment_of(self, tally: Tally) -> Moment:
        """When a figure was first reported: the publication of its earliest report."""
        return self.published(self.report_of(tally))

    def claimed_at(self, tally: Tally) -> Moment:
        """When a figure was given: its `date` if it has one, never after its first report; else that report's.

        A Monday report of Sunday's toll gives a figure of Sunday.
        """
        reported = self.moment_of(tally)
        if tally.date is None:
            return reported
        given = tally.date.moment(self.zone)
        return Moment(min(given.earliest, reported.earliest), min(given.latest, reported.latest))

    @cached_property
    def collected_until(self) -> date | None:
        """The day the collection of reports ends: as the sheet says, else the newest report's publication."""
        days = [s.publication.end for s in self.sources if s.archive]
        return self.info.collected_until or max(days, default=None)

    def independent_reports(self, evidence: Iterable[Evidence]) -> int:
        """How many independent reports some evidence cites: copies and updates of one story count once."""
        return len({self.story_of(item.source) for item in evidence})

    @property
    def stories(self) -> int:
        """How many independent reports the sheet draws on: copies and updates of one story count once."""
        return len({self.story_of(source.id) for source in self.archived})

    @property
    def archived(self) -> tuple[Source, ...]:
        """The reports the sheet archives and cites; stories it does not archive are named by their copies."""
        return tuple(s for s in self.sources if s.archive)

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

    def claims_over_time(self, counts: str) -> Ordered[Claim] | None:
        """Every whole-event total for one measure, in groups of known order over time; ``None`` if all at once.

        Within a group the order is unknown; figures known only to the month
        or year stand apart. A figure's first report is the earliest of its evidence sources; two
        reports are in a known order only when their moments do not overlap.
        """
        claims = [Claim(t, self.report_of(t)) for t in self.event_tallies(counts) if t.coverage == "event"]
        ordered = in_order(claims, lambda c: self.published(c.source))
        return ordered if len(ordered.groups) > 1 else None

    def in_time_order(self, tallies: Iterable[Tally]) -> list[Claim]:
        """Figures with their first reports, oldest first as far as the reports' dates and times tell."""
        return in_order([Claim(t, self.report_of(t)) for t in tallies], lambda c: self.published(c.source)).flat

    def background_tallies(self) -> list[Tally]:
        """Figures that belong to context items."""
        return [t for t in self.tallies if t.context is not None]

    def context_tallies(self, context_id: str) -> list[Tally]:
        """Figures that belong to one context item."""
        return [t for t in self.tallies if t.context == context_id]

    def claims_of(self, actor_id: str) -> list[Tally]:
        """The figures an actor claimed, alone or jointly, or through people speaking for it."""
        return [t for t in self.tallies if actor_id in t.claimants or t.speaks_for == actor_id]

    def relayed_by(self, actor_id: str) -> list[Tally]:
        """The figures a report attributes to an outlet it cites (``citing Reuters``)."""
        return [t for t in self.tallies if actor_id in t.via]

    def report_of(self, tally: Tally) -> Source:
        """The report that carries a figure: the first of its evidence sources (see :func:`first_report`)."""
        first = first_report(tally, self.source_by_id, self.published)
        if first is None:
            raise KeyError(f"tally {tally.id!r} cites no source of the sheet")  # checks make this impossible
        return first

    def figures_in(self, source_id: str) -> list[Tally]:
        """The figures a report carries, in file order."""
        return [t for t in self.tallies if any(ev.source == source_id for ev in t.evidence)]

    @cached_property
    def _standing(self) -> dict[str, Standing]:
        return standings(self.tallies, self.identity_of, self.known_before, self.claimed_at)

    def known_before(self, earlier: Tally, later: Tally) -> bool:
        """Whether one figure is known to have been reported before another.

        Known from their reports' moments, or because the later one's report
        is an update of the earlier one's.
        """
        if self.claimed_at(earlier).known_before(self.claimed_at(later)):
            return True
        first, source = self.report_of(earlier).id, self.report_of(later)
        seen = {source.id}
        while source.update_of and source.update_of in self.source_by_id and source.update_of not in seen:
            if source.update_of == first:
                return True
            seen.add(source.update_of)
            source = self.source_by_id[source.update_of]
        return False

    def standing(self, tally: Tally) -> Standing:
        """Whether a figure stands: current, superseded (and by which tally) or withdrawn."""
        return self._standing[tally.id]

    def status(self, tally: Tally) -> str:
        """``current``, ``superseded`` or ``withdrawn``."""
        return self._standing[tally.id].status

    @cached_property
    def tally_by_id(self) -> dict[str, Tally]:
        """Figures by id."""
        return {t.id: t for t in self.tallies}

    def identity_of(self, tally: Tally) -> object:
        """Who made a claim, as one body (see :func:`generator.standing.claimant_identity`)."""
        return claimant_identity(tally, self.source_by_id, self.published, self._stories)

    def actor_role(self, actor: Actor) -> ClaimantRole:
        """An actor's standing as a claimant: as set, else by its kind, else that of the body it belongs to."""
        seen: set[str] = set()
        while True:
            if actor.claims_as:
                return actor.claims_as
            role = _ROLE_BY_KIND.get(actor.kind)
            if role:
                return role
            if actor.affiliation is None or actor.affiliation in seen:
                return "other"
            seen.add(actor.id)
            actor = self.actor_by_id[actor.affiliation]

    def role_of(self, tally: Tally) -> ClaimantRole:
        """The claimant's standing; a joint claim with a party to the violence is that party's."""
        if tally.speaks_for:
            return self.actor_role(self.actor_by_id[tally.speaks_for])
        roles = [self.actor_role(self.actor_by_id[i]) for i in tally.claimants]
        if tally.unnamed:
            roles.append(tally.claims_as or "other")
        if "perpetrator" in roles:
            return "perpetrator"
        return roles[0] if len(set(roles)) == 1 else "other"

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
        found: dict[object, Claimant] = {}
        by_tally: dict[str, Claimant] = {}
        unnamed_count = 0
        for tally in self.tallies:
            # A named claimant is the same in every report; "a police official" only within one story.
            identity = self.identity_of(tally)
            if identity not in found:
                ids = (tally.speaks_for,) if tally.speaks_for else tally.claimants
                actors = tuple(self.actor_by_id[i] for i in ids)
                unnamed = None if tally.speaks_for else tally.unnamed
                if unnamed:
                    unnamed_count += 1
                    key, kind = str(unnamed_count), "unnamed"
                else:
                    key, kind = group_key(ids), "claimant" if len(actors) == 1 else "joint"
                names = [a.name for a in actors] + ([unnamed] if unnamed else [])
                name = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
                found[identity] = Claimant(key, kind, name, actors, unnamed,
                                           self.report_of(tally) if unnamed else None)
            by_tally[tally.id] = found[identity]
        return by_tally

    def totals_of(self, counts: str) -> list[Tally]:
        """Whole-event totals for one measure, every status and claimant, in file order.

        Sites' totals and parts of a total (the police among the dead) are left
        out: a part is no total, and a span would start below every total.
        """
        return [t for t in self.event_tallies(counts) if t.coverage == "event"]

    def figure_span(self, counts: str = "killed") -> list[Tally]:
        """The figures that stand for one measure, smallest first: the span across claimants.

        Only current whole-event totals from claimants who are no party to the
        violence: a superseded or withdrawn figure, or a perpetrator's boast,
        never sets a span's end.
        """
        found = [t for t in self.totals_of(counts) if self.status(t) == "current" and self.role_of(t) != "perpetrator"]
        return _smallest_first(found)

    def headline(self, counts: str) -> Headline:
        """What the summary box says of one count.

        The latest and first figures when it changed over time, else the span
        of the current figures; the parties' own claims apart; the editors'
        reading if given.
        """
        totals = self.totals_of(counts)
        own = [t for t in totals if self.role_of(t) == "perpetrator" and self.status(t) != "withdrawn"]
        standing = [t for t in totals if self.role_of(t) != "perpetrator" and self.status(t) != "withdrawn"]
        groups = in_order(standing, self.moment_of).groups
        latest: list[Tally] = []
        first: list[Tally] = []
        if len(groups) > 1:
            last = next(g for g in reversed(groups) if any(self.status(t) == "current" for t in g))
            latest = _smallest_first([t for t in last if self.status(t) == "current"])
            first = _smallest_first(groups[0])
            if last is groups[0] or {(t.reading, t.unit) for t in latest} == {(t.reading, t.unit) for t in first}:
                latest, first = [], []
        reading = next((r for r in self.info.editors_reading if r.counts == counts), None)
        replaced = [t for t in totals if self.role_of(t) != "perpetrator" and self.status(t) != "current"]
        return Headline(counts, self.figure_span(counts), latest, first, own, replaced, reading)

    def appeared(self, source: Source) -> str:
        """When a report appeared, in words: its day, and its time in the event place's zone when it shows one."""
        if not source.time:
            return source.publication.display()
        return local_words(source.publication.start, source.time, source.timezone, self.info.timezone)

    def when(self, spec: DateSpec) -> str:
        """A date as pages give it: a time of day in the event place's zone, as :meth:`appeared` does."""
        if not spec.time:
            return spec.period.display()
        zone = None if spec.timezone in (None, LOCAL_ZONE) else spec.timezone
        return local_words(spec.period.start, spec.time, zone, self.info.timezone)

    def measures(self) -> list[str]:
        """What the event's figures count, in order of first appearance."""
        return list(dict.fromkeys(t.counts for t in self.event_tallies()))

    def children(self, place_id: str | None) -> list[Place]:
        """Places directly within ``place_id`` (top-level places for ``None``)."""
        return list(self._children.get(place_id, ()))

    @cached_property
    def _children(self) -> dict[str | None, list[Place]]:
        # Once for all places: a page that asks for each place's children stays linear in places.
        found: dict[str | None, list[Place]] = {}
        for place in self.places:
            found.setdefault(place.within, []).append(place)
        return found

    def at_place(self, place_id: str) -> Facts:
        """The facts that name a place (not the places within it: see :meth:`children`)."""
        return self._naming["place"].get(place_id) or Facts({})

    def mentions(self, actor_id: str) -> Facts:
        """Every fact that names an actor, members of it included: their page lists these."""
        return self._naming["actor"].get(actor_id) or Facts({})

    def actors_listed(self) -> tuple[dict[str, list[Actor]], list[Actor]]:
        """The list of actors: those some fact names by kind (in the order of the kinds), then the others.

        The others are those only the reports name (an outlet cited once); kinds no actor has are left out.
        """
        by_kind: dict[str, list[Actor]] = {kind: [] for kind in ACTOR_KIND_LABELS}
        others: list[Actor] = []
        for actor in self.actors:
            (by_kind[actor.kind] if self.mentions(actor.id).count else others).append(actor)
        return {kind: actors for kind, actors in by_kind.items() if actors}, others

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

    def changes(self) -> list[Correction]:
        """Every revision of every fact by a later report, newest first (not the editors' corrections)."""
        def name_of(actor_id: str) -> str:
            return self.actor_by_id[actor_id].name

        found = [Correction(item, revision, kind, item.subject(name_of),
                            " / ".join(self.source_by_id[revision.source].publishers))
                 for kind in KINDS if kind.revisable for item in self.of(kind.section) for revision in item.revisions]
        return sorted(found, key=lambda c: (c.revision.changed, c.fact.id), reverse=True)

    @cached_property
    def newest_date(self) -> date | None:
        """The newest date the data gives: a source's publication or retrieval, a revision.

        Dates the build (sitemap, archives) when the sheet's own last change is not known;
        taken from the data rather than the clock, so the same facts build the same pages.
        """
        dates = [d for s in self.sources for d in (s.publication.start, s.retrieved) if d is not None]
        dates += [c.revision.changed for c in self.changes()]
        dates += [c.fixed for c in self.info.corrections]
        return max(dates, default=None)

    def notes(self) -> list[str]:
        """The overview's numbered notes, in reading order: each summary-box line's evidence, then the summary's."""
        return list(self.info.summary_lines()) + (["summary"] if self.info.evidence else [])

    def headlines(self) -> list[Headline]:
        """The summary box's figures: one headline for each count that has whole-event totals."""
        found = [self.headline(measure) for measure in self.measures()]
        return [h for h in found if h.span or h.own_acts or h.reading]

    def fact_counts(self) -> dict[str, int]:
        """How many facts of each kind the sheet holds."""
        return {kind.section: len(self.of(kind.section)) for kind in KINDS if kind.is_fact}


# A claimant's standing by the kind of actor, where the kind says it.
_ROLE_BY_KIND: dict[str, ClaimantRole] = {
    "government-body": "official", "state": "official", "international-body": "official", "media-outlet": "media",
    "monitor": "monitor",
}


def _smallest_first(tallies: list[Tally]) -> list[Tally]:
    return sorted(tallies, key=lambda t: (t.magnitude, t.floor, t.qualifier != "exact"))


@dataclass(frozen=True)
class Project:
    """Every sheet under the content folder, ordered by id."""

    sheets: tuple[Sheet, ...]

    @property
    def warnings(self) -> list[Diagnostic]:
        """The warnings of every sheet, in order."""
        return sorted(w for sheet in self.sheets for w in sheet.warnings)

    @cached_property
    def shared_actors(self) -> dict[str, list[tuple[Sheet, Actor]]]:
        """Actors declared the same (``shared``) in two sheets or more: ``{shared id: [(sheet, actor), ...]}``."""
        found: dict[str, list[tuple[Sheet, Actor]]] = {}
        for sheet in self.sheets:
            for actor in sheet.actors:
                if actor.shared:
                    found.setdefault(actor.shared, []).append((sheet, actor))
        return {key: entries for key, entries in sorted(found.items()) if len(entries) > 1}

    def shared_of(self, sheet: Sheet, actor: Actor) -> str | None:
        """The site-wide id of ``actor`` of ``sheet``, when another sheet names the same actor."""
        return actor.shared if actor.shared in self.shared_actors else None

