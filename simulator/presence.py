"""Who is connected, per team, in this worker (for the trainer's overview)."""

from __future__ import annotations

from collections import defaultdict

_online: dict[int, dict[str, int]] = defaultdict(dict)  # team id -> {sid: participant id}


def arrive(team_id: int, sid: str, participant_id: int) -> None:
    _online[team_id][sid] = participant_id


def leave(sid: str) -> None:
    for sids in _online.values():
        sids.pop(sid, None)


def online_count(team_id: int) -> int:
    return len(set(_online.get(team_id, {}).values()))


def online_ids(team_id: int) -> set[int]:
    return set(_online.get(team_id, {}).values())
