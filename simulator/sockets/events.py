"""What every socket event goes through before its handler, on every namespace.

An event carries at most one JSON object: one sent with several arguments
(`emit("action", 1, 2, 3)`) is answered `bad_payload` like any malformed message, instead of
failing in the handler's call with no acknowledgement.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import Namespace

from .payloads import error

LIFECYCLE = ("connect", "disconnect")


class CheckedNamespace(Namespace):
    def trigger_event(self, event: str, *args: Any) -> Any:
        # args: the client's sid, then what the client sent
        if event not in LIFECYCLE and len(args) > 2:
            return error("bad_payload", "send one JSON object per event, not several arguments")
        return super().trigger_event(event, *args)
