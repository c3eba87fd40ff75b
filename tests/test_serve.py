"""`factsheet serve` previews the site and rebuilds when facts or templates change."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import HOMS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a loopback URL
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    body = None
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and needle in body:
            return body
        time.sleep(0.2)
    pytest.fail(f"{url} did not show {needle!r} within {seconds} s")


@pytest.fixture
def server(project: Path, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def wait_for_log(log: Path, needle: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        if needle in text:
            return text
        time.sleep(0.2)
    pytest.fail(f"server log did not show {needle!r} within {seconds} s:\n{log.read_text(encoding='utf-8')}")


def test_serve_rebuilds_after_a_fact_or_template_edit(project: Path, server: str) -> None:
    url = f"{server}/{HOMS}/quotes.html"
    wait_for(url, "We were expecting that")
    quotes = project / "content" / HOMS / "quotes.yml"
    quotes.write_text(quotes.read_text(encoding="utf-8").replace(
        "setting: Skype interview", "setting: Speaking in a Skype interview", 1), encoding="utf-8")
    wait_for(url, "Speaking in a Skype interview")
    template = project / "templates" / "quotes.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "Direct quotations, verbatim", "Every direct quotation, verbatim"), encoding="utf-8")
    wait_for(url, "Every direct quotation, verbatim")


def test_serve_keeps_the_last_good_site_through_a_bad_save(project: Path, server: str, tmp_path: Path) -> None:
    url = f"{server}/{HOMS}/quotes.html"
    wait_for(url, "Skype interview")
    quotes = project / "content" / HOMS / "quotes.yml"
    good = quotes.read_text(encoding="utf-8")
    quotes.write_text(good.replace("speaker: bebars-al-talawy", "speaker: bebars", 1), encoding="utf-8")
    log = wait_for_log(tmp_path / "serve.log", "Still serving the last good version")
    assert f"content/{HOMS}/quotes.yml:" in log and "no actor has id 'bebars' [unknown-id]" in log
    assert "Traceback" not in log
    page = fetch(url)
    assert page is not None and "Skype interview" in page
    quotes.write_text(good.replace("setting: Skype interview", "setting: Skype call", 1), encoding="utf-8")
    wait_for(url, "Skype call")
