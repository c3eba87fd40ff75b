"""factsheet as a newsroom gets it: the wheel and sdist, a fresh virtual environment, `factsheet init`,
the plugin in someone else's Material site, and the GitHub workflows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema

from .helpers import HOMS, ROOT, run

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
STARTER_WORKFLOWS = sorted((ROOT / "generator" / "starter" / "workflows").glob("*.yml"))


def workflow(path: Path) -> dict[str, Any]:
    """A workflow file as GitHub reads it: YAML 1.1 would make the key ``on`` the boolean True."""
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


@pytest.mark.parametrize("path", WORKFLOWS + STARTER_WORKFLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_workflows_are_valid_by_the_published_schema(path: Path) -> None:
    # SchemaStore's github-workflow.json, as check-jsonschema vendors it.
    schema = get_builtin_schema("vendor.github-workflows")
    jsonschema.validate(workflow(path), schema)


@pytest.mark.parametrize("path", WORKFLOWS + STARTER_WORKFLOWS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_job_has_a_timeout_and_no_job_that_installs_can_publish(path: Path) -> None:
    data = workflow(path)
    assert data["permissions"] in ({}, {"contents": "read"})
    for name, job in data["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 45, name
        granted = {**data["permissions"], **job.get("permissions", {})}
        runs = " ".join(str(step.get("run", "")) for step in job["steps"])
        writes = {scope for scope, level in granted.items() if level == "write"}
        if "install" in runs or "bash" in runs:
            assert not writes, f"{path.name}: job {name} runs code and may write {writes}"
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False


def test_only_the_deploy_job_publishes_with_current_official_actions() -> None:
    data = workflow(ROOT / ".github" / "workflows" / "pages.yml")
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    uses = {step["uses"].split("@")[0]: step["uses"].split("@")[1]
            for job in data["jobs"].values() for step in job["steps"] if "uses" in step}
    assert uses == {"actions/checkout": "v5", "actions/setup-python": "v6", "actions/configure-pages": "v5",
                    "actions/upload-pages-artifact": "v4", "actions/deploy-pages": "v4"}


def test_this_repository_publishes_with_the_workflow_a_new_project_gets() -> None:
    assert (ROOT / ".github" / "workflows" / "pages.yml").read_bytes() == (
        ROOT / "generator" / "starter" / "workflows" / "pages.yml").read_bytes()


def test_the_test_workflow_runs_everything_on_pushes_and_pull_requests() -> None:
    data = workflow(ROOT / ".github" / "workflows" / "test.yml")
    assert set(data["on"]) == {"push", "pull_request"}
    runs = [str(step.get("run", "")) for step in data["jobs"]["test"]["steps"]]
    assert "bash .ci/run" in runs  # ruff, mypy and every test, the browser tests included
    check = next(i for i, run in enumerate(runs) if "factsheet check --strict" in run)
    build = next(i for i, run in enumerate(runs) if "factsheet build --strict" in run)
    assert check < build
    assert [step.get("run") for step in data["jobs"]["floors"]["steps"]][-1] == "bash tests/floors"


# -- The wheel and the sdist, installed where nothing of the repository is -------------------------
# The tests here are marked slow: building the sdist and the wheel and installing the wheel takes ~30 s.

@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist, and the wheel built from it (so the sdist is shown to build), as `python -m build` makes them."""
    out = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], cwd=out)
    assert result.returncode == 0, result.stderr[-3000:]
    (sdist,) = out.glob("factsheet-*.tar.gz")
    (wheel,) = out.glob("factsheet-*.whl")
    return sdist, wheel


