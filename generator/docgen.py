"""Data for the generated reference pages of the user guide.

Fields come from the models, commands from the CLI, diagnostic codes from
:mod:`generator.errors`: generated, so the documentation cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

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


def _type_text(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return f"{_KEY_OF[name]} item" if name in _KEY_OF else name
    if "anyOf" in prop:
        kinds = [_type_text(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if prop.get("type") == "array":
        return f"list of {_type_text(prop.get('items', {}))}"
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if prop.get("pattern") == CLOCK_PATTERN:
        return "time of day (HH:MM)"
    if prop.get("pattern"):
        return "id"
    return str(prop.get("type", "text")).replace("string", "text")


def field_reference() -> list[ModelDoc]:
    """Every documented model with every field: name, type, whether required, description."""
    # One schema for all the models: pydantic then walks each shared part once, not once per
    # model that holds it (a fifth of the time, on every build, as the guide is always rendered).
    _, schema = models_json_schema([(model, "validation") for _, model in DOCUMENTED_MODELS])
    docs = []
    for key, model in DOCUMENTED_MODELS:
        found = schema["$defs"][model.__name__]
        props = found.get("properties") or found.get("anyOf", [{}])[-1].get("properties", {})
        fields = [FieldDoc(name, _type_text(props.get(name, {})), info.is_required(), info.description or "")
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
