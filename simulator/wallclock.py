"""The app's wall clock: one object per app (`app.extensions["stormdrill.clock"]`), read by
the services (clocks, controls, actions) and by the runner alike. Tests set a fake one with
`set_clock(app, fake)` (anything with a `now()` method) and move it by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from flask import Flask, current_app

KEY = "stormdrill.clock"


class Now(Protocol):
    def now(self) -> float: ...


class WallClock:
    """Seconds since the epoch, as `time.time` says (or the callable given)."""

    def __init__(self, read: Callable[[], float] = time.time):
        self.read = read

    def now(self) -> float:
        return self.read()


def init_app(app: Flask) -> None:
    app.extensions.setdefault(KEY, WallClock())


def set_clock(app: Flask, clock: Now) -> None:
    app.extensions[KEY] = clock


def clock_of(app: Flask) -> Now:
    return app.extensions[KEY]


def now() -> float:
    """The current app's wall time."""
    return current_app.extensions[KEY].now()
