"""Helpers the test modules share: the real project and copies of it, commands run as a user runs them,
small sheets to check, and a running ``factsheet serve`` to preview with.

Fixtures and pytest hooks stay in conftest.py; every test module imports what it shares from here,
never from another test module.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.docgen import cli_reference
from generator.errors import DataError, Diagnostic
from generator.pipeline import Pipeline
from generator.sheet import Project, Sheet
from generator.shipped import PACKAGE_TEMPLATES, PACKAGE_THEME

ROOT = Path(__file__).resolve().parent.parent
HOMS = "homs-2017-02-25"
# Where the package's own templates and theme files are, by the project folder that overrides them.
SHIPPED = {"templates": PACKAGE_TEMPLATES, "overrides": PACKAGE_THEME}
# The catalogue of inputs (tests/fixtures): cases sheet_with lays over the valid demo sheet.
FIXTURES = Path(__file__).parent / "fixtures"
# The demo sheet of a project sheet_with made, relative to the project.
DEMO = Path("content") / "demo"


# -- The project, and commands run the way a user runs them ----------------------------------------

def copy_project(target: Path, *, with_content: bool = True) -> Path:
    """A copy of the project's configuration, docs folder and (optionally) content.

    Like a newsroom's project, it overrides one page template (``templates/quotes.md.j2``)
    and one theme file (``overrides/404.html``, the theme's ``custom_dir``) with copies of
    the package's; every other template comes from the package.
    """
    target.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "theme:\n  name: material\n" in config
    (target / "mkdocs.yml").write_text(config.replace("theme:\n  name: material\n",
                                                      "theme:\n  name: material\n  custom_dir: overrides\n"),
                                       encoding="utf-8")
    shutil.copytree(ROOT / "docs", target / "docs")
    for folder, name in (("templates", "quotes.md.j2"), ("overrides", "404.html")):
        (target / folder).mkdir()
        shutil.copy(SHIPPED[folder] / name, target / folder / name)
    if with_content:
        shutil.copytree(ROOT / "content", target / "content")
    else:
        (target / "content").mkdir()
    return target


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command the way a user would, capturing its output; ``env`` replaces the environment."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, check=False, env=env)


def factsheet(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``factsheet`` command."""
    return run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env)


def load_project(content: Path) -> Project:
    """Every sheet under ``content``, read and checked the way every command does."""
    return Pipeline().load(content)


def render_project(project: Project, templates: Path) -> dict[str, str]:
    """Every generated page of ``project``, rendered afresh the way the plugin does."""
    return Pipeline().render(project, templates, cli_reference(main))


def homs_sheet() -> Sheet:
    """The Homs sheet of the project's content."""
    return next(sheet for sheet in load_project(ROOT / "content").sheets if sheet.id == HOMS)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sheet_with(tmp_path: Path, case: str | None, catalogue: str = "bad") -> Path:
    project = copy_project(tmp_path / "project", with_content=False)
    folder = project / "content" / "demo"
    shutil.copytree(FIXTURES / "base" / "demo", folder)
    if case is not None:
        for file in (FIXTURES / catalogue / case).rglob("*"):
            if file.is_file() and file.name != "expected":
                target = folder / file.relative_to(FIXTURES / catalogue / case)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(file, target)
    return project


# -- A small sheet of one's own, and the problems a check finds in it -----------------------------

SOURCE = "BEIRUT -- Three blasts killed more than 32 people, the governor said on Saturday.\n"

SHEET = """\
sheet:
  id: demo
  title: Demo
  summary: Something happened.
sources:
  - id: wire
    publishers: [Wire]
    headline: Blasts
    published: 2017-02-26
    archive: sources/wire.txt
actors:
  - id: governor
    name: The governor
    kind: person
    description: Gave a toll.
    evidence:
      - source: wire
        quote: the governor said
"""

TALLY = """\
tallies:
  - id: killed
    counts: killed
    claimant: governor
    qualifier: more_than
    value: 32
    evidence:
      - source: wire
        quote: Three blasts killed more than 32 people
"""


