"""The factsheet command as a user runs it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.errors import Diagnostic

from .helpers import HOMS, factsheet, run, snapshot


def test_check_passes_on_the_real_content(project: Path) -> None:
    result = factsheet("check", "--strict", cwd=project)  # not even a warning, as CI and the Pages workflow want
    assert result.returncode == 0, result.stderr
    assert "all evidence verified" in result.stdout
    assert "warning" not in result.stderr + result.stdout


def test_check_reports_data_errors_with_exit_1_and_no_traceback(project: Path) -> None:
    tallies = project / "content" / HOMS / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("claimant: talal-barzani", "claimant: barzani", 1),
                       encoding="utf-8")
    result = factsheet("check", cwd=project)
    assert result.returncode == 1
    assert f"content/{HOMS}/tallies.yml:" in result.stderr
    assert "error: no actor has id 'barzani' [unknown-id]" in result.stderr
    assert "hint: did you mean 'talal-barzani'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_json_format(project: Path) -> None:
    events = project / "content" / HOMS / "events.yml"
    events.write_text(events.read_text(encoding="utf-8").replace("title: Homs on high alert", "titel: x"),
                      encoding="utf-8")
    result = factsheet("check", "--format", "json", cwd=project)
    assert result.returncode == 1
    found = json.loads(result.stdout)
    assert {(d["code"], Path(d["path"]).name) for d in found} == {("unknown-field", "events.yml"),
                                                                  ("missing-field", "events.yml")}
    unknown = next(d for d in found if d["code"] == "unknown-field")
    assert unknown["hint"] == "did you mean 'title'?" and unknown["line"] > 1 and unknown["col"] == 5


def test_check_github_format_annotates_each_line(project: Path) -> None:
    events = project / "content" / HOMS / "events.yml"
    events.write_text(events.read_text(encoding="utf-8").replace("title: Homs on high alert", "titel: x, y: z"),
                      encoding="utf-8")
    expected = json.loads(factsheet("check", "--format", "json", cwd=project).stdout)
    result = factsheet("check", "--format", "github", cwd=project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected) >= 1
    for line, d in zip(lines, expected, strict=True):
        # GitHub's workflow command: properties escaped (',' and ':' too), the message's line breaks as %0A.
        assert line.startswith(f"::{d['severity']} file={d['path']},line={d['line']},col={d['col']},"
                               f"title={d['code']}::"), line
        assert d["message"].replace("%", "%25") in line
    # A clean check prints no annotation at all.
    events.write_text(events.read_text(encoding="utf-8").replace("titel: x, y: z", "title: Homs on high alert"),
                      encoding="utf-8")
    clean = factsheet("check", "--format", "github", cwd=project)
    assert clean.returncode == 0 and clean.stdout == ""


def test_a_problem_of_a_whole_file_is_at_line_1_column_1(project: Path) -> None:
    (project / "content" / HOMS / "broken.yml").write_bytes(b"quotes: [\xff]\n")
    (d,) = json.loads(factsheet("check", "--format", "json", cwd=project).stdout)
    assert (d["code"], d["line"], d["col"]) == ("not-utf8", 1, 1)
    with pytest.raises(ValueError, match="count from 1"):
        Diagnostic("x.yml", 0, 0, "not-utf8", "file is not UTF-8 text")


def test_short_help_and_global_options_after_the_command(project: Path) -> None:
    for args in (["-h"], ["check", "-h"], ["init", "-h"]):
        result = factsheet(*args, cwd=project)
        assert result.returncode == 0 and result.stdout.startswith("Usage: "), args


def test_usage_errors_exit_2(project: Path) -> None:
    assert factsheet("check", "--format", "xml", cwd=project).returncode == 2
    result = factsheet("check", cwd=project / "content")
    assert result.returncode == 2
    assert "no mkdocs.yml here" in result.stderr


def test_build_writes_the_site(project: Path) -> None:
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    # What it is doing, then what it made and how long it took.
    assert "Checking the facts..." in result.stderr and "Checked 3 sheets in " in result.stderr
    pages = sum(1 for page in (project / "site").rglob("*.html") if page.name != "404.html")
    assert f"Built 3 sheets, {pages} pages and 0 warnings in " in result.stdout
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / HOMS / "casualties.html").is_file()
    assert not [p for p in project.iterdir() if p.name.startswith(".site")]


def test_failed_build_leaves_the_previous_site_intact(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    before = snapshot(project / "site")
    quotes = project / "content" / HOMS / "quotes.yml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("text: tragic", "text: 'tragic!'"),
                      encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 1
    assert "[quote-not-in-evidence]" in result.stderr
    assert snapshot(project / "site") == before


def test_template_error_leaves_the_previous_site_intact(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    before = snapshot(project / "site")
    template = project / "templates" / "quotes.md.j2"
    text = template.read_text(encoding="utf-8")  # the page's body block: what a sheet page renders
    body, end = text.rsplit("{% endblock %}", 1)
    template.write_text(body + "{{ sheet.no_such_field }}\n{% endblock %}" + end, encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 1
    assert "template error" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project / "site") == before


def test_a_configuration_warning_is_said_once_and_stops_a_strict_build(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    before = snapshot(project / "site")
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("no_such_setting: 1\n")
    result = factsheet("build", cwd=project)
    assert result.returncode == 2
    # mkdocs.yml is read once for the check and the build, so MkDocs says what is wrong once.
    assert result.stderr.count("Unrecognised configuration name: no_such_setting") == 1
    assert "Aborted with 1 configuration warnings in 'strict' mode" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before
    lenient = factsheet("build", "--no-strict", cwd=project)
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.count("Unrecognised configuration name: no_such_setting") == 1


def test_build_refuses_to_replace_the_project(project: Path) -> None:
    for target in (".", "content", "templates", ".."):
        result = factsheet("build", "-d", target, cwd=project)
        assert result.returncode == 1, target
        assert "refusing to build into" in result.stderr
    assert (project / "content" / HOMS / "sheet.yml").is_file()


def test_new_sheet_checks_and_builds_beside_another(project: Path) -> None:
    result = factsheet("new", "beirut-2020-08-04", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "content" / "beirut-2020-08-04" / "sheet.yml").is_file()
    assert factsheet("check", cwd=project).returncode == 0
    built = factsheet("build", cwd=project)
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((project / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    titles = [h.get_text(" ", strip=True) for h in home.select("article h3")]
    assert any("Beirut 2020 08 04" in t for t in titles)
    assert any("Homs" in t for t in titles)
    assert (project / "site" / "beirut-2020-08-04" / "timeline.html").is_file()


def test_init_starts_a_project_only_in_a_new_or_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = factsheet("init", "empty", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "factsheet serve --open" in result.stdout and "README.md" in result.stdout
    assert factsheet("check", "--strict", cwd=tmp_path / "empty").returncode == 0
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me", encoding="utf-8")
    refused = factsheet("init", "notes", cwd=tmp_path)
    assert refused.returncode == 2 and "nothing was changed" in refused.stderr, refused.stderr
    assert factsheet("init", "notes/mine.txt", cwd=tmp_path).returncode == 2
    assert [p.name for p in (tmp_path / "notes").iterdir()] == ["mine.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".factsheet-init")]


def test_new_sheet_refuses_bad_ids_and_existing_sheets(project: Path) -> None:
    assert factsheet("new", "Bad Id", cwd=project).returncode == 2
    result = factsheet("new", HOMS, cwd=project)
    assert result.returncode == 2 and "already exists" in result.stderr


def test_empty_project_builds_a_home_page(empty_project: Path) -> None:
    result = factsheet("build", cwd=empty_project)
    assert result.returncode == 0, result.stderr
    assert "No sheets yet" in (empty_project / "site" / "index.html").read_text(encoding="utf-8")


def test_mkdocs_build_reports_data_errors_without_traceback(project: Path) -> None:
    sheet = project / "content" / HOMS / "sheet.yml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("  place: homs", "  place: hom"), encoding="utf-8")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project)
    assert result.returncode == 1
    assert "no place has id 'hom' [unknown-id]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_many_sheets_keep_the_sidebar_short_and_still_build_strictly(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("content_dir: content",
                                                                 "content_dir: content\n      nav_sheets_limit: 1"),
                      encoding="utf-8")
    assert factsheet("new", "second-sheet", cwd=project).returncode == 0
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((project / "site" / HOMS / "timeline.html").read_text(encoding="utf-8"), "html.parser")
    sidebar = [str(a["href"]) for a in page.select("nav.md-nav--primary a[href]")]
    assert not [h for h in sidebar if HOMS in h], "sheet pages listed in the sidebar"
    menu = page.select_one("article .fs-sheet-menu")
    assert menu is not None and {"casualties.html", "print.html"} <= {str(a["href"]) for a in menu.select("a")}


def test_warnings_are_printed_but_do_not_fail_a_check_or_a_strict_build(project: Path) -> None:
    tallies = project / "content" / HOMS / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace(
        '    derivation: "sum: a senior officer and at least 31 others"\n', "", 1), encoding="utf-8")
    warning = f"content/{HOMS}/tallies.yml:10:12: warning: value 32 appears in none of the figure's evidence quotes " \
              "[number-not-in-evidence]"
    result = factsheet("check", cwd=project)
    assert result.returncode == 0 and warning in result.stderr
    assert "all evidence verified; 1 warning." in result.stdout
    strict = factsheet("check", "--strict", cwd=project)
    assert strict.returncode == 1 and warning in strict.stderr
    assert "error: with --strict, warnings fail the check (1 warning above)" in strict.stderr
    found = json.loads(factsheet("check", "--format", "json", cwd=project).stdout)
    assert [(d["code"], d["severity"], d["line"]) for d in found] == [("number-not-in-evidence", "warning", 10)]
    result = factsheet("build", cwd=project)
    assert result.returncode == 0 and warning in result.stderr, result.stderr
    # MkDocs' strict mode fails on any logged warning: the plugin only counts them, at info level.
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "1 warning(s) in the facts" in result.stderr


def test_at_the_root_the_sites_own_home_page_stays(project: Path) -> None:
    (project / "docs" / "index.md").write_text("# Our newsroom\n\nOur own welcome.\n", encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "the site's own index.md is the home page" in result.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Our own welcome." in home and f'href="{HOMS}/index.html"' in home  # the sheets, in the nav


def test_the_plugin_names_what_it_needs_of_the_configuration(project: Path) -> None:
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    for old, new, said in [
        ("      content_dir: content\n", "      content_dir: content\n      templates_dir: my-templates\n",
         "templates folder"),
        ("theme:\n  name: material\n", "theme:\n  name: readthedocs\n", "needs the Material theme"),
        ('      path: ""\n', "      path: ../elsewhere\n", "must be a folder of the site"),
    ]:
        assert old in good
        # Material's offline plugin goes with Material.
        config.write_text(good.replace(old, new).replace("  - offline\n", ""), encoding="utf-8")
        result = factsheet("build", cwd=project)
        assert result.returncode == 1 and said in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_the_program_sets_what_is_alive_aside_from_the_collector_as_it_exits(project: Path) -> None:
    # Python's exit collects over every object left (about 0.1 s of a build of the Homs sheet);
    # set aside, they are freed with the process. A handler registered first runs last: it sees the end.
    probe = ("import atexit, gc, sys\n"
             "atexit.register(lambda: print('set aside at exit:', gc.get_freeze_count() > 0))\n"
             "from generator.cli import main\n"
             "main(['check'])\n")
    result = run([sys.executable, "-c", probe], cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "set aside at exit: True"
