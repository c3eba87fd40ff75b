"""Render sheets into Markdown pages: ``{path: markdown}``, without touching the disk.

Every value a template prints is escaped for Markdown and HTML unless it is
:class:`markupsafe.Markup`: the output of macros (already escaped inside) and
of this module's ``anchor`` and ``url`` filters. Fact text is passed to
templates as data, never compiled as template source, so ``{{ 7*7 }}`` in a
fact stays literal.
"""

from __future__ import annotations

import calendar
import re
import traceback
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .anchors import fragment
from .charts import casualty_chart, timeline_chart
from .docgen import cli_reference, error_codes, field_reference
from .models import SLUG_PATTERN
from .sheet import Project, Sheet, figure_text

# Characters that Markdown or HTML would act on anywhere in a line. Numeric
# references work in every position (table cells, headings, link text),
# unlike backslash escapes, which Python-Markdown honours only for some.
# Quote marks need no escape in text (no smarty extension), and each entity
# costs Python-Markdown an inline-pattern pass, so the set is kept to these.
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in "&<>`\\*_[]{}|#"}
# Constructs that only act at the start of a line: lists, quotes, rules, fences.
_LINE_START = re.compile(r"^(?:[-+>:!=~^$]|\d+(?=[.)]))")
_SLUG = re.compile(SLUG_PATTERN)
_SPACE = re.compile(r"\s+")


def markdown_escape(text: str) -> str:
    """Make ``text`` display literally in Markdown, as one line of inline text."""
    escaped = _SPACE.sub(" ", text).translate(_ENTITIES)
    body = escaped.lstrip(" ")
    if _LINE_START.match(body):
        # Entity-encode the first character so no block construct can start.
        indent = len(escaped) - len(body)
        escaped = f"{escaped[:indent]}&#{ord(body[0])};{body[1:]}"
    return escaped


def _finalize(value: object) -> Markup:
    # With autoescape on, Jinja leaves Markup alone: so escaping for Markdown
    # here, once, covers every printed value, and macro output (Markup) passes.
    if isinstance(value, Markup):
        return value
    if value is None:
        # Printing "None" into a page is always a template bug.
        raise TypeError("a template printed None; guard optional fields with {% if %}")
    return Markup(markdown_escape(str(value)))  # noqa: S704 - escaped for Markdown and HTML


def _join(items: Iterable[object], separator: str = "") -> str:
    # Jinja's own join returns Markup under autoescape, which would skip the
    # Markdown escaping; a plain string gets escaped like any other value.
    return separator.join(str(item) for item in items)


def _url(value: str) -> Markup:
    """A link target, percent-encoded so it cannot end the Markdown link early."""
    return Markup(quote(value, safe=":/?#@!$&*+,;=%~-._"))  # noqa: S704 - percent-encoded above


def _anchor(value: str) -> Markup:
    """An id used in a URL fragment or file name; ids are validated slugs."""
    if not _SLUG.match(value):
        raise ValueError(f"not a safe id: {value!r}")
    return Markup(value)  # noqa: S704 - matched against the slug pattern above


def _fragment(value: str, kind: str) -> Markup:
    """A fact's fragment id (``event--x``); ids are validated slugs."""
    return Markup(fragment(value, kind))  # noqa: S704 - a kind and a slug, checked in fragment()


def _trusted(value: str) -> Markup:
    """Markdown written by this project (model descriptions, docstrings), never fact text."""
    return Markup(value)  # noqa: S704 - only for the guide's text from our own source code


def _number(value: int) -> str:
    return f"{value:,}"


def _long_date(value: date) -> str:
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def make_environment(templates_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment for Markdown templates: strict, escaping by default."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(join=_join, url=_url, anchor=_anchor, fragment=_fragment, number=_number, long_date=_long_date,
                       figure=figure_text, trusted=_trusted)
    # Charts are SVG built and escaped in generator.charts.
    env.globals.update(casualty_chart=lambda *a, **k: Markup(casualty_chart(*a, **k)),  # noqa: S704
                       timeline_chart=lambda *a, **k: Markup(timeline_chart(*a, **k)))  # noqa: S704
    return env


