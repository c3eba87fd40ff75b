"""Whole-sheet checks: every problem reported, with file, line, column and code."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import DataError, Diagnostic

from .helpers import SHEET, SOURCE, TALLY, load_project, only, problems, write_sheet


def test_valid_sheet_loads(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY})
    project = load_project(tmp_path)
    (sheet,) = project.sheets
    assert [t.value for t in sheet.tallies] == [32]
    assert sheet.actor_by_id["governor"].name == "The governor"


def test_unknown_field_with_suggestion(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("claimant:", "claimnt:")})
    found = problems(tmp_path)
    unknown = next(d for d in found if d.code == "unknown-field")
    assert (unknown.path.endswith("demo/tallies.yml"), unknown.line, unknown.col) == (True, 4, 5)
    assert unknown.hint == "did you mean 'claimant'?"
    # The claimant is optional now (a figure may have `unnamed` instead): the typo is the one problem.
    assert {d.code for d in found} == {"unknown-field"}


def test_dangling_reference_with_suggestion(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("claimant: governor",
                                                                            "claimant: govenor")})
    d = only(tmp_path)
    assert (d.line, d.col, d.code) == (4, 15, "unknown-id")
    assert d.hint == "did you mean 'governor'?"


def test_quote_not_in_source_points_at_the_quote(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("more than 32 people",
                                                                            "more than 33 people")})
    d = only(tmp_path)
    assert (d.line, d.col, d.code) == (9, 16, "quote-not-found")
    assert d.hint is not None and "more than 32 people" in d.hint


def test_fact_without_evidence_is_an_error(tmp_path: Path) -> None:
    text = TALLY.split("    evidence:")[0]
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": text})
    d = only(tmp_path)
    assert (d.code, d.line) == ("missing-field", 2)
    assert "evidence" in d.message


def test_every_problem_of_every_file_is_reported(tmp_path: Path) -> None:
    quotes = "quotes:\n  - id: q\n    speaker: nobody\n    text: Three blasts\n" \
             "    evidence: [{source: wire, quote: Three blasts}]\n"
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("value: 32", "value: -1"),
                           "events.yml": "events:\n  - id: x\n", "quotes.yml": quotes})
    found = problems(tmp_path)
    assert sorted((Path(d.path).name, d.code) for d in found) == [
        ("events.yml", "missing-field"),  # date
        ("events.yml", "missing-field"),  # title
        ("events.yml", "missing-field"),  # description
        ("events.yml", "missing-field"),  # evidence
        ("quotes.yml", "unknown-id"),
        ("tallies.yml", "invalid-value"),
    ]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    second = TALLY.replace("tallies:\n", "tallies:\n", 1)
    write_sheet(tmp_path, {"sheet.yml": SHEET, "a.yml": TALLY, "b.yml": second})
    d = only(tmp_path)
    assert d.code == "duplicate-id" and d.path.endswith("b.yml")
    assert d.hint is not None and "a.yml:2:9" in d.hint


def test_date_must_match_its_relative_wording(tmp_path: Path) -> None:
    event = """\
events:
  - id: blasts
    date: {value: 2017-02-24, as_written: Saturday}
    title: Blasts
    description: Three blasts.
    evidence:
      - source: wire
        quote: the governor said on Saturday
