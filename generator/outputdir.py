"""The output folder: which folders a build may replace, the stamp that marks them, and the swap.

A build replaces its output folder as a whole, so it must never be pointed at
something the user keeps: the project's own folders are refused by name, and
any other folder that holds files is replaced only if it carries the stamp
that every build writes. Both ``factsheet build`` and the plugin (for plain
``mkdocs build``) ask :func:`check_output_dir` before anything is written.

A build that fails for any reason, or is killed, leaves the previous site
exactly as it was: the new site is written beside it and exchanged with it
in one atomic rename (:func:`replace_folder`). An output folder that cannot be
renamed (a mount point, such as a container volume) gets the new site written
inside it instead, in a hidden work folder, and its entries are then swapped
one atomic rename at a time; if a rename fails, those already done are undone.

Each build holds an exclusive lock on its work folder while it runs. The next
build removes work folders whose lock nobody holds (left by killed builds); a
lock, unlike a pid, is seen by builds in every PID namespace.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .paths import display_path

STAMP = ".factsheet-site"
# The stamp of a Markdown tree (`factsheet render`): a tree and a site never replace each other.
TREE_STAMP = ".factsheet-markdown"
# Fixed texts, so that two builds of the same input stay byte-identical.
STAMP_TEXTS = {
    STAMP: ("This folder is a site built by factsheet; the next build replaces all of it.\n"
            "Keep no files of your own here: they would be deleted.\n"),
    TREE_STAMP: ("This folder is a Markdown tree written by factsheet render; the next render replaces all of it.\n"
                 "Keep no files of your own here: they would be deleted.\n"),
}
_WHAT = {STAMP: "a site that factsheet built", TREE_STAMP: "a Markdown tree that factsheet render wrote"}
_BUILT = {STAMP: "a built site", TREE_STAMP: "a rendered Markdown tree"}
# Folders of version-control systems: no output folder may be one, be inside one or hold one.
VCS_FOLDERS = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", "CVS", ".jj", ".pijul"})
# Work folders a build keeps inside an output folder that is a mount point;
# they are not the user's files, and a contents swap leaves them alone.
INNER_WORK_PREFIXES = (".factsheet-building-", ".factsheet-preparing-")
# A filesystem's own folder at the root of a volume: neither the user's nor ours.
MOUNT_OWN = "lost+found"

_ELSEWHERE = "choose another output folder with -d, e.g. -d site"
# Work folders are "<prefix>building-<token>": prefix ".site." beside the
# output folder "site", ".factsheet-" inside an output folder that is a mount
# point (see INNER_WORK_PREFIXES). Each holds the lock file and "site".
_BUILDING = "building-"
_PREPARING = "preparing-"
_INNER = ".factsheet-"
_LOCK = "lock"
# What rename(2) says when a folder cannot be renamed: it is a mount point
# (EBUSY), or on another filesystem than its parent (EXDEV).
_UNMOVABLE = (errno.EBUSY, errno.EXDEV)
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


class BuildError(Exception):
    """The site cannot be built or put in place; the message says why and what to do."""


class BuildRefused(BuildError):
    """The build would write somewhere it must not."""


class BuildFailed(BuildError):
    """The new site could not be written or put in place."""


def write_stamp(site_dir: Path, stamp: str = STAMP) -> None:
    """Mark ``site_dir`` as a site (or, with :data:`TREE_STAMP`, a Markdown tree) that a later one may replace."""
    (site_dir / stamp).write_text(STAMP_TEXTS[stamp], encoding="utf-8")


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


def check_output_dir(site_dir: Path, folders: ProjectFolders, stamp: str = STAMP) -> None:
    """Raise :class:`BuildRefused` unless replacing ``site_dir`` with a new site destroys nothing else.

    ``stamp`` says what is written: a site (:data:`STAMP`) or a Markdown tree
    (:data:`TREE_STAMP`); a folder may be replaced only by what it holds.
    """
    shown = display_path(site_dir)
    target = site_dir.resolve()
    if target == Path(target.anchor):
        raise BuildRefused(f"refusing to build into {shown}: it is a filesystem root; {_ELSEWHERE}")
    for folder, what, inside_ok in _refused(folders):
        if target == folder or target in folder.parents or (folder in target.parents and not inside_ok):
            relation = _relation(target, folder)
            named = "" if target == folder else f" {_shown(folder)},"
            raise BuildRefused(f"refusing to build into {shown}: it {relation}{named} {what}; {_ELSEWHERE}")
    for folder in (target, *target.parents):
        if folder.name in VCS_FOLDERS or _is_git_folder(folder):
            named = "" if target == folder else f" {_shown(folder)},"
            raise BuildRefused(f"refusing to build into {shown}: it {_relation(target, folder)}{named} a "
                               f"version-control folder; {_ELSEWHERE}")
    if target.exists() and not target.is_dir():
        raise BuildRefused(f"refusing to build into {shown}: it is a file, not a folder; {_ELSEWHERE}")
    entries = user_entries(target)
    held = sorted(entry.name for entry in entries if entry.name in VCS_FOLDERS)
    if held:
        raise BuildRefused(f"refusing to build into {shown}: it holds {held[0]}, a version-control folder (a "
                           f"checkout or worktree), which the build would delete; {_ELSEWHERE}")
    other = next((other for other in STAMP_TEXTS if other != stamp and (target / other).is_file()), None)
    if other is not None:
        raise BuildRefused(f"refusing to build into {shown}: it is {_WHAT[other]} ({other}), not "
                           f"{_WHAT[stamp]}; {_ELSEWHERE}")
    if entries and not (target / stamp).is_file():
        raise BuildRefused(
            f"refusing to build into {shown}: it holds files but no {stamp} stamp, so it is not {_BUILT[stamp]}; "
            f"choose another output folder with -d, or, if it is {_BUILT[stamp]} that an older factsheet wrote, "
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


def _is_git_folder(folder: Path) -> bool:
    """Whether ``folder`` is a git repository's own folder, whatever its name (a bare ``project.git``)."""
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()


