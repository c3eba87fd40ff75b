"""Render sheets into Markdown pages: ``{path: markdown}``, without touching the disk.

Every value a template prints is escaped for Markdown and HTML unless it is
:class:`markupsafe.Markup`: the output of macros (already escaped inside) and
of this module's ``anchor`` and ``url`` filters. Fact text is passed to
templates as data, never compiled as template source, so ``{{ 7*7 }}`` in a
fact stays literal.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .charts import both, casualty_chart, claims_chart, timeline_chart
from .dates import long_date
from .docgen import CommandDoc, error_codes, field_reference
from .errors import TemplateFailure
from .models import ACTOR_KIND_LABELS, SLUG_PATTERN, Tally
from .registry import CSV_KINDS, GUIDE_FOLDER, KINDS, PAGE_BY_NAME, PAGES, SHARED_ACTORS, fragment, link
from .sheet import Claim, Project, Sheet
from .shipped import template_folders

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
_STRAIGHT_PAIR = re.compile(r'"([^"]*)"')
_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """Make ``text`` display literally in Markdown, as one line of inline text."""
    escaped = _SPACE.sub(" ", text).translate(_ENTITIES)
    body = escaped.lstrip(" ")
    if _LINE_START.match(body):
        # Entity-encode the first character so no block construct can start.
        indent = len(escaped) - len(body)
        escaped = f"{escaped[:indent]}&#{ord(body[0])};{body[1:]}"
    return escaped


class PrintedPassages:
    """The passages the whole-sheet page has printed so far: on paper each is printed in full once, then named.

    A set, as a sheet may quote thousands of passages: a list searched for each would be quadratic.
    """

    def __init__(self) -> None:
        self._printed: set[tuple[str, str]] = set()

    def first(self, source_id: str, passage: str) -> bool:
        """Whether ``passage`` of the source ``source_id`` is printed here for the first time; it now has been."""
        if (source_id, passage) in self._printed:
            return False
        self._printed.add((source_id, passage))
        return True


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


def _link(value: str, kind: str) -> Markup:
    """Where item ``value`` of ``kind`` is shown, from the sheet's folder: ``casualties.md#tally--x``."""
    return Markup(link(value, kind))  # noqa: S704 - a page path and a slug, checked in fragment()


def _page(name: str) -> Markup:
    """The path of a sheet's page from the sheet's folder: ``timeline.md``."""
    return Markup(PAGE_BY_NAME[name].path)  # noqa: S704 - a constant of the page map


def _figure(tally: Tally) -> str:
    return tally.figure()


def _nested(text: str) -> str:
    """A quotation's own quotation marks as single ones: pages set every quotation in double marks."""
    return _STRAIGHT_PAIR.sub("\u2018\\1\u2019", text).replace("\u201c", "\u2018").replace("\u201d", "\u2019")


def _emphasise(passage: str, words: str) -> Markup:
    """A quoted passage with the quotation it carries in bold, so a quotation shows once, in its context."""
    # Quote marks are turned before the split, so a pair that encloses the quotation stays a pair.
    flat, wanted = _nested(_SPACE.sub(" ", passage)), _nested(_SPACE.sub(" ", words))
    before, found, after = flat.partition(wanted)
    if not found:
        return Markup(markdown_escape(flat))  # noqa: S704 - escaped for Markdown and HTML
    parts = (markdown_escape(before), markdown_escape(found), markdown_escape(after))
    return Markup("{}**{}**{}".format(*parts))  # noqa: S704 - each part escaped for Markdown and HTML


def _demote(markdown: str) -> Markup:
    """Every heading one level down, for a page included in the whole-sheet page under its title.

    Only templates write headings: a ``#`` from fact text is escaped and never starts a line.
    """
    return Markup(_HEADING.sub(r"#\1 ", markdown))  # noqa: S704 - rendered template output, already escaped


def _trusted(value: str) -> Markup:
    """Markdown written by this project (model descriptions, docstrings), never fact text."""
    return Markup(value)  # noqa: S704 - only for the guide's text from our own source code


def _number(value: int) -> str:
    return f"{value:,}"


def _casualty_chart(sheet: Sheet, tallies: Sequence[Tally] | None = None, chart_id: str = "figures") -> Markup:
    return Markup(both(lambda ident, width: casualty_chart(sheet, tallies, ident, width), chart_id))  # noqa: S704


