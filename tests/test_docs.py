"""The user guide: generated from the code, so a field, command or code without documentation fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from pydantic.json_schema import models_json_schema

from generator.cli import main
from generator.docgen import DOCUMENTED_MODELS, cli_reference, field_reference
from generator.errors import CODES
from generator.models import CLOCK_PATTERN
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import ROOT


def test_every_field_of_every_model_has_a_description() -> None:
    missing = [f"{model.__name__}.{name}" for _, model in DOCUMENTED_MODELS
               for name, info in model.model_fields.items() if not (info.description or "").strip()]
    assert not missing, f"fields without a description: {missing}"
    for doc in field_reference():
        assert doc.summary, doc.key
        assert all("|" not in f.description for f in doc.fields), "a | would break the reference table"


def _schema_type(prop: dict[str, Any], key_of: dict[str, str]) -> str:
    """The type pydantic's JSON Schema gives a field, in the reference's words: the oracle for its own namer."""
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return f"{key_of[name]} item" if name in key_of else name
    if "anyOf" in prop:
        return " or ".join(dict.fromkeys(_schema_type(p, key_of) for p in prop["anyOf"] if p.get("type") != "null"))
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if prop.get("type") == "array":
        return f"list of {_schema_type(prop['items'], key_of)}"
    if prop.get("format") == "date":
        return "date (YYYY-MM-DD)"
    if prop.get("pattern"):
        return "time of day (HH:MM)" if prop["pattern"] == CLOCK_PATTERN else "id"
    kind = prop["type"]
    # A date's value is text to the checker; the schema lets an editor's YAML 1.2 parser read a bare year as a number.
    kind = "string" if kind == ["string", "integer"] else kind
    return {"string": "text", "integer": "integer", "boolean": "boolean", "number": "number"}[kind]


def test_each_fields_type_in_the_reference_is_the_one_its_json_schema_gives() -> None:
    # The reference names types from the annotations (quicker than generating a schema on every
    # build); pydantic's JSON Schema of the same models must say the same of every field.
    _, schema = models_json_schema([(model, "validation") for _, model in DOCUMENTED_MODELS])
    key_of = {model.__name__: key for key, model in DOCUMENTED_MODELS}
    for doc, (_, model) in zip(field_reference(), DOCUMENTED_MODELS, strict=True):
        found = schema["$defs"][model.__name__]
        props = found.get("properties") or found["anyOf"][-1]["properties"]
        assert [f.name for f in doc.fields] == list(props), model.__name__
        for field in doc.fields:
            assert field.type == _schema_type(props[field.name], key_of), (model.__name__, field.name)


def test_every_command_and_option_has_help() -> None:
    documented = {c.name for c in cli_reference(main)}
    assert documented == set(main.commands)
    for command in cli_reference(main):
        assert command.help, command.name
        assert all(text.strip() for _, text in command.options), command.name


def test_every_error_code_has_a_meaning_and_an_example() -> None:
    assert all(meaning and example for meaning, example in CODES.values())
    fixtures = Path(__file__).parent / "fixtures" / "bad"
    used = {line.rsplit(" ", 1)[-1] for f in fixtures.glob("*/expected") for line in f.read_text().split("\n") if line}
    assert used <= set(CODES)


def test_guide_pages_are_built_and_in_the_navigation(built_site: Path) -> None:
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = [a.get_text(strip=True) for a in home.select("nav.md-nav--primary a")]
    for title in ("Writing a sheet", "Field reference", "Error codes", "Command line"):
        assert title in nav
    reference = BeautifulSoup((built_site / "guide" / "reference.html").read_text(encoding="utf-8"), "html.parser")
    shown = {cell.get_text(strip=True) for cell in reference.select("article tbody tr td:first-child")}
    for _, model in DOCUMENTED_MODELS:
        assert set(model.model_fields) <= shown, model.__name__
    errors = (built_site / "guide" / "errors.html").read_text(encoding="utf-8")
    assert all(f'id="{code}"' in errors for code in CODES)
    cli = (built_site / "guide" / "cli.html").read_text(encoding="utf-8")
    assert all(f"factsheet {name}" in cli for name in main.commands)
    authoring = (PACKAGE_TEMPLATES / "guide-authoring.md.j2").read_text(encoding="utf-8")
    assert "yaml-language-server: $schema=" in authoring and "revisions:" in authoring


def test_scaffold_points_editors_at_the_schema(tmp_path: Path) -> None:
    from generator.scaffold import new_sheet

    folder = new_sheet(tmp_path / "content", "demo")
    first = (folder / "sheet.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema.json"
    # From content/<sheet>/, that path is the schema committed at the top of the repository.
    assert (ROOT / "content" / "any-sheet" / ".." / ".." / "schema.json").resolve().is_file()


def test_the_pages_workflow_checks_strictly_before_it_builds() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["build"]["steps"]]
    check = next(i for i, run in enumerate(runs) if run.strip().startswith("factsheet check --strict"))
    build = next(i for i, run in enumerate(runs) if run.strip().startswith("factsheet build"))
    assert check < build


def test_check_strict_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    authoring = (PACKAGE_TEMPLATES / "guide-authoring.md.j2").read_text(encoding="utf-8")
    (row,) = [line for line in readme.splitlines() if line.startswith("| `factsheet check` |")]
    assert "`--strict`" in row
    assert "factsheet check --strict" in authoring.split("## Check the sheet")[1].split("\n## ")[0]
    (check,) = [c for c in cli_reference(main) if c.name == "check"]
    assert any("--strict" in option and "warnings" in text for option, text in check.options)
