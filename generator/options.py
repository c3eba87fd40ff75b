"""The factsheet plugin's options in ``mkdocs.yml``, and what they give the core: folders and settings.

The plugin, ``factsheet check`` and ``factsheet render`` all read the project
this way, and hand the core (:mod:`generator.pipeline`) the same settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig

from .history import changed_days
from .output import Settings
from .outputdir import ProjectFolders, protected_folders
from .templatecache import CacheSettingError, cache_folder
from .vocabulary import count_vocabulary

_CONTACT = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)
# The folder of the site the generated pages go in: empty (the root), or names joined by "/".
_FOLDER = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)?$")


class OptionError(ValueError):
    """An option of the plugin has a value it cannot use; the message says which and why."""


class FactsheetConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    """Options under ``plugins: - factsheet:`` in ``mkdocs.yml``."""

    content_dir = c.Type(str, default="content")
    # The project's own templates, each of which replaces the package's template of that
    # name; a project without the folder uses the package's templates.
    templates_dir = c.Optional(c.Type(str))
    # The folder of the site that holds the generated pages (home, sheets, guide, downloads);
    # "" puts them at the site's root. The default leaves a site's own pages where they are.
    path = c.Type(str, default="sheets")
    # Material renders the whole sidebar into every page, so its cost grows
    # with pages x sidebar entries. Beyond this many sheets the sidebar lists
    # only the home page and the guide, and each sheet page links its sheet's
    # pages itself, which keeps build time linear in the number of pages.
    nav_sheets_limit = c.Type(int, default=10)
    # Kinds of count tallies may give besides the default ones (generator/vocabulary.py).
    counts = c.ListOfItems(c.Type(str), default=[])
    # Who compiles the sheets and where readers report an error: in every sheet page's footer.
    compiled_by = c.Optional(c.Type(str))
    contact = c.Optional(c.Type(str))
    # The licence of the site's text and data (the quoted passages stay their publishers'), and its page.
    licence = c.Optional(c.Type(str))
    licence_url = c.Optional(c.Type(str))


def site_folder(options: FactsheetConfig) -> str:
    """The folder of the site the generated pages go in ("" for its root); :class:`OptionError` if not one.

    Also checks the options whose values are addresses.
    """
    contact, licence_url = options.contact, options.licence_url
    if contact and not _CONTACT.match(contact):
        raise OptionError(f"factsheet: contact in mkdocs.yml must be an http, https or mailto URL "
                          f"(got {contact!r}); readers follow it to report an error")
    if licence_url and not _WEB.match(licence_url):
        raise OptionError(f"factsheet: licence_url in mkdocs.yml must be an http or https URL (got {licence_url!r})")
    prefix = str(options.path).strip("/")
    if not _FOLDER.match(prefix) or ".." in prefix.split("/"):
        raise OptionError(f"factsheet: path in mkdocs.yml must be a folder of the site, such as sheets or "
                          f"news/sheets, or \"\" for the site's root (got {options.path!r})")
    return prefix


def project_folders(config: MkDocsConfig, options: FactsheetConfig) -> ProjectFolders:
    """The project's files and folders: those of ``mkdocs.yml`` and of the plugin's options."""
    config_file = Path(config.config_file_path).resolve()
    root = config_file.parent
    custom_dir = config.theme.custom_dir
    return ProjectFolders(config_file, Path(config.docs_dir), Path(custom_dir) if custom_dir else None,
                          root / options.content_dir, root / (options.templates_dir or "templates"))


def counts(options: FactsheetConfig) -> frozenset[str]:
    """The kinds of count tallies may give: the default ones and those of the ``counts`` option."""
    return count_vocabulary(options.counts)


def settings(config: MkDocsConfig, options: FactsheetConfig) -> Settings:
    """What the output depends on besides the files it is made from: options, the site's name and URL, history.

    Raises :class:`OptionError` for an option the plugin cannot use, or a bad ``FACTSHEET_CACHE``.
    """
    folders = project_folders(config, options)
    try:
        cache = cache_folder([folders.config_file.parent, *(folder for folder, _ in protected_folders(folders))])
    except CacheSettingError as exc:
        raise OptionError(str(exc)) from None
    if options.templates_dir and not folders.templates_dir.is_dir():
        raise OptionError(f"factsheet: templates folder {folders.templates_dir} does not exist; create it, "
                          "or remove templates_dir from mkdocs.yml to use the package's templates")
    prefix = site_folder(options)
    # The feeds' links are absolute when the site's URL is known; the generated files are in their folder.
    base_url = urljoin(config.site_url, f"{prefix}/") if config.site_url and prefix else config.site_url
    return Settings(content_dir=str(folders.content_dir), templates_dir=str(folders.templates_dir),
                    counts=tuple(sorted(counts(options))), nav_sheets_limit=options.nav_sheets_limit,
                    compiled_by=options.compiled_by or "", contact=options.contact or "", author=config.site_name,
                    base_url=base_url, licence=options.licence or "", licence_url=options.licence_url or "",
                    history=tuple(sorted(changed_days(folders.content_dir).items())),
                    template_cache=str(cache) if cache else None)
