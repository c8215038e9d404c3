"""Fan-out under load, measured from the outside, against a per-message baseline.

Stormdrill runs as `python run.py` does (one process, gevent, SQLite in a temporary
directory). Participants are real Socket.IO clients over websocket, joined the documented
way (the join form, then `choose` on /play); the trainer's controls go through the REST API.
Each session runs product-recall from its peak (a `jump` to 40 minutes) at `--speed` (1: about
20 posts per second per team); each
participant acts (a memo or a chat line) every `--act-every` seconds. In the same run, on the
same machine, a minimal Flask-SocketIO server (bench/fanout_baseline.py) emits each post to
each room as its own message, at the posts per second per team that Stormdrill sent.

Per load point it prints and stores (bench/results/fanout-<label>.json): posts per second per
team, deliveries per second, delivery lag p50/p99/max (a post's arrival against its expected
wall time from the last `clock` event), posts lost and duplicated (against the database),
action ack p50/p99, server CPU (its own process) and RSS, and CPU per 1,000 deliveries against
the baseline's.

    .venv/bin/python bench/fanout.py --label before [--points 20x5,2x10x5] [--seconds 20]

A point is TEAMSxPEOPLE (one session) or SESSIONSxTEAMSxPEOPLE. The clients share one
process (gevent): past a few hundred participants they, not the server, are what saturates a
2-core machine, so keep the points small there and say so.
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import gevent.pool  # noqa: E402
import requests  # noqa: E402
import socketio  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

TICKS = os.sysconf("SC_CLK_TCK")
JOINING = 10  # participants joining at the same time


PORTS: list[int] = []  # --ports: the ports to use in turn (a shared machine assigns them)


def free_port() -> int:
    if PORTS:
        port = PORTS.pop(0)
        PORTS.append(port)
        return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def caught_up(path: Path, speed: float) -> bool:
    """Whether every team's storm is within two seconds of wall time of its session's clock."""
    with sqlite3.connect(path, timeout=30) as db:
        rows = db.execute(
            "select s.clock_sim + (strftime('%s','now') - s.clock_wall) * s.speed - t.emitted_until"
            " from team t join drill_session s on s.id = t.session_id where s.status = 'running'"
        ).fetchall()
    return bool(rows) and all(r[0] < 2.0 * speed for r in rows)


def stored_count(path: Path) -> int:
    with sqlite3.connect(path, timeout=30) as db:
        return db.execute("select max(id) from post").fetchone()[0] or 0


def usage(pid: int) -> tuple[float, float]:
    """(CPU seconds so far, RSS in MB) of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICKS
    rss = next(
        int(line.split()[1]) / 1024
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    return cpu, rss


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 1)


class Participant:
    def __init__(self, url: str, code: str, name: str, team: int, window: dict):
        self.name, self.team, self.window = name, team, window
        self.clock = None
        self.ids: list[str] = []
        self.lags: list[float] = []
        self.acks: list[float] = []
        self.unanswered = 0
        self.delivered = 0
        self.last_seq = None
        self.first_seq = None
        http = requests.Session()
        page = http.get(f"{url}/join/{code}", timeout=30).text
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        http.post(
            f"{url}/join",
            data={"csrf_token": csrf, "code": code, "name": name},
            allow_redirects=False,
            timeout=30,
        )
        self.cookies = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
        http.close()
        self.client = socketio.Client(reconnection=False)
        self.client.on("snapshot", self._snapshot, namespace="/play")
        self.client.on("posts", self._posts, namespace="/play")
        self.client.on("clock", self._clock, namespace="/play")
        self.failed_connects = 0
        for attempt in range(5):  # as socket.io-client does, a failed connection is tried again
            try:
                self.client.connect(
                    url,
                    namespaces=["/play"],
                    headers={"Cookie": self.cookies},
                    transports=["websocket"],
                    wait_timeout=120,
                )
                break
            except socketio.exceptions.ConnectionError:
                self.failed_connects += 1
                time.sleep(1.0 + attempt)
        else:
            raise RuntimeError(f"{name} could not connect")
        ack = self.client.call("choose", {"team": team}, namespace="/play", timeout=60)
        assert ack["ok"], ack

    def _snapshot(self, snap):
        self.clock = snap["clock"]
        self.last_seq = snap["seq"]

    def _clock(self, clock):
        self.clock = clock

    def _posts(self, batch):
        now = time.time()
        if self.first_seq is None:
            self.first_seq = batch["seq"]
        self.last_seq = batch["seq"]
        self.ids.extend(p["id"] for p in batch["posts"])
        c = self.clock
        if self.window.get("open") and c and c["status"] == "running":
            self.delivered += len(batch["posts"])
            for p in batch["posts"]:
                expected = c["wall"] + (p["t"] - c["sim"]) / c["speed"]
                self.lags.append(max(0.0, now - expected))

    def act(self, n: int) -> None:
        start = time.time()
        try:
            ack = self.client.call(
                "action",
                {"key": f"{self.name}-{n}", "type": "chat" if n % 2 else "memo", "text": "Point"},
                namespace="/play",
                timeout=30,
            )
        except Exception:
            self.unanswered += 1
            return
        if ack and ack.get("ok") and self.window.get("open"):
            self.acks.append(time.time() - start)


