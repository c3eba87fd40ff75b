"""No folder of the user's is ever replaced, and nothing outside the project is read as facts.

The build owns only folders it stamped; it refuses the project's own folders,
their parents and anything inside them; it works into a mount point; a
missing content folder is an error; staging folders of live builds survive
other builds; fact files and sheet folders that lead out are refused.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config.defaults import MkDocsConfig

import generator.build
import generator.cli
import generator.outputdir
from generator.build import build_site
from generator.cli import main
from generator.outputdir import (
    STAMP,
    TREE_STAMP,
    VCS_FOLDERS,
    BuildFailed,
    BuildRefused,
    ProjectFolders,
    check_output_dir,
    write_stamp,
)

from .helpers import HOMS, factsheet, run, snapshot


def set_plugin_option(project: Path, old: str, new: str) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- 1, 2: the project's own folders are refused, as outputs, parents or containers --------------

@pytest.mark.parametrize(("target", "named"), [
    ("overrides", "theme's custom_dir (theme.custom_dir in mkdocs.yml)"),
    ("overrides/partials", "inside overrides, the theme's custom_dir"),
    ("docs", "the docs_dir (docs_dir in mkdocs.yml)"),
    ("docs/out", "inside docs, the docs_dir"),
    ("docs/vendor", "inside docs, the docs_dir"),
    ("content/out", "inside content, the content folder"),
    (f"content/{HOMS}/sources", "inside content, the content folder"),
    ("templates/x", "inside templates, the templates folder"),
    (".", "the project folder (the folder of mkdocs.yml)"),
    ("..", "the project folder"),
])
def test_the_projects_own_folders_are_refused_by_name(project: Path, target: str, named: str) -> None:
    before = snapshot(project)
    result = factsheet("build", "-d", target, cwd=project)
    assert result.returncode == 1
    assert f"refusing to build into {target}: it " in result.stderr and named in result.stderr, result.stderr
    assert "choose another output folder with -d" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_the_custom_dir_is_read_from_the_configuration(project: Path) -> None:
    (project / "overrides").rename(project / "theme-files")
    set_plugin_option(project, "custom_dir: overrides", "custom_dir: theme-files")
    before = snapshot(project / "theme-files")
    result = factsheet("build", "-d", "theme-files", cwd=project)
    assert result.returncode == 1 and "it is the theme's custom_dir" in result.stderr, result.stderr
    assert snapshot(project / "theme-files") == before
    assert factsheet("build", "-d", "overrides", cwd=project).returncode == 0  # now just a name


def test_a_renamed_content_folder_is_protected_under_its_new_name(project: Path) -> None:
    (project / "content").rename(project / "facts")
    set_plugin_option(project, "content_dir: content", "content_dir: facts")
    result = factsheet("build", "-d", "facts/site", cwd=project)
    assert result.returncode == 1 and "it is inside facts, the content folder" in result.stderr, result.stderr
    assert not (project / "facts" / "site").exists()


@pytest.mark.parametrize("target", ["overrides", "content/out", "templates"])
def test_plain_mkdocs_build_refuses_them_too(project: Path, target: str) -> None:
    before = snapshot(project)
    result = run([sys.executable, "-m", "mkdocs", "build", "-d", target], cwd=project)
    assert result.returncode == 1
    assert f"refusing to build into {target}" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(project) == before


# -- 1: only folders the build stamped are replaced ------------------------------------------------

@pytest.mark.parametrize("markers", [["404.html"], ["sitemap.xml"], ["404.html", "sitemap.xml",
                                                                     "search/search_index.json"]])
def test_a_folder_that_merely_looks_like_a_site_is_not_replaced(project: Path, tmp_path: Path,
                                                                markers: list[str]) -> None:
    mine = tmp_path / "mine"
    for name in [*markers, "letter.txt"]:
        (mine / name).parent.mkdir(parents=True, exist_ok=True)
        (mine / name).write_text(f"my own {name}", encoding="utf-8")
    before = snapshot(mine)
    result = factsheet("build", "-d", str(mine), cwd=project)
    assert result.returncode == 1
    assert f"no {STAMP} stamp, so it is not a built site" in result.stderr and "-d" in result.stderr
    assert snapshot(mine) == before
    mkdocs = run([sys.executable, "-m", "mkdocs", "build", "-d", str(mine)], cwd=project)
    assert mkdocs.returncode == 1 and "not a built site" in mkdocs.stderr
    assert snapshot(mine) == before


def test_every_build_stamps_its_site_and_a_stamped_site_is_replaced(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    stamp = (project / "site" / STAMP).read_text(encoding="utf-8")
    assert "factsheet" in stamp and "replaces all of it" in stamp
    (project / "site" / "left-over.html").write_text("old page", encoding="utf-8")
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "left-over.html").exists()
    assert (project / "site" / STAMP).read_text(encoding="utf-8") == stamp


def test_mkdocs_build_stamps_its_output_so_factsheet_build_may_replace_it(project: Path) -> None:
    result = run([sys.executable, "-m", "mkdocs", "build"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / STAMP).is_file()
    assert factsheet("build", cwd=project).returncode == 0
    again = run([sys.executable, "-m", "mkdocs", "build"], cwd=project)
    assert again.returncode == 0, again.stderr


def test_a_site_built_before_stamps_existed_is_refused_until_deleted_once(project: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    (project / "site" / STAMP).unlink()  # as an older factsheet left it
    result = factsheet("build", cwd=project)
    assert result.returncode == 1
    assert "refusing to build into site" in result.stderr and "delete it once" in result.stderr
    assert (project / "site" / "index.html").is_file()


def test_an_empty_or_missing_output_folder_is_fine(project: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert factsheet("build", "-d", str(tmp_path / "empty"), cwd=project).returncode == 0
    assert factsheet("build", "-d", str(tmp_path / "new" / "nested"), cwd=project).returncode == 0
    assert (tmp_path / "new" / "nested" / STAMP).is_file()


def test_a_site_and_a_markdown_tree_never_replace_each_other(project: Path, tmp_path: Path) -> None:
    assert factsheet("build", cwd=project).returncode == 0
    assert factsheet("render", "-d", str(tmp_path / "tree"), cwd=project).returncode == 0
    site, tree = snapshot(project / "site"), snapshot(tmp_path / "tree")
    assert STAMP in site and TREE_STAMP not in site and TREE_STAMP in tree and STAMP not in tree
    for command, target, other in (("render", project / "site", "a site that factsheet built"),
                                   ("build", tmp_path / "tree", "a Markdown tree that factsheet render wrote")):
        result = factsheet(command, "-d", str(target), cwd=project)
        assert result.returncode == 1, result.stderr
        assert f"it is {other}" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert snapshot(project / "site") == site and snapshot(tmp_path / "tree") == tree


@pytest.mark.parametrize("command", ["build", "render"])
def test_no_output_folder_is_in_or_holds_a_version_control_folder(project: Path, tmp_path: Path,
                                                                 command: str) -> None:
    run(["git", "init", "-q", str(project)], cwd=project)
    bare = tmp_path / "mirror.git"  # a bare repository, named as any folder may be
    run(["git", "init", "-q", "--bare", str(bare)], cwd=tmp_path)
    (tmp_path / "hg" / ".hg").mkdir(parents=True)
    worktree = tmp_path / "pages"  # a checkout of the published branch, with a site stamp in it
    (worktree / ".git").mkdir(parents=True)
    (worktree / STAMP).write_text("", encoding="utf-8")
    (worktree / TREE_STAMP).write_text("", encoding="utf-8")
    before = {path: snapshot(path) for path in (project / ".git", bare, tmp_path / "hg", worktree)}
    for target, said in ((project / ".git" / "refs" / "tags", "is inside"), (project / ".git" / "new", "is inside"),
                         (bare / "hooks", "is inside"), (bare, "is"), (tmp_path / "hg" / ".hg", "is"),
                         (worktree, "holds .git")):
        result = factsheet(command, "-d", str(target), cwd=project)
        assert result.returncode == 1, (target, result.stderr)
        assert f"it {said}" in result.stderr and "version-control folder" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert {path: snapshot(path) for path in before} == before


_SEGMENT = st.from_regex(r"[a-z][a-z0-9-]{0,6}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(vcs=st.sampled_from(sorted(VCS_FOLDERS)), relation=st.sampled_from(["is", "is inside", "holds"]),
       above=st.lists(_SEGMENT, max_size=3), below=st.lists(_SEGMENT, min_size=1, max_size=3),
       stamp=st.sampled_from([STAMP, TREE_STAMP]))
def test_any_folder_that_is_in_or_holds_any_version_control_folder_is_refused(
        vcs: str, relation: str, above: list[str], below: list[str], stamp: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp, "project")
        folders = ProjectFolders(project / "mkdocs.yml", project / "docs", None, project / "content",
                                 project / "templates")
        base = Path(tmp, "out", *above)

        def target(name: str) -> Path:
            (base / name).mkdir(parents=True)
            write_stamp(base, stamp)  # a site or tree of ours, else it is refused for holding files
            return {"is": base / name, "is inside": base.joinpath(name, *below), "holds": base}[relation]

        with pytest.raises(BuildRefused, match=f"it {relation}.* version-control folder"):
            check_output_dir(target(vcs), folders, stamp)
        shutil.rmtree(base / vcs)
        # A name that only looks like one is a folder like any other.
        check_output_dir(target(f"{vcs.strip('._')}-copy"), folders, stamp)


# -- 3: an output folder that is a mount point ------------------------------------------------------

@pytest.fixture
def built(project: Path, tmp_path: Path) -> Path:
    """A stamped site in ``out``, with a page the next build no longer makes."""
    out = tmp_path / "out"
    build_site(project / "mkdocs.yml", site_dir=out)
    (out / "gone.html").write_text("a page of an earlier build", encoding="utf-8")
    return out


@pytest.fixture
def mount_point(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make ``os.path.ismount`` say a folder is a mount point, as for a container volume."""
    real = os.path.ismount
    mounts: set[Path] = set()

    def ismount(path: str | os.PathLike[str]) -> bool:
        return Path(path).resolve() in mounts or real(path)

    monkeypatch.setattr(os.path, "ismount", ismount)
    return lambda folder: mounts.add(folder.resolve())


