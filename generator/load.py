"""Read a content folder: find the sheets, parse their files, validate each item.

Nothing here stops at the first problem: every file of every sheet is read
and every problem collected, so an author fixes them all in one pass.
"""

from __future__ import annotations

import re
import stat
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import DataError, Diagnostic
from .models import SLUG_PATTERN, SheetInfo, Strict
from .paths import closest, display_path, relative_inside
from .registry import KIND_BY_SECTION, SECTION_KEYS, SHEET_KEY, SITE_FOLDERS
from .yamlsource import PARSED_WITH, Document, NodePath, parse

M = TypeVar("M", bound=Strict)

FACT_FILE_SUFFIXES = (".yml", ".yaml")
# Problems that keep a whole fact file from being read: the sheet's other problems may come from that.
_WHOLE_FILE = frozenset({"file-outside", "not-a-file", "not-utf8", "unreadable", "file-too-large"})


@dataclass(frozen=True)
class Entry(Generic[M]):
    """A validated item and where it was written, for later diagnostics."""

    model: M
    doc: Document
    node_path: NodePath

    def diagnostic(self, code: str, message: str, sub: NodePath = (), hint: str | None = None) -> Diagnostic:
        """A diagnostic pointing at a field of this item."""
        line, col = self.doc.mark((*self.node_path, *sub))
        return Diagnostic(self.doc.path, line, col, code, message, hint)


@dataclass
class RawSheet:
    """Everything one sheet folder holds, item by item, before cross-checks."""

    folder: Path
    info: Entry[SheetInfo] | None = None
    sections: dict[str, list[Entry[Any]]] = field(default_factory=lambda: {name: [] for name in KIND_BY_SECTION})
    # Ids of items that failed validation, and whether a whole file could not
    # be read: references to them are not reported again as dangling.
    invalid_ids: set[str] = field(default_factory=set)
    unreadable_file: bool = False
    # Sources that items which failed validation name: not reported as unused.
    invalid_sources: set[str] = field(default_factory=set)


def sheet_folders(content_dir: Path) -> list[Path]:
    """The folders under ``content_dir`` that hold a sheet, sorted by name.

    Raises :class:`DataError` when ``content_dir`` is not a folder: a missing
    or mistyped ``content_dir`` must not pass for a project with no sheets.
    """
    if not content_dir.is_dir():
        raise DataError([_content_missing(content_dir)])
    return sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


def _content_missing(content_dir: Path) -> Diagnostic:
    shown = display_path(content_dir)
    if content_dir.exists():
        return Diagnostic(shown, 1, 1, "content-missing", f"content folder {shown} is not a folder",
                          "fix content_dir of the factsheet plugin in mkdocs.yml, or move that file away")
    return Diagnostic(shown, 1, 1, "content-missing", f"content folder {shown} does not exist",
                      "create it with `factsheet new <sheet-id>`, or fix content_dir of the factsheet plugin "
                      "in mkdocs.yml")


def fact_files(folder: Path) -> list[Path]:
    """The fact files of one sheet, in name order: its entries named ``*.yml`` or ``*.yaml``.

    Folders and hidden names (editors' lock and backup files) are left out.
    Links, FIFOs and devices are listed, so that reading them can say why
    they are refused rather than skip them without a word.
    """
    return sorted(p for p in folder.iterdir()
                  if p.suffix in FACT_FILE_SUFFIXES and not p.name.startswith(".") and not p.is_dir())


