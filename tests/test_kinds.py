"""A new kind of fact is three additions: its model, its registry entry, its template.

The test adds a throwaway kind, "incidents", to a copy of the package in exactly
those three places and checks that everything else takes it up unasked:
validation, the evidence check, the pages (its own, the overview's list, the
actors' pages, the print), the sidebar, the downloads, the schema and the guide.
It also holds the registry's other single tables to their word.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import get_args

import jinja2
import jinja2.nodes

from generator.models import ACTOR_KIND_LABELS, QUALIFIERS, ActorKind, Qualifier
from generator.registry import KINDS, SECTION_KEYS
from generator.sheet import Sheet
from generator.shipped import PACKAGE_TEMPLATES

from .helpers import ROOT, SHEET, TALLY, copy_project, write_sheet

MODEL = '''

class Incident(_Involves):
    """A separate incident the reports tie to the event."""

    id: Slug = Field(description="Id used in references and anchors.")
    title: TextField = Field(description="A short heading.")
    description: TextField = Field(description="What happened, as the source states it.")
'''
ENTRY = '''    Kind("incidents", Incident, "incident", "Incidents the reports tie to the event.", page="incidents",
         label="Incidents", csv_rank=6, csv_rows="incidents",
         columns=_evidence(Column("id", lambda i: i.id), Column("title", lambda i: i.title))),
'''
PAGE = '''    Page("incidents", "incidents.md", "incidents.md.j2", "Incidents", summary="incidents tied to the event."),
'''
TEMPLATE = '''{% extends "_sheet_page.md.j2" %}

{% block title %}Incidents{% endblock %}
{% block body %}
{% for i in sheet.of("incidents") %}
## {{ i.title }} { #{{ i.id|fragment("incident") }} }

{{ i.description }}

{{ m.evidence(sheet, i.evidence, root) }}

{% endfor %}
{% endblock %}
'''
INCIDENTS = """\
incidents:
  - id: blasts
    title: The three blasts
    description: Three blasts went off.
    actors: [governor]
    evidence:
      - source: wire
        quote: Three blasts killed
"""


def package_with_a_new_kind(target: Path) -> Path:
    """A copy of the package with the kind added in its three places; the folder to put on PYTHONPATH."""
    package = target / "generator"
    shutil.copytree(ROOT / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    models = package / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + MODEL, encoding="utf-8")
    registry = package / "registry.py"
    text = registry.read_text(encoding="utf-8")
    text = text.replace("    ContextItem,\n", "    ContextItem,\n    Incident,\n", 1)
    text = text.replace("\n)\nKIND_BY_SECTION", "\n" + ENTRY.rstrip("\n") + "\n)\nKIND_BY_SECTION", 1)
    text = text.replace('    Page("data",', PAGE + '    Page("data",', 1)
    assert "    Incident,\n" in text and PAGE in text and ENTRY in text
    registry.write_text(text, encoding="utf-8")
    (package / "templates" / "incidents.md.j2").write_text(TEMPLATE, encoding="utf-8")
    return target


def run_copy(pythonpath: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def test_a_new_kind_needs_only_its_model_its_registry_entry_and_its_template(tmp_path: Path) -> None:
    pythonpath = package_with_a_new_kind(tmp_path / "pkg")
    project = copy_project(tmp_path / "project", with_content=False)
    folder = write_sheet(project / "content", {"sheet.yml": SHEET, "tallies.yml": TALLY, "incidents.yml": INCIDENTS})

    result = run_copy(pythonpath, project, "render", "-d", str(tmp_path / "tree"))
    assert result.returncode == 0, result.stderr
    tree = tmp_path / "tree"
    page = (tree / "demo" / "incidents.md").read_text(encoding="utf-8")
    assert "## The three blasts" in page and "Three blasts killed" in page and "incident--blasts" in page
    assert "[Incidents](incidents.md): incidents tied to the event." in (tree / "demo" / "index.md").read_text()
    actor = (tree / "demo" / "actors" / "governor.md").read_text(encoding="utf-8")
    assert "## Incidents" in actor and "(../incidents.md#incident--blasts)" in actor
    assert "## The three blasts" in (tree / "demo" / "print.md").read_text(encoding="utf-8")
    facts = json.loads((tree / "demo" / "facts.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in facts["incidents"]] == ["blasts"]
    assert "blasts,The three blasts" in (tree / "demo" / "incidents.csv").read_text(encoding="utf-8")
    assert "incidents.csv" in (tree / "demo" / "data.md").read_text(encoding="utf-8")
    assert "incidents" in json.loads((tree / "schema.json").read_text(encoding="utf-8"))["properties"]
    assert "Incidents the reports tie to the event." in (tree / "guide" / "reference.md").read_text()
    assert "`incidents:`" in (tree / "guide" / "authoring.md").read_text(encoding="utf-8")

    result = run_copy(pythonpath, project, "build")
    assert result.returncode == 0, result.stderr
    sidebar = (project / "site" / "demo" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="incidents\.html" class="md-nav__link">\s*<span class="md-ellipsis">\s*Incidents',
                     sidebar)

    incidents = folder / "incidents.yml"
    incidents.write_text(INCIDENTS.replace("Three blasts killed", "Four blasts killed"), encoding="utf-8")
    result = run_copy(pythonpath, project, "check")
    assert result.returncode == 1 and "incidents.yml:8:16: error: evidence quote does not occur" in result.stderr
    incidents.write_text(INCIDENTS.replace("    title:", "    headline:"), encoding="utf-8")
    result = run_copy(pythonpath, project, "check")
    assert result.returncode == 1 and "incidents.yml:3:5" in result.stderr and "headline" in result.stderr


def test_actor_kinds_and_qualifiers_each_have_one_table() -> None:
    assert list(ACTOR_KIND_LABELS) == list(get_args(ActorKind))
    assert list(QUALIFIERS) == sorted(get_args(Qualifier), key=list(QUALIFIERS).index)
    assert set(QUALIFIERS) == set(get_args(Qualifier))


def _attributes_of(name: str, node: jinja2.nodes.Node) -> set[str]:
    """Every attribute the template reads from the variable ``name`` (``sheet.events`` gives "events")."""
    return {found.attr for found in node.find_all(jinja2.nodes.Getattr)
            if isinstance(found.node, jinja2.nodes.Name) and found.node.name == name}


def test_every_sheet_accessor_the_templates_use_exists() -> None:
    """Templates reach the sheet by name, where mypy cannot follow: each name must be one of Sheet's."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(PACKAGE_TEMPLATES), autoescape=True)
    used: dict[str, set[str]] = {}
    for template in sorted(PACKAGE_TEMPLATES.glob("*.j2")):
        tree = env.parse(template.read_text(encoding="utf-8"))
        for attribute in _attributes_of("sheet", tree):
            used.setdefault(attribute, set()).add(template.name)
    assert len(used) > 15
    fields = {field.name for field in dataclasses.fields(Sheet)}
    missing = {name: sorted(where) for name, where in used.items() if not hasattr(Sheet, name) and name not in fields}
    assert not missing, f"templates use what Sheet does not have: {missing}"


def test_the_readme_field_table_has_a_row_for_every_key_naming_every_field() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (.+) \|$", readme, re.MULTILINE))
    assert [key for key in rows if key in SECTION_KEYS] == list(SECTION_KEYS)
    missing = {kind.section: [field for field in kind.model.model_fields
                              if not re.search(rf"\b{field}\b", rows[kind.section])] for kind in KINDS}
    assert not any(missing.values()), f"README's rows do not name these fields: {missing}"
