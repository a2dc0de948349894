"""庁内連携 (the divisions' feed, tag ``renkei``, #23 point 5): a division's system reads the forms of
approved cases that are its own, and acknowledges how far it has read.

These routes are not the terminals': no device signature and no operator session. The caller is a
division's system with its own bearer token (``division_auth``: ``DivisionClient``, made with
``madoguchi-central division-add``); an operator's session token is no division's token, so an
operator never reads a feed. A token of another division is refused (403), an unknown or disabled
one too (401); every refusal is audited, and so is each event delivered (``renkei.deliver``, as
operator ``division:<id>``, with the case's residents as subject). Events after the acknowledged
cursor stay deliverable (at least once). May touch renkei, signed_forms, audit and the Context.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Callable

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from .. import audit, renkei, signed_forms
from ..models import Case, DivisionClient
from ..problems import Problem, _validation_problem, problem
from .context import Context, Ctx, context_of

DivisionPath = Annotated[str, Path(min_length=1, max_length=40,
                                   pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
_STATE = "madoguchi_division"  # request.state: the division authenticated, for refusals' audit
_AUDITED = "madoguchi_renkei_refusal_audited"


@dataclass(frozen=True)
class Division:
    """The division's system behind a request."""

    pk: int
    division_id: str

    @property
    def operator(self) -> str:
        return f"division:{self.division_id}"


def _audit_refusal(ctx: Context, request: Request, p: Problem, operator: str | None) -> None:
    outcome = "denied" if p.status in (401, 403) else "rejected"
    with ctx.sessions.begin() as db:
        audit.append(db, action="renkei.refused", outcome=outcome, operator=operator,
                     device=None, purpose="renkei",
                     detail={"code": p.code,
                             "division_id": str(request.path_params.get("division_id", ""))[:40],
                             "route": request.url.path[:120]})
    setattr(request.state, _AUDITED, True)


def _authenticate(ctx: Context, request: Request) -> Division:
    header = request.headers.get("authorization") or ""
    scheme, _, token = header.partition(" ")
    try:
        if scheme.lower() != "bearer" or not token.strip():
            raise problem("division_auth_required", "A division's bearer token is required",
                          "連携先の認証情報（Bearer トークン）がありません")
        with ctx.sessions() as db:
            client = renkei.division_by_token(db, token.strip())
            if client is None:
                raise problem("division_token_invalid", "Unknown or disabled division token",
                              "連携先の認証情報が正しくないか、利用停止されています")
            division = Division(client.id, client.division_id)
        if division.division_id != request.path_params.get("division_id"):
            p = problem("division_forbidden", "This token reads its own division's feed only",
                        "他の課の連携情報は読めません")
            _audit_refusal(ctx, request, p, division.operator)
            raise p
    except Problem as p:
        if not getattr(request.state, _AUDITED, False):
            _audit_refusal(ctx, request, p, None)
        raise
    setattr(request.state, _STATE, division)
    return division


async def division_auth(request: Request) -> Division:
    """The dependency of a feed route: the division's bearer token, checked in a worker thread."""
    return await run_in_threadpool(_authenticate, context_of(request), request)
division_auth.auth = "division"  # type: ignore[attr-defined] # openapi.py


class RenkeiRoute(APIRoute):
    """Every refusal of a feed route is audited, also those FastAPI makes (a bad ``limit``)."""

    def get_route_handler(self) -> Callable[[Request], Any]:
        handler = super().get_route_handler()

        async def audited_handler(request: Request) -> Any:
            try:
                return await handler(request)
            except (Problem, RequestValidationError) as exc:
                if not getattr(request.state, _AUDITED, False):
                    p = exc if isinstance(exc, Problem) else _validation_problem(exc)
                    division = getattr(request.state, _STATE, None)
                    await run_in_threadpool(_audit_refusal, context_of(request), request, p,
                                            division.operator if division else None)
                raise
        return audited_handler


router = APIRouter(tags=["renkei"], route_class=RenkeiRoute)


class AckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    cursor: Annotated[int, Field(ge=0, le=2**31 - 1)]


@router.get("/v1/renkei/{division_id}/events")
def feed(division_id: DivisionPath, ctx: Ctx, division: Division = Depends(division_auth),
         after: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
         limit: Annotated[int, Query(ge=1, le=100)] = 50) -> dict[str, Any]:
    """The division's events after ``after`` (default: its acknowledged cursor), oldest first,
    each with exactly its form's items; ``next`` is the cursor to acknowledge once processed."""
    with ctx.sessions.begin() as db:
        client = db.get(DivisionClient, division.pk)
        start = client.acked if after is None else after
        events = renkei.events_after(db, division.division_id, start, limit)
        out = [renkei.event_view(ctx.forms, ev) for ev in events]
        for ev in events:
            audit.append(db, action="renkei.deliver", outcome="ok", operator=division.operator,
                         device=None, subject=signed_forms.case_subject(db.get(Case, ev.case_id)),
                         purpose="renkei", detail={"event_id": ev.id, "form_id": ev.form_id})
        return {"division_id": division.division_id, "after": start, "events": out,
                "next": events[-1].id if events else start, "acked": client.acked}


@router.post("/v1/renkei/{division_id}/ack")
def ack(division_id: DivisionPath, req: AckRequest, ctx: Ctx,
        division: Division = Depends(division_auth)) -> dict[str, Any]:
    """Record that the division has processed its events up to ``cursor`` (never backwards: an
    older cursor leaves it where it is; past its last event: 422)."""
    with ctx.sessions.begin() as db:
        client = db.get(DivisionClient, division.pk)
        before = client.acked
        acked = renkei.acknowledge(db, client, req.cursor)
        audit.append(db, action="renkei.ack", outcome="ok", operator=division.operator,
                     device=None, purpose="renkei",
                     detail={"cursor": req.cursor, "acked": acked, "before": before})
        return {"division_id": division.division_id, "acked": acked}
