"""Paths as the user sees them, containment, what a folder holds, and the closest of several names."""

from __future__ import annotations

import difflib
import os
import stat
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


Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folder: Path) -> Fingerprint:
    """Path, size and modification time of every file under ``folder``."""
    found = []
    # os.walk skips folders that vanish while it walks, and one stat per file
    # (not a test, then a stat) cannot fail between the two: editors create
    # and delete temporary files while a rebuild looks at the folder.
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent, name)
            try:
                info = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))