def exchange_refusing(monkeypatch: pytest.MonkeyPatch, refuse: Callable[[Path, Path, int], int | None]) -> None:
    """Wrap the atomic exchange: ``refuse(a, b, call)`` returns an errno to fail that call with."""
    real = generator.outputdir._exchange
    calls = iter(range(1, 10_000))

    def exchange(a: Path, b: Path) -> bool:
        code = refuse(a, b, next(calls))
        if code is not None:
            raise OSError(code, os.strerror(code), str(a), None, str(b))
        return real(a, b)

    monkeypatch.setattr(generator.outputdir, "_exchange", exchange)


def edit_quote_setting(project: Path) -> None:
    quotes = project / "content" / HOMS / "quotes.yml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace("setting: Skype interview", "setting: Skype call", 1),
                      encoding="utf-8")


def assert_swapped_in_place(out: Path, inode: int) -> None:
    assert out.stat().st_ino == inode, "the output folder itself was replaced"
    assert "Skype call" in (out / HOMS / "quotes.html").read_text(encoding="utf-8")
    assert (out / STAMP).is_file() and not (out / "gone.html").exists()
    assert not [p.name for p in out.iterdir() if p.name.startswith(".factsheet-") and p.name != STAMP]
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".out.")]


def test_a_mount_point_gets_its_contents_swapped(project: Path, built: Path,
                                                 mount_point: Callable[[Path], None]) -> None:
    (built / "lost+found").mkdir()  # a volume's own folder stays
    mount_point(built)
    inode = built.stat().st_ino
    edit_quote_setting(project)
    assert build_site(project / "mkdocs.yml", site_dir=built) == built.resolve()
    assert_swapped_in_place(built, inode)
    assert (built / "lost+found").is_dir()