"""
    write_sheet(tmp_path, {"sheet.yml": SHEET, "events.yml": event})
    d = only(tmp_path)
    assert (d.line, d.code) == (3, "date-mismatch")
    assert d.hint == "'Saturday' resolves to 2017-02-25"


def test_range_with_low_above_high(tmp_path: Path) -> None:
    tally = TALLY.replace("qualifier: more_than\n    value: 32", "qualifier: range\n    low: 40\n    high: 30")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    d = only(tmp_path)
    assert d.code == "invalid-value" and "low (40) is greater than high (30)" in d.message


@pytest.mark.parametrize("bad_id", ["../x", "Has Space", "UPPER", "''"])
def test_unsafe_ids_are_rejected(tmp_path: Path, bad_id: str) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("id: governor", f"id: {bad_id}")})
    found = problems(tmp_path)
    assert any(d.code == "invalid-value" and d.message.startswith("id:") for d in found)


def test_missing_archive(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET}, source=None)
    d = only(tmp_path)
    assert d.code == "archive-missing" and d.line == 10


def test_archive_outside_the_sheet_folder(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("sources/wire.txt", "../../etc/passwd")})
    assert only(tmp_path).code == "archive-outside"


def test_sheet_id_must_match_folder(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("id: demo", "id: other")})
    d = only(tmp_path)
    assert (d.code, d.hint) == ("id-mismatch", "use id: demo")


def test_unknown_section_with_suggestion(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "t.yml": TALLY.replace("tallies:", "talies:")})
    d = only(tmp_path)
    assert (d.code, d.line, d.col, d.hint) == ("unknown-section", 1, 1, "did you mean 'tallies'?")


def test_quotation_must_occur_in_its_evidence(tmp_path: Path) -> None:
    quotes = """\
quotes:
  - id: q
    speaker: governor
    text: Four blasts
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people
"""
    write_sheet(tmp_path, {"sheet.yml": SHEET, "quotes.yml": quotes})
    d = only(tmp_path)
    assert (d.code, d.line) == ("quote-not-in-evidence", 4)


def test_empty_fact_file(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "empty.yml": "# nothing yet\n"})
    d = only(tmp_path)
    assert (d.code, d.line) == ("empty-file", 1)


def test_place_cycle(tmp_path: Path) -> None:
    places = """\
places:
  - id: a
    name: A
    kind: city
    within: b
    evidence: [{source: wire, quote: BEIRUT}]
  - id: b
    name: B
    kind: city
    within: a
    evidence: [{source: wire, quote: BEIRUT}]
