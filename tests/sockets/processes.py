"""Real Stormdrill processes for the tests that kill them or run two of them: their
environment, a database with a trainer and an API token, workers started and stopped, the
REST API and the documented join, and a wait."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from ..browser.conftest import _free_port, _wait_for
from ..conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
TOKEN_SCRIPT = (
    "import sys\n"
    "from simulator import create_app\n"
    "from simulator.services.accounts import create_trainer, issue_api_token\n"
    "with create_app().app_context():\n"
    "    trainer, _ = create_trainer(sys.argv[1], 'correct horse battery')\n"
    "    print(issue_api_token(trainer))"
)


def server_env(database_url: str, secret: str, redis: bool) -> dict[str, str]:
    """A production server's environment on this database (and Redis, with a channel of its
    own so that parallel runs never hear each other)."""
    env = {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": database_url,
        "STORMDRILL_SECRET_KEY": secret,
        "FLASK_APP": "simulator",
        "PYTHONUNBUFFERED": "1",
    }
    if redis:
        env["STORMDRILL_REDIS_URL"] = REDIS_URL
        env["STORMDRILL_REDIS_CHANNEL"] = f"stormdrill-test-{uuid.uuid4().hex[:8]}"
    return env


def prepare(env: dict[str, str], trainer: str) -> str:
    """Create the tables and a trainer; the trainer's API token."""
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], **run)
    made = subprocess.run([sys.executable, "-c", TOKEN_SCRIPT, trainer], text=True, **run)
    return made.stdout.strip().splitlines()[-1]


def worker(tmp_path: Path, name: str) -> dict:
    """A worker's address and log file, not started yet."""
    port = _free_port()
    return {"url": f"http://127.0.0.1:{port}", "port": port, "log": tmp_path / f"worker-{name}.log"}


def start(w: dict, env: dict[str, str]) -> None:
    """Start run.py for this worker (its log appended to) and wait until it answers."""
    with w["log"].open("ab") as out:
        w["process"] = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(w["port"])],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    _wait_for(f"{w['url']}/healthz", w["process"], w["log"])


def stop(w: dict) -> None:
    process = w.get("process")
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def api(cluster: dict, name: str, method: str, path: str, timeout: float = 60, **kwargs):
    """The REST API through one worker, as the trainer whose token the cluster holds (a
    loaded machine may take seconds to answer)."""
    response = requests.request(
        method,
        cluster["workers"][name]["url"] + "/api/v1" + path,
        timeout=timeout,
        headers={"Authorization": f"Bearer {cluster['token']}"},
        **kwargs,
    )
    assert response.status_code < 300, response.text
    return response.json()


def join(worker_url: str, code: str, name: str) -> requests.Session:
    """Join a session the documented way (the join form, its CSRF token); the HTTP session."""
    http = requests.Session()
    page = http.get(f"{worker_url}/join/{code}", timeout=10).text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = http.post(
        f"{worker_url}/join",
        timeout=10,
        allow_redirects=False,
        data={"csrf_token": csrf, "code": code, "name": name},
    )
    assert response.status_code == 302, response.text
    return http


def wait(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
