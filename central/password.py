"""パスワードの更新 (password renewal, 001: every six months; AUTH-*).

A password older than ``password_max_age_days`` makes the login's last step a renewal: the session
gets the pending factor ``password_renewal`` and is good for nothing else until the operator sets a
new password here (current one again, a new one of at least ``MIN_LENGTH`` characters that is not
the old one and does not contain the login ID). A complete session may also change its password
(voluntary renewal). Every attempt is audited with the terminal; no password is ever logged.

The route is routes/password.py; here are the rules it and the login share.
"""
from __future__ import annotations

import datetime as dt

from .config import Settings
from .problems import Problem, problem

RENEWAL = "password_renewal"
MIN_LENGTH = 12


def weakness(login_id: str, current: str, new: str) -> Problem | None:
    """Why ``new`` is not acceptable, or None."""
    if len(new) < MIN_LENGTH:
        return problem("password_too_weak", f"The new password needs {MIN_LENGTH} characters or more",
                       f"新しいパスワードは{MIN_LENGTH}文字以上にしてください", field="new_password")
    if new == current:
        return problem("password_too_weak", "The new password must differ from the current one",
                       "新しいパスワードは現在のものと異なるものにしてください", field="new_password")
    if login_id.lower() in new.lower():
        return problem("password_too_weak", "The new password must not contain the login ID",
                       "新しいパスワードに職員IDを含めないでください", field="new_password")
    if len(set(new)) < 5:
        return problem("password_too_weak", "The new password repeats too few characters",
                       "同じ文字の繰り返しが多すぎます。推測されにくいパスワードにしてください",
                       field="new_password")
    return None


def needs_renewal(changed_at: dt.datetime, now: dt.datetime, settings: Settings) -> bool:
    return (now - changed_at).days > settings.password_max_age_days