"""
    write_sheet(tmp_path, {"sheet.yml": SHEET, "places.yml": places})
    assert sorted(d.code for d in problems(tmp_path)) == ["cycle", "cycle"]


@pytest.mark.parametrize(("quote", "whole", "code", "advice"), [
    ("Three blasts killed more than 3", "Three blasts killed more than 32", "quote-partial-number",
     "quote the whole number"),
    ("hree blasts killed more than 32 people", "Three blasts killed more than 32 people", "quote-partial-number",
     "quote the whole number"),
    ("lasts killed more than 32 people", "blasts killed more than 32 people", "quote-partial-word",
     "quote whole words"),
])
def test_quote_cut_inside_a_word_or_number_is_refused(tmp_path: Path, quote: str, whole: str, code: str,
                                                      advice: str) -> None:
    tally = TALLY.replace("value: 32", "value: 3").replace("quote: Three blasts killed more than 32 people",
                                                            f"quote: {quote}")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    d = only(tmp_path)
    assert (d.line, d.col, d.code, d.severity) == (9, 16, code, "error")
    assert d.hint == f"the source reads {whole!r}; {advice}"


@pytest.mark.parametrize("quote", ["'.'", "'32'", "the", "'-- ,'"])
def test_quote_too_short_to_mean_anything(tmp_path: Path, quote: str) -> None:
    tally = TALLY.replace("quote: Three blasts killed more than 32 people", f"quote: {quote}")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    d = only(tmp_path)
    assert (d.line, d.col, d.code) == (9, 16, "quote-too-short")


def test_a_one_word_quotation_inside_its_evidence_is_allowed(tmp_path: Path) -> None:
    # The length rule is for evidence quotes; a quotation may be one word of its evidence.
    quotes = "quotes:\n  - id: q\n    speaker: governor\n    text: blasts\n" \
             "    evidence: [{source: wire, quote: Three blasts killed}]\n"
    write_sheet(tmp_path, {"sheet.yml": SHEET, "quotes.yml": quotes})
    (sheet,) = load_project(tmp_path).sheets
    assert sheet.quotes[0].text == "blasts"


def test_quotation_cut_inside_a_word_of_its_evidence_is_refused(tmp_path: Path) -> None:
    quotes = "quotes:\n  - id: q\n    speaker: governor\n    text: blast\n" \
             "    evidence: [{source: wire, quote: Three blasts killed}]\n"
    write_sheet(tmp_path, {"sheet.yml": SHEET, "quotes.yml": quotes})
    assert only(tmp_path).code == "quote-not-in-evidence"


@pytest.mark.parametrize(("figure", "quote", "warned"), [
    ("value: 32", "Three blasts killed more than 32 people", []),
    ("value: 3", "Three blasts killed", []),  # in words
    ("value: 33", "Three blasts killed more than 32 people", [("value", 6, 12)]),
    ("value: 4", "Three blasts killed", [("value", 6, 12)]),
    ("qualifier: range\n    low: 3\n    high: 32", "Three blasts killed more than 32 people", []),
    ("qualifier: range\n    low: 30\n    high: 32", "Three blasts killed more than 32 people", [("low", 6, 10)]),
])
def test_a_figure_no_quote_states_is_a_warning(tmp_path: Path, figure: str, quote: str,
                                               warned: list[tuple[str, int, int]]) -> None:
    tally = TALLY.replace("value: 32", figure).replace("Three blasts killed more than 32 people", quote)
    if "range" in figure:
        tally = tally.replace("    qualifier: more_than\n", "")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    (sheet,) = load_project(tmp_path).sheets  # a warning does not stop the sheet
    assert [(w.message.split()[0], w.line, w.col) for w in sheet.warnings] == warned
    for w in sheet.warnings:
        assert (w.code, w.severity) == ("number-not-in-evidence", "warning")
        assert f"tallies.yml:{w.line}:{w.col}: warning: " in w.format().splitlines()[0]


def test_a_derivation_explains_a_figure_no_quote_states(tmp_path: Path) -> None:
    tally = TALLY.replace("value: 32", "value: 33\n    derivation: 'sum: more than 32 people and the governor'")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    (sheet,) = load_project(tmp_path).sheets
    assert sheet.warnings == ()
    assert sheet.tallies[0].derivation == "sum: more than 32 people and the governor"


def test_warnings_are_reported_beside_errors(tmp_path: Path) -> None:
    tally = TALLY.replace("value: 32", "value: 33").replace("claimant: governor", "claimant: govenor")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally})
    with pytest.raises(DataError) as caught:
        load_project(tmp_path)
    assert [(d.code, d.severity) for d in caught.value.diagnostics] == [
        ("unknown-id", "error"), ("number-not-in-evidence", "warning")]
    assert ":6:12: warning: value 33 appears in none" in str(caught.value)
    assert str(caught.value).endswith("1 error and 1 warning found; nothing was written.")


def test_errors_are_printed_first_and_warnings_apart(tmp_path: Path) -> None:
    # Sorted by place, the warning in a.yml would come before the error in b.yml.
    write_sheet(tmp_path, {"sheet.yml": SHEET, "a.yml": TALLY.replace("value: 32", "value: 33"),
                           "b.yml": TALLY.replace("id: killed", "id: killed-2").replace("governor", "govenor")})
    with pytest.raises(DataError) as caught:
        load_project(tmp_path)
    lines = str(caught.value).splitlines()
    assert [line.split(": ")[1] for line in lines if line.startswith(str(tmp_path))] == ["error", "warning"]
    assert lines.index("warnings:") == 2  # after the error and its hint
    assert "a.yml:6:12: warning: value 33" in lines[3]
    assert lines[-1] == "1 error and 1 warning found; nothing was written."


PAPER = """\
  - id: paper
    publishers: [Paper]
    headline: Blasts again
    published: 2017-02-27
    archive: sources/wire.txt
