"""The files that ship inside the package, which every project uses unless it overrides them one by one.

A project's own templates folder (``templates_dir``) and theme folder (the theme's
``custom_dir``) take precedence file by file, the way a theme's ``custom_dir``
takes precedence over the theme: a newsroom changes one template by saving a file
of that name, and gets every other one, and every fix to them, from the package.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).parent
# The Jinja2 templates of the generated Markdown pages (``*.md.j2``).
PACKAGE_TEMPLATES = _HERE / "templates"
# Theme overrides (structured data, provenance footer, 404 page) and the static files
# under ``factsheet/``: the stylesheet and the vendored search shim.
PACKAGE_THEME = _HERE / "theme"
# What ``factsheet init`` copies into a new project: configuration, workflows, a README.
STARTER = _HERE / "starter"
# Site paths of the static files, as MkDocs copies them from the theme folder.
STYLESHEET = "factsheet/factsheet.css"
SEARCH_SHIM = "factsheet/vendor/iframe-worker/shim.js"


def template_folders(templates_dir: Path | None) -> list[Path]:
    """Where page templates are looked up, first match wins: the project's folder (if any), then the package's."""
    return [*([templates_dir] if templates_dir is not None and templates_dir.is_dir() else []), PACKAGE_TEMPLATES]
