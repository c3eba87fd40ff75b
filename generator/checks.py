"""Rules that need the whole sheet: ids, references, cycles, evidence, dates, revisions.

Run after every file of the sheet was read (:mod:`generator.load`), so that
every problem is reported at once; :mod:`generator.pipeline` builds the
sheet only when none is an error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import PurePosixPath
from typing import Any

from .claim_checks import check_claims
from .dates import resolve_relative
from .errors import Diagnostic
from .evidence import MIN_QUOTE_LETTERS, SourceText, difference, first_difference, looks, normalize, too_short
from .load import Entry, RawSheet
from .models import Evidence, Figure, FigureRevision, Quote, Revisable, Source, Tally
from .moments import parse_zone
from .numbers import numbers_in
from .paths import closest, display_path, relative_inside
from .registry import KIND_BY_SINGULAR, KINDS, PAGES

# The largest archived source text: a news report is some kilobytes, a whole book a few
# megabytes. Checking an archive takes time and memory in proportion to its size.
MAX_ARCHIVE_BYTES = 8 * 2**20
# How many unknown ids of one sheet get the closest known id as a hint.
_CLOSEST_HINTS = 100
# How many kinds of count a hint lists.
_LISTED = 30


def check_sheet(raw: RawSheet, counts: Collection[str]) -> list[Diagnostic]:
    """Every whole-sheet problem: duplicate ids, dangling references, cycles, evidence, dates.

    ``counts`` is the vocabulary of kinds of count (:mod:`generator.vocabulary`).
    """
    entries = [entry for section in raw.sections.values() for entry in section]
    problems = _duplicate_ids(raw) + _reserved_ids(raw)
    ids = {kind.singular: {e.model.id for e in raw.sections[kind.section]} for kind in KINDS}
    choices = {kind: sorted(known) for kind, known in ids.items()}
    located: list[Entry[Any]] = ([raw.info] if raw.info else []) + entries
    unknown = 0
    for entry in located:
        for sub, kind, ref in entry.model.references():
            # An id in a file that could not be read, or on an item that failed
            # validation, is already reported; a dangling reference would be noise.
            if ref not in ids[kind] and ref not in raw.invalid_ids and not raw.unreadable_file:
                unknown += 1
                # Each closest id is a pass over all ids: only so many, so that the cost stays linear.
                hint = closest(ref, choices[kind]) if unknown <= _CLOSEST_HINTS else None
                problems.append(entry.diagnostic(
                    "unknown-id", f"no {kind} has id {ref!r}", sub,
                    f"did you mean {hint!r}?" if hint else f"define it under `{KIND_BY_SINGULAR[kind].section}:`"))
    problems += _cycles(raw)
    problems += _unknown_counts(raw, counts)
    texts, source_problems = _source_texts(raw)
    sources = {e.model.id: e.model for e in raw.sections["sources"]}
    problems += source_problems
    for entry in located:
        quoted = _check_evidence(entry, texts)
        problems += quoted
        problems += _check_dates(entry, raw, sources)
        if isinstance(entry.model, Tally) and not quoted:
            # Compared with its quotes only once they are verified: a warning
            # about a quote that is wrong anyway would be noise.
            tally = entry.model
            if tally.derivation is None:
                problems += _check_figure_numbers(entry, tally, tally.evidence, ())
            problems += _check_figure_words(entry, tally, tally.evidence, ())
            for index, revision in enumerate(tally.revisions):
                at = ("revisions", index, "previous")
                problems += _check_figure_numbers(entry, revision.previous, revision.evidence, at)
                problems += _check_figure_words(entry, revision.previous, revision.evidence, at)
    for entry in raw.sections["quotes"]:
        problems += _check_quote_text(entry)
    for entry in entries:
        problems += _check_revisions(entry, sources)
    problems += _confusables(raw, counts)
    problems += _unused_sources(raw, located)
    problems += _conflicting_figures(raw)
    problems += check_claims(raw)
    return problems


def _unknown_counts(raw: RawSheet, counts: Collection[str]) -> list[Diagnostic]:
    # Pages and charts group the event's figures by what they count: a typo
    # would open a group of its own. A background figure (with `context`) is
    # shown alone, under its context item, and may count anything in words.
    words = sorted(counts)
    add = "add it under `counts:` of the factsheet plugin in mkdocs.yml"
    listed = f"the kinds of count are {', '.join(words[:_LISTED])}{', ...' if len(words) > _LISTED else ''}"
    problems: list[Diagnostic] = []
    for entry in raw.sections["tallies"]:
        tally: Tally = entry.model
        if tally.context is not None or tally.counts in counts:
            continue
        near = closest(tally.counts, words) if len(problems) < _CLOSEST_HINTS else None
        hint = f"did you mean {near!r}? If not, {add}" if near else f"{listed}; to count something else, {add}"
        problems.append(entry.diagnostic("unknown-count", f"unknown kind of count {tally.counts!r}", ("counts",),
                                         hint))
    return problems


def _confusables(raw: RawSheet, counts: Collection[str]) -> list[Diagnostic]:
    """Warnings for names and kinds of count that print like another one but are other text.

    "kіlled" with a Cyrillic "і" opens a group of figures of its own beside
    "killed"; an actor "Іslamic State" is another actor than "Islamic State".
    Ids are ASCII slugs, so they cannot be confused this way.
    """
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, str], str] = {}
    for word in sorted(counts):  # "killed" sorts before "kіlled": the plain spelling is the one kept
        seen.setdefault((_COUNT, looks(word)), word)
    named = [(entry, "name", _NAME, entry.model.name) for kind in ("actors", "places") for entry in raw.sections[kind]]
    named += [(entry, "counts", _COUNT, entry.model.counts) for entry in raw.sections["tallies"]]
    for entry, field, what, value in named:
        first = seen.setdefault((what, looks(value)), value)
        if first != value:
            problems.append(entry.diagnostic(
                "confusable", f"{what} {value!r} prints like {first!r} but is other text", (field,),
                f"write it as {first!r}, or make the difference visible: {first_difference(value, first)}"
            ).as_warning())
    return problems


_NAME, _COUNT = "name", "kind of count"


def _unused_sources(raw: RawSheet, located: list[Entry[Any]]) -> list[Diagnostic]:
    # A source no fact cites is a forgotten fact or a leftover; both mislead
    # the sources page. Sources naming each other (copies, updates) are not
    # citations. An unreadable file or an invalid item may cite it: no noise.
    if raw.unreadable_file:
        return []
    cited = {ref for entry in located if not isinstance(entry.model, Source)
             for _, kind, ref in entry.model.references() if kind == "source"} | raw.invalid_sources
    return [entry.diagnostic("source-unused", f"no fact cites source {entry.model.id!r}", ("id",),
                             f"cite it in an evidence entry (`source: {entry.model.id}` with a quote), "
                             "or remove it from `sources:`").as_warning()
            for entry in raw.sections["sources"] if entry.model.id not in cited]


def _conflicting_figures(raw: RawSheet) -> list[Diagnostic]:
    """Warnings for one claimant's two numbers for the same thing in the same report."""
    seen: dict[tuple[object, ...], list[Entry[Tally]]] = {}
    problems: list[Diagnostic] = []
    for entry in raw.sections["tallies"]:
        tally: Tally = entry.model
        warned = False
        for source in dict.fromkeys(ev.source for ev in tally.evidence):
            earlier = seen.setdefault((*_claim(tally), source), [])
            other = next((e for e in earlier if _conflict(e.model, tally, source)), None)
            earlier.append(entry)
            if other is not None and not warned:  # one warning per tally
                problems.append(_conflict_warning(entry, other, source))
                warned = True
    return problems


