"""The MkDocs plugin: adds the generated fact-sheet pages to a build or serve.

``mkdocs build`` and ``mkdocs serve`` work unchanged; the ``factsheet`` CLI
is a friendlier wrapper around the same plugin.
"""

from __future__ import annotations

import calendar
import functools
import gc
import html
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin

import click
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .bytecode import template_cache
from .dates import long_date
from .docgen import CommandDoc, cli_reference
from .errors import DataError
from .export import json_ld
from .pipeline import PIPELINE
from .preview import PreviewState, SearchEntry, site_key, text_key
from .registry import PAGE_BY_NAME, PAGES, url
from .render import GUIDE_PAGES, TemplateFailure
from .sheet import Project, Sheet
from .sitedir import BuildRefused, ProjectFolders, check_output_dir, write_stamp
from .unexpected import describe
from .vocabulary import count_vocabulary

if TYPE_CHECKING:  # the preview server's module is imported by MkDocs when it serves, not for a build
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)


_CONTACT = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)


class FactsheetConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs leaves it untyped
    """Options under ``plugins: - factsheet:`` in ``mkdocs.yml``."""

    content_dir = c.Type(str, default="content")
    templates_dir = c.Type(str, default="templates")
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


def project_nav(project: Project, sheets_limit: int = 10) -> list[Any]:
    """Navigation in tabs: the home page, the sheets, and the editors' guide.

    The sheets' tab holds each sheet's pages (up to ``sheets_limit`` sheets); the guide is a
    tab of its own, so readers never meet it in their sidebar. The home page stays at the top
    level, where MkDocs and the theme know it as the home page (the logo links to it).

    Per-actor pages are left out: listing every entity page in the sidebar
    makes Material's build time grow roughly quadratically with page count.
    """
    # Themes print nav titles as HTML, unescaped: escape fact text here.
    sheets = [{html.escape(sheet.info.title): [{page.title: f"{sheet.id}/{page.path}"}
                                               for page in PAGES if page.in_sidebar]}
              for sheet in (project.sheets if len(project.sheets) <= sheets_limit else ())]
    guide = [{"Writing a sheet": "guide/authoring.md"}]
    guide += [{title: path} for path, (_, title) in GUIDE_PAGES.items()]
    return [{"Home": "index.md"}, *([{"Fact sheets": sheets}] if sheets else []), {"Guide for editors": guide}]