def test_a_folder_that_cannot_be_renamed_gets_its_contents_swapped(project: Path, built: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # A bind mount that ismount() does not see: renaming the folder says EBUSY.
    exchange_refusing(monkeypatch, lambda a, b, call: errno.EBUSY if b == built.resolve() else None)
    inode = built.stat().st_ino
    edit_quote_setting(project)
    build_site(project / "mkdocs.yml", site_dir=built)
    assert_swapped_in_place(built, inode)


def test_a_failed_swap_puts_the_previous_site_back(project: Path, built: Path, monkeypatch: pytest.MonkeyPatch,
                                                   mount_point: Callable[[Path], None]) -> None:
    mount_point(built)
    before = snapshot(built)
    edit_quote_setting(project)
    exchange_refusing(monkeypatch, lambda a, b, call: errno.EIO if call == 3 else None)
    with pytest.raises(BuildFailed, match="the previous site is unchanged"):
        build_site(project / "mkdocs.yml", site_dir=built)
    assert snapshot(built) == before
    assert not [p.name for p in built.iterdir() if p.name.startswith(".factsheet-building")]


def test_a_failed_swap_is_one_message_from_the_command(project: Path, built: Path, monkeypatch: pytest.MonkeyPatch,
                                                       mount_point: Callable[[Path], None]) -> None:
    mount_point(built)
    before = snapshot(built)
    exchange_refusing(monkeypatch, lambda a, b, call: errno.ENOSPC if call == 2 else None)
    # The command's log handler would outlive the runner's captured stderr.
    monkeypatch.setattr(generator.cli, "configure_logging", lambda verbose=False: None)
    result = CliRunner().invoke(main, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(built)])
    assert result.exit_code == 1, result.output
    assert "error: could not write the site into" in result.stderr and "No space left" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(built) == before