def _claim(tally: Tally) -> tuple[object, ...]:
    # Figures for different things, places, parts, background items or days
    # do not conflict: only those that agree on all of these are compared.
    return (tally.claimants, tally.unnamed, tally.counts, tally.coverage, tally.part, tally.scope, tally.where,
            tally.context, tally.unit, tally.date.value if tally.date else None)


def _conflict(first: Tally, second: Tally, source: str) -> bool:
    """Two different numbers, neither a span (range, vague amount) nor a revision of the other."""
    spans = ("range", "vague")
    if first.qualifier in spans or second.qualifier in spans:
        return False
    if (first.value, first.low, first.high) == (second.value, second.low, second.high):
        return False
    return not (_revises(first, second, source) or _revises(second, first, source))


def _revises(tally: Tally, other: Tally, source: str) -> bool:
    # A revision that the shared report made, or one whose earlier value is the other's figure.
    return any(r.source == source or other.same_reading(r.previous) for r in tally.revisions)


def _conflict_warning(entry: Entry[Tally], other: Entry[Tally], source: str) -> Diagnostic:
    tally, first = entry.model, other.model
    line, col = other.doc.mark((*other.node_path, "value"))
    what = f"{tally.counts} ({tally.scope})" if tally.scope else tally.counts
    return entry.diagnostic(
        "conflicting-figures", f"{tally.claimed_by(repr)} gives {tally.figure()} {what} in source {source!r}, "
        f"and {first.figure()} in tally {first.id!r} ({other.doc.path}:{line}:{col})", ("value",),
        "if the report gives both, record one `qualifier: range` tally; if one figure replaced the other, keep "
        "the newer and record the older under `revisions:`; if they count different things, say how (`scope`, "
        "`covers` and `part`)"
    ).as_warning()


