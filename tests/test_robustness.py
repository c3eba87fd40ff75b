"""Odd input never ends in a traceback, a hang, a crash or a confusing page.

The bad-input catalogue (tests/fixtures/bad) holds the cases a check finds in
a fact file; these are the cases that need a build, a server, a file system
trick or a look at the output.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from generator import cli
from generator.paths import fingerprint
from generator.pipeline import PIPELINE

from .helpers import DEMO, HOMS, STILL_SERVING, factsheet, run, serving, sheet_with, snapshot


def dated(project: Path, event_day: str, published: str) -> Path:
    """The demo sheet moved to another date: the event on ``event_day`` (a Saturday), published the next day."""
    for path in (project / DEMO).glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("2017-02-25", event_day).replace("2017-02-26", published), encoding="utf-8")
    return project


def no_traceback(result: subprocess.CompletedProcess[str]) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


# Item 6: sheets about events before 1970 or after 2106 (the range of a gzip header's time).
@pytest.mark.parametrize(("event_day", "published", "lastmod"), [
    ("1965-02-27", "1965-02-28", "1970-01-01"),
    ("2150-02-28", "2150-03-01", "2106-02-07"),
])
def test_sheets_outside_the_unix_epoch_build_reproducibly(
        tmp_path: Path, event_day: str, published: str, lastmod: str) -> None:
    project = dated(sheet_with(tmp_path, None), event_day, published)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://example.org/\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["FACTSHEET_CONTACT"] = "mailto:desk@example.org"
    builds = []
    for out in ("one", "two"):
        result = subprocess.run([sys.executable, "-m", "generator", "build", "-d", out], cwd=project, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        builds.append(snapshot(project / out))
    assert builds[0] == builds[1]
    assert f"<lastmod>{lastmod}</lastmod>" in (project / "one" / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("given", ["", "abc", "-5", "99999999999"])
def test_a_source_date_epoch_that_is_no_time_is_a_message(tmp_path: Path, given: str) -> None:
    project = sheet_with(tmp_path, None)
    result = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "SOURCE_DATE_EPOCH": given}, check=False)
    if given:
        assert result.returncode == 1 and "SOURCE_DATE_EPOCH must be a whole number" in no_traceback(result)
    else:  # set but empty, as `SOURCE_DATE_EPOCH= factsheet build` leaves it: the content's date is used
        assert result.returncode == 0, result.stderr
        assert (project / "site" / "sitemap.xml.gz").is_file()


# Item 7: nesting that exhausts a recursive parser.
def test_deep_nesting_is_a_diagnostic_in_every_command(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, "yaml-nesting-flow")
    for command in (["check"], ["build"]):
        result = factsheet(*command, cwd=project)
        assert result.returncode == 1
        assert "events.yml:1:41: error: lists and mappings are nested more than 32 deep" in no_traceback(result)
    plain = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project)
    assert plain.returncode == 1 and "[yaml-nesting]" in no_traceback(plain)
    assert not (project / "site").exists()


# Item 8: values at the bounds build, and their charts draw.
def test_figures_and_dates_at_the_bounds_build(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    tallies = project / DEMO / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("value: 32", "value: 1000000000000"),
                       encoding="utf-8")
    events = project / DEMO / "events.yml"
    events.write_text(events.read_text(encoding="utf-8") + """\
  - id: long-ago
    date: 1000/2999
    title: Everything
    description: All of it.
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people on Saturday
""", encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, no_traceback(result)
    page = (project / "site" / "demo" / "casualties.html").read_text(encoding="utf-8")
    assert "more than 1,000,000,000,000" in page


# Item 9: an archive that is a FIFO would block every read forever.
def test_an_archive_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    archive = project / DEMO / "sources" / "wire.txt"
    archive.unlink()
    os.mkfifo(archive)
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=project, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "sources.yml:6:14: error: archived source text" in result.stderr
    assert "is not a regular file [archive-not-a-file]" in no_traceback(result)


# Item 11: titles with characters that Markdown escapes show as written, escaped once.
@pytest.mark.parametrize("limit", [10, 0])
def test_titles_show_as_written_in_the_tab_and_the_header(tmp_path: Path, limit: int) -> None:
    project = sheet_with(tmp_path, None)
    name = "Smith & Sons [Holdings] #1 <b>"
    for path, old in ((DEMO / "actors.yml", "name: The governor"), (DEMO / "sheet.yml", "title: Demo sheet")):
        file = project / path
        key = old.split(":")[0]
        file.write_text(file.read_text(encoding="utf-8").replace(old, f"{key}: '{name}'"), encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "content_dir: content", f"content_dir: content\n      nav_sheets_limit: {limit}"), encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    # With the sheet in the site's navigation, its overview is titled "Overview" there, and the
    # browser's tab adds the sheet's title; without, the overview takes its title from its heading.
    # The sheet's title labels its section of every sheet page's sidebar either way.
    pages = {"demo/actors/governor.html": name, "demo/index.html": name if limit == 0 else "Overview"}
    for page, title in pages.items():
        soup = BeautifulSoup((project / "site" / page).read_text(encoding="utf-8"), "html.parser")
        tab = title if title == name else f"{title} · {name}"
        assert soup.title is not None and soup.title.get_text() == f"{tab} - Fact sheets", page
        topic = soup.select("header .md-header__topic .md-ellipsis")[-1]
        assert topic.get_text(strip=True) == title, page
        heading = soup.select_one("article h1")
        assert heading is not None and heading.get_text(strip=True).rstrip("¶") == name, page
        sections = [label.get_text(strip=True) for label in soup.select("nav.md-nav--primary label.md-nav__link")]
        assert name in sections, sections


# Item 12: an id that names a sheet page's own file.
def test_an_actor_called_index_cannot_replace_the_actor_directory(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, "reserved-actor-id")
    result = factsheet("build", cwd=project)
    assert result.returncode == 1 and "[reserved-id]" in no_traceback(result)
    assert not (project / "site").exists()


# Item 13: fact anchors never share an id with a heading or with each other.
def test_every_id_on_every_page_is_unique(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    folder = project / DEMO
    tallies = folder / "tallies.yml"
    tallies.write_text(tallies.read_text(encoding="utf-8").replace("id: killed", "id: who-gave-which-figure"),
                       encoding="utf-8")
    (folder / "more.yml").write_text("""\
