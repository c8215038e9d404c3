"""`flask --app simulator scenario list|validate|storm`, run as a trainer would run them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "tests" / "engine" / "data" / "minimal.yaml"
FLASK = [sys.executable, "-m", "flask", "--app", "simulator"]


def flask(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*FLASK, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_list_shows_the_shipped_scenarios():
    result = flask("scenario", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 6
    assert lines[0].startswith("late-delivery") and "severity 1" in lines[0]


def test_validate_accepts_valid_files():
    shipped = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    result = flask("scenario", "validate", *shipped)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_validate_reports_every_error_one_per_line(tmp_path: Path):
    bad = tmp_path / "breach.yaml"
    bad.write_text(
        MINIMAL.read_text()
        .replace("    time: 5m\n", '    time: "25 min"\n', 1)
        .replace("severity: 1\n", "severity: 7\n", 1)
    )
    result = flask("scenario", "validate", str(MINIMAL), str(bad))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0] == f"{bad}:5:11: severity: 7 must be at most 5"
    assert errors[1].endswith(
        'injects[0].time: "25 min" is not a duration (use 25m, 1h30m or a number of seconds)'
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02", b"key: [unclosed"])
def test_validate_never_shows_a_traceback(tmp_path: Path, content: bytes):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(content)
    result = flask("scenario", "validate", str(bad), str(tmp_path / "missing.yaml"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 2
    assert "cannot read the file" in result.stderr.splitlines()[1]


def test_storm_is_byte_identical_json_lines(tmp_path: Path):
    actions = tmp_path / "actions.jsonl"
    actions.write_text(
        '{"t": 400, "type": "reply", "target": "i-first-complaint", '
        '"text": "We are sorry, we are working on it."}\n{"t": 900, "type": "memo", "text": "Hi"}\n'
    )
    args = (
        "scenario",
        "storm",
        str(MINIMAL),
        "--seed",
        "42",
        "--lang",
        "en",
        "--actions",
        str(actions),
        "--until",
        "30m",
    )
    first, second = flask(*args), flask(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    posts = [json.loads(line) for line in first.stdout.splitlines()]
    assert posts and all(p["t"] < 1800 and p["lang"] == "en" for p in posts)
    assert any(p["id"] == "brand-a0" and p["parent"] == "i-first-complaint" for p in posts)
    other = flask(
        "scenario", "storm", str(MINIMAL), "--seed", "43", "--lang", "en", "--until", "30m"
    )
    assert other.stdout != first.stdout


def test_storm_refuses_bad_actions_with_the_line(tmp_path: Path):
    actions = tmp_path / "a.jsonl"
    actions.write_text('{"t": 1, "type": "memo", "text": "ok"}\n{"t": 2, "type": "nuke"}\n')
    result = flask("scenario", "storm", str(MINIMAL), "--seed", "1", "--actions", str(actions))
    assert result.returncode == 1
    assert result.stderr.strip().startswith(f"{actions}:2: 'type' must be one of")
    assert result.stdout == ""


def test_storm_refuses_a_bad_duration():
    result = flask("scenario", "storm", str(MINIMAL), "--seed", "1", "--until", "soon")
    assert result.returncode == 2
    assert "is not a duration" in result.stderr


def test_validate_locates_a_nesting_bomb_without_a_traceback(tmp_path: Path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("[" * 10_000)
    result = flask("scenario", "validate", str(bomb))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{bomb}:1:65: malformed YAML: nested more than 64 levels deep"
    ]