def _check_revisions(entry: Entry[Any], sources: Mapping[str, Source]) -> list[Diagnostic]:
    # The new value must be evidenced by the source said to have changed it,
    # published before it could change anything, and be a change at all.
    if not isinstance(entry.model, Revisable):
        return []
    cited = {ev.source for _, ev in entry.model.evidence_items()}
    problems: list[Diagnostic] = []
    for i, revision in enumerate(entry.model.revisions):
        if revision.source not in cited:
            problems.append(entry.diagnostic(
                "revision-source", f"revision source {revision.source!r} is not among the fact's evidence",
                ("revisions", i, "source"), "add an evidence entry quoting the new value from it"))
        # A source known only by its month or year: a revision is too early only before that began.
        day = sources[revision.source].publication.start if revision.source in sources else None
        if day is not None and revision.changed < day:
            problems.append(entry.diagnostic(
                "revision-date", f"revision dated {revision.changed.isoformat()}, before its source was published "
                f"({day.isoformat()})", ("revisions", i, "changed"), "date it on or after the source's publication"))
        if (revision.previous.same_reading(entry.model) if isinstance(revision, FigureRevision)
                else normalize(revision.previous).casefold() == normalize(entry.model.current).casefold()):
            problems.append(entry.diagnostic(
                "revision-unchanged", f"revision's previous value {revision.earlier!r} is the current value",
                ("revisions", i, "previous"), "a revision records a value that changed; delete it or correct it"))
    return problems


def _reserved() -> dict[str, frozenset[str]]:
    """Ids that would name a file beside one of the sheet's own pages, by section of the items."""
    found: dict[str, frozenset[str]] = {}
    for page in PAGES:
        if page.each:
            folder = PurePosixPath(page.path).parent
            found[page.each] = frozenset(PurePosixPath(other.path).stem for other in PAGES
                                         if not other.each and PurePosixPath(other.path).parent == folder)
    return found


# An actor with id ``index`` would take the place of the list of actors (actors/index.md).
RESERVED_IDS = _reserved()


def _reserved_ids(raw: RawSheet) -> list[Diagnostic]:
    return [entry.diagnostic("reserved-id", f"id {entry.model.id!r} is reserved for a page of the sheet", ("id",),
                             f"choose another id, e.g. {entry.model.id + '-1'!r}")
            for section, reserved in RESERVED_IDS.items()
            for entry in raw.sections[section] if entry.model.id in reserved]


def _duplicate_ids(raw: RawSheet) -> list[Diagnostic]:
    # One namespace per sheet: ids become anchors and file names side by side.
    first: dict[str, Entry[Any]] = {}
    problems: list[Diagnostic] = []
    for entries in raw.sections.values():
        for entry in entries:
            earlier = first.setdefault(entry.model.id, entry)
            if earlier is not entry:
                line, col = earlier.doc.mark((*earlier.node_path, "id"))
                problems.append(entry.diagnostic("duplicate-id", f"id {entry.model.id!r} is used twice", ("id",),
                                                 f"first used at {earlier.doc.path}:{line}:{col}"))
    return problems


