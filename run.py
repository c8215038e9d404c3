"""Start Stormdrill: `python run.py [--host HOST] [--port PORT]` (one process, gevent)."""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (gevent must patch the standard library first)
import gc  # noqa: E402
import sys  # noqa: E402

import gevent  # noqa: E402

from simulator import create_app  # noqa: E402
from simulator.extensions import socketio  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the Stormdrill server.")
    parser.add_argument("--host", help="address to listen on (default: STORMDRILL_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (default: STORMDRILL_PORT)")
    args = parser.parse_args()

    app = create_app()
    host = args.host or app.config["HOST"]
    port = args.port or app.config["PORT"]
    # Everything allocated at start-up lives as long as the process: keep it out of the GC's way.
    gc.freeze()
    shown = f"[{host}]" if ":" in host else host
    print(f"Stormdrill is running on http://{shown}:{port}/  (Ctrl+C to stop)", flush=True)
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