# Pages of one sheet: output path (relative to the sheet folder) -> template.
SHEET_PAGES = {
    "index.md": "overview.md.j2",
    "timeline.md": "timeline.md.j2",
    "casualties.md": "casualties.md.j2",
    "actors/index.md": "actors.md.j2",
    "places.md": "places.md.j2",
    "context.md": "context.md.j2",
    "quotes.md": "quotes.md.j2",
    "sources.md": "sources.md.j2",
    "data.md": "data.md.j2",
    "corrections.md": "corrections.md.j2",
    "print.md": "print.md.j2",
}
PAGE_TITLES = {
    "index.md": "Overview", "timeline.md": "Timeline", "casualties.md": "Casualties",
    "actors/index.md": "Actors", "places.md": "Places", "context.md": "Context",
    "quotes.md": "Quotes", "sources.md": "Sources", "data.md": "Data",
    "corrections.md": "Corrections", "print.md": "Whole sheet (print)",
}


class TemplateFailure(Exception):
    """A template would not compile, or raised while rendering; the message names its file and line."""


def _render(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render one template; any failure becomes a :class:`TemplateFailure` that says where."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateFailure(f"{exc.filename or name}:{exc.lineno}: template error: {exc.message}") from exc
    except Exception as exc:
        # Templates are code the user may edit: whatever they raise ({{ 1/0 }},
        # an undefined name, a filter given the wrong type) is reported as an
        # error in the template, at the innermost template line involved.
        line = next((f"{frame.filename}:{frame.lineno}" for frame in reversed(traceback.extract_tb(exc.__traceback__))
                     if frame.filename.endswith(".j2")), name)
        raise TemplateFailure(f"{line}: template error: {type(exc).__name__}: {exc}") from exc


def _root(page: str) -> Markup:
    return Markup("../" * page.count("/"))  # noqa: S704 - a constant path prefix


def render_sheet(env: jinja2.Environment, sheet: Sheet, *, multiple: bool) -> dict[str, str]:
    """Every page of one sheet, keyed by path relative to the site root."""
    pages: dict[str, str] = {}
    for page, template in SHEET_PAGES.items():
        pages[f"{sheet.id}/{page}"] = _render(env, template, sheet=sheet, root=_root(page), multiple=multiple)
    for actor in sheet.actors:
        path = f"{sheet.id}/actors/{actor.id}.md"
        if path in pages:
            # checks.RESERVED_IDS keeps ids off the sheet's own pages; never overwrite one silently.
            raise ValueError(f"actor {actor.id!r} would replace the page {path}")
        pages[path] = _render(
            env, "actor.md.j2", sheet=sheet, actor=actor, mentions=sheet.mentions(actor.id),
            root=_root("actors/x.md"), multiple=multiple)
    return pages


# Generated pages of the user guide; the guide's hand-written pages live in docs/guide/.
GUIDE_PAGES = {
    "guide/reference.md": ("guide-reference.md.j2", "Field reference"),
    "guide/errors.md": ("guide-errors.md.j2", "Error codes"),
    "guide/cli.md": ("guide-cli.md.j2", "Command line"),
}


def render_guide(env: jinja2.Environment) -> dict[str, str]:
    """The reference pages of the user guide, generated from the models, the CLI and the error codes."""
    data = {"models": field_reference(), "codes": error_codes(), "commands": cli_reference()}
    return {path: _render(env, template, **data) for path, (template, _) in GUIDE_PAGES.items()}


def render_home(env: jinja2.Environment, project: Project) -> dict[str, str]:
    """The home page, which lists every sheet."""
    return {"index.md": _render(env, "home.md.j2", project=project)}


def render_project(project: Project, templates_dir: Path) -> dict[str, str]:
    """Every generated page of the site: ``{path: markdown}``, in a stable order."""
    env = make_environment(templates_dir)
    multiple = len(project.sheets) > 1
    pages = render_home(env, project)
    for sheet in project.sheets:
        pages.update(render_sheet(env, sheet, multiple=multiple))
    pages.update(render_guide(env))
    return pages

