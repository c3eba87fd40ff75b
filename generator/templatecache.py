"""Compiled templates kept in the user's cache folder, so that a build does not compile every template again.

Jinja compiles each template to Python on every build: 0.3 to 0.4 s of a 2.4 s
build of the Homs sheet, the same every time the user edits a fact and builds.
Kept compiled, a template loads in about a millisecond.

What is kept can never decide what is published on its own:

- it lives outside the project (``$XDG_CACHE_HOME/factsheet/templates``, else
  ``~/.cache/factsheet/templates``); a cache folder that resolves into one of the
  project's folders is not used;
- each entry is keyed by the template's name and file, and checked against a
  digest of its source and of every setting of the environment that changes the
  compiled code: an entry for other source or settings is compiled again;
- files are opened without following links or waiting on a FIFO, in a folder
  that is ours and that no one else may write to;
- ``FACTSHEET_CACHE=off`` switches it off; a failure to read or write an entry
  only means the template is compiled.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

__all__ = ["VARIABLE", "CacheSettingError", "TemplateCache", "cache_folder", "given_switch"]

VARIABLE = "FACTSHEET_CACHE"
_SWITCH = {"": True, "on": True, "off": False}


class CacheSettingError(ValueError):
    """``FACTSHEET_CACHE`` has a value other than ``on`` or ``off``."""


def given_switch() -> bool:
    """Whether ``FACTSHEET_CACHE`` lets compiled templates be kept (unset or ``on``) or not (``off``).

    Raises :class:`CacheSettingError` for any other value.
    """
    value = os.environ.get(VARIABLE, "")
    if value not in _SWITCH:
        raise CacheSettingError(f"{VARIABLE} must be on or off (got {value!r}); off compiles every template "
                                "on every build")
    return _SWITCH[value]


def cache_folder(project_folders: list[Path]) -> Path | None:
    """Where compiled templates are kept, or None when the user switched it off or it would be in the project.

    ``project_folders`` are the folders of the project (its configuration's, content,
    templates, docs and theme folders). Raises :class:`CacheSettingError` as
    :func:`given_switch` does.
    """
    if not given_switch():
        return None
    # The XDG base directory specification ignores a relative XDG_CACHE_HOME.
    given = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(given) if given and Path(given).is_absolute() else Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    folder = base / "factsheet" / "templates"
    real = folder.resolve()
    if any(real.is_relative_to(project.resolve()) for project in project_folders):
        return None
    return folder


class TemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates in ``folder``, one file per template file, replaced when its source changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        """The entry for one template: keyed by name and file, valid only for this source and these settings."""
        key = hashlib.sha256(f"{name}\0{filename}".encode()).hexdigest()
        checksum = hashlib.sha256(f"{_settings(environment)}\0{source}".encode()).hexdigest()
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from its file if that is reached without a link and still valid."""
        if not self._usable():
            return
        try:
            fd = os.open(self.folder / f"{bucket.key}.cache", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return
        # Not blocking: a FIFO gives nothing rather than waiting for a writer.
        with os.fdopen(fd, "rb") as file:
            try:
                data = file.read() or b""
            except OSError:
                return
        try:
            # Bucket checks the format and the checksum, and drops an entry that fails either.
            bucket.load_bytecode(io.BytesIO(data))
        except Exception:  # a damaged entry (pickle may raise anything) is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Write the entry to a new file, then rename it over the old one: a reader never sees half of one."""
        if not self._usable():
            return
        temporary = None
        try:
            fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(temporary, self.folder / f"{bucket.key}.cache")
        except OSError:
            if temporary is not None:
                Path(temporary).unlink(missing_ok=True)

    def _usable(self) -> bool:
        """The folder exists (made if need be), is not a link, is ours, and no one else may write to it."""
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            found = self.folder.lstat()
        except OSError:
            return False
        return (stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
                and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _settings(environment: jinja2.Environment) -> str:
    """Every setting of ``environment`` that the compiled code of a template depends on."""
    env = environment
    settings = (
        jinja2.__version__, env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, sorted(env.extensions), env.optimized, env.is_async,
        _name(env.autoescape), _name(env.finalize), sorted(env.filters), sorted(env.tests),
    )
    return repr(settings)


def _name(value: object) -> str:
    """A setting that may be a function, by its qualified name (its repr would change with each process)."""
    return repr(value) if isinstance(value, bool | None) else f"{getattr(value, '__module__', '')}." \
        f"{getattr(value, '__qualname__', type(value).__qualname__)}"
