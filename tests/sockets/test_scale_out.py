"""Scale-out: two worker processes sharing PostgreSQL and Redis (Flask-SocketIO's message
queue). A participant connected to worker A gets the posts of a session that worker B drives,
and the trainer's notice sent through B; when B dies, A takes the session over."""

import signal
from pathlib import Path

import psycopg
import pytest
import socketio

from .processes import api, join, prepare, server_env, start, stop, wait, worker

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cluster(tmp_path, postgres_url):
    env = server_env(postgres_url, "scale-out-tests", redis=True)
    token = prepare(env, "scale")
    workers = {name: worker(tmp_path, name) for name in ("a", "b")}
    try:
        for w in workers.values():
            start(w, env)
        yield {"token": token, "workers": workers, "database": postgres_url}
    finally:
        for w in workers.values():
            stop(w)


def _owner(cluster, sid):
    plain = cluster["database"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        return conn.execute("select runner_id from drill_session where id=%s", (sid,)).fetchone()[0]


def _drives(worker, owner) -> bool:
    """Whether this worker process holds the session (run.py prints its runner's id)."""
    return bool(owner) and f"runner {owner}" in worker["log"].read_text()


def test_two_workers_share_sessions_through_redis_and_take_over(cluster):
    session = api(
        cluster,
        "b",
        "POST",
        "/sessions",
        json={"scenario": "product-recall", "lang": "fr", "speed": 10, "teams": ["Rouge"]},
    )
    sid, team = session["id"], session["teams"][0]["id"]
    api(cluster, "b", "POST", f"/sessions/{sid}/start")
    assert wait(lambda: _owner(cluster, sid)), "no worker drives the session"
    owner = _owner(cluster, sid)
    workers = cluster["workers"]
    driver = next(name for name, w in workers.items() if _drives(w, owner))
    other = "a" if driver == "b" else "b"

    # the participant is on the worker that does NOT drive the session
    http = join(workers[other]["url"], session["join_code"], "Ana")
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
        assert wait(lambda: got["posts"]), "posts sent by the driving worker did not arrive"
        api(
            cluster,
            driver,
            "POST",
            f"/sessions/{sid}/controls",
            json={"action": "notice", "text": "Appel du PDG", "kind": "call"},
        )
        assert wait(lambda: got["notice"]), "a notice sent through the other worker is lost"
        assert got["notice"][0]["text"] == "Appel du PDG"

        # the driving worker dies; the other takes the session over when the lease lapses
        workers[driver]["process"].send_signal(signal.SIGKILL)
        workers[driver]["process"].wait(timeout=10)
        before = sum(len(b["posts"]) for b in got["posts"])
        assert wait(lambda: sum(len(b["posts"]) for b in got["posts"]) > before, timeout=30), (
            "nobody took the session over"
        )
        assert _drives(workers[other], _owner(cluster, sid))
        seqs = [b["seq"] for b in got["posts"]]
        assert seqs == sorted(set(seqs)), "batches were duplicated or out of order"
        ids = [p["id"] for b in got["posts"] for p in b["posts"]]
        assert len(ids) == len(set(ids))
    finally:
        client.disconnect()
