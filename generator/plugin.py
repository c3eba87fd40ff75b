"""The MkDocs plugin: adds the generated fact-sheet pages to a build or serve.

``mkdocs build`` and ``mkdocs serve`` work unchanged; the ``factsheet`` CLI is a
friendlier wrapper around the same plugin. Each hook hands its work to the
module whose job it is: the options (:mod:`generator.options`), the core
(:mod:`generator.pipeline`), the output folder (:mod:`generator.outputdir`),
reproducible dates (:mod:`generator.reproducible`), the preview's rebuilds
(:mod:`generator.preview`) and what the theme shows of a sheet
(:mod:`generator.pagecontext`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .collector import set_aside, take_back
from .errors import DataError, TemplateFailure
from .navigation import HOME, nav_paths, site_nav, under
from .options import FactsheetConfig, OptionError, project_folders, settings, site_folder
from .output import Settings, SiteOutput
from .outputdir import BuildRefused, check_output_dir, write_stamp
from .pagecontext import (
    NEEDED_EXTENSIONS,
    escaped_title,
    page_meta,
    search_titles,
    sheet_menu,
    sheet_of,
    unrendered,
)
from .pipeline import PIPELINE
from .preview import STILL_SERVING, GeneratedFile, Preview, keep_serving, text_key, watched
from .reproducible import BuildEpoch, EpochError
from .shipped import PACKAGE_THEME, SEARCH_SHIM, STYLESHEET
from .unexpected import describe

if TYPE_CHECKING:  # the preview server's module is imported by MkDocs when it serves, not for a build
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)
__all__ = ["NEEDED_EXTENSIONS", "FactsheetConfig", "FactsheetPlugin"]


def _search_plugin(config: MkDocsConfig) -> Any:
    """The search plugin (Material's has no types), if the site has search.

    Its ``search_index.entries`` is changed in place: tests/test_preview.py pins the
    Material versions that keep it there (see ``mkdocs-material`` in pyproject.toml).
    """
    return config.plugins.get("material/search") or config.plugins.get("search")


class FactsheetPlugin(BasePlugin[FactsheetConfig]):  # type: ignore[no-untyped-call]
    """Loads and checks the facts, renders them, and hands MkDocs the pages."""

    def __init__(self) -> None:
        self.output = SiteOutput({}, {}, [], [], "0", {}, ())
        self.serving = False
        self.preview = Preview()
        self.epoch = BuildEpoch()
        self._prefix = ""
        self._user_nav: list[Any] | None = None
        self._files = Files([])
        self._indexed = 0
        self._lit: Page | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is a preview server.

        Defining this hook makes MkDocs keep one plugin instance for a whole
        ``serve`` session, which is what lets it keep the last good pages.
        """
        self.serving = command == "serve"

    @event_priority(100)  # before Material's offline plugin, which would fetch the search shim from a CDN
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Equip the site for the generated pages, then read, check and render every sheet.

        First, refuse an output folder whose replacement would destroy files, before
        anything is written and before MkDocs empties it. ``factsheet build`` checks its
        output folder itself and gives MkDocs a new work folder; this protects a plain
        ``mkdocs build``. The preview server builds in a temporary folder of its own.
        """
        try:
            self._prefix = site_folder(self.config)
            given = settings(config, self.config)
        except OptionError as exc:
            raise PluginError(str(exc)) from None
        if not self.config.contact:
            # A published site (one with an address) must let readers report an error: a warning there,
            # which fails a strict build; a local build or preview only says so.
            log.log(logging.WARNING if config.site_url else logging.INFO,
                    "factsheet: no contact in mkdocs.yml: readers of the sheets have no way to report an error; "
                    "set the factsheet plugin's contact to an http, https or mailto URL")
        _equip(config)
        folders = project_folders(config, self.config)
        if not self.serving:
            try:
                check_output_dir(Path(config.site_dir), folders)
            except BuildRefused as exc:
                raise PluginError(f"factsheet: {exc}") from None
        try:
            self._load(given)
        except PluginError as exc:
            if not (self.serving and self.output.pages):
                raise
            # While previewing, a bad save must not take the site away: show
            # the problems and keep serving the last good pages.
            log.error(STILL_SERVING, exc)
        self._indexed = 0  # entries of the search index seen so far, this build
        # The site's own nav, if any; the generated pages are added to it once the site's files are known.
        self._user_nav = config.nav
        config.extra["factsheet_sheets"] = [{**link, "url": under(self._prefix, link["url"])}
                                            for link in self.output.sheet_links]
        if self.serving:
            self.preview.begin(config, self.output.nav, self._prefix,
                               [folders.templates_dir, folders.docs_dir, *filter(None, [folders.custom_dir])])
        try:
            # Dates MkDocs writes (sitemap, gzip headers) come from the content, not the clock.
            self.epoch.begin(self.output.epoch)
        except EpochError as exc:
            raise PluginError(str(exc)) from None
        if not self.serving:  # the preview sets aside what it keeps between its builds (generator/preview.py)
            set_aside()
        return config

    def _load(self, given: Settings) -> None:
        try:
            output = PIPELINE.output(given)
        except (DataError, TemplateFailure) as exc:
            raise PluginError(str(exc)) from None
        except Exception as exc:
            # A bug of ours: one line for the user, the traceback for --verbose.
            log.debug("factsheet failed", exc_info=exc)
            raise PluginError(describe(exc, "the build")) from None
        if output.warnings:
            # Info, not warning: `mkdocs build --strict` fails on any warning,
            # and these must not stop a build. `factsheet check` lists them.
            log.info("factsheet: %d warning(s) in the facts; run `factsheet check` to see them",
                     len(output.warnings))
        self.output = output

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the generated pages and downloads, and place them in the navigation.

        A hand-written file with the path of a generated one is an error, but for the
        site's own ``index.md`` when the generated pages are at the root: it stays the
        home page, and the generated home page is left out.
        """
        generated = {**self.output.pages, **self.output.files}
        own_pages = [page.src_uri for page in files.documentation_pages()]
        config.nav = site_nav(self.output.nav, self._prefix, self._user_nav, own_pages)
        in_nav = set(nav_paths(config.nav))
        # Each page of a sheet shows what the theme adds from the sheet: part of its key in the preview.
        contexts = {sheet: text_key(repr(meta)) for sheet, meta in self.output.sheets.items()} if self.serving else {}
        for local, text in generated.items():
            path = under(self._prefix, local)
            if files.get_file_from_path(path) is not None:
                if path == HOME:
                    log.info("factsheet: the site's own %s is the home page; the list of sheets is in the "
                             "navigation", HOME)
                    continue
                raise PluginError(f"factsheet: {config.docs_dir}/{path} would hide a generated file; rename it, "
                                  "or set the factsheet plugin's path in mkdocs.yml to another folder")
            listed = not path.endswith(".md") or path in in_nav
            inclusion = InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV
            file = cast(GeneratedFile, GeneratedFile.generated(config, path, content=text, inclusion=inclusion))
            if self.serving:
                self.preview.mark(file, text, contexts.get(sheet_of(local), ""))
            files.append(file)
        if self.serving:
            self.preview.files(config, files)
        self._files = files
        return files

    def local(self, page: Page) -> str | None:
        """The path of a generated page among the generated ones (inside ``path``); None for the site's own."""
        src = page.file.src_uri
        if self._prefix:
            src = src.removeprefix(f"{self._prefix}/") if src.startswith(f"{self._prefix}/") else ""
        return src if src in self.output.pages and isinstance(page.file, GeneratedFile) else None

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Give each page of a sheet what the theme prints from its sheet: structured data, footer, printed header."""
        local = self.local(page) or ""
        meta = self.output.sheets.get(sheet_of(local))
        if meta is not None:
            page.meta.update(page_meta(meta, local, page.file.src_uri.count("/"), config.site_url, self._prefix))
        return markdown

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Escape the titles of generated pages, and say if one renders wrong.

        MkDocs takes a page's title from its first heading as plain text and
        themes print it unescaped, so a name such as ``</title><script>`` would become markup.
        """
        if self.local(page) is None:
            return html_text
        if "title" not in page.meta and page.title is not None:
            page.meta["title"] = escaped_title(page.title)
        if leftover := unrendered(html_text):
            # A warning, so that a strict build fails rather than publish a broken page.
            log.warning("factsheet: %s renders wrong: %r is left in its HTML; a template of the project wrote "
                        "syntax Markdown did not apply, or an extension the pages need (%s) is changed in "
                        "mkdocs.yml", page.file.src_uri, leftover, ", ".join(NEEDED_EXTENSIONS))
        return html_text

    @event_priority(-50)  # after the search plugin indexed the page
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """Show a sheet's page with its own sheet's menu, and name the sheet in its search entry."""
        index = getattr(_search_plugin(config), "search_index", None)
        entries = index.entries[self._indexed:] if index is not None else []
        self._indexed += len(entries)
        local = self.local(page) or ""
        meta = self.output.sheets.get(sheet_of(local))
        if meta is not None:
            # Site paths are already POSIX: looked up as they are, not made a path again for every
            # menu entry of every page (0.05 s at 1,000 pages).
            def find(path: str) -> Page | None:
                file = self._files.src_uris.get(under(self._prefix, path))
                return file.page if file is not None else None

            home = self._files.src_uris.get(under(self._prefix, HOME))
            all_sheets = home.url if home is not None else nav.homepage.url if nav.homepage else ""
            context["nav"], self._lit = sheet_menu(nav, meta, local, page, find, all_sheets)
            if self._lit is not None:
                self._lit.active = True
            search_titles(entries, page.url, meta.title)
        if self.serving:
            self.preview.page(page.url, entries)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Put out the menu entry :meth:`on_page_context` lit for a page the menu does not list."""
        if self._lit is not None:
            self._lit.active = False
            self._lit = None
        return output

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Stamp the site as ours, so that the next build may replace it; leave the environment as found.

        While previewing, also complete the search index with the entries of the pages
        this build did not write, and remove what it no longer generates.
        """
        write_stamp(Path(config.site_dir))
        self._end()
        if self.serving:
            self.preview.finish(config, _search_plugin(config))
        elif config.validation.links.anchors < logging.WARNING:
            # A link into a generated page that misses its anchor is a bug of the page; MkDocs
            # said so only at the site's level for its own pages: say it as a warning.
            for file in self._files.documentation_pages():
                if file.page is not None and self.local(file.page) is not None:
                    file.page.validate_anchor_links(files=self._files, log_level=logging.WARNING)

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild when a fact, template, theme override, page or configuration file changes, through links too."""
        folders = project_folders(config, self.config)
        roots = [folders.content_dir, folders.templates_dir, folders.docs_dir, *filter(None, [folders.custom_dir])]
        for path in watched([root for root in roots if root.is_dir()], folders.config_file):
            server.watch(str(path))
        server.builder = keep_serving(server.builder, log)
        return server

    def on_build_error(self, *, error: Exception) -> None:
        """Leave the environment as it was found."""
        self._end()

    def on_shutdown(self) -> None:
        """Leave the environment as it was found, also when a caller ran the hooks but built nothing."""
        self._end()

    def _end(self) -> None:
        self.epoch.end()
        if not self.serving:
            take_back()


def _equip(config: MkDocsConfig) -> None:
    """Give any Material site what the generated pages need: theme overrides, stylesheet, search shim, extensions.

    The package's theme folder comes after the site's own ``custom_dir``, so a site
    overrides one of its files by saving a file of that name there.
    """
    if config.theme.name != "material":
        raise PluginError(f"factsheet: the factsheet plugin needs the Material theme (theme: name: material), "
                          f"not {config.theme.name!r}")
    if str(PACKAGE_THEME) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
    if STYLESHEET not in config.extra_css:
        config.extra_css.append(STYLESHEET)
    if config.plugins.get("offline") or config.plugins.get("material/offline"):
        # Search from file:// runs in a shim; the vendored copy, so that no page loads it from a CDN.
        polyfills = config.extra.get("polyfills") or []
        if not any("iframe-worker" in str(script) for script in polyfills):
            config.extra["polyfills"] = [*polyfills, SEARCH_SHIM]
    enabled = {name.removeprefix("markdown.extensions.") for name in config.markdown_extensions}
    if missing := [name for name in NEEDED_EXTENSIONS if name not in enabled]:
        log.info("factsheet: enabling the Markdown extensions its pages need: %s", ", ".join(missing))
        config.markdown_extensions.extend(missing)