def _relation(target: Path, folder: Path) -> str:
    if target == folder:
        return "is"
    return "contains" if target in folder.parents else "is inside"


def _shown(folder: Path) -> str:
    shown = display_path(folder)
    return str(folder) if shown == "." else shown


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Have ``fill`` write a new folder, then put it in ``target``'s place the way a build puts its site.

    The new folder is written beside ``target`` and exchanged with it in one
    rename; where ``target`` is a mount point, inside it, and then swapped
    entry by entry. If ``fill`` or the filesystem fails, ``target`` is as it
    was. Raises what ``fill`` raises, :class:`OSError`, or :class:`BuildFailed`
    when a failed swap could not be undone.
    """
    if os.path.ismount(target):
        _build_inside(target, fill)
    else:
        _build_beside(target, fill)


def _build_beside(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a work folder next to ``target`` and exchange the two folders in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}."
    _remove_stale(target.parent, prefix)
    with _work_folder(target.parent, prefix) as work:
        staging = work / "site"
        fill(staging)
        try:
            _swap_folder(staging, target, work / "old")
        except OSError as exc:
            if exc.errno not in _UNMOVABLE:
                raise
            # A mount point that ismount() cannot see (a folder bind-mounted
            # from the same filesystem): copy the site in, swap entry by entry.
            _build_inside(target, lambda inner: _copy_site(staging, inner))


def _build_inside(target: Path, fill: Callable[[Path], None]) -> None:
    """Write the site into a work folder inside ``target`` with ``fill``, then swap ``target``'s entries."""
    _remove_stale(target, _INNER)
    with _work_folder(target, _INNER) as work:
        fill(work / "site")
        _swap_contents(work / "site", target, work / "old")


def _copy_site(built: Path, staging: Path) -> None:
    shutil.copytree(built, staging, symlinks=True)


