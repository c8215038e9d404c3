"""Emoji in the PDF report: participants write them, and DejaVu has none (empty boxes)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.sockets.conftest import (  # noqa: F401
    MINIMAL,
    _control,
    join,
    login,
    runner,
    running,
    trainer,
    trainer_socket,
    wall,
)
from tests.sockets.test_actions import act
from tests.web.test_report import _client, _text, drill, lang, pdf_tools  # noqa: F401

EMOJI = "😡🔥👍"


def test_emoji_in_a_memo_print_with_an_emoji_font(app, running, pdf_tools, tmp_path):  # noqa: F811
    act(running["red"], key="m", type="memo", text=f"Memo {EMOJI} a1e5: hold all replies")
    _control(running["trainer"], session=running["drill"]["id"], action="end")
    with app.app_context():
        from simulator.extensions import db
        from simulator.models import DrillSession

        trainer_id = db.session.get(DrillSession, running["drill"]["id"]).trainer_id
    response = _client(app, trainer_id).get(f"/trainer/{running['drill']['id']}/report.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)

    assert f"Memo {EMOJI} a1e5" in " ".join(_text(pdf_tools, pdf).split())
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts is not installed (poppler-utils: make system-deps)")
    fonts = subprocess.run([pdffonts, str(pdf)], capture_output=True, check=True, text=True)
    # the emoji are drawn with an emoji font, embedded, not as DejaVu's empty boxes
    emoji_fonts = [line for line in fonts.stdout.splitlines() if "Emoji" in line]
    assert emoji_fonts and all(" yes " in line for line in emoji_fonts)
