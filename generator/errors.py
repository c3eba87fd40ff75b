"""Diagnostics: what went wrong in a fact file, and where."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Literal

from .vocabulary import DEFAULT_COUNTS

# Every diagnostic code, what it means, and an example of input that causes
# it. The user documentation's error page is generated from this table, and
# a Diagnostic with a code missing here is a programming error.
CODES: dict[str, tuple[str, str]] = {
    "yaml-syntax": ("The file is not valid YAML.", "title: [Three blasts"),
    "yaml-colon-in-text": ("Unquoted text holds ': ', which YAML reads as the start of a key (hint: the line as a "
                           "folded `>-` block).", "quote: He said: we will win"),
    "yaml-text-after-quote": ("A value starts with a quotation mark and goes on after the closing one, which YAML "
                              "cannot read (hint: the line as a folded `>-` block).", 'quote: "We were ready" he said'),
    "yaml-comment-in-text": ("Unquoted `quote` or `text` holds ' #', which YAML reads as the start of a comment: "
                             "the rest of the line would be cut from the text (hint: a folded `>-` block).",
                             "quote: they tagged it #NoMore on Saturday"),
    "yaml-unclosed-quote": ("A value opens a quotation mark that is never closed, reported where it opens "
                            "(hint: close it, or a folded `>-` block).", 'quote: "We were ready, he said'),
    "yaml-tab": ("A tab is used for indentation; YAML needs spaces.", "<tab>name: x"),
    "yaml-tag": ("A YAML tag such as !!python/object; refused, never executed.", "a: !!python/object/apply:os.system"),
    "yaml-alias": ("An anchor or alias; refused, which also stops 'billion laughs' files.", "b: *anchor"),
    "yaml-nesting": ("Lists or mappings nested more than 32 deep; refused before the parser runs out of stack.",
                     "a: [[[[[[[[ ... ]]]]]]]]"),
    "yaml-character": ("A character YAML does not allow in a file, such as a raw control character.",
                       "a U+0007 bell pasted into a name"),
    "yaml-key": ("A mapping key that is not plain text.", "? [a, b]: c"),
    "duplicate-key": ("The same key twice in one mapping.", "value: 32 ... value: 33"),
    "file-too-large": ("A fact file over 2 MiB; split it.", "a 10 MB events.yml"),
    "not-utf8": ("A fact file that is not UTF-8 text.", "a file saved as Latin-1"),
    "unreadable": ("A fact file that cannot be read.", "no read permission"),
    "empty-file": ("A fact file with nothing in it.", "a file with only comments"),
    "not-a-mapping": ("A file or item that should be a mapping of fields.", "events: [x]"),
    "not-a-list": ("A section that should be a list of items.", "events: x"),
    "unknown-section": ("A top-level key that is not a section (hint: the closest one).", "talies:"),
    "unknown-field": ("A field the schema does not have (hint: the closest one).", "claimnt: governor"),
    "missing-field": ("A required field is missing.", "a tally without claimant"),
    "invalid-value": ("A value of the wrong type or form.", "value: -1, date: 2017-02-30, id: Not A Slug"),
    "content-missing": ("The content folder (content_dir of the factsheet plugin) does not exist or is a file.",
                        "content_dir: contnet"),
    "file-outside": ("A fact file or sheet folder that is a link leading out of its sheet folder or the content "
                     "folder; it is not read, as an archive outside the sheet folder is not.",
                     "content/demo/events.yml -> /home/me/events.yml"),
    "not-a-file": ("A fact file (*.yml) that is a FIFO, device or broken link, not a regular file; it is not read.",
                   "mkfifo content/demo/events.yml"),
    "no-fact-files": ("A sheet folder with no .yml files.", "content/new-sheet/ empty"),
    "missing-sheet": ("No file of the sheet has the sheet: mapping.", "only events.yml"),
    "duplicate-sheet": ("Two files both describe the sheet.", "sheet: in two files"),
    "id-mismatch": ("The sheet id differs from its folder name.", "id: homs in content/aleppo/"),
    "duplicate-id": ("One id used twice in a sheet (ids are shared by all kinds).", "two items with id: killed"),
    "reserved-id": ("An id that would name the same file as one of the sheet's own pages, or a sheet named as a "
                    "folder of the site's own pages (actors, guide).",
                    "an actor with id: index"),
    "unknown-id": ("A reference to an id that does not exist (hint: the closest one).", "claimant: govenor"),
    "unknown-count": (f"A tally's `counts` is not a kind of count of the project (hint: the closest one). The "
                      f"default kinds are {', '.join(DEFAULT_COUNTS[:-1])} and {DEFAULT_COUNTS[-1]}; `counts:` of "
                      "the factsheet plugin in mkdocs.yml adds others. A background figure (with `context`) may "
                      "count anything.", "counts: wouned"),
    "cycle": ("A place within itself, or an actor affiliated with itself, through others.", "a within b, b within a"),
    "archive-missing": ("A source's archived text does not exist.", "archive: sources/missing.txt"),
    "archive-not-a-file": ("A source's archive is a folder, FIFO or device, not a regular file; it is not read.",
                           "archive: sources/ (a folder)"),
    "archive-empty": ("A source's archived text is empty.", "an empty sources/wire.txt"),
    "archive-too-large": ("A source's archived text is larger than 8 MiB; archive only the paragraphs the facts "
                          "quote.", "a whole PDF's text in sources/report.txt"),
    "archive-not-utf8": ("A source's archived text is not UTF-8.", "a Latin-1 sources/wire.txt"),
    "archive-outside": ("A source's archive path leaves the sheet folder.", "archive: ../../etc/passwd"),
    "archive-unreadable": ("A source's archived text cannot be read.", "no read permission"),
    "confusable": ("Warning: a name or kind of count that prints like another but is other text: letters of "
                   "another script that look alike (hint: the character that differs).",
                   "counts: kіlled (Cyrillic і) beside killed"),
    "quote-not-found": ("An evidence quote is not in the archived source (hint: the closest passage).",
                        "quote: three blasts killed 33"),
    "quote-partial-word": ("An evidence quote starts or ends inside a word of the source (hint: the whole words).",
                           "quote: he governor, source: the governor said"),
    "quote-partial-number": ("An evidence quote starts or ends inside a number as the source writes it: digits "
                             "with separators, a decimal, a range, a fraction, a scale word, a number in words "
                             "(hint: the whole number).", "quote: killed 1, source: killed 1,500 people"),
    "quote-too-short": ("An evidence quote with fewer than 4 letters or digits, which proves nothing.", "quote: ."),
    "number-not-in-evidence": ("Warning: a tally's number is in none of its evidence quotes, as digits or words, "
                               "and the tally has no derivation saying how it follows from them.",
                               "value: 32 with quote: a senior officer and at least 31 others"),
    "words-value-mismatch": ("A figure's `words` do not state its `value` (or a range's `low` and `high`).",
                             "words: as many as fifty, value: 1500"),
    "exact-but-hedged": ("Warning: an exact figure whose quote says \"as many as\", \"up to\", \"about\", "
                         "\"nearly\" or \"more than\" before it (hint: the qualifier and words to write).",
                         "qualifier: exact, value: 50, quote: as many as 50 people died"),
    "via-loop": ("A relay chain (`via`) that names an outlet twice, or the claimant itself.", "via: [bbc, rnz, bbc]"),
    "via-not-outlet": ("A relay (`via`) that is not a media outlet or agency: a person or body who gave the figure "
                       "is its claimant.", "via: [police-chief]"),
    "revision-claimant": ("A revision's earlier figure is a tally of another claimant: a revision is one claimant "
                          "(or bodies of one state) changing its own figure.",
                          "the ministry's 34 revising a governor's 48"),
    "claimant-role-missing": ("Warning: an armed group or coalition gives a figure but has no `claims_as`, so the "
                              "sheet cannot tell a claim about its own acts from any other.",
                              "claimant: islamic-state, without claims_as: perpetrator"),
    "report-before-event": ("A report of the event is stamped before the event happened (hint: check the page's "
                            "stamp; `timezone: unknown` when the zone shown cannot be right).",
                            "published 2016-07-02, time 23:14, timezone UTC+8 for a bombing at 01:00 UTC+3 next day"),
    "report-after-collection": ("A report published after the sheet's `collected_until`.",
                                "collected_until: 2016-07-05 and a report of 2016-08-01"),
    "source-not-archived": ("Evidence cites a source kept without `archive` (a story named only by its copies).",
                            "source: ap-original, with no archive"),
    "words-not-in-evidence": ("A figure's `words` (the source's words for it) are in none of its evidence quotes.",
                              "words: as many as 50, quote: up to 50 people"),
    "quote-not-in-evidence": ("A quotation's text is not inside its own evidence.", "text: Four blasts"),
    "date-mismatch": ("A date does not match the source's relative words.",
                      "value: 2017-02-24 with as_written: Saturday, source of 2017-02-26"),
    "revision-date": ("A revision dated before its source was published.",
                      "changed: 2017-02-25, source published 2017-02-27"),
    "revision-unchanged": ("A revision whose previous value is the fact's current value.",
                           "previous: more than 40, value: 40 with more_than"),
    "revision-source": ("A revision's source is not among the fact's evidence.", "source: paper, evidence only wire"),
    "source-unused": ("Warning: a source that no fact cites, in an evidence entry or a revision.",
                      "sources wire and paper, every evidence entry citing wire"),
    "conflicting-figures": ("Warning: one claimant gives two different numbers for the same count (same `counts`, "
                            "coverage, part, `scope`, `where`, `context`, unit and date) in one source, and neither "
                            "is a range or vague amount, nor a revision of the other.",
                            "governor: killed 32 and killed 40, both quoting wire"),
}


Severity = Literal["error", "warning"]

# Line breaks and other controls in a file name or in quoted text would start
# a new output line, which CI reads as a command (GitHub's ``::warning::``).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` on one line: every control character is written as its Python escape."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


# The longest message or hint of a diagnostic, in characters; longer ones end in "…".
MAX_TEXT = 400


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in the input, pointing at the YAML node that caused it.

    ``line`` and ``col`` are 1-based, like compilers and editors count them;
    a problem of a file (or folder) as a whole is at 1:1, where editors and CI
    problem matchers can show it. An error stops the build; a warning is
    reported and the build goes on.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"undocumented diagnostic code {self.code!r}; add it to errors.CODES")
        if self.line < 1 or self.col < 1:
            raise ValueError(f"diagnostic {self.code} at {self.line}:{self.col}; lines and columns count from 1")
        # A message or hint quotes the input (a passage, a list of words): however large that is,
        # each stays one readable line.
        for name in ("message", "hint"):
            text = getattr(self, name)
            if text is not None and len(text) > MAX_TEXT:
                object.__setattr__(self, name, text[:MAX_TEXT - 1] + "\u2026")

    def as_warning(self) -> Diagnostic:
        """The same diagnostic, as a warning that does not stop the build."""
        return replace(self, severity="warning")

    def format(self) -> str:
        """Render as ``path:line:col: error: message [code]`` (or ``warning:``) plus a hint line."""
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        text = f"{where}: {self.severity}: {printable(self.message)} [{self.code}]"
        if self.hint:
            text += f"\n  hint: {printable(self.hint)}"
        return text


class TemplateFailure(Exception):
    """A template would not compile, or raised while rendering; the message names its file and line."""


class DataError(Exception):
    """Raised when the content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__(format_diagnostics(self.diagnostics))


