"""Schemathesis against the REST API: generated requests, valid and not, to every operation.

Whatever it sends, the API answers without a server error, with a status the OpenAPI
document lists for the operation, as JSON in the documented shape.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from simulator import create_app
from simulator.config import TestingConfig as AppConfig
from simulator.extensions import db
from simulator.models import DrillSession, Trainer
from simulator.services import accounts
from simulator.services import participants as session_people
from simulator.services import sessions as svc

MINIMAL = Path(__file__).resolve().parents[1] / "engine" / "data" / "minimal.yaml"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Generated values of these body fields mostly become ones the minimal scenario has.
REAL_TEXT = {
    "scenario": "minimal",
    "inject": "curveball",
    "persona": "angry",
    "role": "community_manager",
}


def mostly(value: Any, real: Any) -> Any:
    """`real` for about two generated values in three; the others exercise the errors."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return value if int(value) % 3 == 1 else real
    if isinstance(value, str):
        return value if len(value) % 3 == 1 else real
    return value


class Drills:
    """Real ids for generated requests: a session that has not ended, one of its participants.

    Controls end sessions and remove participants as they go; new ones are made as needed,
    so that most requests reach a live session rather than a 404 or a 409.
    """

    def __init__(self, trainer_id: int, token: str):
        self.trainer_id, self.token = trainer_id, token
        self.session_id: int | None = None
        self.participant_id: int | None = None

    def session(self) -> DrillSession:
        session = db.session.get(DrillSession, self.session_id) if self.session_id else None
        if session is None or session.status == "ended":
            trainer = db.session.get(Trainer, self.trainer_id)
            new = svc.NewSession("minimal", MINIMAL.read_text(), "fr", 10.0, 7, ["Red", "Blue"])
            session = svc.create_session(trainer, new)
            self.session_id, self.participant_id = session.id, None
        return session

    def participant(self) -> int:
        session = self.session()
        if self.participant_id not in {p.id for p in session.participants if not p.removed}:
            participant, _token = session_people.join(session.join_code, "Zoé", session.teams[0].id)
            self.participant_id = participant.id
        return self.participant_id

    def realistic(self, case) -> None:
        """Point most generated ids and names at things that exist."""
        params = case.path_parameters or {}
        if "participant_id" in params:
            params["participant_id"] = mostly(params["participant_id"], self.participant())
        if "session_id" in params:
            params["session_id"] = mostly(params["session_id"], self.session().id)
        if "scenario_id" in params:
            params["scenario_id"] = mostly(params["scenario_id"], "minimal")
        if isinstance(case.body, dict):
            for name, real in REAL_TEXT.items():
                if name in case.body:
                    case.body[name] = mostly(case.body[name], real)
            if "team" in case.body:
                case.body["team"] = mostly(case.body["team"], self.session().teams[-1].id)


@pytest.fixture
def app(make_app, tmp_path):
    """An app whose library is the small scenario alone: sessions of it open quickly."""
    library = tmp_path / "scenarios"
    library.mkdir()
    shutil.copy(MINIMAL, library / "minimal.yaml")
    return make_app(SCENARIO_DIR=str(library))


@pytest.fixture
def drills(app) -> Drills:
    with app.app_context():
        trainer, _password = accounts.create_trainer("alice", "correct horse")
        drills = Drills(trainer.id, accounts.issue_api_token(trainer))
        drills.session()
    return drills


def load_schema():
    """The document as an app serves it; requests go to each test's own app and database.

    The same cases on every run, few enough for the suite; API_FUZZ_EXAMPLES=500 (say) runs
    longer and with a random seed, to hunt.
    """
    examples = int(os.environ.get("API_FUZZ_EXAMPLES", "0"))
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "max-examples": examples or 15,
                "deterministic": not examples,
                "mode": "all",
            },
            "phases": {"stateful": {"enabled": False}},
        }
    )
    return schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", create_app(AppConfig()), config=config
    )


schema = load_schema()


@schema.parametrize()
# One app and database per operation, shared by its examples on purpose (Drills keeps ids
# live); opening a session can take longer than Hypothesis's default deadline.
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api_answers_every_generated_request(case, app, drills):
    with app.app_context():
        drills.realistic(case)
        db.session.remove()
    headers = {"Authorization": f"Bearer {drills.token}"}
    case.call_and_validate(app=app, headers=headers, checks=CHECKS)
