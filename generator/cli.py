"""The ``factsheet`` command: check, build, serve and start fact sheets."""

from __future__ import annotations

import errno
import socket
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click
from mkdocs.config.defaults import MkDocsConfig

from .build import (
    BuildError,
    ConfigError,
    build_loaded,
    check_facts,
    configure_logging,
    load_project_config,
    project_settings,
    serve_site,
)
from .collector import set_aside_at_exit
from .errors import DataError, Diagnostic, count, diagnostics_github, diagnostics_json, printable
from .markdown_tree import render_tree
from .pipeline import PIPELINE
from .plugin import FactsheetPlugin
from .unexpected import describe

_config_option = click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=Path("mkdocs.yml"),
    show_default=True, help="The MkDocs configuration that enables the factsheet plugin.")


# Why a preview server cannot listen: the address is taken, not this machine's, or needs privileges.
_ADDRESS_ERRORS = (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES)


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _warn(warnings: Sequence[Diagnostic]) -> str:
    """Print warnings to stderr (they do not stop a check or build); say how many, for the summary."""
    for warning in warnings:
        click.echo(warning.format(), err=True)
    return f"; {count(len(warnings), 'warning')}" if warnings else ""


def _project(config_file: Path) -> tuple[Path, frozenset[str]]:
    """The content folder of the project and its kinds of count, or a usage error (exit 2) saying what is wrong."""
    try:
        folders, counts = project_settings(config_file)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return folders.content_dir, counts


