"""The schema of a fact sheet: every field, its type, and what it means.

Models validate one YAML item each; cross-references and evidence are
checked afterwards by :mod:`generator.checks`, which sees the whole sheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from .dates import YEAR_MAX, YEAR_MIN, Period, check_year, parse_date
from .moments import ZONE_HELP, Moment, Zone, moment_of, parse_zone

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters that XML forbids (the feed would not parse), and bidirectional
# embedding, override and isolate controls: an unbalanced one reverses the
# text printed after it on the page, e.g. "more than 32" as "23 naht erom".
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# The largest figure a tally may give: far above any count of people, and
# small enough for charts to scale exactly.
MAX_FIGURE = 10**12

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=80)]


def _plain_text(value: str) -> str:
    for pattern, what in ((_CONTROL, "a control character"), (_NOT_XML, "a character that XML forbids"),
                          (_BIDI, "a bidirectional text control")):
        found = pattern.search(value)
        if found:
            raise ValueError(f"text contains {what} (U+{ord(found.group()):04X} at character {found.start() + 1}); "
                             "remove it")
    return value


# Free text: trimmed, non-empty, and free of control characters that would
# corrupt pages or terminals.
TextField = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_plain_text)]

# A time of day on a 24-hour clock.
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
ClockTime = Annotated[str, StringConstraints(pattern=CLOCK_PATTERN)]

# A calendar day within the years a sheet may hold.
Day = Annotated[date, AfterValidator(check_year)]
_DAY_RANGE = f"between {YEAR_MIN}-01-01 and {YEAR_MAX}-12-31"

# Where a value sits inside an item: field names and list indexes.
FieldPath = tuple[str | int, ...]
# A reference: (path of the field inside the item, kind of entity, id).
Reference = tuple[FieldPath, str, str]


class Strict(BaseModel):
    """Unknown fields are errors; values never change after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Strict):
    """A top-level item of a fact file; says by method what it points at, cites and dates."""

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        return iter(())

    def evidence_items(self) -> Iterator[tuple[FieldPath, Evidence]]:
        """Every evidence entry, with the path of the field that holds it."""
        return iter(())

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """Every date the item gives, with the path of its field."""
        return iter(())


class Evidence(Strict):
    """Where a fact comes from: a source and the words in it that state the fact."""

    source: Slug = Field(description="Id of a source in the sheet's `sources`.")
    quote: TextField = Field(description="Verbatim passage of the archived source text that states the fact.")


_WORD = re.compile(r"\w+")
# Words around a date that add nothing to it: "in 2015", "on July 7".
_FILLER = {"in", "on", "of", "the"}


# A date's zone that stands for the event place's (the sheet's `timezone`).
LOCAL_ZONE = "local"


class DateSpec(Strict):
    """A date of some precision, plus the source's own words for it."""

    value: str = Field(description="EDTF subset: `2017-02-25`, `2017-02`, `2016`, `2011/2015`; `~` marks approximate. "
                       f"Years from {YEAR_MIN} to {YEAR_MAX}.")
    as_written: TextField | None = Field(
        default=None,
        description="The source's wording (`Saturday`, `last year`); relative words are checked "
        "against the publication date of the fact's first evidence source.",
    )
    time: ClockTime | None = Field(default=None, description="Time of day, `HH:MM`, for a day's date.")
    timezone: TextField | None = Field(
        default=None, description=f"The time zone of `time`: `local` (the sheet's `timezone`), or {ZONE_HELP}.")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: str) -> str:
        parse_date(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str | None) -> str | None:
        if value is not None and value != LOCAL_ZONE:
            parse_zone(value)
        return value

    @model_validator(mode="after")
    def _time_fits(self) -> DateSpec:
        if self.time and self.period.precision != "day":
            raise ValueError("a time of day goes with a date to the day (YYYY-MM-DD)")
        if self.timezone and not self.time:
            raise ValueError("`timezone` goes with `time`")
        return self

    @property
    def period(self) -> Period:
        """The span of days this date covers."""
        return parse_date(self.value)

    def moment(self, local: Zone | None) -> Moment:
        """The instants the date stands for; ``local`` is the event place's zone, if known."""
        zone = local if self.timezone in (None, LOCAL_ZONE) else parse_zone(self.timezone or "")
        return moment_of(self.period, self.time, zone)

    @property
    def words_add(self) -> bool:
        """True when the source's words say more than the date itself: "Saturday", not "in July 2012"."""
        if not self.as_written:
            return False
        shown = set(_WORD.findall(self.period.display().lower()))
        return not set(_WORD.findall(self.as_written.lower())) - _FILLER <= shown

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # Fact files may write a date as a plain string, and a bare year is a
        # number to an editor's YAML 1.2 parser (the checker reads it as text).
        schema = handler(core_schema)
        resolved = handler.resolve_ref_schema(schema)
        resolved["properties"]["value"] = {**resolved["properties"]["value"], "type": ["string", "integer"]}
        return {"anyOf": [{"type": ["string", "integer"], "description": "Shorthand for `{value: ...}`."}, schema]}


