"""``factsheet init`` and ``factsheet new``: start a project, or a sheet, that passes every check and builds."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import tempfile
from pathlib import Path

from .models import SLUG_PATTERN
from .registry import KINDS
from .shipped import STARTER

# The sheet a new project starts with; its folder and id are the editor's to rename.
FIRST_SHEET = "first-sheet"
# Files of a new project: where each comes from in the package's starter folder.
_STARTER_FILES = {
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    ".gitignore": "gitignore",
    ".github/workflows/pages.yml": "workflows/pages.yml",
    ".github/workflows/check.yml": "workflows/check.yml",
}

SHEET_TEMPLATE = """\
# yaml-language-server: $schema=../../schema.json
# A new fact sheet. Every fact needs evidence: a source id and a passage
# quoted verbatim from the archived source text in sources/.
#
# 1. Save the source article as UTF-8 text in sources/, e.g. sources/report.txt
# 2. Describe it under `sources:` (id, publishers, headline, published, archive)
# 3. Add facts under {fact_sections}
#    here or in other .yml files of this folder
# 4. Run `factsheet check`, then `factsheet build`
#
# The site's Guide lists every field; unknown fields are errors.
sheet:
  id: {sheet_id}
  title: {title}
  summary: >-
    One paragraph saying what happened, when and where.

{empty_sections}
"""


def _sheet_file(sheet_id: str, title: str) -> str:
    """The first fact file of a sheet: the sheet, and an empty list for every kind of fact."""
    facts = [f"`{kind.section}:`" for kind in KINDS if kind.is_fact]
    return SHEET_TEMPLATE.format(sheet_id=sheet_id, title=title, fact_sections=", ".join(facts),
                                 empty_sections="\n".join(f"{kind.section}: []" for kind in KINDS))


class ScaffoldError(Exception):
    """The sheet cannot be created as asked."""


def new_sheet(content_dir: Path, sheet_id: str) -> Path:
    """Create ``content_dir/sheet_id`` with a valid, empty sheet; return the folder."""
    if not re.match(SLUG_PATTERN, sheet_id) or len(sheet_id) > 80:
        raise ScaffoldError(f"{sheet_id!r} is not a valid sheet id: use lowercase letters, digits and "
                            "single hyphens, e.g. homs-2017-02-25")
    folder = content_dir / sheet_id
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; nothing was changed")
    title = sheet_id.replace("-", " ").capitalize()
    try:
        (folder / "sources").mkdir(parents=True)
        (folder / "sheet.yml").write_text(_sheet_file(sheet_id, title), encoding="utf-8")
    except OSError as exc:
        # e.g. the content folder is a file, or read-only
        raise ScaffoldError(f"cannot create {folder}: {exc.strerror or exc}") from None
    return folder


def init_project(folder: Path) -> list[Path]:
    """Create a project in ``folder`` (new, or empty) that checks and builds at once; return the files made.

    Everything is written into a work folder beside it first and then renamed into
    place, so a failure leaves nothing half made.
    """
    from .export import json_schema  # the models, only for this command

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists and is not an empty folder; nothing was changed. "
                            "Choose a new folder, e.g. factsheet init my-sheets")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".factsheet-init-", dir=folder.parent) as work:
            staging = Path(work) / "project"
            for target, source in _STARTER_FILES.items():
                (staging / target).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(STARTER / source, staging / target)
            version = importlib.metadata.version("factsheet")
            (staging / "requirements.txt").write_text(f"factsheet=={version}\n", encoding="utf-8")
            (staging / "schema.json").write_text(json_schema(), encoding="utf-8")
            # MkDocs needs the folder of the site's own pages, though the sheets need none.
            (staging / "docs").mkdir()
            (staging / "docs" / ".gitkeep").touch()
            new_sheet(staging / "content", FIRST_SHEET)
            if folder.exists():
                folder.rmdir()
            staging.rename(folder)
    except OSError as exc:
        raise ScaffoldError(f"cannot create {folder}: {exc.strerror or exc}; nothing was changed") from None
    return sorted(path for path in folder.rglob("*") if path.is_file())