@contextmanager
def _work_folder(parent: Path, prefix: str) -> Iterator[Path]:
    """A new, locked work folder ``<prefix>building-<token>`` in ``parent``, removed at the end.

    It is made and locked under another name, then renamed, so that no other
    build ever finds it unlocked and takes it for the leftover of a killed one.
    """
    token = secrets.token_hex(8)
    preparing = parent / f"{prefix}{_PREPARING}{token}"
    work = parent / f"{prefix}{_BUILDING}{token}"
    preparing.mkdir()
    try:
        lock = os.open(preparing / _LOCK, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        preparing.rmdir()
        raise
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a new file: nobody else holds it
        preparing.rename(work)
        yield work
    finally:
        for folder in (work, preparing):
            _remove_work(folder)
        os.close(lock)


def _remove_work(folder: Path) -> None:
    """Delete a work folder, its lock file last: killed midway, it still reads as a killed build's."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name != _LOCK:
            shutil.rmtree(entry, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(parent: Path, prefix: str) -> None:
    """Delete the work folders in ``parent`` whose lock nobody holds: those of killed builds."""
    if not parent.is_dir():
        return
    for folder in parent.iterdir():
        if folder.name.startswith(prefix + _BUILDING) and folder.is_dir() and not folder.is_symlink():
            _remove_if_unlocked(folder)


def _remove_if_unlocked(folder: Path) -> None:
    try:
        # Read-write: over NFS an exclusive lock needs a file open for writing.
        lock = os.open(folder / _LOCK, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:
        # No lock file: not a work folder of ours, or one whose removal was
        # killed after its lock went; only the empty one may go.
        with contextlib.suppress(OSError):
            folder.rmdir()
        return
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # held by a live build
        _remove_work(folder)
    finally:
        os.close(lock)


def _swap_folder(staging: Path, target: Path, old: Path) -> None:
    """Put ``staging`` in ``target``'s place in one rename; on failure ``target`` is as it was."""
    journal = _Journal()
    try:
        journal.replace(staging, target, old)
    except OSError:
        journal.undo_or_fail(target)
        raise


def _swap_contents(new_root: Path, target: Path, trash: Path) -> None:
    """Replace the entries of ``target`` with those of ``new_root``, each in one atomic rename.

    For an output folder that cannot itself be renamed. While it runs a
    reader may find some entries old and some new, never a half-written one.
    Work folders of builds, and ``lost+found`` at a mount point, are left alone.
    """
    trash.mkdir()
    new = sorted(new_root.iterdir())
    names = {entry.name for entry in new}
    journal = _Journal()
    with _locked(target):  # two builds swapping one folder would mix their sites
        try:
            for entry in new:
                journal.replace(entry, target / entry.name, trash / entry.name)
            for entry in user_entries(target):
                if entry.name not in names:
                    journal.rename(entry, trash / entry.name)
        except OSError:
            journal.undo_or_fail(target)
            raise


class _Journal:
    """The renames made so far, so that a failure can put everything back."""

    def __init__(self) -> None:
        self._steps: list[tuple[Path, Path, bool]] = []

    def rename(self, source: Path, destination: Path) -> None:
        """Rename, remembering how to undo it."""
        source.rename(destination)
        self._steps.append((source, destination, False))

    def replace(self, new: Path, destination: Path, old: Path) -> None:
        """Put ``new`` at ``destination``; what was there ends up at ``new`` (exchanged) or ``old``."""
        if not os.path.lexists(destination):
            self.rename(new, destination)
        elif _exchange(new, destination):
            self._steps.append((new, destination, True))
        else:
            # No atomic exchange here: for a moment nothing is at destination,
            # but nothing half-written ever is.
            self.rename(destination, old)
            self.rename(new, destination)

    def undo_or_fail(self, target: Path) -> None:
        """Undo every step, newest first; raise :class:`BuildFailed` if that is not possible."""
        try:
            for a, b, exchanged in reversed(self._steps):
                if exchanged:
                    if not _exchange(a, b):
                        raise OSError(errno.ENOSYS, "cannot exchange back", str(a))
                else:
                    b.rename(a)
        except OSError as exc:
            raise BuildFailed(f"could not finish replacing the site in {display_path(target)}, nor undo it "
                              f"({os_reason(exc)}): some of its files may be from the new build; fix the cause "
                              "and build again") from exc
        self._steps.clear()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself while the block runs, where the filesystem allows."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        # NFS cannot lock a folder: there two builds at once may leave entries of both.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot.

    Any other failure raises :class:`OSError`, such as EBUSY when ``b`` is a
    mount point or EXDEV when the two are on different filesystems.
    """
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):  # an old kernel, or a filesystem without exchange
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def os_reason(exc: OSError) -> str:
    """What an :class:`OSError` says, with the file it concerns, for a message to the user."""
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"
