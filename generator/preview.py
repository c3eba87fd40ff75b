"""What ``factsheet serve`` writes on a rebuild, so that one saved fact is on screen in about a second.

MkDocs writes every page on every rebuild; with many sheets that is most of the
time a save takes to show. The preview server builds "dirty" instead: only the
generated files whose key changed since the last good build are written again.
A file's key covers everything its output depends on that can change while
serving: its text, and for a sheet's page what the theme adds from the sheet
(footer, structured data, print header). Whatever every page depends on (the
navigation, the configuration as read, ``INHERIT`` included, the templates,
the theme overrides, ``docs/``, by their bytes) is the site key: when it
changes, the output folder is emptied and every file written again, so that
no page of the site's own, deleted or renamed, outlives its source. The site's
own pages are few, and written on every rebuild.

The search index of a dirty build would hold only the pages written; the
entries of the others are kept from the build that wrote them and put back in
page order, which gives the index a full build writes, byte for byte.

Nothing here outlives the server's process.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.structure.files import File, Files
from mkdocs.utils import clean_directory

from .collector import collect_and_set_aside
from .paths import fingerprint, walk_once
from .unexpected import describe

SearchEntry = dict[str, Any]
# The top-level key by which a MkDocs configuration names the file it extends.
_INHERIT = re.compile(r"^INHERIT:[ \t]*(\S[^#\n]*)", re.MULTILINE)
# What the preview says after a failed rebuild, whichever stage failed.
STILL_SERVING = "%s\nStill serving the last good version; save a fixed file to rebuild."


def text_key(*parts: str) -> str:
    """A key for a file made of ``parts``: equal keys, equal output."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def site_key(settings: object, folders: Iterable[Path]) -> str:
    """A key for what every page depends on: ``settings`` (as JSON) and the bytes of every file under ``folders``."""
    found = [json.dumps([str(folder), fingerprint(folder)]) for folder in folders]
    return text_key(json.dumps(settings, sort_keys=True, default=str), *found)


def configuration_files(config_file: Path) -> list[Path]:
    """``config_file`` and every file it inherits (MkDocs' ``INHERIT:``), each once."""
    found: list[Path] = []
    current: Path | None = config_file
    while current is not None and current.is_file() and current not in found:
        found.append(current)
        parent = _INHERIT.search(current.read_text(encoding="utf-8", errors="replace"))
        current = (current.parent / parent.group(1).strip().strip("'\"")) if parent else None
    return found


def watched(folders: Iterable[Path], config_file: Path) -> list[Path]:
    """What the preview server must watch: ``folders``, every folder they link to, and the configuration files.

    A watcher does not follow links, so a template or page in a linked folder would
    otherwise change unseen; MkDocs itself watches ``mkdocs.yml`` but not what it inherits.
    """
    found = [parent.resolve() for folder in folders for parent, _ in walk_once(folder)
             if parent == folder or parent.is_symlink()]
    return [*dict.fromkeys(found), *configuration_files(config_file)]


class GeneratedFile(File):
    """A generated file; a dirty preview build writes it again only when its key changed.

    Its output is there when it is unchanged: the last good build wrote it, and only a
    good build removes what it no longer generates.
    """

    unchanged = False

    def is_modified(self) -> bool:
        """Whether a dirty build must write it (MkDocs asks several times per build)."""
        return not self.unchanged


@dataclass
class PreviewState:
    """What the last good preview build wrote: each generated file's key, each page's search entries."""

    site: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    entries: dict[str, list[SearchEntry]] = field(default_factory=dict)
    # Each file's text and context as keyed: the pipeline hands back the very same
    # strings for a sheet it did not render again, which then need no hashing.
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)

    def key(self, path: str, text: str, context: str) -> str:
        """The key of the file at ``path``; the last one when it is made of the same strings."""
        last = self.texts.get(path)
        if last is not None and last[0] is text and last[1] == context:
            return self.keys[path]
        return text_key(text, context)

    def entries_after(self, pages: Iterable[str], written: Mapping[str, list[SearchEntry]]
                      ) -> dict[str, list[SearchEntry]]:
        """Each page's search entries, in ``pages`` order: those just ``written``, else the kept ones."""
        return {page: written.get(page, self.entries.get(page, [])) for page in pages}


