"""Start Stormdrill: `python run.py [--host HOST] [--port PORT]` (one process, gevent)."""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (gevent must patch the standard library first)
import gc  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402

from simulator import create_app  # noqa: E402
from simulator.cli_trainer import (  # noqa: E402
    announce_login,
    join_lines,
    prepare_database,
    public_host,
)
from simulator.extensions import socketio  # noqa: E402
from simulator.runner import get_runner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Stormdrill server.")
    parser.add_argument("--host", help="address to listen on (default: STORMDRILL_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default: STORMDRILL_PORT)")
    args = parser.parse_args()

    app = create_app()
    host = args.host or app.config["HOST"]
    port = args.port or app.config["PORT"]
    app.config["HOST"], app.config["PORT"] = host, port  # the projector page warns on loopback
    if prepare_database(app):  # `make run` has done it already; a bare `python run.py` not
        print("Created the database tables.", flush=True)
    if not app.config.get("PUBLIC_URL"):  # join links and QR codes must work from phones
        shown_host = public_host(host)
        shown_host = f"[{shown_host}]" if ":" in shown_host else shown_host
        app.config["PUBLIC_URL"] = f"http://{shown_host}:{port}"
    # Drive running sessions (and resume those a previous run left running).
    runner = get_runner(app)
    print(f"Session runner {runner.owner} started.", flush=True)
    socketio.start_background_task(runner.supervise)
    # Everything allocated at start-up lives as long as the process: keep it out of the GC's way.
    gc.freeze()
    shown = f"[{host}]" if ":" in host else host
    print(f"Stormdrill is running on http://{shown}:{port}/  (Ctrl+C to stop)", flush=True)
    for line in join_lines(host, port):
        print(line, flush=True)
    announce_login(app, host, port, echo=lambda line: print(line, flush=True))
    hub = gevent.get_hub()
    hub.NOT_ERROR = (*hub.NOT_ERROR, KeyboardInterrupt)  # Ctrl+C is not worth a traceback
    try:
        socketio.run(app, host=host, port=port)
    except KeyboardInterrupt:
        print("Stormdrill stopped.", flush=True)
    except OSError as exc:  # most often: the port is taken
        sys.exit(f"Stormdrill cannot listen on {shown}:{port}: {exc.strerror or exc}")


if __name__ == "__main__":
    main()