def read_sheet(folder: Path) -> tuple[RawSheet, list[Diagnostic]]:
    """Parse and schema-validate every fact file of one sheet folder.

    A sheet folder must lie inside the content folder, and each fact file
    inside its sheet folder, after following links, as archives must: what
    leads out is reported, not read.
    """
    raw = RawSheet(folder)
    if relative_inside(folder.parent, folder.name) is None:
        return raw, [Diagnostic(_link_path(folder), 1, 1, "file-outside",
                                f"sheet folder is a link to {folder.resolve()}, outside the content folder; "
                                "it is not read", "move the sheet's folder into the content folder")]
    problems: list[Diagnostic] = []
    files = fact_files(folder)
    if not files:
        problems.append(Diagnostic(display_path(folder), 1, 1, "no-fact-files",
                                   "sheet folder holds no .yml fact files",
                                   "run `factsheet new <sheet-id>` to start a sheet"))
    for file in files:
        found = _read_file(file, raw)
        problems += found
        if any(d.code in _WHOLE_FILE or d.code.startswith("yaml-") or d.code == "duplicate-key" for d in found
               if d.code not in PARSED_WITH):
            raw.unreadable_file = True
    if raw.info is None and files and not raw.unreadable_file:
        problems.append(Diagnostic(display_path(files[0]), 1, 1, "missing-sheet",
                                   f"no file of sheet folder '{folder.name}' has a top-level 'sheet:' mapping",
                                   "add `sheet:` with id, title and summary, e.g. in sheet.yml"))
    return raw, problems


def _refused_file(file: Path) -> Diagnostic | None:
    """Why ``file`` is not read as a fact file: it leads out of its sheet folder, or is not a regular file."""
    if relative_inside(file.parent, file.name) is None:
        return Diagnostic(_link_path(file), 1, 1, "file-outside",
                          f"fact file is a link to {file.resolve()}, outside its sheet folder; it is not read",
                          "move the file into the sheet folder instead of linking to it")
    if not file.is_file():
        return Diagnostic(_link_path(file), 1, 1, "not-a-file",
                          f"fact file is {_kind_of(file)}, not a regular file; it is not read",
                          "replace it with a plain .yml file, or rename it so that it does not end in .yml")
    return None


def _kind_of(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a broken link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"


def _link_path(path: Path) -> str:
    """Where a link is, as the user would type it (``display_path`` would show where it leads)."""
    return str(Path(display_path(path.parent)) / path.name)


def _read_file(file: Path, raw: RawSheet) -> list[Diagnostic]:
    refused = _refused_file(file)
    if refused is not None:
        return [refused]
    shown = display_path(file)
    try:
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Diagnostic(shown, 1, 1, "not-utf8", f"file is not UTF-8 text (byte {exc.start})",
                           "save the file as UTF-8")]
    except OSError as exc:
        return [Diagnostic(shown, 1, 1, "unreadable", f"cannot read file: {exc.strerror}")]
    parsed = parse(shown, text)
    if isinstance(parsed, Diagnostic):
        return [parsed]
    doc = parsed
    if doc.data is None:
        return [Diagnostic(shown, 1, 1, "empty-file", "fact file is empty",
                           "add facts under a top-level key such as `events:`, or delete the file")]
    if not isinstance(doc.data, dict):
        return [*doc.problems, _at(doc, (), "not-a-mapping", "a fact file must be a mapping of sections such as "
                                   "`events:`")]
    problems: list[Diagnostic] = list(doc.problems)
    for key, value in doc.data.items():
        if key == SHEET_KEY:
            problems += _read_sheet_info(doc, value, raw)
        elif key in KIND_BY_SECTION:
            problems += _read_section(doc, key, value, raw)
        else:
            raw.invalid_sources |= _named_sources(value)
            problems.append(_at(doc, (key,), "unknown-section", f"unknown top-level key {key!r}",
                                _did_you_mean(key, list(SECTION_KEYS)), key=True))
    return problems


def _read_sheet_info(doc: Document, value: object, raw: RawSheet) -> list[Diagnostic]:
    if raw.info is not None:
        first = raw.info.doc
        line, col = first.mark(raw.info.node_path, key=True)
        raw.invalid_sources |= _named_sources(value)
        return [_at(doc, (SHEET_KEY,), "duplicate-sheet", "the sheet is described twice",
                    f"first described at {first.path}:{line}:{col}", key=True)]
    result = _validate(SheetInfo, doc, (SHEET_KEY,), value)
    if isinstance(result, list):
        raw.invalid_sources |= _named_sources(value)
        return result
    raw.info = result
    if result.model.id != raw.folder.name:
        return [result.diagnostic("id-mismatch", f"sheet id {result.model.id!r} differs from its folder name "
                                  f"{raw.folder.name!r}", ("id",), _id_hint(raw.folder.name))]
    if result.model.id in SITE_FOLDERS:
        return [result.diagnostic("reserved-id", f"sheet id {result.model.id!r} is the name of a folder of the "
                                  f"site's own pages", ("id",),
                                  f"rename the sheet and its folder; {' and '.join(sorted(SITE_FOLDERS))} are taken")]
    return []


