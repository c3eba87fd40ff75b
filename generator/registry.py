"""The kinds of fact a sheet holds and the pages that show them: one entry each.

Loading, the checks, ``facts.json``, the CSV files, the JSON Schema, the field
reference, the scaffold, the navigation, the sheet menu, the home page, the
overview, the print page and the corrections derive from these two tables.
Adding a kind of fact means its model (:mod:`generator.models`), its entry
here (with its page, if it has one), and its template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from pydantic import Field, create_model

from .models import (
    SLUG_PATTERN,
    Actor,
    ContextItem,
    Event,
    Fact,
    Item,
    Place,
    Quote,
    Revisable,
    SheetInfo,
    Source,
    Strict,
    Tally,
)

SHEET_KEY = "sheet"
MARKDOWN, HTML = ".md", ".html"


@dataclass(frozen=True)
class Column:
    """One column of a kind's CSV file: its header and how a row's cell is read from an item."""

    name: str
    value: Callable[[Any], object]


@dataclass(frozen=True)
class Kind:
    """One kind of fact: where it is written, what it is called, where it is shown and exported."""

    section: str  # top-level key in fact files and facts.json; the CSV file's name
    model: type[Item]
    singular: str  # in references and messages ("no actor has id ...") and in anchors ("tally--x")
    description: str  # of the section, in the JSON Schema and the field reference
    page: str | None = None  # name of the page (in PAGES) that shows each item
    columns: tuple[Column, ...] = ()  # its CSV file, if it has one
    csv_rank: int = 0  # place of the CSV file among the downloads
    csv_rows: str = ""  # what the CSV's rows are, on the data page ("places")
    order: Callable[[Any], Any] | None = None  # sort key for lists and CSV rows; else file order
    label: str = ""  # what readers call the kind's items ("Figures"), where pages count them
    # An actor's page lists the items that name the actor under this heading (else ``label``),
    # unless ``on_actor_page`` is off: a kind the page shows in sections of its own, or not at all.
    named_heading: str = ""
    on_actor_page: bool = True

    @property
    def revisable(self) -> bool:
        """Whether a later source may revise its items (they have ``revisions``)."""
        return issubclass(self.model, Revisable)

    @property
    def is_fact(self) -> bool:
        """Whether its items carry evidence (sources do not: they are what evidence cites)."""
        return issubclass(self.model, Fact)

    @property
    def actor_heading(self) -> str:
        """The heading on an actor's page over the items of this kind that name the actor."""
        return self.named_heading or self.label

    def ordered(self, items: Iterable[Any]) -> list[Any]:
        """Items in reading order: by ``order`` where the kind has one (stable), else as written."""
        return sorted(items, key=self.order) if self.order else list(items)


@dataclass(frozen=True)
class Page:
    """One page of a sheet: where it is, what renders it, where it is listed."""

    name: str  # how templates and kinds refer to it
    path: str  # inside the sheet's folder; ``{id}`` for a page per item
    template: str
    title: str  # in the sidebar and the sheet menu
    menu_title: str = ""  # where the menu says it more briefly
    in_sidebar: bool = True
    in_menu: bool = True
    in_print: bool = True  # on the whole-sheet page
    on_home: bool = False  # linked from the sheet's entry on the home page
    each: str | None = None  # the section with one page per item
    summary: str = ""  # what it holds, after its name in the overview's list of pages ("what happened, in order")

    @property
    def label(self) -> str:
        """The page's name in the sheet menu."""
        return self.menu_title or self.title

    def path_of(self, ident: str | None = None) -> str:
        """The Markdown path of the page (of one item's page, for a page per item)."""
        return self.path.format(id=ident) if self.each else self.path


def url(path: str) -> str:
    """The published URL of a generated Markdown path (``casualties.md#x`` -> ``casualties.html#x``)."""
    page, hash_, fragment = path.partition("#")
    if page.endswith(MARKDOWN):
        page = page[: -len(MARKDOWN)] + HTML
    return page + hash_ + fragment


def _joined(values: Iterable[str]) -> str:
    return " | ".join(values)


def _revised_from(item: Revisable) -> str:
    return _joined(f"{r.earlier} (until {r.changed.isoformat()})" for r in item.revisions)


def _evidence(*columns: Column) -> tuple[Column, ...]:
    return (*columns, Column("evidence_sources", lambda f: _joined(e.source for e in f.evidence)),
            Column("evidence_quotes", lambda f: _joined(e.quote for e in f.evidence)))


