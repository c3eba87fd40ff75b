"""Paths as the user sees them, containment, what a folder holds, and the closest of several names."""

from __future__ import annotations

import difflib
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):  # outside it, or the working folder was deleted
        return str(path)


def relative_inside(folder: Path, relative: str) -> Path | None:
    """``folder / relative`` if it stays inside ``folder`` after following links, else ``None``."""
    target = (folder / relative).resolve()
    base = folder.resolve()
    return target if target == base or base in target.parents else None


def closest(word: str, choices: list[str]) -> str | None:
    """The choice most like ``word`` (a typo's correction), if any is close enough."""
    found = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return found[0] if found else None


Fingerprint = tuple[tuple[str, str], ...]


def walk_once(folder: Path) -> Iterator[tuple[Path, list[str]]]:
    """Every folder under ``folder`` with its file names, through links, each real folder once, in name order.

    Linked folders are followed, as Jinja and MkDocs follow them; a link to a parent
    cannot loop, and a folder reached twice is named by the same path every time.
    os.walk skips folders that vanish while it walks: editors create and delete
    temporary files while a rebuild looks at the folder.
    """
    seen: set[str] = set()
    for parent, folders, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(parent)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        folders.sort()
        yield Path(parent), names


def fingerprint(folder: Path) -> Fingerprint:
    """Every file under ``folder``, through links (:func:`walk_once`), by path and a digest of its bytes.

    Bytes, not size and modification time: a save that keeps both (``cp -p``,
    ``rsync -t``, ``tar x``) is still a change. Only regular files are read: a
    FIFO or device would block. A file that vanishes before it is read is left out.
    """
    found = []
    for parent, names in walk_once(folder):
        for name in names:
            path = parent / name
            digest = _digest(path)
            if digest is not None:
                found.append((str(path.relative_to(folder)), digest))
    return tuple(sorted(found))


def _digest(path: Path) -> str | None:
    """The digest of a regular file's bytes; None for anything else, or a file gone or unreadable."""
    try:
        # Non-blocking: opening a FIFO for reading would otherwise wait for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as file:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            return hashlib.file_digest(file, "blake2b").hexdigest()
        except OSError:
            return None
