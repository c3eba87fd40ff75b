"""Diagnostics: what went wrong in a fact file, and where."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the input, pointing at the YAML node that caused it.

    ``line`` and ``col`` are 1-based, like compilers and editors count them;
    0 means the problem concerns the file as a whole.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None

    def format(self) -> str:
        """Render as ``path:line:col: error: message [code]`` plus a hint line."""
        text = f"{self.path}:{self.line}:{self.col}: error: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class DataError(Exception):
    """Raised when the content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__(format_diagnostics(self.diagnostics))


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Human-readable report: one diagnostic after another, then a count."""
    items = list(diagnostics)
    lines = [d.format() for d in items]
    noun = "error" if len(items) == 1 else "errors"
    lines.append(f"{len(items)} {noun} found; nothing was written.")
    return "\n".join(lines)


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Machine-readable report for editors and CI annotations."""
    return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)