"""


def test_a_source_no_fact_cites_is_a_warning_at_its_id(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("actors:\n", PAPER + "actors:\n"), "tallies.yml": TALLY})
    (sheet,) = load_project(tmp_path).sheets
    (warning,) = sheet.warnings
    assert (warning.line, warning.col, warning.code, warning.severity) == (11, 9, "source-unused", "warning")
    assert warning.message == "no fact cites source 'paper'"
    assert warning.hint == "cite it in an evidence entry (`source: paper` with a quote), or remove it from `sources:`"


@pytest.mark.parametrize("citing", [
    TALLY.replace("source: wire", "source: paper"),  # a tally's evidence
    "sheet:\n  evidence: [{source: paper, quote: the governor said}]\n",  # the sheet's own evidence
])
def test_a_source_cited_anywhere_is_used(tmp_path: Path, citing: str) -> None:
    sheet = SHEET.replace("actors:\n", PAPER + "actors:\n")
    if citing.startswith("sheet:"):
        sheet = sheet.replace("  summary: Something happened.\n", "  summary: Something happened.\n"
                              + citing.removeprefix("sheet:\n"))
        citing = TALLY
    write_sheet(tmp_path, {"sheet.yml": sheet, "tallies.yml": citing})
    (loaded,) = load_project(tmp_path).sheets
    assert loaded.warnings == ()


def test_a_source_cited_by_an_invalid_item_is_not_called_unused(tmp_path: Path) -> None:
    tally = TALLY.replace("source: wire", "source: paper").replace("value: 32", "value: -1")
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("actors:\n", PAPER + "actors:\n"), "tallies.yml": tally})
    assert [d.code for d in problems(tmp_path)] == ["invalid-value"]


CONFLICT_SOURCE = SOURCE + "Later the governor said 40 people were killed in the blasts.\n"
SECOND = """\
  - id: killed-later
    counts: killed
    claimant: governor
    qualifier: exact
    value: 40
    evidence:
      - source: wire
        quote: the governor said 40 people were killed