def format_diagnostics(diagnostics: Iterable[Diagnostic]) -> str:
    """Human-readable report: every error, then the warnings under a ``warnings:`` line, then the counts."""
    items = list(diagnostics)
    errors = [d for d in items if d.severity == "error"]
    warnings = [d for d in items if d.severity != "error"]
    lines = [d.format() for d in errors]
    if warnings:
        lines += ["warnings:", *(d.format() for d in warnings)]
    counted = count(len(errors), "error")
    if warnings:
        counted += f" and {count(len(warnings), 'warning')}"
    lines.append(f"{counted} found; nothing was written.")
    return "\n".join(lines)


def count(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless one: "1 error", "3 warnings"."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def diagnostics_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: each diagnostic an annotation on its file and line."""
    def escaped(text: str, *, prop: bool = False) -> str:
        # The escapes GitHub's runner undoes; a property also may not hold its separators.
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    lines = []
    for d in diagnostics:
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{d.severity} file={escaped(d.path, prop=True)},line={d.line},col={d.col},"
                     f"title={escaped(d.code, prop=True)}::{escaped(message)}")
    return "\n".join(lines)


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Machine-readable report for editors and CI annotations."""
    return json.dumps([asdict(d) for d in diagnostics], indent=2, ensure_ascii=False)
