"""Every payload from a client (a socket event, a REST body) is checked here before use.

Payloads are small JSON objects; anything else (too big, wrong types, unknown fields) gets
an error that names the field (an acknowledgement on a socket, a 400 over REST), and the
connection keeps serving.
"""

from __future__ import annotations

import json
import math
from typing import Any

from ..engine.actions import MAX_TEXT  # characters of any text field
from ..plaintext import refusal

MAX_MESSAGE = 16 * 1024  # bytes of JSON, any event
MAX_ID = 2**31 - 1  # ids and seeds fit a 32-bit INTEGER column (PostgreSQL)


class PayloadError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}


def ok(**data: Any) -> dict[str, Any]:
    return {"ok": True, **data}


def check(data: Any, fields: dict[str, tuple[type | tuple[type, ...], bool]]) -> dict[str, Any]:
    """`fields`: name -> (types, required). Returns the payload; raises PayloadError."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PayloadError("bad_payload", "the message must be a JSON object")
    try:
        size = len(json.dumps(data, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        raise PayloadError("bad_payload", "the message is not plain JSON") from None
    if size > MAX_MESSAGE:
        raise PayloadError("too_big", f"the message is larger than {MAX_MESSAGE // 1024} KB")
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise PayloadError("bad_field", f"unknown field '{unknown[0]}'")
    for name, (types, required) in fields.items():
        if name not in data or data[name] is None:
            if required:
                raise PayloadError("missing_field", f"'{name}' is required")
            continue
        value = data[name]
        if isinstance(value, bool) and bool not in (
            types if isinstance(types, tuple) else (types,)
        ):
            raise PayloadError("bad_field", f"'{name}' has the wrong type")
        if not isinstance(value, types):
            raise PayloadError("bad_field", f"'{name}' has the wrong type")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise PayloadError("too_long", f"'{name}' is longer than {MAX_TEXT} characters")
        if isinstance(value, str) and (why := refusal(name, value)):
            raise PayloadError("bad_text", why)
        if isinstance(value, int | float) and not _finite(value):
            raise PayloadError("bad_field", f"'{name}' is not a usable number")
    return data


NUMBER = (int, float)
MAX_NUMBER = 1e12


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(float(value)) and abs(value) <= MAX_NUMBER
    except OverflowError:
        return False
