"""Compiled templates kept between runs, under the project's ``.cache/factsheet/`` (ignored by git).

Compiling templates costs a build more than rendering them. Jinja stores each
compiled template with a checksum of its source and the Jinja version, and
compiles again when either differs: a stale entry is never used. This cache
also treats an entry it cannot read (truncated, garbage, from another Python)
as missing, and a cache folder it cannot write (a read-only project) as no
cache: either way the template is compiled, and the pages come out the same.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

# Inside the project folder; one folder per template environment (ours, the theme's).
CACHE_FOLDER = Path(".cache") / "factsheet"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, with unreadable entries and unwritable folders treated as no cache."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        """Load the compiled template if its entry is sound; else leave the bucket empty (compile)."""
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Store the compiled template, if the folder can be written; the build goes on either way."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a read-only or full disk: no cache, same pages


def template_cache(project_folder: Path, name: str, env: jinja2.Environment) -> TemplateCache:
    """The cache of one template environment (``name``: ``templates``, ``theme``) of a project.

    Jinja keys an entry by template and source only, but how a template compiles also
    depends on the environment's options (escaping, whitespace control, extensions): an
    environment set up otherwise, by another version of this tool or of MkDocs, gets a
    folder of its own.
    """
    return TemplateCache(project_folder / CACHE_FOLDER / f"{name}-{_options_key(env)}")


def _options_key(env: jinja2.Environment) -> str:
    def named(value: object) -> str:
        return getattr(value, "__qualname__", None) or repr(value)

    options = (env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
               env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
               env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline, env.optimized,
               sorted(env.extensions), named(env.autoescape), named(env.finalize), named(env.undefined))
    return hashlib.sha256(repr(options).encode("utf-8")).hexdigest()[:16]
