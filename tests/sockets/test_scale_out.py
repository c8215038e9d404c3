"""Scale-out: two worker processes sharing PostgreSQL and Redis (Flask-SocketIO's message
queue). A participant connected to worker A gets the posts of a session that worker B drives,
and the trainer's notice sent through B; when B dies, A takes the session over."""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
import socketio

from ..browser.conftest import _free_port, _wait_for
from ..conftest import REDIS_URL

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


def _env(database_url):
    return {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": database_url,
        "STORMDRILL_REDIS_URL": REDIS_URL,
        "STORMDRILL_REDIS_CHANNEL": f"stormdrill-test-{uuid.uuid4().hex[:8]}",
        "STORMDRILL_SECRET_KEY": "scale-out-tests",
        "FLASK_APP": "simulator",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def cluster(tmp_path, postgres_url):
    env = _env(postgres_url)
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    token = (
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from simulator import create_app\n"
                "from simulator.services.accounts import create_trainer, issue_api_token\n"
                "with create_app().app_context():\n"
                "    trainer, _ = create_trainer('scale', 'correct horse battery')\n"
                "    print(issue_api_token(trainer))",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    workers = {}
    for name in ("a", "b"):
        port = _free_port()
        log = tmp_path / f"worker-{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        workers[name] = {"url": f"http://127.0.0.1:{port}", "process": process, "log": log}
    try:
        for w in workers.values():
            _wait_for(f"{w['url']}/healthz", w["process"], w["log"])
        yield {"token": token, "workers": workers, "database": postgres_url}
    finally:
        for w in workers.values():
            if w["process"].poll() is None:
                w["process"].terminate()
                try:
                    w["process"].wait(timeout=10)
                except subprocess.TimeoutExpired:
                    w["process"].kill()


def _api(cluster, worker, method, path, **kwargs):
    url = cluster["workers"][worker]["url"] + "/api/v1" + path
    response = requests.request(
        method, url, timeout=10, headers={"Authorization": f"Bearer {cluster['token']}"}, **kwargs
    )
    assert response.status_code < 300, response.text
    return response.json()


def _join(worker_url, code, name):
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


def _wait(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _owner(cluster, sid):
    plain = cluster["database"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        return conn.execute("select runner_id from drill_session where id=%s", (sid,)).fetchone()[0]


def _drives(worker, owner) -> bool:
    """Whether this worker process holds the session (run.py prints its runner's id)."""
    return bool(owner) and f"runner {owner}" in worker["log"].read_text()


def test_two_workers_share_sessions_through_redis_and_take_over(cluster):
    session = _api(
        cluster,
        "b",
        "POST",
        "/sessions",
        json={"scenario": "product-recall", "lang": "fr", "speed": 10, "teams": ["Rouge"]},
    )
    sid, team = session["id"], session["teams"][0]["id"]
    _api(cluster, "b", "POST", f"/sessions/{sid}/start")
    assert _wait(lambda: _owner(cluster, sid)), "no worker drives the session"
    owner = _owner(cluster, sid)
    workers = cluster["workers"]
    driver = next(name for name, w in workers.items() if _drives(w, owner))
    other = "a" if driver == "b" else "b"

    # the participant is on the worker that does NOT drive the session
    http = _join(workers[other]["url"], session["join_code"], "Ana")
    got = {"snapshot": [], "posts": [], "notice": []}
    client = socketio.Client(reconnection=True)
    for event in got:
        client.on(event, (lambda e: lambda data: got[e].append(data))(event), namespace="/play")
    client.connect(
        workers[other]["url"],
        namespaces=["/play"],
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in http.cookies.items())},
        transports=["websocket"],
    )
    try:
        ack = client.call("choose", {"team": team, "role": "community_manager"}, namespace="/play")
        assert ack["ok"], ack
        assert _wait(lambda: got["posts"]), "posts sent by the driving worker did not arrive"
        _api(
            cluster,
            driver,
            "POST",
            f"/sessions/{sid}/controls",
            json={"action": "notice", "text": "Appel du PDG", "kind": "call"},
        )
        assert _wait(lambda: got["notice"]), "a notice sent through the other worker is lost"
        assert got["notice"][0]["text"] == "Appel du PDG"

        # the driving worker dies; the other takes the session over when the lease lapses
        workers[driver]["process"].send_signal(signal.SIGKILL)
        workers[driver]["process"].wait(timeout=10)
        before = sum(len(b["posts"]) for b in got["posts"])
        assert _wait(lambda: sum(len(b["posts"]) for b in got["posts"]) > before, timeout=30), (
            "nobody took the session over"
        )
        assert _drives(workers[other], _owner(cluster, sid))
        seqs = [b["seq"] for b in got["posts"]]
        assert seqs == sorted(set(seqs)), "batches were duplicated or out of order"
        ids = [p["id"] for b in got["posts"] for p in b["posts"]]
        assert len(ids) == len(set(ids))
    finally:
        client.disconnect()