def _cited(evidence: list[Evidence], prefix: FieldPath = ()) -> Iterator[tuple[FieldPath, Evidence]]:
    for index, item in enumerate(evidence):
        yield (*prefix, "evidence", index), item


def _sources_of(item: Item) -> Iterator[Reference]:
    for path, evidence in item.evidence_items():
        yield (*path, "source"), "source", evidence.source


def _dated(spec: DateSpec | None) -> Iterator[tuple[FieldPath, DateSpec]]:
    if spec is not None:
        yield ("date",), spec


class Fact(Item):
    """Anything that states something: it must say where it comes from."""

    evidence: list[Evidence] = Field(min_length=1, description="One entry per source that states the fact.")

    def evidence_items(self) -> Iterator[tuple[FieldPath, Evidence]]:
        """Every evidence entry, with the path of the field that holds it."""
        return _cited(self.evidence)

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        return _sources_of(self)


class EditorsCorrection(Strict):
    """A mistake of the sheet's own that the editors fixed: what was wrong, when it was fixed, and why.

    Not a change in what the sources report (that is a revision of a figure): an error of the sheet.
    """

    fixed: Day = Field(description="The day the editors fixed it, YYYY-MM-DD.")
    wrong: TextField = Field(description="What the sheet said that was wrong.")
    now: TextField = Field(description="What it says now.")
    why: TextField = Field(description="Why it was wrong: what the editors found.")


class Note(Fact):
    """A statement in the sheet's words, such as that the figures conflict, with its evidence."""

    text: TextField = Field(description="The statement, in the sheet's words.")


class Attribution(Fact):
    """Who did or claimed something, in the sheet's words, with the actors it names."""

    text: TextField = Field(description="Who, in the sheet's words, e.g. `five attackers with explosive vests`.")
    actors: list[Slug] = Field(default_factory=list,
                               description="Ids of the actors it names, linked in the summary box.")


class EditorsReading(Strict):
    """The editors' reading of one count: their low, best and high estimates, and why."""

    counts: TextField = Field(description="What is counted, as in tallies: `killed`, `wounded`, ...")
    low: int | None = Field(default=None, ge=0, le=MAX_FIGURE, description="The editors' lowest estimate.")
    best: int | None = Field(default=None, ge=0, le=MAX_FIGURE, description="The editors' best estimate.")
    high: int | None = Field(default=None, ge=0, le=MAX_FIGURE, description="The editors' highest estimate.")
    reasoning: TextField = Field(description="Why, in the editors' words: which figures they trust and why.")
    rests_on: list[Slug] = Field(min_length=1, description="Ids of the tallies the reading rests on.")

    @model_validator(mode="after")
    def _ordered(self) -> EditorsReading:
        given = [v for v in (self.low, self.best, self.high) if v is not None]
        if not given:
            raise ValueError("an editors' reading gives `best`, or `low` and `high`, or all three")
        if given != sorted(given):
            raise ValueError("an editors' reading needs low <= best <= high")
        return self


