"""The one way from a content folder to pages: read, check, model, render; reusing work in one process.

Every command and the plugin go through :class:`Pipeline`: it reads each
sheet (:mod:`generator.load`), checks it as a whole (:mod:`generator.checks`),
builds the :class:`~generator.sheet.Sheet` when no problem is an error, and
renders the pages and downloads. ``mkdocs serve`` rebuilds after every save,
and ``factsheet build`` checks the facts before MkDocs runs the plugin: a
sheet whose files did not change is neither read nor rendered again, and a
template change renders everything again. Change is judged by each file's
path and bytes (:func:`~generator.paths.fingerprint`), never kept on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .assemble import assemble, commands
from .checks import check_sheet
from .collector import paused
from .docgen import CommandDoc
from .errors import DataError, Diagnostic
from .export import downloads, json_schema
from .feed import changes_feed, corrections_feed
from .load import read_sheet, sheet_folders
from .output import Settings, SiteOutput
from .paths import Fingerprint, fingerprint, relative_inside
from .render import make_environment, render_guide, render_home, render_sheet
from .sheet import Project, Sheet
from .shipped import template_folders
from .templatecache import TemplateCache
from .vocabulary import DEFAULT_COUNTS


def load_sheet(folder: Path, counts: frozenset[str]) -> Sheet | list[Diagnostic]:
    """Read and check one sheet folder: the sheet, carrying its warnings, or every problem found in it.

    ``counts`` is the vocabulary of kinds of count its tallies may give.
    """
    raw, found = read_sheet(folder)
    found += check_sheet(raw, counts)
    if any(d.severity == "error" for d in found) or raw.info is None:
        return found
    items = {name: tuple(entry.model for entry in entries) for name, entries in raw.sections.items()}
    return Sheet(info=raw.info.model, items=items, warnings=tuple(sorted(found)))


@dataclass
class Pipeline:
    """Sheets and pages of earlier builds, kept while their inputs are unchanged."""

    _sheets: dict[Path, tuple[Fingerprint, Sheet]] = field(default_factory=dict)
    _counts: frozenset[str] = frozenset()  # the vocabulary _sheets were checked against
    _env: tuple[tuple[tuple[tuple[Path, Fingerprint], ...], Path | None], jinja2.Environment] | None = None
    _pages: dict[str, tuple[Sheet, dict[str, str], dict[str, str]]] = field(default_factory=dict)
    _guide: dict[str, str] | None = None  # dropped with the environment when templates change
    _files: dict[str, tuple[Sheet, str, str | None, dict[str, str]]] = field(default_factory=dict)

    @paused
    def load(self, content_dir: Path, counts: Iterable[str] = DEFAULT_COUNTS,
             progress: Callable[[int, int, str], None] | None = None) -> Project:
        """Read and check every sheet under ``content_dir``, only those that changed since the last call.

        ``counts`` is the vocabulary of kinds of count (the default ones and
        those of the plugin's ``counts`` option): when it changes, every sheet
        is checked again. ``progress`` is told of each sheet before it is
        looked at (its number, how many there are, its folder's name). Raises
        :class:`DataError` listing every problem of every sheet.
        """
        vocabulary = frozenset(counts)
        if vocabulary != self._counts:
            # A word removed from mkdocs.yml may make a sheet wrong, one added may make one right.
            self._sheets, self._counts = {}, vocabulary
        problems: list[Diagnostic] = []
        sheets: list[Sheet] = []
        seen = {}
        folders = sheet_folders(content_dir)
        for number, folder in enumerate(folders, 1):
            if progress is not None:
                progress(number, len(folders), folder.name)
            # A sheet folder linked from elsewhere is refused unread (load_sheet
            # says why); walking it, perhaps a link to /, could take forever.
            key = fingerprint(folder) if relative_inside(content_dir, folder.name) else ()
            cached = self._sheets.get(folder)
            if cached is not None and cached[0] == key:
                sheets.append(cached[1])
                seen[folder] = cached
                continue
            result = load_sheet(folder, vocabulary)
            if isinstance(result, Sheet):
                sheets.append(result)
                seen[folder] = (key, result)
            else:
                problems += result
        self._sheets = seen
        if problems:
            raise DataError(problems)
        return Project(tuple(sheets))

    @paused
    def output(self, settings: Settings) -> SiteOutput:
        """Everything a build is given, from the content and templates folders ``settings`` name.

        Raises :class:`DataError` on problems in the facts and
        :class:`~generator.errors.TemplateFailure` on errors in the templates.
        """
        project = self.load(Path(settings.content_dir), settings.counts)
        cache = Path(settings.template_cache) if settings.template_cache else None
        pages = self.render(project, Path(settings.templates_dir), commands(), template_cache=cache)
        return assemble(project, pages, self.files(project, settings.author, settings.base_url), settings)

    def render(self, project: Project, templates_dir: Path | None, commands: list[CommandDoc], *,
               template_cache: Path | None = None) -> dict[str, str]:
        """Every generated page, ``{path: markdown}``: sheets that changed rendered again, the others kept.

        ``commands`` documents the command line in the guide; the caller, which
        sits above the command line, gives it. ``template_cache`` is the folder
        that keeps compiled templates between processes, if any.
        """
        key = (tuple((folder, fingerprint(folder)) for folder in template_folders(templates_dir)), template_cache)
        if self._env is None or self._env[0] != key:
            env = make_environment(templates_dir, TemplateCache(template_cache) if template_cache else None)
            self._env, self._pages, self._guide = (key, env), {}, None
        env = self._env[1]
        pages = render_home(env, project)
        kept: dict[str, tuple[Sheet, dict[str, str], dict[str, str]]] = {}
        for sheet in project.sheets:
            cached = self._pages.get(sheet.id)
            # An actor another sheet names too links to its site-wide page: a change there renders this sheet again.
            shared = {actor.id: site_id for actor in sheet.actors if (site_id := project.shared_of(sheet, actor))}
            if cached is None or cached[0] is not sheet or cached[2] != shared:
                cached = (sheet, render_sheet(env, sheet, shared), shared)
            kept[sheet.id] = cached
            pages.update(cached[1])
        self._pages = kept
        if self._guide is None:
            self._guide = render_guide(env, commands)
        pages.update(self._guide)
        return pages

    def files(self, project: Project, author: str, base_url: str | None) -> dict[str, str]:
        """Downloads and corrections feed of every sheet, made again only for sheets that changed."""
        kept: dict[str, tuple[Sheet, str, str | None, dict[str, str]]] = {}
        found = {"schema.json": json_schema()}
        for sheet in project.sheets:
            cached = self._files.get(sheet.id)
            if cached is None or cached[0] is not sheet or cached[1:3] != (author, base_url):
                made = downloads(sheet)
                made[f"{sheet.id}/changes.xml"] = changes_feed(sheet, author, base_url)
                made[f"{sheet.id}/corrections.xml"] = corrections_feed(sheet, author, base_url)
                cached = (sheet, author, base_url, made)
            kept[sheet.id] = cached
            found.update(cached[3])
        self._files = kept
        return found


# One per process: the CLI's check before a build warms it for the plugin.
PIPELINE = Pipeline()
