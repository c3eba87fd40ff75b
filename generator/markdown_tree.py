"""The generated Markdown tree: every page and download the plugin gives MkDocs, written to a folder.

``factsheet render -d DIR`` writes it, for another engine that reads Markdown
or for review. The files come from the same call into the core as the plugin's,
so the tree is exactly what a build gets, and it is written the way a build writes a site:
everything is checked and generated first, then written into a work folder
that is swapped in whole, so a failure leaves the folder as it was. The same
output folders are refused. The tree carries a stamp of its own
(:data:`~generator.outputdir.TREE_STAMP`): a tree never replaces a site, nor a site a tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .build import generated_files, project_settings
from .outputdir import TREE_STAMP, BuildFailed, check_output_dir, replace_folder, write_stamp
from .paths import display_path


def render_tree(config_file: Path, target: Path) -> dict[str, str]:
    """Check and generate everything, then replace ``target`` with the tree; return the files written.

    Raises :class:`~generator.build.BuildError`: :class:`~generator.build.BuildRefused`
    if ``target`` must not be replaced, and any other on data or template errors,
    all before anything is written; :class:`BuildFailed` if the filesystem
    refuses a write, in which case ``target`` is as it was.
    """
    check_output_dir(target, project_settings(config_file)[0], TREE_STAMP)
    files = generated_files(config_file)
    write_tree(files, target)
    return files


def write_tree(files: Mapping[str, str], target: Path) -> None:
    """Replace ``target`` with a folder holding ``files`` (UTF-8, by path relative to it) and the stamp.

    The caller has checked that ``target`` may be replaced. Raises
    :class:`BuildFailed` if the filesystem refuses; ``target`` is then as it was.
    """
    for path in files:
        pure = PurePosixPath(path)
        # Paths come from validated ids; a bug that made one climb out must not write elsewhere.
        if not pure.parts or pure.is_absolute() or ".." in pure.parts or "\\" in path:
            raise ValueError(f"generated file path {path!r} is not inside the tree")

    def fill(staging: Path) -> None:
        staging.mkdir()
        for path, text in sorted(files.items()):
            destination = staging / path
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(text.encode("utf-8"))  # bytes: the same on every platform
        write_stamp(staging, TREE_STAMP)

    try:
        replace_folder(target.resolve(), fill)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise BuildFailed(f"could not write the Markdown tree into {display_path(target)}: "
                          f"{exc.strerror or exc}{where}; the folder is unchanged") from exc
