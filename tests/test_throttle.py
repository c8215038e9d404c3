"""The one throttle behind failed logins, wrong join codes and participants' actions."""

from __future__ import annotations

import pytest

from simulator.throttle import Throttle


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return FakeClock()


def test_at_most_limit_events_in_any_window(clock):
    throttle = Throttle(3, 60.0, now=clock)
    assert throttle.hit("a") == 0
    clock.t += 5
    assert throttle.hit("a") == 0
    clock.t += 5
    assert throttle.hit("a") == 50  # the third: the first leaves the window in 50 s
    assert throttle.wait("a") == 50
    clock.t += 49
    assert throttle.wait("a") == pytest.approx(1)
    clock.t += 1
    assert throttle.wait("a") == 0
    assert throttle.hit("a") == pytest.approx(5)  # the second event is now the oldest


def test_events_spread_out_are_never_throttled(clock):
    throttle = Throttle(3, 60.0, now=clock)
    for _ in range(100):
        assert throttle.wait("a") == 0
        throttle.hit("a")
        clock.t += 20  # 3 events at most in any 60 s


def test_take_counts_only_what_it_lets_through(clock):
    throttle = Throttle(2, 10.0, now=clock)
    assert [throttle.take("p") for _ in range(4)] == [0, 0, 10, 10]
    clock.t += 10
    assert throttle.take("p") == 0  # the refused ones did not push the window


def test_keys_are_separate_and_clear_forgets_one(clock):
    throttle = Throttle(1, 60.0, now=clock)
    throttle.hit("a")
    assert throttle.wait("a") == 60 and throttle.wait("b") == 0
    throttle.clear("a")
    assert throttle.wait("a") == 0


def test_memory_is_bounded_and_the_least_recent_key_goes_first(clock):
    throttle = Throttle(5, 60.0, max_keys=100, now=clock)
    for _ in range(5):
        throttle.hit("busy")
    for i in range(1000):
        throttle.hit(f"name{i}")
        if i % 50 == 0:
            throttle.hit("busy")  # used recently: kept
        assert len(throttle) <= 100
    assert throttle.wait("busy") > 0
    assert throttle.wait("name0") == 0  # forgotten
    assert all(len(times) <= 5 for times in throttle._times.values())