def _cycles(raw: RawSheet) -> list[Diagnostic]:
    """An item inside itself through items of its own kind: a place within, an actor affiliated, a copy."""
    problems: list[Diagnostic] = []
    for kind in KINDS:
        entries = raw.sections[kind.section]
        parent = {e.model.id: (sub, ref) for e in entries
                  for sub, ref_kind, ref in e.model.references() if ref_kind == kind.singular}
        on_cycle = _on_cycles({ident: ref for ident, (_, ref) in parent.items()})
        problems += [entry.diagnostic("cycle", f"{parent[entry.model.id][0][0]} leads back to {entry.model.id!r}",
                                      parent[entry.model.id][0])
                     for entry in entries if entry.model.id in on_cycle]
    return problems


def _on_cycles(parent: dict[str, str]) -> set[str]:
    """The ids that lead back to themselves through ``parent``: each id is walked from once, however long the chain."""
    done: set[str] = set()
    found: set[str] = set()
    for start in parent:
        path: dict[str, None] = {}
        at: str | None = start
        while at is not None and at not in done and at not in path:
            path[at] = None
            at = parent.get(at)
        if at is not None and at in path:
            walked = list(path)
            found.update(walked[walked.index(at):])
        done.update(path)
    return found


def _source_texts(raw: RawSheet) -> tuple[dict[str, SourceText], list[Diagnostic]]:
    texts: dict[str, SourceText] = {}
    problems: list[Diagnostic] = []
    for entry in raw.sections["sources"]:
        source: Source = entry.model
        if source.archive is None:
            continue  # a story named only by its copies: citing it is an error of its own
        path = relative_inside(raw.folder, source.archive)
        if path is None:
            problems.append(entry.diagnostic("archive-outside", "archive path leaves the sheet folder",
                                             ("archive",), "keep archived texts in the sheet's sources/ folder"))
            continue
        if path.exists() and not path.is_file():
            # A FIFO or device would block or stream forever; a folder is a slip.
            problems.append(entry.diagnostic("archive-not-a-file", f"archived source text {display_path(path)} "
                                             "is not a regular file", ("archive",),
                                             "point archive at a .txt file in the sheet's sources/ folder"))
            continue
        try:
            with path.open("rb") as file:
                data = file.read(MAX_ARCHIVE_BYTES + 1)  # never more: the limit bounds memory too
            if len(data) > MAX_ARCHIVE_BYTES:
                problems.append(entry.diagnostic(
                    "archive-too-large", f"archived source text is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB",
                    ("archive",), "archive only the paragraphs the sheet's facts quote, not the whole page or "
                    "document"))
                continue
            text = data.decode("utf-8")
        except FileNotFoundError:
            problems.append(entry.diagnostic("archive-missing", f"archived source text {display_path(path)} "
                                             "does not exist", ("archive",)))
            continue
        except UnicodeDecodeError as exc:
            problems.append(entry.diagnostic("archive-not-utf8", f"archived source text is not UTF-8 "
                                             f"(byte {exc.start})", ("archive",), "save it as UTF-8"))
            continue
        except OSError as exc:
            problems.append(entry.diagnostic("archive-unreadable", f"cannot read archived source text: "
                                             f"{exc.strerror}", ("archive",)))
            continue
        if not text.strip():
            problems.append(entry.diagnostic("archive-empty", "archived source text is empty", ("archive",)))
            continue
        texts[source.id] = SourceText(text)
    return texts, problems