"""


def conflict_warnings(tmp_path: Path, second: str, sheet: str = SHEET) -> list[Diagnostic]:
    write_sheet(tmp_path, {"sheet.yml": sheet, "tallies.yml": TALLY + second}, source=CONFLICT_SOURCE)
    (loaded,) = load_project(tmp_path).sheets
    return [w for w in loaded.warnings if w.code == "conflicting-figures"]


def test_one_claimant_giving_two_figures_in_one_report_is_a_warning_at_the_second(tmp_path: Path) -> None:
    (warning,) = conflict_warnings(tmp_path, SECOND)
    assert (Path(warning.path).name, warning.line, warning.col, warning.severity) == ("tallies.yml", 14, 12,
                                                                                      "warning")
    assert warning.message == ("'governor' gives 40 killed in source 'wire', and more than 32 in tally 'killed' "
                               f"({warning.path}:6:12)")
    assert warning.hint is not None and "`qualifier: range`" in warning.hint and "`revisions:`" in warning.hint


@pytest.mark.parametrize("second", [
    SECOND.replace("value: 40", "value: 32"),  # the same number, said otherwise
    SECOND.replace("    claimant:", "    scope: police\n    claimant:"),  # counts other people
    SECOND.replace("    claimant:", "    covers: part\n    part: police\n    claimant:"),  # a part of the total
    SECOND.replace("counts: killed", "counts: wounded"),
    SECOND.replace("    claimant:", "    date: 2017-02-26\n    claimant:"),  # a figure for another day
    SECOND.replace("qualifier: exact\n    value: 40", "qualifier: range\n    low: 32\n    high: 40"),
    SECOND.replace("qualifier: exact\n    value: 40", "qualifier: vague\n    amount: dozens"),
    SECOND + "    revisions:\n      - previous: {qualifier: more_than, value: 32}\n        changed: 2017-02-26\n"
             "        evidence: [{source: wire, quote: killed more than 32 people}]\n"
             "        reason: A new toll.\n        source: wire\n",
])
def test_figures_that_do_not_conflict(tmp_path: Path, second: str) -> None:
    assert conflict_warnings(tmp_path, second) == []


def test_figures_from_two_reports_do_not_conflict(tmp_path: Path) -> None:
    sheet = SHEET.replace("actors:\n", PAPER + "actors:\n")
    assert conflict_warnings(tmp_path, SECOND.replace("source: wire", "source: paper"), sheet) == []


def test_each_later_figure_is_warned_once(tmp_path: Path) -> None:
    third = SECOND.replace("killed-later", "killed-latest").replace("value: 40", "value: 33") \
        .replace("quote: the governor said 40 people were killed", "quote: Three blasts killed more than 32 people")
    warned = conflict_warnings(tmp_path, SECOND + third)
    assert [(w.line, "'killed'" in w.message) for w in warned] == [(14, True), (22, True)]


def test_a_quote_not_found_always_shows_the_closest_passage(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("quote: the governor said", "quote: the mayor insisted")})
    d = only(tmp_path)
    assert d.code == "quote-not-found"
    assert d.hint == "closest passage: 'the governor said'"


def test_a_closest_passage_that_looks_like_the_quote_says_what_differs(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET.replace("quote: the governor said", "quote: the g\u043evernor said")})
    d = only(tmp_path)
    assert d.hint == ("closest passage: 'the governor said'; it looks like the quote but differs at character 6 of "
                      "the quote: source has U+006F (LATIN SMALL LETTER O), quote has U+043E (CYRILLIC SMALL "
                      "LETTER O)")


def test_dashes_and_ellipses_match_what_a_keyboard_types(tmp_path: Path) -> None:
    source = "BEIRUT \u2014 Three blasts killed more than 32 people\u2026 the governor said on Saturday.\n"
    tally = TALLY.replace("quote: Three blasts killed more than 32 people",
                          "quote: BEIRUT - Three blasts killed more than 32 people... the governor")
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tally}, source=source)
    (sheet,) = load_project(tmp_path).sheets
    assert sheet.warnings == ()


@pytest.mark.parametrize(("words", "day", "mismatch"), [
    ("today", "2017-02-26", False), ("tonight", "2017-02-26", False), ("this morning", "2017-02-26", False),
    ("this afternoon", "2017-02-25", True), ("this evening", "2017-02-27", True),
])
def test_words_for_the_day_of_publication_are_checked(tmp_path: Path, words: str, day: str, mismatch: bool) -> None:
    event = f"""\
events:
  - id: blasts
    date: {{value: {day}, as_written: {words}}}
    title: Blasts
    description: Three blasts.
    evidence:
      - source: wire
        quote: the governor said on Saturday
"""
    write_sheet(tmp_path, {"sheet.yml": SHEET, "events.yml": event})
    if mismatch:
        d = only(tmp_path)
        assert (d.line, d.code, d.hint) == (3, "date-mismatch", f"{words!r} resolves to 2017-02-26")
    else:
        assert load_project(tmp_path).sheets[0].warnings == ()


def test_a_list_where_one_value_is_expected_gets_a_plain_hint(tmp_path: Path) -> None:
    tally = TALLY.replace("    claimant: governor\n", "    claimant: governor\n    scope: [people, police]\n")
    write_sheet(tmp_path, {"sheet.yml": SHEET + tally})
    (found,) = problems(tmp_path)
    assert (found.code, found.line) == ("invalid-value", 23)
    assert found.hint == "`scope` takes one value, not a list: write `scope: people`"


def test_an_unclosed_quotation_mark_is_reported_where_it_opens(tmp_path: Path) -> None:
    broken = TALLY.replace("quote: Three blasts", 'quote: "Three blasts') + TALLY.replace("id: killed", "id: other")
    write_sheet(tmp_path, {"sheet.yml": SHEET + broken.replace("tallies:\n  - id: other", "  - id: other")})
    (found,) = problems(tmp_path)
    assert (found.code, found.line, found.col) == ("yaml-unclosed-quote", 27, 16)
    assert "never closed" in found.message and "`quote: >-`" in (found.hint or "")
