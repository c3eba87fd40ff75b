"""The Homs sheet: everything the article states is there, with evidence, and nothing else."""

from __future__ import annotations

import re

import pytest

from generator.evidence import normalize
from generator.models import Evidence
from generator.sheet import Sheet

from .helpers import HOMS, ROOT, homs_sheet, load_project

ARCHIVE = ROOT / "content" / HOMS / "sources" / "ap-wapo-2017-02-26.txt"


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    found = homs_sheet()
    return found


def all_evidence(sheet: Sheet) -> list[Evidence]:
    found = list(sheet.info.evidence)
    if sheet.info.figures_note:
        found += sheet.info.figures_note.evidence
    for group in (sheet.actors, sheet.places, sheet.events, sheet.tallies, sheet.quotes, sheet.context):
        for fact in group:
            found += fact.evidence
    return found


def words(text: str) -> list[str]:
    return re.findall(r"[\w'-]+", normalize(text).lower())


def story_sentences(sheet: Sheet) -> list[str]:
    """Sentences of the article, less the lines that are the source's own metadata."""
    source = sheet.sources[0]
    lines = [line for line in ARCHIVE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert source.contributors is not None
    meta = {source.headline, source.subheadline, normalize(source.contributors),
            f"{source.section} on {source.publication.start:%m/%d/%Y}", "Upcoming Events"}
    body = [line for line in lines if normalize(line) not in meta]
    assert len(lines) - len(body) == 5, "metadata lines of the archived text changed"
    return [s for line in body for s in re.split(r'(?<=[.!?"])\s+', normalize(line)) if s]


def test_every_sentence_of_the_story_is_covered_by_evidence(sheet: Sheet) -> None:
    quoted = [" ".join(words(ev.quote)) for ev in all_evidence(sheet)]
    uncovered = []
    for sentence in story_sentences(sheet):
        w = words(sentence)
        n = min(6, len(w))
        grams = {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}
        hit = sum(any(g in q for q in quoted) for g in grams)
        if hit < len(grams) / 2:
            uncovered.append(sentence)
    assert not uncovered, "sentences of the article that no fact cites:\n" + "\n".join(uncovered)


def test_every_direct_quotation_is_a_quote_fact(sheet: Sheet) -> None:
    text = normalize(ARCHIVE.read_text(encoding="utf-8"))
    quotations = {m.strip(" ,.") for m in re.findall(r'"([^"]+)"', text)}
    recorded = {normalize(q.text).strip(" ,.") for q in sheet.quotes}
    assert quotations - recorded == set()


def test_every_claimants_figure_is_recorded(sheet: Sheet) -> None:
    figures = {(t.claimant, t.counts, t.qualifier, t.value, t.where) for t in sheet.event_tallies()}
    assert {
        ("syrian-state-media-and-officials", "killed", "at_least", 32, None),
        ("talal-barzani", "killed", "more_than", 32, None),
        ("talal-barzani", "detonations", "exact", 3, None),
        ("syrian-observatory", "killed", "at_least", 42, None),
        ("syrian-observatory", "killed", "at_least", 30, "military-intelligence-building"),
        ("syrian-observatory", "killed", "at_least", 12, "state-security-branch"),
        ("al-ikhbariya", "attackers", "at_least", 6, None),
        ("al-ikhbariya", "detonations", "at_least", 2, None),
        ("levant-liberation-committee", "attackers", "exact", 5, None),
    } <= figures


def test_relative_dates_are_resolved(sheet: Sheet) -> None:
    by_id = {c.id: c for c in sheet.context}
    transferred = by_id["daeboul-transferred"].date
    report = by_id["amnesty-saydnaya-report"].date
    al_bab = by_id["al-bab-battle"].date
    assert transferred is not None and (transferred.as_written, transferred.value) == ("last year", "2016")
    assert report is not None and (report.as_written, report.value) == ("this month", "2017-02")
    assert al_bab is not None and al_bab.as_written == "last week" and al_bab.period.approximate
    attack = next(e for e in sheet.events if e.id == "attacks-begin")
    assert attack.date.period.display() == "25 February 2017"


def test_no_coordinates_or_invented_fields(sheet: Sheet) -> None:
    raw = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "content" / HOMS).glob("*.yml"))
    assert not re.search(r"\b(lat|lon|latitude|longitude|coordinates)\s*:", raw)


