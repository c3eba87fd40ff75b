"""The ``factsheet`` command: check, build, serve and start fact sheets."""

from __future__ import annotations

import errno
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from .build import (
    BuildError,
    ConfigError,
    build_site,
    configure_logging,
    load_project_config,
    project_settings,
    serve_site,
)
from .errors import DataError, Diagnostic, diagnostics_json, printable
from .markdown_tree import render_tree
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
    return f"; {len(warnings)} warning{'' if len(warnings) == 1 else 's'}" if warnings else ""


def _project(config_file: Path) -> tuple[Path, frozenset[str]]:
    """The content folder of the project and its kinds of count, or a usage error (exit 2) saying what is wrong."""
    try:
        folders, counts = project_settings(config_file)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    return folders.content_dir, counts


def _load_or_fail(config_file: Path, *, warn: bool = True) -> None:
    """Check the facts before MkDocs runs (which also warms the plugin's work for the build).

    Errors end the command with exit status 1; warnings are printed and it goes on.
    """
    try:
        config, plugin = load_project_config(config_file)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        warnings = plugin.check(config)
    except DataError as exc:
        _fail(str(exc))
    if warn:
        _warn(warnings)


class _Commands(click.Group):
    """Commands that never print a Python traceback, unless asked to with ``--debug``."""

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


@click.group(cls=_Commands)
@click.version_option(package_name="factsheet")
@click.option("--debug", is_flag=True, help="Show the Python traceback of an unexpected error (for bug reports).")
def main(debug: bool) -> None:
    """Build evidence-backed fact-sheet sites from YAML facts."""


@main.command()
@_config_option
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints the diagnostics as a list of objects, for editors and CI.")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) on warnings too, not only on errors; for CI and the Pages workflow.")
def check(config_file: Path, output: str, strict: bool) -> None:
    """Validate every sheet and verify every evidence quote; write nothing.

    Exits 0 when all is well, 1 on data errors, 2 on usage errors. Warnings
    are printed after the errors; they fail the check only with --strict.
    """
    from .pipeline import PIPELINE  # imported by the commands that need it: a build may not (see plugin)

    content_dir, counts = _project(config_file)
    try:
        project = PIPELINE.load(content_dir, counts)
    except DataError as exc:
        if output == "json":
            click.echo(diagnostics_json(exc.diagnostics))
            sys.exit(1)
        _fail(str(exc))
    if output == "json":
        click.echo(diagnostics_json(project.warnings))
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
    _load_or_fail(config_file)
    configure_logging(verbose)
    try:
        target = build_site(config_file, site_dir=site_dir, strict=strict)
    except BuildError as exc:
        _fail(f"error: {exc}")
    click.echo(f"Site built in {printable(str(target))}/ (open {printable(str(target / 'index.html'))})")


@main.command()
@_config_option
@click.option("-d", "--dir", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; replaced as a whole, like a built site.")
def render(config_file: Path, out_dir: Path) -> None:
    """Check the facts, then write the generated Markdown and the downloads into a folder.

    The same pages and files the plugin gives MkDocs, for another engine or
    for review. Nothing is written if anything fails.
    """
    _load_or_fail(config_file)
    try:
        files = render_tree(config_file, out_dir)
    except BuildError as exc:
        _fail(f"error: {exc}")
    pages = sum(path.endswith(".md") for path in files)
    click.echo(f"Wrote {pages} pages and {len(files) - pages} other files into {printable(str(out_dir))}/")


@main.command()
@_config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(config_file: Path, dev_addr: str) -> None:
    """Preview the site, rebuilding when a fact file or template changes."""
    _load_or_fail(config_file, warn=False)
    configure_logging()
    try:
        serve_site(config_file, dev_addr)
    except BuildError as exc:
        _fail(f"error: {exc}")
    except OSError as exc:
        if exc.errno not in _ADDRESS_ERRORS:
            raise
        _fail(f"error: cannot serve on {dev_addr}: {exc.strerror}\n"
              "  hint: another server may be using it; choose another with -a, e.g. -a 127.0.0.1:8001")


@main.command()
def schema() -> None:
    """Print the JSON Schema of a fact file (and of facts.json), for editors and tools."""
    from .export import json_schema

    click.echo(json_schema(), nl=False)


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
