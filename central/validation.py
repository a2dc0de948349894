"""Format checks of the register and the 異動 logical checks (DQ-*) that are the centre's own.

The Japanese rules it shares with the client (the My Number check digit, the フリガナ check, the
search keys of readings and names) are in japan/ (#20).
"""
from __future__ import annotations

import re

_POSTAL = re.compile(r"^\d{7}$")


def postal_code_ok(value: str) -> bool:
    return bool(_POSTAL.match(value))
