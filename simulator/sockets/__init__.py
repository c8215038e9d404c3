"""Socket.IO: one Namespace class per role, `/trainer` and `/play`."""

from __future__ import annotations

from ..extensions import socketio
from .play import PlayNamespace
from .trainer import TrainerNamespace


def register() -> None:
    """Register the namespaces once, before `socketio.init_app`, so every app gets them."""
    known = {handler.namespace for handler in socketio.namespace_handlers}
    if "/play" not in known:
        socketio.on_namespace(PlayNamespace("/play"))
    if "/trainer" not in known:
        socketio.on_namespace(TrainerNamespace("/trainer"))
