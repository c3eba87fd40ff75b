"""Run MkDocs for ``factsheet build`` and ``factsheet serve``, and read a project's configuration.

A build runs MkDocs into a work folder that :mod:`generator.outputdir` swaps
into place, so that a failed or killed build leaves the previous site as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .errors import DataError, Diagnostic, TemplateFailure
from .navigation import under
from .options import OptionError, counts, project_folders, settings, site_folder
from .outputdir import (
    BuildError,
    BuildFailed,
    BuildRefused,
    ProjectFolders,
    check_output_dir,
    os_reason,
    replace_folder,
)
from .paths import display_path
from .pipeline import PIPELINE
from .plugin import FactsheetPlugin
from .reproducible import EpochError, given_epoch
from .templatecache import CacheSettingError, given_switch

__all__ = ["BuildError", "BuildFailed", "BuildRefused", "ConfigError", "build_loaded", "build_site",
           "check_facts", "configure_logging", "generated_files", "load_project_config",
           "project_settings", "serve_site"]


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
    return project_folders(config, plugin.config), counts(plugin.config)


def check_facts(config: MkDocsConfig, plugin: FactsheetPlugin,
                progress: Callable[[int, int, str], None] | None = None) -> tuple[int, tuple[Diagnostic, ...]]:
    """Read and check every sheet as a build would: how many there are, and their warnings.

    ``config`` and ``plugin`` are ``mkdocs.yml`` as :func:`load_project_config` read it, so
    that a command reads it once. Raises :class:`~generator.errors.DataError` listing every
    problem of the facts.
    """
    project = PIPELINE.load(project_folders(config, plugin.config).content_dir, counts(plugin.config), progress)
    return len(project.sheets), tuple(project.warnings)


def generated_files(config_file: Path) -> dict[str, str]:
    """What the plugin adds to a build, by site path: each generated page's Markdown and each download.

    The same settings and the same call into the core as the plugin's, so that
    ``factsheet render`` writes exactly what MkDocs is given. Raises
    :class:`BuildError` on configuration, data or template errors.
    """
    config, plugin = load_project_config(config_file)
    try:
        prefix = site_folder(plugin.config)
        output = PIPELINE.output(settings(config, plugin.config))
    except (OptionError, DataError, TemplateFailure) as exc:
        raise BuildError(str(exc)) from None
    return {under(prefix, local): text for local, text in {**output.pages, **output.files}.items()}


def serve_site(config_file: Path, dev_addr: str, *, open_browser: bool = False) -> None:
    """Preview the site with MkDocs' live-reloading server until interrupted.

    Raises :class:`BuildError` for what MkDocs refuses, and :class:`OSError`
    when the address cannot be listened on.
    """
    # Imported here: the preview server's modules (watchdog among them) cost every build otherwise.
    from mkdocs.commands.serve import serve as mkdocs_serve

    _check_environment()

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
    return build_loaded(*load_project_config(config_file, strict=strict), site_dir=site_dir)


def build_loaded(config: MkDocsConfig, plugin: FactsheetPlugin, *, site_dir: Path | None = None) -> Path:
    """:func:`build_site` from a configuration already loaded (:func:`load_project_config`), strict or not."""
    _check_environment()
    try:
        site_folder(plugin.config)
    except OptionError as exc:
        raise BuildError(str(exc)) from None
    requested = site_dir or Path(config.site_dir)
    # MkDocs validated its own site_dir; the build goes to a work folder
    # instead, so the requested one is checked here, before anything is written.
    check_output_dir(requested, project_folders(config, plugin.config))
    target = requested.resolve()
    try:
        replace_folder(target, lambda staging: _run_mkdocs(config, staging))
    except MkDocsException as exc:
        raise BuildError(str(exc)) from None
    except OSError as exc:
        raise BuildFailed(f"could not write the site into {display_path(requested)}: {os_reason(exc)}; "
                          "the previous site is unchanged") from exc
    return target


def _check_environment() -> None:
    """:class:`BuildError` for an environment variable the build cannot use.

    Said here in one line; raised from the plugin, MkDocs would add "Aborted with a BuildError!".
    """
    try:
        given_epoch()
        given_switch()
    except (EpochError, CacheSettingError) as exc:
        raise BuildError(str(exc)) from None


def _run_mkdocs(config: MkDocsConfig, staging: Path) -> None:
    config.site_dir = str(staging)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


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
