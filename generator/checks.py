"""Checks that need the whole sheet: ids, references, evidence, dates.

Runs after every file was read, so it can report every problem at once, and
only builds the :class:`Sheet` when there are none.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from .dates import resolve_relative
from .errors import DataError, Diagnostic
from .evidence import MIN_QUOTE_LETTERS, SourceText, too_short
from .load import Entry, RawSheet, display_path, read_sheet, relative_inside, sheet_folders
from .models import SECTION_KIND, DateSpec, Evidence, Quote, Source, Tally
from .numbers import numbers_in
from .sheet import Project, Sheet


def load_project(content_dir: Path) -> Project:
    """Read and check every sheet under ``content_dir``; raise :class:`DataError` listing all problems."""
    problems: list[Diagnostic] = []
    sheets: list[Sheet] = []
    for folder in sheet_folders(content_dir):
        result = load_sheet(folder)
        if isinstance(result, Sheet):
            sheets.append(result)
        else:
            problems += result
    if problems:
        raise DataError(problems)
    return Project(tuple(sheets))


def load_sheet(folder: Path) -> Sheet | list[Diagnostic]:
    """Read and check one sheet folder: the sheet, carrying its warnings, or every problem found in it."""
    raw, found = read_sheet(folder)
    found += check_sheet(raw)
    if any(d.severity == "error" for d in found) or raw.info is None:
        return found
    items = {name: tuple(entry.model for entry in entries) for name, entries in raw.sections.items()}
    return Sheet(info=raw.info.model, **items, warnings=tuple(sorted(found)))


def check_sheet(raw: RawSheet) -> list[Diagnostic]:
    """Every whole-sheet problem: duplicate ids, dangling references, cycles, evidence, dates."""
    entries = [entry for section in raw.sections.values() for entry in section]
    problems = _duplicate_ids(raw) + _reserved_ids(raw)
    ids = {kind: {e.model.id for e in raw.sections[name]} for name, kind in SECTION_KIND.items()}
    located: list[Entry[Any]] = ([raw.info] if raw.info else []) + entries
    for entry in located:
        for sub, kind, ref in entry.model.references():
            # An id in a file that could not be read, or on an item that failed
            # validation, is already reported; a dangling reference would be noise.
            if ref not in ids[kind] and ref not in raw.invalid_ids and not raw.unreadable_file:
                hint = difflib.get_close_matches(ref, sorted(ids[kind]), n=1, cutoff=0.6)
                problems.append(entry.diagnostic(
                    "unknown-id", f"no {kind} has id {ref!r}", sub,
                    f"did you mean {hint[0]!r}?" if hint else f"define it under `{_section(kind)}:`"))
    problems += _cycles(raw, "places", "within")
    problems += _cycles(raw, "actors", "affiliation")
    texts, source_problems = _source_texts(raw)
    problems += source_problems
    for entry in located:
        quoted = _check_evidence(entry, texts)
        problems += quoted
        problems += _check_dates(entry, raw)
        if isinstance(entry.model, Tally) and not quoted:
            # Compared with its quotes only once they are verified: a warning
            # about a quote that is wrong anyway would be noise.
            problems += _check_tally_numbers(entry)
    for entry in raw.sections["quotes"]:
        problems += _check_quote_text(entry)
    for entry in entries:
        problems += _check_revisions(entry)
    return problems


def _check_revisions(entry: Entry[Any]) -> list[Diagnostic]:
    # The new value must be evidenced by the source said to have changed it.
    sources = {ev.source for ev in getattr(entry.model, "evidence", [])}
    return [entry.diagnostic("revision-source", f"revision source {r.source!r} is not among the fact's evidence",
                             ("revisions", i, "source"), "add an evidence entry quoting the new value from it")
            for i, r in enumerate(getattr(entry.model, "revisions", [])) if r.source not in sources]


def _section(kind: str) -> str:
    return next(name for name, k in SECTION_KIND.items() if k == kind)


# Ids that name a file beside one of the sheet's own pages: an actor with
# id ``index`` would take the place of the list of actors (actors/index.md).
RESERVED_IDS = {"actors": frozenset({"index"})}


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


def _cycles(raw: RawSheet, section: str, field: str) -> list[Diagnostic]:
    parent = {e.model.id: getattr(e.model, field) for e in raw.sections[section]}
    problems: list[Diagnostic] = []
    for entry in raw.sections[section]:
        seen = {entry.model.id}
        step = parent.get(entry.model.id)
        while step is not None and step in parent:
            if step == entry.model.id:
                problems.append(entry.diagnostic("cycle", f"{field} leads back to {entry.model.id!r}", (field,)))
                break
            if step in seen:
                break
            seen.add(step)
            step = parent[step]
    return problems


def _source_texts(raw: RawSheet) -> tuple[dict[str, SourceText], list[Diagnostic]]:
    texts: dict[str, SourceText] = {}
    problems: list[Diagnostic] = []
    for entry in raw.sections["sources"]:
        source: Source = entry.model
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
            text = path.read_bytes().decode("utf-8")
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


def _evidence_of(model: Any) -> list[tuple[tuple[str | int, ...], Evidence]]:
    found: list[tuple[tuple[str | int, ...], Evidence]] = [
        (("evidence", i), ev) for i, ev in enumerate(getattr(model, "evidence", []))]
    note = getattr(model, "figures_note", None)
    if note is not None:
        found += [(("figures_note", "evidence", i), ev) for i, ev in enumerate(note.evidence)]
    return found


def _check_evidence(entry: Entry[Any], texts: dict[str, SourceText]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for sub, evidence in _evidence_of(entry.model):
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
    whole = text.partial_word(evidence.quote)
    if whole is not None:
        return ("quote-partial-word", f"evidence quote starts or ends inside a word of source {evidence.source!r}",
                f"the source reads {whole!r}; quote whole words")
    closest = text.closest(evidence.quote)
    return ("quote-not-found", f"evidence quote does not occur in source {evidence.source!r}",
            f"closest passage: {closest!r}" if closest else "copy the passage from the archived text")


def _check_tally_numbers(entry: Entry[Tally]) -> list[Diagnostic]:
    # A figure beside quotes that do not state it misleads even when every
    # quote is genuine; unless the tally says how the number was derived.
    tally = entry.model
    if tally.derivation is not None:
        return []
    stated = set().union(*(numbers_in(ev.quote) for ev in tally.evidence))
    fields = ("low", "high") if tally.qualifier == "range" else ("value",)
    return [entry.diagnostic(
        "number-not-in-evidence", f"{name} {getattr(tally, name):,} appears in none of the tally's evidence quotes",
        (name,), "quote the words that state it, or add `derivation:` saying how the number follows from them"
    ).as_warning() for name in fields if getattr(tally, name) not in stated]


def _check_dates(entry: Entry[Any], raw: RawSheet) -> list[Diagnostic]:
    spec: DateSpec | None = getattr(entry.model, "date", None)
    if spec is None or spec.as_written is None:
        return []
    evidence = _evidence_of(entry.model)
    sources = {e.model.id: e.model for e in raw.sections["sources"]}
    anchor_source = sources.get(evidence[0][1].source) if evidence else None
    if anchor_source is None:
        return []
    try:
        resolved = resolve_relative(spec.as_written, anchor_source.published)
    except ValueError as exc:  # the words lead out of the years a sheet may hold
        return [entry.diagnostic("date-mismatch", f"{spec.as_written!r} in a source published "
                                 f"{anchor_source.published.isoformat()} gives no valid date: {exc}",
                                 ("date", "as_written"))]
    if resolved is None or resolved.same_span(spec.period):
        return []
    return [entry.diagnostic(
        "date-mismatch",
        f"date {spec.value!r} does not match {spec.as_written!r} in a source published "
        f"{anchor_source.published.isoformat()}", ("date", "value"),
        f"{spec.as_written!r} resolves to {resolved.iso()}")]


def _check_quote_text(entry: Entry[Quote]) -> list[Diagnostic]:
    quote = entry.model
    if any(SourceText(ev.quote).contains(quote.text) for ev in quote.evidence):
        return []
    return [entry.diagnostic("quote-not-in-evidence", "quotation text does not occur in its evidence", ("text",),
                             "the evidence quote must contain the quotation verbatim")]
