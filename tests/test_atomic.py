"""Builds are atomic, contained and reproducible."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import HOMS, factsheet, run, snapshot


def edit_quotes(project: Path, old: str, new: str) -> None:
    quotes = project / "content" / HOMS / "quotes.yml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_a_killed_build_leaves_the_old_or_the_new_site_never_a_mix(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    old = snapshot(project / "site")
    edit_quotes(project, "setting: Skype interview", "setting: Skype call")
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):
        process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        now = snapshot(project / "site")
        assert now == old or "Skype call" in now[f"{HOMS}/quotes.html"].decode(), f"mixed site after {delay} s"
        outcomes.add("old" if now == old else "new")
        if now != old:
            break
    assert "old" in outcomes  # at least one kill landed mid-build
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site.")], "stale staging left behind"


def test_mkdocs_build_with_bad_data_leaves_the_site(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    before = snapshot(project / "site")
    edit_quotes(project, "speaker: nasr-al-hariri", "speaker: nasr")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project)
    assert result.returncode == 1 and "[unknown-id]" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project / "site") == before


@pytest.mark.parametrize("target", ["/", ".", "..", "content", "templates", f"content/{HOMS}", "docs/.."])
def test_output_folders_that_would_destroy_the_project_are_refused(project: Path, target: str) -> None:
    result = factsheet("build", "-d", target, cwd=project)
    assert result.returncode == 1
    assert "refusing to build into" in result.stderr
    assert (project / "content" / HOMS / "sheet.yml").is_file()
    assert (project / "templates" / "quotes.md.j2").is_file()


def test_a_folder_that_is_not_a_site_is_not_replaced(project: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    result = factsheet("build", "-d", str(notes), cwd=project)
    assert result.returncode == 1 and "not a built site" in result.stderr
    assert (notes / "todo.txt").read_text(encoding="utf-8") == "keep me"
    # An empty folder, or an earlier site, may be replaced.
    assert factsheet("build", "-d", str(tmp_path / "fresh"), cwd=project).returncode == 0
    assert factsheet("build", "-d", str(tmp_path / "fresh"), cwd=project).returncode == 0


def test_the_build_writes_nothing_outside_its_output_folder(project: Path) -> None:
    """No cache, compiled template or other file is left in the project: only the site."""
    def files() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for p in project.rglob("*") if "site" not in p.relative_to(project).parts}

    before = files()
    assert factsheet("build", cwd=project).returncode == 0
    assert factsheet("render", "-d", str(project.parent / "tree"), cwd=project).returncode == 0
    assert files() == before
    assert (project / "site" / "index.html").is_file()


def test_same_input_gives_byte_identical_sites(project: Path, tmp_path: Path) -> None:
    """Two builds, from two folders, at two times, in two time zones and locales."""
    other = tmp_path / "elsewhere"
    subprocess.run(["cp", "-a", str(project), str(other)], check=True)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    first = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                           env={**env, "TZ": "UTC", "LC_ALL": "C"}, check=False)
    time.sleep(1.1)
    second = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=other, capture_output=True,
                            env={**env, "TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"}, check=False)
    assert first.returncode == 0 and second.returncode == 0
    assert snapshot(project / "site") == snapshot(other / "site")


def test_source_date_epoch_is_honoured(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_url: https://example.org/sheets/\n",
                      encoding="utf-8")
    # Every report retrieved on one day that is nobody's today, after any report was published.
    for sources in (project / "content").glob("*/sources.yml"):
        text = sources.read_text(encoding="utf-8")
        sources.write_text(re.sub(r"retrieved: \d{4}-\d{2}-\d{2}", "retrieved: 2025-01-02", text), encoding="utf-8")
    # and every correction of the editors' logs made before it.
    for sheet in (project / "content").glob("*/sheet.yml"):
        text = sheet.read_text(encoding="utf-8")
        sheet.write_text(re.sub(r"fixed: \d{4}-\d{2}-\d{2}", "fixed: 2025-01-01", text), encoding="utf-8")
    # A published site (it has an address) needs a contact.
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["FACTSHEET_CONTACT"] = "mailto:desk@example.org"
    default = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                             capture_output=True, check=False)
    assert default.returncode == 0
    # Without SOURCE_DATE_EPOCH the date is the newest the data gives for its making, not the clock's.
    assert "<lastmod>2025-01-02</lastmod>" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    pinned = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project, capture_output=True,
                            env={**env, "SOURCE_DATE_EPOCH": "1700000000"}, check=False)
    assert pinned.returncode == 0
    assert "<lastmod>2023-11-14</lastmod>" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
