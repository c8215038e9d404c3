"""One throttle for every limit: failed logins, wrong join codes, participants' actions.

A `Throttle` allows at most `limit` events per key in any `window` seconds (a sliding
window). Its memory is bounded: a key keeps its last `limit` times only, and the throttle
keeps at most `max_keys` keys, forgetting the least recently used first. It lives in the
process's memory, like a workshop's server (one process per worker, sticky sessions), and
reads an injected clock, so tests move time instead of sleeping.

`Throttles` are the app's four, made once per app by `init_app` (config `THROTTLE_CLOCK`
replaces the clock):
- `login_address`: failed logins from one address, whatever the names tried;
- `login_name`: failed logins for one name, from anywhere: slows guessing down for a short
  while only, so the owner's right password works again a minute later;
- `join_codes`: wrong join codes from one address;
- `actions`: actions of one participant.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import Flask, current_app

LIMITS: dict[str, tuple[int, float]] = {
    "login_address": (20, 900.0),  # failed logins per address per 15 minutes
    "login_name": (5, 60.0),  # failed logins per name per minute
    "join_codes": (8, 300.0),  # wrong join codes per address per 5 minutes
    "actions": (20, 10.0),  # actions per participant per 10 seconds
}
_EXTENSION = "stormdrill.throttles"


class Throttle:
    def __init__(
        self,
        limit: int,
        window: float,
        *,
        max_keys: int = 10_000,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._now = now
        self._lock = threading.Lock()
        self._times: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def wait(self, key: Hashable) -> float:
        """Seconds until `key` may have one more event; 0 when it may now."""
        with self._lock:
            return self._wait(self._times.get(key), self._now())

    def hit(self, key: Hashable) -> float:
        """Count one event for `key`; returns the seconds it must now wait (0: none)."""
        with self._lock:
            now = self._now()
            times = self._times_of(key)
            times.append(now)
            return self._wait(times, now)

    def take(self, key: Hashable) -> float:
        """Count one event if `key` may have it now and return 0; else the seconds to wait."""
        with self._lock:
            now = self._now()
            if wait := self._wait(self._times.get(key), now):
                return wait
            self._times_of(key).append(now)
            return 0.0

    def _wait(self, times: deque[float] | None, now: float) -> float:
        if times is None or len(times) < self.limit:
            return 0.0
        return max(0.0, times[0] + self.window - now)

    def _times_of(self, key: Hashable) -> deque[float]:
        times = self._times.get(key)
        if times is None:
            times = self._times[key] = deque(maxlen=self.limit)
            while len(self._times) > self.max_keys:
                self._times.popitem(last=False)
        self._times.move_to_end(key)
        return times

    def clear(self, key: Hashable) -> None:
        with self._lock:
            self._times.pop(key, None)

    def __len__(self) -> int:
        return len(self._times)


@dataclass(frozen=True)
class Throttles:
    login_address: Throttle
    login_name: Throttle
    join_codes: Throttle
    actions: Throttle

    @classmethod
    def make(cls, now: Callable[[], float] = time.monotonic) -> Throttles:
        return cls(**{name: Throttle(*limit, now=now) for name, limit in LIMITS.items()})


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = Throttles.make(app.config.get("THROTTLE_CLOCK") or time.monotonic)


def throttles() -> Throttles:
    """The current app's throttles."""
    return current_app.extensions[_EXTENSION]
