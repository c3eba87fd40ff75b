"""Build the site with MkDocs into a fresh folder, then swap it into place.

A build that fails for any reason leaves the previous site exactly as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from .plugin import FactsheetPlugin


class BuildRefused(Exception):
    """The build would write somewhere it must not."""


def check_output_dir(site_dir: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy the project."""
    target = site_dir.resolve()
    if target == Path(target.anchor):
        raise BuildRefused(f"refusing to build into {target}: it is a filesystem root")
    for path in (p.resolve() for p in protected):
        if target == path or target in path.parents:
            raise BuildRefused(f"refusing to build into {site_dir}: it would replace {path}")


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool = True) -> Path:
    """Build into a temporary folder beside the output folder, then swap it in.

    Returns the output folder. Raises whatever MkDocs or the plugin raise;
    in every such case the previous output folder is untouched.
    """
    config = load_config(str(config_file), strict=strict)
    # MkDocs validated its own site_dir; the build goes to a staging folder
    # instead, so the requested one is checked here, before anything is written.
    target = (site_dir or Path(config.site_dir)).resolve()
    plugin = config.plugins.get("factsheet")
    if not isinstance(plugin, FactsheetPlugin):
        raise BuildRefused(f"{config_file} does not enable the factsheet plugin (plugins: - factsheet)")
    check_output_dir(target, [config_file.resolve().parent, *plugin.folders(config)])
    staging = target.parent / f".{target.name}.building-{os.getpid()}"
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    config.site_dir = str(staging)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        config.plugins.on_shutdown()
    shutil.rmtree(retired, ignore_errors=True)
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
