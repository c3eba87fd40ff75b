"""`factsheet serve` previews the site and rebuilds when facts or templates change.

These tests wait on events, never on a guess of how long something takes: the
server's log says when it watches for changes ("Serving on", logged after the
watcher took its first look at the files) and when each rebuild has ended
("Reloading browsers", logged after every rebuild, failed or not, because the
plugin catches what a rebuild raises). Pages are read only once the rebuild
that should have changed them has ended. Time limits are only a safety net
for a server that hangs, and a test that reaches one fails, with the log.
The running server and these waits (``serving``, ``Server``) are in tests/helpers.py,
for the other modules that preview a project too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.shipped import PACKAGE_THEME

from .helpers import HOMS, REBUILT, SAFETY_NET, STILL_SERVING, Server, serving

pytestmark = pytest.mark.serve


@pytest.fixture
def server(project: Path, tmp_path: Path) -> Iterator[Server]:
    # The preview serves at an address, as a published site: with a contact, as its build has.
    env = {**os.environ, "FACTSHEET_CONTACT": "mailto:desk@example.org"}
    with serving(project, tmp_path / "serve", env=env) as running:
        yield running


QUOTES = f"{HOMS}/quotes.html"


def test_serve_rebuilds_after_a_fact_or_template_edit(project: Path, server: Server) -> None:
    assert "We were expecting that" in server.page(QUOTES)
    quotes = project / "content" / HOMS / "quotes.yml"
    done = server.save(quotes, quotes.read_text(encoding="utf-8").replace(
        "setting: Skype interview", "setting: Speaking in a Skype interview", 1))
    server.wait_for_page(QUOTES, "Speaking in a Skype interview", after=done)
    template = project / "templates" / "quotes.md.j2"
    done = server.save(template, template.read_text(encoding="utf-8").replace(
        "Direct quotations, verbatim", "Every direct quotation, verbatim"))
    server.wait_for_page(QUOTES, "Every direct quotation, verbatim", after=done)


def test_serve_open_opens_the_site_and_theme_overrides_are_watched(project: Path, tmp_path: Path) -> None:
    # The browser Python's webbrowser module runs, as $BROWSER names it: here, one that notes the URL.
    opened, opener = tmp_path / "opened.txt", tmp_path / "opener.py"
    opener.write_text("import pathlib, sys\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n", encoding="utf-8")
    env = {**os.environ, "BROWSER": f"{sys.executable} {opener} {opened} %s"}
    with serving(project, tmp_path / "serve", "--open", env=env) as server:
        deadline = time.monotonic() + SAFETY_NET
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert opened.read_text(encoding="utf-8").startswith(server.url), server.text()
        # A new file in the theme's custom_dir overrides the package's, and the preview shows it.
        main = (PACKAGE_THEME / "main.html").read_text(encoding="utf-8")
        done = server.save(project / "overrides" / "main.html",
                           main.replace("{% block content %}", "{% block content %}<p>fs-theme-override-seen</p>", 1))
        server.wait_for_page(QUOTES, "fs-theme-override-seen", after=done)


def test_serve_keeps_the_last_good_site_through_a_bad_save(project: Path, server: Server) -> None:
    assert "Skype interview" in server.page(QUOTES)
    quotes = project / "content" / HOMS / "quotes.yml"
    good = quotes.read_text(encoding="utf-8")
    server.save(quotes, good.replace("speaker: bebars-al-talawy", "speaker: bebars", 1))
    log = server.rebuilt_after("no actor has id 'bebars' [unknown-id]")
    assert f"content/{HOMS}/quotes.yml:" in log and STILL_SERVING in log
    assert "Traceback" not in log
    assert "Skype interview" in server.page(QUOTES)
    done = server.save(quotes, good.replace("setting: Skype interview", "setting: Skype call", 1))
    server.wait_for_page(QUOTES, "Skype call", after=done)


ADDED_ACTOR = """
  - id: homs-governor-office
    name: Governor's office
    kind: government-body
    description: Added for a moment by a test.
    evidence:
      - source: ap-wapo-2017-02-26
        quote: The governor of Homs province, Talal Barzani, said three blasts killed more than 32 people.
"""


def _without_livereload(body: bytes) -> bytes:
    """A served page as written: the server adds its reload script just before ``</body>``."""
    end = body.rfind(b"</body>")
    if end < 0:
        return body
    start = body.rfind(b"<script>", 0, end)
    assert body[:end].endswith(b"</script>"), "no reload script where the server puts it"
    return body[:start] + body[end:]


def test_a_served_site_after_a_series_of_edits_is_the_full_build_byte_for_byte(
        project: Path, server: Server, tmp_path: Path) -> None:
    """The preview writes only what changed (generator/preview.py); what it serves is what a build writes."""
    actors = project / "content" / HOMS / "actors.yml"
    quotes = project / "content" / HOMS / "quotes.yml"
    karrada = project / "content" / "karrada-2016-07-03" / "sheet.yml"
    template = project / "templates" / "quotes.md.j2"
    original_actors = actors.read_text(encoding="utf-8")
    edits = [
        (quotes, "setting: Skype interview", "setting: A Skype interview", f"{HOMS}/quotes.html", "A Skype interview"),
        (actors, "actors:\n", "actors:\n" + ADDED_ACTOR, f"{HOMS}/actors/homs-governor-office.html",
         "Added for a moment"),
        (karrada, "title: Truck bombing in Karrada", "title: The truck bombing in Karrada",
         "karrada-2016-07-03/index.html", "The truck bombing in Karrada"),
        (template, "Direct quotations, verbatim", "Every direct quotation, verbatim", f"{HOMS}/quotes.html",
         "Every direct quotation, verbatim"),
    ]
    for path, old, new, page, needle in edits:
        done = server.save(path, path.read_text(encoding="utf-8").replace(old, new, 1))
        server.wait_for_page(page, needle, after=done)
    done = server.save(actors, original_actors)  # the added actor goes again, and so must its page
    server.wait_for_page(f"{HOMS}/actors/index.html", "Talal Barzani", after=done)
    server.wait_for_log(REBUILT, done + 1)
    assert "Governor's office" not in server.page(f"{HOMS}/actors/index.html")

    built = tmp_path / "built"
    result = subprocess.run([sys.executable, "-m", "generator", "build", "-d", str(built)], cwd=project,
                            capture_output=True, text=True, check=False,
                            env={**os.environ, "SITE_URL": f"{server.url}/",
                                 "FACTSHEET_CONTACT": "mailto:desk@example.org"})
    assert result.returncode == 0, result.stderr
    compared = 0
    for file in sorted(p for p in built.rglob("*") if p.is_file() and p.name != ".factsheet-site"):
        name = file.relative_to(built).as_posix()
        with urllib.request.urlopen(f"{server.url}/{name}", timeout=SAFETY_NET) as response:  # noqa: S310
            served = response.read()
        if name.endswith(".html"):
            served = _without_livereload(served)
        assert served == file.read_bytes(), f"{name} differs from the full build's"
        compared += 1
    assert compared > 150
    try:
        urllib.request.urlopen(f"{server.url}/{HOMS}/actors/homs-governor-office.html", timeout=SAFETY_NET)  # noqa: S310
        pytest.fail("the page of a removed actor is still served")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