@pytest.fixture(scope="session")
def installed(dists: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with only the wheel and its dependencies; its bin folder."""
    venv = tmp_path_factory.mktemp("venv")
    assert run([sys.executable, "-m", "venv", str(venv)], cwd=venv).returncode == 0
    # The same versions as this environment's, which the package index (or pip's cache) has.
    frozen = run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"], cwd=venv)
    constraints = venv / "constraints.txt"
    constraints.write_text(frozen.stdout, encoding="utf-8")
    result = run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-c", str(constraints),
                  str(dists[1])], cwd=venv)
    assert result.returncode == 0, result.stderr[-3000:]
    yield venv / "bin"


def in_venv(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run a command of the fresh environment, as its activation would, with nothing of this repository on the path."""
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("PYTHONPATH", None)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.slow
def test_the_wheel_carries_the_templates_theme_stylesheet_shim_and_starter(dists: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(dists[1]).namelist())
    shipped = {str(path.relative_to(ROOT)) for folder in ("templates", "theme", "starter")
               for path in (ROOT / "generator" / folder).rglob("*") if path.is_file()}
    assert len(shipped) > 25 and shipped <= names, shipped - names
    assert "generator/theme/factsheet/vendor/iframe-worker/shim.js" in names
    assert "generator/py.typed" in names
    assert not any(name.startswith(("tests/", "content/")) for name in names)
    metadata = next(zipfile.ZipFile(dists[1]).read(n).decode() for n in names if n.endswith("/METADATA"))
    assert "License-Expression: MIT" in metadata and "Classifier: Framework :: MkDocs" in metadata
    assert "Project-URL: Changelog" in metadata


@pytest.mark.slow
def test_the_sdist_leaves_out_the_tests_it_could_not_run(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[0]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "generator/templates/home.md.j2"} <= names
    assert not any(name.startswith(("tests/", "content/", "bench/")) for name in names)


@pytest.mark.slow
def test_init_check_build_from_the_wheel_alone(installed: Path, tmp_path: Path) -> None:
    result = in_venv(installed, "factsheet", "init", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "site"
    assert {".gitignore", "mkdocs.yml", "README.md", "requirements.txt", "schema.json",
            ".github/workflows/pages.yml", ".github/workflows/check.yml", "content/first-sheet/sheet.yml"} <= {
        str(path.relative_to(project)) for path in project.rglob("*") if path.is_file()}
    check = in_venv(installed, "factsheet", "check", "--strict", cwd=project)
    assert check.returncode == 0, check.stderr
    build = in_venv(installed, "factsheet", "build", cwd=project)
    assert build.returncode == 0, build.stderr
    assert "Built 1 sheet" in build.stdout
    page = (project / "site" / "first-sheet" / "index.html").read_text(encoding="utf-8")
    assert "factsheet/factsheet.css" in page and (project / "site" / "factsheet" / "factsheet.css").is_file()
    # Again into a folder that is not empty: refused, and nothing in it touched.
    again = in_venv(installed, "factsheet", "init", "site", cwd=tmp_path)
    assert again.returncode == 2 and "not an empty folder" in again.stderr


def plain_material_site(folder: Path, extra: str = "") -> Path:
    """Someone else's Material site: its own home page and nav, and the plugin with no options."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Our newsroom\n\nWelcome.\n", encoding="utf-8")
    (folder / "docs" / "about.md").write_text("# About us\n\nWho we are.\n", encoding="utf-8")
    shutil.copytree(ROOT / "content" / HOMS, folder / "content" / HOMS)
    (folder / "mkdocs.yml").write_text(
        "site_name: Newsroom\nuse_directory_urls: false\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - factsheet\nnav:\n  - Home: index.md\n  - About: about.md\n" + extra,
        encoding="utf-8")
    return folder


@pytest.mark.slow
def test_the_plugin_builds_a_plain_material_site_cleanly(installed: Path, tmp_path: Path) -> None:
    site = plain_material_site(tmp_path / "newsroom")
    result = in_venv(installed, "mkdocs", "build", "--strict", cwd=site)
    assert result.returncode == 0, result.stderr
    built = site / "site"
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "Welcome." in home  # the site's own home page, kept
    # The sheets in their own folder, added after the site's own nav entries.
    assert 'href="sheets/index.html"' in home and home.index('href="about.html"') < home.index("Fact sheets")
    overview = (built / "sheets" / HOMS / "index.html").read_text(encoding="utf-8")
    assert 'class="fs-sheet-menu' in overview and "<dl" in overview  # attr_list and def_list ran
    for leftover in ("{: ", "{#", " markdown>", 'markdown="1"'):
        assert leftover not in overview, leftover
    assert "../../factsheet/factsheet.css" in overview and (built / "factsheet" / "factsheet.css").is_file()
    assert 'rel=" alternate" type="application/atom+xml"' in overview


@pytest.mark.slow
def test_a_generated_page_that_renders_wrong_fails_a_strict_build(installed: Path, tmp_path: Path) -> None:
    site = plain_material_site(tmp_path / "newsroom")
    # A project's own template, overriding the package's: an attribute list Markdown leaves as text,
    # and a link to an anchor that is not there.
    (site / "templates").mkdir()
    (site / "templates" / "quotes.md.j2").write_text(
        "# Quotes\n\nSaid {: .oops } here. [Gone](#no-such-anchor)\n", encoding="utf-8")
    result = in_venv(installed, "mkdocs", "build", "--strict", cwd=site)
    assert result.returncode == 1
    assert "quotes.md renders wrong" in result.stderr and "{: .oops }" in result.stderr
    assert "#no-such-anchor" in result.stderr