def _date_value(item: Tally | Quote) -> str | None:
    return item.date.value if item.date else None


KINDS: tuple[Kind, ...] = (
    Kind("sources", Source, "source", "Published reports the facts come from.", page="sources", label="Sources",
         on_actor_page=False),
    Kind("actors", Actor, "actor", "People and organizations.", page="actor", csv_rank=3,
         label="People and organizations", named_heading="Affiliated actors",
         csv_rows="people and organizations", columns=_evidence(
             Column("id", lambda a: a.id), Column("name", lambda a: a.name),
             Column("aliases", lambda a: _joined(a.aliases)), Column("kind", lambda a: a.kind),
             Column("role", lambda a: a.role), Column("affiliation", lambda a: a.affiliation),
             Column("description", lambda a: a.description))),
    Kind("places", Place, "place", "Places, each possibly within another.", page="places", csv_rank=4,
         label="Places",
         csv_rows="places", columns=_evidence(
             Column("id", lambda p: p.id), Column("name", lambda p: p.name), Column("kind", lambda p: p.kind),
             Column("within", lambda p: p.within), Column("description", lambda p: p.description))),
    Kind("events", Event, "event", "The event, step by step: the timeline.", page="timeline", csv_rank=2,
         label="Events", named_heading="In the timeline",
         csv_rows="events, with each date's start and end day",
         order=lambda e: (e.date.period.start, e.date.period.end), columns=_evidence(
             Column("id", lambda e: e.id), Column("date", lambda e: e.date.value),
             Column("date_as_written", lambda e: e.date.as_written),
             Column("start", lambda e: e.date.period.start.isoformat()),
             Column("end", lambda e: e.date.period.end.isoformat()), Column("title", lambda e: e.title),
             Column("description", lambda e: e.description), Column("actors", lambda e: _joined(e.actors)),
             Column("places", lambda e: _joined(e.places)), Column("revised_from", _revised_from))),
    Kind("tallies", Tally, "tally", "Each claimant's figures.", page="casualties", csv_rank=1,
         label="Figures", on_actor_page=False,  # the page's own sections: figures they gave, passed on
         csv_rows="figures, about the event and background, one per thing counted and who gave it", columns=_evidence(
             *(Column(name, attrgetter(name)) for name in (
                 "id", "counts", "coverage", "part", "scope", "where")),
             Column("claimant", lambda t: _joined(t.claimants)), Column("unnamed", attrgetter("unnamed")),
             Column("via", lambda t: _joined(t.via)),
             *(Column(name, attrgetter(name)) for name in (
                 "qualifier", "value", "low", "high", "amount", "words", "unit", "note", "derivation", "context")),
             Column("reading_low", lambda t: t.reading[0]), Column("reading_high", lambda t: t.reading[1]),
             Column("date", _date_value), Column("revised_from", _revised_from))),
    Kind("quotes", Quote, "quote", "Direct quotations.", page="quotes", csv_rank=5,
         label="Quotations", named_heading="Quotes",
         csv_rows="direct quotations", columns=_evidence(
             Column("id", lambda q: q.id), Column("speaker", lambda q: q.speaker), Column("text", lambda q: q.text),
             Column("setting", lambda q: q.setting), Column("date", _date_value),
             Column("revised_from", _revised_from))),
    Kind("context", ContextItem, "context", "Background that is not the event.", page="context",
         label="Background items", named_heading="In the background",
         order=lambda c: (c.date is None, c.date.period.start if c.date else None)),
)
KIND_BY_SECTION = {kind.section: kind for kind in KINDS}
KIND_BY_SINGULAR = {kind.singular: kind for kind in KINDS}
# The kinds that have a CSV file, in the order the downloads list them.
CSV_KINDS: tuple[Kind, ...] = tuple(sorted((k for k in KINDS if k.columns), key=lambda k: k.csv_rank))