# -- 4: a missing or mistyped content folder is an error -------------------------------------------

@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["build"], ["serve"]])
def test_a_missing_content_folder_is_an_error(empty_project: Path, command: list[str]) -> None:
    (empty_project / "content").rmdir()
    result = factsheet(*command, cwd=empty_project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    output = result.stdout + result.stderr
    assert "content folder content does not exist" in output and "factsheet new <sheet-id>" in output
    assert not (empty_project / "site").exists()


def test_mkdocs_build_without_the_content_folder_fails(empty_project: Path) -> None:
    (empty_project / "content").rmdir()
    result = run([sys.executable, "-m", "mkdocs", "build"], cwd=empty_project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content folder" in result.stderr and "[content-missing]" in result.stderr
    assert not (empty_project / "site").exists()


def test_a_mistyped_content_dir_is_named(project: Path) -> None:
    set_plugin_option(project, "content_dir: content", "content_dir: contnet")
    result = factsheet("check", cwd=project)
    assert result.returncode == 1
    assert "contnet:1:1: error: content folder contnet does not exist [content-missing]" in result.stderr
    assert "content_dir" in result.stderr


def test_a_content_dir_that_is_a_file_is_named(empty_project: Path) -> None:
    (empty_project / "content").rmdir()
    (empty_project / "content").write_text("not a folder", encoding="utf-8")
    result = factsheet("build", cwd=empty_project)
    assert result.returncode == 1 and "content folder content is not a folder" in result.stderr


def test_new_creates_a_missing_content_folder(empty_project: Path) -> None:
    (empty_project / "content").rmdir()
    assert factsheet("new", "first-sheet", cwd=empty_project).returncode == 0
    assert (empty_project / "content" / "first-sheet" / "sheet.yml").is_file()
    assert factsheet("check", cwd=empty_project).returncode == 0


# -- 17: staging folders of live builds, in any PID namespace --------------------------------------

@pytest.fixture
def held_lock(project: Path) -> Iterator[Path]:
    """A staging folder of another build that is still running: its lock is held.

    Its name ends in a pid that is dead here, as a live build in another PID
    namespace looks.
    """
    folder = project / ".site.building-4194303"
    (folder / "site").mkdir(parents=True)
    (folder / "site" / "index.html").write_text("half built", encoding="utf-8")
    fd = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield folder
    finally:
        os.close(fd)


def test_the_staging_folder_of_a_live_build_is_left_alone(project: Path, held_lock: Path) -> None:
    result = factsheet("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (held_lock / "site" / "index.html").read_text(encoding="utf-8") == "half built"


def test_the_staging_folder_of_a_killed_build_is_removed(project: Path) -> None:
    folder = project / ".site.building-0123abcd"
    (folder / "site").mkdir(parents=True)
    (folder / "lock").touch()  # nobody holds it: its build is gone
    assert factsheet("build", cwd=project).returncode == 0
    assert not folder.exists()


def test_a_staging_folder_whose_removal_was_killed_is_removed(project: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Killed while deleting its work folder, a build leaves at worst the lock
    # file (deleted last, so the folder still reads as a killed build's) or,
    # after it, the empty folder, which the next build removes too.
    work = project / ".site.building-0123abcd"
    (work / "site").mkdir(parents=True)
    (work / "site" / "index.html").write_text("x", encoding="utf-8")
    (work / "lock").touch()
    unlinked: list[str] = []
    real_unlink = os.unlink

    def recording(path: str | Path, *args: object, **kwargs: object) -> None:
        unlinked.append(Path(path).name)
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", recording)
    generator.outputdir._remove_work(work)
    monkeypatch.undo()
    assert unlinked == ["index.html", "lock"] and not work.exists()
    empty = project / ".site.building-89abcdef"
    empty.mkdir()
    build_site(project / "mkdocs.yml")
    assert not empty.exists()


def test_a_folder_that_only_looks_like_staging_is_kept(project: Path) -> None:
    folder = project / ".site.building-notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("keep me", encoding="utf-8")
    assert factsheet("build", cwd=project).returncode == 0
    assert (folder / "todo.txt").read_text(encoding="utf-8") == "keep me"


def test_builds_use_unique_staging_names(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = generator.build._run_mkdocs

    def spy(config: MkDocsConfig, staging: Path) -> None:
        seen.append(staging.parent.name)
        real(config, staging)

    monkeypatch.setattr(generator.build, "_run_mkdocs", spy)
    for _ in range(2):
        build_site(project / "mkdocs.yml")
    assert len(set(seen)) == 2 and all(name.startswith(".site.building-") for name in seen)


# -- 17: fact files and sheet folders that lead out of the content are not read --------------------

def check_json(project: Path) -> list[dict[str, object]]:
    result = factsheet("check", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def codes(found: list[dict[str, object]]) -> set[str]:
    return {f"{d['path']}:{d['line']}:{d['col']}: {d['code']}" for d in found}


def test_a_fact_file_linked_from_outside_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yml"
    outside.write_text("events: not a list\n", encoding="utf-8")  # would be [not-a-list] if read
    (project / "content" / HOMS / "extra.yml").symlink_to(outside)
    found = check_json(project)
    assert codes(found) == {f"content/{HOMS}/extra.yml:1:1: file-outside"}
    assert "outside its sheet folder" in str(found[0]["message"])


def test_a_fact_file_linked_from_another_sheet_is_not_read(project: Path) -> None:
    assert factsheet("new", "other-sheet", cwd=project).returncode == 0
    (project / "content" / "other-sheet" / "quotes.yml").symlink_to(f"../{HOMS}/quotes.yml")
    assert codes(check_json(project)) == {"content/other-sheet/quotes.yml:1:1: file-outside"}


def test_a_sheet_folder_linked_from_outside_is_not_read(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "sheet.yml").write_text("sheet: [broken\n", encoding="utf-8")  # [yaml-syntax] if read
    (project / "content" / "linked").symlink_to(elsewhere)
    assert codes(check_json(project)) == {"content/linked:1:1: file-outside"}
    assert factsheet("build", cwd=project).returncode == 1


def test_a_link_inside_the_sheet_folder_is_read(project: Path) -> None:
    folder = project / "content" / HOMS
    (folder / "more").mkdir()
    (folder / "quotes.yml").rename(folder / "more" / "quotes.txt")
    (folder / "quotes.yml").symlink_to("more/quotes.txt")
    result = factsheet("check", cwd=project)
    assert result.returncode == 0, result.stderr


def test_a_fact_file_that_is_a_fifo_is_reported_not_waited_for(project: Path) -> None:
    os.mkfifo(project / "content" / HOMS / "pipe.yml")
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=project, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"content/{HOMS}/pipe.yml:1:1: error: fact file is a FIFO, not a regular file" in result.stderr
    assert "[not-a-file]" in result.stderr


def test_a_broken_link_is_reported_and_hidden_files_are_skipped(project: Path) -> None:
    folder = project / "content" / HOMS
    (folder / "gone.yml").symlink_to("nowhere.yml")
    (folder / ".#events.yml").symlink_to("user@host.1234:1700000000")  # an editor's lock file
    assert codes(check_json(project)) == {f"content/{HOMS}/gone.yml:1:1: not-a-file"}

