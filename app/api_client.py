"""Client for the central API (中央サーバー API クライアント).

Synchronous httpx; the GUI runs these calls off its thread. Every request is
signed by the terminal's device key (see ``app.device_key``); after a login
the operator's bearer token is sent as well.

Errors come back as RFC 9457 problem+json and are raised as ``ApiError``
(``DeviceDisabled`` for a terminal the centre has switched off). A server that
cannot be reached at all raises ``CentralUnreachable``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from app import clock
from app.admin import (AccessReview, AuditChainReport, BiometricStatus, DeviceEntry, OnlookerPolicy,
                       RightApplication, RightGrant)
from app.certificate import CertificateContent, IssuedCertificate
from app.residents import ResidentSearchResult, address_key_refusal, search_params
from app.idou_list import IdouList
from app.review import CaseView
from app.tokurei import TennyuYoteiHousehold
from app.tax import (FilingForCheck, TaxCertificateContent, TaxCertificateIssued, TaxCertificateKinds,
                     TaxFilingReceipt, TaxInquiryAnswer)

if TYPE_CHECKING:  # app.support_decision reads its timestamps with this module's parse_timestamp
    from app.support_decision import SupportDecision


class CentralUnreachable(Exception):
    """The central server could not be reached (中央サーバーに接続できません)."""

    def __init__(self, message: str = "中央サーバーに接続できません") -> None:
        super().__init__(message)


#: Problem codes after which the operator must log in again (再ログインが必要).
SESSION_ENDED_CODES = frozenset({"session_required", "session_invalid", "session_wrong_device"})


class ApiError(Exception):
    """An error answered by the central API (problem+json)."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str = "",
        detail: str = "",
        title_ja: str = "",
        detail_ja: str = "",
        field: str | None = None,
        errors: list[Any] | None = None,
        tries_left: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.title_ja = title_ja
        self.detail_ja = detail_ja
        self.field = field
        self.errors = errors or []
        self.tries_left = tries_left  # biometric attempts left before the account locks

    @property
    def ends_session(self) -> bool:
        """True when the login is no longer valid (期限切れ等) and the operator must log in again."""
        return self.code in SESSION_ENDED_CODES

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """Build the right exception from an error response."""
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return ApiError(response.status_code, "invalid_response", title=response.reason_phrase)
        kwargs = dict(
            status=response.status_code,
            code=str(body.get("code") or "unknown"),
            title=str(body.get("title") or ""),
            detail=str(body.get("detail") or ""),
            title_ja=str(body.get("title_ja") or ""),
            detail_ja=str(body.get("detail_ja") or ""),
            field=body.get("field"),
            errors=body.get("errors") if isinstance(body.get("errors"), list) else None,
            tries_left=body.get("tries_left") if isinstance(body.get("tries_left"), int) else None,
        )
        if kwargs["code"] == "device_disabled":
            return DeviceDisabled(**kwargs)
        return ApiError(**kwargs)


class DeviceDisabled(ApiError):
    """The centre has disabled this terminal (端末の利用停止)."""


