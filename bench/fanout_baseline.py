"""The baseline of bench/fanout.py: a minimal Flask-SocketIO server (gevent) that emits each
post to each room as its own message, at a given rate per room, ticking every 200 ms.

    python bench/fanout_baseline.py PORT ROOMS POSTS_PER_SECOND_PER_ROOM

A client connects with `?room=N`; each post carries `sent` (wall time) for the lag.
"""

from gevent import monkey

monkey.patch_all()

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

SAMPLE = json.loads((Path(__file__).parent / "fanout_post.json").read_text())
TICK = 0.2

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")


@app.get("/healthz")
def healthz():
    return "ok"


@socketio.on("connect")
def connect(auth=None):
    join_room(f"room-{request.args.get('room', '0')}")


@socketio.on("action")
def action(data=None):
    return {"ok": True}


def drive(rooms: int, rate: float) -> None:
    owed = [0.0] * rooms
    n = 0
    due = time.time()
    while True:
        due += TICK
        socketio.sleep(max(0.0, due - time.time()))
        for room in range(rooms):
            owed[room] += rate * TICK
            while owed[room] >= 1:
                owed[room] -= 1
                n += 1
                post = {**SAMPLE, "id": f"{room}-{n}", "sent": time.time()}
                socketio.emit("post", post, to=f"room-{room}")


if __name__ == "__main__":
    port, rooms, rate = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    socketio.start_background_task(drive, rooms, rate)
    socketio.run(app, host="127.0.0.1", port=port, log_output=False)
