"""Nothing is read back from the checkout: what a build publishes comes from the facts it checked.

Earlier versions kept built output and compiled templates under ``.cache/factsheet/``
and read them back; a file planted there (force-added to git, so a fresh clone in CI
has it) could publish other pages than the facts say. Files planted under the old
names, a FIFO among them, now change nothing that is built or written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from .helpers import HOMS, factsheet, free_port, run, snapshot


def plant(project: Path) -> Path:
    """What an attacker or a stale checkout could leave where the caches were."""
    cache = project / ".cache" / "factsheet"
    (cache / "templates-0").mkdir(parents=True)
    (cache / "theme-0").mkdir()
    (cache / "output.json").write_text('{"pages": {"index.md": "# Planted <script>alert(1)</script>"}}',
                                       encoding="utf-8")
    for folder in ("templates-0", "theme-0"):
        (cache / folder / "0123.cache").write_bytes(b"j2\x00planted bytecode")
    os.mkfifo(cache / "theme-0" / "fifo.cache")
    (cache / "output.json.tmp").symlink_to(project.parent / "outside.txt")
    return cache


def test_planted_cache_files_change_nothing_that_is_built_or_written(project: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    assert factsheet("build", "-d", str(clean), cwd=project).returncode == 0
    cache = plant(project)
    planted = sorted(p.name for p in cache.rglob("*"))
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert snapshot(project / "site") == snapshot(clean)
    assert sorted(p.name for p in cache.rglob("*")) == planted, "the build wrote into .cache/"
    assert not (project.parent / "outside.txt").exists()
    result = factsheet("render", "-d", str(tmp_path / "tree"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Planted" not in (tmp_path / "tree" / "index.md").read_text(encoding="utf-8")
    assert (tmp_path / "tree" / HOMS / "index.md").is_file()


# A build in a process that records every file or folder it opens under the project's .cache/.
WATCHED_BUILD = """
import os, sys
cache = os.path.abspath(".cache")
opened = []

def watch(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path == cache or path.startswith(cache + os.sep):
            opened.append(path)

sys.addaudithook(watch)
from generator.cli import main
try:
    main(["build"], standalone_mode=False)
finally:
    print("OPENED", opened, file=sys.stderr)
"""


def test_a_build_opens_nothing_under_the_cache_folder(project: Path) -> None:
    plant(project)
    result = run([sys.executable, "-c", WATCHED_BUILD], cwd=project)
    assert result.returncode == 0, result.stderr
    assert "OPENED []" in result.stderr, result.stderr[-2000:]


BAD_VALUES = {
    "SOURCE_DATE_EPOCH": ("1²", "１２", "-5", "4294967296", "12e3"),
    "FACTSHEET_CACHE": ("yes", "OFF", " on", "1²"),
}
# Each command that reads the variable: render makes no dated file, so reads no SOURCE_DATE_EPOCH.
READERS = [("build", "SOURCE_DATE_EPOCH"), ("serve", "SOURCE_DATE_EPOCH"), ("build", "FACTSHEET_CACHE"),
           ("render", "FACTSHEET_CACHE"), ("serve", "FACTSHEET_CACHE")]


@pytest.mark.parametrize(("command", "variable"), READERS)
def test_a_bad_environment_value_is_one_line_naming_the_variable(project: Path, command: str,
                                                                 variable: str) -> None:
    options = {"build": [], "render": ["-d", str(project / "site")], "serve": ["-a", f"127.0.0.1:{free_port()}"]}
    for value in BAD_VALUES[variable]:
        result = factsheet(command, *options[command], cwd=project, env={**os.environ, variable: value})
        assert result.returncode == 1, (value, result.stderr)
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith(f"error: {variable} must be") and repr(value) in last, result.stderr
        assert "Traceback" not in result.stderr and "ERROR" not in result.stderr, result.stderr
        assert not (project / "site").exists()
