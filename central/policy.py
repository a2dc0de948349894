"""端末ポリシー: the rules terminals follow, from configuration with run-time overrides (PRIV-1).

The 覗き込み rules — frames with an onlooker before the shield (k), clean frames before it clears
(m), seconds without the operator before the screen locks, whether a camera in doubt shields the
screen, and the detector's minimum confidence (sensitivity) — start from ``Settings`` and may be
changed by the security admin (``PUT /v1/admin/policy/onlooker``); terminals get them at login.
Bounds keep a change from switching protection off by accident: the shield can be made slower or
less sensitive only within limits, and failing open needs an explicit flag.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from .config import Settings
from .models import PolicySetting

ONLOOKER_KEY = "onlooker"


class OnlookerPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    k: Annotated[int, Field(ge=1, le=10)]  # at 5 fps: at most 2 s before the shield
    m: Annotated[int, Field(ge=1, le=100)]
    absent_seconds: Annotated[int, Field(ge=10, le=600)]
    fail_closed: bool
    min_score: Annotated[float, Field(ge=0.0, le=0.95)] = 0.0


def defaults(settings: Settings) -> OnlookerPolicy:
    return OnlookerPolicy(k=settings.onlooker_k, m=settings.onlooker_m,
                          absent_seconds=settings.operator_absent_seconds,
                          fail_closed=settings.camera_fail_closed, min_score=0.0)


def onlooker(db: Session, settings: Settings) -> OnlookerPolicy:
    row = db.get(PolicySetting, ONLOOKER_KEY)
    if row is None:
        return defaults(settings)
    return OnlookerPolicy.model_validate(row.value)


def set_onlooker(db: Session, value: OnlookerPolicy, actor: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Store ``value``; returns (old, new) for the audit."""
    row = db.get(PolicySetting, ONLOOKER_KEY)
    old = None if row is None else dict(row.value)
    new = value.model_dump()
    if row is None:
        db.add(PolicySetting(key=ONLOOKER_KEY, value=new, updated_by=actor,
                             updated_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
    else:
        row.value, row.updated_by = new, actor
        row.updated_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    db.flush()
    return old, new
