"""Data for the generated reference pages of the user guide.

Fields come from the models, commands from the CLI, diagnostic codes from
:mod:`generator.errors`: generated, so the documentation cannot drift.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import click
from pydantic import BaseModel

from .errors import CODES
from .export import PublishedTally
from .models import (
    CLOCK_PATTERN,
    DateSpec,
    EditorsReading,
    Evidence,
    Figure,
    FigureRevision,
    Note,
    Revision,
    SheetInfo,
    Withdrawal,
)
from .registry import KINDS, SHEET_KEY, FactFile

# The models an author writes, in the order the reference presents them: the
# fact file, the sheet, every kind of fact, then the parts they share.
DOCUMENTED_MODELS: list[tuple[str, type[BaseModel]]] = [
    ("Fact file", FactFile), (SHEET_KEY, SheetInfo), *((kind.section, kind.model) for kind in KINDS),
    ("evidence", Evidence), ("date", DateSpec), ("revisions", Revision), ("figure revisions", FigureRevision),
    ("previous", Figure), ("withdrawn", Withdrawal), ("editors_reading", EditorsReading), ("figures_note", Note),
    ("published tallies", PublishedTally),
]


@dataclass(frozen=True)
class FieldDoc:
    """One field of one model, as the reference shows it."""

    name: str
    type: str
    required: bool
    description: str


@dataclass(frozen=True)
class ModelDoc:
    """One kind of item and its fields."""

    key: str
    summary: str
    fields: list[FieldDoc]


_KEY_OF = {model.__name__: key for key, model in DOCUMENTED_MODELS}
_SIMPLE: dict[object, str] = {bool: "boolean", int: "integer", float: "number"}


def _type_text(annotation: Any, metadata: Iterable[object] = ()) -> str:
    """How the reference names a field's type, from its annotation and constraints."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type_text(args[0], (*metadata, *annotation.__metadata__))
    if origin in (Union, UnionType):
        return " or ".join(dict.fromkeys(_type_text(arg) for arg in args if arg is not NoneType))
    if origin is Literal:
        return "one of " + ", ".join(f"`{value}`" for value in args)
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        name = annotation.__name__
        return f"{_KEY_OF[name]} item" if name in _KEY_OF else name
    if annotation is date:
        return "date (YYYY-MM-DD)"
    patterns = {getattr(constraint, "pattern", None) for constraint in metadata} - {None}
    if CLOCK_PATTERN in patterns:
        return "time of day (HH:MM)"
    if patterns:
        return "id"
    return _SIMPLE.get(annotation, "text")


def field_reference() -> list[ModelDoc]:
    """Every documented model with every field: name, type, whether required, description."""
    # From the annotations, not from pydantic's JSON Schema: generating that took 18 ms of every
    # build (the guide is always rendered), and it names a type that a schema hook widens.
    docs = []
    for key, model in DOCUMENTED_MODELS:
        fields = [FieldDoc(name, _type_text(info.annotation, info.metadata), info.is_required(),
                           info.description or "")
                  for name, info in model.model_fields.items()]
        summary = (model.__doc__ or "").strip().splitlines()[0].replace("``", "`")
        docs.append(ModelDoc(key, summary, fields))
    return docs


@dataclass(frozen=True)
class CommandDoc:
    """One CLI command: how to call it, what it does, its options."""

    name: str
    usage: str
    help: str
    options: list[tuple[str, str]]


def cli_reference(group: click.Group) -> list[CommandDoc]:
    """Every command of a click group (the ``factsheet`` CLI), read from the group itself."""
    docs = []
    # Each command's context inside the group's, as when it runs: it inherits the group's settings (-h).
    parent = click.Context(group, info_name="factsheet", **group.context_settings)
    for name, command in sorted(group.commands.items()):
        ctx = click.Context(command, info_name=name, parent=parent)
        usage = " ".join(command.collect_usage_pieces(ctx))
        options = []
        for param in command.get_params(ctx):
            # Arguments appear in the usage line; click 8.5 also gives them help records.
            if not isinstance(param, click.Option):
                continue
            record = param.get_help_record(ctx)
            if record is not None:
                options.append(record)
        docs.append(CommandDoc(name, f"factsheet {name} {usage}".strip(), (command.help or "").strip(), options))
    return docs


def error_codes() -> list[tuple[str, str, str]]:
    """Every diagnostic code with its meaning and an example, sorted by code."""
    return [(code, meaning, example) for code, (meaning, example) in sorted(CODES.items())]
