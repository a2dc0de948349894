"""住民記録の照会と本人確認 (register): the counter's lookup, one record, and the 本人確認 record.

Owns ``GET /v1/residents`` (search: 住民票コード, or 氏名+住所 / 氏名+生年月日, DQ-7; the hot path of
every counter, #2: served ahead of FastAPI's stack by direct.py, ``serve_first``, and on PostgreSQL
an exact-key lookup on the event loop, aio.py), ``GET /v1/residents/{resident_id}`` and
``POST /v1/identity-checks`` (WF-2). Every read is audited with its purpose (reads.py). May touch:
register (search, views, purpose), audit, reads, auth and the Context.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from .. import audit, clock, register
from ..models import Resident
from ..problems import Problem, problem
from .auth import Caller, Pending, authenticated, checked_body
from .context import Ctx, context_of
from .params import RowId
from .reads import ReadRoute, audited, read, read_in_thread, read_on_loop, refused_before_read

router = APIRouter(tags=["register"], route_class=ReadRoute)


class ResidentSearchQuery(BaseModel):
    """The query of ``GET /v1/residents``, the counter's everyday lookup.

    Validated by pydantic in one call (``_query``), with the rules and the 422 that FastAPI's own
    query parameters gave: FastAPI's work per declared parameter and request (eight of them) was
    about a tenth of a lookup's CPU (#2). The parameters are documented from this model
    (``_query_doc``)."""

    purpose: Annotated[str | None, Field(max_length=40, description="利用目的コード")] = None
    purpose_note: Annotated[str | None, Field(max_length=200)] = None
    juminhyo_code: Annotated[str | None, Field(max_length=11)] = None
    my_number: Annotated[str | None, Field(max_length=12)] = None
    name: Annotated[str | None, Field(max_length=100)] = None
    address: Annotated[str | None, Field(max_length=200)] = None
    birth_date: dt.date | None = None
    include_removed: bool = False


class IdentityCheck(BaseModel):
    """本人確認の記録 (WF-2, 000 L3286): how the person was identified and what was checked.
    Either a resident of the register, or — for a 転入, who has no record here yet — the counter
    case it belongs to (``newcomer_case``, the client's case id); exactly one of the two."""

    model_config = ConfigDict(extra="forbid")
    resident_id: Annotated[int | None, Field(ge=1, le=2**31 - 1)] = None
    newcomer_case: Annotated[str | None, Field(pattern=r"^[0-9a-f]{32}$")] = None
    method: Literal["card", "card_code_b", "documents"]
    matched: bool
    items: Annotated[list[Annotated[str, Field(max_length=40, pattern=r"^[a-z_]+$")]],
                     Field(max_length=20)] = []
    digests_verified: bool = False
    signature_verified: bool = False
    virtual_card: bool = False


def _query(model: type[BaseModel], request: Request) -> Any:
    """``model`` from the request's query string (the last value of a repeated name, as FastAPI
    takes it); a validation error is the same RequestValidationError FastAPI raises."""
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("query", *e["loc"])}
                                      for e in exc.errors(include_url=False)]) from None


