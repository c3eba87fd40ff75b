"""Build the site with MkDocs into a staging folder, then swap it into place.

A build that fails for any reason, or is killed, leaves the previous site
exactly as it was: the new site is written beside it and exchanged with it
in one atomic rename.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from .plugin import FactsheetPlugin

# Files that show a folder holds a built site (ours or MkDocs'), so replacing
# it destroys nothing the user wrote.
_SITE_MARKERS = ("sitemap.xml", "search/search_index.json", "404.html")
_STAGING = ".{name}.building-{pid}"


class BuildRefused(Exception):
    """The build would write somewhere it must not."""


def check_output_dir(site_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    target = site_dir.resolve()
    if target == Path(target.anchor):
        raise BuildRefused(f"refusing to build into {target}: it is a filesystem root")
    for path in (p.resolve() for p in protected):
        if target == path or target in path.parents:
            raise BuildRefused(f"refusing to build into {site_dir}: it would replace {path}")
    if target.is_file():
        raise BuildRefused(f"refusing to build into {site_dir}: it is a file")
    if target.is_dir() and any(target.iterdir()) and not any((target / m).exists() for m in _SITE_MARKERS):
        raise BuildRefused(f"refusing to build into {site_dir}: it holds files that are not a built site; "
                           "empty it or choose another folder")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where unsupported."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def _swap_in(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
    elif _exchange(staging, target):
        shutil.rmtree(staging)  # now holds the previous site
    else:
        # Without an atomic exchange there is a moment with no site; still
        # nothing half-written is ever in place.
        retired = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired)


def _remove_stale_staging(target: Path) -> None:
    """Delete staging folders left by builds that were killed."""
    for stale in target.parent.glob(_STAGING.format(name=target.name, pid="*")):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build the site and swap it into ``site_dir`` (default: ``site_dir`` of mkdocs.yml).

    Returns the output folder. Raises whatever MkDocs or the plugin raise; in
    every such case the previous output folder is untouched.
    """
    config = load_config(str(config_file), strict=strict)
    # MkDocs validated its own site_dir; the build goes to a staging folder
    # instead, so the requested one is checked here, before anything is written.
    target = (site_dir or Path(config.site_dir)).resolve()
    plugin = config.plugins.get("factsheet")
    if not isinstance(plugin, FactsheetPlugin):
        raise BuildRefused(f"{config_file} does not enable the factsheet plugin (plugins: - factsheet)")
    check_output_dir(target, [config_file.resolve().parent, *plugin.folders(config)])
    _remove_stale_staging(target)
    staging = target.parent / _STAGING.format(name=target.name, pid=os.getpid())
    shutil.rmtree(staging, ignore_errors=True)
    config.site_dir = str(staging)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        config.plugins.on_shutdown()
    return target


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
