"""When each sheet's facts last changed, from the project's git history.

As the git-revision-date plugins do: the day of the newest commit that touched a
sheet's folder. A project that is not a git checkout (or has no git) has no
history; its sheets may give the day themselves (``updated`` in ``sheet.yml``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

# Each commit as a line of its own marked with this, then the files it touched.
_MARK = "\x1e"


def changed_days(content_dir: Path) -> dict[str, str]:
    """``{sheet folder: ISO day of the newest commit touching it}``; empty without git history.

    One ``git log`` for every sheet: the cost of a build does not grow with a process per sheet.
    """
    git = shutil.which("git")
    if git is None or not content_dir.is_dir():
        return {}
    try:
        result = subprocess.run(  # noqa: S603 - git from PATH, fixed arguments
            [git, "log", f"--format={_MARK}%cs", "--name-only", "--relative", "--no-renames", "--", "."],
            cwd=content_dir, capture_output=True, text=True, encoding="utf-8", check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    found: dict[str, str] = {}
    day = ""
    for line in result.stdout.split("\n"):  # not splitlines(), which also splits at the mark
        if line.startswith(_MARK):
            day = line[len(_MARK):]
        elif "/" in line and day:
            found.setdefault(line.split("/", 1)[0], day)
    return found
