"""Compiled templates kept between builds (generator/bytecode.py): faster, and never different."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from jinja2.bccache import bc_magic

from .conftest import HOMS, factsheet

CACHE = Path(".cache") / "factsheet"


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def build(project: Path, out: str) -> dict[str, bytes]:
    # Without the kept output (generator/outputcache.py), so that our templates are rendered each time.
    if (project / CACHE).is_dir():
        (project / CACHE / "output.json").unlink(missing_ok=True)
    result = factsheet("build", "-d", out, cwd=project)
    assert result.returncode == 0, result.stderr
    return site_files(project / out)


def test_a_build_with_the_cache_is_byte_identical_to_one_without(project: Path) -> None:
    cold = build(project, "cold")
    entries = sorted(p for p in (project / CACHE).rglob("*") if p.is_file() and p.name != "output.json")
    # Both environments are cached: our Markdown templates and the theme's.
    assert {p.relative_to(project / CACHE).parts[0].split("-")[0] for p in entries} == {"templates", "theme"}
    assert build(project, "warm") == cold
    # An entry that cannot be read is compiled again, not used: garbage, cut short, or
    # garbage behind a sound header (which Jinja itself would raise on).
    for number, entry in enumerate(entries):
        damage = [b"\x00garbage", entry.read_bytes()[:7], bc_magic + b"\x80garbage"][number % 3]
        entry.write_bytes(damage)
    assert build(project, "corrupt") == cold


def test_a_changed_template_is_compiled_again(project: Path) -> None:
    build(project, "first")
    template = project / "templates" / "quotes.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "Direct quotations, verbatim", "Every direct quotation, verbatim"), encoding="utf-8")
    page = build(project, "second")[f"{HOMS}/quotes.html"]
    assert b"Every direct quotation, verbatim" in page


def test_a_cache_folder_that_cannot_be_written_means_no_cache(project: Path) -> None:
    folder = project / CACHE
    folder.mkdir(parents=True)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):
            # Root writes anyway: take the folder's place with a file, which no one can write into.
            folder.chmod(0o755)
            folder.rmdir()
            folder.write_text("not a folder", encoding="utf-8")
        site = build(project, "site")
        assert f"{HOMS}/quotes.html" in site
    finally:
        if folder.is_dir():
            folder.chmod(0o755)