class Preview:
    """One serve session's rebuilds: which generated files to write, and the search index to complete."""

    def __init__(self) -> None:
        self.last = PreviewState()
        self._site = ""
        self._keys: dict[str, str] = {}
        self._texts: dict[str, tuple[str, str]] = {}
        self._written: dict[str, list[SearchEntry]] = {}
        self._order: list[str] = []

    def begin(self, config: MkDocsConfig, nav: object, prefix: str, folders: Iterable[Path]) -> None:
        """Start a rebuild: key what every page depends on (``nav``, the configuration, ``folders``' files)."""
        read = [file.read_text(encoding="utf-8", errors="replace")
                for file in configuration_files(Path(config.config_file_path))]
        self._site = site_key({"nav": nav, "path": prefix, "config": read}, folders)
        self._keys, self._texts, self._written = {}, {}, {}

    def mark(self, file: GeneratedFile, text: str, context: str) -> None:
        """Note a generated file's key; it is left as it is when the last good build wrote the same."""
        path = file.src_uri
        key = self.last.key(path, text, context)
        file.unchanged = self._site == self.last.site and self.last.keys.get(path) == key
        self._keys[path] = key
        self._texts[path] = (text, context)

    def files(self, config: MkDocsConfig, files: Files) -> None:
        """Empty the output folder when what every page depends on changed; note the pages' order.

        The site's own pages are always written again: MkDocs reads a page only to
        write it, and a page it did not read has no title for the navigation of the
        pages it does write. The order is that of their entries in the search index.
        """
        if self._site != self.last.site:
            clean_directory(config.site_dir)
        for page in files.documentation_pages():
            if not isinstance(page, GeneratedFile):
                Path(page.abs_dest_path).unlink(missing_ok=True)
        self._order = [file.url for file in files.documentation_pages()]

    def page(self, url: str, entries: list[SearchEntry]) -> None:
        """Keep the search entries the search plugin just made for the page at ``url``."""
        self._written[url] = entries

    def finish(self, config: MkDocsConfig, search: Any) -> None:
        """Complete the search index, remove what is no longer generated, keep this build as the last good one.

        ``search`` is the search plugin, if the site has one.
        """
        entries = self.last.entries_after(self._order, self._written)
        index = getattr(search, "search_index", None)
        if index is not None:
            index.entries = [entry for page in entries.values() for entry in page]
            # The search plugin merges a dirty build's entries into the last index by itself,
            # assuming one page was written: ours is complete already.
            search.search_index_prev = None
        for gone in set(self.last.keys) - set(self._keys):
            target = Path(config.site_dir) / File(gone, None, config.site_dir, config.use_directory_urls).dest_uri
            target.unlink(missing_ok=True)
        self.last = PreviewState(self._site, self._keys, entries, self._texts)
        _collect_when_idle()


def _collect_when_idle() -> None:
    """Collect the garbage of past preview builds a moment after this one, while the preview is idle.

    What is left then (sheets, pages, search entries) lives until the next build: frozen, it
    is out of the way of the collector's passes during that build, which would otherwise walk
    it all, as long as the site is large.
    """
    timer = threading.Timer(1.0, collect_and_set_aside)
    timer.daemon = True
    timer.start()


def keep_serving(builder: Callable[[], None], log: logging.Logger | logging.LoggerAdapter[logging.Logger]
                 ) -> Callable[[], None]:
    """Wrap the preview server's rebuild so that nothing it raises stops or sticks the preview.

    Our own stages already keep the last good pages; this catches the rest
    (MkDocs, the theme, Markdown extensions) with one line instead of a
    traceback, and the server goes on serving what it has.
    """
    def rebuild() -> None:
        try:
            builder()
        except Exception as exc:
            log.debug("rebuild failed", exc_info=exc)
            message = str(exc) if isinstance(exc, MkDocsException) else describe(exc, "the rebuild")
            log.error(STILL_SERVING, message)

    return rebuild