def _query_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI parameters (and the 422) of a query validated by ``_query``, as FastAPI
    documents declared query parameters."""
    schema = model.model_json_schema()
    params = []
    for name, prop in schema["properties"].items():
        prop = {k: v for k, v in prop.items() if not (k == "default" and v is None)}
        param = {"name": name, "in": "query", "required": name in schema.get("required", ()),
                 "schema": prop}
        if "description" in prop:
            param["description"] = prop["description"]
        params.append(param)
    return {"parameters": params, "responses": {"422": {
        "description": "Validation Error", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}}}


@router.get("/v1/residents", openapi_extra=_query_doc(ResidentSearchQuery))
async def search_residents(request: Request) -> dict[str, Any]:
    """Search the register: 住民票コード, or 氏名+住所 / 氏名+生年月日 (DQ-7); purpose required."""
    # What deferred() and the declared parameters did, in their order (body and query
    # characters, then the query's rules), without FastAPI's dependency machinery (#2).
    ctx = context_of(request)
    try:
        pending = Pending(request, await checked_body(request), "resident.search")
        q: ResidentSearchQuery = _query(ResidentSearchQuery, request)
    except (Problem, RequestValidationError) as exc:  # audited as every refused read (#21 c6)
        raise await refused_before_read(ctx, request, exc, "resident.search") from None
    juminhyo_code, my_number, name, address, birth_date = (
        q.juminhyo_code, q.my_number, q.name, q.address, q.birth_date)
    cipher = ctx.cipher

    def answer(rows: list[Any], caller: Caller):
        sup = {r.id for r in rows if r.support_measure}
        items = [register.summary(r, cipher, caller.rights or {}, sup) for r in rows]
        keys = sorted(k for k, v in {"juminhyo_code": juminhyo_code, "my_number": my_number,
                                     "name": name, "address": address,
                                     "birth_date": birth_date}.items() if v)
        subject = ",".join(f"resident:{r.id}" for r in rows[:20]) or None
        return ({"items": items, "count": len(items)}, subject,
                {"keys": keys, "results": len(items),
                 "my_number_disclosed": any(i["my_number_disclosed"] for i in items)})

    def work(conn: Connection, caller: Caller):
        return answer(register.search(
            conn, cipher, caller.rights or {}, juminhyo_code=juminhyo_code,
            my_number=my_number, name=name, address=address, birth_date=birth_date,
            include_removed=q.include_removed, today=clock.today()), caller)

    def exact(caller: Caller):
        return register.exact_search(cipher, caller.rights or {},
                                     juminhyo_code=juminhyo_code, my_number=my_number,
                                     include_removed=q.include_removed, today=clock.today())

    # A lookup by one exact key, on PostgreSQL, with a session: on the event loop (it may wait
    # there for a connection of the lookup pool); 氏名 searches, SQLite, and any lookup once
    # the pool is closed (shutdown): in a worker thread.
    if ctx.lookup_pool is not None and (juminhyo_code or my_number) \
            and "authorization" in request.headers \
            and (conn := await ctx.lookup_pool.take()) is not None:
        return await read_on_loop(ctx, pending, q.purpose, q.purpose_note, conn, exact, answer)
    return await read_in_thread(ctx, pending, q.purpose, q.purpose_note, work)


def serve_first(app: FastAPI) -> None:
    """The lookup's hot path, once every router is included: a plain GET is served ahead of the
    middleware stack (direct.py), and the route is the first Starlette tries: the ~15 routes
    before it cost every lookup ~17 µs (#2). No other route matches its path and method."""
    app.direct_get("/v1/residents", search_residents)
    routes = app.router.routes
    routes.insert(0, routes.pop(next(i for i, r in enumerate(routes)
                                     if getattr(r, "path", None) == "/v1/residents")))


@router.get("/v1/residents/{resident_id}")
def read_resident(resident_id: RowId, ctx: Ctx,
                  pending: Pending = Depends(audited("resident.read")),
                  purpose: Annotated[str | None, Query(max_length=40)] = None,
                  purpose_note: Annotated[str | None, Query(max_length=200)] = None
                  ) -> dict[str, Any]:
    """One record with household and 異動履歴; purpose required (LOG-1)."""
    def work(db: Session, caller: Caller):
        r, supported = register.read(db, resident_id, clock.today())
        if r is None:
            raise problem("resident_not_found", f"No resident {resident_id}",
                          "指定された住民が見つかりません")
        sup = {r.id} if supported else set()
        out = register.detail(r, ctx.cipher, caller.rights or {}, sup)
        return out, f"resident:{r.id}", {"my_number_disclosed": out["my_number_disclosed"]}
    return read(ctx, pending, purpose, purpose_note, work)


@router.post("/v1/identity-checks", status_code=201)
def record_identity_check(req: IdentityCheck, ctx: Ctx,
                          caller: Caller = Depends(authenticated("resident.read"))
                          ) -> dict[str, Any]:
    """Record a 本人確認 (who, when, terminal, whom, how, which documents); no card data."""
    if (req.resident_id is None) == (req.newcomer_case is None):
        raise problem("invalid_request", "give exactly one of resident_id and newcomer_case",
                      "本人確認の対象（住民、または転入の受付）をひとつ指定してください",
                      field="resident_id")
    with ctx.sessions.begin() as db:
        if req.resident_id is None:
            subject = f"newcomer:{req.newcomer_case}"  # 転入: no record yet (000 L959, L1050)
        elif db.get(Resident, req.resident_id) is None:
            raise problem("resident_not_found", "No such resident", "対象の住民が見つかりません")
        else:
            subject = f"resident:{req.resident_id}"
        row = audit.append(db, action="identity.check",
                           outcome="ok" if req.matched else "mismatch",
                           operator=caller.login_id, device=caller.device_id,
                           subject=subject, purpose="identity",
                           detail=req.model_dump(exclude={"resident_id", "newcomer_case"}))
        return {"seq": row.seq}