class _Progress:
    """Which sheet a long check is at, on one line of a terminal; nothing elsewhere or for a quick check."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, number: int, total: int, name: str) -> None:
        if sys.stderr.isatty() and time.monotonic() - self.started > _QUIET_SECONDS:
            click.echo(f"\r\x1b[KChecking sheet {number} of {total}: {printable(name)}", err=True, nl=False)
            self.shown = True

    def done(self) -> None:
        """Clear the progress line, for what comes next."""
        if self.shown:
            click.echo("\r\x1b[K", err=True, nl=False)
            self.shown = False


# A check or build quicker than this shows no progress line.
_QUIET_SECONDS = 2.0


def _loaded(config_file: Path, *, strict: bool = False) -> tuple[MkDocsConfig, FactsheetPlugin]:
    """``mkdocs.yml`` and the plugin it enables, or a usage error (exit 2) saying why it cannot be used."""
    try:
        return load_project_config(config_file, strict=strict)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None


def _load_or_fail(loaded: tuple[MkDocsConfig, FactsheetPlugin], *, warn: bool = True) -> tuple[int, int]:
    """Check the facts before MkDocs runs (which also warms the core's work for the build).

    ``loaded`` is ``mkdocs.yml`` as the command read it (:func:`_loaded`). Errors end the
    command with exit status 1; warnings are printed and it goes on. Returns how many
    sheets there are and how many warnings.
    """
    progress = _Progress()
    try:
        sheets, warnings = check_facts(*loaded, progress)
    except DataError as exc:
        progress.done()
        _fail(str(exc))
    progress.done()
    if warn:
        _warn(warnings)
    return sheets, len(warnings)


class _Commands(click.Group):
    """Commands that never print a Python traceback, unless asked to with ``--debug``.

    ``--debug`` may come after the command's name too (``factsheet build --debug``), as
    the options of ``git``, ``mkdocs`` and ``hugo`` may.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Move the global options given after the command's name before it, where click looks for them."""
        end = args.index("--") if "--" in args else len(args)
        found = [arg for arg in args[:end] if arg in _GLOBAL_FLAGS]
        rest = [arg for arg in args[:end] if arg not in _GLOBAL_FLAGS]
        return super().parse_args(ctx, [*found, *rest, *args[end:]])

    def invoke(self, ctx: click.Context) -> object:
        """Run the command; an exception nobody expected becomes one line and exit status 1."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            command = ctx.invoked_subcommand or "factsheet"
            click.echo(describe(exc, f"factsheet {command}"), err=True)
            sys.exit(1)


# Options of the factsheet command itself, accepted anywhere before a "--".
_GLOBAL_FLAGS = ("--debug",)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factsheet")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error (for bug reports).")
def main(debug: bool) -> None:
    """Build evidence-backed fact-sheet sites from YAML facts."""
    set_aside_at_exit()


@main.command()
@_config_option
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="json prints the diagnostics as a list of objects, for editors and tools; "
                                      "github as annotations on the lines they concern, in GitHub Actions.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on warnings too, not only on errors; for CI and the Pages workflow.")
def check(config_file: Path, output: str, strict: bool) -> None:
    """Validate every sheet and verify every evidence quote; write nothing.

    Exits 0 when all is well, 1 on data errors, 2 on usage errors. Warnings
    are printed after the errors; they fail the check only with --strict.
    """
    content_dir, counts = _project(config_file)
    progress = _Progress()
    try:
        project = PIPELINE.load(content_dir, counts, progress)
    except DataError as exc:
        progress.done()
        if output != "text":
            click.echo(_MACHINE[output](exc.diagnostics))
            sys.exit(1)
        _fail(str(exc))
    progress.done()
    if output != "text":
        if project.warnings:
            click.echo(_MACHINE[output](project.warnings))
        elif output == "json":
            click.echo(diagnostics_json([]))
        if strict and project.warnings:
            sys.exit(1)
        return
    counted = _warn(project.warnings)
    facts = sum(sum(sheet.fact_counts().values()) for sheet in project.sheets)
    click.echo(f"{len(project.sheets)} sheet(s), {facts} facts: all evidence verified{counted}.")
    if strict and project.warnings:
        _fail(f"error: with --strict, warnings fail the check ({counted.removeprefix('; ')} above)")


@main.command()
@_config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: site_dir of mkdocs.yml).")
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on any MkDocs warning.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' debug messages.")
def build(config_file: Path, site_dir: Path | None, strict: bool, verbose: bool) -> None:
    """Check the facts, then build the site; the previous site stays if anything fails."""
    started = time.monotonic()
    click.echo("Checking the facts...", err=True)
    configure_logging(verbose)
    # Read once for the check and the build: a second reading cost 8 ms of each build.
    loaded = _loaded(config_file, strict=strict)
    sheets, warnings = _load_or_fail(loaded)
    checked = time.monotonic()
    click.echo(f"Checked {count(sheets, 'sheet')} in {checked - started:.1f} s; building the site with MkDocs...",
               err=True)
    try:
        target = build_loaded(*loaded, site_dir=site_dir)
    except BuildError as exc:
        _fail(f"error: {exc}")
    pages = sum(1 for page in target.rglob("*.html") if page.name != "404.html")
    click.echo(f"Built {count(sheets, 'sheet')}, {count(pages, 'page')} and {count(warnings, 'warning')} "
               f"in {time.monotonic() - started:.1f} s (check {checked - started:.1f} s): "
               f"{printable(str(target))}/ (open {printable(str(target / 'index.html'))})")


# Diagnostics for machines, by --format.
_MACHINE = {"json": diagnostics_json, "github": diagnostics_github}


@main.command()
@_config_option
@click.option("-d", "--dir", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; replaced as a whole, like a built site.")
def render(config_file: Path, out_dir: Path) -> None:
    """Check the facts, then write the generated Markdown and the downloads into a folder.

    The same pages and files the plugin gives MkDocs, for another engine or
    for review. Nothing is written if anything fails.
    """
    _load_or_fail(_loaded(config_file))
    try:
        files = render_tree(config_file, out_dir)
    except BuildError as exc:
        _fail(f"error: {exc}")
    pages = sum(path.endswith(".md") for path in files)
    click.echo(f"Wrote {pages} pages and {len(files) - pages} other files into {printable(str(out_dir))}/")


@main.command()
@_config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("-o", "--open", "open_browser", is_flag=True, help="Open the site in a web browser once it is served.")
def serve(config_file: Path, dev_addr: str, open_browser: bool) -> None:
    """Preview the site, rebuilding when a fact file, template, theme file or mkdocs.yml changes."""
    # Before the first build, which takes a while: a busy address would only be found after it.
    try:
        _can_listen(dev_addr)
    except OSError as exc:
        _cannot_serve(dev_addr, exc)
    _load_or_fail(_loaded(config_file), warn=False)
    configure_logging()
    try:
        serve_site(config_file, dev_addr, open_browser=open_browser)
    except BuildError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        _cannot_serve(dev_addr, exc)


def _can_listen(dev_addr: str) -> None:
    """Raise :class:`OSError` if the preview server could not listen on ``dev_addr``, as it would bind."""
    host, _, port = dev_addr.rpartition(":")
    if not port.isascii() or not port.isdecimal() or not host:
        raise click.BadParameter(f"{dev_addr!r} is not HOST:PORT, e.g. 127.0.0.1:8000", param_hint="-a")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the server's own socket does, so that a just-closed preview's address counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, int(port)))


def _cannot_serve(dev_addr: str, exc: OSError) -> NoReturn:
    if exc.errno not in _ADDRESS_ERRORS and not isinstance(exc, socket.gaierror):
        raise exc
    _fail(f"error: cannot serve on {dev_addr}: {exc.strerror}\n"
          "  hint: another server may be using it; choose another with -a, e.g. -a 127.0.0.1:8001")


@main.command()
def schema() -> None:
    """Print the JSON Schema of a fact file (and of facts.json), for editors and tools."""
    from .export import json_schema

    click.echo(json_schema(), nl=False)


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Start a project in FOLDER: configuration, a first sheet, workflows and a README of what to do next.

    FOLDER must be new or empty. The project checks and builds at once, offline.
    """
    from .scaffold import ScaffoldError, init_project

    try:
        init_project(folder)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    shown = printable(str(folder))
    click.echo(f"Created a fact-sheet project in {shown}/. Next:\n"
               f"  cd {shown}\n"
               f"  factsheet serve --open      preview while you edit content/first-sheet/\n"
               f"  factsheet check --strict    then factsheet build, into site/\n"
               f"{shown}/README.md says more, and how to publish on GitHub Pages.")


@main.command()
@_config_option
@click.argument("sheet_id")
def new(config_file: Path, sheet_id: str) -> None:
    """Start a new, valid, empty sheet in content/SHEET_ID."""
    from .scaffold import ScaffoldError, new_sheet

    content_dir, _ = _project(config_file)
    try:
        folder = new_sheet(content_dir, sheet_id)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Created {folder}/sheet.yml; add your source text to {folder}/sources/ and start adding facts.")
