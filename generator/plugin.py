"""The MkDocs plugin: adds the generated fact-sheet pages to a build or serve.

``mkdocs build`` and ``mkdocs serve`` work unchanged; the ``factsheet`` CLI
is a friendlier wrapper around the same plugin.
"""

from __future__ import annotations

import functools
import gc
import html
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urljoin

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .bytecode import template_cache
from .errors import DataError, Diagnostic, TemplateFailure
from .history import changed_days
from .navigation import HOME, nav_paths, sheet_nav, site_nav, under
from .output import EPOCH_RANGE, Settings, SheetMeta, SiteOutput, published_jsonld
from .outputcache import cached_output, kept_warnings
from .preview import PreviewState, SearchEntry, site_key, text_key
from .shipped import PACKAGE_THEME, SEARCH_SHIM, STYLESHEET
from .sitedir import BuildRefused, ProjectFolders, check_output_dir, write_stamp
from .unexpected import describe
from .vocabulary import count_vocabulary

if TYPE_CHECKING:  # the preview server's module is imported by MkDocs when it serves, not for a build
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)


_CONTACT = re.compile(r"^(?:https?://|mailto:)\S+$", re.IGNORECASE)
_WEB = re.compile(r"^https?://\S+$", re.IGNORECASE)
# The folder of the site the generated pages go in: empty (the root), or names joined by "/".
_FOLDER = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)?$")
# Markdown extensions the generated pages are written for (MkDocs itself always adds toc,
# tables and fenced_code): ids and classes, the summary box, Markdown inside claim cards.
NEEDED_EXTENSIONS = ("attr_list", "def_list", "md_in_html")
# What Markdown leaves in a page's HTML when an extension the page needs did not run:
# attribute lists ({: .class }, {#id}) and blocks meant to hold Markdown.
_UNRENDERED = re.compile(r"\{[:#][^}\n]*\}|<[a-z]+\b[^>]*\smarkdown(?:=\S+)?[\s>]")
# Where such text is meant literally: charts (SVG, whose text holds fact text as it is) and code.
_LITERAL = re.compile(r"<(svg|code)\b.*?</\1>", re.DOTALL)


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
        self.output = SiteOutput({}, {}, [], [], "0", {}, ())
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
        self._prefix = ""
        self._user_nav: list[Any] | None = None
        self._files = Files([])
        self._lit: Page | None = None

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
                              root / self.config.content_dir, root / (self.config.templates_dir or "templates"))

    def count_vocabulary(self) -> frozenset[str]:
        """The kinds of count tallies may give: the default ones and those of the ``counts`` option."""
        return count_vocabulary(self.config.counts)

    @event_priority(100)  # before Material's offline plugin, which would fetch the search shim from a CDN
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Equip the site for the generated pages, then read, check and render every sheet (or reuse the last build).

        The navigation is set once the site's own files are known (:meth:`on_files`).
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
        if not contact:
            # A published site (one with an address) must let readers report an error: a warning there,
            # which fails a strict build; a local build or preview only says so.
            log.log(logging.WARNING if config.site_url else logging.INFO,
                    "factsheet: no contact in mkdocs.yml: readers of the sheets have no way to report an error; "
                    "set the factsheet plugin's contact to an http, https or mailto URL")
        licence_url = self.config.licence_url
        if licence_url and not _WEB.match(licence_url):
            raise PluginError(f"factsheet: licence_url in mkdocs.yml must be an http or https URL "
                              f"(got {licence_url!r})")
        self._prefix = self.config.path.strip("/")
        if not _FOLDER.match(self._prefix) or ".." in self._prefix.split("/"):
            raise PluginError(f"factsheet: path in mkdocs.yml must be a folder of the site, such as sheets or "
                              f"news/sheets, or \"\" for the site's root (got {self.config.path!r})")
        _equip(config)
        folders = self.folders(config)
        if not self.serving:
            try:
                check_output_dir(Path(config.site_dir), folders)
            except BuildRefused as exc:
                raise PluginError(f"factsheet: {exc}") from None
        content_dir, templates_dir = folders.content_dir, folders.templates_dir
        self.watched = [content_dir, templates_dir, *([folders.custom_dir] if folders.custom_dir else [])]
        try:
            self._load(config)
        except PluginError as exc:
            if not (self.serving and self.output.pages):
                raise
            # While previewing, a bad save must not take the site away: show
            # the problems and keep serving the last good pages.
            log.error(_STILL_SERVING, exc)
        self._indexed = 0  # entries of the search index seen so far, this build
        # The site's own nav, if any; the generated pages are added to it once the site's files are known.
        self._user_nav = config.nav
        config.extra["factsheet_sheets"] = [{**link, "url": under(self._prefix, link["url"])}
                                            for link in self.output.sheet_links]
        if self.serving:
            # The navigation is on every page; so are mkdocs.yml, the theme overrides and docs/.
            settings = {"nav": self.output.nav, "user_nav": config.nav, "path": self._prefix,
                        "config": Path(config.config_file_path or "").read_text(encoding="utf-8")
                        if config.config_file_path else ""}
            self._site_key = site_key(settings, [templates_dir, Path(config.docs_dir),
                                                 *(Path(d) for d in [config.theme.custom_dir] if d)])
            self._written = {}
        # Dates MkDocs writes (sitemap, gzip headers) come from the content,
        # not the clock, so the same input gives the same bytes.
        given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if not given:
            self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
            os.environ["SOURCE_DATE_EPOCH"] = self.output.epoch
            self._set_epoch = True
        elif not (given.isdigit() and int(given) <= EPOCH_RANGE[1]):
            raise PluginError(f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 to {EPOCH_RANGE[1]} "
                              f"(got {given!r}); unset it to date the build by its newest source")
        return config

    def settings(self, config: MkDocsConfig) -> Settings:
        """What the output depends on besides the files it is made from: options, the site's name and URL."""
        folders = self.folders(config)
        # The feeds' links are absolute when the site's URL is known; the generated files are in their folder.
        base_url = urljoin(config.site_url, f"{self._prefix}/") if config.site_url and self._prefix else config.site_url
        return Settings(content_dir=str(folders.content_dir), templates_dir=str(folders.templates_dir),
                        project_folder=str(folders.config_file.parent), counts=tuple(sorted(self.count_vocabulary())),
                        nav_sheets_limit=self.config.nav_sheets_limit, compiled_by=self.config.compiled_by or "",
                        contact=self.config.contact or "", author=config.site_name, base_url=base_url,
                        licence=self.config.licence or "", licence_url=self.config.licence_url or "",
                        history=tuple(sorted(changed_days(folders.content_dir).items())))

    def check(self, config: MkDocsConfig,
              progress: Callable[[int, int, str], None] | None = None) -> tuple[Diagnostic, ...]:
        """The warnings of the facts; :class:`DataError` listing every problem if any is an error.

        Facts whose output is kept unchanged from the last build passed the check then,
        with these warnings; others are checked, and ``progress`` told of each sheet.
        """
        settings = self.settings(config)
        warnings = kept_warnings(settings)
        if warnings is None:
            from .pipeline import PIPELINE  # see _make_output

            return tuple(PIPELINE.load(Path(settings.content_dir), settings.counts, progress).warnings)
        return warnings

    def _load(self, config: MkDocsConfig) -> None:
        settings = self.settings(config)
        if self.config.templates_dir and not Path(settings.templates_dir).is_dir():
            raise PluginError(f"factsheet: templates folder {settings.templates_dir} does not exist; create it, "
                              "or remove templates_dir from mkdocs.yml to use the package's templates")
        try:
            # The preview keeps its sheets and pages in memory, and only writes what changed.
            output = (_make_output(settings) if self.serving
                      else cached_output(settings, functools.partial(_make_output, settings)))
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
        sheet_keys = {sheet: _sheet_key(meta) for sheet, meta in self.output.sheets.items()} if self.serving else {}
        self._keys, self._texts = {}, {}
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
            file = cast(_Generated, _Generated.generated(config, path, content=text, inclusion=inclusion))
            if self.serving:
                context = sheet_keys.get(local.split("/", 1)[0], "")
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
        self._files = files
        return files

    def local(self, page: Page) -> str | None:
        """The path of a generated page among the generated ones (inside ``path``); None for the site's own."""
        src = page.file.src_uri
        if self._prefix:
            src = src.removeprefix(f"{self._prefix}/") if src.startswith(f"{self._prefix}/") else ""
        return src if src in self.output.pages and isinstance(page.file, _Generated) else None

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Keep the theme's compiled templates between runs; note the order of the pages.

        The pages' order is that of their entries in the search index.
        """
        env.bytecode_cache = template_cache(self.folders(config).config_file.parent, "theme", env)
        self._page_order = [file.url for file in files.documentation_pages()]
        return env

    @event_priority(-50)  # after the search plugin indexed the page
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """Show a sheet's page with its own sheet's menu, and name the sheet in its search entry.

        While previewing, also keep the search entries the search plugin just made for this page.
        """
        index = _search_index(config)
        entries = index.entries[self._indexed:] if index is not None else []
        self._indexed += len(entries)
        local = self.local(page) or ""
        meta = self.output.sheets.get(local.split("/", 1)[0])
        if meta is not None:
            sheet_id = local.split("/", 1)[0]
            pages = {path: self._files.get_file_from_path(under(self._prefix, f"{sheet_id}/{path}"))
                     for _, path in meta.menu}
            listed = [file.page for file in pages.values() if file is not None and file.page is not None]
            home = self._files.get_file_from_path(under(self._prefix, HOME))
            context["nav"] = sheet_nav(nav, html.escape(meta.title), listed,
                                       home.url if home is not None else nav.homepage.url if nav.homepage else "")
            # A page the menu does not list (an actor's) shows where it belongs: its folder's page.
            folder = local.removeprefix(f"{sheet_id}/").rpartition("/")[0]
            owner = pages.get(f"{folder}/index.md") if folder else None
            if owner is not None and owner.page is not None and owner.page is not page:
                owner.page.active = True
                self._lit = owner.page
            for entry in entries:
                if entry["location"] == page.url and entry["title"] != html.escape(meta.title):
                    # Search lists hits by page: "Timeline" alone would not say which event's.
                    entry["title"] = f"{entry['title']} · {html.escape(meta.title)}"
        if self.serving:
            self._written[page.url] = entries
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Close the menu entry :meth:`on_page_context` opened for a page the menu does not list."""
        if self._lit is not None:
            self._lit.active = False
            self._lit = None
        return output

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
            if config.validation.links.anchors < logging.WARNING:
                # A link into a generated page that misses its anchor is a bug of the page; MkDocs
                # said so only at the site's level for its own pages: say it as a warning.
                for file in self._files.documentation_pages():
                    if file.page is not None and self.local(file.page) is not None:
                        file.page.validate_anchor_links(files=self._files, log_level=logging.WARNING)
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
        """Give each page of a sheet what the theme prints from its sheet: structured data, footer, printed header."""
        local = self.local(page) or ""
        sheet_id = local.split("/", 1)[0]
        meta = self.output.sheets.get(sheet_id)
        if meta is not None:
            depth = page.file.src_uri.count("/")
            site_url, prefix = config.site_url, self._prefix

            def absolute(path: str) -> str:
                return urljoin(site_url, under(prefix, path)) if site_url else "../" * depth + under(prefix, path)

            page.meta["factsheet_jsonld"] = published_jsonld(meta.jsonld, absolute)
            page.meta["factsheet_sheet"] = meta.title
            # The sheet's address, to cite it, only where it is known: a site path alone cites nothing.
            address = absolute(meta.footer["overview"]) if site_url else ""
            page.meta["factsheet_footer"] = {**meta.footer, "url": address}
            # The sheet's first page and its print open with who made it, when, and how to cite it.
            page.meta["factsheet_provenance"] = local in (f"{sheet_id}/index.md", f"{sheet_id}/print.md")
            page.meta["factsheet_print_header"] = meta.print_header
            page.meta["factsheet_feeds"] = [
                {"title": f"Corrections: {meta.title}", "href": absolute(f"{sheet_id}/corrections.xml")},
                {"title": f"How the reported figures changed: {meta.title}",
                 "href": absolute(f"{sheet_id}/changes.xml")}]
        return markdown

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Escape the titles of generated pages.

        MkDocs takes a page's title from its first heading as plain text and
        themes print it unescaped (in ``<title>``, breadcrumbs, search), so a
        name such as ``</title><script>`` would become markup.
        """
        if self.local(page) is None:
            return html_text
        if "title" not in page.meta and page.title is not None:
            # The heading's text still holds the numeric references that made
            # it literal in Markdown (``&#38;``): decode them, then escape once.
            page.meta["title"] = html.escape(html.unescape(page.title))
        if leftover := _UNRENDERED.search(_LITERAL.sub("", html_text)):
            # A warning, so that a strict build fails rather than publish a broken page.
            log.warning("factsheet: %s renders wrong: %r is left in its HTML; a template of the project wrote "
                        "syntax Markdown did not apply, or an extension the pages need (%s) is changed in "
                        "mkdocs.yml", page.file.src_uri, leftover.group(0), ", ".join(NEEDED_EXTENSIONS))
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


# What the preview says after a failed rebuild, whichever stage failed.
_STILL_SERVING = "%s\nStill serving the last good version; save a fixed file to rebuild."


def _make_output(settings: Settings) -> SiteOutput:
    """Check the facts and render them: the output of a build whose inputs changed since the last one."""
    # Imported here, for a build whose output is kept imports none of it (the models,
    # pydantic, the checks, the templates), which is most of what our part costs.
    from .pipeline import PIPELINE

    output = PIPELINE.output(settings)
    log.debug("rendered %d of %d sheets; the others were unchanged", PIPELINE.rendered_sheets, len(output.sheets))
    return output


def _sheet_key(meta: SheetMeta) -> str:
    """What the theme adds to each page of a sheet from the sheet itself, as a key."""
    return text_key(json.dumps([meta.title, meta.jsonld, meta.footer, meta.print_header, meta.menu], sort_keys=True))


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