tallies:
  - id: claimant-governor
    counts: side by side
    claimant: governor
    qualifier: exact
    value: 32
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people
events:
  - id: side-by-side
    date: 2017-02-25
    title: By claimant
    description: A heading's words as a title.
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people on Saturday
""", encoding="utf-8")
    config = project / "mkdocs.yml"
    plugin = "      content_dir: content\n"
    config.write_text(config.read_text(encoding="utf-8").replace(plugin, f"{plugin}      counts: [side by side]\n"),
                      encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    pages = list((project / "site" / "demo").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        repeated = [i for i, n in Counter(ids).items() if n > 1]
        assert not repeated, f"{page.name}: {repeated}"
    casualties = (project / "site" / "demo" / "casualties.html").read_text(encoding="utf-8")
    assert 'id="tally--who-gave-which-figure"' in casualties and 'id="who-gave-which-figure"' in casualties


# Item 15: diagnostics that say where and what.
def test_an_invalid_folder_name_gets_a_valid_id_suggested(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    (project / DEMO).rename(project / "content" / "Demo_Sheet")
    result = factsheet("check", cwd=project)
    assert result.returncode == 1
    assert "rename the folder to 'demo-sheet' and use id: demo-sheet" in no_traceback(result)
    assert "use id: Demo_Sheet" not in result.stderr


def test_file_names_with_line_breaks_cannot_start_an_output_line(tmp_path: Path) -> None:
    project = sheet_with(tmp_path, None)
    (project / DEMO / "x\n::warning file=a::pwned.yml").write_text("talies: []\n", encoding="utf-8")
    result = factsheet("check", cwd=project)
    assert result.returncode == 1
    assert "x\\n::warning file=a::pwned.yml:1:1: error: unknown top-level key 'talies'" in result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("::")]


# Item 16: no command prints a Python traceback, whatever the input.
def test_a_template_that_raises_is_reported_at_its_line(project: Path) -> None:
    template = project / "templates" / "quotes.md.j2"
    text = template.read_text(encoding="utf-8")
    # Inside the page's body block: a page template extends the sheet-page frame.
    template.write_text(text.replace("Direct quotations, verbatim", "{{ 1/0 }}"), encoding="utf-8")
    lines = text[:text.index("Direct quotations, verbatim")].count("\n") + 1
    for command in ([sys.executable, "-m", "generator", "build"], [sys.executable, "-m", "mkdocs", "build"]):
        result = run(command, cwd=project)
        assert result.returncode == 1
        assert f"quotes.md.j2:{lines}: template error: ZeroDivisionError: division by zero" in no_traceback(result)


def test_new_sheet_where_content_is_a_file(empty_project: Path) -> None:
    (empty_project / "content").rmdir()
    (empty_project / "content").write_text("not a folder", encoding="utf-8")
    result = factsheet("new", "demo", cwd=empty_project)
    assert result.returncode != 0
    assert "cannot create" in no_traceback(result)


def test_serve_on_a_port_in_use(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = factsheet("serve", "-a", f"127.0.0.1:{port}", cwd=project)
    assert result.returncode == 1
    assert f"cannot serve on 127.0.0.1:{port}" in no_traceback(result)
    # Found before the first build, not after it.
    assert "Building documentation" not in result.stderr and not (project / ".cache").exists()


def test_an_unexpected_error_is_one_line_unless_debugging(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.chdir(project)
    monkeypatch.setattr(PIPELINE, "load", broken)
    result = CliRunner().invoke(cli.main, ["check"])
    assert result.exit_code == 1
    assert "error: factsheet check stopped in cli at " in result.output
    assert "RuntimeError: something nobody expected" in result.output
    assert "please report it" in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(cli.main, ["--debug", "check"])
    assert isinstance(debug.exception, RuntimeError)
    # After the command's name too, as git's and mkdocs' options may be.
    after = CliRunner().invoke(cli.main, ["check", "--debug"])
    assert isinstance(after.exception, RuntimeError)
    # Past "--" it is no option of ours.
    assert CliRunner().invoke(cli.main, ["check", "--", "--debug"]).exit_code == 2


@pytest.mark.serve
def test_serve_survives_any_exception_from_a_rebuild(project: Path, tmp_path: Path) -> None:
    page = f"{HOMS}/quotes.html"
    template = project / "templates" / "quotes.md.j2"
    good = template.read_text(encoding="utf-8")
    config = project / "mkdocs.yml"
    good_config = config.read_text(encoding="utf-8")
    # Each save whose failure is checked is waited for on its own: two saves close together
    # may make one rebuild or two.
    with serving(project, tmp_path / "serve") as server:
        assert "Skype interview" in server.page(page)
        assert "Direct quotations, verbatim" in good
        server.save(template, good.replace("Direct quotations, verbatim", "{{ 1/0 }}"))
        assert STILL_SERVING in server.rebuilt_after("ZeroDivisionError")
        assert "Skype interview" in server.page(page)
        # An error in MkDocs' own stage: a configuration it refuses.
        server.save(config, good_config + "use_directory_urls: maybe\n")
        assert STILL_SERVING in server.rebuilt_after("use_directory_urls")
        assert "Skype interview" in server.page(page)
        server.save(config, good_config)
        done = server.save(template, good.replace("Direct quotations, verbatim", "Every quotation"))
        server.wait_for_page(page, "Every quotation", after=done)
        log = server.text()
    assert log.count(STILL_SERVING) >= 2, log
    assert "Traceback" not in log


# Item 17: the watcher lists a folder while an editor creates and deletes files in it.
def test_fingerprint_skips_a_file_that_vanishes_while_it_looks(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "facts.yml").write_text("a: b\n", encoding="utf-8")
    (tmp_path / ".facts.yml.swp").write_text("x", encoding="utf-8")
    real_open = os.open

    def vanishing(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if os.fspath(path).endswith(".swp"):
            raise FileNotFoundError(path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", vanishing)
    assert [name for name, _ in fingerprint(tmp_path)] == ["facts.yml"]


def test_fingerprint_reads_no_fifo_and_follows_linked_folders_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yml")
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.j2").write_text("A", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "loop").symlink_to(tmp_path)
    names = [name for name, _ in fingerprint(tmp_path)]
    assert names == ["linked/a.j2"]  # the pipe is not read; the folder is taken once, by its first name

