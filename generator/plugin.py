"""The MkDocs plugin: adds the generated fact-sheet pages to a build or serve.

``mkdocs build`` and ``mkdocs serve`` work unchanged; the ``factsheet`` CLI
is a friendlier wrapper around the same plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .checks import load_project
from .errors import DataError
from .render import PAGE_TITLES, SHEET_PAGES, entity_page, render_project
from .sheet import Project


class FactsheetConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    """Options under ``plugins: - factsheet:`` in ``mkdocs.yml``."""

    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")


def project_nav(project: Project) -> list[Any]:
    """Sidebar navigation: the home page, then each sheet's pages.

    Per-actor pages are left out: listing every entity page in the sidebar
    makes Material's build time grow roughly quadratically with page count.
    """
    nav: list[Any] = [{"Home": "index.md"}]
    for sheet in project.sheets:
        nav.append({sheet.info.title: [{PAGE_TITLES[page]: f"{sheet.id}/{page}"} for page in SHEET_PAGES]})
    return nav


class FactsheetPlugin(BasePlugin[FactsheetConfig]):  # type: ignore[no-untyped-call]
    """Loads and checks the facts, renders them, and hands MkDocs the pages."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.watched: list[Path] = []

    def folders(self, config: MkDocsConfig) -> tuple[Path, Path]:
        """The content and templates folders, relative to ``mkdocs.yml``."""
        root = Path(config.config_file_path).resolve().parent
        return root / self.config.content_dir, root / self.config.templates_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read and check every sheet, render it, and set the navigation."""
        content_dir, templates_dir = self.folders(config)
        self.watched = [content_dir, templates_dir]
        if not templates_dir.is_dir():
            raise PluginError(f"factsheet: templates folder {templates_dir} does not exist")
        try:
            project = load_project(content_dir)
            self.pages = render_project(project, templates_dir)
        except DataError as exc:
            raise PluginError(str(exc)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise PluginError(f"{exc.filename}:{exc.lineno}: template error: {exc.message}") from None
        except (jinja2.TemplateError, TypeError, ValueError) as exc:
            raise PluginError(f"template error: {exc}") from None
        if config.nav is None:
            config.nav = project_nav(project)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page with the same path is an error."""
        for path, markdown in self.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"factsheet: {config.docs_dir}/{path} would hide a generated page; rename it")
            inclusion = InclusionLevel.NOT_IN_NAV if entity_page(path) else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=markdown, inclusion=inclusion))
        return files

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a fact file or a template changes."""
        for folder in self.watched:
            if folder.is_dir():
                server.watch(str(folder))
        return server
