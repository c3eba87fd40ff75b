"""Describe an exception nobody expected in one line: what failed, where, and what to do.

No Python traceback reaches a user of ``factsheet`` or of the plugin: an
error in the input gets a diagnostic, and anything else (a bug) gets this
line, which names the stage (the module of ours that was running) and the
innermost file of the user's or of ours involved. ``--debug`` shows the
traceback itself.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from .paths import display_path

_PACKAGE = Path(__file__).resolve().parent
_TEMPLATE_SUFFIX = ".j2"


def where(exc: BaseException) -> tuple[str, str]:
    """The stage (our innermost module) and the innermost template or module file, as ``path:line``."""
    stage, place = "factsheet", ""
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.suffix == _TEMPLATE_SUFFIX:
            place = f"{display_path(path)}:{frame.lineno}"
        elif path.parent == _PACKAGE:
            stage = path.stem
            place = f"{display_path(path)}:{frame.lineno}"
    return stage, place


def describe(exc: BaseException, activity: str) -> str:
    """One line, plus a hint, for an exception that is a bug rather than bad input."""
    stage, place = where(exc)
    at = f" at {place}" if place else ""
    detail = str(exc).splitlines()[0] if str(exc) else ""
    return (f"error: {activity} stopped in {stage}{at}: {type(exc).__name__}{': ' + detail if detail else ''}\n"
            "  hint: this is a bug; please report it with this message and the traceback that "
            "`factsheet --debug ...` (or `mkdocs ... --verbose`) shows; nothing was written")
