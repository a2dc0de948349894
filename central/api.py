"""The central API (FastAPI): sessions, register reads, 異動 commands, change feed, audit, admin.

Routes are thin: authenticate (device signature, then operator session and the action's right), do
one transaction of domain work from the modules beside this one, audit it. Refusals are RFC 9457
problems (problems.py) and are audited too ("denied attempts are logged", 002 L1362).
"""
from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import functools
import hashlib
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Any, Callable, Literal

from fastapi import Body, Depends, FastAPI, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import (admin, aio, audit, factors, idou, issuance, password, policy, register, review,
               support_decision, tax)
from . import clock
from .config import Settings
from .crypto import MyNumberCipher
from .db import READ_ONLY, make_engine, make_sessionmaker
from .direct import DirectRoutesApp
from .models import (AuditEvent, Case, Change, Device, IdempotencyRecord, Issuance, Operator,
                     OperatorSession, Resident, RightGrant, utcnow)
from .problems import Problem, install_handlers, problem
from .rights import ACTIONS, ALL_RIGHTS, MY_NUMBER_ACCESS, actions_for, allowed, period_error
from .security import (Verified, auth_query, auth_verdict, authenticate, burn_password_time,
                       effective_rights, new_token, token_hash, verify_password)

VERSION = "0.1.0"


@dataclass(frozen=True)
class Caller:
    """The verified device and (when the route needs one) operator behind a request."""

    device_pk: int
    device_id: str
    device_kind: str
    body_sha256: str
    operator_id: int | None = None
    login_id: str | None = None
    rights: dict[str, dt.date] | None = None


@dataclass(frozen=True)
class Pending:
    """A request whose authentication runs inside the route's own transaction (the reads)."""

    request: Request
    body: bytes
    action: str


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login_id: Annotated[str, Field(min_length=1, max_length=40)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class BatchItem(BaseModel):
    """One queued command: its Idempotency-Key, where it would be posted, and its exact JSON text
    (hashed as sent, so a batch and a single post of the same command are the same request)."""

    model_config = ConfigDict(extra="forbid")
    key: Annotated[str, Field(min_length=1, max_length=64)]
    path: Literal["/v1/commands/idou"]
    body: Annotated[str, Field(min_length=2, max_length=20000)]


class CommandBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commands: Annotated[list[BatchItem], Field(min_length=1, max_length=100)]


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


class UnlockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: Annotated[str, Field(min_length=1, max_length=200)]


class GrantRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    login_id: Annotated[str, Field(min_length=1, max_length=40)]
    right: Literal[ALL_RIGHTS]  # type: ignore[valid-type]
    valid_from: dt.date
    valid_until: dt.date


class ReasonRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Field(min_length=1, max_length=200)]


class TerminalEvent(BaseModel):
    """An event the terminal observed itself (覗き込み, 離席, camera fault): never an image."""

    model_config = ConfigDict(extra="forbid")
    event: Literal["privacy_shield", "presence_lock", "camera_fault"]
    reason: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]
    started_at: dt.datetime
    duration_ms: Annotated[int, Field(ge=0, le=7 * 24 * 3600 * 1000)]


class DeviceRegistration(BaseModel):
    """登録端末: the device's own Ed25519 public key (made on the device), kind and approval."""

    model_config = ConfigDict(extra="forbid")
    device_id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    kind: Literal["counter", "loan"]
    public_key: Annotated[str, Field(min_length=40, max_length=64,
                                     description="base64 of the raw 32-byte Ed25519 public key")]
    loan_approved_by: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    loan_approval_ref: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class RolloverRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fiscal_year_end: dt.date = Field(description="年度末 being closed (3/31)")


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


def _unencodable(body: bytes) -> bool:
    """True when a JSON body carries text no database can store (an unpaired surrogate)."""
    if b"\\u" not in body:
        return False
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except ValueError:
        return False  # not JSON: the body validation answers
    return False


# FastAPI's built-in OpenTelemetry stays off: once a provider is configured on the host (an
# ``opentelemetry-instrument`` wrapper, a vendor agent), it would export every request's URL with its
# query (a search's 氏名, 住所 and 生年月日) and exception messages and stack traces, 4情報 leaving the
# audited path. Off, it also costs nothing per request (it looked the providers up on each, #2).
NO_TELEMETRY: dict[str, bool] = {"tracing": False, "metrics": False, "logs": False,
                                 "operation_spans": False, "auto_configure": False}
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}  # PostgreSQL reads without BEGIN/COMMIT (_read)


