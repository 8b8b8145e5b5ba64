"""Real-browser fixtures: Debian's Chromium through Playwright, against ``netiquette serve``
on a free loopback port with a seeded temporary database.

Without /usr/bin/chromium these tests skip, except in CI (CI=true), where they fail."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
NOW = "2026-03-01T09:00:00+00:00"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (install Debian's chromium package)"
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    login_url: str
    ids: dict[str, object]
    proc: subprocess.Popen[str]
    env: dict[str, str] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)


def _wait_for_port(port: int, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"netiquette serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("netiquette serve did not start listening")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    _require_chromium()
    base_dir = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "NETIQUETTE_DB": str(base_dir / "netiquette.sqlite3"),
           "NETIQUETTE_DATA_DIR": str(base_dir / "data"),
           "NETIQUETTE_CONFIG_DIR": str(base_dir / "config"), "NETIQUETTE_NOW": NOW}
    env.pop("NETIQUETTE_MEMBER", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    seeded = subprocess.run([sys.executable, str(Path(__file__).with_name("seed.py"))],
                            env=env, capture_output=True, text=True, check=True, timeout=120)
    ids = json.loads(seeded.stdout.strip().splitlines()[-1])
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "netiquette", "serve", "--port", str(port),
                             "--workers", "2"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    login_url = ""
    deadline = time.monotonic() + 60
    while not login_url and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"(http://127\.0\.0\.1:\d+/login\?token=\S+)", line)
        login_url = found.group(1) if found else ""
    if not login_url:
        proc.kill()
        raise RuntimeError("no sign-in link among the first lines:\n" + "".join(lines))
    _wait_for_port(port, proc)
    srv = Server(f"http://127.0.0.1:{port}", login_url, ids, proc, env, lines)
    yield srv
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser(server: Server) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def signed_in(server: Server, browser) -> Iterator[object]:
    """A browser context signed in through the printed single-use link."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(server.login_url)
    assert page.url == server.base + "/"
    page.close()
    yield context
    context.close()


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def page(signed_in) -> Iterator[tuple[object, Watch]]:
    """A fresh page that records dialogs, console errors and page errors."""
    watch = Watch()
    p = signed_in.new_page()

    def on_dialog(dialog) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    p.on("dialog", on_dialog)
    p.on("console", lambda m: watch.errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: watch.errors.append(str(e)))
    yield p, watch
    p.close()


@pytest.fixture
def shot():
    """``shot(page, name)`` saves a full-page screenshot under artifacts/screenshots/."""

    def take(page, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
