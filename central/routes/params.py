"""Parameters and bodies that several routers declare alike (one declaration, one schema).

Owns ``RowId`` (a record's id in a path: a positive 32-bit integer) and ``ReasonRequest`` (the
reason of a 差し戻し, a revocation, a remote disable). Owns no routes and touches nothing.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=200)]
