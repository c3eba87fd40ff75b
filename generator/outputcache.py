"""The last build's output, kept in the project's ``.cache/factsheet/``, used again while its inputs are unchanged.

Checking the facts and rendering the pages, with the imports they need (the
models, pydantic, the templates), were most of what our part of a build cost.
A build whose inputs are exactly those of the last good one reads its output
back instead (:class:`~generator.output.SiteOutput`, plain JSON).

The entry's key covers everything the output depends on: this package's code,
the Python and library versions, the settings (plugin options, site name and
URL), the working folder (diagnostics name files relative to it), and every
file under the content and templates folders, read byte for byte: a file
copied back with its old modification time is still seen as changed. The entry
also holds a checksum of its text, so an entry for other inputs, cut short or
garbled, is not used; the output is made again and the entry replaced. Only
facts that passed the check are kept, so an error is found again on every
build. A cache folder that cannot be written means no cache, and the same site.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import yaml

from .bytecode import CACHE_FOLDER
from .errors import Diagnostic
from .output import Settings, SiteOutput
from .shipped import template_folders

_FORMAT = "factsheet-output-1"
_ENTRY = "output.json"
# The libraries whose version can change the output: the command line's help, templates, validation, parsing.
_LIBRARIES = ("annotated-types", "click", "jinja2", "markupsafe", "pydantic", "pydantic-core", "pyyaml")
# Files larger than this are known by their size and times (which any write changes), not
# read: fact files and archived texts are far smaller, and an unused scan kept beside them
# must not cost a read on every build.
_READ_LIMIT = 8 * 1024 * 1024
# Work files older than this were left by a build that was killed while writing.
_STALE_SECONDS = 600

# The output last read or made in this process, by key: ``factsheet build`` checks the
# facts before MkDocs runs the plugin, and both ask for it.
_last: dict[str, SiteOutput] = {}


def cached_output(settings: Settings, make: Callable[[], SiteOutput]) -> SiteOutput:
    """The output for ``settings``: the kept one if its inputs are unchanged, else ``make()``'s, then kept.

    Whatever ``make`` raises (problems in the facts or the templates) is raised, and nothing is kept.
    """
    key = output_key(settings)
    found = _kept(settings, key)
    if found is not None:
        return found
    made = make()
    if output_key(settings) != key:
        # A file was saved while the output was made from it: kept under the key read
        # before, it would pass for the output of the files as they were.
        return made
    write_entry(_entry_path(settings), key, made)
    _last.clear()
    _last[key] = made
    return made


def kept_warnings(settings: Settings) -> tuple[Diagnostic, ...] | None:
    """The warnings of the kept output if its inputs are unchanged (its facts passed the check), else ``None``."""
    found = _kept(settings, output_key(settings))
    return None if found is None else found.warnings


def _kept(settings: Settings, key: str) -> SiteOutput | None:
    """The output kept for ``key``, remembered in this process once read; ``None`` if there is none."""
    found = _last.get(key) or read_entry(_entry_path(settings), key)
    if found is not None:
        _last.clear()
        _last[key] = found
    return found


def output_key(settings: Settings) -> str:
    """A key for everything the output of a build with ``settings`` depends on: equal keys, equal output."""
    digest = hashlib.sha256(_code_key())
    digest.update(json.dumps([asdict(settings), _working_folder()]).encode("utf-8", "surrogatepass"))
    # The check refuses content that links out of the content folder, unread; Jinja
    # follows links among the templates, and so does the key.
    _add_tree(digest, settings.content_dir, follow_links=False)
    for folder in template_folders(Path(settings.templates_dir)):
        _add_tree(digest, str(folder), follow_links=True)
    return digest.hexdigest()


def read_entry(path: Path, key: str) -> SiteOutput | None:
    """The output kept at ``path`` for ``key``; ``None`` if there is none, or it is for other inputs, or unsound."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # reading a FIFO put in its place would wait forever
        data = path.read_bytes()
        header, _, body = data.partition(b"\n")
        name, kept_key, checksum = header.decode("ascii").split(" ")
        if (name, kept_key) != (_FORMAT, key) or hashlib.sha256(body).hexdigest() != checksum:
            return None
        return SiteOutput.from_json(body.decode("utf-8", "surrogatepass"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_entry(path: Path, key: str, output: SiteOutput) -> None:
    """Keep ``output`` at ``path`` for ``key``, replacing the entry whole; an unwritable folder is no cache."""
    body = output.to_json().encode("utf-8", "surrogatepass")
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(f"{_FORMAT} {key} {hashlib.sha256(body).hexdigest()}\n".encode("ascii") + body)
        os.replace(partial, path)
        for left in path.parent.glob(f".{path.name}.*"):
            if left.stat().st_mtime < time.time() - _STALE_SECONDS:
                left.unlink()
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _working_folder() -> str:
    """The working folder, which diagnostics name files relative to; none if it was deleted (they are absolute)."""
    try:
        return os.getcwd()
    except OSError:
        return ""


def _entry_path(settings: Settings) -> Path:
    return Path(settings.project_folder) / CACHE_FOLDER / _ENTRY


@functools.cache
def _code_key() -> bytes:
    """What turns inputs into output: the package's source, and the versions of Python and the libraries."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for name in _LIBRARIES:
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent\0".encode())
    # libyaml or pure Python: both read the same, but may not refuse the same.
    digest.update(yaml._yaml.get_version_string().encode() if yaml.__with_libyaml__ else b"pure")
    package = Path(__file__).parent
    for source in sorted(package.glob("*.py")):
        digest.update(f"{source.name}\0".encode())
        digest.update(source.read_bytes())
    return digest.digest()


def _add_tree(digest: hashlib._Hash, folder: str, *, follow_links: bool) -> None:
    """Every entry under ``folder`` into ``digest``: its kind, path, link target, and a regular file's bytes.

    Empty folders count (the check refuses an empty sheet folder), and so does what
    ``folder`` itself is: missing, a file or a folder. Nothing but a regular file is
    opened: reading a FIFO would wait forever (the check refuses one by name). With
    ``follow_links``, a linked folder is walked as well, once, so a link back up
    the tree is not walked forever.
    """
    _add_entry(digest, folder, ".")
    visited = {_identity(folder)}
    for parent, folders, names in os.walk(folder, followlinks=follow_links):
        folders.sort()
        for name in sorted([*folders, *names]):
            path = os.path.join(parent, name)
            _add_entry(digest, path, os.path.relpath(path, folder))
        if follow_links:
            folders[:] = [name for name in folders if _first_visit(os.path.join(parent, name), visited)]


def _add_entry(digest: hashlib._Hash, path: str, shown: str) -> None:
    digest.update(f"{shown}\0".encode("utf-8", "surrogatepass"))
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            digest.update(f"-> {os.readlink(path)}\0".encode("utf-8", "surrogatepass"))
            info = os.stat(path)
        digest.update(f"{stat.S_IFMT(info.st_mode)}\0".encode())
        if not stat.S_ISREG(info.st_mode):
            return
        if info.st_size > _READ_LIMIT:
            digest.update(f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\0".encode())
            return
        with open(path, "rb") as file:
            digest.update(hashlib.file_digest(file, "sha256").digest())
    except OSError as exc:
        digest.update(f"unreadable {exc.errno}\0".encode())


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _first_visit(path: str, visited: set[tuple[int, int] | None]) -> bool:
    identity = _identity(path)
    if identity in visited:
        return False
    visited.add(identity)
    return True