PAGES: tuple[Page, ...] = (
    Page("overview", "index.md", "overview.md.j2", "Overview"),
    Page("timeline", "timeline.md", "timeline.md.j2", "Timeline", on_home=True, summary="what happened, in order."),
    Page("casualties", "casualties.md", "casualties.md.j2", "Casualties", on_home=True,
         summary="every figure reported, side by side, with who gave it and when."),
    Page("actors", "actors/index.md", "actors.md.j2", "Actors", on_home=True,
         summary="the people and organizations the reports name."),
    Page("places", "places.md", "places.md.j2", "Places", on_home=True, summary="where it happened."),
    Page("context", "context.md", "context.md.j2", "Context", on_home=True, summary="the background the reports give."),
    Page("quotes", "quotes.md", "quotes.md.j2", "Quotes", on_home=True, summary="what people said, in their words."),
    Page("sources", "sources.md", "sources.md.j2", "Sources", on_home=True,
         summary="the reports this sheet is drawn from, and how facts were taken from them."),
    Page("data", "data.md", "data.md.j2", "Data", in_print=False,
         summary="the facts as JSON and CSV, with their schema."),
    Page("changes", "changes.md", "changes.md.j2", "How figures changed", in_print=False,
         summary="how later reports changed figures, events or quotes."),
    Page("corrections", "corrections.md", "corrections.md.j2", "Corrections",
         summary="the editors' corrections to this sheet: what was wrong, when it was fixed, and why."),
    Page("print", "print.md", "print.md.j2", "Whole sheet (print)", menu_title="Whole sheet", in_print=False,
         summary="every section on one page, for printing or saving as PDF."),
    Page("actor", "actors/{id}.md", "actor.md.j2", "Actor", in_sidebar=False, in_menu=False, in_print=False,
         each="actors"),
)
PAGE_BY_NAME = {page.name: page for page in PAGES}
# The site's folder of pages for actors that several sheets name, beside the sheets' folders.
SHARED_ACTORS = "actors"
# The folder of the editors' guide, beside the sheets' folders.
GUIDE_FOLDER = "guide"
# Folders of generated pages beside the sheets' own: no sheet may be named as one.
SITE_FOLDERS = frozenset({SHARED_ACTORS, GUIDE_FOLDER})


# Anchors that are not an item's own: a claimant's heading (one actor, several jointly, or
# unnamed), a context page's figure.
_OTHER_ANCHORS = frozenset({"claimant", "joint", "unnamed", "figure", "counts", "note"})
_SLUG = re.compile(SLUG_PATTERN)


def fragment(ident: str, kind: str) -> str:
    """The fragment id of item ``ident`` of ``kind``: ``event--suicide-attack``.

    Markdown's table of contents gives headings ids made from their text
    (``by-claimant``), and ids are slugs of the same alphabet, so a fact named
    ``by-claimant`` once shared an id with a heading. A heading id never holds
    two hyphens in a row (the slug function folds them into one), and neither
    does an id, so ``<kind>--<id>`` can equal no heading's id and no anchor of
    another kind. A joint claim's ``ident`` is its ids joined by ``--``
    (:func:`group_key`).
    """
    if kind not in KIND_BY_SINGULAR and kind not in _OTHER_ANCHORS:
        raise ValueError(f"unknown anchor kind {kind!r}")
    if not all(_SLUG.match(part) for part in (ident.split("--") if kind == "joint" else [ident])):
        raise ValueError(f"not a safe id: {ident!r}")
    return f"{kind}--{ident}"


def group_key(ids: Iterable[str]) -> str:
    """One key for several ids, as of a joint claim: ``police--army``.

    Ids never hold two hyphens in a row, so the key gives back its ids and no
    two groups share one: ``[al, qaeda-iraq]`` and ``[al-qaeda, iraq]`` differ.
    """
    return "--".join(ids)


def link(ident: str, kind: str) -> str:
    """Where an item is shown, relative to its sheet's folder: ``casualties.md#tally--killed``, ``actors/x.md``."""
    page = PAGE_BY_NAME[KIND_BY_SINGULAR[kind].page or ""]
    anchor = fragment(ident, kind)  # checks the kind and that the id is a slug
    return page.path_of(ident) if page.each else f"{page.path}#{anchor}"


def _fact_file() -> type[Strict]:
    fields: dict[str, Any] = {SHEET_KEY: (SheetInfo | None, Field(
        default=None, description="The sheet itself; in exactly one file per sheet."))}
    for kind in KINDS:
        fields[kind.section] = (list[kind.model], Field(  # type: ignore[name-defined]
            default_factory=list, description=kind.description))
    return create_model(
        "FactFile", __base__=Strict,
        __doc__="A fact file, or a whole sheet as published in ``facts.json``: every key is optional.", **fields)


# A fact file, or a whole sheet as facts.json publishes it: its keys come from KINDS.
FactFile = _fact_file()
# The top-level keys a fact file may hold.
SECTION_KEYS = (SHEET_KEY, *(kind.section for kind in KINDS))