def test_every_number_in_a_figure_occurs_in_its_evidence(sheet: Sheet) -> None:
    spelled = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    for tally in sheet.tallies:
        values = [tally.low, tally.high] if tally.qualifier == "range" else [tally.value]
        evidence = " ".join(ev.quote for ev in tally.evidence)
        for value in values:
            assert value is not None
            forms = {f"{value:,}", str(value), spelled.get(value, str(value))}
            # Only a figure that says how it was derived may be missing from its quotes.
            if tally.derivation is not None:
                assert tally.derivation.split(": ", 1)[1] in evidence, tally.id
                continue
            assert any(form in evidence for form in forms), f"{tally.id}: {value} not in its evidence"


def test_the_only_derived_figure_is_the_state_media_sum(sheet: Sheet) -> None:
    # "at least 32" is stated as "a senior officer and at least 31 others".
    derived = {t.id: t.derivation for t in sheet.tallies if t.derivation}
    assert derived == {"killed-state-media": "sum: a senior officer and at least 31 others"}
    assert sheet.warnings == ()


@pytest.mark.parametrize("sheet_id", sorted(p.name for p in (ROOT / "content").iterdir() if p.is_dir()))
def test_a_partial_archive_holds_only_paragraphs_that_facts_quote(sheet_id: str) -> None:
    # Archives of copyrighted reports keep only what the facts need: every
    # paragraph of a partial archive is quoted, in part, by some evidence entry.
    found = next(s for s in load_project(ROOT / "content").sheets if s.id == sheet_id)
    quotes: dict[str, list[str]] = {}
    for evidence in all_evidence(found):
        quotes.setdefault(evidence.source, []).append(normalize(evidence.quote))
    partial = [s for s in found.sources if s.archive_partial and s.archive]
    for source in partial:
        text = (ROOT / "content" / sheet_id / str(source.archive)).read_text(encoding="utf-8")
        for paragraph in filter(None, (normalize(p) for p in text.split("\n\n"))):
            assert any(q in paragraph for q in quotes.get(source.id, [])), f"{source.id}: {paragraph[:80]!r}"
    assert partial or sheet_id == HOMS  # Homs archives its whole article; every other sheet only excerpts


SHEETS = sorted(p.name for p in (ROOT / "content").iterdir() if p.is_dir())


@pytest.mark.parametrize("sheet_id", SHEETS)
def test_no_figure_that_no_longer_stands_ends_a_span_or_leads_a_headline(sheet_id: str) -> None:
    found = next(s for s in load_project(ROOT / "content").sheets if s.id == sheet_id)
    for measure in found.measures():
        headline = found.headline(measure)
        for tally in found.figure_span(measure) + headline.latest:
            assert found.status(tally) == "current", (measure, tally.id)
            assert found.role_of(tally) != "perpetrator", (measure, tally.id)
        assert all(found.role_of(t) == "perpetrator" for t in headline.own_acts)


def test_karradas_box_leads_with_the_latest_figure() -> None:
    karrada = next(s for s in load_project(ROOT / "content").sheets if s.id == "karrada-2016-07-03")
    headline = karrada.headline("killed")
    assert [t.id for t in headline.latest] == ["killed-alarabiya-health-minister"]
    assert "killed-astroawani-officials" in [t.id for t in headline.first]
    assert karrada.standing(karrada.tally_by_id["killed-straitstimes-health-ministry"]).superseded_by == \
        "killed-alarabiya-health-minister"
    # The first AFP story's "officials" are the officials of its update: their 6 gave way to 75.
    assert karrada.standing(karrada.tally_by_id["killed-astroawani-officials"]).superseded_by == \
        "killed-indiatimes-officials"


def test_sri_lankas_toll_was_revised_down_and_the_claim_of_responsibility_stands_apart() -> None:
    sheet = next(s for s in load_project(ROOT / "content").sheets if s.id == "sri-lanka-2019-04-21")
    headline = sheet.headline("killed")
    assert {t.value for t in headline.latest} == {253}
    assert all(sheet.status(t) == "superseded" for t in sheet.tallies if t.value == 359 and t.counts == "killed")
    assert [t.claimant for t in sheet.headline("attackers").own_acts] == ["islamic-state"]
    assert sheet.standing(sheet.tally_by_id["killed-newslk-wijewardene"]).superseded_by == "killed-newsam-wijewardene"
