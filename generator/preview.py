"""What a preview rebuild may leave as it is, so that one saved fact is on screen in about a second.

MkDocs writes every page on every rebuild; with many sheets that is most of the
time a save takes to show. The preview server builds "dirty" instead: only the
files whose key changed since the last good build are written again. A file's
key covers everything its output depends on that can change while serving:
its text, and for a sheet's page what the theme adds from the sheet (footer,
structured data, print header). Whatever every page depends on (the
navigation, ``mkdocs.yml``, the templates, the theme overrides, ``docs/``) is
the site key: when it changes, every file is written again.

The search index of a dirty build would hold only the pages written; the
entries of the others are kept from the build that wrote them and put back in
page order, which gives the index a full build writes, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import fingerprint

SearchEntry = dict[str, Any]


def text_key(*parts: str) -> str:
    """A key for a file made of ``parts``: equal keys, equal output."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def site_key(settings: object, folders: Iterable[Path]) -> str:
    """A key for what every page depends on: ``settings`` (as JSON) and every file under ``folders``.

    Files are taken by path, size and modification time: reading the theme
    overrides and ``docs/`` on every save would cost more than it saves.
    """
    found = [json.dumps([str(folder), fingerprint(folder)]) for folder in folders]
    return text_key(json.dumps(settings, sort_keys=True, default=str), *found)


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

    def unchanged(self, site: str, path: str, key: str) -> bool:
        """Whether the file at ``path`` with ``key`` would come out as the last good build wrote it."""
        return site == self.site and self.keys.get(path) == key

    def entries_after(self, pages: Iterable[str], written: Mapping[str, list[SearchEntry]]
                      ) -> dict[str, list[SearchEntry]]:
        """Each page's search entries, in ``pages`` order: those just ``written``, else the kept ones."""
        return {page: written.get(page, self.entries.get(page, [])) for page in pages}
