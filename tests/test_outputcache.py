"""The output kept between builds (generator/outputcache.py): used only while every input is unchanged."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import outputcache
from generator.output import Settings, SiteOutput

from .conftest import HOMS, factsheet, run
from .test_bytecode import CACHE, site_files

ENTRY = CACHE / "output.json"
TALLIES = Path("content") / HOMS / "tallies.yml"

# One `factsheet build` in a process of its own, saying afterwards whether it imported the
# checks and templates: a build whose output is kept has no use for them.
BUILD_AND_TELL = (
    "import sys\nfrom generator.cli import main\n"
    "try:\n    main(['build', '-d', sys.argv[1]])\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "print('checked and rendered' if 'generator.pipeline' in sys.modules else 'kept', code)\n"
)


def build(project: Path, out: str) -> tuple[str, dict[str, bytes]]:
    """Build into ``out``: whether the facts were checked and rendered or kept, and the site."""
    result = run([sys.executable, "-c", BUILD_AND_TELL, out], cwd=project)
    assert result.stdout.splitlines()[-1].endswith(" 0"), result.stdout + result.stderr
    return result.stdout.splitlines()[-1].removesuffix(" 0"), site_files(project / out)


def edit(project: Path, old: str, new: str, path: Path = TALLIES) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_build_with_unchanged_inputs_is_kept_and_byte_identical(project: Path) -> None:
    how, cold = build(project, "cold")
    assert how == "checked and rendered" and (project / ENTRY).is_file()
    how, warm = build(project, "warm")
    assert how == "kept" and warm == cold


def test_a_fact_edit_is_checked_and_shown(project: Path) -> None:
    build(project, "first")
    edit(project, "note: killed by three blasts", "note: killed by the three blasts")
    how, site = build(project, "second")
    assert how == "checked and rendered"
    assert b"killed by the three blasts" in site[f"{HOMS}/casualties.html"]


def test_a_file_put_back_with_its_old_size_and_time_is_still_seen_as_changed(project: Path) -> None:
    file = project / TALLIES
    before = file.stat()
    build(project, "first")
    edit(project, "note: killed by three blasts", "note: KILLED by three blasts")
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size
    how, site = build(project, "second")
    assert how == "checked and rendered" and b"KILLED by three blasts" in site[f"{HOMS}/casualties.html"]


def test_an_error_is_found_on_every_build_and_the_kept_output_survives_it(project: Path) -> None:
    _, cold = build(project, "first")
    edit(project, "killing a senior officer", "killing a junior officer")
    for _ in range(2):
        result = factsheet("build", "-d", "broken", cwd=project)
        assert result.returncode == 1 and "[quote-not-found]" in result.stderr
        assert f"content/{HOMS}/tallies.yml:" in result.stderr and "Traceback" not in result.stderr
    edit(project, "killing a junior officer", "killing a senior officer")
    how, site = build(project, "fixed")
    assert how == "kept" and site == cold


def test_a_new_empty_sheet_folder_fails_the_build_after_a_kept_one(project: Path) -> None:
    build(project, "first")
    (project / "content" / "new-sheet").mkdir()
    result = factsheet("build", "-d", "second", cwd=project)
    assert result.returncode == 1 and "[no-fact-files]" in result.stderr, result.stderr


def test_a_build_from_a_working_folder_that_was_deleted_works(project: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (f'cd "{gone}" && rmdir "{gone}" && "{sys.executable}" -m generator build '
              f'-f "{project / "mkdocs.yml"}" -d "{project / "out"}"')
    for _ in range(2):  # made, then kept
        result = run(["sh", "-c", script], cwd=tmp_path)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        gone.mkdir()
    assert (project / "out" / HOMS / "index.html").is_file()


def test_warnings_are_printed_from_the_kept_output_too(project: Path) -> None:
    edit(project, '    derivation: "sum: a senior officer and at least 31 others"\n', "")
    warning = f"content/{HOMS}/tallies.yml:10:12: warning: value 32 appears in none"
    told = []
    for out in ("first", "second"):
        result = run([sys.executable, "-c", BUILD_AND_TELL, out], cwd=project)
        assert warning in result.stderr, result.stderr
        told.append(result.stdout.splitlines()[-1])
    assert told == ["checked and rendered 0", "kept 0"]


@pytest.mark.parametrize("damage", ["garbage", "cut short", "one byte changed", "another key", "not JSON"])
def test_an_unsound_entry_is_not_used_and_is_replaced(project: Path, damage: str) -> None:
    _, cold = build(project, "cold")
    entry = project / ENTRY
    sound = entry.read_bytes()
    header, _, body = sound.partition(b"\n")
    name, key, checksum = header.split(b" ")
    entry.write_bytes({
        "garbage": b"\x00\x80garbage",
        "cut short": sound[:len(sound) // 2],
        "one byte changed": sound.replace(b"Homs", b"Hom5", 1),
        "another key": b" ".join([name, b"0" * len(key), checksum]) + b"\n" + body,
        "not JSON": b" ".join([name, key, hashlib.sha256(b"{").hexdigest().encode()]) + b"\n{",
    }[damage])
    how, site = build(project, "again")
    assert how == "checked and rendered" and site == cold
    assert entry.read_bytes() == sound


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_an_entry_that_is_not_a_file_is_not_read(project: Path, kind: str) -> None:
    _, cold = build(project, "cold")
    entry = project / ENTRY
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)  # opening it to read would wait for a writer forever
    else:
        (entry / "inside").mkdir(parents=True)
    how, site = build(project, "again")
    assert how == "checked and rendered" and site == cold


def test_changed_settings_change_the_output(project: Path) -> None:
    build(project, "first")
    edit(project, "compiled_by: the factsheet editors", "compiled_by: the night desk", Path("mkdocs.yml"))
    how, site = build(project, "second")
    assert how == "checked and rendered" and b"the night desk" in site[f"{HOMS}/index.html"]


def within_seconds(check: Callable[[], bool]) -> bool:
    """``check()``, failing the test if it takes more than a few seconds (it would hang on a FIFO)."""
    result: list[bool] = []
    worker = threading.Thread(target=lambda: result.append(check()), daemon=True)
    worker.start()
    worker.join(10)
    assert result, "still running after 10 s"
    return result[0]


def settings_for(tmp_path: Path) -> Settings:
    return Settings(str(tmp_path / "content"), str(tmp_path / "templates"), str(tmp_path), ("killed",), 10, "", "",
                    "Fact sheets", None)


def test_what_the_content_folder_is_is_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = settings_for(tmp_path)
    missing = outputcache.output_key(settings)
    (tmp_path / "content").write_text("", encoding="utf-8")
    a_file = outputcache.output_key(settings)
    (tmp_path / "content").unlink()
    (tmp_path / "content").mkdir()
    assert len({missing, a_file, outputcache.output_key(settings)}) == 3


def test_a_large_file_is_known_by_its_size_and_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(outputcache, "_READ_LIMIT", 8)
    scan = tmp_path / "content" / "sheet" / "scan.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"0123456789")
    before = outputcache.output_key(settings_for(tmp_path))
    times = scan.stat()
    scan.write_bytes(b"9876543210")
    os.utime(scan, ns=(times.st_atime_ns, times.st_mtime_ns))  # same size and time: the change time differs
    assert outputcache.output_key(settings_for(tmp_path)) != before


def test_an_output_made_while_a_file_was_saved_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    settings = settings_for(tmp_path)
    made = SiteOutput({"index.md": "# Home\n"}, {}, [], [], "0", {}, ())

    def make_while_saving() -> SiteOutput:
        (tmp_path / "content" / "sheet.yml").write_text("saved meanwhile\n", encoding="utf-8")
        return made

    assert outputcache.cached_output(settings, make_while_saving) is made
    assert not (tmp_path / ENTRY).exists()
    assert outputcache.cached_output(settings, lambda: made) is made
    assert outputcache.read_entry(tmp_path / ENTRY, outputcache.output_key(settings)) == made


def test_every_input_is_in_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, templates = tmp_path / "content", tmp_path / "templates"
    (content / "sheet" / "sources").mkdir(parents=True)
    templates.mkdir()
    (content / "sheet" / "sheet.yml").write_text("sheet: {}\n", encoding="utf-8")
    (content / "sheet" / "sources" / "wire.txt").write_text("BEIRUT --\n", encoding="utf-8")
    (templates / "page.md.j2").write_text("{{ x }}\n", encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("one", encoding="utf-8")
    settings = settings_for(tmp_path)
    monkeypatch.chdir(tmp_path)
    keys = [outputcache.output_key(settings)]

    def changed() -> bool:
        keys.append(outputcache.output_key(settings))
        return keys[-1] != keys[-2]

    assert not changed()
    (content / "sheet" / "sources" / "wire.txt").write_text("BEIRUT -- \n", encoding="utf-8")
    assert changed()  # an archived source, a byte longer
    (templates / "page.md.j2").write_text("{{ y }}\n", encoding="utf-8")
    assert changed()  # a template, same size
    (content / "sheet" / "notes.txt").write_text("", encoding="utf-8")
    assert changed()  # a new file, even empty
    (content / "sheet" / "notes.txt").rename(content / "sheet" / "notes.yml")
    assert changed()  # a renamed one
    (content / "sheet" / "linked.txt").symlink_to(outside)
    assert changed()
    outside.write_text("two", encoding="utf-8")
    assert changed()  # what a link leads to
    os.mkfifo(content / "sheet" / "pipe.yml")
    assert within_seconds(changed)  # named, never opened: reading a FIFO would wait forever
    (content / "new-sheet").mkdir()
    assert changed()  # an empty folder, which the check refuses as a sheet without facts
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "foot.md.j2").write_text("one\n", encoding="utf-8")
    (templates / "shared").symlink_to(shared)
    (shared / "loop").symlink_to(templates)  # a link back up the tree is walked once
    assert within_seconds(changed)
    (shared / "foot.md.j2").write_text("two\n", encoding="utf-8")
    assert changed()  # a template in a linked folder, which Jinja reads through the link
    base = outputcache.output_key(settings)
    for other in [dataclasses.replace(settings, counts=("killed", "wounded")),
                  dataclasses.replace(settings, nav_sheets_limit=3), dataclasses.replace(settings, compiled_by="desk"),
                  dataclasses.replace(settings, contact="mailto:desk@example.org"),
                  dataclasses.replace(settings, author="Desk"), dataclasses.replace(settings, base_url="https://x.org/")]:
        assert outputcache.output_key(other) != base, other
    monkeypatch.chdir(content)
    assert changed()  # diagnostics name files relative to the working folder
    outputcache._code_key.cache_clear()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.0")
    try:
        assert changed()  # another version of a library
    finally:
        outputcache._code_key.cache_clear()