def parse_timestamp(value: Any) -> dt.datetime | None:
    """An ISO 8601 timestamp from the server; tolerant of a ``Z`` after an offset, else None."""
    if not value:
        return None
    text = str(value)
    if text.endswith("Z") and ("+" in text[10:] or text[10:].count("-") > 0):
        text = text[:-1]  # "…+00:00Z": an offset and a Z; the offset wins
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def items_digest(items: Any) -> str:
    """The digest of a form's items the centre checks (申請書の電子保存): lower-case hex SHA-256 of
    ``json.dumps(items, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` as UTF-8."""
    return hashlib.sha256(json.dumps(items, ensure_ascii=False, sort_keys=True,
                                     separators=(",", ":")).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Operator:
    """The logged-in operator (職員)."""

    login_id: str
    display_name: str


@dataclass(frozen=True)
class Right:
    """One right the operator holds (権限), e.g. ``clerk``, until a date."""

    right: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class Permission:
    """One action the centre lets the operator take (操作権限), e.g. ``case.review``, until a date.

    The centre derives these from the operator's rights (``central.rights``) at login; the client
    never maps rights to actions itself, so a page asks ``session.may(action)`` and nothing else."""

    action: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class SessionPolicy:
    """Session limits set by the centre (画面ロック・最大ログイン時間)."""

    idle_lock_minutes: int
    max_session_minutes: int
    lock_logout_minutes: int = 10
    roaming_allowed: bool = False
    # 覗き込み対策 (PRIV-1): k onlooker frames → shield, m clean frames → clear, operator absent
    # for absent_seconds → lock; camera_fail_closed: a camera in doubt shields the screen.
    onlooker_k: int = 2
    onlooker_m: int = 25
    absent_seconds: float = 60.0
    camera_fail_closed: bool = True
    onlooker_min_score: float = 0.0  # detector sensitivity: faces below this confidence ignored


def _policy(data: Mapping[str, Any]) -> SessionPolicy:
    onlooker = data.get("onlooker") or {}
    return SessionPolicy(
        idle_lock_minutes=int(data.get("idle_lock_minutes", 5)),
        max_session_minutes=int(data.get("max_session_minutes", 480)),
        lock_logout_minutes=int(data.get("lock_logout_minutes", 10)),
        roaming_allowed=bool(data.get("roaming_allowed", False)),
        onlooker_k=int(onlooker.get("k", 2)),
        onlooker_m=int(onlooker.get("m", 25)),
        absent_seconds=float(onlooker.get("absent_seconds", 60)),
        # Anything but an explicit false keeps the camera rule closed.
        camera_fail_closed=onlooker.get("fail_closed", True) is not False,
        onlooker_min_score=min(0.95, max(0.0, float(onlooker.get("min_score", 0.0)))),
    )


def parse_permissions(data: Any) -> tuple[Permission, ...]:
    """``actions`` of a login answer: ``{"case.review": "2027-03-31", …}`` (null: no end date)."""
    if not isinstance(data, Mapping):
        return ()
    return tuple(Permission(str(action), dt.date.fromisoformat(until) if until else None)
                 for action, until in sorted(data.items()))


@dataclass(frozen=True)
class OperatorSession:
    """A logged-in session (ログインセッション). The token is never shown in repr."""

    token: str = field(repr=False)
    expires_at: dt.datetime | None
    operator: Operator
    rights: tuple[Right, ...]
    policy: SessionPolicy
    pending_factors: tuple[Any, ...] = ()
    permissions: tuple[Permission, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OperatorSession:
        operator = data.get("operator") or {}
        policy = data.get("policy") or {}
        expires = data.get("expires_at")
        return cls(
            token=str(data["token"]),
            expires_at=parse_timestamp(expires),
            operator=Operator(
                login_id=str(operator.get("login_id") or ""),
                display_name=str(operator.get("display_name") or ""),
            ),
            rights=tuple(
                Right(
                    right=str(item.get("right")),
                    valid_until=(
                        dt.date.fromisoformat(item["valid_until"])
                        if item.get("valid_until")
                        else None
                    ),
                )
                for item in data.get("rights") or ()
            ),
            policy=_policy(policy),
            pending_factors=tuple(data.get("pending_factors") or ()),
            permissions=parse_permissions(data.get("actions")),
        )

    def may(self, action: str, today: dt.date | None = None) -> bool:
        """Whether the centre lets the operator take ``action`` today (AUTHZ-3): the only question
        the screens ask about rights. The centre checks every request again."""
        today = today or clock.today()
        return any(p.action == action and (p.valid_until is None or p.valid_until >= today)
                   for p in self.permissions)

    def has_right(self, right: str, today: dt.date | None = None) -> bool:
        """Whether the operator holds ``right`` today (権限の有無)."""
        today = today or clock.today()
        return any(
            r.right == right and (r.valid_until is None or r.valid_until >= today)
            for r in self.rights
        )


@dataclass(frozen=True)
class RecordedCheck:
    """本人確認 as the centre recorded it: its audit ``seq`` (None when the centre named none)."""

    seq: int | None


@dataclass(frozen=True)
class SubmittedCase:
    """A 届出 queued for 審査 (``POST /v1/cases/idou``)."""

    case_id: int
    status: str


class CentralClient:
    """The terminal's connection to the central API (中央サーバー)."""

    def __init__(
        self,
        base_url: str,
        signer: httpx.Auth,
        timeout: float = 10,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            auth=signer,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json, application/problem+json"},
        )
        self._lock = threading.Lock()
        self._session: OperatorSession | None = None

    # -- plumbing -------------------------------------------------------

    @property
    def session(self) -> OperatorSession | None:
        """The current login, or None when logged out."""
        return self._session

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> CentralClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        expected: tuple[int, ...] = (200,),
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        headers = dict(headers or {})
        with self._lock:
            session = self._session
        if session is not None:
            headers["Authorization"] = f"Bearer {session.token}"
        try:
            response = self._http.request(method, path, params=params, json=json, headers=headers)
        except httpx.TransportError as exc:
            raise CentralUnreachable() from exc
        if response.status_code not in expected:
            if response.is_success:
                raise ApiError(response.status_code, "unexpected_status", title=response.reason_phrase)
            raise ApiError.from_response(response)
        return response

    def post_command(self, path: str, body: bytes, idempotency_key: str) -> httpx.Response:
        """Send one stored command (コマンド送信) byte for byte with its ``Idempotency-Key``.

        Returns the raw response whatever its status: the outbox decides applied / rejected /
        retry. Only a network failure raises (``CentralUnreachable``).
        """
        headers = {"Idempotency-Key": idempotency_key, "Content-Type": "application/json"}
        with self._lock:
            session = self._session
        if session is not None:
            headers["Authorization"] = f"Bearer {session.token}"
        try:
            return self._http.post(path, content=body, headers=headers)
        except httpx.TransportError as exc:
            raise CentralUnreachable() from exc

    @staticmethod
    def _json(response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ApiError(response.status_code, "invalid_response", title="Invalid response body")
        return body

    # -- endpoints ------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``GET /v1/health`` (死活確認)."""
        return self._json(self._request("GET", "/v1/health"))

    def login(self, login_id: str, password: str) -> OperatorSession:
        """``POST /v1/sessions`` (ログイン). Later calls carry the bearer token."""
        response = self._request(
            "POST",
            "/v1/sessions",
            json={"login_id": login_id, "password": password},
            expected=(200, 201),
        )
        try:
            session = OperatorSession.from_json(self._json(response))
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(response.status_code, "invalid_response", title="Invalid session") from exc
        with self._lock:
            self._session = session
        return session

    def verify_factor(self, provider: str, model: str, features: str) -> dict[str, Any]:
        """``POST /v1/sessions/current/factors/{provider}`` (生体認証, AUTH-1): the features of one
        live capture; the server compares them with the enrolled template. On success the
        session's pending factors are updated; a mismatch raises ``ApiError`` with
        ``tries_left``."""
        response = self._request("POST", f"/v1/sessions/current/factors/{provider}",
                                 json={"model": model, "features": features})
        return self._factor_done(self._json(response))

    def _factor_done(self, body: dict[str, Any]) -> dict[str, Any]:
        """A login step is done: the session's pending factors and expiry as the centre says."""
        with self._lock:
            if self._session is not None:
                self._session = replace(
                    self._session,
                    pending_factors=tuple(body.get("pending_factors") or ()),
                    expires_at=parse_timestamp(body.get("expires_at")) or self._session.expires_at)
        return body

    def change_password(self, current_password: str, new_password: str) -> dict[str, Any]:
        """``POST /v1/sessions/current/password`` (パスワードの更新): the renewal a login asked
        for after six months, or a voluntary change. Updates the session's pending factors."""
        response = self._request("POST", "/v1/sessions/current/password",
                                 json={"current_password": current_password,
                                       "new_password": new_password})
        return self._factor_done(self._json(response))

    def biometric_status(self, login_id: str, provider: str = "face") -> BiometricStatus:
        """``GET /v1/admin/operators/{login_id}/biometrics/{provider}`` (登録状況)."""
        return BiometricStatus.from_json(self._json(self._request(
            "GET", f"/v1/admin/operators/{quote(login_id, safe='')}/biometrics/{provider}")))

    def enrol_biometric(self, login_id: str, provider: str, model: str,
                        captures: list[str]) -> BiometricStatus:
        """``PUT …/biometrics/{provider}`` (生体情報の登録・再登録, security admin, AUTH-5)."""
        return BiometricStatus.from_json(self._json(self._request(
            "PUT", f"/v1/admin/operators/{quote(login_id, safe='')}/biometrics/{provider}",
            json={"model": model, "captures": captures})))

    def delete_biometric(self, login_id: str, provider: str = "face") -> BiometricStatus:
        """``DELETE …/biometrics/{provider}`` (生体情報の削除)."""
        return BiometricStatus.from_json(self._json(self._request(
            "DELETE", f"/v1/admin/operators/{quote(login_id, safe='')}/biometrics/{provider}")))

    def logout(self) -> None:
        """``DELETE /v1/sessions/current`` (ログアウト). The token is forgotten even on error."""
        with self._lock:
            session = self._session
        if session is None:
            return
        # A login still waiting for its face (AUTH-1) is abandoned rather than logged out.
        path = "/v1/sessions/pending" if session.pending_factors else "/v1/sessions/current"
        try:
            self._request("DELETE", path, expected=(200, 204))
        finally:
            with self._lock:
                self._session = None

    def unlock(self, password: str) -> None:
        """``POST /v1/sessions/current/unlock`` (画面ロックの解除, AUTH-7)."""
        self._request("POST", "/v1/sessions/current/unlock", json={"password": password},
                      expected=(200,))

    def record_identity_check(self, check: Mapping[str, Any]) -> RecordedCheck:
        """``POST /v1/identity-checks`` (本人確認の記録): the centre's record of it, which the 届出
        then names."""
        body = self._json(self._request("POST", "/v1/identity-checks", json=dict(check),
                                        expected=(201,)))
        seq = body.get("seq")
        return RecordedCheck(seq if isinstance(seq, int) and not isinstance(seq, bool) else None)

    # -- 交付 (certificates) ----------------------------------------------------

    def issue_certificate(self, request: Mapping[str, Any], idempotency_key: str) -> IssuedCertificate:
        """``POST /v1/certificates`` (住民票の写しの交付): checked and recorded by the centre."""
        return IssuedCertificate.from_json(self._json(self._request(
            "POST", "/v1/certificates", json=dict(request),
            headers={"Idempotency-Key": idempotency_key}, expected=(200, 201))))

    def certificate_content(self, issuance_id: int) -> CertificateContent:
        """``GET /v1/certificates/{id}/content``: what to print, right after issuing."""
        return CertificateContent.from_json(
            self._json(self._request("GET", f"/v1/certificates/{int(issuance_id)}/content")))

    # -- 転出証明書 and 転入予定者 (#22 point 2, K-WF-4.6) ---------------------------------

    def issue_tenshutsu_certificate(self, request: Mapping[str, Any],
                                    idempotency_key: str) -> IssuedCertificate:
        """``POST /v1/tenshutsu-certificates``: the 転出証明書 of an applied 転出, recorded in the
        帳票管理簿; its content is ``certificate_content`` (once), its layout ``tenshutsu``."""
        return IssuedCertificate.from_json(self._json(self._request(
            "POST", "/v1/tenshutsu-certificates", json=dict(request),
            headers={"Idempotency-Key": idempotency_key}, expected=(200, 201))))

    def lookup_tennyu_yotei(self, *, my_number: str | None = None,
                            juminhyo_code: str | None = None) -> TennyuYoteiHousehold:
        """``POST /v1/tennyu-yotei/lookup``: the 転入予定 household of the card's holder (or of
        the 住民票コード typed), every member pre-filled; 特定個人情報アクセス権限 only. A POST:
        the number never travels in a URL."""
        body = {"my_number": my_number, "juminhyo_code": juminhyo_code, "purpose": "idou"}
        return TennyuYoteiHousehold.from_json(self._json(self._request(
            "POST", "/v1/tennyu-yotei/lookup", json=body)))

    # -- 支援措置の判断 (WF-7) ------------------------------------------------------

    def request_support_decision(self, request: Mapping[str, Any], idempotency_key: str) -> SupportDecision:
        """``POST /v1/support-decisions`` (判断依頼): the refused request, for a supervisor."""
        from app.support_decision import SupportDecision

        answer = self._json(self._request("POST", "/v1/support-decisions", json=dict(request),
                                          headers={"Idempotency-Key": idempotency_key},
                                          expected=(200, 201)))
        login = self._session.operator.login_id if self._session is not None else ""
        return SupportDecision.requested(request, answer, login)

    def support_decision(self, decision_id: int) -> SupportDecision:
        """``GET /v1/support-decisions/{id}``: pending, approved, refused (with the reason) or used."""
        from app.support_decision import SupportDecision

        return SupportDecision.from_json(
            self._json(self._request("GET", f"/v1/support-decisions/{int(decision_id)}")))

    def list_support_decisions(self, status: str = "pending") -> list[SupportDecision]:
        """``GET /v1/support-decisions``: the supervisor's queue."""
        from app.support_decision import SupportDecision

        body = self._json(self._request("GET", "/v1/support-decisions", params={"status": status}))
        return [SupportDecision.from_json(item) for item in body.get("items") or []]

    def decide_support_decision(self, decision_id: int, approve: bool, reason: str) -> SupportDecision:
        """``POST /v1/support-decisions/{id}/approve|refuse`` (所属長の判断) with the reason."""
        from app.support_decision import SupportDecision

        verb = "approve" if approve else "refuse"
        return SupportDecision.from_json(self._json(self._request(
            "POST", f"/v1/support-decisions/{int(decision_id)}/{verb}", json={"reason": reason})))

    # -- 個人住民税 (tax counter, #8) ------------------------------------------------

    def submit_tax_filing(self, request: Mapping[str, Any], idempotency_key: str) -> TaxFilingReceipt:
        """``POST /v1/tax/filings`` (住民税申告): checked and computed, waits for 二重チェック."""
        return TaxFilingReceipt.from_json(self._json(self._request(
            "POST", "/v1/tax/filings", json=dict(request),
            headers={"Idempotency-Key": idempotency_key}, expected=(200, 201))))

    def list_tax_filings(self, status: str = "submitted") -> list[FilingForCheck]:
        """``GET /v1/tax/filings``: the 二重チェック queue."""
        body = self._json(self._request("GET", "/v1/tax/filings", params={"status": status}))
        return [FilingForCheck.from_json(item) for item in body.get("items") or []]

    def approve_tax_filing(self, filing_id: int, idempotency_key: str) -> dict[str, Any]:
        """``POST /v1/tax/filings/{id}/approve`` (二重チェック済み → 課税台帳)."""
        return self._json(self._request("POST", f"/v1/tax/filings/{int(filing_id)}/approve",
                                        headers={"Idempotency-Key": idempotency_key}))

    def return_tax_filing(self, filing_id: int, reason: str) -> dict[str, Any]:
        """``POST /v1/tax/filings/{id}/return`` (差し戻し)."""
        return self._json(self._request("POST", f"/v1/tax/filings/{int(filing_id)}/return",
                                        json={"reason": reason}))

    def tax_certificate_kinds(self) -> TaxCertificateKinds:
        """``GET /v1/tax/certificate-kinds``: kinds, fee per copy, the 年度 on offer."""
        return TaxCertificateKinds.from_json(self._json(self._request(
            "GET", "/v1/tax/certificate-kinds")))

    def issue_tax_certificate(self, request: Mapping[str, Any],
                              idempotency_key: str) -> TaxCertificateIssued:
        """``POST /v1/tax/certificates`` (課税・所得証明書の交付)."""
        return TaxCertificateIssued.from_json(self._json(self._request(
            "POST", "/v1/tax/certificates", json=dict(request),
            headers={"Idempotency-Key": idempotency_key}, expected=(200, 201))))

    def tax_certificate_content(self, issuance_id: int) -> TaxCertificateContent:
        """``GET /v1/tax/certificates/{id}/content``: what to print, right after issuing."""
        return TaxCertificateContent.from_json(self._json(self._request(
            "GET", f"/v1/tax/certificates/{int(issuance_id)}/content")))

    def tax_inquiry(self, request: Mapping[str, Any]) -> TaxInquiryAnswer:
        """``POST /v1/tax/inquiries`` (税の照会): refused unless the caller is identified."""
        return TaxInquiryAnswer.from_json(self._json(self._request(
            "POST", "/v1/tax/inquiries", json=dict(request))))

    # -- 審査 (review) --------------------------------------------------------

    def submit_case(self, command: Mapping[str, Any], idempotency_key: str) -> SubmittedCase:
        """``POST /v1/cases/idou``: a 異動届 checked by the centre and queued for 審査 (nothing
        is applied until a second person approves). Idempotent: retry with the same key."""
        return self._submit("/v1/cases/idou", command, idempotency_key)

    def list_cases(self, status: str = "submitted") -> list[CaseView]:
        """``GET /v1/cases``: the review queue, each entry beside the current record."""
        return self._queue("/v1/cases", status)

    def approve_case(self, case_id: int, idempotency_key: str) -> dict[str, Any]:
        """``POST /v1/cases/{id}/approve`` (承認): idempotent; retry with the same key."""
        return self._approve("/v1/cases", case_id, idempotency_key)

    def return_case(self, case_id: int, reason: str) -> dict[str, Any]:
        """``POST /v1/cases/{id}/return`` (差し戻し) with the reason."""
        return self._return("/v1/cases", case_id, reason)

    # -- 申請書の電子保存 (#23 point 4) ----------------------------------------------

    def store_signed_form(self, case_id: int, form: Mapping[str, Any],
                          idempotency_key: str) -> dict[str, Any]:
        """``POST /v1/cases/{id}/forms``: one signed form of a case waiting for 審査 (the PDF/A,
        its items and the resident's signature), kept centrally until its retention date.

        ``form`` has ``form_id``, ``title``, ``division_id``, ``retention_years``, ``pdf`` (bytes,
        or base64 text), ``items``, ``signature`` (``Signature.to_json()``) and
        ``told_divisions``; ``digest`` is computed from the items when absent
        (``items_digest``). Idempotent: retry with the same key. Returns the version stored and
        the PDF's SHA-256."""
        body = dict(form)
        if isinstance(body.get("pdf"), (bytes, bytearray)):
            body["pdf"] = base64.b64encode(bytes(body["pdf"])).decode("ascii")
        body.setdefault("digest", items_digest(body.get("items")))
        return self._json(self._request("POST", f"/v1/cases/{int(case_id)}/forms", json=body,
                                        expected=(201,),
                                        headers={"Idempotency-Key": idempotency_key}))

    def case_forms(self, case_id: int) -> list[dict[str, Any]]:
        """``GET /v1/cases/{id}/forms``: the case's stored forms (every version) with their items,
        for 審査 beside the entry (an audited read)."""
        body = self._json(self._request("GET", f"/v1/cases/{int(case_id)}/forms"))
        return [item for item in body.get("items") or [] if isinstance(item, dict)]

    def form_pdf(self, case_id: int, form_id: str, version: int | None = None) -> bytes:
        """``GET /v1/cases/{id}/forms/{form_id}/pdf``: the stored PDF/A (the latest version, or
        ``version``), to show or print; never cached."""
        response = self._request(
            "GET", f"/v1/cases/{int(case_id)}/forms/{quote(form_id, safe='')}/pdf",
            params={"version": str(int(version))} if version is not None else None,
            headers={"Accept": "application/pdf, application/problem+json"})
        if not response.content.startswith(b"%PDF-"):
            raise ApiError(response.status_code, "invalid_response", title="Not a PDF")
        return response.content

    # -- 職権 (K-DQ-16) and the 異動リスト (DQ-2) ------------------------------------

    def submit_shokken(self, command: Mapping[str, Any], idempotency_key: str) -> SubmittedCase:
        """``POST /v1/shokken``: a 職権記載・消除・修正 with its reason and 実態調査, checked by the
        centre and kept for a supervisor's 決裁 (nothing applied). Idempotent by its key."""
        return self._submit("/v1/shokken", command, idempotency_key)

    def list_shokken(self, status: str = "submitted") -> list[CaseView]:
        """``GET /v1/shokken``: the supervisor's queue of 職権 cases beside the current records."""
        return self._queue("/v1/shokken", status)

    def approve_shokken(self, case_id: int, idempotency_key: str) -> dict[str, Any]:
        """``POST /v1/shokken/{id}/approve`` (決裁): refused to the entrant; idempotent."""
        return self._approve("/v1/shokken", case_id, idempotency_key)

    def return_shokken(self, case_id: int, reason: str) -> dict[str, Any]:
        """``POST /v1/shokken/{id}/return`` (差し戻し) with the reason."""
        return self._return("/v1/shokken", case_id, reason)

    # The case routes' shapes, shared by 審査 (/v1/cases) and 職権の決裁 (/v1/shokken).

    def _submit(self, path: str, command: Mapping[str, Any], key: str) -> SubmittedCase:
        body = self._json(self._request("POST", path, json=dict(command),
                                        headers={"Idempotency-Key": key}, expected=(200, 201)))
        try:
            return SubmittedCase(int(body["case_id"]), str(body.get("status") or "submitted"))
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(200, "invalid_response", title="Invalid case answer") from exc

    def _queue(self, path: str, status: str) -> list[CaseView]:
        body = self._json(self._request("GET", path, params={"status": status}))
        return [CaseView.from_json(item) for item in body.get("items") or []]

    def _approve(self, base: str, case_id: int, key: str) -> dict[str, Any]:
        return self._json(self._request("POST", f"{base}/{int(case_id)}/approve",
                                        headers={"Idempotency-Key": key}))

    def _return(self, base: str, case_id: int, reason: str) -> dict[str, Any]:
        return self._json(self._request("POST", f"{base}/{int(case_id)}/return",
                                        json={"reason": reason}))

    @staticmethod
    def _list_params(day: dt.date | None, device: str | None) -> dict[str, str]:
        params = {}
        if day is not None:
            params["date"] = day.isoformat()
        if device:
            params["device"] = device
        return params

    def idou_list(self, day: dt.date | None = None, device: str | None = None) -> IdouList:
        """``GET /v1/idou-list``: the day's applied 異動 (JST; today by default) of one terminal
        or the office, with the earlier days' unticked rows."""
        return IdouList.from_json(self._json(self._request(
            "GET", "/v1/idou-list", params=self._list_params(day, device))))

    def idou_list_pdf(self, day: dt.date | None = None, device: str | None = None) -> bytes:
        """``GET /v1/idou-list.pdf``: the same list as PDF bytes (to print, never cached)."""
        response = self._request("GET", "/v1/idou-list.pdf", params=self._list_params(day, device),
                                 headers={"Accept": "application/pdf, application/problem+json"})
        if not response.content.startswith(b"%PDF-"):
            raise ApiError(response.status_code, "invalid_response", title="Not a PDF")
        return response.content

    def check_idou(self, history_id: int) -> dict[str, Any]:
        """``POST /v1/idou-list/{id}/check`` (点検): tick one row; refused to its entrant."""
        return self._json(self._request("POST", f"/v1/idou-list/{int(history_id)}/check",
                                        expected=(200, 201)))

    # -- security admin (情報主管課) ------------------------------------------

    def onlooker_policy(self) -> OnlookerPolicy:
        """``GET /v1/admin/policy/onlooker``: the 覗き込み rules terminals get at login."""
        return OnlookerPolicy.from_json(self._json(self._request("GET", "/v1/admin/policy/onlooker")))

    def set_onlooker_policy(self, value: OnlookerPolicy) -> OnlookerPolicy:
        """``PUT /v1/admin/policy/onlooker`` (PRIV-1); audited by the centre. Returns what it stored."""
        return OnlookerPolicy.from_json(self._json(self._request(
            "PUT", "/v1/admin/policy/onlooker", json=value.to_json())))

    def list_rights(self) -> list[RightGrant]:
        """``GET /v1/admin/rights``: every grant with its status (AUTHZ-9)."""
        items = self._json(self._request("GET", "/v1/admin/rights")).get("items") or []
        return [RightGrant.from_json(item) for item in items]

    def apply_for_right(self, login_id: str, right: str, valid_from: dt.date,
                        valid_until: dt.date, reason: str) -> RightApplication:
        """``POST /v1/admin/rights/applications``: a 所属長 applies for a right of an operator of
        their section (AUTHZ-4); pending until a security admin executes it."""
        return RightApplication.from_json(self._json(self._request(
            "POST", "/v1/admin/rights/applications", json={
                "login_id": login_id, "right": right, "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat(), "reason": reason}, expected=(201,))))

    def list_right_applications(self) -> list[RightApplication]:
        """``GET /v1/admin/rights/applications``: the applications waiting for the security admin."""
        items = self._json(self._request("GET", "/v1/admin/rights/applications")).get("items") or []
        return [RightApplication.from_json(item) for item in items]

    def execute_right_application(self, application_id: int) -> RightApplication:
        """``POST /v1/admin/rights/applications/{id}/execute`` (承認・設定): the grant is made."""
        answer = self._json(self._request(
            "POST", f"/v1/admin/rights/applications/{int(application_id)}/execute",
            expected=(201,)))
        return RightApplication.from_json(answer["application"])

    def decline_right_application(self, application_id: int, reason: str) -> RightApplication:
        """``POST /v1/admin/rights/applications/{id}/decline`` (却下) with the reason."""
        return RightApplication.from_json(self._json(self._request(
            "POST", f"/v1/admin/rights/applications/{int(application_id)}/decline",
            json={"reason": reason})))

    def revoke_right(self, grant_id: int, reason: str) -> dict[str, Any]:
        """``POST /v1/admin/rights/{id}/revoke``: effective from the next request (AUTHZ-6)."""
        return self._json(self._request("POST", f"/v1/admin/rights/{int(grant_id)}/revoke",
                                        json={"reason": reason}))

    def export_rights_csv(self) -> bytes:
        """``GET /v1/admin/rights.csv``: the list to reconcile with the rights sheet."""
        return self._request("GET", "/v1/admin/rights.csv").content

    def access_review(self, day: dt.date | None = None) -> AccessReview:
        """``GET /v1/admin/access-review``: the daily access-log review (LOG-10)."""
        params = {"date": day.isoformat()} if day else None
        return AccessReview.from_json(self._json(self._request("GET", "/v1/admin/access-review",
                                                               params=params)))

    def verify_audit(self) -> AuditChainReport:
        """``GET /v1/audit/verify``: walk the audit hash chain."""
        return AuditChainReport.from_json(self._json(self._request("GET", "/v1/audit/verify")))

    def list_devices(self) -> list[DeviceEntry]:
        """``GET /v1/admin/devices``: the device registry (DEV-6)."""
        items = self._json(self._request("GET", "/v1/admin/devices")).get("items") or []
        return [DeviceEntry.from_json(item) for item in items]

    def disable_device(self, device_id: str, reason: str) -> dict[str, Any]:
        """``POST /v1/admin/devices/{id}/disable`` (端末の利用停止)."""
        path = f"/v1/admin/devices/{quote(device_id, safe='')}/disable"
        return self._json(self._request("POST", path,
                                        json={"reason": reason}))

    def changes(self, cursor: int, limit: int = 100) -> dict[str, Any]:
        """``GET /v1/changes`` (変更フィード): one page of entity versions after ``cursor``."""
        return self._json(self._request("GET", "/v1/changes",
                                        params={"cursor": str(int(cursor)), "limit": str(int(limit))}))

    def search_residents(
        self,
        purpose: str | None,
        purpose_note: str | None = None,
        **keys: Any,
    ) -> ResidentSearchResult:
        """``GET /v1/residents`` (住民検索) with a purpose (利用目的) and search keys.

        A 氏名 search whose address does not narrow it is refused here as the server would
        refuse it (``search_needs_two_keys`` on ``address``, DQ-7), without a round trip."""
        params = search_params(purpose, purpose_note, **keys)
        refusal = address_key_refusal(params)
        if refusal is not None:
            raise ApiError(422, "search_needs_two_keys", title="Search needs two keys",
                           detail=refusal[0], title_ja="検索条件が不足しています",
                           detail_ja=refusal[1], field="address")
        response = self._request("GET", "/v1/residents", params=params)
        try:
            return ResidentSearchResult.from_json(self._json(response))
        except (KeyError, TypeError, ValueError) as exc:
            raise ApiError(response.status_code, "invalid_response", title="Invalid result") from exc

    def read_resident(self, resident_id: int, purpose: str | None,
                      purpose_note: str | None = None) -> dict[str, Any]:
        """``GET /v1/residents/{id}`` (住民票の参照): the record with household and 異動履歴.

        The purpose is required by the server (LOG-1); the My Number comes masked unless the
        operator holds 特定個人情報アクセス権限.
        """
        params = {k: v for k, v in (("purpose", purpose), ("purpose_note", purpose_note)) if v}
        return self._json(self._request("GET", f"/v1/residents/{int(resident_id)}", params=params))

    def report_terminal_event(self, event: str, reason: str, started_at: dt.datetime,
                              duration_ms: int) -> None:
        """``POST /v1/terminal-events`` (端末イベントの記録): a 覗き込み shield, presence lock or
        camera fault, with no image (PRIV-1)."""
        self._request("POST", "/v1/terminal-events", json={
            "event": event, "reason": reason, "started_at": started_at.isoformat(),
            "duration_ms": int(duration_ms)}, expected=(201,))
