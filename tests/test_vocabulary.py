"""The kinds of count are a vocabulary: a typo is an error with the closest word, and mkdocs.yml adds words."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.shipped import PACKAGE_TEMPLATES
from generator.vocabulary import DEFAULT_COUNTS, count_vocabulary

from .helpers import (
    HOMS,
    REBUILT,
    ROOT,
    SHEET,
    STILL_SERVING,
    TALLY,
    copy_project,
    factsheet,
    load_project,
    only,
    serving,
    sheet_with,
    write_sheet,
)

ADD_HINT = "add it under `counts:` of the factsheet plugin in mkdocs.yml"


def with_counts(text: str, *words: str) -> str:
    """A mkdocs.yml's text with ``words`` under the factsheet plugin's ``counts`` option."""
    plugin = "      content_dir: content\n"
    assert text.count(plugin) == 1
    return text.replace(plugin, f"{plugin}      counts: [{', '.join(words)}]\n")


def test_a_typo_is_an_error_at_the_field_with_the_closest_word(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("counts: killed", "counts: wouned")})
    found = only(tmp_path)
    assert (Path(found.path).name, found.line, found.col, found.code, found.severity) == (
        "tallies.yml", 3, 13, "unknown-count", "error")
    assert found.message == "unknown kind of count 'wouned'"
    assert found.hint == f"did you mean 'wounded'? If not, {ADD_HINT}"


def test_a_word_like_no_kind_gets_the_list_and_where_to_add_it(tmp_path: Path) -> None:
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": TALLY.replace("counts: killed", "counts: hostages")})
    hint = only(tmp_path).hint or ""
    assert hint.startswith("the kinds of count are ") and hint.endswith(ADD_HINT)
    assert all(word in hint for word in DEFAULT_COUNTS)


def test_every_default_kind_is_accepted_and_background_figures_may_count_anything(tmp_path: Path) -> None:
    tallies = "tallies:\n" + "".join(
        TALLY.removeprefix("tallies:\n").replace("id: killed", f"id: t-{word}").replace("killed\n", f"{word}\n", 1)
        for word in DEFAULT_COUNTS)
    tallies += TALLY.removeprefix("tallies:\n").replace("id: killed", "id: earlier").replace(
        "counts: killed", "counts: months without an aid delivery\n    context: before")
    context = """\
context:
  - id: before
    title: Earlier
    description: An earlier toll.
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people
"""
    write_sheet(tmp_path, {"sheet.yml": SHEET, "tallies.yml": tallies, "context.yml": context})
    (sheet,) = load_project(tmp_path).sheets
    assert [t.counts for t in sheet.tallies] == [*DEFAULT_COUNTS, "months without an aid delivery"]
    assert count_vocabulary(["hostages"]) == {*DEFAULT_COUNTS, "hostages"}


def test_a_kind_added_in_mkdocs_yml_passes_check_and_build(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, "count-typo")
    refused = factsheet("check", cwd=project)
    assert refused.returncode == 1 and "unknown kind of count 'wouned' [unknown-count]" in refused.stderr
    assert "did you mean 'wounded'?" in refused.stderr
    config = project / "mkdocs.yml"
    config.write_text(with_counts(config.read_text(encoding="utf-8"), "wouned"), encoding="utf-8")
    result = factsheet("check", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    built = factsheet("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert "wouned" in (project / "site" / "demo" / "casualties.html").read_text(encoding="utf-8").lower()


def test_the_option_must_be_a_list_of_words(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    config = project / "mkdocs.yml"
    config.write_text(with_counts(config.read_text(encoding="utf-8"), "{a: b}"), encoding="utf-8")
    result = factsheet("check", cwd=project)
    assert result.returncode == 2 and "counts" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.serve
def test_serve_checks_unchanged_sheets_again_when_the_vocabulary_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    tallies = project / "content" / HOMS / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("counts: detonations", "counts: bombings"),
                       encoding="utf-8")
    config = project / "mkdocs.yml"
    plain = config.read_text(encoding="utf-8")
    config.write_text(with_counts(plain, "bombings"), encoding="utf-8")
    casualties = f"{HOMS}/casualties.html"
    with serving(project, tmp_path / "serve") as server:
        assert "Bombings" in server.page(casualties)
        # The fact files stay as they are; only the vocabulary they are checked against changes.
        server.save(config, plain)
        log = server.rebuilt_after("unknown kind of count 'bombings' [unknown-count]")
        assert f"content/{HOMS}/tallies.yml:" in log and STILL_SERVING in log and "Traceback" not in log
        assert "Bombings" in server.page(casualties)
        refusals = log.count("[unknown-count]")
        done = server.save(config, with_counts(plain, "bombings"))
        log = server.wait_for_log(REBUILT, done + 1)
        assert log.count("[unknown-count]") == refusals and "Traceback" not in log
        assert "Bombings" in server.page(casualties)


def test_the_readme_and_the_guide_list_the_default_kinds() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (PACKAGE_TEMPLATES / "guide-authoring.md.j2").read_text(encoding="utf-8")
    for text in (readme, guide):
        assert all(f"`{word}`" in text for word in DEFAULT_COUNTS)
        assert "unknown-count" in text
    assert "`nav_sheets_limit`, `counts`" in readme
