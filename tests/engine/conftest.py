from pathlib import Path

import pytest

from simulator.engine.loader import load_directory, load_scenario

DATA = Path(__file__).parent / "data"
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="session")
def minimal():
    """A small complete scenario: two phases, injects on two platforms, one rule of each type."""
    return load_scenario(DATA / "minimal.yaml")


@pytest.fixture(scope="session")
def shipped():
    scenarios, errors = load_directory(SCENARIOS)
    assert not errors, "\n".join(errors)
    return {s.id: s for s in scenarios}