class SheetInfo(Item):
    """The sheet as a whole: what happened, when and where."""

    id: Slug = Field(description="Same as the sheet's folder name; used in URLs.")
    title: TextField = Field(description="Title of the sheet.")
    summary: TextField = Field(description="One paragraph saying what happened.")
    date: DateSpec | None = Field(default=None, description="When the event happened.")
    place: Slug | None = Field(default=None, description="Id of the main place.")
    evidence: list[Evidence] = Field(default_factory=list, description="Passages that support the summary.")
    target: Note | None = Field(default=None, description="What or whom the attack was aimed at, for the summary box.")
    perpetrators: Attribution | None = Field(default=None, description="Who carried it out, as the sources say.")
    claimed_by: Attribution | None = Field(default=None, description="Who claimed responsibility, as the sources say.")
    figures_note: Note | None = Field(
        default=None, description="What the sources say about their figures, e.g. that they could not be reconciled."
    )
    timezone: TextField | None = Field(
        default=None, description="The time zone of the event's place, an IANA name (`Asia/Baghdad`) or an offset "
        "(`UTC+3`): reports without a zone of their own, and relative words such as `Thursday`, are read in it.")
    updated: Day | None = Field(
        default=None, description="The day the sheet's facts last changed, shown to readers, for a project "
        "without git history; in a git checkout, the day of the last commit that touched the sheet's folder "
        "is shown instead.")
    compiled_by: TextField | None = Field(
        default=None, description="Who compiled this sheet, if not whoever `compiled_by` in mkdocs.yml names.")
    collected_until: Day | None = Field(
        default=None, description="The day the collection of reports ends: no report is published after it. "
        "Default: the newest report's publication.")
    editors_reading: list[EditorsReading] = Field(
        default_factory=list, description="The editors' own reading of a count, labelled as theirs: low, best "
        "and high estimates with the reasoning and the figures it rests on. Optional; shown first when present.")
    corrections: list[EditorsCorrection] = Field(
        default_factory=list, description="The editors' log of their own corrections to the sheet, on its "
        "Corrections page and feed; changes in what the sources report are revisions of the facts instead.")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None and not parse_zone(value).known:
            raise ValueError("the event place's time zone must be known; leave `timezone` out if it is not")
        return value

    def summary_lines(self) -> dict[str, Note | Attribution]:
        """The summary box's lines that carry their own evidence, by field name, in the box's order."""
        lines = {"target": self.target, "perpetrators": self.perpetrators, "claimed_by": self.claimed_by}
        return {name: line for name, line in lines.items() if line is not None}

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        if self.place:
            yield ("place",), "place", self.place
        for index, reading in enumerate(self.editors_reading):
            for at, tally in enumerate(reading.rests_on):
                yield ("editors_reading", index, "rests_on", at), "tally", tally
        for name, line in self.summary_lines().items():
            if isinstance(line, Attribution):
                for index, actor in enumerate(line.actors):
                    yield (name, "actors", index), "actor", actor
        yield from _sources_of(self)

    def evidence_items(self) -> Iterator[tuple[FieldPath, Evidence]]:
        """The summary's evidence, the summary box's, then the figures note's."""
        yield from _cited(self.evidence)
        for name, line in self.summary_lines().items():
            yield from _cited(line.evidence, (name,))
        if self.figures_note:
            yield from _cited(self.figures_note.evidence, ("figures_note",))

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """When the event happened, if given."""
        return _dated(self.date)


# The fields by which a report says it is not independent of another, and how pages say it.
LINEAGE = ("copy_of", "update_of", "version_of", "translation_of")