def _id_hint(folder_name: str) -> str:
    if re.match(SLUG_PATTERN, folder_name):
        return f"use id: {folder_name}"
    # The folder's name cannot be an id: suggest renaming both to a valid one.
    slug = "-".join(re.findall(r"[a-z0-9]+", folder_name.lower())) or "new-sheet"
    return (f"the folder name is not a valid id (lowercase letters, digits, single hyphens): rename the folder "
            f"to {slug!r} and use id: {slug}")


def _read_section(doc: Document, section: str, value: object, raw: RawSheet) -> list[Diagnostic]:
    if value is None:
        return []
    if not isinstance(value, list):
        raw.invalid_sources |= _named_sources(value)
        return [_at(doc, (section,), "not-a-list", f"'{section}' must be a list of items, each starting with '- '")]
    problems: list[Diagnostic] = []
    for index, item in enumerate(value):
        result = _validate(KIND_BY_SECTION[section].model, doc, (section, index), item)
        if isinstance(result, list):
            problems += result
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                raw.invalid_ids.add(str(item["id"]))
            raw.invalid_sources |= _named_sources(item)
        else:
            raw.sections[section].append(result)
    return problems


def _named_sources(value: object) -> set[str]:
    """Every text under a ``source`` key anywhere in an item as written (nesting is bounded by the parser)."""
    if isinstance(value, list):
        return set().union(*map(_named_sources, value))
    if not isinstance(value, dict):
        return set()
    found = {str(v) for k, v in value.items() if k == "source" and isinstance(v, str)}
    return found.union(*map(_named_sources, value.values()))


def _validate(model: type[M], doc: Document, node_path: NodePath, value: object) -> Entry[M] | list[Diagnostic]:
    if not isinstance(value, dict):
        return [_at(doc, node_path, "not-a-mapping", f"expected a mapping of fields for a {_kind(model)}")]
    try:
        return Entry(model.model_validate(value), doc, node_path)
    except ValidationError as exc:
        return [_schema_diagnostic(model, doc, node_path, error) for error in exc.errors()]


def _schema_diagnostic(model: type[BaseModel], doc: Document, node_path: NodePath, error: Any) -> Diagnostic:
    loc: NodePath = tuple(error["loc"])
    kind = error["type"]
    where = (*node_path, *loc)
    dotted = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        return _at(doc, where, "unknown-field", f"unknown field {loc[-1]!r}",
                   _did_you_mean(str(loc[-1]), allowed), key=True)
    if kind == "missing":
        return _at(doc, where[:-1], "missing-field", f"missing required field {dotted!r}")
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    got = f" (got {value!r})" if isinstance(value, str) and len(value) <= 60 else ""
    label = f"{dotted}: " if dotted else ""
    hint = None
    if isinstance(value, list) and kind not in ("list_type", "too_short", "too_long"):
        # `where: [a, b]`: YAML's list where the field takes one value.
        hint = f"`{loc[-1]}` takes one value, not a list: write `{loc[-1]}: {value[0] if value else '...'}`"
    return _at(doc, where, "invalid-value", f"{label}{message}{got}", hint)


def _fields_at(model: type[BaseModel], loc: NodePath) -> list[str]:
    """Field names of the (nested) model found by walking ``loc`` from ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            continue
        current = _nested_model(current.model_fields[part].annotation)
    return list(current.model_fields) if current else []


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _nested_model(arg)
        if found:
            return found
    return None


def _kind(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _at(doc: Document, node_path: NodePath, code: str, message: str, hint: str | None = None,
        *, key: bool = False) -> Diagnostic:
    line, col = doc.mark(node_path, key=key)
    return Diagnostic(doc.path, line, col, code, message, hint)


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    found = closest(word, choices)
    if found:
        return f"did you mean {found!r}?"
    return f"expected one of: {', '.join(choices)}" if choices else None
