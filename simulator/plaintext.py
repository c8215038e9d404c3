"""What people type is plain text: no control characters but line breaks and tabs.

NUL breaks PostgreSQL, and the other controls (escape, backspace, bell, C1 codes) only hide
or garble what a text says. Every text a person writes is checked with `refusal` before it
is stored: by the socket payload check, the API's body check, the forms and the services.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f]")


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """The first control character in `text` other than a line break or a tab (`one_line`:
    any control character), as U+XXXX."""
    found = (_CONTROL_IN_LINE if one_line else _CONTROL).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def refusal(name: str, text: str, *, one_line: bool = False) -> str | None:
    """Why `text` (the field `name`) is refused, in English, or None when it is plain text."""
    if found := control_character(text, one_line=one_line):
        allowed = "" if one_line else ": only line breaks and tabs are allowed"
        return f"'{name}' contains a control character ({found}){allowed}"
    return None