class Source(Item):
    """A published report that facts are taken from, archived beside the sheet."""

    id: Slug = Field(description="Id that evidence entries use.")
    publishers: list[TextField] = Field(min_length=1, description="Outlets that published it.")
    headline: TextField | None = Field(default=None, description="Headline as printed, if known.")
    subheadline: TextField | None = Field(default=None, description="Second headline, if any.")
    section: TextField | None = Field(default=None, description="Section of the publication.")
    published: str = Field(
        description=f"Publication date, YYYY-MM-DD ({_DAY_RANGE}); relative dates resolve against it. When "
        "only the month or the year is known, YYYY-MM or YYYY: its relative dates are then not checked.")
    dateline: TextField | None = Field(default=None, description="Place line that opens the story.")
    contributors: TextField | None = Field(default=None, description="The byline or contributor line, verbatim.")
    time: ClockTime | None = Field(default=None, description="Time of publication, `HH:MM`, as the source shows it.")
    timezone: TextField | None = Field(
        default=None, description=f"The time zone of `time`: {ZONE_HELP} when the page shows a time but the zone "
        "is not known. Without it, the sheet's `timezone`.")
    url: TextField | None = Field(default=None, description="Where it was published (http, https or mailto).")
    archive_url: TextField | None = Field(
        default=None, description="A public archive copy of the report (http or https), e.g. on the Wayback Machine.")
    archive: TextField | None = Field(
        default=None, description="Path of the archived text, relative to the sheet folder. Leave it out for a "
        "story the sheet does not archive, which its copies and translations name: it cannot be cited.")
    archive_partial: bool = Field(
        default=False, description="`true` when the archive holds only the paragraphs the facts quote.")
    retrieved: Day | None = Field(default=None, description="When the archived text was retrieved, YYYY-MM-DD.")
    found_through: TextField | None = Field(
        default=None, description="How the report was found: a search, an aggregator, another outlet's link.")
    copy_of: Slug | None = Field(
        default=None, description="Id of the source this one reprints (one agency story run by another outlet): "
        "not an independent report.")
    update_of: Slug | None = Field(
        default=None, description="Id of an earlier edit of the same story (a wire story updated during the day): "
        "not an independent report.")
    version_of: Slug | None = Field(
        default=None, description="Id of another version of the same story when which came first is not known: "
        "not an independent report.")
    translation_of: Slug | None = Field(
        default=None, description="Id of the story this one translates (an agency story in another language): "
        "not an independent report.")

    @field_validator("published", mode="before")
    @classmethod
    def _publication_date(cls, value: object) -> object:
        if isinstance(value, str):
            if "/" in value or "~" in value:
                raise ValueError("a publication date is one day, month or year: YYYY-MM-DD, YYYY-MM or YYYY")
            parse_date(value)
        return value

    @property
    def publication(self) -> Period:
        """The days the publication date covers: one day, or a whole month or year when no day is known."""
        return parse_date(self.published)

    @property
    def published_day(self) -> date | None:
        """The day of publication, when the source gives it."""
        period = self.publication
        return period.start if period.precision == "day" else None

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str | None) -> str | None:
        if value is not None:
            parse_zone(value)
        return value

    @model_validator(mode="after")
    def _one_lineage(self) -> Source:
        if sum(1 for name in LINEAGE if getattr(self, name)) > 1:
            raise ValueError(f"a source has one lineage at most: give one of {', '.join(f'`{n}`' for n in LINEAGE)}")
        if self.timezone and not self.time:
            raise ValueError("`timezone` goes with `time`")
        if self.time and self.published_day is None:
            raise ValueError("a time of publication goes with a day of publication (YYYY-MM-DD)")
        return self

    def references(self) -> Iterator[Reference]:
        """The story this one reprints, updates, translates or is a version of."""
        for name in LINEAGE:
            if getattr(self, name):
                yield (name,), "source", getattr(self, name)

    def moment(self, local: Zone | None) -> Moment:
        """When it was published, as an interval; ``local`` (the event place's zone) stands in for its own."""
        zone = parse_zone(self.timezone) if self.timezone else local
        return moment_of(self.publication, self.time, zone)

    @property
    def title(self) -> str:
        """What readers call the report: its headline, or its outlets and day when the headline is unknown."""
        return self.headline or f"Report by {' / '.join(self.publishers)}, {self.publication.display()}"

    @property
    def lineage(self) -> str | None:
        """The id of the story this one copies, updates, translates or is a version of, if any."""
        return next((getattr(self, name) for name in LINEAGE if getattr(self, name)), None)

    @field_validator("url", "archive_url")
    @classmethod
    def _safe_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(https?://[^\s]+|mailto:[^\s]+)$", value, re.IGNORECASE):
            raise ValueError("only http, https and mailto URLs are allowed")
        return value


ActorKind = Literal[
    "person", "government-body", "security-agency", "armed-group", "coalition",
    "media-outlet", "monitor", "international-body", "state",
]
# Each kind of actor as pages name one of them and a group of them, in the order pages list the groups.
ACTOR_KIND_LABELS: dict[str, tuple[str, str]] = {
    "person": ("Person", "People"), "government-body": ("Government body", "Government bodies"),
    "security-agency": ("Security agency", "Security agencies"), "armed-group": ("Armed group", "Armed groups"),
    "coalition": ("Coalition", "Coalitions"), "media-outlet": ("Media outlet", "Media outlets"),
    "monitor": ("Monitor or NGO", "Monitors and NGOs"),
    "international-body": ("International body", "International bodies"), "state": ("State", "States"),
}
# What standing a claimant has for its figures. A `perpetrator`'s claim about its own
# acts (a group boasting of an attack, an army counting the enemies it killed) is shown
# apart and never sets a span's end.
ClaimantRole = Literal["official", "police", "military", "medical", "monitor", "media", "witness", "perpetrator",
                       "other"]
CLAIMANT_ROLE_HELP = (
    "`official`, `police`, `military`, `medical`, `monitor`, `media`, `witness`, `perpetrator` (a party to the "
    "violence speaking of its own acts: its claim is shown apart, never in a span) or `other`")


class Actor(Fact):
    """A person or organization that acts, speaks or is acted upon."""

    id: Slug = Field(description="Id used in references and in the actor's page URL.")
    name: TextField = Field(description="Name as the source gives it.")
    aliases: list[TextField] = Field(default_factory=list, description="Other spellings in the sources.")
    kind: ActorKind = Field(description="What sort of actor this is.")
    role: TextField | None = Field(default=None, description="Title or function, as the source states it.")
    affiliation: Slug | None = Field(default=None, description="Id of the actor this one belongs to.")
    description: TextField = Field(description="What the source says about the actor.")
    shared: Slug | None = Field(
        default=None, description="The actor's id across the site: actors of several sheets with the same "
        "`shared` id are one person or organization, with one site-wide page of its part in each event.")
    claims_as: ClaimantRole | None = Field(
        default=None, description=f"Its standing when it gives a figure: {CLAIMANT_ROLE_HELP}. Default: by kind "
        "(media outlets `media`, monitors `monitor`, government bodies, states and international bodies "
        "`official`, a person or security agency that of the actor it belongs to); armed groups and coalitions "
        "that give a figure must say.")

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        if self.affiliation:
            yield ("affiliation",), "actor", self.affiliation
        yield from super().references()


class Place(Fact):
    """A place named by a source, possibly inside another."""

    id: Slug = Field(description="Id used in references and anchors.")
    name: TextField = Field(description="Name as the source gives it.")
    aliases: list[TextField] = Field(default_factory=list, description="Other names or spellings in the sources.")
    kind: TextField = Field(description="Country, province, city, neighborhood, building, ...")
    within: Slug | None = Field(default=None, description="Id of the place that contains this one.")
    description: TextField | None = Field(default=None, description="What the source says about the place.")

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        if self.within:
            yield ("within",), "place", self.within
        yield from super().references()


class Revision(Strict):
    """A correction: what the fact said before a later source changed it."""

    previous: TextField = Field(description="What the fact said before, e.g. `at least 32`.")
    changed: Day = Field(description=f"When the new value was published, YYYY-MM-DD ({_DAY_RANGE}).")
    reason: TextField = Field(description="Why it changed, as the new source explains it.")
    source: Slug = Field(description="Id of the source of the new value; it must be among the fact's evidence.")
    previous_source: Slug | None = Field(
        default=None, description="Id of the source of the earlier value, when the sheet archives it: a later "
        "report that supersedes an earlier figure cites the sources of both values.")

    @property
    def earlier(self) -> str:
        """What the fact said before, in words."""
        return self.previous

    @property
    def earlier_reports(self) -> tuple[str, ...]:
        """Ids of the reports that carried the earlier value, as far as the sheet archives them."""
        return (self.previous_source,) if self.previous_source else ()


class Revisable(Fact):
    """A fact whose value a later source may have changed."""

    revisions: list[Revision] = Field(default_factory=list, description="Earlier values, oldest first.")

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        for index, revision in enumerate(self.revisions):
            yield ("revisions", index, "source"), "source", revision.source
            if revision.previous_source:
                yield ("revisions", index, "previous_source"), "source", revision.previous_source
        yield from super().references()

    def subject(self, name_of: Callable[[str], str]) -> str:
        """A short name of the fact in words, for the corrections page and feed; ``name_of`` names an actor id."""
        raise NotImplementedError(type(self).__name__)

    @property
    def current(self) -> str:
        """What the fact says now, in words."""
        raise NotImplementedError(type(self).__name__)


class _Involves(Fact):
    actors: list[Slug] = Field(default_factory=list, description="Ids of the actors involved.")
    places: list[Slug] = Field(default_factory=list, description="Ids of the places involved.")

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        for index, ref in enumerate(self.actors):
            yield ("actors", index), "actor", ref
        for index, ref in enumerate(self.places):
            yield ("places", index), "place", ref
        yield from super().references()


class Event(_Involves, Revisable):
    """Something that happened as part of the event, placed on the timeline."""

    id: Slug = Field(description="Id used in references and anchors.")
    date: DateSpec = Field(description="When it happened.")
    title: TextField = Field(description="A short heading.")
    description: TextField = Field(description="What happened, as the source states it.")

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """When it happened."""
        return _dated(self.date)

    def subject(self, name_of: Callable[[str], str]) -> str:
        """The event's heading."""
        return self.title

    @property
    def current(self) -> str:
        """The event's description."""
        return self.description


class ContextItem(_Involves):
    """Background that is not the event itself: earlier attacks, reports, sieges, talks."""

    id: Slug = Field(description="Id used in references and anchors.")
    date: DateSpec | None = Field(default=None, description="When it happened, if the source says.")
    title: TextField = Field(description="A short heading.")
    description: TextField = Field(description="What the source says.")

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """When it happened, if given."""
        return _dated(self.date)


Qualifier = Literal["exact", "at_least", "more_than", "about", "at_most", "fewer_than", "nearly", "range", "vague"]


@dataclass(frozen=True)
class QualifierMeaning:
    """What one qualifier means, wherever it shows: pages, the chart's key, the field reference and the checks."""

    words: str  # before the number on pages, when the tally gives no `words` of the source ("at least ")
    key: str  # in a chart's key
    mark: str  # how a chart draws it, in words, for readers who cannot see the chart
    reading: str  # the machine reading, in the field reference (see Figure.reading)
    hollow: bool = False  # the reading leaves out the number itself: drawn as an open dot
    hedges: tuple[str, ...] = ()  # a source's words before a number that call for this qualifier


# One entry per qualifier, in the order a chart's key lists them.
QUALIFIERS: dict[str, QualifierMeaning] = {
    "exact": QualifierMeaning("", "exact figure", "a dot", "n"),
    "about": QualifierMeaning("about ", "about", "a dot in a dashed ring", "n",
                              hedges=("about", "around", "approximately", "some", "roughly")),
    "at_least": QualifierMeaning("at least ", "at least, no upper end", "a dot with an arrow to the right",
                                 "n and up", hedges=("at least",)),
    "more_than": QualifierMeaning("more than ", "more than, no upper end", "an open dot with an arrow to the right",
                                  "n+1 and up", hollow=True, hedges=("more than", "over")),
    "at_most": QualifierMeaning("at most ", "at most, from none up", "a dot with an arrow back to zero",
                                "0 to n", hedges=("as many as", "up to")),
    "fewer_than": QualifierMeaning("fewer than ", "fewer than, from none up", "an open dot with an arrow back to zero",
                                   "0 to n-1", hollow=True),
    "nearly": QualifierMeaning("nearly ", "nearly, just under", "an open dot with a short line back",
                               "9n/10 (rounded up) to n-1", hollow=True, hedges=("nearly", "almost")),
    "range": QualifierMeaning("", "range, low to high", "a solid bar", "low to high"),
    "vague": QualifierMeaning("", "vague amount (“dozens”), as read", "a dashed box", "the amount's span"),
}


# What the whole figure covers: the event's total, one site's total, or a part of a total.
Coverage = Literal["event", "site", "part"]
# The machine reading of a vague amount: (low, high), documented in the field reference.
VAGUE_AMOUNTS: dict[str, tuple[int, int]] = {
    "a few": (2, 5), "several": (3, 9), "dozens": (24, 99), "scores": (40, 199),
    "hundreds": (200, 999), "thousands": (2000, 9999), "tens of thousands": (20000, 99999),
}
VagueAmount = Literal["a few", "several", "dozens", "scores", "hundreds", "thousands", "tens of thousands"]


class Figure(Strict):
    """A figure as a source gives it: the qualifier, the number or amount, and the source's words for it."""

    qualifier: Qualifier = Field(
        description="`exact`, `at_least`, `more_than`, `about`, `at_most` (\"as many as\", \"up to\"), "
        "`fewer_than`, `nearly`, `range` (with low and high), or `vague` (with amount). The machine reading, "
        "for charts and spans: " + "; ".join(f"{name.replace('_', ' ')} n: {meaning.reading}" for name, meaning
                                            in QUALIFIERS.items() if name not in ("range", "vague"))
        + "; a range: low to high.")
    amount: VagueAmount | None = Field(
        default=None,
        description="For `vague`: the source's word for an amount with no number, read as: a few 2-5, several "
        "3-9, dozens 24-99, scores 40-199, hundreds 200-999, thousands 2,000-9,999, tens of thousands "
        "20,000-99,999.")
    words: TextField | None = Field(
        default=None,
        description="The source's words for the figure (`as many as 50`, `more than a hundred`); pages show "
        "them instead of the qualifier's plain words. They must occur in an evidence quote and state the value.")
    value: int | None = Field(default=None, ge=0, le=MAX_FIGURE,
                            description="The figure, for every qualifier but `range`. At most 10^12.")
    low: int | None = Field(default=None, ge=0, le=MAX_FIGURE,
                            description="Lower end, for `range`. At most 10^12.")
    high: int | None = Field(default=None, ge=0, le=MAX_FIGURE,
                            description="Upper end, for `range`. At most 10^12.")
    unit: TextField | None = Field(default=None, description="Unit after the number, e.g. `percent`; people if absent.")

    @model_validator(mode="after")
    def _value_matches_qualifier(self) -> Figure:
        numbers = (self.value, self.low, self.high, self.amount)
        if self.qualifier == "range":
            if self.low is None or self.high is None or self.value is not None or self.amount is not None:
                raise ValueError("a range needs `low` and `high` and no `value` or `amount`")
            if self.low > self.high:
                raise ValueError(f"low ({self.low}) is greater than high ({self.high})")
        elif self.qualifier == "vague":
            if self.amount is None or numbers.count(None) != 3:
                raise ValueError("qualifier 'vague' needs `amount` (e.g. dozens) and no `value`, `low` or `high`")
        elif self.value is None or numbers.count(None) != 3:
            raise ValueError(f"qualifier {self.qualifier!r} needs `value` and no `low`, `high` or `amount`")
        elif self.qualifier in ("fewer_than", "nearly") and self.value < 1:
            raise ValueError(f"qualifier {self.qualifier!r} needs a `value` of at least 1")
        return self

    @property
    def reading(self) -> tuple[int, int | None]:
        """The machine reading: the least and the most the claim allows (``None``: no upper end)."""
        match self.qualifier:
            case "range":
                return self.low or 0, self.high
            case "vague":
                return VAGUE_AMOUNTS[self.amount or ""]
        value = self.value or 0
        match self.qualifier:
            case "at_least":
                return value, None
            case "more_than":
                return value + 1, None
            case "at_most":
                return 0, value
            case "fewer_than":
                return 0, value - 1
            case "nearly":
                return min(-(-9 * value // 10), value - 1), value - 1
        return value, value

    def figure(self) -> str:
        """The figure as a reader says it: the source's `words`, else ``at least 32``, ``5,000 to 13,000``."""
        if self.words:
            # "As many as 50" opens the source's sentence, not the page's.
            text = self.words[0].lower() + self.words[1:] if self.words[1:2].islower() else self.words
        elif self.qualifier == "range":
            text = f"{self.low:,} to {self.high:,}"
        elif self.qualifier == "vague":
            text = self.amount or ""
        else:
            text = f"{QUALIFIERS[self.qualifier].words}{self.value:,}"
        return f"{text} {self.unit}" if self.unit else text

    @property
    def floor(self) -> int:
        """The smallest number the claim allows, for ordering figures."""
        return self.reading[0]

    @property
    def magnitude(self) -> int:
        """The number the claim is about, for ordering a span: the figure, a range's low end, a vague word's least.

        "As high as 200" is about 200, though it allows 0: ordered by what it
        allows, it would open every span.
        """
        return self.value if self.value is not None else self.reading[0]

    def same_reading(self, other: Figure) -> bool:
        """Whether two figures say the same: the same reading in the same unit."""
        return (self.reading, self.unit) == (other.reading, other.unit)


class FigureRevision(Strict):
    """An earlier figure that the claimant itself changed: what it was, which reports carried it, and why."""

    previous: Figure = Field(description="The earlier figure, read as `value` is (qualifier, value, words, ...).")
    evidence: list[Evidence] = Field(
        min_length=1, description="The reports that carried the earlier figure, each with the words stating it "
        "(a later report that speaks of the earlier figure counts).")
    changed: Day = Field(description=f"When the new value was published, YYYY-MM-DD ({_DAY_RANGE}).")
    reason: TextField = Field(description="Why it changed, as the new source explains it.")
    source: Slug = Field(description="Id of the source of the new value; it must be among the fact's evidence.")

    @property
    def earlier(self) -> str:
        """The earlier figure, in words."""
        return self.previous.figure()

    @property
    def earlier_reports(self) -> tuple[str, ...]:
        """Ids of the reports that carried the earlier figure."""
        return tuple(dict.fromkeys(item.source for item in self.evidence))

    def direction(self, now: Figure) -> str:
        """The change in words: ``revised down from 48 to 34``."""
        before, after = self.previous.magnitude, now.magnitude
        way = "up " if after > before else "down " if after < before else ""
        return f"revised {way}from {self.previous.figure()} to {now.figure()}"


class Withdrawal(Strict):
    """That the claimant withdrew a figure, with the report that says so."""

    reason: TextField = Field(description="Why, as the report says it.")
    evidence: list[Evidence] = Field(min_length=1, description="The report saying the figure was withdrawn.")


class Tally(Revisable, Figure):
    """One claimant's figure for one thing counted."""

    id: Slug = Field(description="Id used in references and anchors.")
    counts: TextField = Field(description="What is counted: `killed`, `wounded`, `attackers`, `detonations`, ...")
    covers: Coverage | None = Field(
        default=None,
        description="What the figure is: `event`, the whole event's total; `site`, one site's total (with "
        "`where`); `part`, a part of a total (with `part`). Default: `site` with `where`, else `event`. Only "
        "whole-event totals make the span on the overview and the home page.")
    part: TextField | None = Field(
        default=None, description="For `covers: part`: which part, e.g. `police`, `children`, `civilians`.")
    scope: TextField | None = Field(default=None, description="Whom or what it counts, e.g. `security personnel`.")
    where: Slug | None = Field(default=None, description="Id of the place (sub-incident site) it is limited to.")
    claimant: Slug | list[Slug] | None = Field(
        default=None,
        description="Id of the actor who made the claim (not the outlet that reported it), or a list of ids for "
        "a joint claim (`[interior-ministry, health-ministry]`).")
    unnamed: TextField | None = Field(
        default=None,
        description="A claimant the report does not name, in its words: `a police official`, `hospital sources`, "
        "`security and medical officials`. The same words in copies, updates and versions of one story are one "
        "claimant; otherwise kept apart per report. Give it instead of, or besides, `claimant`.")
    speaks_for: Slug | None = Field(
        default=None,
        description="With `unnamed`: id of the named body the unnamed claimant is, or relays (\"the authorities\" "
        "giving the Health Ministry's toll): its figure is then that body's claim, whichever outlet carried it.")
    claims_as: ClaimantRole | None = Field(
        default=None, description=f"With `unnamed` (and no `speaks_for`): the claimant's standing, "
        f"{CLAIMANT_ROLE_HELP}. A named claimant's is its actor's.")
    via: list[Slug] = Field(
        default_factory=list,
        description="Ids of the outlets the report cites for the claim, nearest first (the report's "
        "`citing Reuters`): pages say `as reported by <the report's publishers>, citing Reuters`.")
    note: TextField | None = Field(
        default=None, description="For readers, shown beside the figure: how whoever gave it phrased or broke "
        "it down.")
    editors_note: TextField | None = Field(
        default=None, description="For the editors only, never shown on the site: how the figure was read "
        "from the report, what to check.")
    derivation: TextField | None = Field(
        default=None,
        description="How the figure was derived from the source's words when the number is not written there, "
        "e.g. `sum: a senior officer and at least 31 others`; shown beside the figure. Without it, a number "
        "that no evidence quote states (in digits or words) gets a warning.")
    context: Slug | None = Field(default=None, description="Id of a context item, when the figure is background.")
    date: DateSpec | None = Field(default=None, description="When the figure applies, if not the event's date.")
    revisions: list[FigureRevision] = Field(  # type: ignore[assignment]
        default_factory=list, description="Earlier figures of the same claimant that this one replaced, oldest "
        "first: a figure the sheet also holds as a tally (same claimant and thing counted, from one of the "
        "revision's reports) is then superseded by this one.")
    withdrawn: Withdrawal | None = Field(
        default=None, description="That the claimant withdrew this figure, with the report that says so: it is "
        "kept, marked withdrawn, and never stands in a span or a headline.")

    @model_validator(mode="after")
    def _coverage_is_complete(self) -> Tally:
        if self.covers == "site" and self.where is None:
            raise ValueError("`covers: site` needs `where`, the id of the site")
        if (self.covers == "part") != (self.part is not None):
            raise ValueError("`part` goes with `covers: part`, and `covers: part` needs `part`")
        if self.covers == "event" and self.where is not None:
            raise ValueError("a whole-event total (`covers: event`) has no `where`")
        return self

    @model_validator(mode="after")
    def _someone_claims_it(self) -> Tally:
        if self.claimant is None and self.unnamed is None:
            raise ValueError("a figure needs `claimant` (an actor id, or a list for a joint claim) or `unnamed` "
                             "(the report's words for a claimant it does not name)")
        if isinstance(self.claimant, list) and (not self.claimant or len(set(self.claimant)) < len(self.claimant)):
            raise ValueError("a joint `claimant` lists each actor id once")
        if (self.speaks_for or self.claims_as) and not self.unnamed:
            raise ValueError("`speaks_for` and `claims_as` describe an `unnamed` claimant; a named claimant's "
                             "standing is set on its actor (`claims_as`)")
        if self.speaks_for and (self.claims_as or self.claimant):
            raise ValueError("with `speaks_for` the claimant is that body: leave out `claims_as` and `claimant`")
        return self

    @property
    def claimants(self) -> tuple[str, ...]:
        """The ids of the named claimants, one or several."""
        if self.claimant is None:
            return ()
        return tuple(self.claimant) if isinstance(self.claimant, list) else (self.claimant,)

    def claimed_by(self, name_of: Callable[[str], str]) -> str:
        """Who made the claim, in words: ``the governor``, ``A and B``, ``a police official``."""
        names = [name_of(ident) for ident in self.claimants] + ([self.unnamed] if self.unnamed else [])
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def coverage(self) -> Coverage:
        """What the figure covers: as written, else a site's total with `where`, else the event's."""
        return self.covers or ("site" if self.where else "event")

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """When the figure applies, if given."""
        return _dated(self.date)

    def evidence_items(self) -> Iterator[tuple[FieldPath, Evidence]]:
        """The figure's evidence, each earlier figure's, and the withdrawal's."""
        yield from _cited(self.evidence)
        for index, revision in enumerate(self.revisions):
            yield from _cited(revision.evidence, ("revisions", index))
        if self.withdrawn:
            yield from _cited(self.withdrawn.evidence, ("withdrawn",))

    def subject(self, name_of: Callable[[str], str]) -> str:
        """What is counted, and who claims it."""
        return f"{self.counts}, according to {self.claimed_by(name_of)}"

    @property
    def current(self) -> str:
        """The figure."""
        return self.figure()

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        if isinstance(self.claimant, list):
            for index, ident in enumerate(self.claimant):
                yield ("claimant", index), "actor", ident
        elif self.claimant:
            yield ("claimant",), "actor", self.claimant
        if self.speaks_for:
            yield ("speaks_for",), "actor", self.speaks_for
        for index, ident in enumerate(self.via):
            yield ("via", index), "actor", ident
        if self.where:
            yield ("where",), "place", self.where
        if self.context:
            yield ("context",), "context", self.context
        for index, revision in enumerate(self.revisions):
            yield ("revisions", index, "source"), "source", revision.source
        yield from _sources_of(self)


class Quote(Revisable):
    """Words somebody said or wrote, verbatim."""

    id: Slug = Field(description="Id used in references and anchors.")
    speaker: Slug = Field(description="Id of the actor who said it.")
    text: TextField = Field(description="The quotation, verbatim; it must occur in its evidence.")
    setting: TextField | None = Field(default=None, description="Where or how it was said.")
    date: DateSpec | None = Field(default=None, description="When it was said, if the source says.")

    def references(self) -> Iterator[Reference]:
        """Every id this item points at, with the field that holds it."""
        yield ("speaker",), "actor", self.speaker
        yield from super().references()

    def dates(self) -> Iterator[tuple[FieldPath, DateSpec]]:
        """When it was said, if given."""
        return _dated(self.date)

    def subject(self, name_of: Callable[[str], str]) -> str:
        """Whose words."""
        return f"words of {name_of(self.speaker)}"

    @property
    def current(self) -> str:
        """The quotation."""
        return self.text