def create_app(settings: Settings, engine: Engine | None = None,
               lookup_connections: int = aio.POOL_SIZE) -> FastAPI:
    """The app on ``engine`` (or one made from the settings). On PostgreSQL the lookup's asyncio
    path opens up to ``lookup_connections`` connections of its own besides the engine's pool, and
    one for its audit writer (aio.py)."""
    engine = engine or make_engine(settings.database_url)
    pg = engine.dialect.name == "postgresql"
    sessions = make_sessionmaker(engine)
    audit_group = audit.GroupAppender(sessions)  # the reads' audit rows, group-committed
    # The register search's worker threads. asyncio's executor hop costs ~23 µs of CPU against
    # ~75 µs through anyio's to_thread (its cancel scope and limiter), on every lookup (#2).
    lookup_threads = ThreadPoolExecutor(max_workers=32, thread_name_prefix="lookup")
    cipher = MyNumberCipher.from_master(settings.data_key)
    # PostgreSQL: the exact-key lookups run on the event loop (aio.py, ``_read_on_loop``).
    lookup_pool = aio.LookupPool(engine, lookup_connections) if pg else None
    lookup_audit = aio.AsyncGroupAppender(lookup_pool) if lookup_pool else None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if lookup_pool is not None:
            try:
                await lookup_pool.close()
            finally:
                await lookup_audit.close()

    app = DirectRoutesApp(title="Madoguchi central API", version=VERSION,
                          description="窓口端末の中央API (reference register, commands, change "
                          "feed, audit)", telemetry=NO_TELEMETRY, lifespan=lifespan)
    app.state.engine = engine
    app.state.lookup_pool = lookup_pool
    app.state.lookup_audit = lookup_audit
    app.state.sessions = sessions
    app.state.cipher = cipher
    install_handlers(app)

    def _audit_refusal(p: Problem, action: str, device_id: str | None, login: str | None,
                       **kw: Any) -> None:
        outcome = "denied" if p.status in (401, 403, 423) else "rejected"
        with sessions.begin() as db:
            audit.append(db, action=action, outcome=outcome, operator=login, device=device_id,
                         detail={"code": p.code}, **kw)

    def _auth_in(conn: Connection, request: Request, body: bytes, action: str | None,
                 seen: dict[str, str]) -> Caller:
        """Device signature, then (for an action) session and the action's right, inside the
        caller's transaction, from one statement (``security.authenticate``)."""
        v = authenticate(conn, request.headers, request.method, request.url.path,
                         request.scope.get("query_string", b"").decode("latin-1"), body,
                         settings.clock_skew_seconds, need_session=action is not None,
                         today=clock.today())
        return _caller_of(v, body, action, seen)

    def _caller_of(v: Verified, body: bytes, action: str | None, seen: dict[str, str]) -> Caller:
        """The verified request's Caller, refused unless it holds one of the action's rights."""
        caller = Caller(v.device_pk, v.device_id, v.device_kind, hashlib.sha256(body).hexdigest(),
                        v.operator_id, v.login_id, v.rights)
        if action is None:
            return caller
        seen["login"] = v.login_id
        if not allowed(action, v.rights or {}):
            raise problem("forbidden", f"Action {action} needs one of: "
                          + ", ".join(sorted(ACTIONS[action])),
                          "この操作を行う権限がありません", action=action)
        return caller

    def _claimed(request: Request) -> str | None:
        return (request.headers.get("x-device-id") or "")[:40] or None

    def _authenticate(request: Request, body: bytes, action: str | None) -> Caller:
        seen: dict[str, str] = {}
        try:
            with sessions.begin() as db:
                return _auth_in(db.connection(), request, body, action, seen)
        except Problem as p:
            _audit_refusal(p, action or "device.auth", _claimed(request), seen.get("login"))
            raise

    async def _checked_body(request: Request) -> bytes:
        headers = request.headers
        if request.method == "GET" and "content-length" not in headers \
                and "transfer-encoding" not in headers:
            body = b""  # a GET without either header has no body (RFC 9112 §6.3): ~40 µs saved
        else:
            body = await request.body()
        query = request.scope.get("query_string", b"").lower()
        if b"\x00" in body or b"\\u0000" in body or b"%00" in query or _unencodable(body):
            raise problem("invalid_request", "NUL characters or unpaired surrogates are "
                          "not accepted", "入力に使用できない文字が含まれています")
        return body

    def authenticated(action: str | None) -> Callable[..., Any]:
        async def dependency(request: Request) -> Caller:
            body = await _checked_body(request)
            return await run_in_threadpool(_authenticate, request, body, action)
        return dependency

    def deferred(action: str) -> Callable[..., Any]:
        """For the register reads: authenticate, read and audit in one worker-thread hop (the
        hot path of every counter, see ``_read``); refusals are audited as before."""
        async def dependency(request: Request) -> Pending:
            return Pending(request, await _checked_body(request), action)
        return dependency

    # --- health and sessions --------------------------------------------------------------------

    check_device = authenticated(None)

    @app.get("/v1/health", tags=["system"])
    async def health(request: Request) -> dict[str, str]:
        """Liveness for load balancers; when signed, also the device's standing (remote disable)."""
        out = {"status": "ok", "version": VERSION, "database": engine.dialect.name}
        if "x-device-id" in request.headers:
            caller = await check_device(request)
            out["device"] = caller.device_id
        return out

    @app.post("/v1/sessions", status_code=201, tags=["sessions"])
    def login(req: LoginRequest, caller: Caller = Depends(authenticated(None))) -> dict[str, Any]:
        """ID + password on a registered device; then the pending factors (face, AUTH-1), see
        factors.py."""
        now = utcnow()
        refusal: Problem | None = None
        result: dict[str, Any] | None = None
        with sessions.begin() as db:
            op = db.scalar(select(Operator).where(Operator.login_id == req.login_id))
            if op is None:
                burn_password_time(req.password)
                refusal = problem("login_failed", "Unknown login ID or wrong password",
                                  "職員IDまたはパスワードが違います")
            elif op.locked_until and op.locked_until > now:
                refusal = problem("account_locked", "Too many failed logins; account locked",
                                  "ログインの失敗が続いたためロックされています。"
                                  "しばらく待つか管理者に連絡してください")
            elif not verify_password(op.password_hash, req.password):
                op.failed_logins += 1
                if op.failed_logins >= settings.max_failed_logins:
                    op.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                    op.failed_logins = 0
                refusal = problem("login_failed", "Unknown login ID or wrong password",
                                  "職員IDまたはパスワードが違います")
            else:
                rights = effective_rights(db, op, clock.today())
                device = db.get(Device, caller.device_pk)
                if device.kind == "loan" and device.loan_approved_at is None:
                    refusal = problem("loan_not_approved", "This loan device has no approval "
                                      "record (DEV-4)", "この貸出端末には所属長の承認記録がない"
                                      "ため利用できません。情報主管課に連絡してください")
                elif not rights:
                    refusal = problem("no_valid_rights", "The operator holds no valid right today",
                                      "有効な権限がありません（期限切れ・失効・任用期間外）")
                elif (pending := factors.pending_factors(db, op, settings)) is None:
                    refusal = factors.not_enrolled()  # face required, none enrolled (AUTH-1)
                else:
                    if password.needs_renewal(op.password_changed_at, now, settings):
                        pending = [*pending, password.RENEWAL]  # six months (001): renew first
                    op.failed_logins = 0
                    minutes = (settings.max_session_minutes if caller.device_kind == "loan"
                               else settings.counter_session_minutes)
                    token = new_token()
                    # Until the pending factors are done the session is good for nothing else
                    # and lives only factor_minutes (factors.py).
                    s = OperatorSession(token_hash=token_hash(token), operator_id=op.id,
                                        device_pk=caller.device_pk,
                                        expires_at=now + dt.timedelta(
                                            minutes=settings.factor_minutes if pending
                                            else minutes),
                                        factors_done=["password"],
                                        factors_required=["password", *pending])
                    db.add(s)
                    device = db.get(Device, caller.device_pk)
                    age = (now - op.password_changed_at).days
                    result = {
                        "token": token,
                        "expires_at": s.expires_at.isoformat() + "Z",
                        "operator": {"login_id": op.login_id, "display_name": op.display_name},
                        "rights": [{"right": r, "valid_until": u.isoformat()}
                                   for r, u in sorted(rights.items())],
                        "actions": actions_for(rights),
                        "policy": {
                            "idle_lock_minutes": settings.idle_lock_minutes,
                            "lock_logout_minutes": settings.lock_logout_minutes,
                            "max_session_minutes": minutes,
                            "onlooker": policy.onlooker(db, settings).model_dump(),
                            "roaming_allowed": device.kind == "loan"
                            and device.loan_approved_at is not None,
                        },
                        "pending_factors": pending,
                        "password_change_required": age > settings.password_max_age_days,
                    }
            detail = {"code": refusal.code} if refusal else {}
            if result is not None and result["pending_factors"]:
                detail["pending_factors"] = result["pending_factors"]
            elif result is not None and settings.face_policy != "off":
                detail["face"] = "not_enrolled"  # if_enrolled policy: password only, on record
            if op is None:
                detail["attempted_login_id"] = req.login_id  # brute force shows in the review
            audit.append(db, action="session.login", outcome="ok" if result else "denied",
                         operator=op.login_id if op else None, device=caller.device_id,
                         detail=detail)
        if refusal:
            raise refusal
        return result  # type: ignore[return-value]

    @app.delete("/v1/sessions/current", status_code=204, tags=["sessions"])
    def logout(request: Request, caller: Caller = Depends(authenticated("changes.read"))) -> Response:
        with sessions.begin() as db:
            db.execute(update(OperatorSession).where(
                OperatorSession.token_hash == token_hash(
                    request.headers["authorization"][7:].strip())).values(ended_at=utcnow()))
            audit.append(db, action="session.logout", outcome="ok", operator=caller.login_id,
                         device=caller.device_id)
        return Response(status_code=204)

    @app.post("/v1/sessions/current/unlock", tags=["sessions"])
    def unlock(req: UnlockRequest, request: Request,
               caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
        """画面ロックの解除: the session's own operator re-enters the password (AUTH-7).

        Only the operator who opened the session can unlock it; failures count towards the
        account lockout, and a lockout ends the session.
        """
        now = utcnow()
        refusal: Problem | None = None
        with sessions.begin() as db:
            op = db.get(Operator, caller.operator_id)
            if op.locked_until and op.locked_until > now:
                refusal = problem("account_locked", "Too many failed logins; account locked",
                                  "ログインの失敗が続いたためロックされています。"
                                  "しばらく待つか管理者に連絡してください")
            elif not verify_password(op.password_hash, req.password):
                op.failed_logins += 1
                refusal = problem("unlock_failed", "Wrong password",
                                  "パスワードが違います")
                if op.failed_logins >= settings.max_failed_logins:
                    op.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
                    op.failed_logins = 0
                    refusal = problem("account_locked", "Too many failed logins; account locked",
                                      "ログインの失敗が続いたためロックされています。"
                                      "しばらく待つか管理者に連絡してください")
            else:
                op.failed_logins = 0
            if refusal is not None and refusal.code == "account_locked":
                db.execute(update(OperatorSession).where(
                    OperatorSession.token_hash == token_hash(
                        request.headers["authorization"][7:].strip())).values(ended_at=now))
            audit.append(db, action="session.unlock", outcome="denied" if refusal else "ok",
                         operator=caller.login_id, device=caller.device_id,
                         detail={"code": refusal.code} if refusal else {})
        if refusal:
            raise refusal
        return {"unlocked": True}

    @app.get("/v1/me", tags=["sessions"])
    def me(caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
        return {"login_id": caller.login_id, "device_id": caller.device_id,
                "rights": [{"right": r, "valid_until": u.isoformat()}
                           for r, u in sorted((caller.rights or {}).items())],
                "actions": actions_for(caller.rights or {})}

    factors.install(app, settings, sessions, authenticated)
    password.install(app, settings, sessions, authenticated)

    # --- register reads ---------------------------------------------------------------------------

    def _audit_read_refusal(p: Problem, action: str, request: Request, seen: dict[str, str],
                            caller: Caller | None, purpose: str | None, note: str | None) -> None:
        """A refused register read, audited: before or while authenticating, as the device it
        claimed; afterwards as the caller, with the purpose it stated."""
        if caller is None:
            _audit_refusal(p, action, _claimed(request), seen.get("login"))
        else:
            _audit_refusal(p, action, caller.device_id, caller.login_id, purpose=purpose,
                           purpose_note=note)

    def _read(pending: Pending, purpose: str | None, note: str | None,
              work: Callable[[Any, Caller], tuple[Any, str | None, dict[str, Any]]],
              audit_action: str | None = None, core: bool = False) -> Any:
        """Authenticate, then read on the same connection, only if the checks passed, then
        audit it (who, when, subject, purpose, terminal: LOG-1) through the group appender, all on
        one worker thread: the answer leaves only once its audit row is durable (fail closed).

        ``work`` gets an ORM session in the read's transaction, or with ``core`` the Core
        connection itself: the lookup needs no ORM, whose session cost it ~5% of its CPU (#2).
        On PostgreSQL a ``core`` read runs in autocommit: under READ COMMITTED each statement has
        its own snapshot even inside a transaction, so BEGIN and COMMIT around authentication and
        search guaranteed nothing more and cost two round trips (~20% of a lookup's CPU, #2).
        The pool hands the connection back transactional (SQLAlchemy resets the level)."""
        action, seen = audit_action or pending.action, {}
        caller: Caller | None = None
        conn = engine.connect()
        try:
            conn.execution_options(**(_AUTOCOMMIT if core and pg else READ_ONLY))
            conn.begin()
            caller = _auth_in(conn, pending.request, pending.body, pending.action, seen)
            purpose, note = register.check_purpose(purpose, note)
            if core:
                result, subject, detail = work(conn, caller)
            else:
                with sessions(bind=conn) as db:  # joins the transaction, never ends it
                    result, subject, detail = work(db, caller)
            conn.commit()  # nothing written: ends the read's snapshot and frees the connection
            conn.close()
            audit_group.append(action=action, outcome="ok", operator=caller.login_id,
                               device=caller.device_id, subject=subject, purpose=purpose,
                               purpose_note=note, detail=detail)  # durable, or it raises
            return JSONResponse(result)  # plain JSON values already: no second encoding pass
        except Problem as p:
            conn.close()  # roll back first: on SQLite the refusal's own transaction needs the lock
            _audit_read_refusal(p, action, pending.request, seen, caller, purpose, note)
            raise
        finally:
            conn.close()  # a no-op after commit; otherwise the transaction is rolled back here

    async def _read_on_loop(pending: Pending, purpose: str | None, note: str | None,
                            conn: Any, exact: Callable[[Caller], tuple[Any, dict[str, Any]]],
                            answer: Callable[[list[Any], Caller],
                                             tuple[Any, str | None, dict[str, Any]]]) -> Any:
        """``_read`` of an exact-key lookup on the event loop (PostgreSQL, aio.py), on ``conn``
        taken from the lookup pool: authenticate, check the purpose, read the statement that
        ``exact`` gives for the caller, then audit through the loop's group appender; the answer
        leaves only once its audit row is durable. The same statements, checks and order as
        ``_read``; refusals are audited as there (in a worker thread: they are rare)."""
        request, action, seen = pending.request, pending.action, {}
        caller: Caller | None = None
        try:
            try:
                today = clock.today()
                q = auth_query(request.headers, need_session=True, today=today)
                v = auth_verdict(q, await aio.rows(lookup_pool, conn, q.statement, q.params),
                                 request.method, request.url.path,
                                 request.scope.get("query_string", b"").decode("latin-1"),
                                 pending.body, settings.clock_skew_seconds, need_session=True,
                                 today=today)
                caller = _caller_of(v, pending.body, action, seen)
                purpose, note = register.check_purpose(purpose, note)
                found = await aio.rows(lookup_pool, conn, *exact(caller))
            finally:
                await lookup_pool.give(conn)
            result, subject, detail = answer(found, caller)
            await lookup_audit.append(action=action, outcome="ok", operator=caller.login_id,
                                      device=caller.device_id, subject=subject, purpose=purpose,
                                      purpose_note=note, detail=detail)  # durable, or it raises
            return JSONResponse(result)
        except Problem as p:
            await asyncio.get_running_loop().run_in_executor(lookup_threads, functools.partial(
                _audit_read_refusal, p, action, request, seen, caller, purpose, note))
            raise

    @app.get("/v1/residents", tags=["register"], openapi_extra=_query_doc(ResidentSearchQuery))
    async def search_residents(request: Request) -> dict[str, Any]:
        """Search the register: 住民票コード, or 氏名+住所 / 氏名+生年月日 (DQ-7); purpose required."""
        # What deferred() and the declared parameters did, in their order (body and query
        # characters, then the query's rules), without FastAPI's dependency machinery (#2).
        pending = Pending(request, await _checked_body(request), "resident.search")
        q: ResidentSearchQuery = _query(ResidentSearchQuery, request)
        juminhyo_code, my_number, name, address, birth_date = (
            q.juminhyo_code, q.my_number, q.name, q.address, q.birth_date)

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
        if lookup_pool is not None and (juminhyo_code or my_number) \
                and "authorization" in request.headers \
                and (conn := await lookup_pool.take()) is not None:
            return await _read_on_loop(pending, q.purpose, q.purpose_note, conn, exact, answer)
        return await asyncio.get_running_loop().run_in_executor(
            lookup_threads, functools.partial(_read, pending, q.purpose, q.purpose_note, work,
                                              core=True))

    app.direct_get("/v1/residents", search_residents)  # the hot path (direct.py, #2)

    @app.get("/v1/residents/{resident_id}", tags=["register"])
    def read_resident(
        resident_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        pending: Pending = Depends(deferred("resident.read")),
        purpose: Annotated[str | None, Query(max_length=40)] = None,
        purpose_note: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        """One record with household and 異動履歴; purpose required (LOG-1)."""
        def work(db: Session, caller: Caller):
            r, supported = register.read(db, resident_id, clock.today())
            if r is None:
                raise problem("resident_not_found", f"No resident {resident_id}",
                              "指定された住民が見つかりません")
            sup = {r.id} if supported else set()
            out = register.detail(r, cipher, caller.rights or {}, sup)
            return out, f"resident:{r.id}", {"my_number_disclosed": out["my_number_disclosed"]}
        return _read(pending, purpose, purpose_note, work)

    # --- commands ---------------------------------------------------------------------------------

    def _replay(rec: IdempotencyRecord, caller: Caller) -> JSONResponse:
        if rec.request_hash != caller.body_sha256:
            raise problem("idempotency_key_reused", "This Idempotency-Key was used with a "
                          "different request body", "同じ冪等キーで異なる内容が送信されました。"
                          "新しい届出として入力し直してください")
        media = "application/problem+json" if rec.status_code >= 400 else "application/json"
        return JSONResponse(rec.response, status_code=rec.status_code, media_type=media,
                            headers={"Idempotent-Replayed": "true"})

    def _stored(caller: Caller, key: str) -> IdempotencyRecord | None:
        with sessions.begin() as db:
            return db.get(IdempotencyRecord, (caller.device_pk, key))

    def _idempotent(caller: Caller, idempotency_key: str | None, action: str,
                    subject: str | None, effect: Callable[[Session, str], dict[str, Any]],
                    status: int = 201, purpose: str = "idou") -> Any:
        """Run ``effect`` at most once per (device, Idempotency-Key) and store its answer.

        The effect and the stored answer commit together; a refusal (a Problem, or a version
        conflict) is stored as the answer too, so a replay gets exactly what the first call got.
        """
        if not idempotency_key:
            raise problem("idempotency_key_required", "Commands need an Idempotency-Key header",
                          "冪等キー（Idempotency-Key）がありません")
        try:
            key = str(uuid.UUID(idempotency_key))
        except ValueError:
            raise problem("idempotency_key_invalid", "Idempotency-Key must be a UUID",
                          "冪等キーはUUIDで指定してください") from None
        rec = _stored(caller, key)
        if rec is not None:
            return _replay(rec, caller)
        try:
            with sessions.begin() as db:
                result = effect(db, key)
                db.add(IdempotencyRecord(device_pk=caller.device_pk, key=key,
                                         request_hash=caller.body_sha256, status_code=status,
                                         response=result))
            return JSONResponse(result, status_code=status)
        except StaleDataError:
            p = problem("version_conflict", "Record changed while the command was applied",
                        "入力後に記録が更新されています。最新の記録を確認してください")
        except Problem as refused:
            p = refused
        except IntegrityError:
            rec = _stored(caller, key)
            if rec is None:
                raise
            return _replay(rec, caller)
        try:
            with sessions.begin() as db:
                db.add(IdempotencyRecord(device_pk=caller.device_pk, key=key,
                                         request_hash=caller.body_sha256, status_code=p.status,
                                         response=p.body()))
                audit.append(db, action=action, outcome="rejected", operator=caller.login_id,
                             device=caller.device_id, subject=subject, purpose=purpose,
                             detail={"command_id": key, "code": p.code})
        except IntegrityError:
            rec = _stored(caller, key)
            if rec is not None:
                return _replay(rec, caller)
            raise
        raise p

    def _identity(db: Session, cmd: Any, operator: str, device: str) -> None:
        """The 本人確認 the 届出 names, if any, checked when the 届出 is submitted — applied at
        once, in a batch or for 審査 — and never again on approval, which may come on a later
        day and re-applies what was checked then."""
        if cmd.identity_check_seq is not None:
            idou.identity_check(db, cmd.identity_check_seq, operator=operator, device=device,
                                today=clock.today())

    def _apply_idou(db: Session, cmd: Any, key: str, operator: str, device: str,
                    extra: dict[str, Any] | None = None) -> dict[str, Any]:
        r, h = idou.apply(db, cipher, cmd, today=clock.today(), operator=operator, device=device,
                          command_id=key)
        audit.append(db, action=f"idou.{cmd.kind}", outcome="ok", operator=operator,
                     device=device, subject=f"resident:{r.id}", purpose="idou",
                     detail={"command_id": key, "identity_check": cmd.identity_check_seq,
                             **(extra or {})})
        audit.record_change(db, entity="resident", entity_id=r.id, version=r.version,
                            op=cmd.kind, command_id=key)
        return {"result": "applied", "command_id": key, "kind": cmd.kind, "resident_id": r.id,
                "version": r.version, "history_id": h.id}

    def _apply_submitted(db: Session, cmd: Any, key: str, caller: Caller) -> dict[str, Any]:
        """A 届出 applied as the caller sent it (alone or in a batch): its 本人確認, then apply."""
        _identity(db, cmd, caller.login_id or "", caller.device_id)
        return _apply_idou(db, cmd, key, caller.login_id or "", caller.device_id)

    def _subject(cmd: Any) -> str | None:
        rid = getattr(cmd, "resident_id", None)
        return f"resident:{rid}" if rid else None

    @app.post("/v1/commands/idou", status_code=201, tags=["commands"])
    def submit_idou(
        cmd: Annotated[idou.IdouCommand, Body()],
        caller: Caller = Depends(authenticated("idou.submit")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """Apply one 異動届 after the logical checks. Idempotent by (device, Idempotency-Key)."""
        return _idempotent(caller, idempotency_key, f"idou.{cmd.kind}", _subject(cmd),
                           lambda db, key: _apply_submitted(db, cmd, key, caller))

    @app.post("/v1/commands/batch", tags=["commands"])
    def submit_batch(batch: CommandBatch,
                     caller: Caller = Depends(authenticated("idou.submit"))) -> dict[str, Any]:
        """An outbox drained in one round trip: the commands in order, each exactly as if posted
        alone (same idempotency, same checks, rejections stored and never blocking the rest),
        applied in one transaction with a savepoint per command."""
        results: list[dict[str, Any]] = []
        with sessions.begin() as db:
            for item in batch.commands:
                body = item.body.encode("utf-8")
                digest = hashlib.sha256(body).hexdigest()
                try:
                    key = str(uuid.UUID(item.key))
                except ValueError:
                    p = problem("idempotency_key_invalid", "Idempotency-Key must be a UUID",
                                "冪等キーはUUIDで指定してください")
                    results.append({"key": item.key, "status": p.status, "body": p.body()})
                    continue
                rec = db.get(IdempotencyRecord, (caller.device_pk, key))
                if rec is not None:
                    if rec.request_hash != digest:
                        p = problem("idempotency_key_reused", "This Idempotency-Key was used with "
                                    "a different request body", "同じ冪等キーで異なる内容が送信されました。"
                                    "新しい届出として入力し直してください")
                        results.append({"key": key, "status": p.status, "body": p.body()})
                    else:
                        results.append({"key": key, "status": rec.status_code,
                                        "body": rec.response, "replayed": True})
                    continue
                try:
                    cmd = _command_adapter.validate_json(body)
                except ValueError as exc:
                    p = problem("invalid_request", f"invalid command: {str(exc)[:300]}",
                                "届出の形式が正しくありません")
                    results.append({"key": key, "status": p.status, "body": p.body()})
                    continue
                try:
                    with db.begin_nested():
                        result = _apply_submitted(db, cmd, key, caller)
                    status, stored = 201, result
                except StaleDataError:
                    p = problem("version_conflict", "Record changed while the command was applied",
                                "入力後に記録が更新されています。最新の記録を確認してください")
                    status, stored = p.status, p.body()
                except Problem as refused:
                    status, stored = refused.status, refused.body()
                if status >= 400:
                    audit.append(db, action=f"idou.{cmd.kind}", outcome="rejected",
                                 operator=caller.login_id, device=caller.device_id,
                                 subject=_subject(cmd), purpose="idou",
                                 detail={"command_id": key, "code": stored.get("code")})
                db.add(IdempotencyRecord(device_pk=caller.device_pk, key=key, request_hash=digest,
                                         status_code=status, response=stored))
                db.flush()
                results.append({"key": key, "status": status, "body": stored})
        return {"results": results}

    # --- 審査 (review by a second person) ---------------------------------------------------------

    _command_adapter = TypeAdapter(idou.IdouCommand)

    @app.post("/v1/cases/idou", status_code=201, tags=["review"])
    def submit_case(
        cmd: Annotated[idou.IdouCommand, Body()],
        caller: Caller = Depends(authenticated("idou.submit")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """Submit a 異動届 for 審査: checked now (nothing applied), applied on approval."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            _identity(db, cmd, caller.login_id or "", caller.device_id)
            dry = db.begin_nested()  # run every logical check, then undo
            try:
                idou.apply(db, cipher, cmd, today=clock.today(), operator=caller.login_id or "",
                           device=caller.device_id, command_id=key)
            finally:
                dry.rollback()
            case = Case(kind="idou", command=cmd.model_dump(mode="json"),
                        resident_id=getattr(cmd, "resident_id", None),
                        base_version=getattr(cmd, "expected_version", None),
                        entered_by=caller.login_id or "", entered_device=caller.device_id)
            db.add(case)
            db.flush()
            audit.append(db, action="case.submit", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=_subject(cmd), purpose="idou",
                         detail={"case_id": case.id, "kind": cmd.kind, "command_id": key,
                                 "identity_check": cmd.identity_check_seq})
            audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                                op="submitted", command_id=key)
            return {"result": "submitted", "case_id": case.id, "status": case.status}
        return _idempotent(caller, idempotency_key, f"case.submit.{cmd.kind}", _subject(cmd),
                           effect)

    def _case_view(db: Session, case: Case, rights: dict,
                   checks: dict[int, AuditEvent]) -> dict[str, Any]:
        """One case for the reviewer; ``checks``: the 本人確認 rows the cases name, by seq."""
        command = dict(case.command)
        person = command.get("person")
        if isinstance(person, dict) and person.get("my_number") and MY_NUMBER_ACCESS not in rights:
            command["person"] = dict(person, my_number=register.MASK)
        out = {"id": case.id, "kind": case.kind, "status": case.status,
               "entered_by": case.entered_by, "entered_at": case.entered_at.isoformat() + "Z",
               "reviewed_by": case.reviewed_by, "review_reason": case.review_reason,
               "command": command, "current": None, "record_changed": False,
               "identity_check": idou.identity_view(
                   checks.get(command.get("identity_check_seq") or 0), case.resident_id)}
        if case.resident_id:
            r = db.get(Resident, case.resident_id)
            sup = register.active_support_ids(db, [r.id], clock.today())
            out["current"] = register.summary(r, cipher, rights, sup)
            out["record_changed"] = r.version != case.base_version
        return out

    @app.get("/v1/cases", tags=["review"])
    def list_cases(
        pending: Pending = Depends(deferred("case.review")),
        status: Literal["submitted", "approved", "returned"] = "submitted",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """The review queue: each entry beside the current register record (never outdated)."""
        def work(db: Session, caller: Caller):
            cases = db.scalars(select(Case).where(Case.status == status)
                               .order_by(Case.id).limit(limit)).all()
            seqs = {c.command.get("identity_check_seq") for c in cases} - {None}
            checks = {e.seq: e for e in db.scalars(select(AuditEvent).where(
                AuditEvent.seq.in_(seqs)))} if seqs else {}  # one query, not one per case
            items = [_case_view(db, c, caller.rights or {}, checks) for c in cases]
            subject = ",".join(f"resident:{c.resident_id}" for c in cases if c.resident_id)
            return {"items": items, "count": len(items)}, subject or None, {"cases": len(items)}
        return _read(pending, "review", None, work, audit_action="case.list")

    def _open_case(db: Session, case_id: int, caller: Caller) -> Case:
        case = db.get(Case, case_id)
        if case is None:
            raise problem("case_not_found", f"No case {case_id}", "審査案件が見つかりません")
        if case.status != "submitted":
            raise problem("case_not_open", f"Case {case_id} is {case.status}",
                          f"この案件は既に処理されています（{case.status}）")
        if case.entered_by == caller.login_id:
            raise problem("reviewer_is_entrant", "An entry must be reviewed by someone else "
                          "(DQ-1)", "入力した本人は審査できません。別の職員が審査してください")
        return case

    @app.post("/v1/cases/{case_id}/approve", tags=["review"])
    def approve_case(
        case_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        caller: Caller = Depends(authenticated("case.review")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """Approve and apply, refused when the record changed since entry (DQ-8, 000 L4375)."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            case = _open_case(db, case_id, caller)
            if case.resident_id:
                current = db.get(Resident, case.resident_id)
                if current.version != case.base_version:
                    raise problem("record_changed_since_entry",
                                  f"Record is at version {current.version}, the entry was made "
                                  f"against {case.base_version}",
                                  "入力後に住民記録が更新されています。最新の記録で入力し直すよう"
                                  "差し戻してください", current_version=current.version)
            cmd = _command_adapter.validate_python(case.command)
            applied = _apply_idou(db, cmd, key, case.entered_by, case.entered_device,
                                  extra={"case_id": case.id, "approved_by": caller.login_id})
            case.status, case.reviewed_by, case.reviewed_at = ("approved", caller.login_id,
                                                               utcnow())
            case.result = applied
            audit.append(db, action="case.approve", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"resident:{applied['resident_id']}",
                         purpose="review", detail={"case_id": case.id, "command_id": key})
            return dict(applied, case_id=case.id, status="approved")
        return _idempotent(caller, idempotency_key, "case.approve", f"case:{case_id}", effect,
                           status=200)

    @app.post("/v1/cases/{case_id}/return", tags=["review"])
    def return_case(case_id: Annotated[int, Path(ge=1, le=2**31 - 1)], req: ReasonRequest,
                    caller: Caller = Depends(authenticated("case.review"))) -> dict[str, Any]:
        """差し戻し: send the entry back with a reason; nothing is applied."""
        with sessions.begin() as db:
            case = _open_case(db, case_id, caller)
            case.status, case.reviewed_by = "returned", caller.login_id
            case.reviewed_at, case.review_reason = utcnow(), req.reason
            audit.append(db, action="case.return", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"case:{case.id}", purpose="review",
                         detail={"reason": req.reason})
            db.flush()
            audit.record_change(db, entity="case", entity_id=case.id, version=case.version,
                                op="returned", command_id=None)
            return {"case_id": case.id, "status": "returned"}

    @app.post("/v1/identity-checks", status_code=201, tags=["register"])
    def record_identity_check(req: IdentityCheck,
                              caller: Caller = Depends(authenticated("resident.read"))) -> dict[str, Any]:
        """Record a 本人確認 (who, when, terminal, whom, how, which documents); no card data."""
        if (req.resident_id is None) == (req.newcomer_case is None):
            raise problem("invalid_request", "give exactly one of resident_id and newcomer_case",
                          "本人確認の対象（住民、または転入の受付）をひとつ指定してください",
                          field="resident_id")
        with sessions.begin() as db:
            if req.resident_id is None:
                subject = f"newcomer:{req.newcomer_case}"  # 転入: no record yet (000 L959, L1050)
            elif db.get(Resident, req.resident_id) is None:
                raise problem("resident_not_found", "No such resident", "対象の住民が見つかりません")
            else:
                subject = f"resident:{req.resident_id}"
            row = audit.append(db, action="identity.check", outcome="ok" if req.matched else "mismatch",
                               operator=caller.login_id, device=caller.device_id,
                               subject=subject, purpose="identity",
                               detail=req.model_dump(exclude={"resident_id", "newcomer_case"}))
            return {"seq": row.seq}

    # --- 交付 (certificates) --------------------------------------------------------------------

    @app.post("/v1/certificates", status_code=201, tags=["issuance"])
    def issue_certificate(
        req: issuance.IssueRequest,
        caller: Caller = Depends(authenticated("certificate.issue")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """住民票の写し or 記載事項証明書 (``kind``): checks the request (DQ-6, WF-7) and records it in
        the 帳票管理簿 with its kind.
        The answer holds no personal data; the content is fetched once, right after."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            row = issuance.issue(db, req, rights=caller.rights or {}, operator=caller.login_id or "",
                                 device=caller.device_id, today=clock.today())
            audit.append(db, action="certificate.issue", outcome="ok", operator=caller.login_id,
                         device=caller.device_id,
                         subject=",".join(f"resident:{i}" for i in row.person_ids),
                         purpose=req.purpose, purpose_note=req.purpose_note,
                         detail={"issuance_id": row.id, "kind": row.kind, "scope": row.scope,
                                 "requester": row.requester_relation, "included": row.included,
                                 "my_number_reason": row.my_number_reason,
                                 "submit_to": row.submit_to, "command_id": key,
                                 "support_decision_id": row.support_decision_id})
            return {"issuance_id": row.id, "certificate_no": f"{row.issued_at:%Y}-{row.id:06d}",
                    "persons": len(row.person_ids)}
        return _idempotent(caller, idempotency_key, "certificate.issue",
                           f"resident:{req.resident_id}", effect)

    @app.get("/v1/certificates/{issuance_id}/content", tags=["issuance"])
    def certificate_content(issuance_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                            caller: Caller = Depends(authenticated("certificate.issue"))) -> Any:
        """The certificate's content for printing, for the issuing operator and terminal only."""
        with sessions.begin() as db:
            row = db.get(Issuance, issuance_id)
            if row is None:
                raise problem("certificate_not_found", "No such issuance", "交付記録が見つかりません")
            body = issuance.content(db, row, cipher, operator=caller.login_id or "",
                                    device=caller.device_id, now=utcnow())
            audit.append(db, action="certificate.content", outcome="ok", operator=caller.login_id,
                         device=caller.device_id,
                         subject=",".join(f"resident:{i}" for i in row.person_ids),
                         purpose="certificate", detail={"issuance_id": row.id})
        return body

    # --- 支援措置の判断 (WF-7): 判断依頼 by the clerk, 所属長の判断 by a supervisor ---------------

    @app.post("/v1/support-decisions", status_code=201, tags=["issuance"])
    def request_support_decision(
        req: support_decision.DecisionRequest,
        caller: Caller = Depends(authenticated("support.decision.request")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """判断依頼: a request the server refused for a 支援措置 subject, as taken, for a supervisor
        to decide. Refused when nothing would block it. Idempotent by (device, key)."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            row = support_decision.request(db, req, operator=caller.login_id or "",
                                           device=caller.device_id, today=clock.today())
            audit.append(db, action="support_decision.request", outcome="ok",
                         operator=caller.login_id, device=caller.device_id,
                         subject=f"resident:{row.resident_id}", purpose=req.purpose,
                         purpose_note=req.purpose_note,
                         detail={"decision_id": row.id, "kind": row.kind, "scope": row.scope,
                                 "requester": row.requester_relation, "command_id": key})
            return {"decision_id": row.id, "status": row.status}
        return _idempotent(caller, idempotency_key, "support_decision.request",
                           f"resident:{req.resident_id}", effect, purpose=req.purpose)

    @app.get("/v1/support-decisions", tags=["issuance"])
    def list_support_decisions(
        pending: Pending = Depends(deferred("support.decision.decide")),
        status: Literal["pending", "approved", "refused", "used"] = "pending",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """The supervisor's queue: each request with who it is about and the fact of the 支援措置
        (never the measure's related persons). A read of the register: audited (LOG-1)."""
        def work(db: Session, caller: Caller):
            rows = db.scalars(select(support_decision.SupportDecision)
                              .where(support_decision.SupportDecision.status == status)
                              .order_by(support_decision.SupportDecision.id).limit(limit)).all()
            items = [support_decision.view(db, r, clock.today(), full=True) for r in rows]
            subject = ",".join(f"resident:{r.resident_id}" for r in rows) or None
            return {"items": items, "count": len(items)}, subject, {"decisions": len(items),
                                                                    "status": status}
        return _read(pending, "review", None, work, audit_action="support_decision.list")

    @app.get("/v1/support-decisions/{decision_id}", tags=["issuance"])
    def get_support_decision(
        decision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        pending: Pending = Depends(deferred("support.decision.request")),
    ) -> dict[str, Any]:
        """The state of one request, for the clerk who sent it (or a supervisor): pending,
        approved (usable today), refused with the reason, or used."""
        def work(db: Session, caller: Caller):
            row = support_decision.get(db, decision_id)
            supervisor = allowed("support.decision.decide", caller.rights or {})
            if row.requested_by != caller.login_id and not supervisor:
                raise problem("forbidden", "Only the requester or a supervisor may read it",
                              "判断依頼を送った職員と所属長だけが確認できます")
            out = support_decision.view(db, row, clock.today(), full=False)
            return out, f"resident:{row.resident_id}", {"decision_id": row.id,
                                                        "status": row.status}
        return _read(pending, "certificate", None, work, audit_action="support_decision.read")

    def _decide(decision_id: int, approve: bool, req: support_decision.DecisionReason,
                caller: Caller) -> dict[str, Any]:
        action = "support_decision.approve" if approve else "support_decision.refuse"
        try:
            with sessions.begin() as db:
                row = support_decision.decide(db, decision_id, approve, req.reason,
                                              operator=caller.login_id or "", today=clock.today())
                audit.append(db, action=action, outcome="ok", operator=caller.login_id,
                             device=caller.device_id, subject=f"resident:{row.resident_id}",
                             purpose="review",
                             detail={"decision_id": row.id, "requested_by": row.requested_by,
                                     "kind": row.kind, "scope": row.scope,
                                     "requester": row.requester_relation, "reason": row.decision_reason})
                return support_decision.view(db, row, clock.today(), full=False)
        except StaleDataError:
            p = problem("support_decision_not_pending", "Decided concurrently by someone else",
                        "この判断依頼は既に判断されています")
        except Problem as refused:
            p = refused
        _audit_refusal(p, action, caller.device_id, caller.login_id, subject=f"support_decision:{decision_id}",
                       purpose="review")
        raise p

    @app.post("/v1/support-decisions/{decision_id}/approve", tags=["issuance"])
    def approve_support_decision(decision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                                 req: support_decision.DecisionReason,
                                 caller: Caller = Depends(authenticated("support.decision.decide"))
                                 ) -> dict[str, Any]:
        """所属長の判断（交付を認める）: never one's own request; the reason is required; audited."""
        return _decide(decision_id, True, req, caller)

    @app.post("/v1/support-decisions/{decision_id}/refuse", tags=["issuance"])
    def refuse_support_decision(decision_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                                req: support_decision.DecisionReason,
                                caller: Caller = Depends(authenticated("support.decision.decide"))
                                ) -> dict[str, Any]:
        """所属長の判断（交付を認めない）: the reason is required and shown to the clerk; audited."""
        return _decide(decision_id, False, req, caller)

    # --- 個人住民税 (#8): 申告受付 + 二重チェック, 課税・所得証明書, 照会 ---------------------------

    @app.post("/v1/tax/filings", status_code=201, tags=["tax"])
    def submit_tax_filing(
        req: tax.FilingIn,
        caller: Caller = Depends(authenticated("tax.filing.submit")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """住民税申告 (TAX-2/3/4): the filer identified first, every field checked, the result
        computed; registered in the 課税台帳 only after a second person's check."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            row = tax.submit_filing(db, req, cipher, operator=caller.login_id or "",
                                    device=caller.device_id, today=clock.today())
            audit.append(db, action="tax.filing.submit", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"resident:{row.resident_id}",
                         purpose="tax", detail={"filing_id": row.id, "fiscal_year": row.fiscal_year,
                                                "dependents": len(row.dependents),
                                                "identity_method": row.identity_method,
                                                "command_id": key})
            audit.record_change(db, entity="tax_filing", entity_id=row.id, version=row.version,
                                op="submitted", command_id=key)
            return {"result": "submitted", "filing_id": row.id, "status": row.status,
                    "computed": {k: v for k, v in row.computed.items()
                                 if k != "dependent_deductions"}}
        return _idempotent(caller, idempotency_key, "tax.filing.submit",
                           f"resident:{req.resident_id}", effect, purpose="tax")

    @app.get("/v1/tax/filings", tags=["tax"])
    def list_tax_filings(
        pending: Pending = Depends(deferred("tax.filing.check")),
        status: Literal["submitted", "approved", "returned"] = "submitted",
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """The 二重チェック queue: each 申告 as entered with the computed result; dependents' My
        Numbers only for holders of 特定個人情報アクセス権限."""
        def work(db: Session, caller: Caller):
            rows = db.scalars(select(tax.TaxFiling).where(tax.TaxFiling.status == status)
                              .order_by(tax.TaxFiling.id).limit(limit)).all()
            items = [tax.filing_view(db, r, cipher, caller.rights or {}) for r in rows]
            subject = ",".join(f"resident:{r.resident_id}" for r in rows) or None
            return ({"items": items, "count": len(items)}, subject,
                    {"filings": len(items),
                     "my_number_disclosed": any(i["my_number_disclosed"] and i["dependents"]
                                                for i in items)})
        return _read(pending, "tax", None, work, audit_action="tax.filing.list")

    @app.post("/v1/tax/filings/{filing_id}/approve", tags=["tax"])
    def approve_tax_filing(
        filing_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        caller: Caller = Depends(authenticated("tax.filing.check")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """二重チェック済み (TAX-3): someone other than the entrant registers it."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            row = tax.open_filing(db, filing_id, caller.login_id or "")
            rec = tax.approve_filing(db, row, caller.login_id or "")
            audit.append(db, action="tax.filing.approve", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"resident:{row.resident_id}",
                         purpose="tax", detail={"filing_id": row.id, "tax_record_id": rec.id,
                                                "entered_by": row.entered_by, "command_id": key})
            audit.record_change(db, entity="tax_record", entity_id=rec.id, version=rec.version,
                                op="filing_approved", command_id=key)
            return {"filing_id": row.id, "status": row.status, "tax_record_id": rec.id,
                    "fiscal_year": row.fiscal_year}
        return _idempotent(caller, idempotency_key, "tax.filing.approve", f"tax_filing:{filing_id}",
                           effect, status=200, purpose="tax")

    @app.post("/v1/tax/filings/{filing_id}/return", tags=["tax"])
    def return_tax_filing(filing_id: Annotated[int, Path(ge=1, le=2**31 - 1)], req: ReasonRequest,
                          caller: Caller = Depends(authenticated("tax.filing.check"))) -> dict[str, Any]:
        """差し戻し: the entry does not match the 申告書; nothing is registered."""
        with sessions.begin() as db:
            row = tax.open_filing(db, filing_id, caller.login_id or "")
            row.status, row.checked_by = "returned", caller.login_id
            row.checked_at, row.return_reason = utcnow(), req.reason
            audit.append(db, action="tax.filing.return", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"resident:{row.resident_id}",
                         purpose="tax", detail={"filing_id": row.id, "reason": req.reason})
            db.flush()
            return {"filing_id": row.id, "status": "returned"}

    @app.get("/v1/tax/certificate-kinds", tags=["tax"])
    def tax_certificate_kinds(caller: Caller = Depends(authenticated("tax.certificate.issue"))
                              ) -> dict[str, Any]:
        """Kinds, fees per copy and the 年度 that can be asked for (from the fee table)."""
        out = tax.certificate_kinds()
        out["fiscal_years"] = tax.fiscal_years(clock.today())
        return out

    @app.post("/v1/tax/certificates", status_code=201, tags=["tax"])
    def issue_tax_certificate(
        req: tax.TaxCertificateRequest,
        caller: Caller = Depends(authenticated("tax.certificate.issue")),
        idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key",
                                                      max_length=64)] = None,
    ) -> Any:
        """課税証明書 / 所得証明書 (TAX-1): checked (委任状 for anyone but the person or the
        household, 支援措置) and recorded in the 帳票管理簿 with the requester and the fee."""
        def effect(db: Session, key: str) -> dict[str, Any]:
            row = tax.issue_certificate(db, req, operator=caller.login_id or "",
                                        device=caller.device_id, today=clock.today())
            audit.append(db, action="tax.certificate.issue", outcome="ok",
                         operator=caller.login_id, device=caller.device_id,
                         subject=f"resident:{row.resident_id}", purpose=req.purpose,
                         purpose_note=req.purpose_note,
                         detail={"tax_certificate_id": row.id, "kind": row.kind,
                                 "fiscal_year": row.fiscal_year,
                                 "requester": row.requester_relation,
                                 "power_of_attorney_seen": row.power_of_attorney_seen,
                                 "copies": row.copies, "fee_yen": row.fee_yen, "command_id": key})
            return {"issuance_id": row.id, "certificate_no": tax.certificate_no(row),
                    "copies": row.copies, "fee_yen": row.fee_yen}
        return _idempotent(caller, idempotency_key, "tax.certificate.issue",
                           f"resident:{req.resident_id}", effect, purpose="tax")

    @app.get("/v1/tax/certificates/{issuance_id}/content", tags=["tax"])
    def tax_certificate_content(issuance_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                                caller: Caller = Depends(authenticated("tax.certificate.issue"))
                                ) -> Any:
        """What to print, for the issuing operator and terminal only, shortly after; no My Number."""
        with sessions.begin() as db:
            row = db.get(tax.TaxCertificate, issuance_id)
            if row is None:
                raise problem("certificate_not_found", "No such issuance", "交付記録が見つかりません")
            body = tax.certificate_content(db, row, operator=caller.login_id or "",
                                           device=caller.device_id, now=utcnow())
            audit.append(db, action="tax.certificate.content", outcome="ok",
                         operator=caller.login_id, device=caller.device_id,
                         subject=f"resident:{row.resident_id}", purpose="certificate",
                         detail={"tax_certificate_id": row.id})
        return body

    @app.post("/v1/tax/inquiries", tags=["tax"])
    def tax_inquiry(req: tax.TaxInquiry,
                    pending: Pending = Depends(deferred("tax.inquiry"))) -> dict[str, Any]:
        """税の照会 (TAX-2, 003 L584): nothing until 氏名・生年月日 and the My Number identify the
        caller; the purpose is required and recorded. A POST so that no My Number is in a URL."""
        def work(db: Session, caller: Caller):
            person, records = tax.inquire(db, req, cipher)
            out = {"person": {"name_kanji": person.name_kanji, "name_kana": person.name_kana,
                              "address": person.address}, "records": records}
            return out, f"resident:{person.id}", {"identity": "confirmed",
                                                   "fiscal_year": req.fiscal_year,
                                                   "records": len(records)}
        return _read(pending, req.purpose, req.purpose_note, work)

    # --- change feed ------------------------------------------------------------------------------

    @app.get("/v1/changes", tags=["sync"])
    def changes(
        caller: Caller = Depends(authenticated("changes.read")),
        cursor: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        """Entity versions after ``cursor`` in commit order; no personal data. ``head`` is the
        newest sequence number at the time of the read (where a new session starts)."""
        with sessions() as db:
            rows = db.scalars(select(Change).where(Change.seq > cursor)
                              .order_by(Change.seq).limit(limit)).all()
            head = db.scalar(select(func.max(Change.seq))) or 0
        items = [{"seq": c.seq, "entity": c.entity, "entity_id": c.entity_id,
                  "version": c.version, "op": c.op, "at": c.at.isoformat() + "Z"} for c in rows]
        return {"items": items, "next_cursor": items[-1]["seq"] if items else cursor,
                "has_more": len(items) == limit, "head": max(head, items[-1]["seq"] if items else 0)}

    # --- audit and administration ---------------------------------------------------------------

    @app.get("/v1/audit/verify", tags=["audit"])
    def verify_audit(caller: Caller = Depends(authenticated("audit.verify"))) -> dict[str, Any]:
        """Walk the hash chain and name the first broken row."""
        with sessions() as db:
            report = audit.verify_chain(db)
        with sessions.begin() as db:
            audit.append(db, action="audit.verify", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"chain_ok": report.ok})
        return {"ok": report.ok, "rows_checked": report.rows_checked,
                "first_broken_seq": report.first_broken_seq, "reason": report.reason}

    @app.post("/v1/terminal-events", status_code=201, tags=["audit"])
    def terminal_event(ev: TerminalEvent,
                       caller: Caller = Depends(authenticated("changes.read"))) -> dict[str, Any]:
        """Audit what the terminal saw: terminal, operator, start, duration, reason (PRIV-1)."""
        with sessions.begin() as db:
            row = audit.append(db, action=f"terminal.{ev.event}", outcome="ok",
                               operator=caller.login_id, device=caller.device_id,
                               detail={"reason": ev.reason, "duration_ms": ev.duration_ms,
                                       "started_at": ev.started_at.isoformat()})
            return {"seq": row.seq}

    @app.post("/v1/admin/rights", status_code=201, tags=["admin"])
    def grant_right(req: GrantRequest,
                    caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
        """Grant a right for a period that never runs past 3/31 (AUTHZ-7) or employment."""
        with sessions.begin() as db:
            op = db.scalar(select(Operator).where(Operator.login_id == req.login_id))
            if op is None:
                raise problem("not_found", f"No operator {req.login_id}", "職員が見つかりません")
            why = period_error(req.valid_from, req.valid_until, op.employment_until)
            if why:
                raise problem("right_period_invalid", why,
                              "権限の有効期間は年度末（3月31日）と任用期間を超えられません",
                              field="valid_until")
            g = RightGrant(operator=op, right=req.right, valid_from=req.valid_from,
                           valid_until=req.valid_until, granted_by=caller.login_id)
            db.add(g)
            db.flush()
            audit.append(db, action="rights.grant", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"operator:{op.login_id}",
                         detail={"right": req.right, "grant_id": g.id,
                                 "valid_until": req.valid_until.isoformat()})
            return {"id": g.id, "login_id": op.login_id, "right": g.right,
                    "valid_from": g.valid_from.isoformat(), "valid_until": g.valid_until.isoformat()}

    @app.post("/v1/admin/rights/{grant_id}/revoke", tags=["admin"])
    def revoke_right(grant_id: Annotated[int, Path(ge=1, le=2**31 - 1)], req: ReasonRequest,
                     caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
        """Same-day revocation (AUTHZ-6): effective on the operator's next request."""
        with sessions.begin() as db:
            g = db.get(RightGrant, grant_id)
            if g is None:
                raise problem("not_found", f"No grant {grant_id}", "権限付与が見つかりません")
            if g.revoked_at is None:
                g.revoked_at, g.revoked_by, g.revoke_reason = utcnow(), caller.login_id, req.reason
            audit.append(db, action="rights.revoke", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, subject=f"operator:{g.operator.login_id}",
                         detail={"grant_id": g.id, "right": g.right})
            return {"id": g.id, "revoked_at": g.revoked_at.isoformat() + "Z"}

    @app.post("/v1/admin/rollover", tags=["admin"])
    def rollover(req: RolloverRequest,
                 caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
        """年度更新: revoke every right still open at the fiscal year end (AUTHZ-8)."""
        with sessions.begin() as db:
            n = db.execute(update(RightGrant).where(RightGrant.revoked_at.is_(None)).values(
                revoked_at=utcnow(), revoked_by=caller.login_id,
                revoke_reason=f"年度更新 {req.fiscal_year_end.isoformat()}")).rowcount
            audit.append(db, action="rights.rollover", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"revoked": n})
            return {"revoked": n}

    @app.get("/v1/admin/policy/onlooker", tags=["admin"])
    def get_onlooker_policy(caller: Caller = Depends(authenticated("policy.manage"))) -> dict[str, Any]:
        """The 覗き込み rules terminals get at login (PRIV-1)."""
        with sessions() as db:
            return policy.onlooker(db, settings).model_dump()

    @app.put("/v1/admin/policy/onlooker", tags=["admin"])
    def put_onlooker_policy(req: policy.OnlookerPolicy,
                            caller: Caller = Depends(authenticated("policy.manage"))) -> dict[str, Any]:
        """Change the 覗き込み rules; terminals use them from their next login. Audited."""
        with sessions.begin() as db:
            old, new = policy.set_onlooker(db, req, caller.login_id or "")
            audit.append(db, action="policy.onlooker", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"old": old, "new": new})
        return new

    @app.get("/v1/admin/rights", tags=["admin"])
    def list_rights(caller: Caller = Depends(authenticated("rights.manage"))) -> dict[str, Any]:
        """Every grant with its status, for the security admin's screen (AUTHZ-9); no My Number."""
        with sessions.begin() as db:
            rows = review.rights_rows(db, clock.today())
            audit.append(db, action="rights.list", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"rows": len(rows)})
        return {"items": rows}

    @app.get("/v1/admin/rights.csv", tags=["admin"])
    def export_rights(caller: Caller = Depends(authenticated("rights.manage"))) -> Response:
        """User/right list (CSV) to reconcile with the rights sheet (AUTHZ-9); no My Number."""
        with sessions.begin() as db:
            rows = review.rights_rows(db, clock.today())
            audit.append(db, action="rights.export", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"rows": len(rows)})
        return Response(review.to_csv(rows, review.RIGHTS_CSV_COLUMNS),
                        media_type="text/csv; charset=utf-8", headers={
                            "Content-Disposition": 'attachment; filename="rights.csv"'})

    @app.get("/v1/admin/access-review", tags=["admin"])
    def access_review(
        caller: Caller = Depends(authenticated("audit.review")),
        date: dt.date | None = None,
    ) -> dict[str, Any]:
        """Daily access review (LOG-10): off-hours reads, 支援措置 subjects, failed logins,
        unusual volume. ``date`` is a JST day, default today."""
        day = date or clock.today()
        with sessions() as db:
            report = review.access_review(db, day)
        with sessions.begin() as db:
            audit.append(db, action="audit.review", outcome="ok", operator=caller.login_id,
                         device=caller.device_id, detail={"date": day.isoformat(),
                                                          "findings": len(report["findings"])})
        return report

    @app.get("/v1/admin/devices", tags=["admin"])
    def list_devices(caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
        """The device registry (DEV-6): who may connect, of which kind, active or disabled."""
        with sessions() as db:
            devices = db.scalars(select(Device).order_by(Device.device_id)).all()
        return {"items": [{
            "device_id": d.device_id, "name": d.name, "kind": d.kind, "status": d.status,
            "registered_at": d.registered_at.isoformat() + "Z", "registered_by": d.registered_by,
            "disabled_reason": d.disabled_reason, "loan_approved_by": d.loan_approved_by,
            "loan_approval_ref": d.loan_approval_ref} for d in devices]}

    @app.post("/v1/admin/devices", status_code=201, tags=["admin"])
    def register_device(req: DeviceRegistration,
                        caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
        """Register a terminal by its public key; a loan device carries its approval (DEV-4)."""
        try:
            raw = base64.b64decode(req.public_key, validate=True)
            if len(raw) != 32:
                raise ValueError
        except ValueError:
            raise problem("invalid_request", "public_key must be base64 of 32 bytes",
                          "公開鍵の形式が正しくありません", field="public_key") from None
        if (req.loan_approved_by is None) != (req.loan_approval_ref is None) or (
                req.kind == "counter" and req.loan_approved_by) or (
                req.kind == "loan" and not req.loan_approved_by):
            raise problem("invalid_request", "A loan device needs its approval (approver and "
                          "reference), and only loan devices have one (DEV-4)",
                          "貸出端末には所属長の承認（承認者と承認番号）が必要です（貸出端末のみ）",
                          field="loan_approved_by")
        with sessions.begin() as db:
            if db.scalar(select(Device.id).where(Device.device_id == req.device_id)):
                raise problem("invalid_request", f"Device {req.device_id} already exists",
                              "この端末IDは登録済みです", field="device_id")
            try:
                d = admin.register_device(db, req.device_id, req.name, req.kind, raw,
                                          actor=caller.login_id or "",
                                          loan_approved_by=req.loan_approved_by,
                                          loan_approval_ref=req.loan_approval_ref)
            except ValueError:
                raise problem("invalid_request", "public_key is not an Ed25519 key",
                              "公開鍵の形式が正しくありません", field="public_key") from None
            return {"device_id": d.device_id, "kind": d.kind, "status": d.status}

    @app.post("/v1/admin/devices/{device_id}/disable", tags=["admin"])
    def disable_device(device_id: Annotated[str, Path(max_length=40)], req: ReasonRequest,
                       caller: Caller = Depends(authenticated("devices.manage"))) -> dict[str, Any]:
        """Remote disable (DEV-3): the device's next contact answers device_disabled."""
        with sessions.begin() as db:
            try:
                admin.disable_device(db, device_id, req.reason, by=caller.login_id, by_device=caller.device_id)
            except ValueError:
                raise problem("not_found", f"No device {device_id}", "端末が見つかりません") from None
            return {"device_id": device_id, "status": "disabled"}

    # The counter's everyday call is tried first: Starlette matches routes in order, and the ~15
    # before it cost every lookup ~17 µs (#2). No other route matches its path and method.
    routes = app.router.routes
    routes.insert(0, routes.pop(next(i for i, r in enumerate(routes)
                                     if getattr(r, "path", None) == "/v1/residents")))
    return app
