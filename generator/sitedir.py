"""The output folder: which folders a build may replace, and the stamp that marks the ones it owns.

A build replaces its output folder as a whole, so it must never be pointed at
something the user keeps: the project's own folders are refused by name, and
any other folder that holds files is replaced only if it carries the stamp
that every build writes. Both ``factsheet build`` and the plugin (for plain
``mkdocs build``) ask :func:`check_output_dir` before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .paths import display_path

STAMP = ".factsheet-site"
# Fixed text, so that two builds of the same input stay byte-identical.
STAMP_TEXT = ("This folder is a site built by factsheet; the next build replaces all of it.\n"
              "Keep no files of your own here: they would be deleted.\n")
# Work folders a build keeps inside an output folder that is a mount point;
# they are not the user's files, and a contents swap leaves them alone.
INNER_WORK_PREFIXES = (".factsheet-building-", ".factsheet-preparing-")
# A filesystem's own folder at the root of a volume: neither the user's nor ours.
MOUNT_OWN = "lost+found"

_ELSEWHERE = "choose another output folder with -d, e.g. -d site"


class BuildError(Exception):
    """The site cannot be built or put in place; the message says why and what to do."""


class BuildRefused(BuildError):
    """The build would write somewhere it must not."""


def write_stamp(site_dir: Path) -> None:
    """Mark ``site_dir`` as a site this tool built, which a later build may replace."""
    (site_dir / STAMP).write_text(STAMP_TEXT, encoding="utf-8")


@dataclass(frozen=True)
class ProjectFolders:
    """The project's own files and folders, as its configuration names them."""

    config_file: Path
    docs_dir: Path
    custom_dir: Path | None
    content_dir: Path
    templates_dir: Path


def protected_folders(folders: ProjectFolders) -> list[tuple[Path, str]]:
    """The project's input folders, each with a phrase saying what it is.

    None of them, no folder inside one and no parent of one may be an output
    folder: replacing it would delete the project's own files.
    """
    name = folders.config_file.name
    found = [(folders.docs_dir, f"the docs_dir (docs_dir in {name})")]
    if folders.custom_dir:
        found.append((folders.custom_dir, f"the theme's custom_dir (theme.custom_dir in {name})"))
    found.append((folders.content_dir, f"the content folder (content_dir of the factsheet plugin in {name})"))
    found.append((folders.templates_dir, f"the templates folder (templates_dir of the factsheet plugin in {name})"))
    return found


def check_output_dir(site_dir: Path, folders: ProjectFolders) -> None:
    """Raise :class:`BuildRefused` unless replacing ``site_dir`` with a new site destroys nothing else."""
    shown = display_path(site_dir)
    target = site_dir.resolve()
    if target == Path(target.anchor):
        raise BuildRefused(f"refusing to build into {shown}: it is a filesystem root; {_ELSEWHERE}")
    for folder, what, inside_ok in _refused(folders):
        if target == folder or target in folder.parents or (folder in target.parents and not inside_ok):
            relation = _relation(target, folder)
            named = "" if target == folder else f" {_shown(folder)},"
            raise BuildRefused(f"refusing to build into {shown}: it {relation}{named} {what}; {_ELSEWHERE}")
    if target.exists() and not target.is_dir():
        raise BuildRefused(f"refusing to build into {shown}: it is a file, not a folder; {_ELSEWHERE}")
    if user_entries(target) and not (target / STAMP).is_file():
        raise BuildRefused(
            f"refusing to build into {shown}: it holds files but no {STAMP} stamp, so it is not a built site; "
            "choose another output folder with -d, or, if it is a site that an older factsheet built, "
            "delete it once and build again")


def _refused(folders: ProjectFolders) -> list[tuple[Path, str, bool]]:
    """Every folder an output folder may not be, contain or (unless the flag says so) be inside."""
    project = folders.config_file.resolve().parent
    # site/ inside the project is fine; the project itself, or a folder above it, is not.
    found = [(project, f"the project folder (the folder of {folders.config_file.name})", True)]
    found += [(folder.resolve(), what, False) for folder, what in protected_folders(folders)]
    return found


def user_entries(folder: Path) -> list[Path]:
    """What ``folder`` holds, leaving out work folders of builds and a volume's ``lost+found``."""
    if not folder.is_dir():
        return []
    at_mount = os.path.ismount(folder)
    return sorted(entry for entry in folder.iterdir()
                  if not entry.name.startswith(INNER_WORK_PREFIXES) and not (at_mount and entry.name == MOUNT_OWN))


def _relation(target: Path, folder: Path) -> str:
    if target == folder:
        return "is"
    return "contains" if target in folder.parents else "is inside"


def _shown(folder: Path) -> str:
    shown = display_path(folder)
    return str(folder) if shown == "." else shown
