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
from .evidence import SourceText
from .load import Entry, RawSheet, display_path, read_sheet, relative_inside, sheet_folders
from .models import SECTION_KIND, DateSpec, Evidence, Quote, Source
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
    """Read and check one sheet folder: the sheet, or every problem found in it."""
    raw, found = read_sheet(folder)
    found += check_sheet(raw)
    if found or raw.info is None:
        return found
    items = {name: tuple(entry.model for entry in entries) for name, entries in raw.sections.items()}
    return Sheet(info=raw.info.model, **items)


def check_sheet(raw: RawSheet) -> list[Diagnostic]:
    """Every whole-sheet problem: duplicate ids, dangling references, cycles, evidence, dates."""
    entries = [entry for section in raw.sections.values() for entry in section]
    problems = _duplicate_ids(raw)
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
        problems += _check_evidence(entry, texts)
        problems += _check_dates(entry, raw)
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
        text = texts.get(evidence.source)
        if text is None or text.contains(evidence.quote):
            continue  # an unknown or unreadable source is reported once, elsewhere
        closest = text.closest(evidence.quote)
        problems.append(entry.diagnostic(
            "quote-not-found", f"evidence quote does not occur in source {evidence.source!r}", (*sub, "quote"),
            f"closest passage: {closest!r}" if closest else "copy the passage from the archived text"))
    return problems


def _check_dates(entry: Entry[Any], raw: RawSheet) -> list[Diagnostic]:
    spec: DateSpec | None = getattr(entry.model, "date", None)
    if spec is None or spec.as_written is None:
        return []
    evidence = _evidence_of(entry.model)
    sources = {e.model.id: e.model for e in raw.sections["sources"]}
    anchor_source = sources.get(evidence[0][1].source) if evidence else None
    if anchor_source is None:
        return []
    resolved = resolve_relative(spec.as_written, anchor_source.published)
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
