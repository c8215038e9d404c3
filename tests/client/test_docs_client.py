"""A client written from docs/api.md and docs/protocol.md alone, against the real server.

An integrator's first script: a trainer's token from the command line, a session opened and
started through the API, a participant that joins over HTTP, connects with `auth.token`,
picks a team and role, reads posts, acts, and sees its action come back; the trainer reads
the participant through the API. If the docs and the server drift apart, this fails.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "simulator", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _until(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := predicate():
            return found
        time.sleep(0.1)
    pytest.fail("waited in vain")


@pytest.fixture
def server(tmp_path):
    """`python run.py` on a fresh database with the trainer "alice": (base URL, env)."""
    env = {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": f"sqlite:///{tmp_path / 'stormdrill.db'}",
        "STORMDRILL_SECRET_KEY": "docs-client",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("FLASK_DEBUG", None)
    _flask(env, "db", "upgrade")
    _flask(env, "trainer", "create", "alice", "--password-stdin", stdin="correct horse\n")
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "run.py", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def up():
        assert process.poll() is None, log.read_text()
        try:
            return requests.get(f"{base}/healthz", timeout=1).ok
        except requests.ConnectionError:
            return False

    try:
        _until(up)
        yield base, env
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_client_written_from_the_docs_works_first_time(server):
    base, env = server
    # docs/api.md, Authentication: a token from the command line, alone on stdout.
    token = _flask(env, "trainer", "token", "alice").strip()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    stormdrill = f"{base}/api/v1"

    # docs/api.md, Scenarios: the library is wrapped in {"scenarios": [...]}.
    library = api.get(f"{stormdrill}/scenarios").json()["scenarios"]
    mildest = library[0]["id"]
    roles = api.get(f"{stormdrill}/scenarios/{mildest}").json()["roles"]
    # a role that publishes without approval, and the one that approves the others
    direct = next(r["id"] for r in roles if r["approval_by"] is None)
    assert any(r["approval_by"] == direct for r in roles)

    # docs/api.md, Sessions and Controls.
    drill = api.post(
        f"{stormdrill}/sessions",
        json={"scenario": mildest, "lang": "fr", "speed": 30, "teams": ["Rouge", "Bleue"]},
    )
    assert drill.status_code == 201, drill.text
    drill = drill.json()

    # docs/protocol.md, Joining: GET /join for the CSRF token, POST /join asking for JSON.
    http = requests.Session()
    page = http.get(f"{base}/join").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    joined = http.post(
        f"{base}/join",
        data={"csrf_token": csrf, "code": drill["join_code"], "name": "Bot"},
        headers={"Accept": "application/json"},
    )
    assert joined.status_code == 201, joined.text
    joined = joined.json()
    assert [t["name"] for t in joined["teams"]] == ["Rouge", "Bleue"]

    # docs/protocol.md, Connecting: auth.token, then choose a team and a role.
    got: dict[str, list] = {"snapshot": [], "posts": [], "action": [], "clock": []}
    arrived = threading.Event()

    def keep(event):
        def handler(data):
            got[event].append(data)
            arrived.set()

        return handler

    sio = socketio.Client()
    for event in got:
        sio.on(event, keep(event), namespace="/play")
    sio.connect(base, namespaces=["/play"], auth={"token": joined["token"]})
    try:
        _until(lambda: got["snapshot"])
        assert got["snapshot"][0]["participant"]["name"] == "Bot"
        red = joined["teams"][0]["id"]
        ack = sio.call("choose", {"team": red, "role": direct}, namespace="/play")
        assert ack["ok"] and ack["team"] == red, ack
        _until(lambda: len(got["snapshot"]) == 2)  # a snapshot follows a team change

        control = api.post(f"{stormdrill}/sessions/{drill['id']}/start")
        assert control.ok, control.text
        jump = api.post(
            f"{stormdrill}/sessions/{drill['id']}/controls", json={"action": "jump", "to": 900}
        )
        assert jump.ok, jump.text
        # Reading: batches of posts, applied in seq order.
        posts = _until(lambda: [p for b in got["posts"] for p in b["posts"]])
        seqs = [b["seq"] for b in got["posts"]]
        assert seqs == sorted(seqs) and seqs[0] >= 1

        # docs/protocol.md, Actions: tag a post, reply to it as the brand, chat.
        target = posts[0]["id"]
        sent = [
            {"key": str(uuid.uuid4()), "type": "tag", "target": target, "tag": "watch"},
            {
                "key": str(uuid.uuid4()),
                "type": "reply",
                "target": target,
                "text": "Nous regardons votre commande tout de suite.",
            },
            {"key": str(uuid.uuid4()), "type": "chat", "text": "Je prends le microblog"},
        ]
        for action in sent:
            ack = sio.call("action", action, namespace="/play")
            assert ack["ok"] and ack["duplicate"] is False, ack
            assert ack["action"]["status"] == "done"
        again = sio.call("action", sent[0], namespace="/play")
        assert again["ok"] and again["duplicate"] is True
        # Every stored action reaches the team as an `action` event.
        _until(lambda: len(got["action"]) >= 3)
        assert [a["key"] for a in got["action"][:3]] == [a["key"] for a in sent]
        assert got["action"][1]["by"] == {
            "id": joined["participant"]["id"],
            "name": "Bot",
            "role": direct,
        }

        # docs/api.md, Teams and participants: the trainer sees the participant, online.
        people = api.get(f"{stormdrill}/sessions/{drill['id']}/participants").json()["participants"]
        assert people == [
            {
                "id": joined["participant"]["id"],
                "name": "Bot",
                "team": red,
                "role": direct,
                "online": True,
            }
        ]
    finally:
        sio.disconnect()
