"""稼働確認 (system): ``GET /v1/health``, for load balancers and for terminals checking their standing.

Owns the API's version. May touch auth (a signed health check verifies the device: remote
disable) and the Context; nothing else.
"""
from __future__ import annotations

from fastapi import APIRouter, Request

from .auth import caller_for
from .context import Ctx

VERSION = "0.1.0"

router = APIRouter(tags=["system"])


@router.get("/v1/health")
async def health(request: Request, ctx: Ctx) -> dict[str, str]:
    """Liveness for load balancers; when signed, also the device's standing (remote disable)."""
    out = {"status": "ok", "version": VERSION, "database": ctx.engine.dialect.name}
    if "x-device-id" in request.headers:
        caller = await caller_for(request, ctx, None)
        out["device"] = caller.device_id
    return out