def _check_evidence(entry: Entry[Any], texts: dict[str, SourceText]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for sub, evidence in entry.model.evidence_items():
        problem = _check_quote(evidence, texts.get(evidence.source))
        if problem is not None:
            problems.append(entry.diagnostic(*problem[:2], (*sub, "quote"), problem[2]))
    return problems


def _check_quote(evidence: Evidence, text: SourceText | None) -> tuple[str, str, str] | None:
    """Code, message and hint of what is wrong with one evidence quote, if anything."""
    if too_short(evidence.quote):
        return ("quote-too-short", f"evidence quote has fewer than {MIN_QUOTE_LETTERS} letters or digits",
                "quote enough of the passage to state the fact")
    if text is None or text.contains(evidence.quote):
        return None  # an unknown or unreadable source is reported once, elsewhere
    cut = text.cut(evidence.quote)
    if cut is not None:
        whole, number = cut
        if number:
            return ("quote-partial-number",
                    f"evidence quote starts or ends inside a number of source {evidence.source!r}",
                    f"the source reads {whole!r}; quote the whole number")
        return ("quote-partial-word", f"evidence quote starts or ends inside a word of source {evidence.source!r}",
                f"the source reads {whole!r}; quote whole words")
    passage = text.closest(evidence.quote)
    hint = f"closest passage: {passage!r}" if passage else "copy the passage from the archived text"
    differs = difference(evidence.quote, passage) if passage else None
    if differs:
        hint += f"; it looks like the quote but {differs}"
    return ("quote-not-found", f"evidence quote does not occur in source {evidence.source!r}", hint)


def _check_figure_numbers(entry: Entry[Tally], figure: Figure, evidence: list[Evidence],
                          at: tuple[str | int, ...]) -> list[Diagnostic]:
    # A figure beside quotes that do not state it misleads even when every
    # quote is genuine; unless the tally says how the number was derived.
    stated = set().union(*(numbers_in(ev.quote) for ev in evidence))
    fields = {"range": ("low", "high"), "vague": ()}.get(figure.qualifier, ("value",))
    return [entry.diagnostic(
        "number-not-in-evidence", f"{name} {getattr(figure, name):,} appears in none of the figure's evidence quotes",
        (*at, name), "quote the words that state it, or add `derivation:` saying how the number follows from them"
    ).as_warning() for name in fields if getattr(figure, name) not in stated]


def _check_figure_words(entry: Entry[Tally], figure: Figure, evidence: list[Evidence],
                        at: tuple[str | int, ...]) -> list[Diagnostic]:
    # Pages print `words` instead of the number: they must be the source's words.
    # Case aside: "As many as 50" opens a sentence where pages say "as many as 50".
    words = figure.words
    if words is None or any(SourceText(ev.quote.lower()).contains(words.lower()) for ev in evidence):
        return []
    return [entry.diagnostic("words-not-in-evidence", "the figure's words do not occur in its evidence",
                             (*at, "words"), "copy them from an evidence quote, e.g. `words: as many as 50`")]


def _check_dates(entry: Entry[Any], raw: RawSheet, sources: Mapping[str, Source]) -> list[Diagnostic]:
    # Relative words resolve against the publication of the fact's first source:
    # the day printed on it, or, for a report stamped with a time, the day it
    # then was at the event's place ("Thursday" in a report filed late on
    # Wednesday in another zone).
    evidence = next(entry.model.evidence_items(), None)
    anchor_source = sources.get(evidence[1].source) if evidence else None
    if anchor_source is None:
        return []
    published = anchor_source.published_day
    if published is None:
        return []  # relative words cannot be resolved without the day of publication
    days = [published]
    info = raw.info.model if raw.info else None
    if anchor_source.time and info is not None and info.timezone:
        zone = parse_zone(info.timezone)
        days += [d for d in anchor_source.moment(zone).local_days(zone) if d != published]
    problems: list[Diagnostic] = []
    for path, spec in entry.model.dates():
        if spec.as_written is None:
            continue
        try:
            resolved = [resolve_relative(spec.as_written, day) for day in days]
        except ValueError as exc:  # the words lead out of the years a sheet may hold
            problems.append(entry.diagnostic("date-mismatch", f"{spec.as_written!r} in a source published "
                                             f"{published.isoformat()} gives no valid date: {exc}",
                                             (*path, "as_written")))
            continue
        if resolved[0] is not None and not any(r is not None and r.same_span(spec.period) for r in resolved):
            problems.append(entry.diagnostic(
                "date-mismatch", f"date {spec.value!r} does not match {spec.as_written!r} in a source published "
                f"{published.isoformat()}", (*path, "value"), f"{spec.as_written!r} resolves to {resolved[0].iso()}"))
    return problems


def _check_quote_text(entry: Entry[Quote]) -> list[Diagnostic]:
    quote = entry.model
    if any(SourceText(ev.quote).contains(quote.text) for ev in quote.evidence):
        return []
    return [entry.diagnostic("quote-not-in-evidence", "quotation text does not occur in its evidence", ("text",),
                             "the evidence quote must contain the quotation verbatim")]
