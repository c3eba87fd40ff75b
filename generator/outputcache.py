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
import importlib.util
import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from .bytecode import CACHE_FOLDER
from .errors import Diagnostic
from .output import Settings, SiteOutput

_FORMAT = "factsheet-output-1"
_ENTRY = "output.json"
# The libraries whose version can change the output: the command line's help, templates, validation, parsing.
_LIBRARIES = ("click", "jinja2", "markupsafe", "pydantic", "pydantic-core", "pyyaml")

# The output last read or made in this process, by key: ``factsheet build`` checks the
# facts before MkDocs runs the plugin, and both ask for it.
_last: dict[str, SiteOutput] = {}


def cached_output(settings: Settings, make: Callable[[], SiteOutput]) -> SiteOutput:
    """The output for ``settings``: the kept one if its inputs are unchanged, else ``make()``'s, then kept.

    Whatever ``make`` raises (problems in the facts or the templates) is raised, and nothing is kept.
    """
    key = output_key(settings)
    found = _last.get(key) or read_entry(_entry_path(settings), key)
    if found is None:
        found = make()
        write_entry(_entry_path(settings), key, found)
    _last.clear()
    _last[key] = found
    return found


def kept_warnings(settings: Settings) -> tuple[Diagnostic, ...] | None:
    """The warnings of the kept output if its inputs are unchanged (its facts passed the check), else ``None``."""
    key = output_key(settings)
    found = _last.get(key) or read_entry(_entry_path(settings), key)
    if found is None:
        return None
    _last.clear()
    _last[key] = found
    return found.warnings


def output_key(settings: Settings) -> str:
    """A key for everything the output of a build with ``settings`` depends on: equal keys, equal output."""
    digest = hashlib.sha256(_code_key())
    digest.update(json.dumps([asdict(settings), os.getcwd()]).encode("utf-8", "surrogatepass"))
    for folder in (settings.content_dir, settings.templates_dir):
        _add_tree(digest, Path(folder))
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
        return SiteOutput.from_json(body.decode("utf-8"))
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
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


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
    digest.update(b"libyaml" if importlib.util.find_spec("yaml._yaml") else b"pure")
    package = Path(__file__).parent
    for source in sorted(package.glob("*.py")):
        digest.update(f"{source.name}\0".encode())
        digest.update(source.read_bytes())
    return digest.digest()


def _add_tree(digest: hashlib._Hash, folder: Path) -> None:
    """Every entry under ``folder`` into ``digest``: names, link targets, and each regular file's bytes.

    Nothing but regular files is opened: reading a FIFO would wait forever (the
    check refuses one by name). Links are followed to read a file, not walked
    into as folders, as the check does.
    """
    digest.update(f"folder {folder}\0".encode("utf-8", "surrogatepass"))
    for parent, folders, names in sorted(os.walk(folder)):
        for name in sorted(names + [f for f in folders if os.path.islink(os.path.join(parent, f))]):
            path = os.path.join(parent, name)
            digest.update(f"{os.path.relpath(path, folder)}\0".encode("utf-8", "surrogatepass"))
            try:
                if os.path.islink(path):
                    digest.update(f"-> {os.readlink(path)}\0".encode("utf-8", "surrogatepass"))
                if stat.S_ISREG(os.stat(path).st_mode):
                    with open(path, "rb") as file:
                        digest.update(hashlib.sha256(file.read()).digest())
            except OSError as exc:
                digest.update(f"unreadable {exc.errno}\0".encode())
