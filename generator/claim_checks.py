"""Rules about who gave which figure, when: report times, revisions, withdrawals, relays, standing.

Part of the whole-sheet check (:func:`generator.checks.check_sheet`); every
rule here skips what a dangling id already made an error, so that one slip
gives one message.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import Diagnostic
from .load import Entry, RawSheet
from .models import LOCAL_ZONE, QUALIFIERS, Actor, SheetInfo, Source, Tally
from .moments import Moment, Zone, parse_zone
from .numbers import numbers_in
from .standing import claimant_identity, earlier_figures, stories

# Words that make a figure no exact count ("as many as 50", "about 200", "more than 100"), each with its qualifier.
_HEDGE_FIX = {hedge: name for name, meaning in QUALIFIERS.items() for hedge in meaning.hedges}
_HEDGE = re.compile(r"\b(" + "|".join(sorted(_HEDGE_FIX, key=len, reverse=True))
                    + r")\s+((?:\d[\d,]*)|(?:[a-z]+(?:-[a-z]+)?))", re.IGNORECASE)
# Kinds of actor a report can cite as having carried a claim.
_RELAYS = {"media-outlet"}
# Kinds of actor whose standing as a claimant no default can say: a party to the violence, or not.
_ROLE_NEEDED = {"armed-group", "coalition"}


def check_claims(raw: RawSheet) -> list[Diagnostic]:
    """Every problem with figures over time and their claimants, in file order of the rules."""
    sources: dict[str, Source] = {e.model.id: e.model for e in raw.sections["sources"]}
    actors: dict[str, Actor] = {e.model.id: e.model for e in raw.sections["actors"]}
    info = raw.info.model if raw.info else None
    zone = parse_zone(info.timezone) if info and info.timezone else None
    tallies: list[Entry[Tally]] = raw.sections["tallies"]
    problems = _report_times(raw, zone)
    problems += _not_archived(raw, sources)
    story = stories(sources)
    for entry in tallies:
        problems += _relays(entry, actors)
        problems += _figure_words(entry)
        problems += _revision_claimants(entry, tallies, sources, story, actors, zone)
    problems += _roles_needed(tallies, actors)
    return problems


def _report_times(raw: RawSheet, zone: Zone | None) -> list[Diagnostic]:
    """No report of the event before the event; none after the sheet says its collection ends."""
    info = raw.info.model if raw.info else None
    if info is None:
        return []
    problems: list[Diagnostic] = []
    event = info.date.moment(zone) if info.date else None
    # Background facts may cite reports older than the event; the event's own facts may not.
    of_event = {ev.source for entry in [raw.info, *raw.sections["events"], *raw.sections["tallies"]]
                if entry is not None and getattr(entry.model, "context", None) is None
                for _, ev in entry.model.evidence_items()}
    for entry in raw.sections["sources"]:
        source: Source = entry.model
        published = source.moment(zone)
        if event is not None and source.id in of_event and published.known_before(event):
            problems.append(entry.diagnostic(
                "report-before-event", f"report {source.id!r} is stamped {_stamp(source)}, before the event "
                f"({_event_stamp(info)})", ("time",) if source.time else ("published",),
                "check the page's date, time and zone; if the zone it shows cannot be right, write `timezone: "
                "unknown`"))
        until = info.collected_until
        if until is not None and source.publication.start > until:
            problems.append(entry.diagnostic(
                "report-after-collection", f"report {source.id!r} was published after the sheet's collection of "
                f"reports ends ({until.isoformat()})", ("published",),
                "move `collected_until` in the sheet, or leave the report out"))
    return problems


def _event_stamp(info: SheetInfo) -> str:
    spec = info.date
    if spec is None:
        return ""
    zone = info.timezone if spec.timezone in (None, LOCAL_ZONE) else spec.timezone
    return " ".join(part for part in (spec.value, spec.time, zone if spec.time else None) if part)


def _stamp(source: Source) -> str:
    return " ".join(part for part in (source.published, source.time, source.timezone) if part)


def _not_archived(raw: RawSheet, sources: Mapping[str, Source]) -> list[Diagnostic]:
    """Evidence needs an archived text: a story kept only so its copies can name it cannot be cited."""
    located = ([raw.info] if raw.info else []) + [e for section in raw.sections.values() for e in section]
    return [entry.diagnostic("source-not-archived", f"source {ev.source!r} has no archived text to quote",
                             (*path, "source"), "archive the report's text and give `archive:`, or cite a copy")
            for entry in located for path, ev in entry.model.evidence_items()
            if ev.source in sources and sources[ev.source].archive is None]


def _relays(entry: Entry[Tally], actors: Mapping[str, Actor]) -> list[Diagnostic]:
    """A relay chain names each outlet once, and only outlets: a loop or a person cannot carry a report."""
    tally = entry.model
    problems: list[Diagnostic] = []
    seen = set(tally.claimants)
    for index, ident in enumerate(tally.via):
        if ident in seen:
            problems.append(entry.diagnostic(
                "via-loop", f"the relay chain names {ident!r} twice (or names the claimant)", ("via", index),
                "list each outlet the report cites once, nearest first"))
        seen.add(ident)
        actor = actors.get(ident)
        if actor is not None and actor.kind not in _RELAYS:
            problems.append(entry.diagnostic(
                "via-not-outlet", f"{ident!r} is a {actor.kind}, not an outlet that carries reports", ("via", index),
                "`via` lists the publishers and agencies a report cites; a person or body who gave the figure is "
                "the `claimant`"))
    return problems


def _figure_words(entry: Entry[Tally]) -> list[Diagnostic]:
    """`words` state the value; an exact value is not one the quotes hedge."""
    tally = entry.model
    problems: list[Diagnostic] = []
    if tally.words and tally.qualifier != "vague":
        wanted = [v for v in (tally.value, tally.low, tally.high) if v is not None]
        stated = numbers_in(tally.words)
        if not set(wanted) <= stated:
            problems.append(entry.diagnostic(
                "words-value-mismatch", f"words {tally.words!r} do not state {' and '.join(f'{v:,}' for v in wanted)}",
                ("words",), f"make `value` the number the words state ({', '.join(f'{n:,}' for n in sorted(stated))})"
                if stated else "give the words that state the number, e.g. `words: as many as 50`"))
    if tally.qualifier == "exact" and tally.value is not None and not tally.derivation:
        for evidence in tally.evidence:
            for found in _HEDGE.finditer(evidence.quote):
                if tally.value in numbers_in(found.group(2)):
                    hedge = found.group(1).lower()
                    fix = _HEDGE_FIX[hedge]
                    problems.append(entry.diagnostic(
                        "exact-but-hedged", f"the quote says {found.group(0)!r}, but the figure is exact",
                        ("qualifier",), f"write `qualifier: {fix}` and `words: {found.group(0)}`").as_warning())
                    return problems
    return problems


def _revision_claimants(entry: Entry[Tally], tallies: list[Entry[Tally]], sources: Mapping[str, Source],
                        story: Mapping[str, str],
                        actors: Mapping[str, Actor], zone: Zone | None) -> list[Diagnostic]:
    """A revision is its own claimant's change: the earlier figure's tally must come from the same body."""
    tally = entry.model
    if not tally.revisions:
        return []
    models = [e.model for e in tallies]
    problems: list[Diagnostic] = []
    for index, revision in enumerate(tally.revisions):
        for earlier in earlier_figures(tally, revision, models):
            if not _same_body(tally, earlier, sources, story, actors, zone):
                problems.append(entry.diagnostic(
                    "revision-claimant", f"the earlier figure {revision.earlier!r} is tally {earlier.id!r}, claimed "
                    f"by {earlier.claimed_by(repr)}, not by {tally.claimed_by(repr)}", ("revisions", index, "previous"),
                    "a revision is one claimant changing its own figure; another claimant's later figure is a "
                    "claim of its own: remove the revision, or correct the claimant"))
    return problems


def _same_body(one: Tally, other: Tally, sources: Mapping[str, Source], story: Mapping[str, str],
               actors: Mapping[str, Actor], zone: Zone | None) -> bool:
    def published(source: Source) -> Moment:
        return source.moment(zone)

    if claimant_identity(one, sources, published, story) == claimant_identity(other, sources, published, story):
        return True
    # A minister revising the ministry's figure: one belongs to the other; or a ministry
    # revising the police's toll: both speak for one state.
    mine, theirs = _named(one), _named(other)
    my_bodies, their_bodies = _bodies(mine, actors), _bodies(theirs, actors)
    if set(mine) & their_bodies or set(theirs) & my_bodies:
        return True
    return any(actors[b].kind == "state" for b in my_bodies & their_bodies)


def _named(tally: Tally) -> tuple[str, ...]:
    return (tally.speaks_for,) if tally.speaks_for else tally.claimants


def _bodies(ids: tuple[str, ...], actors: Mapping[str, Actor]) -> set[str]:
    """The actors and every body they belong to."""
    found: set[str] = set()
    for ident in ids:
        while ident in actors and ident not in found:
            found.add(ident)
            ident = actors[ident].affiliation or ident
    return found


def _roles_needed(tallies: list[Entry[Tally]], actors: Mapping[str, Actor]) -> list[Diagnostic]:
    """An armed group or coalition that gives a figure must say whether it speaks of its own acts."""
    warned: set[str] = set()
    problems: list[Diagnostic] = []
    for entry in tallies:
        tally: Any = entry.model
        for index, ident in enumerate(tally.claimants):
            actor = actors.get(ident)
            if actor is None or actor.claims_as or actor.kind not in _ROLE_NEEDED or ident in warned:
                continue
            warned.add(ident)
            sub = ("claimant", index) if isinstance(tally.claimant, list) else ("claimant",)
            problems.append(entry.diagnostic(
                "claimant-role-missing", f"{actor.kind} {ident!r} gives a figure but its actor has no `claims_as`",
                sub, "set `claims_as: perpetrator` on the actor if it speaks of its own acts (its figure is then "
                "shown apart, never in a span), or `claims_as: monitor`, `official`, ...").as_warning())
    return problems
