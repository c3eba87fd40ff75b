"""Compiled templates kept in the user's cache folder (generator/templatecache.py).

A kept entry saves compiling a template again, and nothing else: what is built is
what a build without the cache builds, whatever the cache folder holds, and the
cache is never in the project, never followed through links, and can be switched off.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from generator.cli import main
from generator.docgen import cli_reference
from generator.pipeline import Pipeline
from generator.sheet import Project
from generator.templatecache import CacheSettingError, TemplateCache, cache_folder

from .helpers import ROOT, factsheet, load_project, snapshot

COMMANDS = cli_reference(main)

Render = Callable[..., tuple[dict[str, str], list[str]]]


@pytest.fixture(scope="module")
def homs() -> Project:
    return load_project(ROOT / "content")


@pytest.fixture
def render(monkeypatch: pytest.MonkeyPatch, homs: Project) -> Render:
    """Render every page in a new pipeline (as a new process would): the pages, and the templates compiled."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object,
                 **kwargs: object) -> object:
        compiled.append(str(name))
        return original(self, source, name, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def rendered(cache: Path | None, templates: Path | None = None) -> tuple[dict[str, str], list[str]]:
        compiled.clear()
        pages = Pipeline().render(homs, templates, COMMANDS, template_cache=cache)
        return pages, sorted(compiled)

    return rendered


def entries(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.cache"))}


def test_a_later_process_compiles_nothing_and_renders_the_same(render: Render, tmp_path: Path) -> None:
    plain, compiled = render(None)
    assert len(compiled) > 10
    assert render(tmp_path / "cache") == (plain, compiled)  # the first one compiles and keeps them
    assert len(entries(tmp_path / "cache")) == len(set(compiled))
    assert render(tmp_path / "cache") == (plain, [])


def test_an_entry_for_other_source_or_settings_is_compiled_again(render: Render, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    override = templates / "quotes.md.j2"
    shutil.copy(ROOT / "generator" / "templates" / "quotes.md.j2", override)
    cache = tmp_path / "cache"
    render(cache, templates)
    # Same size, same modification time, other text: as `cp -p` or `tar x` leave a file.
    stamp = override.stat()
    text = override.read_text(encoding="utf-8")
    override.write_text(text.replace("Quotes", "Qvotes", 1), encoding="utf-8")
    os.utime(override, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    pages, compiled = render(cache, templates)
    assert compiled == ["quotes.md.j2"]
    assert pages == render(None, templates)[0]
    assert "Qvotes" in pages["homs-2017-02-25/quotes.md"]

    # The environment's settings are part of an entry's checksum, not only the source.
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "t.j2").write_text("{% if true %}\n  kept\n{% endif %}\n", encoding="utf-8")

    def environment(trim: bool) -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), trim_blocks=trim, autoescape=True,
                                  bytecode_cache=TemplateCache(cache))

    assert environment(True).get_template("t.j2").render() == "  kept\n"
    assert environment(False).get_template("t.j2").render() == "\n  kept\n"


def test_damaged_linked_and_odd_entries_are_compiled_again(render: Render, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain, _ = render(cache)
    kept = entries(cache)
    names = sorted(kept)
    outside = tmp_path / "outside.cache"
    outside.write_bytes(kept[names[1]])
    (cache / names[0]).write_bytes(kept[names[0]][:40] + b"\x00damaged")
    (cache / names[1]).unlink()
    (cache / names[1]).symlink_to(outside)  # a valid entry, reached through a link: not read
    (cache / names[2]).unlink()
    os.mkfifo(cache / names[2])  # a FIFO is never opened for its content, so cannot hang the build
    (cache / names[3]).write_bytes(b"")
    pages, again = render(cache)
    assert pages == plain
    assert len(again) == 4
    # Each odd entry was replaced by a file; the link's target was not written through.
    assert entries(cache) == kept
    assert not (cache / names[1]).is_symlink()
    assert outside.read_bytes() == kept[names[1]]


@pytest.mark.parametrize("make", ["shared", "link", "file"])
def test_a_folder_others_may_write_to_or_reached_by_a_link_is_not_used(render: Render, tmp_path: Path,
                                                                         make: str) -> None:
    cache = tmp_path / "cache"
    if make == "shared":
        cache.mkdir(mode=0o777)
        cache.chmod(0o777)  # the umask would have taken group and other writes away
    elif make == "link":
        (tmp_path / "elsewhere").mkdir()
        cache.symlink_to(tmp_path / "elsewhere")
    else:
        cache.write_text("not a folder", encoding="utf-8")
    plain, compiled = render(None)
    assert render(cache) == (plain, compiled)
    assert render(cache) == (plain, compiled), "an entry was kept"
    assert not list(tmp_path.rglob("*.cache"))


def test_no_cache_folder_inside_the_project_or_when_switched_off(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    project = tmp_path / "project"
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / ".cache"))
    assert cache_folder([project]) is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "mine"))
    assert cache_folder([project]) == tmp_path / "mine" / "factsheet" / "templates"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG specification says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder([project]) == tmp_path / "home" / ".cache" / "factsheet" / "templates"
    monkeypatch.setenv("FACTSHEET_CACHE", "off")
    assert cache_folder([project]) is None
    for value in ("0", "OFF", " off", "no", "1²"):
        monkeypatch.setenv("FACTSHEET_CACHE", value)
        with pytest.raises(CacheSettingError, match="FACTSHEET_CACHE must be on or off"):
            cache_folder([project])


def test_builds_keep_compiled_templates_outside_the_project_only(project: Path, tmp_path: Path) -> None:
    user_cache = tmp_path / "user-cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(user_cache)}
    off = factsheet("build", "-d", str(tmp_path / "off"), cwd=project, env={**env, "FACTSHEET_CACHE": "off"})
    assert off.returncode == 0, off.stderr
    assert not user_cache.exists()
    for _ in range(2):  # the first keeps the compiled templates, the second uses them
        result = factsheet("build", cwd=project, env=env)
        assert result.returncode == 0, result.stderr
        assert snapshot(project / "site") == snapshot(tmp_path / "off")
    assert len(entries(user_cache / "factsheet" / "templates")) > 10
    # A home folder that is the project (or a cache folder inside it) is not used.
    inside = factsheet("build", cwd=project, env={**env, "XDG_CACHE_HOME": str(project / ".cache")})
    assert inside.returncode == 0, inside.stderr
    assert not (project / ".cache").exists()

