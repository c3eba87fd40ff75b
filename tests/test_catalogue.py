"""The catalogue of bad inputs: each fixture in tests/fixtures/bad gives its exact diagnostics.

A case folder holds files laid over the valid sheet in tests/fixtures/base/demo,
and ``expected``: one ``file:line:col: code`` per diagnostic, paths relative to
the sheet folder. Cases in tests/fixtures/warn are built the same way and
give only warnings: the check passes (exit 0) and still reports them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from .helpers import FIXTURES, factsheet, load_project, sheet_with

CASES = sorted(p.name for p in (FIXTURES / "bad").iterdir() if p.is_dir())
WARNING_CASES = sorted(p.name for p in (FIXTURES / "warn").iterdir() if p.is_dir())


def reported(project: Path, returncode: int = 1) -> set[str]:
    result = factsheet("check", "--format", "json", cwd=project)
    assert result.returncode == returncode, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    prefix = "content/demo/"
    found = set()
    for d in json.loads(result.stdout):
        assert d["path"].startswith(prefix), d
        found.add(f"{d['path'][len(prefix):]}:{d['line']}:{d['col']}: {d['code']}")
    return found


def test_the_base_sheet_is_valid(tmp_path: Path) -> None:
    result = factsheet("check", "--strict", cwd=sheet_with(tmp_path, None))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_every_case_has_an_expectation() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert (FIXTURES / "bad" / case / "expected").read_text(encoding="utf-8").strip(), case


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_its_exact_diagnostics(tmp_path: Path, case: str) -> None:
    expected = set((FIXTURES / "bad" / case / "expected").read_text(encoding="utf-8").split("\n")) - {""}
    assert reported(sheet_with(tmp_path, case)) == expected


@pytest.mark.parametrize("case", WARNING_CASES)
def test_doubtful_input_gives_its_exact_warnings_and_passes(tmp_path: Path, case: str) -> None:
    expected = set((FIXTURES / "warn" / case / "expected").read_text(encoding="utf-8").split("\n")) - {""}
    project = sheet_with(tmp_path, case, "warn")
    assert expected and reported(project, returncode=0) == expected
    result = factsheet("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "all evidence verified" in result.stdout
    printed = {line.split(": warning: ")[0] for line in result.stderr.splitlines() if ": warning: " in line}
    assert printed == {f"content/demo/{e.rsplit(': ', 1)[0]}" for e in expected}
    assert "error" not in result.stderr and "Traceback" not in result.stderr
    # CI and the Pages workflow check with --strict: warnings fail it, and are printed all the same.
    strict = factsheet("check", "--strict", cwd=project)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert {line.split(": warning: ")[0] for line in strict.stderr.splitlines() if ": warning: " in line} == printed
    assert f"error: with --strict, warnings fail the check ({len(expected)} warning" in strict.stderr
    assert factsheet("check", "--strict", "--format", "json", cwd=project).returncode == 1


def test_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, "unsafe-tag")
    reported(project)
    assert not list(tmp_path.rglob("PWNED"))


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, "billion-laughs")
    start = time.perf_counter()
    with pytest.raises(Exception, match=r"\[yaml-alias\]"):
        load_project(project / "content")
    assert time.perf_counter() - start < 1.0


def test_ten_megabyte_fact_file_is_refused_with_a_size_message(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    item = "  - id: p{n}\n    name: Place {n}\n    kind: city\n    evidence: [{{source: wire, quote: CITY}}]\n"
    big = "places:\n" + "".join(item.format(n=n) for n in range(120_000))
    assert len(big) > 10_000_000
    (project / "content" / "demo" / "big.yml").write_text(big, encoding="utf-8")
    start = time.perf_counter()
    assert reported(project) == {"big.yml:1:1: file-too-large"}
    assert time.perf_counter() - start < 5.0


@pytest.mark.parametrize(("field", "written"), [
    ("name", "no"), ("name", "yes"), ("name", "on"), ("name", "2017-02-25"), ("name", "1.2"), ("role", "off"),
])
def test_yaml_1_1_surprises_stay_the_text_written(tmp_path: Path, field: str, written: str) -> None:
    project = sheet_with(tmp_path, None)
    actors = project / "content" / "demo" / "actors.yml"
    text = actors.read_text(encoding="utf-8").replace("    name: The governor\n", "    name: The governor\n"
                                                      if field != "name" else "")
    text = text.replace("    kind: person\n", f"    kind: person\n    {field}: {written}\n")
    actors.write_text(text, encoding="utf-8")
    (sheet,) = load_project(project / "content").sheets
    assert getattr(sheet.actor_by_id["governor"], field) == written
