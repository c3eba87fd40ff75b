"""Build the site with MkDocs into a work folder, then swap it into place.

A build that fails for any reason, or is killed, leaves the previous site
exactly as it was: the new site is written beside it and exchanged with it
in one atomic rename. An output folder that cannot be renamed (a mount point,
such as a container volume) gets the new site written inside it instead, in a
hidden work folder, and its entries are then swapped one atomic rename at a
time; if a rename fails, those already done are undone.

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
import logging
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import Files

from .paths import display_path
from .plugin import FactsheetPlugin
from .sitedir import BuildError, BuildRefused, ProjectFolders, check_output_dir, user_entries

__all__ = ["BuildError", "BuildFailed", "BuildRefused", "ConfigError", "build_site", "configure_logging",
           "generated_files", "load_project_config", "project_settings", "replace_folder",
           "serve_site"]

# Work folders are "<prefix>building-<token>": prefix ".site." beside the
# output folder "site", ".factsheet-" inside an output folder that is a mount
# point (see sitedir.INNER_WORK_PREFIXES). Each holds the lock file and "site".
_BUILDING = "building-"
_PREPARING = "preparing-"
_INNER = ".factsheet-"
_LOCK = "lock"
# What rename(2) says when a folder cannot be renamed: it is a mount point
# (EBUSY), or on another filesystem than its parent (EXDEV).
_UNMOVABLE = (errno.EBUSY, errno.EXDEV)
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


class BuildFailed(BuildError):
    """The new site could not be written or put in place."""


class ConfigError(BuildError):
    """The configuration cannot be read, or does not enable the plugin."""


def load_project_config(config_file: Path, *, strict: bool = False) -> tuple[MkDocsConfig, FactsheetPlugin]:
    """``mkdocs.yml`` read and validated, and the factsheet plugin it enables; :class:`ConfigError` if not."""
    if not config_file.is_file():
        raise ConfigError(f"no {config_file} here; run factsheet from the project folder or pass -f")
    try:
        config = load_config(str(config_file), strict=strict)
    except MkDocsException as exc:
        raise ConfigError(f"{config_file}: {exc}") from None
    plugin = config.plugins.get("factsheet")
    if not isinstance(plugin, FactsheetPlugin):
        raise ConfigError(f"{config_file} does not enable the factsheet plugin (plugins: - factsheet)")
    return config, plugin


def project_settings(config_file: Path) -> tuple[ProjectFolders, frozenset[str]]:
    """The project's folders, and the kinds of count its tallies may give, as ``mkdocs.yml`` sets them."""
    config, plugin = load_project_config(config_file)
    return plugin.folders(config), plugin.count_vocabulary()


def generated_files(config: MkDocsConfig, plugin: FactsheetPlugin) -> dict[str, str]:
    """What the plugin adds to a build, by path: each generated page's Markdown and each download.

    Runs a build's first hooks, up to the files, rather than repeating what
    the plugin does, so that ``factsheet render`` writes exactly what MkDocs
    is given. Raises :class:`BuildError` on data or template errors.
    """
    name = next(key for key, value in config.plugins.items() if value is plugin)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(Files([]), config=config)
    except MkDocsException as exc:
        raise BuildError(str(exc)) from None
    finally:
        config.plugins.on_shutdown()  # the plugin puts back the SOURCE_DATE_EPOCH it set
    return {file.src_uri: file.content_string for file in files if file.generated_by == name}


def serve_site(config_file: Path, dev_addr: str, *, open_browser: bool = False) -> None:
    """Preview the site with MkDocs' live-reloading server until interrupted.

    Raises :class:`BuildError` for what MkDocs refuses, and :class:`OSError`
    when the address cannot be listened on.
    """
    # Imported here: the preview server's modules (watchdog among them) cost every build otherwise.
    from mkdocs.commands.serve import serve as mkdocs_serve

    quiet = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet)
    try:
        # Dirty builds: the plugin tells MkDocs which files changed (generator/preview.py).
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty",
                     open_in_browser=open_browser)
    except MkDocsException as exc:
        raise BuildError(str(exc)) from None
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet)


class _DirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave navigation stale: the plugin sees to it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build the site and swap it into ``site_dir`` (default: ``site_dir`` of mkdocs.yml).

    Returns the output folder. Raises :class:`BuildRefused` before writing
    anything if the output folder must not be replaced, :class:`BuildFailed`
    if the filesystem refuses a write, and whatever MkDocs or the plugin
    raise; in every case the previous output folder is left as it was
    (unless a :class:`BuildFailed` says otherwise).
    """
    config, plugin = load_project_config(config_file, strict=strict)
    requested = site_dir or Path(config.site_dir)
    # MkDocs validated its own site_dir; the build goes to a work folder
    # instead, so the requested one is checked here, before anything is written.
    check_output_dir(requested, plugin.folders(config))
    target = requested.resolve()
    try:
        replace_folder(target, lambda staging: _run_mkdocs(config, staging))
    except MkDocsException as exc:
        raise BuildError(str(exc)) from None
    except OSError as exc:
        raise BuildFailed(f"could not write the site into {display_path(requested)}: {_reason(exc)}; "
                          "the previous site is unchanged") from exc
    return target


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


def _run_mkdocs(config: MkDocsConfig, staging: Path) -> None:
    config.site_dir = str(staging)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


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
                              f"({_reason(exc)}): some of its files may be from the new build; fix the cause "
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


def _reason(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"


def configure_logging(verbose: bool = False) -> None:
    """Show MkDocs' warnings and errors the way ``mkdocs build`` does."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_factsheet", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._factsheet = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
