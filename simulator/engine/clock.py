"""The session clock: simulated time as a function of wall time, pure and injectable.

The state is stored on every change (start, pause, speed, jump), so a restarted server
resumes where the clock stood. Callers pass `now` (wall seconds); nothing here reads time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIN_SPEED, MAX_SPEED = 1.0, 30.0


@dataclass(frozen=True, slots=True)
class Clock:
    running: bool
    speed: float  # simulated seconds per wall second
    sim: float  # simulated seconds at wall time `wall`
    wall: float
    end: float  # the scenario's duration: the clock never passes it

    def at(self, now: float) -> float:
        if not self.running:
            return self.sim
        return min(self.end, self.sim + max(0.0, now - self.wall) * self.speed)

    def start(self, now: float) -> Clock:
        return replace(self, running=True, sim=self.at(now), wall=now)

    def pause(self, now: float) -> Clock:
        return replace(self, running=False, sim=self.at(now), wall=now)

    def with_speed(self, speed: float, now: float) -> Clock:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed must be between {MIN_SPEED:g}x and {MAX_SPEED:g}x")
        return replace(self, speed=speed, sim=self.at(now), wall=now)

    def jump(self, to: float, now: float) -> Clock:
        """Forward only: what was published stays published."""
        current = self.at(now)
        if to < current:
            raise ValueError("the clock only jumps forward")
        return replace(self, sim=min(to, self.end), wall=now)

    @property
    def finished(self) -> bool:
        return self.sim >= self.end


def clock_text(seconds: float) -> str:
    """Simulated time as people read it: 1:05:09."""
    t = max(0, int(seconds))
    return f"{t // 3600:d}:{t % 3600 // 60:02d}:{t % 60:02d}"