def _nav_paths(nav: Any) -> Iterator[str]:
    """Every page path in a nav structure."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


class _Generated(File):
    """A generated file; a dirty preview build writes it again only when its key changed.

    Its output is there when it is unchanged: the last good build wrote it, and only a
    good build removes what it no longer generates.
    """

    unchanged = False

    def is_modified(self) -> bool:
        """Whether a dirty build must write it (MkDocs asks several times per build)."""
        return not self.unchanged


def _collect_when_idle() -> None:
    """Collect the garbage of past preview builds a moment after this one, while the preview is idle.

    What is left then (sheets, pages, search entries) lives until the next build: frozen, it
    is out of the way of the collector's passes during that build, which would otherwise walk
    it all, as long as the site is large.
    """
    def collect() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    timer = threading.Timer(1.0, collect)
    timer.daemon = True
    timer.start()


def _search_plugin(config: MkDocsConfig) -> Any:
    """The search plugin (Material's has no types), if the site has search."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index being built, if the site has search."""
    return getattr(_search_plugin(config), "search_index", None)


class FactsheetPlugin(BasePlugin[FactsheetConfig]):  # type: ignore[no-untyped-call]
    """Loads and checks the facts, renders them, and hands MkDocs the pages."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.nav: list[Any] = []
        self.sheet_links: list[dict[str, str]] = []
        self.project = Project(())
        self.sheet_by_id: dict[str, Sheet] = {}
        self.epoch = "0"
        self.watched: list[Path] = []
        self.serving = False
        self._set_epoch = False
        self._saved_epoch: str | None = None
        # Preview builds (see generator.preview): the last good build, and this build's progress.
        self.preview = PreviewState()
        self._site_key = ""
        self._keys: dict[str, str] = {}
        self._texts: dict[str, tuple[str, str]] = {}
        self._page_order: list[str] = []
        self._written: dict[str, list[SearchEntry]] = {}
        self._indexed = 0

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is a preview server.

        Defining this hook makes MkDocs keep one plugin instance for a whole
        ``serve`` session, which is what lets it keep the last good pages.
        """
        self.serving = command == "serve"

    def folders(self, config: MkDocsConfig) -> ProjectFolders:
        """The project's files and folders: those of ``mkdocs.yml`` and this plugin's options."""
        config_file = Path(config.config_file_path).resolve()
        root = config_file.parent
        custom_dir = config.theme.custom_dir
        return ProjectFolders(config_file, Path(config.docs_dir), Path(custom_dir) if custom_dir else None,
                              root / self.config.content_dir, root / self.config.templates_dir)

    def count_vocabulary(self) -> frozenset[str]:
        """The kinds of count tallies may give: the default ones and those of the ``counts`` option."""
        return count_vocabulary(self.config.counts)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read and check every sheet, render it, and set the navigation.

        First, refuse an output folder whose replacement would destroy files: before
        anything is written (compiled templates are kept in the project's cache folder)
        and before MkDocs empties it. ``factsheet build`` checks its output folder itself
        and gives MkDocs a new work folder; this protects a plain ``mkdocs build``. The
        preview server builds in a temporary folder of its own.
        """
        contact = self.config.contact
        if contact and not _CONTACT.match(contact):
            raise PluginError(f"factsheet: contact in mkdocs.yml must be an http, https or mailto URL "
                              f"(got {contact!r}); readers follow it to report an error")
        folders = self.folders(config)
        if not self.serving:
            try:
                check_output_dir(Path(config.site_dir), folders)
            except BuildRefused as exc:
                raise PluginError(f"factsheet: {exc}") from None
        content_dir, templates_dir = folders.content_dir, folders.templates_dir
        self.watched = [content_dir, templates_dir]
        try:
            self._load(content_dir, templates_dir, folders.config_file.parent)
        except PluginError as exc:
            if not (self.serving and self.pages):
                raise
            # While previewing, a bad save must not take the site away: show
            # the problems and keep serving the last good pages.
            log.error(_STILL_SERVING, exc)
        if config.nav is None:
            config.nav = self.nav
        config.extra["factsheet_sheets"] = self.sheet_links
        if self.serving:
            # The navigation is on every page; so are mkdocs.yml, the theme overrides and docs/.
            settings = {"nav": config.nav, "config": Path(config.config_file_path or "").read_text(encoding="utf-8")
                        if config.config_file_path else ""}
            self._site_key = site_key(settings, [templates_dir, Path(config.docs_dir),
                                                 *(Path(d) for d in [config.theme.custom_dir] if d)])
            self._written, self._indexed = {}, 0
        # Dates MkDocs writes (sitemap, gzip headers) come from the content,
        # not the clock, so the same input gives the same bytes.
        given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not given:
            self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch
            self._set_epoch = True
        elif not (given.isdigit() and int(given) <= _EPOCH_RANGE[1]):
            raise PluginError(f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to {_EPOCH_RANGE[1]} "
                              f"(got {given!r}); unset it to date the build by its newest source")
        return config

    def _load(self, content_dir: Path, templates_dir: Path, project_folder: Path) -> None:
        if not templates_dir.is_dir():
            raise PluginError(f"factsheet: templates folder {templates_dir} does not exist")
        try:
            project = PIPELINE.load(content_dir, self.count_vocabulary())
            pages = PIPELINE.render(project, templates_dir, _commands(), project_folder)
        except (DataError, TemplateFailure) as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:
            # A bug of ours: one line for the user, the traceback for --verbose.
            log.debug("factsheet failed", exc_info=exc)
            raise PluginError(describe(exc, "the build")) from None
        log.debug("rendered %d of %d sheets; the others were unchanged", PIPELINE.rendered_sheets,
                  len(project.sheets))
        if project.warnings:
            # Info, not warning: `mkdocs build --strict` fails on any warning,
            # and these must not stop a build. `factsheet check` lists them.
            log.info("factsheet: %d warning(s) in the facts; run `factsheet check` to see them",
                     len(project.warnings))
        self.pages = pages
        self.project = project
        self.sheet_by_id = {sheet.id: sheet for sheet in project.sheets}
        self.nav = project_nav(project, self.config.nav_sheets_limit)
        overview = url(PAGE_BY_NAME["overview"].path)
        self.sheet_links = [{"title": s.info.title, "url": f"{s.id}/{overview}"} for s in project.sheets]
        self.epoch = content_epoch(project)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and downloads; a hand-written file with the same path is an error."""
        generated = {**self.pages, **PIPELINE.files(self.project, config.site_name, config.site_url)}
        in_nav = set(_nav_paths(config.nav))
        sheet_keys = {sheet.id: self._sheet_key(sheet) for sheet in self.project.sheets} if self.serving else {}
        self._keys, self._texts = {}, {}
        for path, text in generated.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"factsheet: {config.docs_dir}/{path} would hide a generated file; rename it")
            listed = not path.endswith(".md") or path in in_nav
            inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
            file = cast(_Generated, _Generated.generated(config, path, content=text, inclusion=inclusion))
            if self.serving:
                context = sheet_keys.get(path.split("/", 1)[0], "")
                key = self.preview.key(path, text, context)
                file.unchanged = self.preview.unchanged(self._site_key, path, key)
                self._keys[path] = key
                self._texts[path] = (text, context)
            files.append(file)
        if self.serving and self._site_key != self.preview.site:
            # Pages from docs/ are written again only when newer than their output: so that their
            # navigation and theme follow the change, remove the output.
            for page in files.documentation_pages():
                if not isinstance(page, _Generated) and os.path.isfile(page.abs_dest_path):
                    os.remove(page.abs_dest_path)
        return files

    def _sheet_key(self, sheet: Sheet) -> str:
        """What the theme adds to each page of ``sheet`` from the sheet itself, as a key."""
        return text_key(json.dumps([json_ld(sheet, str), self._footer(sheet)], sort_keys=True, default=str))

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Keep the theme's compiled templates between runs; note the order of the pages.

        The pages' order is that of their entries in the search index.
        """
        env.bytecode_cache = template_cache(self.folders(config).config_file.parent, "theme", env)
        self._page_order = [file.url for file in files.documentation_pages()]
        return env

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """While previewing, keep the search entries the search plugin just made for this page."""
        if self.serving and (index := _search_index(config)) is not None:
            self._written[page.url] = index.entries[self._indexed:]
            self._indexed = len(index.entries)
        return context

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Stamp the site as ours, so that the next build may replace it; leave the environment as found.

        While previewing, also complete the search index with the entries of the pages this
        build did not write, remove what the last good build wrote and this one no longer
        generates, and remember this build as the last good one.
        """
        write_stamp(Path(config.site_dir))
        self._restore_epoch()
        if not self.serving:
            return
        entries = self.preview.entries_after(self._page_order, self._written)
        index = _search_index(config)
        if index is not None:
            index.entries = [entry for page in entries.values() for entry in page]
            # The search plugin merges a dirty build's entries into the last index by itself,
            # assuming one page was written: ours is complete already.
            _search_plugin(config).search_index_prev = None
        for gone in set(self.preview.keys) - set(self._keys):
            target = Path(config.site_dir) / File(gone, None, config.site_dir, config.use_directory_urls).dest_uri
            target.unlink(missing_ok=True)
        self.preview = PreviewState(self._site_key, self._keys, entries, self._texts)
        _collect_when_idle()

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give each page of a sheet its structured data (JSON-LD), printed by the theme override."""
        sheet = self.sheet_by_id.get(page.file.src_uri.split("/", 1)[0])
        if sheet is not None and page.file.src_uri in self.pages:
            depth = page.file.src_uri.count("/")
            site_url = config.site_url

            def absolute(path: str) -> str:
                return urljoin(site_url, path) if site_url else "../" * depth + path

            page.meta["factsheet_jsonld"] = json_ld(sheet, absolute)
            page.meta["factsheet_footer"] = self._footer(sheet)
            page.meta["factsheet_print_header"] = css_string(f"{sheet.info.title} · {_sources_line(sheet)}")
        return markdown

    def _footer(self, sheet: Sheet) -> dict[str, str]:
        """What every page of a sheet says of its making: who compiled it, from what, when, whom to tell of an error."""
        changed = sheet.last_changed
        return {"compiled_by": self.config.compiled_by or "", "contact": self.config.contact or "",
                "sources": _sources_line(sheet), "changed": long_date(changed) if changed else ""}

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Escape the titles of generated pages.

        MkDocs takes a page's title from its first heading as plain text and
        themes print it unescaped (in ``<title>``, breadcrumbs, search), so a
        name such as ``</title><script>`` would become markup.
        """
        if page.file.src_uri in self.pages and "title" not in page.meta and page.title is not None:
            # The heading's text still holds the numeric references that made
            # it literal in Markdown (``&#38;``): decode them, then escape once.
            page.meta["title"] = html.escape(html.unescape(page.title))
        return html_text

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a fact file or a template changes."""
        for folder in self.watched:
            if folder.is_dir():
                server.watch(str(folder))
        server.builder = _keep_serving(server.builder)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        """Leave the environment as it was found."""
        self._restore_epoch()

    def on_shutdown(self) -> None:
        """Leave the environment as it was found, also when a caller ran the hooks but built nothing."""
        self._restore_epoch()

    def _restore_epoch(self) -> None:
        if self._set_epoch:
            if self._saved_epoch is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch
            self._set_epoch = False


# What the preview says after a failed rebuild, whichever stage failed.
_STILL_SERVING = "%s\nStill serving the last good version; save a fixed file to rebuild."
# gzip headers (sitemap.xml.gz) hold the time as an unsigned 32-bit number.
_EPOCH_RANGE = (0, 2**32 - 1)


@functools.cache
def _commands() -> list[CommandDoc]:
    """The ``factsheet`` commands, for the guide's command-line page.

    The command line sits above this plugin (it runs builds through it), so
    the plugin finds it the way MkDocs finds the plugin: by the package's
    entry point, not by an import that would close a circle.
    """
    (script,) = entry_points(group="console_scripts", name="factsheet")
    group = script.load()
    if not isinstance(group, click.Group):
        raise TypeError(f"the factsheet entry point is {type(group).__name__}, not a click group")
    return cli_reference(group)


def _keep_serving(builder: Callable[[], None]) -> Callable[[], None]:
    """Wrap the preview server's rebuild so that nothing it raises stops or sticks the preview.

    Our own stages already keep the last good pages (see ``on_config``); this
    catches the rest (MkDocs, the theme, Markdown extensions) with one line
    instead of a traceback, and the server goes on serving what it has.
    """
    def rebuild() -> None:
        try:
            builder()
        except Exception as exc:
            log.debug("rebuild failed", exc_info=exc)
            message = str(exc) if isinstance(exc, MkDocsException) else describe(exc, "the rebuild")
            log.error(_STILL_SERVING, message)

    return rebuild


def _sources_line(sheet: Sheet) -> str:
    """The reports a sheet draws on, in a few words: the one report's outlets and day, or how many."""
    if len(sheet.sources) == 1:
        source = sheet.sources[0]
        return f"from {' / '.join(source.publishers)}, {source.publication.display()}"
    return f"from {len(sheet.sources)} reports ({sheet.stories} independent)"


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string; every character but letters, digits and spaces hex-escaped.

    Each escape ends in a space, which CSS takes as the escape's end, so the text's own spaces stay.
    """
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x} "
                         for ch in text) + '"'


def content_epoch(project: Project) -> str:
    """Midnight UTC of the day the newest sheet last changed (:attr:`Sheet.last_changed`), as Unix seconds.

    Clamped to what a gzip header can hold (1970 to 2106): a sheet about an
    older event still builds, and still reproducibly, dated 1 January 1970.
    """
    dates = [sheet.last_changed for sheet in project.sheets if sheet.last_changed is not None]
    if not dates:
        return "0"
    low, high = _EPOCH_RANGE
    return str(min(max(calendar.timegm(max(dates).timetuple()), low), high))