def _claims_chart(sheet: Sheet, claims: Sequence[Claim], chart_id: str) -> Markup:
    return Markup(both(lambda ident, width: claims_chart(sheet, claims, ident, width), chart_id))  # noqa: S704


def _timeline_chart(sheet: Sheet, chart_id: str = "timeline") -> Markup:
    return Markup(both(lambda ident, width: timeline_chart(sheet, ident, width), chart_id))  # noqa: S704


def make_environment(templates_dir: Path | None, bytecode_cache: jinja2.BytecodeCache | None = None
                     ) -> jinja2.Environment:
    """The Jinja2 environment for Markdown templates: strict, escaping by default.

    ``templates_dir`` holds the project's own templates, which take precedence over
    the package's (:func:`template_folders`). ``bytecode_cache`` keeps compiled
    templates between processes (:mod:`generator.templatecache`).
    """
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_folders(templates_dir)]),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(join=_join, url=_url, anchor=_anchor, fragment=_fragment, link=_link, page=_page,
                       number=_number, long_date=long_date, figure=_figure, trusted=_trusted,
                       nested=_nested, emphasise=_emphasise, demote=_demote)
    # The page map, the kinds of fact and of actor, for menus, lists and downloads.
    env.globals.update(pages=PAGES, kinds=KINDS, csv_kinds=CSV_KINDS, actor_kinds=ACTOR_KIND_LABELS,
                       printed_passages=PrintedPassages)
    # Charts are SVG built and escaped in generator.charts, each for a phone and for a desktop.
    env.globals.update(casualty_chart=_casualty_chart, claims_chart=_claims_chart, timeline_chart=_timeline_chart)
    return env


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


def render_sheet(env: jinja2.Environment, sheet: Sheet, shared: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every page of one sheet (those of :data:`~generator.registry.PAGES`), keyed by path from the site root.

    ``shared`` maps the ids of the sheet's actors that other sheets name too to their site-wide
    page's id (:attr:`Project.shared_actors`): their pages link to it.
    """
    pages: dict[str, str] = {}
    menus: dict[str, Markup] = {}  # by depth: the menu is the same on every page (0.13 s at 1,000 pages)
    for page in PAGES:
        for item in sheet.of(page.each) if page.each else (None,):
            path = page.path_of(item.id if item is not None else None)
            root = _root(path)
            if root not in menus:
                # Rendered by a template, so escaped like any page, with its final line break.
                menus[root] = Markup(_render(env, "_sheet_menu.md.j2", sheet=sheet, root=root).rstrip("\n"))  # noqa: S704
            if f"{sheet.id}/{path}" in pages:
                # checks.RESERVED_IDS keeps ids off the sheet's own pages; never overwrite one silently.
                raise ValueError(f"{page.name} {item.id if item else ''!r} would replace the page {path}")
            extra = {} if item is None else {"item": item, "facts": sheet.mentions(item.id)}
            pages[f"{sheet.id}/{path}"] = _render(env, page.template, sheet=sheet, root=root, menu=menus[root],
                                                  shared=shared or {}, shared_folder=SHARED_ACTORS, **extra)
    return pages


# The pages of the editors' guide: templates like the others, so a project can override one.
GUIDE_PAGES = {
    f"{GUIDE_FOLDER}/authoring.md": ("guide-authoring.md.j2", "Writing a sheet"),
    f"{GUIDE_FOLDER}/reference.md": ("guide-reference.md.j2", "Field reference"),
    f"{GUIDE_FOLDER}/errors.md": ("guide-errors.md.j2", "Error codes"),
    f"{GUIDE_FOLDER}/cli.md": ("guide-cli.md.j2", "Command line"),
}


def render_guide(env: jinja2.Environment, commands: list[CommandDoc]) -> dict[str, str]:
    """The reference pages of the user guide, from the models, the error codes and ``commands`` (the CLI's)."""
    data = {"models": field_reference(), "codes": error_codes(), "commands": commands}
    return {path: _render(env, template, **data) for path, (template, _) in GUIDE_PAGES.items()}


def render_home(env: jinja2.Environment, project: Project) -> dict[str, str]:
    """The home page, which lists every sheet, and a page for each actor that several sheets name."""
    pages = {"index.md": _render(env, "home.md.j2", project=project)}
    for key, entries in project.shared_actors.items():
        pages[f"{SHARED_ACTORS}/{key}.md"] = _render(env, "shared-actor.md.j2", entries=entries, root=_root("a/b"))
    return pages