def write_sheet(content: Path, files: dict[str, str], source: str | None = SOURCE) -> Path:
    folder = content / "demo"
    (folder / "sources").mkdir(parents=True)
    if source is not None:
        (folder / "sources" / "wire.txt").write_text(source, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def long_sheet(content: Path, n: int) -> Path:
    """A sheet with ``n`` sources in one chain of copies, ``n`` nested places, ``n`` events and ``n // 4`` actors.

    Each actor is named by an event, so that the list of actors groups them all.
    """
    sources = "".join(f"""  - id: copy-{i}
    publishers: [Outlet {i}]
    headline: Blasts {i}
    published: 2017-02-26
    archive: sources/wire.txt
    copy_of: {'wire' if i == 0 else f'copy-{i - 1}'}
""" for i in range(n))
    places = "places:\n" + "".join(f"""  - id: place-{i}
    name: Place {i}
    kind: city
{f'    within: place-{(i - 1) // 10}{chr(10)}' if i else ''}    evidence:
      - source: copy-{i}
        quote: BEIRUT
""" for i in range(n))
    events = "events:\n" + "".join(f"""  - id: event-{i}
    date: 2017-02-25
    title: Blast {i}
    description: A blast.
    places: [place-{i}]
{f'    actors: [actor-{i // 4}]{chr(10)}' if i % 4 == 0 and i // 4 < n // 4 else ''}    evidence:
      - source: copy-{n - 1 - i}
        quote: Three blasts killed more than 32 people
""" for i in range(n))
    kinds = ("person", "armed-group", "government-body", "monitor")
    actors = "actors:\n" + "".join(f"""  - id: actor-{i}
    name: Actor {i}
    kind: {kinds[i % len(kinds)]}
    description: Named in the reports.
    evidence:
      - source: copy-{i}
        quote: BEIRUT
""" for i in range(n // 4))
    return write_sheet(content, {"sheet.yml": SHEET.replace("sources:\n", "sources:\n" + sources, 1),
                                 "places.yml": places, "events.yml": events, "actors.yml": actors})


def archive(size: int) -> str:
    """A source text of about ``size`` characters: SOURCE, then one sentence again and again."""
    line = "The governor said police and hospital officials counted the dead in the city on Saturday.\n"
    return SOURCE + line * (size // len(line))


def problems(content: Path) -> list[Diagnostic]:
    with pytest.raises(DataError) as caught:
        load_project(content)
    return caught.value.diagnostics


def only(content: Path) -> Diagnostic:
    found = problems(content)
    assert len(found) == 1, found
    return found[0]


# -- A running ``factsheet serve`` (tests/test_serve.py says how its tests wait) ------------------

SERVING = "Serving on"  # the watcher has taken its first snapshot; edits from now on are seen
REBUILT = "Reloading browsers"  # a rebuild has ended and its pages are served
STILL_SERVING = "Still serving the last good version"
# Only a server that hangs or never notices an edit takes this long.
SAFETY_NET = 120.0
ONE_SECOND_NS = 1_000_000_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``factsheet serve``, its log, and a folder outside the watched ones for staging saves."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    staging: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, needle: str, count: int = 1, *, deadline: float | None = None) -> str:
        """Wait until the log holds ``needle`` at least ``count`` times; return the log.

        Fails, with the log, if the server exits first or the safety net runs out.
        """
        deadline = deadline or time.monotonic() + SAFETY_NET
        while True:
            text = self.text()
            if text.count(needle) >= count:
                return text
            if self.process.poll() is not None:
                pytest.fail(f"the server exited ({self.process.returncode}) before its log showed {needle!r} "
                            f"{count} time(s):\n{text}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server's log did not show {needle!r} {count} time(s) within {SAFETY_NET} s:\n{text}")
            time.sleep(0.05)

    def rebuilds(self) -> int:
        """How many rebuilds have ended so far."""
        return self.text().count(REBUILT)

    def page(self, path: str) -> str:
        """The page at ``path``; the server answers once any rebuild under way has ended."""
        try:
            with urllib.request.urlopen(f"{self.url}/{path}", timeout=SAFETY_NET) as response:  # noqa: S310 - loopback
                return str(response.read().decode("utf-8"))
        except OSError as exc:  # URLError, HTTPError, a timeout, a reset connection
            pytest.fail(f"GET /{path} failed: {exc}\n{self.text()}")

    def save(self, path: Path, text: str) -> int:
        """Replace ``path`` with ``text`` as an editor would; return how many rebuilds had ended before.

        The watcher polls the files. Written in place, a file could be caught
        empty or half written, and a rebuild read that; renamed into place from
        outside the watched folders, it is seen either old or new. Its mtime
        moves on by at least a second: the watcher and the incremental
        workspace compare size and mtime, and on a filesystem with coarse
        timestamps an edit of the same size could keep the same mtime.
        """
        done = self.rebuilds()
        mtime = max(time.time_ns(), path.stat().st_mtime_ns + ONE_SECOND_NS if path.exists() else 0)
        staged = self.staging / path.name
        staged.write_text(text, encoding="utf-8")
        os.utime(staged, ns=(mtime, mtime))
        os.replace(staged, path)
        return done

    def wait_for_page(self, path: str, needle: str, *, after: int) -> str:
        """Read ``path`` after each rebuild that ends, from rebuild ``after + 1`` on, until it shows ``needle``.

        Usually the first rebuild after a save shows it; reading again after
        any later one makes a rebuild the watcher happens to start twice harmless.
        """
        deadline = time.monotonic() + SAFETY_NET
        count = after
        while True:
            count += 1
            self.wait_for_log(REBUILT, count, deadline=deadline)
            body = self.page(path)
            if needle in body:
                return body

    def rebuilt_after(self, needle: str) -> str:
        """Wait for ``needle`` in the log, then for the end of the rebuild that logged it; return the log."""
        text = self.wait_for_log(needle)
        ended_before = text[: text.index(needle)].count(REBUILT)
        return self.wait_for_log(REBUILT, ended_before + 1)


@contextmanager
def serving(project: Path, work: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Run ``factsheet serve`` on ``project`` until the block ends; yield it once it watches for changes.

    ``work`` holds the log and the staged saves: outside the project, on the same filesystem.
    ``options`` and ``env`` are the command's further options and its environment.
    """
    work.mkdir(parents=True, exist_ok=True)
    for attempt in range(3):
        port = free_port()
        log = work / f"serve-{attempt}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}", *options],
                cwd=project, stdout=out, stderr=subprocess.STDOUT, env=env)
        server = Server(process, f"http://127.0.0.1:{port}", log, work)
        try:
            if _started(server):
                yield server
                return
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    pytest.fail(f"another process took the port three times:\n{server.text()}")


def _started(server: Server) -> bool:
    """Wait until the server watches for changes (True), or stops because another process took its port (False).

    free_port cannot reserve the port it finds, so another process may take it first.
    """
    deadline = time.monotonic() + SAFETY_NET
    while SERVING not in server.text():
        if server.process.poll() is not None:
            if "cannot serve on" in server.text():
                return False
            pytest.fail(f"the server exited ({server.process.returncode}) before serving:\n{server.text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not start serving within {SAFETY_NET} s:\n{server.text()}")
        time.sleep(0.05)
    return True