class BaselineClient:
    def __init__(self, url: str, room: int, window: dict):
        self.window = window
        self.lags: list[float] = []
        self.delivered = 0
        self.client = socketio.Client(reconnection=False)
        self.client.on("post", self._post)
        self.client.connect(f"{url}?room={room}", transports=["websocket"], wait_timeout=120)

    def _post(self, post):
        if self.window.get("open"):
            self.delivered += 1
            self.lags.append(max(0.0, time.time() - post["sent"]))


def stormdrill_point(args, sessions: int, teams: int, people: int, tmp: Path) -> dict:
    env = {
        **os.environ,
        "STORMDRILL_ENV": "production",
        "STORMDRILL_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "STORMDRILL_SECRET_KEY": "bench",
        "FLASK_APP": "simulator",
    }
    py = sys.executable
    subprocess.run([py, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    token = (
        subprocess.run(
            [
                py,
                "-c",
                "from simulator import create_app\n"
                "from simulator.services.accounts import create_trainer, issue_api_token\n"
                "with create_app().app_context():\n"
                "    trainer, _ = create_trainer('bench', 'correct horse battery')\n"
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
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [py, "run.py", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    try:
        wait_http(f"{url}/healthz", server)
        window: dict = {}
        created = []
        for _ in range(sessions):
            r = api.post(
                f"{url}/api/v1/sessions",
                json={
                    "scenario": "product-recall",
                    "lang": "fr",
                    "speed": args.speed,
                    "teams": [f"T{i + 1}" for i in range(teams)],
                    "intensity": args.intensity,
                },
                timeout=60,
            )
            r.raise_for_status()
            created.append(r.json())
        controls = []
        for s in created:
            for body in ({"action": "jump", "to": args.jump}, {"action": "start"}):
                t0 = time.time()
                api.post(
                    f"{url}/api/v1/sessions/{s['id']}/controls", json=body, timeout=120
                ).raise_for_status()
                controls.append(time.time() - t0)
        # the jump to the peak is a burst of the 40 minutes before it: wait until the runner
        # has caught up (it blocks the server meanwhile), then let the participants in
        started = time.time()
        behind = True
        while time.time() < started + args.catch_up and (
            behind := not caught_up(tmp / "bench.db", args.speed)
        ):
            time.sleep(1.0)
        caught_up_s = time.time() - started
        started = time.time()
        pool = gevent.pool.Pool(JOINING)  # people join over seconds, not all in one ms
        jobs = [
            pool.spawn(Participant, url, s["join_code"], f"p{k}-{t['id']}", t["id"], window)
            for s in created
            for t in s["teams"]
            for k in range(people)
        ]
        gevent.joinall(jobs)  # one that could not join (a timeout) is counted, not fatal
        clients = [j.value for j in jobs if j.successful()]
        failed_joins = len(jobs) - len(clients)
        connected_s = time.time() - started
        controls = controls[:0]  # the jump's burst is not a control's own cost
        time.sleep(3.0)
        cpu0, _ = usage(server.pid)
        stored0 = stored_count(tmp / "bench.db")
        window["open"] = True
        t0 = time.time()
        spy = None
        if args.profile:  # py-spy on the server for the window (collapsed stacks)
            RESULTS.mkdir(parents=True, exist_ok=True)
            spy = subprocess.Popen(
                [str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                 "--idle", "--rate", "50", "--duration", str(int(args.seconds)), "--pid",
                 str(server.pid), "--output",
                 str(RESULTS / f"profile-{args.label}-{sessions}x{teams}x{people}.txt")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        stop = gevent.event.Event()

        def acting(p: Participant, offset: float) -> None:
            n = 0
            stop.wait(offset)
            while not stop.is_set():
                gevent.spawn(p.act, n)
                n += 1
                stop.wait(args.act_every)

        actors = [
            gevent.spawn(acting, p, (i % 10) * args.act_every / 10) for i, p in enumerate(clients)
        ]
        time.sleep(args.seconds)
        window["open"] = False
        elapsed = time.time() - t0
        cpu1, rss = usage(server.pid)
        stored1 = stored_count(tmp / "bench.db")
        dropped = sum(1 for p in clients if not p.client.connected)
        stop.set()
        gevent.joinall(actors)
        if spy is not None:
            spy.wait()
        for s in created:
            t0 = time.time()
            with contextlib.suppress(requests.RequestException):  # saturated: noted as 60 s
                api.post(
                    f"{url}/api/v1/sessions/{s['id']}/controls",
                    json={"action": "pause"},
                    timeout=60,
                )
            controls.append(time.time() - t0)
        time.sleep(2.0)
        db = sqlite3.connect(tmp / "bench.db")
        lost = duplicated = 0
        for p in clients:
            if p.first_seq is None:
                continue
            stored = [
                row[0]
                for row in db.execute(
                    "select post_id from post where team_id = ? and seq between ? and ? "
                    "and shown order by seq, id",  # every post is stored: the feed shows some
                    (p.team, p.first_seq, p.last_seq),
                )
            ]
            got = set(p.ids)
            lost += sum(1 for i in stored if i not in got)
            duplicated += len(p.ids) - len(got)
        posts = db.execute("select count(*) from post").fetchone()[0]
        db.close()
        for p in clients:
            p.client.disconnect()
        lags = [x for p in clients for x in p.lags]
        acks = [x for p in clients for x in p.acks]
        delivered = sum(p.delivered for p in clients)
        team_count = sessions * teams
        return {
            "participants": len(clients),
            "failed_joins": failed_joins,
            "dropped": dropped,
            "connected_s": round(connected_s, 1),
            "failed_connects": sum(p.failed_connects for p in clients),
            "caught_up_s": round(caught_up_s, 1),
            "caught_up": not behind,
            "posts_per_s_per_team": round(delivered / max(1, people) / team_count / elapsed, 1),
            # the storm's whole crowd, generated and recorded (the feed shows a part of it)
            "stored_per_s_per_team": round((stored1 - stored0) / team_count / elapsed, 1),
            "deliveries_per_s": round(delivered / elapsed),
            "lag_ms": {"p50": pct(lags, 0.5), "p99": pct(lags, 0.99), "max": pct(lags, 1.0)},
            "lost": lost,
            "duplicated": duplicated,
            "ack_ms": {"p50": pct(acks, 0.5), "p99": pct(acks, 0.99)},
            "acks": len(acks),
            "unanswered": sum(p.unanswered for p in clients),
            "controls_ms": {"max": pct(controls, 1.0)},
            "cpu_pct": round(100 * (cpu1 - cpu0) / elapsed, 1),
            "cpu_ms_per_1000": round(1e6 * (cpu1 - cpu0) / max(1, delivered), 1),
            "rss_mb": round(rss),
            "stored_posts": posts,
        }
    finally:
        server.kill()
        server.wait()
        log.close()


def baseline_point(args, rooms: int, people: int, rate: float) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "fanout_baseline.py"), str(port), str(rooms),
         str(rate)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_http(f"{url}/healthz", server)
        window: dict = {}
        pool = gevent.pool.Pool(JOINING)
        jobs = [
            pool.spawn(BaselineClient, url, room, window)
            for room in range(rooms)
            for _ in range(people)
        ]
        gevent.joinall(jobs, raise_error=True)
        clients = [j.value for j in jobs]
        time.sleep(2.0)
        cpu0, _ = usage(server.pid)
        window["open"] = True
        t0 = time.time()
        time.sleep(args.seconds)
        window["open"] = False
        elapsed = time.time() - t0
        cpu1, rss = usage(server.pid)
        for c in clients:
            c.client.disconnect()
        lags = [x for c in clients for x in c.lags]
        delivered = sum(c.delivered for c in clients)
        return {
            "deliveries_per_s": round(delivered / elapsed),
            "lag_ms": {"p50": pct(lags, 0.5), "p99": pct(lags, 0.99), "max": pct(lags, 1.0)},
            "cpu_pct": round(100 * (cpu1 - cpu0) / elapsed, 1),
            "cpu_ms_per_1000": round(1e6 * (cpu1 - cpu0) / max(1, delivered), 1),
            "rss_mb": round(rss),
        }
    finally:
        server.kill()
        server.wait()


def parse_point(text: str) -> tuple[int, int, int]:
    parts = [int(x) for x in text.split("x")]
    return (1, *parts) if len(parts) == 2 else tuple(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True, help="names the results file")
    parser.add_argument("--points", default="20x5", help="comma-separated TEAMSxPEOPLE points")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured window")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated min per real min")
    parser.add_argument(
        "--jump", type=float, default=2400.0, help="simulated s to start at (40 min: the peak)"
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the server's window")
    parser.add_argument("--act-every", type=float, default=10.0, help="seconds per participant")
    parser.add_argument(
        "--intensity", default="calm", help="what the feed shows: calm, busy, overwhelming"
    )
    parser.add_argument(
        "--catch-up", type=float, default=600.0, help="longest wait for the jump's burst (s)"
    )
    parser.add_argument("--ports", help="FIRST-LAST: ports to use (default: any free one)")
    args = parser.parse_args()
    if args.ports:
        first, last = (int(x) for x in args.ports.split("-"))
        PORTS.extend(range(first, last + 1))
    results = []
    for text in args.points.split(","):
        sessions, teams, people = parse_point(text)
        with tempfile.TemporaryDirectory() as tmp:
            sd = stormdrill_point(args, sessions, teams, people, Path(tmp))
        base = baseline_point(args, sessions * teams, people, sd["posts_per_s_per_team"])
        sd["cpu_vs_baseline"] = round(sd["cpu_ms_per_1000"] / max(0.1, base["cpu_ms_per_1000"]), 2)
        point = {"point": text, "stormdrill": sd, "baseline": base}
        results.append(point)
        print(json.dumps(point, indent=1), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"fanout-{args.label}.json"
    out.write_text(json.dumps({"label": args.label, "args": vars(args), "points": results},
                              indent=1) + "\n")  # fmt: skip
    print(f"{'point':>10} {'posts/s/team':>12} {'deliv/s':>8} {'lag p50/p99/max ms':>22} "
          f"{'lost':>5} {'dup':>4} {'ack p50/p99':>14} {'cpu%':>5} {'rss':>5} {'cpu/1k':>7} "
          f"{'base cpu/1k':>11} {'ratio':>5}")  # fmt: skip
    for r in results:
        s, b = r["stormdrill"], r["baseline"]
        lag = "/".join(str(s["lag_ms"][k]) for k in ("p50", "p99", "max"))
        ack = "/".join(str(s["ack_ms"][k]) for k in ("p50", "p99"))
        print(f"{r['point']:>10} {s['posts_per_s_per_team']:>12} {s['deliveries_per_s']:>8} "
              f"{lag:>22} {s['lost']:>5} {s['duplicated']:>4} {ack:>14} {s['cpu_pct']:>5} "
              f"{s['rss_mb']:>5} {s['cpu_ms_per_1000']:>7} {b['cpu_ms_per_1000']:>11} "
              f"{s['cpu_vs_baseline']:>5}")  # fmt: skip
    print(f"results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
