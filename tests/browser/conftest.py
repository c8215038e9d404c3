"""Browser tests: Debian's Chromium driven by Playwright against the real server (`run.py`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("STORMDRILL_SCREENSHOTS")  # a folder: save screenshots there
TRAINER = ("coach", "correct horse battery")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: `make chromium` installs Debian's package"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French browser, as in the first workshops; tests that need another say so.
    return {**browser_context_args, "locale": "fr-FR"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the server did not answer {url} within {timeout:.0f}s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def live_db(tmp_path_factory):
    """The live server's SQLite database file (tests read the record from it)."""
    return tmp_path_factory.mktemp("live_server") / "stormdrill.db"


@pytest.fixture(scope="session")
def live_server(live_db):
    """The real server (`python run.py`) on a free port and a fresh SQLite database: its URL."""
    tmp = live_db.parent
    port = _free_port()
    env = {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": f"sqlite:///{live_db}",
        "STORMDRILL_SECRET_KEY": "browser-tests",
        "FLASK_APP": "simulator",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("FLASK_DEBUG", None)
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    # a trainer with a known password, as `flask trainer create` would make
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from simulator import create_app\n"
            "from simulator.services.accounts import create_trainer\n"
            "with create_app().app_context(): create_trainer({!r}, {!r})".format(*TRAINER),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    log = tmp / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base_url}/healthz", process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages resolve relative URLs against the live server: `page.goto("/")`.

    Defining it here also replaces pytest-playwright's own `base_url` fixture, a session
    fixture declared as an instance method, which pytest 9 deprecates (an error under
    filterwarnings=error).
    """
    return live_server


@pytest.fixture
def shoot():
    """`shoot(page, name)` saves a full-page screenshot when STORMDRILL_SCREENSHOTS is set."""

    def save(page, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)

    return save


@pytest.fixture
def trainer_page(browser, base_url):
    """A laptop-sized page, logged in as the trainer."""
    context = browser.new_context(
        base_url=base_url, locale="fr-FR", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.goto("/login")
    page.fill("#name", TRAINER[0])
    page.fill("#password", TRAINER[1])
    page.click("#submit")
    page.wait_for_url(lambda url: "/login" not in url)
    yield page
    context.close()
