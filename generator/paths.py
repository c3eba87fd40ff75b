"""Paths as the user sees them, containment, and the closest of several names."""

from __future__ import annotations

import difflib
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
